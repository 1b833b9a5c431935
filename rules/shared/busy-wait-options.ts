/**
 * busy-wait's options, one schema for the JS and the Python rule, so one config line speaks of
 * both: where the rule reports.
 */
import type { JSONSchema } from '../../src/types.js';
import { contextsOption, type RunContext } from '../../src/analysis/context/file-context.js';

export interface BusyWaitOptions {
  contexts: RunContext[];
}

/** A spin holds up other work only where some can be waiting: not in a script that runs once, nor in a test. */
const DEFAULT_CONTEXTS: RunContext[] = ['request'];

export const BUSY_WAIT_SCHEMA: JSONSchema[] = [
  {
    type: 'object',
    description: 'Where the rule reports.',
    properties: { contexts: contextsOption(DEFAULT_CONTEXTS) },
    additionalProperties: false,
  },
];

export const BUSY_WAIT_DEFAULTS: [BusyWaitOptions] = [{ contexts: DEFAULT_CONTEXTS }];
