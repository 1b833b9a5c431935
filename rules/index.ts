/** The registry: every rule asynclint ships, by id. A new rule is added here in the same change. */
import type { RuleModule } from '../src/languages/js/types.js';
import asyncCallback from './async-callback.js';
import asyncExecutor from './async-executor.js';
import awaitInLoop from './await-in-loop.js';
import blockingCall from './blocking-call.js';
import busyWait from './busy-wait.js';
import floatingPromise from './floating-promise.js';
import promiseInCondition from './promise-in-condition.js';
import returnAwaitInTry from './return-await-in-try.js';
import sequentialAwait from './sequential-await.js';

export const rules: Record<string, RuleModule> = {
  'async-callback': asyncCallback as unknown as RuleModule,
  'async-executor': asyncExecutor as unknown as RuleModule,
  'await-in-loop': awaitInLoop as unknown as RuleModule,
  'blocking-call': blockingCall as unknown as RuleModule,
  'busy-wait': busyWait as unknown as RuleModule,
  'floating-promise': floatingPromise as unknown as RuleModule,
  'promise-in-condition': promiseInCondition as unknown as RuleModule,
  'return-await-in-try': returnAwaitInTry as unknown as RuleModule,
  'sequential-await': sequentialAwait as unknown as RuleModule,
};
