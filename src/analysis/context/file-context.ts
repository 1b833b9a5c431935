/**
 * Where a file's code runs, from facts that know no language: its path inside its package, the
 * package's manifest (`bin`, `scripts`, `main`, `exports`) and the file's first line. Rules ask
 * it so that a sync read in a release script is not reported as if it stalled a busy server.
 *
 * - `request`: code that runs once per event in a long-lived process: request handlers,
 *   middleware, listeners, timers. Other work is waiting on the event loop while it runs.
 * - `library`: code whose callers are unknown (exported functions and methods, and what they
 *   call). It may run per request, or once at startup, or in a build: the file cannot tell.
 *   Code shape narrows it to `request` where it is a callback that runs per event.
 * - `one-shot`: code that runs once and exits: CLI entries, scripts, tools, build files,
 *   config files, docs and examples, startup and shutdown paths.
 * - `tooling`: one-shot code of the repository's own scripts, docs, build and CI files, which no
 *   package publishes (see published-files.ts): it runs on its maintainers' machines only, while
 *   one-shot code a package ships (its commands) runs on users' machines, where they wait for it.
 *   It is one-shot in every other respect: a rule that reports in one reports in the other by
 *   default, unless waiting is all the difference (await-in-loop).
 * - `bench`: benchmarks: code that runs to measure other code. One operation after another is
 *   what a benchmark times (so samples do not overlap), so perf rules stay out of it.
 * - `test`: test files and their helpers, and bodies of test-runner callbacks.
 */
import path from 'node:path';
import { unpublishedReason } from './published-files.js';

export type RunContext = 'request' | 'library' | 'one-shot' | 'tooling' | 'bench' | 'test';
export const RUN_CONTEXTS: readonly RunContext[] = ['request', 'library', 'one-shot', 'tooling', 'bench', 'test'];

/** Whether code runs once and exits: `one-shot`, or `tooling`, its unpublished kind. */
export function runsOnce(context: RunContext): boolean {
  return context === 'one-shot' || context === 'tooling';
}

export interface ContextVerdict {
  context: RunContext;
  /** Why, in words a user can check: `path segment "scripts"`, `package.json "bin"`. */
  reason: string;
}

/** What a package manifest says about its files (paths relative to the package directory, `/`-separated). */
export interface PackageFacts {
  directory: string;
  /** Files named by `bin`, and the sources they are built from. */
  binFiles: ReadonlySet<string>;
  /** Files that `scripts` run with an interpreter (`node scripts/build.js`, `tsx tools/gen.ts`). */
  scriptFiles: ReadonlySet<string>;
  /** Files named by `main`, `module` and `exports`, and their sources: what other code imports. */
  entryFiles: ReadonlySet<string>;
  /** The package is a command and nothing else: it has `bin` but exports nothing for other code to import. */
  commandOnly: boolean;
  /**
   * The commands (package names) that are the only users of this package in its workspace,
   * directly or through packages only they use: its code runs inside them.
   */
  onlyCommandsUse?: string;
  /** What names the commands in `binFiles`, as a reason says it (default `package.json "bin"`). */
  commandSource?: string;
  /** `"private": true`: the package is never published. */
  isPrivate?: boolean;
  /** The manifest's `"files"` patterns: what a publish of the package ships (absent: everything). */
  files?: readonly string[];
}

/**
 * Folder names that hold code of one kind by the conventions of the npm ecosystem and its test
 * runners (jest's `__tests__`, mocha's `test/`, `scripts/` run by `npm run`). They are facts of
 * where the code sits, not of what it is named: a file moves into `test/` to be run as a test.
 */
const TEST_FOLDERS = new Set([
  'test',
  'tests',
  '__tests__',
  'spec',
  'specs',
  'e2e',
  '__mocks__',
  'mocks',
  'fixtures',
  '__fixtures__',
  'test-utils',
  'testutils',
  'testing',
]);
const ONE_SHOT_FOLDERS = new Set([
  'scripts',
  'script',
  'bin',
  'tools',
  'build',
  'docs',
  'documentation',
  'examples',
  'example',
  'playground',
  'playgrounds',
  'demo',
  'demos',
  '.github',
  '.husky',
  'codemods',
]);
/** Folders of benchmarks (undici's `benchmarks/`, astro's `benchmark/`, tinybench's and vitest's `bench/`). */
const BENCH_FOLDERS = new Set(['bench', 'benchmark', 'benchmarks']);

/**
 * `x.test.ts`, `x.spec.js`, `x-test.mjs`, `x_test.js`, `x.e2e.ts`, `test.js`, `test-x.js` (mocha,
 * jest, vitest, node:test defaults); `test_x.py`, `x_test.py`, `tests.py` (pytest's and Django's).
 */
const TEST_FILE = /(?:[._-](?:test|spec|e2e)s?|^tests?(?:[._-][^.]*)?)\.(?:[cm]?[jt]sx?|py)$/i;
/** pytest's fixtures and hooks for the folder it sits in. */
const TEST_SUPPORT_FILE = /^conftest\.py$/;
/** `parse.bench.ts`, `content-benchmark.mjs`, `bench.js`, `bench-pipelining.js`, `benchCircularImport.ts`. */
const BENCH_FILE = /(?:^|[._-])[Bb]ench(?:mark)?s?(?:[._-][^/]*|[A-Z][^/]*)?\.(?:[cm]?[jt]sx?|py)$/;
/** `vite.config.ts`, `rollup.config.mjs`, `.eslintrc.js`, `gulpfile.js`, `setup.py`, `noxfile.py`: read once by a tool. */
const CONFIG_FILE =
  /(?:\.config|rc)\.[cm]?[jt]s$|^(?:gulpfile|gruntfile|jakefile)\.[cm]?[jt]s$|^(?:setup|noxfile)\.py$/i;

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

