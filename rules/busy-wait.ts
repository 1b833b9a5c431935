/**
 * busy-wait: a loop in async code that spins on the clock (`while (Date.now() < end) {}`), holding
 * the event loop for the whole wait instead of yielding to it.
 */
import {
  addNamedImport,
  importedLocalName,
  asyncContextOf,
  contextsOption,
  whereCodeRunsFor,
  type RunContext,
  forEachDescendant,
  mayRunAsync,
  innermostFunction,
  isGlobalReference,
  resolveModuleBinding,
  skipTypeWrappers,
} from '../src/languages/js/analysis/index.js';
import {
  createRule,
  type Node,
  type RuleFix,
  type RuleFixer,
  type SourceCode,
  type TSESTree,
} from '../src/languages/js/types.js';

type Options = [{ contexts: RunContext[] }];

/** A spin holds up other work only where some can be waiting: not in a script that runs once, nor in a test. */
const DEFAULT_CONTEXTS: RunContext[] = ['request'];

type MessageIds = 'busyWait' | 'suggestSleep';
type SpinLoop = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

const TIMERS_PROMISES = ['node:timers/promises', 'timers/promises'];
const SLEEP_IMPORT = { module: 'node:timers/promises', imported: 'setTimeout', local: 'sleep' };

/** `Date.now()`, `performance.now()`, `new Date()` (and `.getTime()` / `.valueOf()` on it), `process.hrtime...`. */
function isClockRead(node: Node, sourceCode: SourceCode): boolean {
  const expression = skipTypeWrappers(node);
  if (expression.type === 'UnaryExpression' && expression.operator === '+')
    return isClockRead(expression.argument, sourceCode);
  if (expression.type === 'NewExpression')
    return (
      expression.callee.type === 'Identifier' &&
      expression.callee.name === 'Date' &&
      expression.arguments.length === 0 &&
      isGlobalReference(sourceCode, expression.callee)
    );
  if (expression.type !== 'CallExpression') return false;
  const callee = expression.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if ((method === 'getTime' || method === 'valueOf') && isClockRead(callee.object, sourceCode)) return true;
  if (callee.object.type === 'Identifier') {
    const owner = callee.object.name;
    if (owner === 'Date' && method === 'now') return isGlobalReference(sourceCode, callee.object);
    if (owner === 'performance' && method === 'now')
      return (
        isGlobalReference(sourceCode, callee.object) ||
        resolveModuleBinding(sourceCode, callee.object)?.module === 'perf_hooks'
      );
  }
  if (
    callee.object.type === 'MemberExpression' &&
    callee.object.object.type === 'Identifier' &&
    callee.object.object.name === 'process'
  ) {
    return callee.object.property.type === 'Identifier' && callee.object.property.name === 'hrtime';
  }
  if (callee.object.type === 'Identifier' && callee.object.name === 'process' && method === 'hrtime') return true;
  return false;
}

function containsClockRead(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || isClockRead(current, sourceCode)) found = true;
    return !found;
  });
  return found;
}

/** A body that does nothing but spin: empty, or only counters and clock reads. */
function isTrivialBody(body: Node, sourceCode: SourceCode): boolean {
  const statements = body.type === 'BlockStatement' ? body.body : [body];
  return statements.every((statement) => {
    if (statement.type === 'EmptyStatement') return true;
    if (statement.type !== 'ExpressionStatement') return false;
    const expression = statement.expression;
    if (expression.type === 'UpdateExpression') return true;
    return (
      expression.type === 'AssignmentExpression' &&
      expression.left.type === 'Identifier' &&
      (isClockRead(expression.right, sourceCode) || !containsCall(expression.right, sourceCode))
    );
  });
}

function containsCall(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (current.type === 'CallExpression' || current.type === 'NewExpression' || current.type === 'AwaitExpression')
      found = true;
    return !found;
  });
  return found;
}

/** The clock the loop tests: in its test directly, or through a variable its body refreshes from the clock. */
function spinsOnClock(loop: SpinLoop, sourceCode: SourceCode): boolean {
  if (!loop.test) return false;
  if (containsClockRead(loop.test, sourceCode)) return true;
  const statements = loop.body.type === 'BlockStatement' ? loop.body.body : [loop.body];
  const refreshed = new Set<string>();
  for (const statement of statements) {
    if (
      statement.type === 'ExpressionStatement' &&
      statement.expression.type === 'AssignmentExpression' &&
      statement.expression.left.type === 'Identifier' &&
      isClockRead(statement.expression.right, sourceCode)
    ) {
      refreshed.add(statement.expression.left.name);
    }
  }
  if (refreshed.size === 0) return false;
  let readsRefreshed = false;
  forEachDescendant(loop.test, sourceCode.visitorKeys, (current) => {
    if (current.type === 'Identifier' && refreshed.has(current.name)) readsRefreshed = true;
  });
  return readsRefreshed;
}

