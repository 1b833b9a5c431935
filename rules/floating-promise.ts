/**
 * floating-promise: a promise that is neither awaited, returned, passed on nor given a rejection
 * handler. Syntactic by default (no tsconfig, no type checker: see src/languages/js/analysis/promises.ts);
 * exact with type information (`--project`, or `parserOptions.projectService` in ESLint).
 */
import {
  RUN_CONTEXTS,
  whereCodeRunsFor,
  floatingFailureIsReported,
  handlingVerdict,
  innermostFunction,
  isForgottenStoredPromise,
  promiseHandling,
  type KnownCall,
  type PromiseKnowledge,
  mayContainPromises,
  hasTypeInformation,
  DEFAULT_PROMISE_KNOWLEDGE,
  compiledOptions,
  awaitedElsewhereEvidence,
} from '../src/languages/js/analysis/index.js';
import {
  createRule,
  type Node,
  type RuleContext,
  type SourceCode,
  type SuggestionDescriptor,
  type TSESTree,
} from '../src/languages/js/types.js';
import { FLOATING_PROMISE_DEFAULTS, FLOATING_PROMISE_SCHEMA } from './shared/floating-promise-options.js';

type MessageIds =
  'floating' | 'floatingArray' | 'floatingAwaitedElsewhere' | 'storedFloating' | 'suggestAwait' | 'suggestVoid';
type Options = [
  {
    ignoreVoid: boolean;
    ignoreIIFE: boolean;
    checkThenables: boolean;
    promiseApis: { module: string; name: string }[];
    allowForKnownSafeCalls: KnownCall[];
    allowForKnownSafePromises: string[];
  },
];

/** One knowledge object per distinct list (the default one for none, shared with other rules): memos are kept per object. */
const knowledgeOf = compiledOptions((promiseApis: Options[0]['promiseApis'], key): PromiseKnowledge =>
  key === '[]'
    ? DEFAULT_PROMISE_KNOWLEDGE
    : { promiseApis: promiseApis.map((api) => ({ module: api.module.replace(/^node:/, ''), name: api.name })) },
);

function knowledgeFor(options: Options[0]): PromiseKnowledge {
  return knowledgeOf(options.promiseApis);
}

/** Operands that `await` or `void` would bind tighter than. */
const LOOSER_THAN_UNARY = new Set([
  'SequenceExpression',
  'AssignmentExpression',
  'ConditionalExpression',
  'LogicalExpression',
  'YieldExpression',
]);

/** `await` it (in an async function; `Promise.all` around an array), or mark it with `void`. */
function suggestionsFor(
  expression: TSESTree.Expression,
  verdict: 'floating' | 'floatingArray',
  sourceCode: SourceCode,
  ignoreVoid: boolean,
): SuggestionDescriptor<MessageIds>[] {
  const text = sourceCode.getText(expression);
  const operand = LOOSER_THAN_UNARY.has(expression.type) ? `(${text})` : text;
  const awaited = verdict === 'floatingArray' ? `Promise.all(${text})` : operand;
  const suggestions: SuggestionDescriptor<MessageIds>[] = [];
  if (innermostFunction(expression)?.async === true)
    suggestions.push({ messageId: 'suggestAwait', fix: (fixer) => fixer.replaceText(expression, `await ${awaited}`) });
  if (ignoreVoid && verdict === 'floating')
    suggestions.push({ messageId: 'suggestVoid', fix: (fixer) => fixer.replaceText(expression, `void ${operand}`) });
  return suggestions;
}

