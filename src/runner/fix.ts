/**
 * Applying autofixes: non-overlapping fixes in one pass (as ESLint does), and never a result that
 * does not parse. Writing is the caller's job (atomically, see the CLI).
 */
import { languageFor } from '../languages/index.js';
import type { EditInfo, LintMessage } from '../types.js';

export interface FixOutcome {
  output: string;
  /** Fixes applied. */
  applied: number;
  /** Set when the fixed text did not parse, so nothing was applied. */
  refused: boolean;
}

export function applyFixes(text: string, messages: readonly LintMessage[], filename: string): FixOutcome {
  const fixes = messages
    .map((message) => message.fix)
    .filter((fix): fix is EditInfo => fix !== undefined)
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = '';
  let cursor = 0;
  let applied = 0;
  // A file with Windows line endings keeps them: a line break a fix adds is written as `\r\n`.
  const crlf = text.includes('\r\n') && !/(?:^|[^\r])\n/.test(text);
  for (const fix of fixes) {
    // An overlapping fix waits for the next run, as in ESLint.
    if (fix.range[0] < cursor) continue;
    output += text.slice(cursor, fix.range[0]) + (crlf ? fix.text.replace(/(?<!\r)\n/g, '\r\n') : fix.text);
    cursor = fix.range[1];
    applied++;
  }
  output += text.slice(cursor);
  if (applied === 0) return { output: text, applied: 0, refused: false };
  if (!languageFor(filename).parsesCleanly(output, filename)) return { output: text, applied: 0, refused: true };
  return { output, applied, refused: false };
}

/**
 * `--fix-suggestions` (as in oxlint): a finding without a fix gets its first suggestion as one.
 * Suggestions may change what the code does, which is why they are not fixes to begin with.
 */
export function withSuggestionsAsFixes(messages: readonly LintMessage[]): LintMessage[] {
  return messages.map((message) => {
    const suggested = message.suggestions?.[0]?.fix;
    return message.fix || !suggested ? message : { ...message, fix: suggested };
  });
}
