/**
 * A run over many files, as the CLI and the API make it: files grouped by the config they match,
 * the result cache opened before and saved after. (Linting itself is lint-files.ts.)
 */
import type { ResolvedConfig } from '../config/index.js';
import type { LanguageOptions, TypeInformation } from '../languages/index.js';
import type { LintResult } from '../types.js';
import { contentHash, ResultCache, type CacheStrategy } from './cache.js';
import { lintFileList, type LintFilesOptions, type SkippedFile } from './lint-files.js';
import type { LintSourceOptions } from './pool.js';

/** What linting one file is told, less its name: one object per set of matching overrides. */
export type FileLintOptions = Omit<LintSourceOptions, 'filename'>;

export interface LintedFiles {
  results: LintResult[];
  skipped: SkippedFile[];
}

export interface RunCache {
  /** The cache file. */
  location: string;
  /** runCacheKey of the run's config: a cache of another config is not used. */
  key: string;
  strategy?: CacheStrategy;
}

export interface LintRunOptions extends Omit<LintFilesOptions, 'rules' | 'cache'> {
  cache?: RunCache;
  /**
   * Type-aware mode's checkers (typeInformationFor), whose options forFile's already include:
   * each file is assigned to its checker before any is linted; no cache, and one thread.
   */
  typeInformation?: TypeInformation<LanguageOptions>;
  /** Told what went wrong that cost time but not findings (a cache that could not be saved). */
  onWarning?: (message: string) => void;
}

/** Lints files with the options forFile gives each, using and then saving the result cache when given one. */
export async function lintRun(
  files: readonly string[],
  forFile: (filePath: string) => FileLintOptions,
  options: LintRunOptions,
): Promise<LintedFiles> {
  const { cache: where, onWarning, typeInformation: typed, ...rest } = options;
  // Every file's checker configuration is read before any file is linted: a broken one stops the run at once.
  const order = typed?.assign(files) ?? files;
  // Type-aware results depend on every file the checker sees, so they are not cached per file.
  const cache = where && !typed ? ResultCache.open(where.location, where.key, where.strategy) : undefined;
  // A checker's program cannot be shared between threads, so type-aware runs stay on this one.
  const threads = typed ? 1 : rest.threads;
  const lintedInOrder = await lintGroups(order, forFile, { ...rest, cache, threads });
  const linted = order === files ? lintedInOrder : inGivenOrder(files, lintedInOrder);
  if (cache) {
    // The report matters more than the cache: a cache that cannot be saved costs only time.
    try {
      await cache.save();
    } catch (error) {
      onWarning?.(`the cache could not be saved (${(error as Error).message}); the next run lints every file again`);
    }
    const unread = cache.unreadHits > 0 ? `, ${cache.unreadHits} of them by stat, not read` : '';
    options.stats?.phases.set(`cache (${cache.hits} hits, ${cache.misses} misses)${unread}`, 0);
  }
  return linted;
}

/** Results and skipped files in the order of `files`, whatever order they were linted in. */
function inGivenOrder(files: readonly string[], linted: LintedFiles): LintedFiles {
  const position = new Map(files.map((file, index) => [file, index]));
  const byPosition = <T extends { filePath: string }>(a: T, b: T) =>
    (position.get(a.filePath) ?? 0) - (position.get(b.filePath) ?? 0);
  return { results: [...linted.results].sort(byPosition), skipped: [...linted.skipped].sort(byPosition) };
}

/** Everything besides a file's content that decides its messages (a file's overrides follow from its path). */
export function runCacheKey(
  shared: {
    rules: readonly { id: string; severity: number; options: readonly unknown[] }[];
    settings?: unknown;
    inlineConfig?: boolean;
    reportUnusedDisableDirectives?: number;
    /** Where a file's code runs is judged from its path relative to the working directory too. */
    cwd?: string;
  },
  config: ResolvedConfig,
): string {
  const rulesOf = (rules: Iterable<[string, { severity: number; options: readonly unknown[] } | null]>) =>
    [...rules].map(([id, rule]) => [id, rule ? [rule.severity, rule.options] : 0]);
  return contentHash(
    JSON.stringify({
      rules: shared.rules.map((rule) => [rule.id, rule.severity, rule.options]),
      settings: shared.settings,
      inlineConfig: shared.inlineConfig,
      reportUnused: shared.reportUnusedDisableDirectives,
      cwd: shared.cwd ?? null,
      maxFileSize: config.maxFileSize,
      overrides: config.overrides.map((override) => [
        override.files,
        rulesOf(override.rules),
        override.context ?? null,
      ]),
      baseDirectory: config.overrides.length > 0 ? config.baseDirectory : null,
    }),
  );
}

/**
 * Lints files in groups that share a config (the overrides they match), each group as one run,
 * and returns the results in the order the files were given.
 */
async function lintGroups(
  files: readonly string[],
  forFile: (filePath: string) => FileLintOptions,
  options: Omit<LintFilesOptions, 'rules'>,
): Promise<LintedFiles> {
  const groups = new Map<FileLintOptions, string[]>();
  for (const file of files) {
    const lint = forFile(file);
    const members = groups.get(lint);
    if (members) members.push(file);
    else groups.set(lint, [file]);
  }
  if (groups.size <= 1) return lintFileList(files, { ...options, ...forFile(files[0] ?? '') });
  let done = 0;
  const byFile = new Map<string, LintResult>();
  const skipped: SkippedFile[] = [];
  for (const [lint, members] of groups) {
    const offset = done;
    const onProgress = options.onProgress
      ? (count: number) => options.onProgress!(offset + count, files.length)
      : undefined;
    // asynclint-disable-next-line await-in-loop -- each group already uses every thread; running groups together would only contend
    const linted = await lintFileList(members, { ...options, ...lint, onProgress });
    done += members.length;
    for (const result of linted.results) byFile.set(result.filePath, result);
    skipped.push(...linted.skipped);
  }
  return { results: files.flatMap((file) => byFile.get(file) ?? []), skipped };
}
