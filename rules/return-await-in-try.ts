/**
 * return-await-in-try: `return promise` (not awaited) inside a `try` whose `catch` or `finally`
 * is there for that promise's failure: the rejection escapes the `catch`, and `finally` runs
 * before the work ends. `return await` is the same value with the handling in place: an autofix.
 */
import {
  awaitedText,
  isResolveOnlyPromise,
  codeRuns,
  hasTypeInformation,
  innermostFunction,
  isPromiseExpression,
  skipTypeWrappers,
  thenableKind,
  variableOf,
  type PromiseKnowledge,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type Node, type TSESTree } from '../src/languages/js/types.js';

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
    const typed = hasTypeInformation(sourceCode);

    function isPromise(node: Node): boolean {
      if (typed) {
        const kind = thenableKind(sourceCode, node, false);
        if (kind !== 'unknown') return kind === 'promise';
      }
      return isPromiseExpression(node, sourceCode, context.physicalFilename, knowledge);
    }

    /** The try statement whose handling this return escapes: in its block (with catch or finally), or in its catch (with finally). */
    function escapedTry(statement: TSESTree.ReturnStatement): { handler: string; finally: boolean } | null {
      const fn = innermostFunction(statement);
      let child: Node = statement;
      for (
        let parent: Node | undefined = statement.parent;
        parent && parent !== fn;
        child = parent, parent = parent.parent
      ) {
        if (parent.type !== 'TryStatement') continue;
        if (child === parent.block && (parent.handler || parent.finalizer))
          return { handler: parent.handler ? 'catch' : 'finally', finally: parent.finalizer !== null };
        if (child === parent.handler && parent.finalizer) return { handler: 'finally', finally: true };
      }
      return null;
    }

    /** `await done; return done;`: the promise has settled, and returning it changes nothing. */
    function alreadySettled(argument: Node, statement: TSESTree.ReturnStatement): boolean {
      if (argument.type !== 'Identifier') return false;
      const variable = variableOf(sourceCode, argument);
      return (
        variable?.references.some((reference) => {
          const parent = reference.identifier.parent;
          return (
            parent?.type === 'AwaitExpression' &&
            reference.identifier.range[1] <= statement.range[0] &&
            innermostFunction(parent) === innermostFunction(statement)
          );
        }) ?? false
      );
    }

    return {
      ReturnStatement(statement: TSESTree.ReturnStatement) {
        if (!statement.argument || !innermostFunction(statement)?.async) return;
        const argument = skipTypeWrappers(statement.argument);
        if (argument.type === 'AwaitExpression') return;
        const escaped = escapedTry(statement);
        if (!escaped || alreadySettled(argument, statement) || !isPromise(statement.argument)) return;
        // `return new Promise((resolve) => ...)` that never names `reject` cannot reject: with no
        // `finally` waiting on its work, nothing is escaped.
        if (!escaped.finally && argument.type === 'NewExpression' && isResolveOnlyPromise(argument, sourceCode)) return;
        context.report({
          node: statement.argument,
          messageId: 'returnWithoutAwait',
          data: { handler: escaped.handler },
          fix: (fixer) => fixer.replaceText(statement.argument!, awaitedText(statement.argument!, sourceCode)),
        });
      },
    };
  },
});
