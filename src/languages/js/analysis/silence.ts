/**
 * Why a rule said nothing, for tests. A fixture line marked `// expect-silent: paced` must be
 * silent for that reason and no other, or a name-list hit could hide a broken data-flow check.
 * Rules name the reason where they decide to stay silent (`null` where they report instead) and
 * pass it to a listener that only tests install, through a setting: a normal run has no
 * listener, so it computes nothing more and reports exactly the same.
 */
import type { Node } from '../types.js';
import type { RunContext, WhereCodeRuns } from './run-context.js';

/** The `settings` key under which a test installs its listener. */
export const SILENCE_LISTENER_SETTING = 'asynclint/silence-listener';

/** `reason` is null when the rule reports about `node` instead of staying silent. */
export type SilenceListener = (node: Node, reason: string | null) => void;

/** The listener a test installed for this lint run, if any. */
export function silenceListenerOf(context: { settings?: Record<string, unknown> }): SilenceListener | null {
  const listener = context.settings?.[SILENCE_LISTENER_SETTING];
  return typeof listener === 'function' ? (listener as SilenceListener) : null;
}

/**
 * Whether a rule that reports in `contexts` has anything to look at in this file. When it has not,
 * a listening test hears why about the whole file: it runs where the rule does not report, or it
 * does not run as written.
 */
export function fileMayReport(
  where: WhereCodeRuns,
  contexts: readonly RunContext[],
  program: Node,
  onSilence: SilenceListener | null,
): boolean {
  if (where.mayReport(contexts)) return true;
  onSilence?.(program, where.notRun === null ? `runs-in-${where.file.context}` : 'not-run-as-written');
  return false;
}
