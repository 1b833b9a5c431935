/** The registry: every rule asynclint ships, by id. A new rule is added here in the same change. */
import type { RuleModule } from '../src/types.js';
import awaitInLoop from './await-in-loop.js';
import blockingCall from './blocking-call.js';
import busyWait from './busy-wait.js';
import floatingPromise from './floating-promise.js';
import sequentialAwait from './sequential-await.js';

export const rules: Record<string, RuleModule> = {
  'await-in-loop': awaitInLoop as unknown as RuleModule,
  'blocking-call': blockingCall as unknown as RuleModule,
  'busy-wait': busyWait as unknown as RuleModule,
  'floating-promise': floatingPromise as unknown as RuleModule,
  'sequential-await': sequentialAwait as unknown as RuleModule,
};
