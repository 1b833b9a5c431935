/**
 * The CLI options for CI and adoption: linting only what git says changed, and the bulk
 * suppressions file. Kept apart from the main option list so that the two grow independently.
 */
import { realpathSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { changedFiles, stagedFiles } from '../runner/git-files.js';
import { countEntries, runSuppressions, suppressionKey, type Suppressions } from '../runner/suppressions.js';
import type { LintResult } from '../types.js';

export interface CiOptions {
  changed?: boolean;
  since?: string;
  staged?: boolean;
  suppressAll?: boolean;
  suppressRule: string[];
  pruneSuppressions?: boolean;
  suppressionsLocation?: string;
  passOnUnprunedSuppressions?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addCiOptions(program: Command): Command {
  return program
    .option(
      '--changed',
      'lint only files changed since the merge base with the default branch (or --since), and untracked ones',
    )
    .option('--since <ref>', 'with --changed: compare with the merge base of this ref and HEAD (implies --changed)')
    .option('--staged', 'lint only files staged for commit (their working-tree copies)')
    .option(
      '--suppress-all',
      'record every error-level finding in the suppressions file, so only new ones are reported',
    )
    .option(
      '--suppress-rule <id>',
      'record the error-level findings of this rule in the suppressions file (repeatable)',
      collect,
      [],
    )
    .option('--prune-suppressions', 'remove suppressions whose findings no longer occur')
    .option(
      '--suppressions-location <path>',
      'the suppressions file (default asynclint-suppressions.json in the working directory)',
    )
    .option(
      '--pass-on-unpruned-suppressions',
      'do not fail (exit 2) because suppressions are left that no longer occur',
    );
}

/** Refuses combinations that cannot mean anything, before any work is done. */
export function checkCiOptions(options: CiOptions, usesStdin: boolean): void {
  const gitFlag = options.staged ? '--staged' : options.changed || options.since !== undefined ? '--changed' : null;
  if (options.staged && (options.changed || options.since !== undefined))
    throw new UsageError('--staged and --changed (or --since) cannot be used together.');
  if (usesStdin && gitFlag) throw new UsageError(`${gitFlag} selects files from git; it does not apply to --stdin.`);
  const suppressing = options.suppressAll || options.suppressRule.length > 0 || options.pruneSuppressions;
  if (usesStdin && suppressing)
    throw new UsageError('--suppress-all, --suppress-rule and --prune-suppressions do not apply to --stdin.');
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * With --changed or --staged, the discovered files that git also names; otherwise all of them.
 * Compared by real path: git names files under the repository's real location.
 */
export function filesGitSelects(discovered: readonly string[], options: CiOptions, cwd: string): string[] {
  if (!options.staged && !options.changed && options.since === undefined) return [...discovered];
  const named = new Set((options.staged ? stagedFiles(cwd) : changedFiles(cwd, options.since)).map(realPath));
  return discovered.filter((file) => named.has(realPath(file)));
}

/**
 * Applies the suppressions file when it exists or a suppression option asks for it (as ESLint
 * does); returns the results to report and, when some suppressions went unused, the lines to
 * print on standard error.
 */
export async function applyCiSuppressions(
  results: LintResult[],
  options: CiOptions,
  cwd: string,
  knownRules: readonly string[],
): Promise<{ results: LintResult[]; unusedReport: string | null }> {
  const outcome = await runSuppressions(results, {
    cwd,
    ...(options.suppressionsLocation !== undefined ? { location: options.suppressionsLocation } : {}),
    suppressAll: options.suppressAll === true,
    suppressRules: options.suppressRule,
    prune: options.pruneSuppressions === true,
    knownRules,
  });
  if (options.passOnUnprunedSuppressions || countEntries(outcome.unused) === 0)
    return { results: outcome.results, unusedReport: null };
  return { results: outcome.results, unusedReport: describeUnused(outcome.unused, suppressionKey(outcome.file, cwd)) };
}

function describeUnused(unused: Suppressions, file: string): string {
  const lines = [
    `asynclint: there are suppressions left in ${file} that do not occur anymore; re-run with --prune-suppressions to remove them:`,
  ];
  for (const [path, rules] of Object.entries(unused).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [ruleId, { count }] of Object.entries(rules)) lines.push(`  ${path}  ${ruleId}  ${count} unused`);
  }
  return `${lines.join('\n')}\n`;
}