/**
 * `while (Date.now() < end) {}` becomes `await sleep(Math.max(0, end - Date.now()));` with
 * `import { setTimeout as sleep } from 'node:timers/promises'` (reusing an existing import).
 */
function sleepRewrite(loop: SpinLoop, sourceCode: SourceCode): ((fixer: RuleFixer) => RuleFix[]) | null {
  if (loop.type !== 'WhileStatement' || !innermostFunction(loop)?.async) return null;
  const test = skipTypeWrappers(loop.test);
  if (test.type !== 'BinaryExpression' || test.left.type === 'PrivateIdentifier') return null;
  const left = sourceCode.getText(test.left);
  const right = sourceCode.getText(test.right);
  let remaining: string;
  if (
    (test.operator === '<' || test.operator === '<=') &&
    containsClockRead(test.left, sourceCode) &&
    !containsClockRead(test.right, sourceCode)
  )
    remaining = `${right} - (${left})`;
  else if (
    (test.operator === '>' || test.operator === '>=') &&
    containsClockRead(test.right, sourceCode) &&
    !containsClockRead(test.left, sourceCode)
  )
    remaining = `${left} - (${right})`;
  else return null;
  const imported = importedLocalName(sourceCode, TIMERS_PROMISES, 'setTimeout');
  const addImport = imported === null ? addNamedImport(sourceCode, loop, SLEEP_IMPORT) : null;
  if (imported === null && addImport === null) return null;
  const call = `await ${imported ?? SLEEP_IMPORT.local}(Math.max(0, ${remaining}));`;
  return (fixer) => [...(addImport ? [addImport(fixer)] : []), fixer.replaceText(loop, call)];
}

export default createRule<MessageIds, Options>({
  name: 'busy-wait',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report loops in async code that spin on the clock instead of waiting, holding the event loop for the whole wait.',
      category: 'perf',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    hasSuggestions: true,
    messages: {
      busyWait:
        'This loop spins on the clock and holds the event loop for the whole wait: nothing else runs until it ends. Wait with `await setTimeout(ms)` from `node:timers/promises` instead.',
      suggestSleep: 'Wait with `await setTimeout(...)` from `node:timers/promises`.',
    },
    schema: [
      {
        type: 'object',
        description: 'Where the rule reports.',
        properties: { contexts: contextsOption(DEFAULT_CONTEXTS) },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ contexts: DEFAULT_CONTEXTS }],
  },
  // A spin needs async code and a clock: without both, the engine skips the file's tree altogether.
  shouldRun: (file) => mayRunAsync(file.text) && /\b(?:Date|now|hrtime)\b/.test(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    const { contexts } = context.options[0];
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(contexts)) return {};
    function check(loop: SpinLoop): void {
      if (!asyncContextOf(loop) || !where.reports(loop, contexts)) return;
      if (!spinsOnClock(loop, sourceCode) || !isTrivialBody(loop.body, sourceCode)) return;
      if (loop.test && containsCall(loop.test, sourceCode) && !containsOnlyClockCalls(loop.test)) return;
      const keyword = loop.type === 'DoWhileStatement' ? 'do' : loop.type === 'ForStatement' ? 'for' : 'while';
      const rewrite = sleepRewrite(loop, sourceCode);
      context.report({
        node: loop,
        loc: { start: sourceCode.getLoc(loop).start, end: sourceCode.getLocFromIndex(loop.range[0] + keyword.length) },
        messageId: 'busyWait',
        suggest: rewrite ? [{ messageId: 'suggestSleep', fix: rewrite }] : null,
      });
    }

    /** A test that calls anything but the clock (`while (!isReady() && Date.now() < end)`) polls real state. */
    function containsOnlyClockCalls(test: Node): boolean {
      let onlyClock = true;
      forEachDescendant(test, sourceCode.visitorKeys, (current) => {
        if (current.type === 'AwaitExpression') onlyClock = false;
        if (
          (current.type === 'CallExpression' || current.type === 'NewExpression') &&
          !isClockRead(current, sourceCode)
        ) {
          const callee = current.type === 'CallExpression' ? current.callee : null;
          if (!(callee?.type === 'MemberExpression' && isClockRead(callee.object, sourceCode))) onlyClock = false;
        }
        return onlyClock;
      });
      return onlyClock;
    }

    return {
      WhileStatement: check,
      DoWhileStatement: check,
      ForStatement: check,
    };
  },
});
