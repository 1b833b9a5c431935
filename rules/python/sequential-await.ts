/**
 * sequential-await for Python (strict): two awaits in a row whose operations do not depend on
 * each other, so the second waits for the first for nothing. As the JS rule, it asks for
 * evidence: both are awaited for a value that later code reads (a bare `await f()` is awaited for
 * its effect), the second call reads nothing the first statement binds, neither call changes state
 * by its name (`stateChangingVerbs`: `insert_user`, `page.click`), matches `orderedCallees` or
 * goes through a receiver held for a while (`self.conn`, a connection from `async with` or an
 * `await`), and neither is a pause or a batch already (`asyncio.sleep`, `asyncio.gather`) nor
 * advances an async iterator (`anext(it)`: iterators advanced in lockstep stop at the first that
 * ends, and the order says which one loses no element).
 */
import {
  awaitedCall,
  calleeName,
  childByField,
  isReadAfter,
  matchesOrderedCallee,
  namedChildren,
  namesReadIn,
  pythonWhereCodeRunsFor,
  sharedReceiver,
  textOf,
  type ScopeModel,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode } from '../../src/languages/python/types.js';
import {
  SEQUENTIAL_AWAIT_DEFAULTS,
  SEQUENTIAL_AWAIT_DOCS,
  SEQUENTIAL_AWAIT_SCHEMA,
  type SequentialAwaitOptions,
} from '../shared/sequential-await-options.js';

type MessageIds = 'sequentialAwait';
type Options = [SequentialAwaitOptions];

const NOT_INDEPENDENT_WORK = new Set([
  'asyncio.sleep',
  'asyncio.gather',
  'asyncio.wait',
  'asyncio.wait_for',
  // Each `anext(it)` takes an element, or raises StopAsyncIteration at the end: iterators advanced
  // in lockstep stop at the first that ends, before the next one loses an element to the step.
  'builtins.anext',
]);

/**
 * A statement that only awaits a call for its value, `name = await f(x)`: the await, and the
 * names it binds. A bare `await f(x)` is awaited for its effect, and later code may rely on that
 * effect having happened (`await state.clear()` before `await message.answer(...)`): an ordering
 * point, as in the JS rule.
 */
function awaitStatement(statement: PyNode, text: string): { awaitNode: PyNode; binds: Set<string> } | null {
  if (statement.type !== 'expression_statement') return null;
  const [expression] = namedChildren(statement);
  if (expression?.type !== 'assignment') return null;
  const left = childByField(expression, 'left');
  const right = childByField(expression, 'right');
  if (right?.type !== 'await' || (left?.type !== 'identifier' && left?.type !== 'pattern_list')) return null;
  return { awaitNode: right, binds: namesReadIn(left, text) };
}

/** `insert_user`, `page.click`, `saveAll`: the callee's last name has a word that changes state. */
function changesState(call: PyNode, verbs: readonly string[], text: string): boolean {
  const callee = childByField(call, 'function');
  const name = callee ? textOf(callee, text).split('.').at(-1)! : '';
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .filter(Boolean);
  return words.some((word) => verbs.includes(word));
}

/** Whether an awaited call can start together with its neighbour, by the evidence above. */
function isIndependentWork(call: PyNode, scopes: ScopeModel, text: string, options: SequentialAwaitOptions): boolean {
  if (NOT_INDEPENDENT_WORK.has(calleeName(call, scopes, text))) return false;
  if (changesState(call, options.stateChangingVerbs, text)) return false;
  if (matchesOrderedCallee(call, options.orderedCallees, text)) return false;
  return !sharedReceiver(call, scopes, text);
}

export default createPyRule<MessageIds, Options>({
  name: 'sequential-await',
  meta: {
    type: 'suggestion',
    docs: SEQUENTIAL_AWAIT_DOCS,
    messages: {
      sequentialAwait:
        'This await waits for `{{ previous }}` to finish first, although it does not use its result. Start both with `await asyncio.gather(...)` (or an `asyncio.TaskGroup`) so the wait is the longest of them, not the sum.',
    },
    schema: SEQUENTIAL_AWAIT_SCHEMA,
    defaultOptions: SEQUENTIAL_AWAIT_DEFAULTS,
  },
  shouldRun: (text) => text.includes('await'),
  create(context) {
    const { sourceCode } = context;
    const options = context.options[0];
    const { text, scopes } = sourceCode;
    const where = pythonWhereCodeRunsFor(context);
    if (!where.mayReport(options.contexts)) return {};
    return {
      block(block) {
        const statements = namedChildren(block);
        for (let index = 1; index < statements.length; index++) {
          const first = awaitStatement(statements[index - 1]!, text);
          const second = awaitStatement(statements[index]!, text);
          const firstCall = first && awaitedCall(first.awaitNode);
          const secondCall = second && awaitedCall(second.awaitNode);
          if (!firstCall || !secondCall || !where.reports(secondCall, options.contexts)) continue;
          // A value nothing reads afterwards was awaited for the call's effect after all.
          const readLater = (statement: PyNode, names: Set<string>) =>
            [...names].every((name) => isReadAfter(name, statement, scopes, text));
          if (!readLater(statements[index - 1]!, first.binds) || !readLater(statements[index]!, second.binds)) continue;
          if (![...first.binds].every((name) => !namesReadIn(secondCall, text).has(name))) continue;
          if (!isIndependentWork(firstCall, scopes, text, options)) continue;
          if (!isIndependentWork(secondCall, scopes, text, options)) continue;
          const previous = [...first.binds][0] ?? textOf(childByField(firstCall, 'function')!, text);
          context.report({ node: second.awaitNode, messageId: 'sequentialAwait', data: { previous } });
        }
      },
    };
  },
});
