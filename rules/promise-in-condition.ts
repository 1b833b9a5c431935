/**
 * promise-in-condition: a promise where a truth value is read (`if (isAdmin(user))` with an async
 * `isAdmin`): a promise object is always truthy, so the test is always true.
 */
import {
  codeRuns,
  hasTypeInformation,
  innermostFunction,
  isAlwaysPromise,
  isGlobalBooleanCall,
  isInTruthTest,
  mayContainPromises,
  truthTestedOperands,
  type PromiseKnowledge,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type Node, type TSESTree } from '../src/languages/js/types.js';

const knowledge: PromiseKnowledge = DEFAULT_PROMISE_KNOWLEDGE;

export default createRule<'promiseInCondition' | 'suggestAwait', []>({
  name: 'promise-in-condition',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report promises used as conditions (`if`, loops, `?:`, `!`, `&&`, `||`, `??`, `Boolean(...)`), which are always truthy.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['@typescript-eslint/no-misused-promises'],
    },
    hasSuggestions: true,
    messages: {
      promiseInCondition:
        'A promise is always truthy, so this condition does not depend on what the promise resolves to. `await` it to test its value.',
      suggestAwait: 'Add `await`.',
    },
    schema: [],
  },
  // As floating-promise: without types and without a way to make a promise, nothing to look for.
  shouldRun: (file) =>
    hasTypeInformation(file) || mayContainPromises(file.sourceCode, file.physicalFilename, knowledge),
  create(context) {
    const sourceCode = context.sourceCode;
    if (!codeRuns(context)) return {};

    /** Reports each operand of a truth test that is always a promise, so always true. */
    function checkCondition(node: Node | null | undefined): void {
      for (const operand of truthTestedOperands(node)) {
        if (!isAlwaysPromise(operand, sourceCode, context.physicalFilename, knowledge)) continue;
        const inAsync = innermostFunction(operand)?.async === true;
        context.report({
          node: operand,
          messageId: 'promiseInCondition',
          suggest: inAsync
            ? [
                {
                  messageId: 'suggestAwait',
                  fix: (fixer) => fixer.replaceText(operand, `(await ${sourceCode.getText(operand)})`),
                },
              ]
            : null,
        });
      }
    }

    const checkTest = (node: { test: Node | null }) => checkCondition(node.test);
    return {
      IfStatement: checkTest,
      WhileStatement: checkTest,
      DoWhileStatement: checkTest,
      ForStatement: checkTest,
      ConditionalExpression: checkTest,
      CallExpression(node: TSESTree.CallExpression) {
        if (isGlobalBooleanCall(node, sourceCode) && node.arguments[0]) checkCondition(node.arguments[0]);
      },
      // `!promise` outside a test reads its truth value too; inside a test, the test's check covers it.
      UnaryExpression(node: TSESTree.UnaryExpression) {
        if (node.operator === '!' && !isInTruthTest(node)) checkCondition(node.argument);
      },
    };
  },
});
