/**
 * await-in-loop: an `await` that runs once per iteration of a loop whose iterations do not
 * depend on each other, so the loop takes the sum of the waits instead of the longest one.
 *
 * Unlike ESLint's `no-await-in-loop`, loops that are sequential on purpose stay silent: see
 * `sequentialReason` in src/languages/js/analysis/loops.ts (carried dependencies, exits on awaited values,
 * paced loops, ordered resources, lists of functions called in turn). One finding per loop.
 */
import {
  compiledOptions,
  awaitStartsWork,
  nothingToOverlapReason,
  compileCalleePatterns,
  compileGlobList,
  compileNameList,
  compileWordList,
  repeatingLoopOf,
  sequentialReason,
  loopIndependence,
  whereCodeRunsFor,
  silenceListenerOf,
  fileMayReport,
  nobodyWaitsForLoop,
  skipTypeWrappers,
  variableOf,
  type LoopNode,
  type LoopPolicy,
} from '../src/languages/js/analysis/index.js';
import { createRule, type Node, type RuleFixer, type SourceCode, type TSESTree } from '../src/languages/js/types.js';
import {
  AWAIT_IN_LOOP_DEFAULTS,
  AWAIT_IN_LOOP_DOCS,
  AWAIT_IN_LOOP_SCHEMA,
  isOperationPattern,
  type AwaitInLoopOptions,
} from './shared/await-in-loop-options.js';
export {
  DEFAULT_DELAY_FUNCTIONS,
  DEFAULT_ORDERED_CALLEES,
  DEFAULT_ORDERED_CLASSES,
  DEFAULT_ORDERED_COLLECTIONS,
} from './shared/await-in-loop-options.js';

type MessageIds = 'awaitInLoop' | 'suggestPromiseAll';
type Options = [AwaitInLoopOptions];

/** One policy per distinct options value: analysis memos are kept per policy object. */
const policyFor = compiledOptions((options: Options[0], key): LoopPolicy => ({
  id: key,
  isDelayName: compileNameList(options.delayFunctions),
  isOrderedCallee: compileCalleePatterns(options.orderedCallees),
  isOrderedOperation: compileCalleePatterns(options.orderedCallees.filter(isOperationPattern)),
  isOrderedCollectionName: compileWordList(options.orderedCollections),
  isOrderedClassName: compileGlobList(options.orderedClasses),
}));

/** The `await` keyword itself: the smallest span that says what is wrong. */
function awaitKeywordLocation(node: TSESTree.AwaitExpression | TSESTree.ForOfStatement, sourceCode: SourceCode) {
  const start =
    node.type === 'AwaitExpression'
      ? node.range[0]
      : node.range[0] + sourceCode.text.slice(node.range[0], node.range[1]).search(/\bawait\b/);
  return { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(start + 'await'.length) };
}

/**
 * `for (const x of xs) { out.push(await f(x)); }` becomes
 * `out.push(...(await Promise.all(xs.map((x) => f(x)))));`: same results, same order, when the
 * body is exactly that one push and `f(x)` reads neither `out` nor anything the loop changes.
 */
function promiseAllRewrite(
  loop: LoopNode,
  awaitNode: Node,
  sourceCode: SourceCode,
): ((fixer: RuleFixer) => ReturnType<RuleFixer['replaceText']>) | null {
  if (loop.type !== 'ForOfStatement' || loop.await) return null;
  if (loop.left.type !== 'VariableDeclaration' || loop.left.declarations.length !== 1) return null;
  const element = loop.left.declarations[0]!.id;
  if (element.type !== 'Identifier' || element.typeAnnotation) return null;
  const statements = loop.body.type === 'BlockStatement' ? loop.body.body : [loop.body];
  const statement = statements[0];
  if (statements.length !== 1 || statement?.type !== 'ExpressionStatement') return null;
  const push = statement.expression;
  if (push.type !== 'CallExpression' || push.arguments.length !== 1 || push.arguments[0] !== awaitNode) return null;
  if (
    push.callee.type !== 'MemberExpression' ||
    push.callee.computed ||
    push.callee.property.type !== 'Identifier' ||
    push.callee.property.name !== 'push'
  )
    return null;
  const target = push.callee.object;
  if (target.type !== 'Identifier') return null;
  const operation = (awaitNode as TSESTree.AwaitExpression).argument;
  const operationText = sourceCode.getText(operation);
  if (/\b(await|yield)\b/.test(operationText)) return null;
  const targetVariable = variableOf(sourceCode, target);
  let readsTarget = false;
  for (const reference of targetVariable?.references ?? [])
    if (reference.identifier.range[0] >= operation.range[0] && reference.identifier.range[1] <= operation.range[1])
      readsTarget = true;
  if (readsTarget || !targetVariable) return null;
  const iterable = skipTypeWrappers(loop.right);
  const iterableText = sourceCode.getText(loop.right);
  const mapper = `(${element.name}) => ${operation.type === 'ObjectExpression' ? `(${operationText})` : operationText}`;
  const startAll =
    iterable.type === 'ArrayExpression' || isDeclaredArray(iterable, sourceCode)
      ? `${wrapIfNeeded(iterable, iterableText)}.map(${mapper})`
      : `Array.from(${iterableText}, ${mapper})`;
  const replacement = `${target.name}.push(...(await Promise.all(${startAll})));`;
  return (fixer) => fixer.replaceText(loop, replacement);
}

