/**
 * nested-event-loop (Python only): starting an event loop from code that already runs in one.
 * `asyncio.run(main())` and `loop.run_until_complete(...)` / `loop.run_forever()` inside an
 * `async def` raise "RuntimeError: ... cannot be called from a running event loop" (or, with a
 * re-entrancy patch, block every other task until they return). And `asyncio.get_event_loop()` in
 * a coroutine is `asyncio.get_running_loop()` said the deprecated way: outside a running loop it
 * creates or finds another loop, which hides this very mistake.
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

type MessageIds = 'runInRunningLoop' | 'suggestAwait';

const LOOP_RUNNERS = new Set(['run_until_complete', 'run_forever']);

/** `asyncio.run(work())` to `await work()`, where an `await` may stand and the argument is the only one. */
function awaitInstead(call: PyNode, sourceCode: PySourceCode): EditInfo | null {
  const args = childByField(call, 'arguments');
  const positional = args ? namedChildren(args) : [];
  if (positional.length !== 1 || positional[0]!.type === 'keyword_argument' || !canAwaitAt(call)) return null;
  const awaited = `await ${textOf(positional[0]!, sourceCode.text)}`;
  return { range: [call.start, call.end], text: awaitNeedsParentheses(call) ? `(${awaited})` : awaited };
}

export default createPyRule<MessageIds, []>({
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
    },
    schema: [],
  },
  shouldRun: (text) => text.includes('async') && /\b(?:run|run_until_complete|run_forever)\b/.test(text),
  create(context) {
    const { sourceCode } = context;
    return {
      call(call) {
        if (!asyncFunctionOf(call)) return;
        const callee = childByField(call, 'function');
        if (!callee) return;
        const text = sourceCode.text;
        const qualified = qualifiedName(callee, sourceCode.scopes, text);
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
