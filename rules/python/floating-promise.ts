/**
 * floating-promise for Python: a coroutine called and dropped (it never runs: Python only warns
 * "coroutine was never awaited" when it is collected), or a task from `create_task` /
 * `ensure_future` whose reference is dropped (the event loop keeps only a weak one, so the task
 * can vanish mid-run, and its exception is never retrieved). A coroutine is known by evidence:
 * an `async def` of this module (undecorated, or only a `classmethod` / `staticmethod`: another
 * decorator may wrap it into anything), an `async def` method of the class reached through
 * `self` / `cls`, an asyncio coroutine API, or (outside tests) the same call awaited elsewhere
 * in the file. A task is known by its factory: `asyncio.create_task` / `ensure_future`, or the
 * `create_task` of an event loop (analysis/event-loops.ts), not of a task group, which keeps it.
 * A test that drops a task and then waits on what the task acts on (`await server.serve()` after
 * starting a task handed `server`) awaits it in effect (analysis/task-effects.ts); code under an
 * unconditional skip decorator never runs, nor does the branch of a handler a test defines on a
 * request method the test never sends (analysis/test-requests.ts). A task whose coroutine only awaits
 * `asyncio.gather(..., return_exceptions=True)` has no exception to lose.
 */
import {
  asyncFunctionOf,
  awaitedCallElsewhere,
  canAwaitAt,
  cannotFail,
  childByField,
  coroutineCallName,
  isEventLoop,
  namedChildren,
  neverRequestedBranch,
  positionAmongLineStarts,
  pythonWhereCodeRunsFor,
  qualifiedName,
  receiverAwaitedElsewhere,
  runsOnlyUnderAsyncioRun,
  textOf,
  waitsOnTaskEffect,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode, type PySourceCode } from '../../src/languages/python/types.js';
import {
  FLOATING_PROMISE_DEFAULTS,
  FLOATING_PROMISE_SCHEMA,
  type FloatingPromiseOptions,
} from '../shared/floating-promise-options.js';

type MessageIds =
  | 'coroutineNotAwaited'
  | 'coroutineReturned'
  | 'awaitableReturned'
  | 'awaitedElsewhere'
  | 'taskDropped'
  | 'suggestAwait';
type Options = [FloatingPromiseOptions];

const MESSAGE_OF = {
  coroutine: 'coroutineNotAwaited',
  awaitedElsewhere: 'awaitedElsewhere',
  task: 'taskDropped',
} as const satisfies Record<Dropped['kind'], MessageIds>;

const TASK_FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future']);

interface Dropped {
  kind: 'coroutine' | 'task' | 'awaitedElsewhere';
  name: string;
  /** For `awaitedElsewhere`: the line of the `await` that shows the call makes a coroutine. */
  line?: number;
}

/**
 * What a dropped call is: a coroutine (and what it is called), a task, a call this file awaits
 * elsewhere (not in test code, where tests await calls that return nothing and start work on
 * purpose), or neither.
 */
function droppedKind(call: PyNode, sourceCode: PySourceCode, inTestCode: boolean): Dropped | null {
  const callee = childByField(call, 'function');
  if (!callee) return null;
  const { text, scopes } = sourceCode;
  const qualified = qualifiedName(callee, scopes, text);
  let task: string | null = qualified && TASK_FACTORIES.has(qualified) ? qualified : null;
  if (!task && callee.type === 'attribute') {
    const attribute = childByField(callee, 'attribute');
    const method = attribute && textOf(attribute, text);
    if (method === 'create_task' && isEventLoop(childByField(callee, 'object'), scopes, text))
      task = textOf(callee, text);
  }
  if (task) {
    const coroutine = namedChildren(childByField(call, 'arguments') ?? call)[0];
    if (coroutine?.type !== 'call') return { kind: 'task', name: task };
    // A task that hands every failure back as a value has no exception to lose.
    if (cannotFail(coroutine, scopes, text)) return null;
    // A test that then waits on what the task acts on cannot end before the task did its part.
    if (inTestCode && waitsOnTaskEffect(call.parent ?? call, coroutine, scopes, text)) return null;
    return { kind: 'task', name: task };
  }
  const coroutine = coroutineCallName(call, scopes, text, sourceCode.project);
  if (coroutine) return { kind: 'coroutine', name: coroutine };
  const awaited = inTestCode ? null : awaitedCallElsewhere(call, sourceCode.root, scopes, text);
  if (!awaited) return null;
  const line = positionAmongLineStarts(sourceCode.lineStarts, awaited.start).line;
  return { kind: 'awaitedElsewhere', name: textOf(callee, text), line };
}

