/** The Python rules, by id: an id shared with a JS rule names the same pitfall (one config line speaks of both). */
import type { PyRuleModule } from '../../src/languages/python/types.js';
import asyncCallback from './async-callback.js';
import awaitInLoop from './await-in-loop.js';
import blockingCall from './blocking-call.js';
import busyWait from './busy-wait.js';
import floatingPromise from './floating-promise.js';
import nestedEventLoop from './nested-event-loop.js';
import promiseInCondition from './promise-in-condition.js';
import returnAwaitInTry from './return-await-in-try.js';
import sequentialAwait from './sequential-await.js';

export const pythonRules: Record<string, PyRuleModule> = {
  'async-callback': asyncCallback as unknown as PyRuleModule,
  'await-in-loop': awaitInLoop as unknown as PyRuleModule,
  'blocking-call': blockingCall as unknown as PyRuleModule,
  'busy-wait': busyWait as unknown as PyRuleModule,
  'floating-promise': floatingPromise as unknown as PyRuleModule,
  'promise-in-condition': promiseInCondition as unknown as PyRuleModule,
  'return-await-in-try': returnAwaitInTry as unknown as PyRuleModule,
  'sequential-await': sequentialAwait as unknown as PyRuleModule,
  'nested-event-loop': nestedEventLoop as unknown as PyRuleModule,
};
