/**
 * busy-wait for Python: a loop in a coroutine that spins on the clock (`while time.monotonic() <
 * deadline: pass`, or `while True:` that breaks when the clock passes a point) and awaits
 * nothing, so it holds the event loop for the whole wait: no other task runs until it ends.
 * The clock is known by its qualified name (time, datetime) or as the running loop's `time()`.
 */
import {
  asyncFunctionOf,
  childByField,
  isEventLoop,
  ownNodes,
  pythonWhereCodeRunsFor,
  qualifiedName,
  textOf,
  type ScopeModel,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode } from '../../src/languages/python/types.js';
import { BUSY_WAIT_DEFAULTS, BUSY_WAIT_SCHEMA, type BusyWaitOptions } from '../shared/busy-wait-options.js';

type MessageIds = 'busyWait';
type Options = [BusyWaitOptions];

const CLOCKS = new Set([
  'time.time',
  'time.monotonic',
  'time.perf_counter',
  'time.time_ns',
  'time.monotonic_ns',
  'time.perf_counter_ns',
  'datetime.datetime.now',
  'datetime.datetime.utcnow',
]);

/** Whether `node` reads the clock: a clock call, or `loop.time()` on the event loop. */
function readsClock(node: PyNode, scopes: ScopeModel, text: string): boolean {
  return [node, ...ownNodes(node)].some((current) => {
    if (current.type !== 'call') return false;
    const callee = childByField(current, 'function');
    if (!callee) return false;
    const qualified = qualifiedName(callee, scopes, text);
    if (qualified !== null && CLOCKS.has(qualified)) return true;
    const method = callee.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
    return (
      method !== undefined &&
      textOf(method, text) === 'time' &&
      isEventLoop(childByField(callee, 'object'), scopes, text)
    );
  });
}

/** `while True:` whose body leaves when an `if` on the clock says so. */
function breaksOnClock(body: PyNode, scopes: ScopeModel, text: string): boolean {
  return ownNodes(body).some((node) => {
    if (node.type !== 'if_statement') return false;
    const condition = childByField(node, 'condition');
    const consequence = childByField(node, 'consequence');
    return (
      !!condition &&
      !!consequence &&
      readsClock(condition, scopes, text) &&
      ownNodes(consequence).some((inner) => inner.type === 'break_statement' || inner.type === 'return_statement')
    );
  });
}

/** A spin: it waits for the clock and awaits nothing, nor sleeps (a blocking sleep is blocking-call's). */
function spinsOnClock(loop: PyNode, scopes: ScopeModel, text: string): boolean {
  const condition = childByField(loop, 'condition');
  const body = childByField(loop, 'body');
  if (!condition || !body) return false;
  const waits = ownNodes(body).some((node) => {
    if (node.type === 'await' || node.type === 'yield') return true;
    if (node.type !== 'call') return false;
    const callee = childByField(node, 'function');
    return callee !== undefined && qualifiedName(callee, scopes, text) === 'time.sleep';
  });
  if (waits) return false;
  if (readsClock(condition, scopes, text)) return true;
  return textOf(condition, text) === 'True' && breaksOnClock(body, scopes, text);
}

export default createPyRule<MessageIds, Options>({
  name: 'busy-wait',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report loops in coroutines that spin on the clock instead of waiting, holding the event loop for the whole wait.',
      category: 'perf',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    messages: {
      busyWait:
        'This loop spins on the clock and holds the event loop for the whole wait: no other task runs until it ends. Wait with `await asyncio.sleep(...)` (or `asyncio.wait_for` on an `asyncio.Event`) instead.',
    },
    schema: BUSY_WAIT_SCHEMA,
    defaultOptions: BUSY_WAIT_DEFAULTS,
  },
  shouldRun: (text) => text.includes('async') && text.includes('while'),
  create(context) {
    const { sourceCode } = context;
    const { contexts } = context.options[0];
    const where = pythonWhereCodeRunsFor(context);
    if (!where.mayReport(contexts)) return {};
    return {
      while_statement(loop) {
        if (!asyncFunctionOf(loop) || !where.reports(loop, contexts)) return;
        if (spinsOnClock(loop, sourceCode.scopes, sourceCode.text))
          context.report({ node: loop, messageId: 'busyWait' });
      },
    };
  },
});
