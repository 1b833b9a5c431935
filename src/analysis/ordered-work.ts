/**
 * Operations that must stay in order, as data both languages' sequential rules start from:
 * resources that serialize their callers (transactions, single connections, locks, streams,
 * events) and classes whose methods share one connection. Callee patterns in the syntax of
 * await-in-loop's `orderedCallees`.
 */

/** Callee patterns (see compileCalleePatterns) for resources whose operations must stay in order. */
export const ORDERED_RESOURCE_CALLEES: readonly string[] = [
  'tx.*',
  'trx.*',
  'transaction.*',
  'multi.*',
  'pipeline.*',
  'queryRunner.*',
  '*QueryRunner.*',
  'connection.*',
  'conn.*',
  '*.write',
  'writer.*',
  'reader.read',
  '*.acquire',
  '*.lock',
  'once',
  'events.once',
  // Commits (git, databases) take a lock and build on each other.
  'commit',
  '*.commit',
];

/** Class name patterns whose methods share one connection or transaction. */
export const ORDERED_CLASSES: readonly string[] = [
  '*QueryRunner',
  '*QueryInterface',
  '*Connection',
  '*Transaction',
  '*Session',
];
