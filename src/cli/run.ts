/**
 * A lint run as the command line asked for it: config, discovery, the runner, fixes,
 * suppressions, the formatter and the exit code. Loaded by index.ts once the command line is
 * parsed, so that `--version` and `--help` load none of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  configForFile,
  DEFAULT_CONFIG_SOURCE,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
  STARTER_CONFIG,
  type ResolvedConfig,
  type RuleEntry,
} from '../config/index.js';
import { UsageError } from '../errors.js';
import { isBuiltinFormatter, loadBuiltinFormatter } from '../formatters/builtin.js';
import { loadExternalFormatter } from '../formatters/external.js';
import { relativePath } from '../formatters/shared.js';
import { discoverFilesRemembered, discoveryCacheFile } from '../runner/discovery-cache.js';
import { lintRun, runCacheKey } from '../runner/lint-run.js';
// The languages themselves (parsers, analysis, rules' code) load only where a run needs them: a
// warm run whose every file the result cache answers knows the rules from their catalog alone.
import type { CompilerInfo, LanguageOptions, TypeInformation } from '../languages/index.js';
import { createStats, type LintStats } from '../languages/language.js';
import { forgetLoadedLanguages } from '../languages/fresh-run.js';
import { ruleCatalog as rules } from '../languages/rule-catalog.js';
import { defaultThreadCount } from '../runner/lint-files.js';
import { DEFAULT_CACHE_LOCATION } from '../runner/cache.js';
import type { LintResult, RuleMeta } from '../types.js';
import { PACKAGE_ROOT } from '../version.js';
import { mergeOptions } from '../config/rule-options.js';
import { writeFileSafely } from '../write-file.js';
import { readRuleDocs } from '../rule-docs.js';
import { applyCiSuppressions, checkCiOptions, filesGitSelects } from './ci-options.js';
import type { CliIo, CliOptions } from './index.js';

function parseRuleFlags(flags: readonly string[]): Record<string, RuleEntry> {
  // No prototype: `--rule __proto__:error` is an entry (an unknown rule), not a prototype change.
  const overrides: Record<string, RuleEntry> = Object.create(null) as Record<string, RuleEntry>;
  for (const flag of flags) {
    const match = /^([@\w/-]+)\s*:\s*(off|warn|error|0|1|2)$/.exec(flag.trim());
    if (!match)
      throw new UsageError(
        `--rule ${flag}: expected <rule-id>:<off|warn|error>, for example --rule await-in-loop:error`,
      );
    overrides[match[1]!] = match[2] as RuleEntry;
  }
  return overrides;
}

function useColor(options: CliOptions, io: CliIo): boolean {
  if (options.color !== undefined) return options.color;
  if (options.outputFile) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false';
  return !!io.stdout.isTTY;
}

function listRules(io: CliIo): void {
  const rows = Object.entries(rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([id, rule]) =>
        `${id.padEnd(24)} ${rule.meta.docs.preset.padEnd(12)} ${rule.meta.docs.presetSeverity.padEnd(6)} ${rule.meta.docs.category.padEnd(12)} ${rule.meta.docs.description}`,
    );
  io.stdout.write(
    `${'rule'.padEnd(24)} ${'preset'.padEnd(12)} ${'level'.padEnd(6)} ${'category'.padEnd(12)} description\n${rows.join('\n')}\n`,
  );
}

async function explain(ruleId: string, io: CliIo, color: boolean): Promise<void> {
  const id = ruleId.replace(/^asynclint\//, '');
  if (!Object.hasOwn(rules, id))
    throw new UsageError(`Unknown rule "${ruleId}" (asynclint --list-rules shows the rules).`);
  const file = path.join(PACKAGE_ROOT, 'docs', 'rules', `${id}.md`);
  const markdown = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`No documentation found for "${id}" at ${file}.`);
  });
  // chalk, for --explain alone.
  const { renderMarkdownForTerminal } = await import('./markdown.js');
  io.stdout.write(renderMarkdownForTerminal(markdown, color));
}

/** The order phases happen in; any others (cache counts) follow. */
const PHASE_ORDER = ['type program', 'discover', 'read', 'parse', 'scope', 'index', 'rules', 'type checker', 'format'];

