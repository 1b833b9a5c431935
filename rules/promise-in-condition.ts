/**
 * promise-in-condition: a promise where a truth value is read (`if (isAdmin(user))` with an async
 * `isAdmin`): a promise object is always truthy, so the test is always true.
 */
import {
  codeRuns,
  alwaysThenable,
  hasTypeInformation,
  innermostFunction,
  isGlobalReference,
  isPromiseExpression,
  mayContainPromises,
  skipTypeWrappers,
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
    const typed = hasTypeInformation(sourceCode);
    if (!codeRuns(context)) return {};

    /**
     * Always a promise. The checker judges calls, `new` and `import()`: a read of a variable or
     * field (`if (this.pending)`) is usually a presence check, and without strictNullChecks the
     * checker cannot see its `| undefined`; such reads get the syntactic answer (a `const`
     * initialised with a promise).
     */
    function isPromise(node: Node): boolean {
      const expression = skipTypeWrappers(node);
      const producesValue =
        expression.type === 'CallExpression' ||
        expression.type === 'NewExpression' ||
        expression.type === 'ImportExpression' ||
        expression.type === 'ChainExpression';
      if (typed && producesValue) {
        const always = alwaysThenable(sourceCode, node);
        if (always !== 'unknown' && always !== null) return always;
      }
      return isPromiseExpression(node, sourceCode, context.physicalFilename, knowledge);
    }

    /** Checks a node whose truth value is read, and the operands of `!`, `&&`, `||`, `??` within it. */
    function checkCondition(node: Node | null | undefined): void {
      if (!node) return;
      const expression = skipTypeWrappers(node);
      if (expression.type === 'UnaryExpression' && expression.operator === '!')
        return checkCondition(expression.argument);
      if (expression.type === 'LogicalExpression') {
        checkCondition(expression.left);
        if (expression.operator !== '??') checkCondition(expression.right);
        return;
      }
      if (!isPromise(expression)) return;
      const inAsync = innermostFunction(expression)?.async === true;
      context.report({
        node: expression,
        messageId: 'promiseInCondition',
        suggest: inAsync
          ? [
              {
                messageId: 'suggestAwait',
                fix: (fixer) => fixer.replaceText(expression, `(await ${sourceCode.getText(expression)})`),
              },
            ]
          : null,
      });
    }

    return {
      IfStatement: (node: TSESTree.IfStatement) => checkCondition(node.test),
      WhileStatement: (node: TSESTree.WhileStatement) => checkCondition(node.test),
      DoWhileStatement: (node: TSESTree.DoWhileStatement) => checkCondition(node.test),
      ForStatement: (node: TSESTree.ForStatement) => checkCondition(node.test),
      ConditionalExpression: (node: TSESTree.ConditionalExpression) => checkCondition(node.test),
      CallExpression(node: TSESTree.CallExpression) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'Boolean' &&
          isGlobalReference(sourceCode, node.callee) &&
          node.arguments[0]
        )
          checkCondition(node.arguments[0]);
      },
      UnaryExpression(node: TSESTree.UnaryExpression) {
        // `!promise` outside a test reads its truth value too; inside a test, checkCondition covers it.
        if (node.operator !== '!' || isInTest(node)) return;
        checkCondition(node.argument);
      },
    };

    function isInTest(node: Node): boolean {
      let child: Node = node;
      for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
        if (parent.type === 'UnaryExpression' && parent.operator === '!') continue;
        if (
          parent.type === 'LogicalExpression' ||
          parent.type === 'TSAsExpression' ||
          parent.type === 'TSNonNullExpression'
        )
          continue;
        if (
          (parent.type === 'IfStatement' ||
            parent.type === 'WhileStatement' ||
            parent.type === 'DoWhileStatement' ||
            parent.type === 'ForStatement' ||
            parent.type === 'ConditionalExpression') &&
          (parent as { test?: Node | null }).test === child
        )
          return true;
        if (parent.type === 'CallExpression' && parent.callee.type === 'Identifier' && parent.callee.name === 'Boolean')
          return true;
        return false;
      }
      return false;
    }
  },
});