export default createRule<MessageIds, Options>({
  name: 'floating-promise',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report promises that are neither awaited, returned, passed on nor given a rejection handler, including ones stored in a variable and forgotten.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['@typescript-eslint/no-floating-promises'],
    },
    hasSuggestions: true,
    messages: {
      floating:
        'This promise is not awaited, returned or given a rejection handler: if it rejects, the failure is unhandled (which ends a Node process), and its work races the code after it. `await` it, return it, or add `.catch(...)`; mark deliberate fire-and-forget with `void`.',
      floatingAwaitedElsewhere:
        '`{{ callee }}(...)` returns a promise (line {{ line }} awaits the same call), but here it is not awaited, returned or given a rejection handler: if it rejects, the failure is unhandled, and its work races the code after it. `await` it, return it, or add `.catch(...)`; mark deliberate fire-and-forget with `void`.',
      floatingArray:
        'These promises are not awaited, returned or handled: failures are unhandled and their work races the code after it. `await Promise.all([...])` (or `Promise.allSettled`) them.',
      storedFloating:
        '`{{ name }}` holds a promise that is never awaited, returned, passed on or given a rejection handler in this function: its failure is unhandled and its work races the rest. `await` it where the result is needed, or add `.catch(...)`.',
      suggestAwait: 'Add `await`.',
      suggestVoid: 'Mark it as deliberately not awaited with `void`.',
    },
    schema: FLOATING_PROMISE_SCHEMA,
    defaultOptions: FLOATING_PROMISE_DEFAULTS,
  },
  // Without types, a file whose text shows no way to make a promise has nothing to report, and
  // the engine then skips its tree altogether. With types, any call may return one.
  shouldRun: (file) =>
    hasTypeInformation(file) ||
    mayContainPromises(file.sourceCode, file.physicalFilename, knowledgeFor(file.options[0])),
  create(context: RuleContext<MessageIds, Options>) {
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(RUN_CONTEXTS)) return {};
    const sourceCode = context.sourceCode;
    const options = context.options[0];
    const handling = promiseHandling(sourceCode, context.physicalFilename, knowledgeFor(options), options);
    // In test code only a use in the same test: tests await calls that return nothing
    // (`await redis.disconnect()`) and start work on purpose, and file-wide there 7 of 112 such
    // findings on the benchmark were worth fixing.
    const evidenceOutsideTests = (node: Node) =>
      awaitedElsewhereEvidence(node, handling, {
        stored: true,
        sameFunction: where.at(node).context === 'test',
      });
    return {
      ExpressionStatement(statement: TSESTree.ExpressionStatement) {
        if (statement.directive) return;
        let verdict = handlingVerdict(statement.expression, handling);
        const evidence = verdict === 'handled' ? evidenceOutsideTests(statement.expression) : null;
        if (evidence) verdict = 'floating';
        if (verdict === 'handled' || floatingFailureIsReported(statement, where, sourceCode, context.physicalFilename))
          return;
        // Only in tests: there the runner reports a rejection as a failure, so a comment that says
        // the wait is unwanted covers the whole call. Elsewhere it says nothing of the failure
        // (astro 4ea38e73: "Don't await this" above a chain whose rejection went unhandled).
        if (where.at(statement).context === 'test' && commentSaysNotToAwait(statement, sourceCode)) return;
        context.report({
          node: statement.expression,
          messageId: evidence ? 'floatingAwaitedElsewhere' : verdict,
          data: evidence ?? undefined,
          suggest: suggestionsFor(statement.expression, verdict, sourceCode, options.ignoreVoid),
        });
      },
      VariableDeclarator(declarator: TSESTree.VariableDeclarator) {
        if (
          !isForgottenStoredPromise(declarator, handling) ||
          floatingFailureIsReported(declarator, where, sourceCode, context.physicalFilename)
        )
          return;
        const name = (declarator.id as TSESTree.Identifier).name;
        context.report({ node: declarator.id, messageId: 'storedFloating', data: { name } });
      },
    };
  },
});

/** A comment that tells the reader not to await the call: `// do NOT await this, it never resolves`. */
const NOT_TO_AWAIT = /\b(?:do\s+not|don'?t|must\s+not|should\s+not|never|not)\s+await(?:ed|ing)?\b/i;

/**
 * Whether the statement's own line ends in a comment, or the line above it is a comment, that
 * says not to await it. The author has stated the fire-and-forget, as `void` would (kit's
 * `page.click(link); // do NOT await this, promise only resolves after successful navigation`).
 */
function commentSaysNotToAwait(statement: TSESTree.ExpressionStatement, sourceCode: SourceCode): boolean {
  const { start, end } = sourceCode.getLoc(statement);
  const rest = sourceCode.lines[end.line - 1]?.slice(end.column) ?? '';
  const trailing = rest.match(/^\s*\/\/(.*)$/)?.[1];
  if (trailing !== undefined && NOT_TO_AWAIT.test(trailing)) return true;
  const above = sourceCode.lines[start.line - 2]?.trim() ?? '';
  return above.startsWith('//') && NOT_TO_AWAIT.test(above);
}