function printStats(stats: LintStats, wallMs: number, formatMs: number, io: CliIo): void {
  const lines = [
    `files: ${stats.files}, trees built: ${stats.walked} (the others came from the cache, or no rule had anything to look for)   wall: ${wallMs.toFixed(0)} ms`,
    'phases (each counted once: parsing an imported file is index, not rules):',
  ];
  const phases = new Map([...stats.phases, ['format', formatMs]]);
  const ordered = [
    ...PHASE_ORDER.filter((phase) => phases.has(phase)),
    ...[...phases.keys()].filter((phase) => !PHASE_ORDER.includes(phase)),
  ];
  for (const phase of ordered) lines.push(`  ${phase.padEnd(28)} ${phases.get(phase)!.toFixed(1).padStart(10)} ms`);
  lines.push('rules (time including the index and checker work they caused, findings):');
  const ids = new Set([...stats.rules.keys(), ...stats.findings.keys()]);
  for (const id of [...ids].sort())
    lines.push(
      `  ${id.padEnd(28)} ${(stats.rules.get(id) ?? 0).toFixed(1).padStart(10)} ms ${String(stats.findings.get(id) ?? 0).padStart(7)}`,
    );
  io.stderr.write(`${lines.join('\n')}\n`);
}

function progressReporter(io: CliIo, total: number): ((done: number, total: number) => void) | undefined {
  if (!io.stderr.isTTY || total < 300) return undefined;
  let lastDrawn = -1;
  return (done) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === lastDrawn && done !== total) return;
    lastDrawn = percent;
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} files`);
    if (done === total) io.stderr.write('\r\x1b[K');
  };
}

export async function lint(options: CliOptions, patterns: string[], io: CliIo, fresh: boolean): Promise<number> {
  // Caches of an earlier call in this process (tests, API users) must not change this run's findings.
  if (fresh) forgetLoadedLanguages();
  const color = useColor(options, io);
  const cwd = io.cwd;
  if (options.fix && options.fixDryRun)
    throw new UsageError(
      '--fix and --fix-dry-run cannot be used together: --fix writes the fixes, --fix-dry-run only shows them.',
    );

  if (options.listRules) {
    listRules(io);
    return 0;
  }
  if (options.explain) {
    await explain(options.explain, io, color);
    return 0;
  }
  if (options.init) {
    const target = path.join(cwd, 'asynclint.config.json');
    if (existsSync(target)) throw new UsageError(`${path.relative(cwd, target)} already exists; edit it instead.`);
    await writeFileSafely(target, `${JSON.stringify(STARTER_CONFIG, null, 2)}\n`);
    io.stdout.write(
      `Wrote ${path.relative(cwd, target)} (extends "recommended"). Run asynclint to lint this folder.\n`,
    );
    return 0;
  }

  // Config files are small and read once per run, before any linting starts.
  let source = DEFAULT_CONFIG_SOURCE;
  if (typeof options.config === 'string') source = loadConfigFile(path.resolve(cwd, options.config));
  else if (options.config !== false) {
    const found = findConfigFile(cwd, (message) => io.stderr.write(`asynclint: warning: ${message}\n`));
    if (found) source = loadConfigFile(found);
  }
  const config = resolveConfig(source, rules, {
    ruleOverrides: parseRuleFlags(options.rule),
    baseDirectory: source.filePath ? undefined : cwd,
    cwd,
  });
  if (options.maxFileSize !== undefined) config.maxFileSize = options.maxFileSize;
  if (options.printConfig !== undefined) {
    await printConfig(path.resolve(cwd, options.printConfig), config, io);
    return 0;
  }
  checkCiOptions(options, options.stdin === true);
  const activeRules = options.quiet ? config.rules.filter((rule) => rule.severity === 2) : config.rules;
  const stats = options.stats ? createStats() : undefined;
  const started = performance.now();
  const typed = await typeAwareMode(options, config, cwd, io);
  const shared = {
    cwd,
    ...typed?.options,
    rules: activeRules,
    settings: config.settings,
    inlineConfig: options.inlineConfig,
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ? (2 as const) : (0 as const),
    stats,
  };

  // One options object per set of matching overrides, so that files group by identity.
  const lintOptionsByKey = new Map<string, typeof shared>();
  const forFile = (filePath: string): typeof shared => {
    const fileConfig = configForFile(config, filePath);
    let lint = lintOptionsByKey.get(fileConfig.key);
    if (!lint) {
      const fileRules = options.quiet ? fileConfig.rules.filter((rule) => rule.severity === 2) : fileConfig.rules;
      lintOptionsByKey.set(fileConfig.key, (lint = { ...shared, rules: fileRules, settings: fileConfig.settings }));
    }
    return lint;
  };

  let results: LintResult[];
  if (options.stdin) {
    const writing = options.fix ? '--fix' : options.fixSuggestions && !options.fixDryRun ? '--fix-suggestions' : null;
    if (writing)
      throw new UsageError(
        `${writing} writes files; it does not apply to --stdin (--fix-dry-run shows the fixed text).`,
      );
    const text = await io.readStdin();
    const filename = path.resolve(cwd, options.stdinFilename ?? '<stdin>.ts');
    const { lintTextAs, prepareLanguagesFor } = await import('../languages/index.js');
    await prepareLanguagesFor([filename]);
    results = [lintTextAs(text, { ...forFile(filename), filename })];
  } else {
    if (options.stdinFilename) throw new UsageError('--stdin-filename goes with --stdin.');
    const discoverStarted = performance.now();
    const cacheFile = path.resolve(cwd, options.cacheLocation ?? DEFAULT_CACHE_LOCATION);
    const discoverOptions = {
      cwd,
      ignores: config.ignores,
      baseDirectory: config.baseDirectory,
      ignorePatterns: options.ignorePattern,
    };
    const warn = (message: string) => io.stderr.write(`asynclint: warning: ${message}\n`);
    const discovered =
      options.cache !== false
        ? await discoverFilesRemembered(patterns, discoverOptions, discoveryCacheFile(cacheFile), warn)
        : (await import('../runner/discover.js')).discoverFiles(patterns, discoverOptions);
    discovered.files = filesGitSelects(discovered.files, options, cwd);
    stats?.phases.set('discover', performance.now() - discoverStarted);
    const cache =
      options.cache !== false
        ? { location: cacheFile, key: runCacheKey(shared, config), strategy: options.cacheStrategy }
        : undefined;
    // Type-aware mode stays on one thread and skips the cache: lintRun sees to both.
    const linted = await lintRun(discovered.files, forFile, {
      ...shared,
      maxFileSize: config.maxFileSize,
      onProgress: progressReporter(io, discovered.files.length),
      cache,
      threads: Math.max(1, options.threads ?? defaultThreadCount()),
      typeInformation: typed,
      onWarning: (message) => io.stderr.write(`asynclint: warning: ${message}\n`),
    });
    for (const skipped of [...discovered.skipped, ...linted.skipped])
      io.stderr.write(`asynclint: skipped ${relativePath(skipped.filePath, cwd)}: ${skipped.reason}\n`);
    results = linted.results;
  }
  let fixWriteFailed = false;
  if (options.fix || options.fixDryRun || options.fixSuggestions) {
    const how = { write: !options.fixDryRun, suggestions: !!options.fixSuggestions };
    const onNote = (message: string) => io.stderr.write(`asynclint: ${message}\n`);
    const { fixFiles } = await import('../runner/fix-files.js');
    ({ results, failed: fixWriteFailed } = await fixFiles(results, forFile, { ...how, cwd, onNote }));
  }
  if (typed) reportFilesWithoutTypes(typed, !!options.project, !!options.debug, io);
  let unusedSuppressions: string | null = null;
  if (!options.stdin)
    ({ results, unusedReport: unusedSuppressions } = await applyCiSuppressions(
      results,
      options,
      cwd,
      Object.keys(rules),
    ));
  if (options.quiet) {
    results = results.map((result) => ({
      ...result,
      messages: result.messages.filter((message) => message.severity === 2),
      warningCount: 0,
      fixableWarningCount: 0,
    }));
  }

  const errorCount = results.reduce((sum, result) => sum + result.errorCount, 0);
  const warningCount = results.reduce((sum, result) => sum + result.warningCount, 0);
  const tooManyWarnings = options.maxWarnings !== undefined && warningCount > options.maxWarnings;

  const formatStarted = performance.now();
  const builtin = isBuiltinFormatter(options.format);
  const restoreColor = builtin ? undefined : (await import('./color.js')).passColorToFormatters(color);
  let output: string;
  try {
    const formatter = await (loadBuiltinFormatter(options.format) ?? loadExternalFormatter(options.format, cwd));
    const rulesMeta = Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.meta])) as Record<
      string,
      RuleMeta<string>
    >;
    // SARIF carries each rule's documentation as its help text.
    const ruleDocs = options.format === 'sarif' ? await readRuleDocs(Object.keys(rules)) : undefined;
    output = await runFormatter(options.format, () =>
      formatter(results, {
        cwd,
        rulesMeta,
        ...(ruleDocs ? { ruleDocs } : {}),
        color,
        ...(tooManyWarnings
          ? { maxWarningsExceeded: { maxWarnings: options.maxWarnings!, foundWarnings: warningCount } }
          : {}),
      }),
    );
  } finally {
    restoreColor?.();
  }
  const formatMs = performance.now() - formatStarted;
  if (options.outputFile) await writeFileSafely(path.resolve(cwd, options.outputFile), output, { devices: true });
  else if (output) io.stdout.write(output);
  if (tooManyWarnings)
    io.stderr.write(`asynclint found too many warnings (maximum: ${options.maxWarnings}, found: ${warningCount}).\n`);
  if (stats) printStats(stats, performance.now() - started, formatMs, io);
  // A fix that could not be written is an I/O error, as a report that cannot be written is.
  if (fixWriteFailed) return 2;
  // As ESLint: suppressions that no longer occur fail the run until they are pruned.
  if (unusedSuppressions) {
    io.stderr.write(unusedSuppressions);
    return 2;
  }
  return errorCount > 0 || tooManyWarnings ? 1 : 0;
}

/**
 * `--print-config <file>`: the rules, options and settings for the file after overrides, and the
 * file's context as the where-code-runs model judges it (code inside may narrow it further).
 */
async function printConfig(filePath: string, config: ResolvedConfig, io: CliIo): Promise<void> {
  const firstLine = existsSync(filePath) ? readFirstLine(filePath) : '';
  const fileConfig = configForFile(config, filePath);
  const configured = (fileConfig.settings.asynclint as { context?: string } | undefined)?.context;
  const verdict = configured
    ? { context: configured, reason: 'the config says so for this file' }
    : (await import('../languages/index.js')).describeContext(filePath, io.cwd, firstLine);
  const printed = {
    file: relativePath(filePath, io.cwd),
    configFile: config.filePath ? relativePath(config.filePath, io.cwd) : null,
    context: verdict,
    rules: Object.fromEntries(
      fileConfig.rules.map((entry) => {
        const options = mergeOptions(entry.rule.meta.defaultOptions, entry.options);
        return [entry.id, [entry.severity === 2 ? 'error' : 'warn', ...options]];
      }),
    ),
    settings: fileConfig.settings,
  };
  io.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
}

function readFirstLine(filePath: string): string {
  try {
    const head = readFileSync(filePath, { encoding: 'utf8', flag: 'r' }).slice(0, 256);
    return head.split('\n', 1)[0] ?? '';
  } catch {
    return '';
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a value of type ${typeof value}`;
}

