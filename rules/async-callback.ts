/**
 * async-callback: an async (or promise-returning) function passed where the caller ignores or
 * misreads what it returns: `forEach`, predicates (`filter`, `some`, `find`, ...), `sort`
 * comparators, `reduce` without awaiting the accumulator, and event listeners and timers.
 */
import {
  RUN_CONTEXTS,
  whereCodeRunsFor,
  callbackCallerOf,
  callbackLosesNothing,
  callbacksDeclaredToReturn,
  forEachEndsBrowserCallback,
  hasTypeInformation,
  ignoredRejectionIsReported,
  listenerRejectionEndsItsRun,
  mayContainPromises,
  promiseReturningCallback,
  writesOuterStateAfterAwait,
  type CallbackCallerKind,
  type PromiseKnowledge,
  DEFAULT_PROMISE_KNOWLEDGE,
} from '../src/languages/js/analysis/index.js';
import { createRule, type TSESTree } from '../src/languages/js/types.js';
import { ASYNC_CALLBACK_DEFAULTS, ASYNC_CALLBACK_SCHEMA } from './shared/async-callback-options.js';

type MessageIds =
  | 'forEach'
  | 'predicate'
  | 'comparator'
  | 'reduce'
  | 'listener'
  | 'listenerRace'
  | 'typedReturnVoid'
  | 'typedReturnBoolean';
type Options = [{ checkListeners: boolean }];

const knowledge: PromiseKnowledge = DEFAULT_PROMISE_KNOWLEDGE;

const MESSAGE_OF: Record<CallbackCallerKind, MessageIds> = {
  forEach: 'forEach',
  predicate: 'predicate',
  comparator: 'comparator',
  reduce: 'reduce',
  listener: 'listener',
  timer: 'listener',
};

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
      listenerRace:
        '`{{ method }}` does not wait for its async callback, and the callback writes to a variable after `await`: nothing can wait for that write, so the code that reads the variable races it. Write what the event gives synchronously, or keep the promises and `await` them before reading.',
    },
    schema: ASYNC_CALLBACK_SCHEMA,
    defaultOptions: ASYNC_CALLBACK_DEFAULTS,
  },
  // Callbacks are reported for returning promises: without a way to make one, nothing to look for.
  shouldRun: (file) => mayContainPromises(file.sourceCode, file.physicalFilename, knowledge),
  create(context) {
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(RUN_CONTEXTS)) return {};
    const sourceCode = context.sourceCode;
    const file = context.physicalFilename;
    const checkListeners = context.options[0].checkListeners;
    const typed = hasTypeInformation(sourceCode);

    function reportDeclaredCallbacks(call: TSESTree.CallExpression): void {
      for (const { argument, returns } of callbacksDeclaredToReturn(call, sourceCode, file, knowledge))
        context.report({ node: argument, messageId: returns === 'boolean' ? 'typedReturnBoolean' : 'typedReturnVoid' });
    }

    return {
      CallExpression(call: TSESTree.CallExpression) {
        const caller = callbackCallerOf(call, sourceCode);
        // Type-aware: any parameter declared to take a callback returning void or boolean.
        if (caller === null) return typed ? reportDeclaredCallbacks(call) : undefined;
        const listens = caller.kind === 'listener' || caller.kind === 'timer';
        if (listens && !checkListeners) return;
        const argument = caller.callback;
        if (!argument || argument.type === 'SpreadElement') return;
        const callback = promiseReturningCallback(argument, sourceCode, file, knowledge);
        if (!callback) return;
        const data = { method: caller.name };
        // In a test, the assertions that read what a listener writes after `await` race that write,
        // whoever reports a rejection.
        const inTest = listens && where.at(argument).context === 'test';
        if (inTest && callback !== 'imported' && writesOuterStateAfterAwait(callback, sourceCode))
          return context.report({ node: argument, messageId: 'listenerRace', data });
        if (callbackLosesNothing(caller.kind, callback, sourceCode, file, knowledge)) return;
        if (listens && ignoredRejectionIsReported(argument, where, sourceCode, file)) return;
        // A worker thread's listener, or a termination signal's: the rejection ends a run that reports it.
        if (caller.kind === 'listener' && listenerRejectionEndsItsRun(call, sourceCode)) return;
        if (caller.kind === 'forEach' && forEachEndsBrowserCallback(call, sourceCode)) return;
        context.report({ node: argument, messageId: MESSAGE_OF[caller.kind], data });
      },
    };
  },
});
