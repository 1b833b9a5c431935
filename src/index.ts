/**
 * The programmatic API: `lintText`, `lintFiles`, `loadFormatter`, and the types.
 *
 * ```js
 * import { lintFiles, loadFormatter } from 'asynclint';
 * const { results } = await lintFiles(['src']);
 * const format = await loadFormatter('stylish');
 * console.log(await format(results, { cwd: process.cwd() }));
 * ```
 */
import { rules } from '../rules/index.js';
import {
  DEFAULT_CONFIG_SOURCE,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
  type ResolvedConfig,
  type RuleEntry,
  type UserConfig,
} from './config/index.js';
import { discoverFiles } from './runner/discover.js';
import path from 'node:path';
import { type SkippedFile } from './runner/lint-files.js';
import { lintRun, runCacheKey } from './runner/lint-run.js';
import { fixFiles } from './runner/fix-files.js';
import { DEFAULT_CACHE_LOCATION, type CacheStrategy } from './runner/cache.js';
import { languageFor, prepareLanguagesFor, typeInformationFor, type LintStats } from './languages/index.js';
import type { LintResult } from './types.js';

export type * from './types.js';
export type * from './languages/js/types.js';
export type { UserConfig, ResolvedConfig, RuleEntry, SkippedFile, LintStats };
export { rules };
export { loadFormatter, builtinFormatters, type Formatter, type FormatterContext } from './formatters/index.js';
export { UsageError, ConfigError } from './errors.js';
export { createStats } from './languages/index.js';

export interface ApiOptions {
  cwd?: string;
  /** A config object to use instead of looking for a config file. */
  config?: UserConfig;
  /** A config file to use instead of looking for one. */
  configFile?: string;
  ruleOverrides?: Record<string, RuleEntry>;
  inlineConfig?: boolean;
  reportUnusedDisableDirectives?: 0 | 1 | 2;
  stats?: LintStats;
  /** lintFiles: threads to lint on, this one included (default 1; workers start from 500 files per thread). */
  threads?: number;
  /**
   * lintFiles: keep results of unchanged files, as the CLI's `--cache` does (default off); a
   * string is where the cache file goes, relative to `cwd` (default node_modules/.cache/asynclint).
   */
  cache?: boolean | string;
  cacheStrategy?: CacheStrategy;
  /**
   * lintFiles: write autofixes, as the CLI's `--fix` does (atomically, never a text that does not
   * parse, not a file that changed meanwhile); results then show what is left and the `output`.
   */
  fix?: boolean;
  /** lintFiles: type-aware mode with one tsconfig for every file (true: tsconfig.json), as `--project`. */
  project?: string | true;
  /** lintFiles: type-aware mode with each file's nearest tsconfig, as `--project-service`. */
  projectService?: boolean;
}

export function resolveApiConfig(options: ApiOptions): ResolvedConfig {
  const cwd = options.cwd ?? process.cwd();
  let source = DEFAULT_CONFIG_SOURCE;
  if (options.config) source = { config: options.config, filePath: null };
  else if (options.configFile) source = loadConfigFile(options.configFile);
  else {
    const found = findConfigFile(cwd);
    if (found) source = loadConfigFile(found);
  }
  return resolveConfig(source, rules, {
    ruleOverrides: options.ruleOverrides,
    baseDirectory: source.filePath ? undefined : cwd,
  });
}

/**
 * Loads what linting the given files needs (all languages when none are given): Python's parser
 * is WebAssembly, which loads asynchronously, once per thread. `lintFiles` does this itself;
 * before a synchronous `lintText` of Python text, `await prepare()`.
 */
export async function prepare(filePaths?: readonly string[]): Promise<void> {
  await prepareLanguagesFor(filePaths);
}

/** Lints source text as if it were the file `filePath` (which need not exist); Python text needs `await prepare()` first. */
export function lintText(text: string, options: ApiOptions & { filePath?: string } = {}): LintResult {
  const cwd = options.cwd ?? process.cwd();
  const config = resolveApiConfig(options);
  const filename = options.filePath ?? '<text>.ts';
  return languageFor(filename).lintText(text, {
    filename,
    cwd,
    rules: config.rules,
    settings: config.settings,
    inlineConfig: options.inlineConfig,
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives,
    stats: options.stats,
  }).result;
}

/** Lints files, directories and globs; throws UsageError for a path that does not exist. */
export async function lintFiles(
  patterns: readonly string[],
  options: ApiOptions = {},
): Promise<{ results: LintResult[]; skipped: SkippedFile[] }> {
  const cwd = options.cwd ?? process.cwd();
  // Config and discovery read a few small files and directory listings once per run, before any linting.
  const config = resolveApiConfig(options);
  const discovered = discoverFiles(patterns.length > 0 ? patterns : ['.'], {
    cwd,
    ignores: config.ignores,
    baseDirectory: config.baseDirectory,
  });
  const projectService = options.projectService ?? config.projectService;
  const typed = typeInformationFor({ cwd, project: options.project, projectService });
  const lint = {
    ...typed?.options,
    cwd,
    rules: config.rules,
    settings: config.settings,
    inlineConfig: options.inlineConfig,
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives,
    stats: options.stats,
  };
  const location = typeof options.cache === 'string' ? options.cache : DEFAULT_CACHE_LOCATION;
  const cache = options.cache
    ? { location: path.resolve(cwd, location), key: runCacheKey(lint, config), strategy: options.cacheStrategy }
    : undefined;
  // Every file gets the top-level rules, as before the cache came here (the CLI applies overrides per file).
  const forFile = () => lint;
  const linted = await lintRun(discovered.files, forFile, {
    ...lint,
    maxFileSize: config.maxFileSize,
    threads: options.threads,
    cache,
    typeInformation: typed,
  });
  const skipped = [...discovered.skipped, ...linted.skipped];
  if (!options.fix) return { results: linted.results, skipped };
  const { results } = await fixFiles(linted.results, forFile, { write: true, suggestions: false, cwd });
  return { results, skipped };
}
