/**
 * sequential-await's options, one schema for the JS and the Python rule, so one config line
 * speaks of both.
 */
import { stringListOption, type JSONSchema, type RuleDocs } from '../../src/types.js';
import { contextsOption, type RunContext } from '../../src/analysis/context/file-context.js';
import { ORDERED_CLASSES, ORDERED_RESOURCE_CALLEES } from '../../src/analysis/ordered-work.js';

export interface SequentialAwaitOptions {
  orderedCallees: string[];
  orderedClasses: string[];
  stateChangingVerbs: string[];
  contexts: RunContext[];
}

/**
 * In tests a second await usually checks the first one's effect: the order is the point there.
 * In one-shot code (a command, a script, a build step) two awaits in a row cost one extra wait per
 * run of the process, however much data it handles: unlike a loop, whose cost grows with its
 * input (await-in-loop stays on there), there is nothing left to gain that a user would notice.
 */
export const DEFAULT_CONTEXTS: RunContext[] = ['request', 'library'];

export const DEFAULT_SEQUENTIAL_ORDERED_CALLEES = [...ORDERED_RESOURCE_CALLEES];
export const DEFAULT_SEQUENTIAL_ORDERED_CLASSES = [...ORDERED_CLASSES];
export const DEFAULT_STATE_CHANGING_VERBS = [
  'insert',
  'create',
  'update',
  'upsert',
  'delete',
  'remove',
  'destroy',
  'save',
  'write',
  'set',
  'put',
  'post',
  'patch',
  'send',
  'publish',
  'emit',
  'add',
  'push',
  'append',
  'enqueue',
  'exec',
  'execute',
  'run',
  'commit',
  'rollback',
  'begin',
  'start',
  'stop',
  'connect',
  'disconnect',
  'open',
  'close',
  'init',
  'initialize',
  'login',
  'logout',
  'register',
  'install',
  'mkdir',
  'rm',
  'unlink',
  'rename',
  'copy',
  'move',
  'click',
  'press',
  'goto',
  'navigate',
  'reload',
  'drop',
  'truncate',
  'migrate',
  'sync',
  'flush',
  'lock',
  'unlock',
  'acquire',
  'release',
  'increment',
  'decrement',
];

export const SEQUENTIAL_AWAIT_SCHEMA: JSONSchema[] = [
  {
    type: 'object',
    description: 'What orders two awaits.',
    properties: {
      orderedCallees: stringListOption(
        "Callee patterns that are ordering points (transactions, locks, single connections), in the syntax of await-in-loop's `orderedCallees`. Replaces the default list.",
      ),
      orderedClasses: stringListOption(
        'Class name patterns (`*QueryRunner`) whose methods share one connection: calls through `this` inside such a class are ordering points. Replaces the default list.',
      ),
      stateChangingVerbs: stringListOption(
        'Words that mark a call as changing state (`insertUser`, `page.click`): such an await is an ordering point, because what follows may depend on its effect. Replaces the default list.',
      ),
      contexts: contextsOption(DEFAULT_CONTEXTS),
    },
    additionalProperties: false,
  },
];

export const SEQUENTIAL_AWAIT_DEFAULTS: [SequentialAwaitOptions] = [
  {
    orderedCallees: DEFAULT_SEQUENTIAL_ORDERED_CALLEES,
    orderedClasses: DEFAULT_SEQUENTIAL_ORDERED_CLASSES,
    stateChangingVerbs: DEFAULT_STATE_CHANGING_VERBS,
    contexts: DEFAULT_CONTEXTS,
  },
];

/** What both languages' rules say of themselves: one id, one description, one preset. */
export const SEQUENTIAL_AWAIT_DOCS: Omit<RuleDocs, 'url'> = {
  description: 'Report consecutive awaits whose operations do not depend on each other and could start together.',
  category: 'perf',
  preset: 'strict',
  presetSeverity: 'warn',
};
