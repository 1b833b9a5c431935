/**
 * return-await-in-try: `return promise` (not awaited) inside a `try` whose `catch` or `finally`
 * is there for that promise's failure: the rejection escapes the `catch`, and `finally` runs
 * before the work ends. `return await` is the same value with the handling in place: an autofix.
 */
import {
  awaitedBefore,
  awaitedText,
  codeRuns,
  innermostFunction,
  isResolveOnlyPromise,
  promiseKindOf,
  skipTypeWrappers,
  tryEscapedByReturn,
  type PromiseKnowledge,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type TSESTree } from '../src/languages/js/types.js';

const knowledge: PromiseKnowledge = DEFAULT_PROMISE_KNOWLEDGE;

export default createRule<'returnWithoutAwait', []>({
  name: 'return-await-in-try',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report `return promise` without `await` inside a `try` block whose `catch` or `finally` is meant to handle it.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['@typescript-eslint/return-await'],
    },
    fixable: 'code',
    messages: {
      returnWithoutAwait:
        'This promise is returned without `await` from inside `try`: if it rejects, the rejection escapes the `{{ handler }}`, and `finally` runs before the work ends. Write `return await ...`.',
    },
    schema: [],
  },
  // Only async functions are looked at: without one, the engine skips the file's tree altogether.
  shouldRun: (file) => /\basync\b/.test(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    if (!codeRuns(context)) return {};
    const isPromise = (node: TSESTree.Expression) =>
      promiseKindOf(node, sourceCode, context.physicalFilename, knowledge) === 'promise';
    return {
      ReturnStatement(statement: TSESTree.ReturnStatement) {
        const returned = statement.argument;
        if (!returned || !innermostFunction(statement)?.async) return;
        const argument = skipTypeWrappers(returned);
        if (argument.type === 'AwaitExpression') return;
        const escaped = tryEscapedByReturn(statement);
        if (!escaped || awaitedBefore(argument, statement, sourceCode) || !isPromise(returned)) return;
        // `return new Promise((resolve) => ...)` that never names `reject` cannot reject: with no
        // `finally` waiting on its work, nothing is escaped.
        if (!escaped.finally && argument.type === 'NewExpression' && isResolveOnlyPromise(argument, sourceCode)) return;
        context.report({
          node: returned,
          messageId: 'returnWithoutAwait',
          data: { handler: escaped.handler },
          fix: (fixer) => fixer.replaceText(returned, awaitedText(returned, sourceCode)),
        });
      },
    };
  },
});
