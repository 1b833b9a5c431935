/**
 * floating-promise: a promise that is neither awaited, returned, passed on nor given a rejection
 * handler. Syntactic by default (no tsconfig, no type checker: see src/languages/js/analysis/promises.ts);
 * exact with type information (`--project`, or `parserOptions.projectService` in ESLint).
 */
import {
  endsTestThroughDone,
  failureEndsScript,
  failureReachesTestRunner,
  isPromiseAssertion,
  isScriptTopLevel,
  RUN_CONTEXTS,
  whereCodeRunsFor,
  calleeChain,
  callNeverRejects,
  callOnlyWaits,
  isHandledChain,
  declaredVariables,
  innermostFunction,
  isFunctionNode,
  isPromiseExpression,
  promiseMethodOf,
  thenableKind,
  resolveModuleBinding,
  skipTypeWrappers,
  typeNameMatches,
  hasTypeInformation,
  type PromiseKnowledge,
  mayContainPromises,
  DEFAULT_PROMISE_KNOWLEDGE,
  compiledOptions,
  awaitedCallElsewhere,
  type AwaitedElsewhere,
} from '../src/languages/js/analysis/index.js';
import {
  createRule,
  type Node,
  type RuleContext,
  type RuleFixer,
  type SourceCode,
  type TSESTree,
} from '../src/languages/js/types.js';

type MessageIds =
  'floating' | 'floatingArray' | 'floatingAwaitedElsewhere' | 'storedFloating' | 'suggestAwait' | 'suggestVoid';
type SafeCall = string | { module: string; name: string | string[] };
type Options = [
  {
    ignoreVoid: boolean;
    ignoreIIFE: boolean;
    checkThenables: boolean;
    promiseApis: { module: string; name: string }[];
    allowForKnownSafeCalls: SafeCall[];
    allowForKnownSafePromises: string[];
  },
];

type Verdict = 'handled' | 'floating' | 'floatingArray';

/** One knowledge object per distinct list (the default one for none, shared with other rules): memos are kept per object. */
const knowledgeOf = compiledOptions((promiseApis: Options[0]['promiseApis'], key): PromiseKnowledge =>
  key === '[]'
    ? DEFAULT_PROMISE_KNOWLEDGE
    : { promiseApis: promiseApis.map((api) => ({ module: api.module.replace(/^node:/, ''), name: api.name })) },
);

function knowledgeFor(options: Options[0]): PromiseKnowledge {
  return knowledgeOf(options.promiseApis);
}

/** A rejection handler that handles something: not `undefined`, `null` or `void 0`. */
function isRealHandler(node: Node | undefined): boolean {
  if (!node || node.type === 'SpreadElement') return false;
  const expression = skipTypeWrappers(node);
  if (expression.type === 'Identifier' && expression.name === 'undefined') return false;
  if (expression.type === 'Literal' && expression.value === null) return false;
  if (expression.type === 'UnaryExpression' && expression.operator === 'void') return false;
  return true;
}