function wrapIfNeeded(node: Node, text: string): string {
  return node.type === 'Identifier' ||
    node.type === 'MemberExpression' ||
    node.type === 'ArrayExpression' ||
    node.type === 'CallExpression'
    ? text
    : `(${text})`;
}

/** `const xs = [...]` or `xs: T[]`: an array for sure, so `.map` is the same iteration as `for...of`. */
function isDeclaredArray(node: Node, sourceCode: SourceCode): boolean {
  if (node.type !== 'Identifier') return false;
  const definition = variableOf(sourceCode, node)?.defs[0];
  if (!definition) return false;
  const name = definition.name as TSESTree.Identifier;
  const annotation = name.typeAnnotation?.typeAnnotation;
  if (
    annotation &&
    (annotation.type === 'TSArrayType' ||
      (annotation.type === 'TSTypeReference' &&
        annotation.typeName.type === 'Identifier' &&
        /^(ReadonlyArray|Array)$/.test(annotation.typeName.name)))
  )
    return true;
  return (
    definition.type === 'Variable' &&
    definition.node.type === 'VariableDeclarator' &&
    definition.node.init?.type === 'ArrayExpression' &&
    definition.parent?.type === 'VariableDeclaration' &&
    definition.parent.kind === 'const'
  );
}

/** Why a loop the rule would report in this code stays silent, asked in order of cost; null if it reports. */
function loopSilenceReason(
  node: TSESTree.AwaitExpression | TSESTree.ForOfStatement,
  loop: LoopNode,
  sourceCode: SourceCode,
  policy: LoopPolicy,
  file: string,
): string | null {
  return (
    sequentialReason(loop, sourceCode, policy, file) ??
    // An await with nothing to overlap is passed over: the loop is reported at another, if any.
    nothingToOverlapReason(node, sourceCode, file) ??
    // Asked last, of loops about to be reported: it may walk the importers of the function.
    (nobodyWaitsForLoop(loop, sourceCode, file) ? 'nobody-waits' : null)
  );
}

export default createRule<MessageIds, Options>({
  name: 'await-in-loop',
  meta: {
    type: 'suggestion',
    docs: { ...AWAIT_IN_LOOP_DOCS, upstream: ['no-await-in-loop'] },
    hasSuggestions: true,
    messages: {
      awaitInLoop:
        'Each iteration waits for the previous one, although each works on its own `{{ element }}` and shares no session or state with the others, so the loop takes the sum of the waits. Start all the operations, then `await Promise.all(...)` (`Promise.allSettled` if one failure must not stop the rest; a bounded pool for large collections).',
      suggestPromiseAll: 'Start all the operations at once and `await Promise.all(...)` (results keep their order).',
    },
    schema: AWAIT_IN_LOOP_SCHEMA,
    defaultOptions: AWAIT_IN_LOOP_DEFAULTS,
  },
  // Nothing to look for without an `await`: the engine then skips the file's tree altogether.
  shouldRun: (file) => /\bawait\b/.test(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    const { contexts } = context.options[0];
    const where = whereCodeRunsFor(context);
    // Tests ask why a loop is silent (src/languages/js/analysis/silence.ts); a normal run has no listener.
    const onSilence = silenceListenerOf(context);
    if (!fileMayReport(where, contexts, sourceCode.ast, onSilence)) return {};
    const policy = policyFor(context.options[0]);
    const reportedLoops = new WeakSet<LoopNode>();

    /** Why the rule says nothing about `loop` for this await, in the order the rule asks; null if it reports. */
    function silenceReason(node: TSESTree.AwaitExpression | TSESTree.ForOfStatement, loop: LoopNode): string | null {
      if (!where.reports(loop, contexts)) return `runs-in-${where.at(loop).context}`;
      // Awaiting a promise that is already running (`await pending.promise`) starts nothing new.
      if (node.type === 'AwaitExpression' && !awaitStartsWork(node, loop, sourceCode)) return 'awaits-running-work';
      return loopSilenceReason(node, loop, sourceCode, policy, context.physicalFilename);
    }

    function check(node: TSESTree.AwaitExpression | TSESTree.ForOfStatement): void {
      const loop = repeatingLoopOf(node);
      if (!loop || reportedLoops.has(loop)) return;
      const silence = silenceReason(node, loop);
      onSilence?.(loop, silence);
      if (silence !== null) return;
      const independence = loopIndependence(loop, [node.type === 'AwaitExpression' ? node.argument : node], sourceCode);
      reportedLoops.add(loop);
      const rewrite = node.type === 'AwaitExpression' ? promiseAllRewrite(loop, node, sourceCode) : null;
      context.report({
        node,
        loc: awaitKeywordLocation(node, sourceCode),
        messageId: 'awaitInLoop',
        data: { element: independence.independent ? independence.element : 'element' },
        suggest: rewrite ? [{ messageId: 'suggestPromiseAll', fix: rewrite }] : null,
      });
    }

    return {
      AwaitExpression: check,
      ForOfStatement(node: TSESTree.ForOfStatement) {
        if (node.await) check(node);
      },
    };
  },
});
