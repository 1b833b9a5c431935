/**
 * async-callback's options, one schema for the JS and the Python rule, so one config line speaks
 * of both. In Python, `checkListeners` covers the event loop's callbacks (`call_soon`,
 * `call_later`, `add_done_callback`, signal handlers), as it covers listeners and timers in JS.
 */
import type { JSONSchema } from '../../src/types.js';

export interface AsyncCallbackOptions {
  checkListeners: boolean;
}

export const ASYNC_CALLBACK_SCHEMA: JSONSchema[] = [
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
];

export const ASYNC_CALLBACK_DEFAULTS: [AsyncCallbackOptions] = [{ checkListeners: true }];
