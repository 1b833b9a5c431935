/**
 * async-callback: an async (or promise-returning) function passed where the caller ignores or
 * misreads what it returns: `forEach`, predicates (`filter`, `some`, `find`, ...), `sort`
 * comparators, `reduce` without awaiting the accumulator, and event listeners and timers.
 */
import {
  failureEndsScript,
  runtimeOf,
  awaitsNothing,
  isFunctionNode,
  RUN_CONTEXTS,
  whereCodeRunsFor,
  expectedCallbackReturn,
  forEachDescendant,
  functionNeverRejects,
  handlesItsOwnErrors,
  hasTypeInformation,
  isGlobalReference,
  mayContainPromises,
  promiseReturningCallback,
  type FunctionNode,
  type PromiseKnowledge,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type SourceCode, type TSESTree } from '../src/languages/js/types.js';

type MessageIds =
  'forEach' | 'predicate' | 'comparator' | 'reduce' | 'listener' | 'typedReturnVoid' | 'typedReturnBoolean';
type Options = [{ checkListeners: boolean }];

const knowledge: PromiseKnowledge = DEFAULT_PROMISE_KNOWLEDGE;

const PREDICATE_METHODS = new Set(['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
const LISTENER_METHODS = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'addEventListener',
]);
const TIMER_FUNCTIONS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);

function methodName(call: TSESTree.CallExpression): string | null {
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier'
    ? callee.property.name
    : null;
}

/**
 * `reduce(async (acc, x) => { const total = await acc; ... })` waits for the previous step, and
 * `reduce((chain, step) => chain.then(step), start)` chains onto it: both use the accumulator's result.
 */
function waitsForAccumulator(fn: FunctionNode, sourceCode: SourceCode): boolean {
  const accumulator = fn.params[0];
  if (!accumulator || accumulator.type !== 'Identifier' || !fn.body) return false;
  let waits = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (
      node.type === 'AwaitExpression' &&
      node.argument.type === 'Identifier' &&
      node.argument.name === accumulator.name
    )
      waits = true;
    if (
      node.type === 'MemberExpression' &&
      node.object.type === 'Identifier' &&
      node.object.name === accumulator.name &&
      !node.computed &&
      node.property.type === 'Identifier' &&
      ['then', 'catch', 'finally'].includes(node.property.name)
    )
      waits = true;
    return !waits;
  });
  return waits;
}

