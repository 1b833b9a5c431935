/**
 * Fixing files after a run: each fixed text is checked, written atomically, and linted again,
 * so the results show what is left. (Applying edits to a text is fix.ts.)
 */
import { readFile } from 'node:fs/promises';
import { relativePath } from '../formatters/shared.js';
import { lintTextAs, prepareLanguagesFor } from '../languages/index.js';
import type { LintResult } from '../types.js';
import { WriteError, writeFileSafely } from '../write-file.js';
import { applyFixes, withSuggestionsAsFixes } from './fix.js';
import type { FileLintOptions } from './lint-run.js';

export interface FixHow {
  /** false: a dry run, which stops before the file system. */
  write: boolean;
  /** Apply a finding's first suggestion where it has no fix. */
  suggestions: boolean;
  /** Paths in notes are relative to this. */
  cwd: string;
  /** Told each file not fixed, and why. */
  onNote?: (message: string) => void;
}

/**
 * Writes fixed files (see writeFileSafely) one at a time, so that at most one temporary file
 * exists at any moment, and re-lints them, so the report shows what is left. The file is read
 * again first: one that changed since it was linted is not overwritten, and its byte order mark
 * is kept (the linted text has none). A dry run (`write: false`) stops before the file system;
 * `suggestions` applies a finding's first suggestion where it has no fix.
 */
export async function fixFiles(
  results: LintResult[],
  forFile: (filePath: string) => FileLintOptions,
  how: FixHow,
): Promise<{ results: LintResult[]; failed: boolean }> {
  // Results from the cache come without a parser loaded: checking and re-linting a fix needs one.
  const fixable = results.filter((result) => result.messages.some((message) => message.fix || message.suggestions));
  await prepareLanguagesFor(fixable.map((result) => result.filePath));
  const fixed: LintResult[] = [];
  let failed = false;
  const warn = (result: LintResult, why: string) =>
    how.onNote?.(`did not fix ${relativePath(result.filePath, how.cwd)}: ${why}`);
  for (const result of results) {
    const messages = how.suggestions ? withSuggestionsAsFixes(result.messages) : result.messages;
    if (result.source === undefined || !messages.some((message) => message.fix)) {
      fixed.push(result);
      continue;
    }
    const outcome = applyFixes(result.source, messages, result.filePath);
    if (outcome.refused) {
      how.onNote?.(`refused to fix ${relativePath(result.filePath, how.cwd)}: the fixed text would not parse`);
      fixed.push(result);
      continue;
    }
    if (!how.write) {
      fixed.push(relintFixed(outcome.output, result.filePath, forFile));
      continue;
    }
    const current = await readFile(result.filePath).catch(() => null);
    const bom = current !== null && current[0] === 0xef && current[1] === 0xbb && current[2] === 0xbf;
    if (current === null || current.toString('utf8', bom ? 3 : 0) !== result.source) {
      warn(result, 'it changed while it was linted');
      fixed.push(result);
      continue;
    }
    try {
      await writeFileSafely(result.filePath, (bom ? '\uFEFF' : '') + outcome.output);
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      how.onNote?.(error.message);
      failed = true;
      fixed.push(result);
      continue;
    }
    fixed.push(relintFixed(outcome.output, result.filePath, forFile));
  }
  return { results: fixed, failed };
}

/** What is left after fixing, with the fixed text as ESLint reports it (`output`). */
function relintFixed(output: string, filePath: string, forFile: (filePath: string) => FileLintOptions): LintResult {
  return { ...lintTextAs(output, { ...forFile(filePath), filename: filePath }), output };
}
