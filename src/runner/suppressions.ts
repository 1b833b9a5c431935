/**
 * Bulk suppressions, with ESLint's semantics (9.24+, `eslint-suppressions.json`), so that a large
 * codebase can adopt asynclint with its existing findings recorded and only new ones reported.
 *
 * The file maps a path (relative to the working directory, `/` separators) to rule ids and how
 * many error-level findings of that rule the file had: `{ "src/a.ts": { "floating-promise":
 * { "count": 2 } } }`. Warnings are never suppressed. When a file has at most `count` findings of
 * a rule, they are all suppressed; when it has more, all of them are reported, since a count
 * cannot tell which one is new. When it has fewer, the difference is unused: that is reported
 * as an error (exit 2) until `--prune-suppressions` lowers the count, so the record only shrinks.
 * Files not linted in a run (outside its paths, or unchanged with `--changed`) are not judged.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { LintMessage, LintResult } from '../types.js';
import { writeFileSafely } from '../write-file.js';
import { buildResult } from '../lint-result.js';

export const DEFAULT_SUPPRESSIONS_FILE = 'asynclint-suppressions.json';

/** file -> rule id -> count of suppressed error-level findings. */
export type Suppressions = Record<string, Record<string, { count: number }>>;

export interface SuppressionOptions {
  cwd: string;
  /** `--suppressions-location`, relative to cwd; the default file is used when absent. */
  location?: string;
  suppressAll?: boolean;
  /** `--suppress-rule` ids: record these rules only. */
  suppressRules?: readonly string[];
  prune?: boolean;
  /** Rule ids that exist, to refuse a misspelt `--suppress-rule`. */
  knownRules: readonly string[];
}

export interface SuppressionOutcome {
  results: LintResult[];
  /** Entries whose findings no longer occur: the count left over per file and rule. */
  unused: Suppressions;
  file: string;
}

/** Applies, records or prunes suppressions as the options say; returns the results to report. */
export async function runSuppressions(results: LintResult[], options: SuppressionOptions): Promise<SuppressionOutcome> {
  checkSuppressionFlags(options);
  const file = path.resolve(options.cwd, options.location ?? DEFAULT_SUPPRESSIONS_FILE);
  const recording = options.suppressAll === true || (options.suppressRules?.length ?? 0) > 0;
  let suppressions = loadSuppressions(file, { mustExist: options.location !== undefined && !recording });
  if (recording) {
    suppressions = recordSuppressions(
      suppressions,
      results,
      options.cwd,
      options.suppressAll ? undefined : options.suppressRules,
    );
    await saveSuppressions(file, suppressions);
  }
  if (options.prune) {
    suppressions = pruneSuppressions(suppressions, applySuppressions(results, suppressions, options.cwd).unused);
    await saveSuppressions(file, suppressions);
  }
  return { ...applySuppressions(results, suppressions, options.cwd), file };
}

function checkSuppressionFlags(options: SuppressionOptions): void {
  const ruleFlags = options.suppressRules ?? [];
  if (options.suppressAll && ruleFlags.length > 0)
    throw new UsageError('--suppress-all and --suppress-rule cannot be used together.');
  if (options.prune && (options.suppressAll || ruleFlags.length > 0)) {
    throw new UsageError(
      `${options.suppressAll ? '--suppress-all' : '--suppress-rule'} and --prune-suppressions cannot be used together.`,
    );
  }
  const unknown = ruleFlags.find((id) => !options.knownRules.includes(id.replace(/^asynclint\//, '')));
  if (unknown !== undefined)
    throw new UsageError(`--suppress-rule ${unknown}: unknown rule (asynclint --list-rules shows the rules).`);
}

/** The key a file has in the suppressions file: relative to cwd, with `/` on every platform. */
export function suppressionKey(filePath: string, cwd: string): string {
  return path.relative(cwd, filePath).split(path.sep).join('/');
}

function isCountRecord(value: unknown): value is Record<string, { count: number }> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((entry: unknown) => {
    const count = (entry as { count?: unknown } | null)?.count;
    return typeof count === 'number' && Number.isInteger(count) && count > 0;
  });
}

/** A missing file is no suppressions (unless one was named); a malformed one is a usage error. */
export function loadSuppressions(file: string, options: { mustExist?: boolean } = {}): Suppressions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new UsageError(`cannot read the suppressions file ${file}: ${(error as Error).message}`);
    if (options.mustExist)
      throw new UsageError(
        `the suppressions file ${file} does not exist; create it with --suppress-all or --suppress-rule.`,
      );
    return emptySuppressions();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`the suppressions file ${file} is not valid JSON.`);
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every(isCountRecord);
  if (!valid)
    throw new UsageError(
      `the suppressions file ${file} should map files to rules to { "count": <positive whole number> }.`,
    );
  return Object.assign(emptySuppressions(), parsed as Suppressions);
}

