/**
 * return-await-in-try: `return promise` (not awaited) inside a `try` whose `catch` or `finally`
 * is there for that promise's failure: the rejection escapes the `catch`, and `finally` runs
 * before the work ends. `return await` is the same value with the handling in place: an autofix.
 */
import {
  awaitedBefore,
  awaitedText,
  awaitedCallElsewhere,
  callNeverRejects,
  catchGuardsModuleLoad,
  finallyLeavesReturnedCallAlone,
  callsEnclosingFunction,
  innermostFunction,
  RUN_CONTEXTS,
  whereCodeRunsFor,
  type AwaitedElsewhere,
  type WhereCodeRuns,
  isResolveOnlyPromise,
  checkedPromiseKind,
  skipTypeWrappers,
  tryEscapedByReturn,
  type PromiseKnowledge,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type SourceCode, type TSESTree } from '../src/languages/js/types.js';

const knowledge: PromiseKnowledge = DEFAULT_PROMISE_KNOWLEDGE;

/** A promise, or (outside tests, as floating-promise asks) a call this file awaits elsewhere. */
function promiseEvidence(
  node: TSESTree.Expression,
  sourceCode: SourceCode,
  file: string,
  where: WhereCodeRuns,
): 'promise' | AwaitedElsewhere | null {
  const kind = checkedPromiseKind(node, sourceCode, file, knowledge);
  if (kind === 'promise') return 'promise';
  const call = skipTypeWrappers(node);
  if (kind !== null || call.type !== 'CallExpression' || where.at(call).context === 'test') return null;
  return awaitedCallElsewhere(call, sourceCode);
}

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
    return {
      ReturnStatement(statement: TSESTree.ReturnStatement) {
        const returned = statement.argument;
        if (!returned || !innermostFunction(statement)?.async) return;
        const argument = skipTypeWrappers(returned);
        if (argument.type === 'AwaitExpression') return;
        const escaped = tryEscapedByReturn(statement);
        if (!escaped || awaitedBefore(argument, statement, sourceCode)) return;
        const file = context.physicalFilename;
        const evidence = promiseEvidence(returned, sourceCode, file, where);
        if (!evidence) return;
        // `return new Promise((resolve) => ...)` that never names `reject` cannot reject: with no
        // `finally` waiting on its work, nothing is escaped.
        if (!escaped.finally && argument.type === 'NewExpression' && isResolveOnlyPromise(argument, sourceCode)) return;
        // Nor can a call of a function that catches everything or has nothing that throws.
        if (
          !escaped.finally &&
          argument.type === 'CallExpression' &&
          callNeverRejects(argument, sourceCode, file, knowledge)
        )
          return;
        // A `try` around `await import(...)` whose catch falls back is there for the module's load.
        if (catchGuardsModuleLoad(statement, sourceCode)) return;
        // A recursive call runs the same try itself: its failures meet this catch and finally there.
        if (argument.type === 'CallExpression' && callsEnclosingFunction(argument, statement, sourceCode, file)) return;
        // Past a `finally` alone, waiting matters only if the `finally` releases what the work uses.
        if (argument.type === 'CallExpression' && finallyLeavesReturnedCallAlone(argument, statement, sourceCode, file))
          return;
        context.report({
          node: returned,
          messageId: evidence === 'promise' ? 'returnWithoutAwait' : 'returnWithoutAwaitElsewhere',
          data: evidence === 'promise' ? { handler: escaped.handler } : { handler: escaped.handler, ...evidence },
          fix: (fixer) => fixer.replaceText(returned, awaitedText(returned, sourceCode)),
        });
      },
    };
  },
});
