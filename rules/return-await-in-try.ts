/**
 * return-await-in-try: `return promise` (not awaited) inside a `try` whose `catch` or `finally`
 * is there for that promise's failure: the rejection escapes the `catch`, and `finally` runs
 * before the work ends. `return await` is the same value with the handling in place: an autofix.
 */
import {
  isResolveOnlyPromise,
  awaitedCallElsewhere,
  hasTypeInformation,
  whereCodeRunsFor,
  RUN_CONTEXTS,
  innermostFunction,
  isPromiseExpression,
  skipTypeWrappers,
  thenableKind,
  variableOf,
  type PromiseKnowledge,
  type AwaitedElsewhere,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type Node, type TSESTree } from '../src/languages/js/types.js';

const knowledge: PromiseKnowledge = DEFAULT_PROMISE_KNOWLEDGE;

/** Operands that need parentheses after `await` (which binds tighter than they do). */
const LOOSER_THAN_AWAIT = new Set([
  'ConditionalExpression',
  'SequenceExpression',
  'AssignmentExpression',
  'LogicalExpression',
  'BinaryExpression',
  'ArrowFunctionExpression',
  'YieldExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
]);

export default createRule<'returnWithoutAwait' | 'returnWithoutAwaitElsewhere', []>({
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
      returnWithoutAwaitElsewhere:
        '`{{ callee }}(...)` returns a promise (line {{ line }} awaits the same call), and it is returned without `await` from inside `try`: if it rejects, the rejection escapes the `{{ handler }}`, and `finally` runs before the work ends. Write `return await ...`.',
    },
    schema: [],
  },
  // Only async functions are looked at: without one, the engine skips the file's tree altogether.
  shouldRun: (file) => /\basync\b/.test(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(RUN_CONTEXTS)) return {};
    const typed = hasTypeInformation(sourceCode);

    /** A promise, or (outside tests, as floating-promise asks) a call this file awaits elsewhere. */
    function promiseEvidence(node: Node): 'promise' | AwaitedElsewhere | null {
      if (typed) {
        const kind = thenableKind(sourceCode, node, false);
        if (kind !== 'unknown') return kind === 'promise' ? 'promise' : null;
      }
      if (isPromiseExpression(node, sourceCode, context.physicalFilename, knowledge)) return 'promise';
      const call = skipTypeWrappers(node);
      if (call.type !== 'CallExpression' || where.at(call).context === 'test') return null;
      return awaitedCallElsewhere(call, sourceCode);
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
        if (!escaped || alreadySettled(argument, statement)) return;
        const evidence = promiseEvidence(statement.argument);
        if (!evidence) return;
        // `return new Promise((resolve) => ...)` that never names `reject` cannot reject: with no
        // `finally` waiting on its work, nothing is escaped.
        if (!escaped.finally && argument.type === 'NewExpression' && isResolveOnlyPromise(argument, sourceCode)) return;
        const text = sourceCode.getText(statement.argument);
        const operand = LOOSER_THAN_AWAIT.has(statement.argument.type) ? `(${text})` : text;
        context.report({
          node: statement.argument,
          messageId: evidence === 'promise' ? 'returnWithoutAwait' : 'returnWithoutAwaitElsewhere',
          data: evidence === 'promise' ? { handler: escaped.handler } : { handler: escaped.handler, ...evidence },
          fix: (fixer) => fixer.replaceText(statement.argument!, `await ${operand}`),
        });
      },
    };
  },
});
