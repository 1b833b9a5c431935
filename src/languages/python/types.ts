/**
 * The contract of a Python rule, shaped like ESLint's so the two languages read alike: `meta`
 * (the same RuleMeta, messages by id), `create(context)` returning listeners keyed by node type
 * (`call`, `function_definition:exit`), and `context.report({ node, messageId, data, suggest })`.
 * The tree is the compact one (parser/tree.ts); the semantic model is built when first asked.
 */
import { DOCS_BASE_URL, type ConfiguredRule, type EditInfo, type RuleDocs, type RuleMeta } from '../../types.js';
import type { PyComment, PyNode } from './parser/index.js';
import type { ImportContext, PythonProject, ScopeModel } from './analysis/index.js';
import type { PackageFacts } from '../../analysis/context/file-context.js';

export type { EditInfo, RuleMeta } from '../../types.js';
export { stringListOption } from '../../types.js';
export type { PyNode } from './parser/index.js';

export interface PySourceCode {
  text: string;
  root: PyNode;
  comments: readonly PyComment[];
  lineStarts: readonly number[];
  /** Scopes and bindings, built on first use. */
  readonly scopes: ScopeModel;
  /** What relative imports are resolved against. */
  imports: ImportContext;
  /** What the project's manifest says about where its files run (pyproject.toml), or null. */
  packageFacts: PackageFacts | null;
  /** The project's other modules, by qualified name (their coroutine functions and calls), or null. */
  project: PythonProject | null;
}

export interface PySuggestion<MessageIds extends string> {
  messageId: MessageIds;
  data?: Record<string, unknown>;
  fix: EditInfo;
}

export interface PyReportDescriptor<MessageIds extends string> {
  node: PyNode;
  messageId: MessageIds;
  data?: Record<string, unknown>;
  suggest?: PySuggestion<MessageIds>[];
}

export interface PyRuleContext<MessageIds extends string, Options extends readonly unknown[]> {
  id: string;
  /** The user's options over `meta.defaultOptions`, merged as ESLint merges them. */
  options: Options;
  settings: Record<string, unknown>;
  filename: string;
  cwd: string;
  sourceCode: PySourceCode;
  report(descriptor: PyReportDescriptor<MessageIds>): void;
}

export type PyRuleListener = Record<string, ((node: PyNode) => void) | undefined>;

export interface PyRuleModule<
  MessageIds extends string = string,
  Options extends readonly unknown[] = readonly unknown[],
> {
  name: string;
  meta: RuleMeta<MessageIds>;
  /** Whether the rule can find anything in this text at all; when false, it adds nothing to the walk. */
  shouldRun?(text: string): boolean;
  create(context: PyRuleContext<MessageIds, Options>): PyRuleListener;
}

export type ConfiguredPyRule = ConfiguredRule<PyRuleModule>;

/** Declares a Python rule; its docs URL comes from its name, as the JS rules' do (the same id, the same page). */
export function createPyRule<MessageIds extends string, Options extends readonly unknown[]>(
  rule: Omit<PyRuleModule<MessageIds, Options>, 'meta'> & {
    meta: Omit<RuleMeta<MessageIds>, 'docs'> & { docs: Omit<RuleDocs, 'url'> };
  },
): PyRuleModule<MessageIds, Options> {
  return { ...rule, meta: { ...rule.meta, docs: { ...rule.meta.docs, url: `${DOCS_BASE_URL}${rule.name}.md` } } };
}