export default createPyRule<MessageIds, Options>({
  name: 'floating-promise',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report coroutines called and never awaited, and tasks whose reference is dropped (create_task, ensure_future).',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['RUF006'],
    },
    hasSuggestions: true,
    messages: {
      coroutineNotAwaited:
        '`{{ name }}(...)` makes a coroutine, and nothing awaits it: it never runs (Python only warns when it is collected). `await` it, or start it with `asyncio.create_task(...)` and keep the task.',
      coroutineReturned:
        '`{{ name }}(...)` makes a coroutine, and this `async def` returns it without awaiting it: whoever awaits this coroutine gets that coroutine object, not its result (unlike a JavaScript promise, it is not unwrapped). `return await ...`.',
      awaitableReturned:
        '`{{ name }}(...)` returns an awaitable (line {{ line }} awaits `{{ evidence }}(...)`, and this file awaits every other call it makes there), and this `async def` returns it without awaiting it: whoever awaits this coroutine gets that awaitable, not its result. `return await ...`.',
      awaitedElsewhere:
        "`{{ name }}(...)` is awaited on line {{ line }}, so it returns an awaitable, and here nothing awaits it: a coroutine never runs (Python only warns when it is collected), a future's failure is never retrieved. `await` it, or start it with `asyncio.create_task(...)` and keep the task.",
      taskDropped:
        "The task from `{{ name }}(...)` is dropped: the event loop keeps only a weak reference, so it can be collected before it ends, and its exception is never retrieved. Keep it (a set of tasks, or an `asyncio.TaskGroup`'s `create_task`) and await it.",
      suggestAwait: 'Add `await`.',
    },
    schema: FLOATING_PROMISE_SCHEMA,
    defaultOptions: FLOATING_PROMISE_DEFAULTS,
  },
  // Without `async` or `asyncio` in the text there is no coroutine or task to drop.
  shouldRun: (text) => text.includes('async'),
  create(context) {
    const { sourceCode } = context;
    const where = pythonWhereCodeRunsFor(context);
    const inTestCode = where.file.context === 'test';
    // A handler a test defines gets only the test's requests: a branch on a method it never
    // sends (the GET branch of a handler under a test that sends only HEAD) never runs.
    const neverRuns = (statement: PyNode) => {
      if (where.neverRuns(statement)) return true;
      const handler = inTestCode ? asyncFunctionOf(statement) : null;
      return handler !== null && neverRequestedBranch(statement, handler, sourceCode.text);
    };
    return {
      // `return work()` in an `async def`: the caller's `await` yields the inner coroutine itself.
      // In a sync `def` it is a factory handing the coroutine on, which is fine.
      return_statement(statement) {
        const children = namedChildren(statement);
        const call = children[0];
        const fn = asyncFunctionOf(statement);
        if (children.length !== 1 || call?.type !== 'call' || !fn || neverRuns(statement)) return;
        const { root, scopes, text } = sourceCode;
        const coroutine = coroutineCallName(call, scopes, text, sourceCode.project);
        // Outside tests, the file's own awaits of every other call it makes on the same receiver
        // are evidence (`await self.bot.get_chat(...)` beside `return self.bot.x(...)`). The same
        // call awaited elsewhere is not: a method that returns a coroutine for some commands and a
        // queued pipeline for others, or a framework's method object that a handler may return for
        // the framework to send (aiogram's `return message.answer(...)`), is awaited and returned.
        const evidence = coroutine || inTestCode ? null : receiverAwaitedElsewhere(call, root, scopes, text);
        // Run only by `asyncio.run` in sync code, the `async def` is a factory as a sync `def` would be.
        if ((!coroutine && !evidence) || runsOnlyUnderAsyncioRun(fn, root, scopes, text)) return;
        const suggest = canAwaitAt(call)
          ? [
              {
                messageId: 'suggestAwait' as const,
                fix: { range: [call.start, call.start] as [number, number], text: 'await ' },
              },
            ]
          : [];
        if (coroutine)
          return context.report({ node: call, messageId: 'coroutineReturned', data: { name: coroutine }, suggest });
        const evidenceCallee = childByField(evidence!, 'function') ?? evidence!;
        context.report({
          node: call,
          messageId: 'awaitableReturned',
          data: {
            name: textOf(childByField(call, 'function') ?? call, text),
            evidence: textOf(evidenceCallee, text),
            line: positionAmongLineStarts(sourceCode.lineStarts, evidence!.start).line,
          },
          suggest,
        });
      },
      expression_statement(statement) {
        const children = namedChildren(statement);
        const call = children[0];
        if (children.length !== 1 || call?.type !== 'call' || neverRuns(statement)) return;
        const dropped = droppedKind(call, sourceCode, inTestCode);
        if (!dropped) return;
        const suggest =
          dropped.kind !== 'task' && canAwaitAt(call)
            ? [
                {
                  messageId: 'suggestAwait' as const,
                  fix: { range: [call.start, call.start] as [number, number], text: 'await ' },
                },
              ]
            : [];
        context.report({
          node: call,
          messageId: MESSAGE_OF[dropped.kind],
          data: { name: dropped.name, line: dropped.line },
          suggest,
        });
      },
    };
  },
});