function unwrap(node: Node): Node {
  let current = skipTypeWrappers(node);
  while (current.type === 'ChainExpression') current = skipTypeWrappers(current.expression);
  return current;
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
      floatingArray:
        'These promises are not awaited, returned or handled: failures are unhandled and their work races the code after it. `await Promise.all([...])` (or `Promise.allSettled`) them.',
      floatingAwaitedElsewhere:
        '`{{ callee }}(...)` returns a promise (line {{ line }} awaits the same call), but here it is not awaited, returned or given a rejection handler: if it rejects, the failure is unhandled, and its work races the code after it. `await` it, return it, or add `.catch(...)`; mark deliberate fire-and-forget with `void`.',
      storedFloating:
        '`{{ name }}` holds a promise that is never awaited, returned, passed on or given a rejection handler in this function: its failure is unhandled and its work races the rest. `await` it where the result is needed, or add `.catch(...)`.',
      suggestAwait: 'Add `await`.',
      suggestVoid: 'Mark it as deliberately not awaited with `void`.',
    },
    schema: [
      {
        type: 'object',
        description: 'What counts as handled, and which promises are known.',
        properties: {
          ignoreVoid: {
            type: 'boolean',
            description: 'Whether `void promise` marks a promise as deliberately not awaited (default true).',
          },
          ignoreIIFE: {
            type: 'boolean',
            description:
              'Whether to ignore immediately invoked async functions, `(async () => { ... })();` (default false).',
          },
          checkThenables: {
            type: 'boolean',
            description:
              'Type-aware mode: whether any object with a callable `then` counts, not only `Promise` (default false).',
          },
          promiseApis: {
            type: 'array',
            description:
              'Your own libraries\' promise-returning exports, for syntactic mode: `{ "module": "my-db", "name": "query" }` (`*` for every export).',
            items: {
              type: 'object',
              properties: {
                module: { type: 'string', description: 'The module specifier, as imported.' },
                name: { type: 'string', description: 'The export name, or `*`.' },
              },
              required: ['module', 'name'],
              additionalProperties: false,
            },
          },
          allowForKnownSafeCalls: {
            type: 'array',
            description:
              'Calls whose promise may float: a callee name (`it`, `queue.add`) or `{ "module": "node:test", "name": ["it", "describe"] }`.',
            items: {
              anyOf: [
                { type: 'string' },
                {
                  type: 'object',
                  properties: {
                    module: { type: 'string', description: 'The module the function is imported from.' },
                    name: {
                      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
                      description: 'The export name or names.',
                    },
                  },
                  required: ['module', 'name'],
                  additionalProperties: false,
                },
              ],
            },
          },
          allowForKnownSafePromises: {
            type: 'array',
            items: { type: 'string' },
            description:
              'Type-aware mode: names of promise-like types that may float (for example a `SafePromise` that handles its own rejections).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [
      {
        ignoreVoid: true,
        ignoreIIFE: false,
        checkThenables: false,
        promiseApis: [],
        allowForKnownSafeCalls: [],
        allowForKnownSafePromises: [],
      },
    ],
  },
  // Without types, a file whose text shows no way to make a promise has nothing to report, and
  // the engine then skips its tree altogether. With types, any call may return one.
  shouldRun: (file) =>
    hasTypeInformation(file) ||
    mayContainPromises(file.sourceCode, file.physicalFilename, knowledgeFor(file.options[0])),
  create(context: RuleContext<MessageIds, Options>) {
    const sourceCode: SourceCode = context.sourceCode;
    const options = context.options[0];
    const knowledge = knowledgeFor(options);
    const file = context.physicalFilename;
    const typed = hasTypeInformation(sourceCode);
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(RUN_CONTEXTS)) return {};

    /**
     * Where a floating promise's failure is not lost: at the top of a script (Node ends the process
     * with the error, as the script wants), and in sync test code that nothing waits on (the
     * runner reports the rejection; see `failureReachesTestRunner`).
     */
    function failureIsReported(statement: Node): boolean {
      if (isScriptTopLevel(statement, where)) return true;
      if (failureEndsScript(statement, where, sourceCode)) return true;
      // A floating assertion about a promise is never checked, whatever reports the test's failures.
      const expression = statement.type === 'ExpressionStatement' ? unwrap(statement.expression) : null;
      if (expression?.type === 'CallExpression' && isPromiseAssertion(expression, sourceCode)) return false;
      if (where.at(statement).context !== 'test') return false;
      return failureReachesTestRunner(statement, sourceCode) || endsTestThroughDone(statement, sourceCode);
    }

    function isSafeCall(expression: Node): boolean {
      if (expression.type !== 'CallExpression' || options.allowForKnownSafeCalls.length === 0) return false;
      const chain = calleeChain(expression.callee)?.join('.');
      const binding = resolveModuleBinding(sourceCode, expression.callee);
      return options.allowForKnownSafeCalls.some((entry) => {
        if (typeof entry === 'string') return chain === entry || chain?.endsWith(`.${entry}`) === true;
        const names = Array.isArray(entry.name) ? entry.name : [entry.name];
        return (
          binding !== null &&
          binding.module === entry.module.replace(/^node:/, '') &&
          names.includes(binding.path.join('.') || 'default')
        );
      });
    }

    /**
     * With types, the checker decides and refutes syntactic guesses; where it knows nothing (`any`,
     * an untyped library), the syntactic knowledge still answers.
     */
    function promiseKind(node: Node): 'promise' | 'array' | null {
      if (typed) {
        if (typeNameMatches(sourceCode, node, options.allowForKnownSafePromises)) return null;
        const kind = thenableKind(sourceCode, node, options.checkThenables);
        if (kind !== 'unknown') return kind;
      }
      return isPromiseExpression(node, sourceCode, file, knowledge) ? 'promise' : null;
    }

    function isPromise(node: Node): boolean {
      return promiseKind(node) === 'promise';
    }

    function verdict(node: Node): Verdict {
      const expression = unwrap(node);
      if (expression.type === 'UnaryExpression' && expression.operator === 'void')
        return options.ignoreVoid ? 'handled' : verdict(expression.argument);
      if (
        expression.type === 'AwaitExpression' ||
        expression.type === 'AssignmentExpression' ||
        expression.type === 'YieldExpression'
      )
        return 'handled';
      if (expression.type === 'ConditionalExpression') {
        const branches = [verdict(expression.consequent), verdict(expression.alternate)];
        return branches.find((branch) => branch !== 'handled') ?? 'handled';
      }
      if (expression.type === 'LogicalExpression') return verdict(expression.right);
      if (expression.type === 'SequenceExpression')
        return expression.expressions.map(verdict).find((branch) => branch !== 'handled') ?? 'handled';
      if (expression.type === 'ArrayExpression')
        return expression.elements.some(
          (element) => element != null && element.type !== 'SpreadElement' && isPromise(element),
        )
          ? 'floatingArray'
          : 'handled';
      if (isSafeCall(expression)) return 'handled';
      if (expression.type === 'CallExpression') {
        if (options.ignoreIIFE && isFunctionNode(skipTypeWrappers(expression.callee))) return 'handled';
        const method = promiseMethodOf(expression);
        if (method === 'catch' && isRealHandler(expression.arguments[0])) return 'handled';
        if (method === 'then' && isRealHandler(expression.arguments[1])) return 'handled';
        // A promise that cannot reject, followed by sync callbacks, cannot reject either.
        if ((method === 'then' || method === 'finally') && isHandledChain(expression, sourceCode, file, knowledge))
          return 'handled';
        if (method === 'finally' || method === 'then' || method === 'catch') {
          // The chain floats unless what it was built on is handled; `.finally` passes a rejection on.
          const callee = unwrap(expression.callee) as TSESTree.MemberExpression;
          if (method === 'finally' && verdict(callee.object) === 'handled' && isPromise(callee.object))
            return 'handled';
          return isPromise(expression) || isPromise(callee.object) ? 'floating' : 'handled';
        }
      }
      const kind = promiseKind(expression);
      // A promise that cannot reject loses no failure; its caller chose not to wait for it.
      if (
        kind === 'promise' &&
        expression.type === 'CallExpression' &&
        callNeverRejects(expression, sourceCode, file, knowledge) &&
        !callOnlyWaits(expression, sourceCode, file)
      )
        return 'handled';
      return kind === 'promise' ? 'floating' : kind === 'array' ? 'floatingArray' : 'handled';
    }

    /**
     * A call nothing else shows to be a promise, which this file awaits elsewhere: the author's
     * own `await` is the evidence (see awaited-elsewhere.ts). With types, the checker decides.
     * Not in test code: tests await calls that return nothing (`await redis.disconnect()`), start
     * work on purpose and let the runner report its failure; there the evidence was worth acting
     * on in 2 of 112 findings on the benchmark, against most of them outside tests.
     */
    function awaitedElsewhere(node: Node): AwaitedElsewhere | null {
      const expression = unwrap(node);
      if (where.at(node).context === 'test') return null;
      if (expression.type !== 'CallExpression' || promiseMethodOf(expression)) return null;
      if (isSafeCall(expression) || promiseKind(expression) !== null) return null;
      if (typed && thenableKind(sourceCode, expression, options.checkThenables) !== 'unknown') return null;
      // A callee this file can read, which catches everything itself, loses no failure.
      if (callNeverRejects(expression, sourceCode, file, knowledge)) return null;
      return awaitedCallElsewhere(expression, sourceCode);
    }

    /** Whether a read of a stored promise hands it on: awaited, returned, passed, chained, stored elsewhere. */
    function handsOn(identifier: Node): boolean {
      let child: Node = identifier;
      let parent = identifier.parent;
      while (
        parent &&
        (parent.type === 'ConditionalExpression' ||
          parent.type === 'LogicalExpression' ||
          parent.type === 'TSAsExpression' ||
          parent.type === 'TSNonNullExpression' ||
          parent.type === 'ChainExpression' ||
          parent.type === 'TSSatisfiesExpression')
      ) {
        if (parent.type === 'ConditionalExpression' && parent.test === child) return false;
        child = parent;
        parent = parent.parent;
      }
      if (!parent) return false;
      switch (parent.type) {
        case 'AwaitExpression':
        case 'ReturnStatement':
        case 'YieldExpression':
        case 'SpreadElement':
        case 'ArrayExpression':
        case 'Property':
        case 'ExportSpecifier':
        case 'JSXExpressionContainer':
        case 'VariableDeclarator':
          return true;
        case 'ArrowFunctionExpression':
          return parent.body === child;
        case 'CallExpression':
        case 'NewExpression':
          return parent.arguments.includes(child as TSESTree.CallExpressionArgument);
        case 'AssignmentExpression':
          return parent.right === child;
        case 'MemberExpression':
          return (
            parent.object === child &&
            !parent.computed &&
            parent.property.type === 'Identifier' &&
            ['then', 'catch', 'finally'].includes(parent.property.name)
          );
        default:
          return false;
      }
    }

    return {
      ExpressionStatement(statement: TSESTree.ExpressionStatement) {
        if (statement.directive) return;
        let result = verdict(statement.expression);
        const evidence = result === 'handled' ? awaitedElsewhere(statement.expression) : null;
        if (evidence) result = 'floating';
        if (result === 'handled' || failureIsReported(statement)) return;
        const expression = statement.expression;
        const inAsyncFunction = innermostFunction(statement)?.async === true;
        const text = sourceCode.getText(expression);
        const needsParentheses =
          expression.type === 'SequenceExpression' ||
          expression.type === 'AssignmentExpression' ||
          expression.type === 'ConditionalExpression' ||
          expression.type === 'LogicalExpression' ||
          expression.type === 'YieldExpression';
        const operand = needsParentheses ? `(${text})` : text;
        context.report({
          node: expression,
          messageId: evidence ? 'floatingAwaitedElsewhere' : result === 'floatingArray' ? 'floatingArray' : 'floating',
          data: evidence ?? undefined,
          suggest: [
            ...(inAsyncFunction
              ? [
                  {
                    messageId: 'suggestAwait' as const,
                    fix: (fixer: RuleFixer) =>
                      fixer.replaceText(
                        expression,
                        `await ${result === 'floatingArray' ? `Promise.all(${text})` : operand}`,
                      ),
                  },
                ]
              : []),
            ...(options.ignoreVoid && result === 'floating'
              ? [
                  {
                    messageId: 'suggestVoid' as const,
                    fix: (fixer: RuleFixer) => fixer.replaceText(expression, `void ${operand}`),
                  },
                ]
              : []),
          ],
        });
      },
      VariableDeclarator(declarator: TSESTree.VariableDeclarator) {
        if (declarator.id.type !== 'Identifier' || !declarator.init) return;
        if (!innermostFunction(declarator)) return;
        const parent = declarator.parent;
        if (
          parent?.type === 'VariableDeclaration' &&
          (parent.parent?.type === 'ForOfStatement' || parent.parent?.type === 'ForInStatement')
        )
          return;
        // The cheap question first: most variables are handed on somewhere, and then the type does not matter.
        const variable = declaredVariables(sourceCode, declarator)[0];
        if (!variable) return;
        const reads = variable.references.filter((reference) => reference.identifier !== declarator.id);
        if (reads.some((reference) => handsOn(reference.identifier as Node))) return;
        const init = unwrap(declarator.init);
        if (
          init.type === 'CallExpression' &&
          (promiseMethodOf(init) === 'catch'
            ? isRealHandler(init.arguments[0])
            : promiseMethodOf(init) === 'then' && isRealHandler(init.arguments[1]))
        )
          return;
        if (!isPromise(declarator.init) || failureIsReported(declarator)) return;
        context.report({ node: declarator.id, messageId: 'storedFloating', data: { name: declarator.id.name } });
      },
    };
  },
});
