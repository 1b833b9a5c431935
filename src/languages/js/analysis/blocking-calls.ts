/**
 * Which calls in async code block the event loop enough to report: a blocking API called
 * directly, or a sync helper that reaches one, weighed by how often the call runs.
 */
import type { SourceCode, TSESTree } from '../types.js';
import { innermostFunction } from './async-context.js';
import {
  blockingHelperCall,
  directBlockingApi,
  isMemoisedCall,
  isOnErrorPath,
  repeatsWithin,
  runsSynchronously,
  type BlockingApiMatch,
  type BlockingChain,
  type BlockingTable,
} from './blocking.js';

export interface BlockingCallPolicy {
  table: BlockingTable;
  /** How many sync helpers deep a blocking call is followed (0: direct calls only). */
  helperDepth: number;
  /** `in-loops`: a call that only asks about one path counts when it runs per element; `always`: every call. */
  metadataCalls: 'in-loops' | 'always';
}

export type BlockingCall =
  { kind: 'api'; match: BlockingApiMatch } | { kind: 'helper'; name: string; chain: BlockingChain };

/**
 * Whether a call in async code runs once per element of something: in a loop, or in a callback
 * an array method calls per element. A metadata call (`existsSync`) costs microseconds once, and
 * only adds up when repeated over data.
 */
function runsPerElement(call: TSESTree.CallExpression): boolean {
  const fn = innermostFunction(call);
  return repeatsWithin(call, fn) || (fn !== null && runsSynchronously(fn));
}

function isCheapOnce(metadataOnly: boolean, call: TSESTree.CallExpression, policy: BlockingCallPolicy): boolean {
  return metadataOnly && policy.metadataCalls === 'in-loops' && !runsPerElement(call);
}

/** Why a call that reaches a blocking API is not worth a finding (the silence reasons tests ask for). */
export type BlockingCallDismissal = 'memoised' | 'error-path' | 'metadata-once' | 'helper-too-deep';

export type BlockingCallVerdict = { found: BlockingCall } | { dismissed: BlockingCallDismissal };

/**
 * What a call blocks on, directly or through sync helpers (here or in imported files), or why it
 * blocks nothing worth a finding: a result kept for later calls (`cache ??= readFileSync(p)`), a
 * call only on an error path, a single metadata call, or a chain deeper than the policy follows.
 * Null when the call reaches no blocking API at all. The caller decides first that the call runs
 * in async code, where it reports. Only with `explain` is a memoised or error-path call resolved
 * before it is dismissed (a lint run need not look into helpers it will not report).
 */
export function blockingCallVerdict(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  policy: BlockingCallPolicy,
  explain = true,
): BlockingCallVerdict | null {
  const dismissedByShape: BlockingCallDismissal | null = isMemoisedCall(call, sourceCode)
    ? 'memoised'
    : isOnErrorPath(call, sourceCode)
      ? 'error-path'
      : null;
  if (dismissedByShape && !explain) return { dismissed: dismissedByShape };
  const direct = directBlockingApi(call, sourceCode, policy.table);
  if (direct) {
    if (dismissedByShape) return { dismissed: dismissedByShape };
    if (isCheapOnce(direct.api.cost === 'metadata', call, policy)) return { dismissed: 'metadata-once' };
    return { found: { kind: 'api', match: direct } };
  }
  const helper = policy.helperDepth === 0 ? null : blockingHelperCall(call, sourceCode, file, policy.table);
  if (!helper) return null;
  if (dismissedByShape) return { dismissed: dismissedByShape };
  if (helper.chain.helpers.length + 1 > policy.helperDepth) return { dismissed: 'helper-too-deep' };
  if (isCheapOnce(helper.chain.metadataOnly, call, policy)) return { dismissed: 'metadata-once' };
  return { found: { kind: 'helper', name: helper.name, chain: helper.chain } };
}

/** What a call blocks on worth a finding (see blockingCallVerdict), or null. */
export function blockingCallOf(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  policy: BlockingCallPolicy,
): BlockingCall | null {
  const verdict = blockingCallVerdict(call, sourceCode, file, policy, false);
  return verdict && 'found' in verdict ? verdict.found : null;
}