export default createRule<MessageIds, Options>({
  name: 'async-callback',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report async functions passed where the caller ignores or misreads the promise they return: forEach, filter and other predicates, sort, reduce, listeners and timers.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['@typescript-eslint/no-misused-promises'],
    },
    messages: {
      forEach:
        '`forEach` does not wait for an async callback: the loop ends before the work does, and rejections are unhandled. Use `for...of` with `await`, or `await Promise.all(items.map(async (item) => ...))`.',
      predicate:
        "`{{ method }}` reads its callback's return value as true or false, and a promise is always truthy, so every element passes. Compute the answers first (`const keep = await Promise.all(items.map(test))`), then `{{ method }}` by them.",
      comparator:
        '`sort` needs a number from its comparator, and a promise is not one: the order is arbitrary. Compute the sort keys first with `await Promise.all(...)`, then sort by them.',
      reduce:
        "Each step of this async `{{ method }}` receives the previous step's promise, not its value, and the callback never awaits it. `await` the accumulator first (`const total = await previous`), or use a `for...of` loop.",
      typedReturnVoid:
        "This parameter is declared to take a callback that returns void, so the caller will not wait for this promise, and a rejection is unhandled. Pass a sync callback that handles the promise, or change the parameter's type if the caller does await it.",
      typedReturnBoolean:
        "This parameter is declared to take a callback that returns boolean, so the caller will not wait for this promise, and reads it as true. Pass a sync callback that handles the promise, or change the parameter's type if the caller does await it.",
      listener:
        '`{{ method }}` ignores the promise its callback returns: if it rejects, the rejection is unhandled. Catch the errors inside the callback (a `try`/`catch` around its awaits), or pass a sync callback that handles the promise.',
    },
    schema: [
      {
        type: 'object',
        description: 'Which callers to check.',
        properties: {
          checkListeners: {
            type: 'boolean',
            description:
              'Whether to check event listeners (`on`, `once`, `addEventListener`, ...) and timers (`setTimeout`, `setInterval`, `setImmediate`, `queueMicrotask`, `process.nextTick`) (default true).',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkListeners: true }],
  },
  // Callbacks are reported for returning promises: without a way to make one, nothing to look for.
  shouldRun: (file) => mayContainPromises(file.sourceCode, file.physicalFilename, knowledge),
  create(context) {
    const sourceCode = context.sourceCode;
    const file = context.physicalFilename;
    const checkListeners = context.options[0].checkListeners;
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(RUN_CONTEXTS)) return {};
    const waitsForNothing = (callback: ReturnType<typeof promiseReturningCallback>) =>
      callback !== null &&
      callback !== 'imported' &&
      isFunctionNode(callback) &&
      awaitsNothing(callback, sourceCode.visitorKeys);

    const returnsHandledWork = (callback: ReturnType<typeof promiseReturningCallback>) =>
      callback !== null &&
      callback !== 'imported' &&
      isFunctionNode(callback) &&
      !callback.async &&
      functionNeverRejects(callback, sourceCode, file, knowledge);

    function timerName(call: TSESTree.CallExpression): string | null {
      const callee = call.callee;
      if (callee.type === 'Identifier' && TIMER_FUNCTIONS.has(callee.name) && isGlobalReference(sourceCode, callee))
        return callee.name;
      if (
        callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'process' &&
        !callee.computed &&
        callee.property.type === 'Identifier' &&
        callee.property.name === 'nextTick'
      )
        return 'process.nextTick';
      return null;
    }

    return {
      CallExpression(call: TSESTree.CallExpression) {
        const method = methodName(call);
        const first = call.arguments[0];
        if (
          method === 'forEach' ||
          (method !== null && PREDICATE_METHODS.has(method)) ||
          method === 'sort' ||
          method === 'toSorted' ||
          method === 'reduce' ||
          method === 'reduceRight'
        ) {
          if (!first) return;
          const callback = promiseReturningCallback(first, sourceCode, file, knowledge);
          if (!callback) return;
          if (method === 'reduce' || method === 'reduceRight') {
            if (callback !== 'imported' && waitsForAccumulator(callback, sourceCode)) return;
            context.report({ node: first, messageId: 'reduce', data: { method } });
            return;
          }
          // An async forEach callback that never awaits runs to its end before forEach moves on, and
          // a sync one that returns a handled chain (`(load) => load().catch(noop)`) starts work on purpose.
          if (method === 'forEach' && (waitsForNothing(callback) || returnsHandledWork(callback))) return;
          const messageId =
            method === 'forEach' ? 'forEach' : method === 'sort' || method === 'toSorted' ? 'comparator' : 'predicate';
          context.report({ node: first, messageId, data: { method } });
          return;
        }
        const listenerMethodName = method !== null && LISTENER_METHODS.has(method);
        if (!checkListeners && (listenerMethodName || timerName(call))) return;
        const listenerMethod = method !== null && LISTENER_METHODS.has(method) ? method : null;
        const timer = listenerMethod ? null : timerName(call);
        if (!listenerMethod && !timer) {
          // Type-aware: any parameter declared to take a callback returning void or boolean.
          if (hasTypeInformation(sourceCode)) checkDeclaredCallbacks(call);
          return;
        }
        const argument = listenerMethod ? call.arguments[1] : first;
        if (!argument || argument.type === 'SpreadElement') return;
        const callback = promiseReturningCallback(argument, sourceCode, file, knowledge);
        // A callback whose promise cannot reject (`() => job().catch(report)`) leaves nothing unhandled.
        if (
          !callback ||
          (callback !== 'imported' &&
            (handlesItsOwnErrors(callback, sourceCode) || functionNeverRejects(callback, sourceCode, file, knowledge)))
        )
          return;
        // A listener that never awaits fails as a sync one would; in tests the runner reports the
        // rejection, and in a browser the console does, as it does a thrown error: nothing ends.
        // In a script that never calls process.exit, a rejection ends the script with its error.
        if (waitsForNothing(callback) || where.at(argument).context === 'test' || runtimeOf(sourceCode) === 'browser')
          return;
        if (failureEndsScript(argument, where, sourceCode)) return;
        context.report({ node: argument, messageId: 'listener', data: { method: listenerMethod ?? timer } });
      },
    };

    function checkDeclaredCallbacks(call: TSESTree.CallExpression): void {
      for (const argument of call.arguments) {
        if (argument.type === 'SpreadElement') continue;
        const callback = promiseReturningCallback(argument, sourceCode, file, knowledge);
        if (!callback || (callback !== 'imported' && functionNeverRejects(callback, sourceCode, file, knowledge)))
          continue;
        const kind = expectedCallbackReturn(sourceCode, argument);
        if (kind === null) continue;
        context.report({ node: argument, messageId: kind === 'boolean' ? 'typedReturnBoolean' : 'typedReturnVoid' });
      }
    }
  },
});
