#!/usr/bin/env node
// Benchmark: lint a folder of real code with asynclint and with ESLint running the closest peer
// rules (no-await-in-loop, n/no-sync), one after the other in the same run. Prints wall time,
// CPU time, files per second, peak memory, finding counts and the ratio asynclint / ESLint.
//
//   npm run bench -- <folder> [--runs N] [--project tsconfig.json]
//
// With --project, it also runs the type-aware comparison: asynclint --project against ESLint with
// @typescript-eslint/no-floating-promises and parserOptions.project, on the same files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args.splice(runsFlag, 2)[1]) : 3;
const projectFlag = args.indexOf('--project');
const project = projectFlag >= 0 ? args.splice(projectFlag, 2)[1] : null;
const folder = args[0];
if (!folder || !existsSync(folder)) {
  console.error('usage: npm run bench -- <folder> [--runs N]');
  process.exit(2);
}
const target = path.resolve(folder);
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

/** A row of the table: asynclint with `flags`, its JSON report in `report`; every finding counts. */
function asynclintRun(name, report, flags) {
  const output = path.join(scratch, report);
  return {
    name,
    command: [path.join(root, 'bin', 'asynclint.js'), target, '--no-config', ...flags, '-f', 'json', '-o', output],
    output,
    rules: null,
  };
}

/** A row of the table: ESLint with `config`; only findings of `rules` count (the corpus's own disable comments name others). */
function eslintRun(name, report, config, rules) {
  const output = path.join(scratch, report);
  return {
    name,
    command: [eslintBin, '--config', config, '--no-warn-ignored', '-f', 'json', '-o', output, target],
    output,
    rules: new Set(rules),
  };
}

const warm = asynclintRun('asynclint (warm: nothing changed)', 'asynclint-warm.json', [
  '--cache-location',
  cacheLocation,
]);
const tools = [
  asynclintRun('asynclint (cold)', 'asynclint.json', ['--no-cache']),
  // The first (unmeasured) run fills the cache; every measured run finds nothing changed.
  { ...warm, prepare: warm.command },
  eslintRun('eslint (no-await-in-loop, n/no-sync)', 'eslint.json', eslintConfig, ['no-await-in-loop', 'n/no-sync']),
  ...(project
    ? [
        asynclintRun('asynclint --project (type-aware)', 'asynclint-typed.json', ['--project', project]),
        eslintRun('eslint + no-floating-promises (typed)', 'eslint-typed.json', typedConfig, [
          '@typescript-eslint/no-floating-promises',
        ]),
      ]
    : []),
];

function measure(tool) {
  if (tool.prepare && !tool.prepared) {
    spawnSync(process.execPath, tool.prepare, { cwd: target, encoding: 'utf8', maxBuffer: 1 << 28 });
    tool.prepared = true;
  }
  const rssFile = path.join(scratch, `${tool.name.replace(/\W+/g, '-')}.rss`);
  rmSync(rssFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', peakMemoryHook, ...tool.command], {
    cwd: target,
    env: { ...process.env, ASYNCLINT_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${tool.name} failed (${result.status}): ${result.stderr.slice(0, 500)}`);
  // A line per exit: one for the process (its figures cover every thread); the largest is the process's.
  const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
  const peak = Math.max(...lines.map((line) => Number(line.split(' ')[0])));
  const cpuSeconds = Math.max(...lines.map((line) => Number(line.split(' ')[1]))) / 1e6;
  return { seconds, cpuSeconds, peak };
}

function summarize(tool) {
  const results = JSON.parse(readFileSync(tool.output, 'utf8'));
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
// Round by round, every row once a round: on a machine whose load changes during the bench, the
// change weighs on every row alike, and the ratios between rows stay fair.
const samples = new Map(tools.map((tool) => [tool, []]));
for (let round = 0; round < runs; round++) for (const tool of tools) samples.get(tool).push(measure(tool));
const rows = tools.map((tool) => ({
  tool: tool.name,
  seconds: median(samples.get(tool).map((s) => s.seconds)),
  cpuSeconds: median(samples.get(tool).map((s) => s.cpuSeconds)),
  peakMb: median(samples.get(tool).map((s) => s.peak)) / 1048576,
  ...summarize(tool),
}));

console.log(`corpus: ${target}`);
console.log(
  `median of ${runs} runs each, ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at the end\n`,
);
console.log(
  `${'tool'.padEnd(38)} ${'files'.padStart(6)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'files/s'.padStart(9)} ${'peak MB'.padStart(8)}  findings`,
);
for (const row of rows) {
  const findings =
    Object.entries(row.byRule)
      .map(([rule, count]) => `${rule}: ${count}`)
      .join(', ') + (row.fatal ? `, parse errors: ${row.fatal}` : '');
  console.log(
    `${row.tool.padEnd(38)} ${String(row.files).padStart(6)} ${row.seconds.toFixed(2).padStart(8)} ${row.cpuSeconds.toFixed(2).padStart(8)} ${(row.files / row.seconds).toFixed(0).padStart(9)} ${row.peakMb.toFixed(0).padStart(8)}  ${findings}`,
  );
}
const ratio = (ours, theirs, label) =>
  console.log(
    `ratio ${label}: wall ${(ours.seconds / theirs.seconds).toFixed(2)}, cpu ${(ours.cpuSeconds / theirs.cpuSeconds).toFixed(2)}, peak memory ${(ours.peakMb / theirs.peakMb).toFixed(2)}`,
  );
console.log('');
const byName = (prefix) => rows.find((row) => row.tool.startsWith(prefix));
ratio(byName('asynclint (cold)'), byName('eslint (no-await'), 'asynclint cold / eslint (syntactic)');
ratio(byName('asynclint (warm'), byName('eslint (no-await'), 'asynclint warm / eslint (syntactic)');
if (project) ratio(byName('asynclint --project'), byName('eslint + no-floating'), 'asynclint --project / eslint typed');
rmSync(scratch, { recursive: true, force: true });
