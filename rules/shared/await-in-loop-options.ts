/**
 * await-in-loop's options, one schema for the JS and the Python rule, so one config line speaks of
 * both. The Python rule reads `delayFunctions`, `orderedCallees` (matched on the callee as
 * written) and `contexts`; `orderedCollections` and `orderedClasses` are accepted there, not used yet.
 */
import { stringListOption, type JSONSchema, type RuleDocs } from '../../src/types.js';
import { contextsOption, type RunContext } from '../../src/analysis/context/file-context.js';
import { ORDERED_CLASSES, ORDERED_RESOURCE_CALLEES } from '../../src/analysis/ordered-work.js';

export interface AwaitInLoopOptions {
  delayFunctions: string[];
  orderedCallees: string[];
  orderedCollections: string[];
  orderedClasses: string[];
  contexts: RunContext[];
}

/**
 * A slow loop costs users in a server and in a command they wait for; in tests the order is
 * usually the point. Not in `tooling` either (scripts, docs, build and CI files no package
 * publishes): a maintainer's release or docs script looping over a handful of items costs no one
 * a measurable wait (on 16 repositories, 16 such findings, none a maintainer would change).
 */
export const DEFAULT_CONTEXTS: RunContext[] = ['request', 'library', 'one-shot'];

export const DEFAULT_DELAY_FUNCTIONS = ['sleep', 'delay', 'wait', 'backoff', 'throttle'];
export const DEFAULT_ORDERED_CALLEES = [
  ...ORDERED_RESOURCE_CALLEES,
  // Schema changes (DDL) take locks and depend on each other: ORMs run them in order on purpose.
  '*.sync',
  '*.drop*',
  '*.truncate*',
  '*.alter*',
  '*.rename*',
  '*.add*Column*',
  '*.remove*Column*',
  '*.change*Column*',
  '*.*Constraint*',
  '*.*ForeignKey*',
  '*.*Index',
  '*.*Indices',
  '*.*Indexes',
  '*.create*Table*',
];
export const DEFAULT_ORDERED_COLLECTIONS = [
  'migration',
  'migrations',
  'seed',
  'seeds',
  'statement',
  'statements',
  'query',
  'queries',
  'step',
  'steps',
  'stage',
  'stages',
  'hook',
  'hooks',
  'middleware',
  'middlewares',
  'plugin',
  'plugins',
  'script',
  'scripts',
  'command',
  'commands',
  'batch',
  'batches',
  'chunk',
  'chunks',
  'sorted',
  'ordered',
  'reversed',
  'topo',
];
export const DEFAULT_ORDERED_CLASSES = [...ORDERED_CLASSES];

export const AWAIT_IN_LOOP_SCHEMA: JSONSchema[] = [
  {
    type: 'object',
    description: 'What makes a loop sequential on purpose.',
    properties: {
      delayFunctions: stringListOption(
        'Names of delay functions: a loop that awaits one (`await sleep(ms)`, `await delayMs(100)`) is paced on purpose. A name matches itself and itself followed by a capital letter or digit. Replaces the default list.',
      ),
      orderedCallees: stringListOption(
        "Callee patterns whose awaits must stay in order (`tx.*`, `*.write`, `once`). `R.M` matches a call of a method `M` made on or through a receiver `R` (`tx.*` matches `this.tx.query()` and `tx('t').insert()`), and any call that receives `R` as an argument; a bare `F` matches a plain call `F()`. `*` matches part of one name. Replaces the default list.",
      ),
      orderedCollections: stringListOption(
        'Words that mark a collection whose order is the point (`migrations`, `hooks`, `statements`): a `for...of` over a collection whose name contains one of them (`_afterCommitHooks`, `subQueries`) is sequential on purpose, as is a loop over a sorted or reversed list. Replaces the default list.',
      ),
      orderedClasses: stringListOption(
        'Class name patterns (`*QueryRunner`, `*Connection`) whose methods share one connection or transaction: awaiting `this.method()` in a loop inside such a class is sequential on purpose. Replaces the default list.',
      ),
      contexts: contextsOption(DEFAULT_CONTEXTS),
    },
    additionalProperties: false,
  },
];

export const AWAIT_IN_LOOP_DEFAULTS: [AwaitInLoopOptions] = [
  {
    delayFunctions: DEFAULT_DELAY_FUNCTIONS,
    orderedCallees: DEFAULT_ORDERED_CALLEES,
    orderedCollections: DEFAULT_ORDERED_COLLECTIONS,
    orderedClasses: DEFAULT_ORDERED_CLASSES,
    contexts: DEFAULT_CONTEXTS,
  },
];

/** What both languages' rules say of themselves: one id, one description, one preset. */
export const AWAIT_IN_LOOP_DOCS: Omit<RuleDocs, 'url'> = {
  description:
    'Report awaits that run one loop iteration at a time when the iterations are independent and could run concurrently.',
  category: 'perf',
  preset: 'recommended',
  presetSeverity: 'warn',
};

/**
 * `*.sync`, `commit`: an orderedCallees pattern that orders an operation by what it does, whatever
 * it is made on, as against a receiver pattern (`connection.*`) that names a resource serialising
 * its own operations. Both languages' rules ask it of a call made on the loop's own element.
 */
export const isOperationPattern = (pattern: string): boolean => !pattern.includes('.') || pattern.startsWith('*.');
