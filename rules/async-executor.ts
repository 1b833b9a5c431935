/** async-executor: `new Promise(async (resolve, reject) => ...)`. */
import {
  codeRuns,
  DEFAULT_PROMISE_KNOWLEDGE,
  executorLoss,
  type ExecutorLoss,
  isFunctionNode,
  isGlobalReference,
  skipTypeWrappers,
} from '../src/languages/js/analysis/index.js';
import { createRule, type TSESTree } from '../src/languages/js/types.js';

type MessageIds = 'asyncExecutor' | 'asyncExecutorNoAwait' | 'asyncExecutorSwallowed' | 'asyncExecutorUnheardSource';

const MESSAGE_OF: Record<Exclude<ExecutorLoss, 'nothing'>, MessageIds> = {
  rejection: 'asyncExecutor',
  syncThrow: 'asyncExecutorNoAwait',
  swallowed: 'asyncExecutorSwallowed',
  unheardSource: 'asyncExecutorUnheardSource',
};

export default createRule<MessageIds, []>({
  name: 'async-executor',
  meta: {
    type: 'problem',
    docs: {
      description: 'Report `new Promise` with an async executor, whose exceptions never reject the promise.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['no-async-promise-executor'],
    },
    messages: {
      asyncExecutor:
        'An async executor cannot reject this promise: an exception after its first `await` becomes an unhandled rejection and the promise never settles. If the executor awaits, the wrapper is not needed: write an `async` function and `return` the value; otherwise drop `async`.',
      asyncExecutorNoAwait:
        'An async executor cannot reject this promise: an exception it throws, even with no `await` before it, becomes an unhandled rejection and the promise never settles. This executor awaits nothing: drop `async`.',
      asyncExecutorSwallowed:
        'When the awaited work fails, the `catch` of this executor calls neither `reject` nor `resolve`, and nothing after it does: the promise never settles, and whoever awaits it waits forever. Write an `async` function that returns the value, so that a failure rejects its promise.',
      asyncExecutorUnheardSource:
        "This executor settles the promise from the events of a stream it pipes into, but `pipe` does not pass on an 'error' of the stream it reads from, and nothing listens for one: if that stream fails, the promise never settles and the 'error' is thrown, past every `try` here. Write an `async` function that awaits `pipeline(source, destination)` from `node:stream/promises`.",
    },
    schema: [],
  },
  // Only async executors are reported: without `async`, the engine skips the file's tree altogether.
  shouldRun: (file) => /\basync\b/.test(file.text),
  create(context) {
    if (!codeRuns(context)) return {};
    return {
      NewExpression(node: TSESTree.NewExpression) {
        if (
          node.callee.type !== 'Identifier' ||
          node.callee.name !== 'Promise' ||
          !isGlobalReference(context.sourceCode, node.callee)
        )
          return;
        const executor = node.arguments[0] ? skipTypeWrappers(node.arguments[0]) : null;
        if (!executor || !isFunctionNode(executor) || !executor.async) return;
        // Nothing lost: no await and nothing that throws, or every await guarded by a catch (that
        // calls `reject`) or of work that cannot reject, and no piped stream whose failure nobody hears.
        const loss = executorLoss(executor, context.sourceCode, context.physicalFilename, DEFAULT_PROMISE_KNOWLEDGE);
        if (loss === 'nothing') return;
        // Underline `async`, the part to remove.
        const start = executor.range[0];
        context.report({
          node: executor,
          loc: {
            start: context.sourceCode.getLocFromIndex(start),
            end: context.sourceCode.getLocFromIndex(start + 'async'.length),
          },
          messageId: MESSAGE_OF[loss],
        });
      },
    };
  },
});