function emptySuppressions(): Suppressions {
  // No prototype: a file called `__proto__` is a key like any other.
  return Object.create(null) as Suppressions;
}

function errorCountsByRule(messages: readonly LintMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of messages) {
    if (message.severity === 2 && message.ruleId !== null)
      counts.set(message.ruleId, (counts.get(message.ruleId) ?? 0) + 1);
  }
  return counts;
}

/**
 * `--suppress-all` / `--suppress-rule`: each linted file's current error counts replace the
 * recorded ones for the rules that have findings; other entries stay as they were.
 */
export function recordSuppressions(
  existing: Suppressions,
  results: readonly LintResult[],
  cwd: string,
  onlyRules?: readonly string[],
): Suppressions {
  const recorded = copySuppressions(existing);
  const wanted = onlyRules ? new Set(onlyRules.map((id) => id.replace(/^asynclint\//, ''))) : null;
  for (const result of results) {
    const key = suppressionKey(result.filePath, cwd);
    for (const [ruleId, count] of errorCountsByRule(result.messages)) {
      if (wanted && !wanted.has(ruleId)) continue;
      recorded[key] ??= Object.create(null) as Record<string, { count: number }>;
      recorded[key][ruleId] = { count };
    }
  }
  return recorded;
}

/** Moves suppressed findings to `suppressedMessages`, and says which entries went unused. */
export function applySuppressions(
  results: readonly LintResult[],
  suppressions: Suppressions,
  cwd: string,
): { results: LintResult[]; unused: Suppressions } {
  const unused = emptySuppressions();
  // Most runs have no suppressions file: no result's key is worked out then.
  if (Object.keys(suppressions).length === 0) return { results: [...results], unused };
  const applied = results.map((result) => {
    const entries = suppressions[suppressionKey(result.filePath, cwd)];
    if (!entries) return result;
    const counts = errorCountsByRule(result.messages);
    const suppressedRules = new Set<string>();
    for (const [ruleId, { count }] of Object.entries(entries)) {
      const found = counts.get(ruleId) ?? 0;
      if (found <= count) suppressedRules.add(ruleId);
      if (found < count) {
        const key = suppressionKey(result.filePath, cwd);
        unused[key] ??= Object.create(null) as Record<string, { count: number }>;
        unused[key][ruleId] = { count: count - found };
      }
    }
    if (suppressedRules.size === 0) return result;
    const isSuppressed = (message: LintMessage) =>
      message.severity === 2 && message.ruleId !== null && suppressedRules.has(message.ruleId);
    const suppressed = result.messages
      .filter(isSuppressed)
      .map((message) => ({ ...message, suppressions: [{ kind: 'file' as const, justification: '' }] }));
    const kept = result.messages.filter((message) => !isSuppressed(message));
    const rebuilt = buildResult(result.filePath, kept, [...result.suppressedMessages, ...suppressed], result.source);
    return result.output === undefined ? rebuilt : { ...rebuilt, output: result.output };
  });
  return { results: applied, unused };
}

/** `--prune-suppressions`: lowers each count by what went unused, and drops entries that reach 0. */
export function pruneSuppressions(suppressions: Suppressions, unused: Suppressions): Suppressions {
  const pruned = copySuppressions(suppressions);
  for (const [file, rules] of Object.entries(unused)) {
    for (const [ruleId, { count }] of Object.entries(rules)) {
      const entry = pruned[file]?.[ruleId];
      if (!entry) continue;
      if (entry.count <= count) delete pruned[file]![ruleId];
      else pruned[file]![ruleId] = { count: entry.count - count };
    }
    if (pruned[file] && Object.keys(pruned[file]).length === 0) delete pruned[file];
  }
  return pruned;
}

function copySuppressions(suppressions: Suppressions): Suppressions {
  const copy = emptySuppressions();
  for (const [file, rules] of Object.entries(suppressions)) {
    copy[file] = Object.create(null) as Record<string, { count: number }>;
    for (const [ruleId, { count }] of Object.entries(rules)) copy[file][ruleId] = { count };
  }
  return copy;
}

/** Sorted by file and rule, so the committed file changes only where the counts do. */
export async function saveSuppressions(file: string, suppressions: Suppressions): Promise<void> {
  const sorted = emptySuppressions();
  for (const key of Object.keys(suppressions).sort()) {
    const rules = suppressions[key]!;
    sorted[key] = Object.fromEntries(
      Object.keys(rules)
        .sort()
        .map((ruleId) => [ruleId, rules[ruleId]!]),
    );
  }
  await writeFileSafely(file, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** How many entries (file and rule pairs) went unused. */
export function countEntries(suppressions: Suppressions): number {
  return Object.values(suppressions).reduce((sum, rules) => sum + Object.keys(rules).length, 0);
}
