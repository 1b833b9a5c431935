/**
 * Where Python code runs: the file's context from the model every language shares (its path:
 * `tests/`, `test_*.py`, `conftest.py`, `scripts/` ...; its first line; or what the config says
 * for it), narrowed by one shape the code shows: an `if __name__ == "__main__":` block runs once,
 * when the file is run as a script; and code under an unconditional skip decorator (a test
 * function or class marked `@pytest.mark.skip` or `@unittest.skip(...)`) never runs at all.
 */
import {
  classifyFile,
  RUN_CONTEXTS,
  type ContextVerdict,
  type PackageFacts,
  type RunContext,
} from '../../../analysis/context/file-context.js';
import { childByField, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { decoratorsOf } from './coroutines.js';
import { requestHandlers } from './handlers.js';
import { qualifiedName } from './imports.js';
import type { ScopeModel } from './scopes.js';

export { RUN_CONTEXTS, type ContextVerdict, type RunContext } from '../../../analysis/context/file-context.js';

export interface PyRunContextQuery {
  filename: string;
  cwd: string;
  settings: Record<string, unknown>;
  text: string;
  /** What the project's manifest says (pyproject.toml console scripts), handed over by the host. */
  packageFacts?: PackageFacts | null;
  /** The file's tree and scopes, to find the request handlers a framework registers. */
  tree?: { root: PyNode; scopes: ScopeModel };
}

function configuredContext(settings: Record<string, unknown>): RunContext | null {
  const ours = settings.asynclint as { context?: unknown } | undefined;
  const context = ours?.context;
  return typeof context === 'string' && (RUN_CONTEXTS as readonly string[]).includes(context)
    ? (context as RunContext)
    : null;
}

export function pythonFileContext(query: PyRunContextQuery): ContextVerdict {
  const configured = configuredContext(query.settings);
  if (configured) return { context: configured, reason: 'the config says so for this file' };
  const firstLine = query.text.slice(0, query.text.indexOf('\n') >>> 0);
  return classifyFile(query.filename, query.cwd, query.packageFacts ?? null, firstLine);
}

/** `__name__ == "__main__"` (either way round). */
function isMainCheck(condition: PyNode | undefined, text: string): boolean {
  if (condition?.type !== 'comparison_operator') return false;
  const operands = condition.children.filter((child) => child.named);
  const operator = condition.children.find((child) => !child.named);
  if (operands.length !== 2 || operator?.type !== '==') return false;
  const spelled = operands.map((operand) => textOf(operand, text).replace(/'/g, '"'));
  return spelled.includes('__name__') && spelled.includes('"__main__"');
}

/** Whether `node` is inside an `if __name__ == "__main__":` block: what is defined there exists only in a script run. */
export function isInMainBlock(node: PyNode, text: string): boolean {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'if_statement' && child.field === 'consequence')
      return isMainCheck(childByField(current, 'condition'), text);
  }
  return false;
}

/**
 * The decorators that skip a test whatever the condition (`skipif` / `skipIf` take one, and so
 * may run): pytest skips a marked function, or every test of a marked class (its subclasses
 * inherit the mark); unittest's `skip(reason)` does the same.
 */
const UNCONDITIONAL_SKIPS = new Set(['pytest.mark.skip', 'pytest.mark.skip()', 'unittest.skip()']);

/** Whether `node` is inside a `def` or `class` decorated with an unconditional skip: that code never runs. */
export function isSkippedCode(node: PyNode, scopes: ScopeModel, text: string): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== 'function_definition' && current.type !== 'class_definition') continue;
    for (const decorator of decoratorsOf(current)) {
      const expression = decorator.children.find((child) => child.named);
      const name = expression ? qualifiedName(expression, scopes, text) : null;
      if (name && UNCONDITIONAL_SKIPS.has(name)) return true;
    }
  }
  return false;
}

export interface PyWhereCodeRuns {
  readonly file: ContextVerdict;
  /** Whether a rule reporting in `contexts` may report anywhere in this file. */
  mayReport(contexts: readonly RunContext[]): boolean;
  reports(node: PyNode, contexts: readonly RunContext[]): boolean;
  /** Whether `node` never runs (a skipped test): no rule has anything to say of it. */
  neverRuns(node: PyNode): boolean;
}

export function pythonWhereCodeRuns(query: PyRunContextQuery): PyWhereCodeRuns {
  const file = pythonFileContext(query);
  const everywhere = (contexts: readonly RunContext[]) => RUN_CONTEXTS.every((name) => contexts.includes(name));
  let handlers: Set<PyNode> | null = null;
  // A route handler runs per request wherever its file stands (a library's app module, an example).
  const isHandlerCode = (node: PyNode) => {
    if (!query.tree) return false;
    handlers ??= requestHandlers(query.tree.root, query.tree.scopes, query.text);
    const fn = executingFunction(node);
    return fn !== null && handlers.has(fn);
  };
  const neverRuns = (node: PyNode) => !!query.tree && isSkippedCode(node, query.tree.scopes, query.text);
  const contextAt = (node: PyNode): RunContext => {
    if (file.context === 'test') return file.context;
    // A script's main block runs where the script runs: tooling stays tooling.
    if (isInMainBlock(node, query.text)) return file.context === 'tooling' ? 'tooling' : 'one-shot';
    return isHandlerCode(node) ? 'request' : file.context;
  };
  return {
    file,
    mayReport: (contexts) =>
      everywhere(contexts) ||
      contexts.includes(file.context) ||
      (file.context !== 'test' && (contexts.includes('one-shot') || contexts.includes('request'))),
    reports: (node, contexts) => (everywhere(contexts) || contexts.includes(contextAt(node))) && !neverRuns(node),
    neverRuns,
  };
}

/** Where code runs, asked from a rule's context: its file, settings, manifest facts and tree. */
export function pythonWhereCodeRunsFor(context: {
  filename: string;
  cwd: string;
  settings: Record<string, unknown>;
  sourceCode: { text: string; packageFacts: PackageFacts | null; root: PyNode; scopes: ScopeModel };
}): PyWhereCodeRuns {
  const { sourceCode } = context;
  return pythonWhereCodeRuns({
    filename: context.filename,
    cwd: context.cwd,
    settings: context.settings,
    text: sourceCode.text,
    packageFacts: sourceCode.packageFacts,
    tree: { root: sourceCode.root, scopes: sourceCode.scopes },
  });
}
