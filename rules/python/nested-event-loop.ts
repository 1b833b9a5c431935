/**
 * nested-event-loop (Python only): starting an event loop from code that already runs in one.
 * `asyncio.run(main())` and `loop.run_until_complete(...)` / `loop.run_forever()` inside an
 * `async def` raise "RuntimeError: ... cannot be called from a running event loop" (or, with a
 * re-entrancy patch, block every other task until they return). With `getEventLoop`, also
 * `asyncio.get_event_loop()` in a coroutine: there it returns the running loop, so it is not a bug,
 * but it is the call whose behaviour outside a running loop (find or make another loop) hides this
 * very mistake, and `asyncio.get_running_loop()` says what the coroutine means.
 */
import {
  asyncFunctionOf,
  awaitNeedsParentheses,
  canAwaitAt,
  childByField,
  isEventLoop,
  namedChildren,
  qualifiedName,
  textOf,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type EditInfo, type PyNode, type PySourceCode } from '../../src/languages/python/types.js';

type MessageIds = 'runInRunningLoop' | 'suggestAwait' | 'getEventLoop' | 'suggestGetRunningLoop';
type Options = [{ getEventLoop: boolean }];

const LOOP_RUNNERS = new Set(['run_until_complete', 'run_forever']);

/** `asyncio.run(work())` to `await work()`, where an `await` may stand and the argument is the only one. */
function awaitInstead(call: PyNode, sourceCode: PySourceCode): EditInfo | null {
  const args = childByField(call, 'arguments');
  const positional = args ? namedChildren(args) : [];
  if (positional.length !== 1 || positional[0]!.type === 'keyword_argument' || !canAwaitAt(call)) return null;
  const awaited = `await ${textOf(positional[0]!, sourceCode.text)}`;
  return { range: [call.start, call.end], text: awaitNeedsParentheses(call) ? `(${awaited})` : awaited };
}

/** `asyncio.get_event_loop` written through the module: its last part can become `get_running_loop`. */
function runningLoopInstead(callee: PyNode): EditInfo | null {
  const attribute = callee.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
  if (!attribute) return null;
  return { range: [attribute.start, attribute.end], text: 'get_running_loop' };
}

export default createPyRule<MessageIds, Options>({
  name: 'nested-event-loop',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report asyncio.run, run_until_complete and run_forever called from a coroutine, where a loop already runs (Python).',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    hasSuggestions: true,
    messages: {
      runInRunningLoop:
        '`{{ name }}(...)` starts an event loop, but this coroutine already runs in one: it raises `RuntimeError` ("cannot be called from a running event loop"). `await` the coroutine instead.',
      suggestAwait: 'Await it in the running loop: `await ...`.',
      getEventLoop:
        '`{{ name }}()` in a coroutine returns the running loop; say so with `asyncio.get_running_loop()`, which raises instead of finding or making another loop when no loop runs.',
      suggestGetRunningLoop: 'Use `asyncio.get_running_loop()`.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          getEventLoop: {
            type: 'boolean',
            description:
              'Also report `asyncio.get_event_loop()` called in a coroutine, where `asyncio.get_running_loop()` is meant (default false: there it works).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ getEventLoop: false }],
  },
  shouldRun: (text) => text.includes('async') && /\b(?:run|run_until_complete|run_forever|get_event_loop)\b/.test(text),
  create(context) {
    const { sourceCode } = context;
    const { getEventLoop } = context.options[0];
    return {
      call(call) {
        if (!asyncFunctionOf(call)) return;
        const callee = childByField(call, 'function');
        if (!callee) return;
        const text = sourceCode.text;
        const qualified = qualifiedName(callee, sourceCode.scopes, text);
        if (getEventLoop && qualified === 'asyncio.get_event_loop') {
          const fix = runningLoopInstead(callee);
          context.report({
            node: call,
            messageId: 'getEventLoop',
            data: { name: textOf(callee, text) },
            suggest: fix ? [{ messageId: 'suggestGetRunningLoop', fix }] : [],
          });
          return;
        }
        const method = callee.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
        const runsLoop =
          qualified === 'asyncio.run' ||
          (method !== undefined &&
            LOOP_RUNNERS.has(textOf(method, text)) &&
            isEventLoop(childByField(callee, 'object'), sourceCode.scopes, text));
        if (!runsLoop) return;
        const rewrite = qualified === 'asyncio.run' || textOf(method!, text) === 'run_until_complete';
        const fix = rewrite ? awaitInstead(call, sourceCode) : null;
        context.report({
          node: call,
          messageId: 'runInRunningLoop',
          data: { name: textOf(callee, text) },
          suggest: fix ? [{ messageId: 'suggestAwait', fix }] : [],
        });
      },
    };
  },
});
