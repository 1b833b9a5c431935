/**
 * Why a rule said nothing, for tests. A fixture line marked `// expect-silent: paced` must be
 * silent for that reason and no other, or a name-list hit could hide a broken data-flow check.
 * Rules name the reason where they decide to stay silent (`null` where they report instead) and
 * pass it to a listener that only tests install, through a setting: a normal run has no
 * listener, so it computes nothing more and reports exactly the same.
 */
import type { Node } from '../types.js';

/** The `settings` key under which a test installs its listener. */
export const SILENCE_LISTENER_SETTING = 'asynclint/silence-listener';

/** `reason` is null when the rule reports about `node` instead of staying silent. */
export type SilenceListener = (node: Node, reason: string | null) => void;

/** The listener a test installed for this lint run, if any. */
export function silenceListenerOf(context: { settings?: Record<string, unknown> }): SilenceListener | null {
  const listener = context.settings?.[SILENCE_LISTENER_SETTING];
  return typeof listener === 'function' ? (listener as SilenceListener) : null;
}