/**
 * The path to judge: relative to the package when the file is in one, else to `cwd`, else the
 * file's name alone. Never the absolute path, whose folders (`/home/me/tests/...`) say nothing.
 */
function judgedPath(filePath: string, cwd: string, facts: PackageFacts | null): string {
  const base = facts?.directory ?? cwd;
  const relative = path.relative(base, filePath);
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return toPosix(relative);
  const fromCwd = path.relative(cwd, filePath);
  if (fromCwd && !fromCwd.startsWith('..') && !path.isAbsolute(fromCwd)) return toPosix(fromCwd);
  return path.basename(filePath);
}

/** Folders between the workspace root and the package count too (`test/fixtures/pkg/src/a.js` is a fixture). */
function foldersAbovePackage(filePath: string, cwd: string, facts: PackageFacts | null): string[] {
  if (!facts) return [];
  const relative = path.relative(cwd, facts.directory);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return [];
  return toPosix(relative).split('/');
}

/**
 * The context a file's path and manifest give. `firstLine` is the file's first line: a shebang
 * makes a file an executable script whatever its folder.
 */
export function classifyFile(
  filePath: string,
  cwd: string,
  facts: PackageFacts | null,
  firstLine = '',
): ContextVerdict {
  const relative = judgedPath(filePath, cwd, facts);
  const segments = relative.split('/');
  const name = segments.pop()!;
  const folders = [...foldersAbovePackage(filePath, cwd, facts), ...segments];
  const testFolder = folders.find((folder) => TEST_FOLDERS.has(folder.toLowerCase()));
  if (testFolder) return { context: 'test', reason: `it is under a "${testFolder}" folder` };
  if (TEST_FILE.test(name)) return { context: 'test', reason: `"${name}" is named as a test file` };
  if (TEST_SUPPORT_FILE.test(name)) return { context: 'test', reason: `"${name}" holds the test runner's fixtures` };
  // Before `bin` and `scripts`: `npm run bench` runs a benchmark, which is still a benchmark.
  const benchFolder = folders.find((folder) => BENCH_FOLDERS.has(folder.toLowerCase()));
  if (benchFolder) return { context: 'bench', reason: `it is under a "${benchFolder}" folder` };
  if (BENCH_FILE.test(name)) return { context: 'bench', reason: `"${name}" is named as a benchmark` };
  if (facts?.binFiles.has(relative))
    return { context: 'one-shot', reason: `${facts.commandSource ?? 'package.json "bin"'} runs it as a command` };
  if (name === '__main__.py')
    return { context: 'one-shot', reason: '"__main__.py" runs when its package is run as a command (python -m)' };
  const oneShot = oneShotByPlace(relative, name, folders, facts, firstLine);
  if (oneShot) {
    // Only code one-shot by where it sits is judged: `bin` and the packages only commands use are
    // the commands users run, and a package publishes its commands.
    const unpublished = facts ? unpublishedReason(relative, facts) : null;
    return unpublished
      ? { context: 'tooling', reason: `${unpublished} and ${oneShot}` }
      : { context: 'one-shot', reason: oneShot };
  }
  if (facts?.commandOnly)
    return {
      context: 'one-shot',
      reason: 'its package is a command (package.json has "bin" and exports nothing else)',
    };
  if (facts?.onlyCommandsUse)
    return {
      context: 'one-shot',
      reason: `in its workspace only commands use its package (${facts.onlyCommandsUse})`,
    };
  if (facts?.entryFiles.has(relative))
    return { context: 'library', reason: 'package.json exports it: its callers are unknown' };
  return { context: 'library', reason: 'library code: its callers are unknown' };
}

/** Why a file runs once by where it sits: a package.json script, a shebang, its folder, a config file name. */
function oneShotByPlace(
  relative: string,
  name: string,
  folders: readonly string[],
  facts: PackageFacts | null,
  firstLine: string,
): string | null {
  if (facts?.scriptFiles.has(relative)) return 'a package.json script runs it';
  if (firstLine.startsWith('#!')) return 'it starts with a shebang: an executable script';
  const oneShotFolder = folders.find((folder) => ONE_SHOT_FOLDERS.has(folder.toLowerCase()));
  if (oneShotFolder) return `it is under a "${oneShotFolder}" folder`;
  if (CONFIG_FILE.test(name)) return `"${name}" is a tool's config file, read once`;
  return null;
}

/** The schema of a rule's `contexts` option (the same in every language: one config line speaks of both). */
export function contextsOption(defaults: readonly RunContext[]): Record<string, unknown> {
  return {
    type: 'array',
    items: { enum: [...RUN_CONTEXTS] },
    uniqueItems: true,
    description:
      'Where the rule reports: `request` (handlers, middleware, listeners and timers: code run per event), ' +
      '`library` (exported code whose callers are unknown), ' +
      '`one-shot` (CLI entries, scripts, build and config files, exit handlers), ' +
      "`tooling` (one-shot files no package publishes: the repository's own scripts, docs, build and CI files), " +
      '`bench` (benchmarks: files under `bench/` or `benchmark(s)/`, `*.bench.*`) and `test` ' +
      `(test files, their helpers and test-runner callbacks). Default: ${defaults.map((name) => `\`${name}\``).join(', ')}.`,
  };
}
