/**
 * sequential-await: `const a = await f(); const b = await g();` where `g(...)` does not use `a`:
 * the second operation could start at the same time as the first.
 *
 * Conservative on purpose (it is in `strict`): an await whose result is discarded, an operation
 * that changes state (`insert`, `save`, `send`, ...), and a call on an ordered resource (a
 * transaction, a lock, a connection) are ordering points that runs never cross. And it reports
 * only with positive evidence that the two are independent reads: one operation with two keys,
 * two methods of one receiver on the same inputs, or each on its own parameter (read-pairs.ts).
 */
import {
  awaitRuns,
  isNextStatement,
  type AwaitedDeclaration,
  compileCalleePatterns,
  compiledOptions,
  type CalleeMatcher,
  compileGlobList,
  isCallOnOrderedClass,
  usesConnectionInTransaction,
  isReadAfter,
  skipTypeWrappers,
  calleeChain,
  identifierWords,
  readPairEvidence,
  awaitsOnlyComputation,
  terminalUseOf,
  isPromiseCombinatorCall,
  silenceListenerOf,
  fileMayReport,
  whereCodeRunsFor,
} from '../src/languages/js/analysis/index.js';
import { createRule, type Node, type RuleFixer, type SourceCode, type TSESTree } from '../src/languages/js/types.js';
import {
  SEQUENTIAL_AWAIT_DEFAULTS,
  SEQUENTIAL_AWAIT_DOCS,
  SEQUENTIAL_AWAIT_SCHEMA,
  type SequentialAwaitOptions,
} from './shared/sequential-await-options.js';

type MessageIds = 'sequentialAwait' | 'suggestPromiseAll';
type Options = [SequentialAwaitOptions];

/** What orders two awaits, compiled once per distinct options. */
interface OrderingPolicy {
  isOrdered: CalleeMatcher;
  isOrderedClassName: (name: string) => boolean;
  stateChanging: ReadonlySet<string>;
}

const policyFor = compiledOptions((options: Options[0]): OrderingPolicy => ({
  isOrdered: compileCalleePatterns(options.orderedCallees),
  isOrderedClassName: compileGlobList(options.orderedClasses),
  stateChanging: new Set(options.stateChangingVerbs.map((verb) => verb.toLowerCase())),
}));

/** Why later code may depend on this await for its effect, not its value; null if it may not. */
function orderingPointReason(
  awaited: TSESTree.AwaitExpression,
  policy: OrderingPolicy,
  sourceCode: SourceCode,
): string | null {
  const operation = skipTypeWrappers(awaited.argument);
  if (operation.type !== 'CallExpression' && operation.type !== 'NewExpression') return 'not-a-call';
  if (policy.isOrdered(operation) || isCallOnOrderedClass(operation, policy.isOrderedClassName))
    return 'ordered-resource';
  if (usesConnectionInTransaction(operation, sourceCode)) return 'ordered-resource';
  const chain = calleeChain(operation.callee);
  const method = chain?.[chain.length - 1];
  if (!method) return 'unnamed-callee';
  if (identifierWords(method).some((word) => policy.stateChanging.has(word))) return 'changes-state';
  return identifierWords(method)[0] === 'then' ? 'then-chain' : null;
}

/** Why an awaited declaration cannot join a run of independent reads; null if it can. */
function excludedReason(candidate: AwaitedDeclaration, policy: OrderingPolicy, sourceCode: SourceCode): string | null {
  const ordering = orderingPointReason(candidate.awaitNode, policy, sourceCode);
  if (ordering !== null) return ordering;
  const read =
    candidate.variables.length > 0 &&
    candidate.variables.every((variable) => isReadAfter(variable, candidate.statement.range[1]));
  return read ? null : 'result-unread';
}

/** Why running a run's awaits together would gain nothing; null if it would. */
function nothingToOverlap(run: readonly AwaitedDeclaration[], sourceCode: SourceCode, file: string): string | null {
  // Two hashes or signatures computed in memory wait for no I/O: together they overlap nothing.
  if (run.every((member) => awaitsOnlyComputation(member.awaitNode.argument, sourceCode, file)))
    return 'in-memory-work';
  // Two `Promise.all` batches: each is concurrent already, and the code chose to wait for one
  // batch before it starts the next (as a loop over batches does, see await-in-loop).
  if (run.every((member) => isPromiseCombinatorCall(member.awaitNode.argument))) return 'batched';
  // Two questions to the user on one terminal must be asked one after the other.
  const prompts = run.filter((member) => terminalUseOf(member.awaitNode.argument, sourceCode, file) === 'prompt');
  if (prompts.length >= 2) return 'asks-user';
  return null;
}

