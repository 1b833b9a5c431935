/** async-executor: `new Promise(async (resolve, reject) => ...)`. */
import {
  codeRuns,
  DEFAULT_PROMISE_KNOWLEDGE,
  executorLoss,
  isFunctionNode,
  isGlobalReference,
  skipTypeWrappers,
} from '../src/languages/js/analysis/index.js';
import { createRule, type TSESTree } from '../src/languages/js/types.js';

export default createRule<'asyncExecutor' | 'asyncExecutorNoAwait', []>({
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
        // calls `reject`) or of work that cannot reject.
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
          messageId: loss === 'syncThrow' ? 'asyncExecutorNoAwait' : 'asyncExecutor',
        });
      },
    };
  },
});