/**
 * A formatter is someone else's code: one that throws or returns something other than a string
 * is named in the message. One whose promise never settles would leave Node with nothing to do
 * and an unsettled await (exit 13, no message): when the event loop empties while it is still
 * awaited, that is reported instead.
 */
async function runFormatter(name: string, format: () => string | Promise<string>): Promise<string> {
  // Settling this promise gives the loop work again, so the run ends through the usual error
  // path with exit 2 instead of a process.exit that would also end a caller's process.
  const stalled = new UsageError(`formatter "${name}" never finished: the promise it returned never settled`);
  let onStall = () => {};
  const stall = new Promise<never>((_resolve, reject) => (onStall = () => reject(stalled)));
  process.once('beforeExit', onStall);
  let output: unknown;
  try {
    output = await Promise.race([format(), stall]);
  } catch (error) {
    if (error === stalled) throw error;
    throw new UsageError(`formatter "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    process.off('beforeExit', onStall);
  }
  if (typeof output !== 'string')
    throw new UsageError(`formatter "${name}" returned ${describeValue(output)}, not a string`);
  return output;
}

/**
 * Type-aware mode, when asked for: `--project <tsconfig>` forces one program for every file;
 * `--project-service` (or `"projectService": true` in the config) gives each file its nearest
 * tsconfig's program. The languages build what they need (`--stats`: type program).
 */
async function typeAwareMode(
  options: CliOptions,
  config: ResolvedConfig,
  cwd: string,
  io: CliIo,
): Promise<TypeInformation<LanguageOptions> | undefined> {
  if (options.project && options.projectService)
    throw new UsageError(
      "--project <tsconfig> uses one tsconfig for every file and --project-service finds each file's own: choose one.",
    );
  const projectService = options.projectService ?? config.projectService;
  if (!options.project && !projectService) return undefined;
  const onChecker = options.debug ? debugProgramChoice(cwd, io) : undefined;
  const { typeInformationFor } = await import('../languages/index.js');
  return typeInformationFor({ cwd, project: options.project, projectService, onChecker });
}

/** `--debug`: which tsconfig each program comes from and which TypeScript built it; a fallback is explained once. */
function debugProgramChoice(cwd: string, io: CliIo): (tsconfigPath: string, compiler: CompilerInfo) => void {
  const explained = new Set<string>();
  return (tsconfigPath, compiler) => {
    if (compiler.fallbackReason && !explained.has(compiler.fallbackReason)) {
      explained.add(compiler.fallbackReason);
      io.stderr.write(
        `asynclint: debug: ${compiler.fallbackReason}; type information comes from TypeScript ${compiler.version}, bundled with asynclint\n`,
      );
    }
    io.stderr.write(`asynclint: debug: program for ${relativePath(tsconfigPath, cwd)} (${compiler.description})\n`);
  };
}

/**
 * Files no program covers lose type information; said once, so that it is not lost silently
 * (`--debug` names them).
 */
function reportFilesWithoutTypes(
  typed: TypeInformation<LanguageOptions>,
  forced: boolean,
  debug: boolean,
  io: CliIo,
): void {
  const filesWithoutTypes = typed.filesWithoutTypes();
  const count = filesWithoutTypes.size;
  if (count === 0) return;
  const files = count === 1 ? '1 file was' : `${count} files were`;
  const why = forced
    ? 'outside the --project program (--project-service gives each file its nearest tsconfig)'
    : "in no tsconfig's files, include or references";
  io.stderr.write(
    `asynclint: note: ${files} linted without type information: ${why}${debug ? '' : ' (--debug lists them)'}\n`,
  );
  if (debug)
    for (const file of filesWithoutTypes)
      io.stderr.write(`asynclint: debug: no type information: ${relativePath(file, io.cwd)}\n`);
}