/** Consecutive `const` declarations without type annotations: one `const [a, b] = await Promise.all(...)`. */
function isRewritable(run: readonly AwaitedDeclaration[]): boolean {
  const consecutive = run.every(
    (member, index) => index === 0 || isNextStatement(run[index - 1]!.statement, member.statement),
  );
  return (
    consecutive &&
    run.every(
      (member) =>
        member.statement.kind === 'const' && !(member.declarator.id as { typeAnnotation?: unknown }).typeAnnotation,
    )
  );
}

/** `const a = await f(); const b = await g();` becomes `const [a, b] = await Promise.all([f(), g()]);`. */
function promiseAllRewrite(run: readonly AwaitedDeclaration[], sourceCode: SourceCode) {
  return (fixer: RuleFixer) => {
    const names = run.map((member) => sourceCode.getText(member.declarator.id)).join(', ');
    const operations = run.map((member) => sourceCode.getText(member.awaitNode.argument)).join(', ');
    return fixer.replaceTextRange(
      [run[0]!.statement.range[0], run[run.length - 1]!.statement.range[1]],
      `const [${names}] = await Promise.all([${operations}]);`,
    );
  };
}

export default createRule<MessageIds, Options>({
  name: 'sequential-await',
  meta: {
    type: 'suggestion',
    docs: SEQUENTIAL_AWAIT_DOCS,
    hasSuggestions: true,
    messages: {
      sequentialAwait:
        'This await waits for `{{ previous }}` to finish first, although it does not use its result. Start both and `await Promise.all([...])` so the wait is the longest of them, not the sum.',
      suggestPromiseAll: 'Start these operations together with `await Promise.all([...])`.',
    },
    schema: SEQUENTIAL_AWAIT_SCHEMA,
    defaultOptions: SEQUENTIAL_AWAIT_DEFAULTS,
  },
  // Nothing to look for without an `await`: the engine then skips the file's tree altogether.
  shouldRun: (file) => /\bawait\b/.test(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    const { contexts } = context.options[0];
    const where = whereCodeRunsFor(context);
    // Tests ask why an await is silent (src/languages/js/analysis/silence.ts); a normal run has no listener.
    const onSilence = silenceListenerOf(context);
    if (!fileMayReport(where, contexts, sourceCode.ast, onSilence)) return {};
    const policy = policyFor(context.options[0]);
    const excluded = (candidate: AwaitedDeclaration) => excludedReason(candidate, policy, sourceCode);

    function reportRun(run: AwaitedDeclaration[]): void {
      const [first, second] = run;
      if (!where.reports(second!.awaitNode, contexts))
        return onSilence?.(second!.awaitNode, `runs-in-${where.at(second!.awaitNode).context}`);
      // Positive evidence that the two are independent reads (src/languages/js/analysis/read-pairs.ts).
      if (!readPairEvidence(first!.awaitNode.argument, second!.awaitNode.argument, sourceCode))
        return onSilence?.(second!.awaitNode, 'no-read-pair-evidence');
      const overlapsNothing = nothingToOverlap(run, sourceCode, context.physicalFilename);
      if (overlapsNothing !== null) return onSilence?.(second!.awaitNode, overlapsNothing);
      onSilence?.(second!.awaitNode, null);
      const rewritable = isRewritable(run);
      context.report({
        node: second!.awaitNode,
        loc: {
          start: sourceCode.getLoc(second!.awaitNode).start,
          end: sourceCode.getLocFromIndex(second!.awaitNode.range[0] + 'await'.length),
        },
        messageId: 'sequentialAwait',
        data: { previous: sourceCode.getText(first!.declarator.id) },
        suggest: rewritable ? [{ messageId: 'suggestPromiseAll', fix: promiseAllRewrite(run, sourceCode) }] : null,
      });
    }

    const checkStatements = (statements: readonly Node[]) => {
      for (const run of awaitRuns(statements, sourceCode, excluded, onSilence)) reportRun(run);
    };
    return {
      Program: (node: TSESTree.Program) => checkStatements(node.body),
      BlockStatement: (node: TSESTree.BlockStatement) => checkStatements(node.body),
      SwitchCase: (node: TSESTree.SwitchCase) => checkStatements(node.consequent),
    };
  },
});
