/** async-executor: `new Promise(async (resolve, reject) => ...)`. */
import {
  awaitsNothing,
  codeRuns,
  DEFAULT_PROMISE_KNOWLEDGE,
  functionNeverRejects,
  isFunctionNode,
  isGlobalReference,
  skipTypeWrappers,
} from '../src/languages/js/analysis/index.js';
import { createRule, type TSESTree } from '../src/languages/js/types.js';

export default createRule<'asyncExecutor', []>({
  name: 'async-executor',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report `new Promise` with an async executor, whose failures after the first `await` never reject the promise.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['no-async-promise-executor'],
    },
    messages: {
      asyncExecutor:
        'An async executor cannot reject this promise: an exception after its first `await` becomes an unhandled rejection and the promise never settles. If the executor awaits, the wrapper is not needed: write an `async` function and `return` the value; otherwise drop `async`.',
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
        // With no `await`, the executor runs to its end before `new Promise` returns, as a sync one would.
        if (awaitsNothing(executor, context.sourceCode.visitorKeys)) return;
        // Every await guarded by a catch (that calls `reject`), or of work that cannot reject: no
        // exception escapes the executor, so none is lost.
        const file = context.physicalFilename;
        if (functionNeverRejects(executor, context.sourceCode, file, DEFAULT_PROMISE_KNOWLEDGE)) return;
        // Underline `async`, the part to remove.
        const start = executor.range[0];
        context.report({
          node: executor,
          loc: {
            start: context.sourceCode.getLocFromIndex(start),
            end: context.sourceCode.getLocFromIndex(start + 'async'.length),
          },
          messageId: 'asyncExecutor',
        });
      },
    };
  },
});
