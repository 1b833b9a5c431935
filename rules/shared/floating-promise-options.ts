/**
 * floating-promise's options, one schema for the JS and the Python rule: the same id is the same
 * pitfall (a promise or coroutine started and never awaited), so one config line speaks of both.
 * `promiseApis` and the type-aware options mean nothing in Python and are accepted there unused.
 */
import type { JSONSchema } from '../../src/types.js';

/** A callee whose promise may float: its name, or the functions a module exports. */
export type KnownSafeCall = string | { module: string; name: string | string[] };

export interface FloatingPromiseOptions {
  ignoreVoid: boolean;
  ignoreIIFE: boolean;
  checkThenables: boolean;
  promiseApis: { module: string; name: string }[];
  allowForKnownSafeCalls: KnownSafeCall[];
  allowForKnownSafePromises: string[];
}

export const FLOATING_PROMISE_SCHEMA: JSONSchema[] = [
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
];

export const FLOATING_PROMISE_DEFAULTS: [FloatingPromiseOptions] = [
  {
    ignoreVoid: true,
    ignoreIIFE: false,
    checkThenables: false,
    promiseApis: [],
    allowForKnownSafeCalls: [],
    allowForKnownSafePromises: [],
  },
];
