#!/usr/bin/env node
// The Python part of the real-world benchmark: extracts the pinned commit of each repository in
// python/repos.json from its bare mirror (.py and .pyi files only, and pyproject.toml), lints it
// with every Python rule at the defaults, and prints findings per rule and area joined with the
// ledger (python/ledger/*.jsonl): precision = true / labelled. Unlabelled findings are listed.
// Then recall on python/bugfixes.jsonl: the before-file of each fix (linted in the repository's
// tree at the fix's parent) must be reported, by a rule of the case's family, on the defect's
// lines (`lines`), or on a line the fix removed when the case gives none. The cases come from ten
// repositories (the six of repos.json, and MagicStack/asyncpg, redis/redis-py, sanic-org/sanic,
// fastapi/fastapi); a case whose repository has no mirror is listed as not counted.
//
//   node bench/realworld/python/run.mjs [--repo owner/name]...
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasMirror, mirrorDir, parseArgs, ROOT, SCRATCH, slug } from '../common.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(SCRATCH, 'python');
const options = parseArgs(process.argv.slice(2), { values: ['repo'], switches: [] });
const wanted = new Set(options.repo ?? []);
const repos = JSON.parse(readFileSync(path.join(HERE, 'repos.json'), 'utf8')).filter(
  (entry) => wanted.size === 0 || wanted.has(entry.repo),
);
const RULES = [
  'await-in-loop',
  'blocking-call',
  'floating-promise',
  'async-callback',
  'promise-in-condition',
  'nested-event-loop',
  'busy-wait',
  'return-await-in-try',
  'sequential-await',
];

/** Test code by pytest's conventions, examples and scripts as cli, the rest library. */
function areaOf(file) {
  const parts = file.split('/');
  const name = parts.at(-1);
  if (parts.some((part) => part === 'tests' || part === 'test') || /^test_|_test\.py$|^conftest\.py$/.test(name))
    return 'test';
  if (parts.some((part) => ['examples', 'example', 'scripts', 'tools', 'docs'].includes(part))) return 'cli';
  return 'library';
}

/** The Python files (and pyproject.toml) of `commit` in `dir`, once: a stamp file holds the commit. */
function extractPythonTree(repo, commit, dir) {
  const stamp = path.join(dir, '.asynclint-materialized');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === commit) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const gitDir = `--git-dir=${mirrorDir(repo)}`;
  const listing = execFileSync('git', [gitDir, 'ls-tree', '-r', '-z', '--name-only', commit], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const files = listing.split('\0').filter((file) => /\.pyi?$|(^|\/)pyproject\.toml$/.test(file));
  const archive = execFileSync('git', ['--literal-pathspecs', gitDir, 'archive', commit, '--', ...files], {
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  writeFileSync(stamp, commit);
  return dir;
}

function materialize(entry) {
  return extractPythonTree(entry.repo, entry.commit, path.join(OUT, slug(entry.repo)));
}

const config = path.join(OUT, 'config.json');
mkdirSync(OUT, { recursive: true });
writeFileSync(config, JSON.stringify({ rules: Object.fromEntries(RULES.map((rule) => [rule, 'warn'])) }));

const ledger = new Map();
for (const file of readdirSync(path.join(HERE, 'ledger')))
  for (const line of readFileSync(path.join(HERE, 'ledger', file), 'utf8').split('\n'))
    if (line.trim()) {
      const row = JSON.parse(line);
      ledger.set(`${row.repo}:${row.path}:${row.line}:${row.rule}`, row);
    }

const table = new Map();
const unlabelled = [];
for (const entry of repos) {
  const dir = materialize(entry);
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'asynclint.js'), '-c', config, '--no-cache', '--no-inline-config', '-f', 'json', '.'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (run.status === 2 || !run.stdout) {
    process.stderr.write(`${entry.repo}: lint failed: ${run.stderr.trim()}\n`);
    continue;
  }
  for (const result of JSON.parse(run.stdout)) {
    const file = path.relative(dir, result.filePath);
    const seen = new Set();
    for (const message of result.messages) {
      if (!message.ruleId) continue;
      const rule = message.ruleId.replace(/^asynclint\//, '');
      const key = `${entry.repo}:${file}:${message.line}:${rule}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const verdict = ledger.get(key)?.verdict ?? null;
      const row = `${rule}\t${areaOf(file)}`;
      const counts = table.get(row) ?? { findings: 0, true: 0, false: 0, intended: 0 };
      counts.findings += 1;
      if (verdict) counts[verdict] += 1;
      else unlabelled.push(`${key} ${message.message.slice(0, 100)}`);
      table.set(row, counts);
    }
  }
}

console.log('rule                  area     findings  true  false  intended  precision');
for (const [row, counts] of [...table].sort()) {
  const [rule, area] = row.split('\t');
  const labelled = counts.true + counts.false + counts.intended;
  const precision = labelled ? `${Math.round((100 * counts.true) / labelled)}%` : '-';
  console.log(
    `${rule.padEnd(22)}${area.padEnd(9)}${String(counts.findings).padStart(8)}${String(counts.true).padStart(6)}` +
      `${String(counts.false).padStart(7)}${String(counts.intended).padStart(10)}${precision.padStart(11)}`,
  );
}
console.log(`${repos.length} repositories; unlabelled: ${unlabelled.length}`);
for (const line of unlabelled) console.log(`  ${line}`);

// ---------------------------------------------------------------------------------------------
// Recall on the bug fixes

const FAMILIES = {
  sequential: ['await-in-loop', 'sequential-await'],
  blocking: ['blocking-call', 'busy-wait'],
  floating: ['floating-promise'],
  misuse: ['async-callback', 'promise-in-condition', 'return-await-in-try', 'nested-event-loop'],
};

/** The lines of the before-file that a fix removed or replaced, from its zero-context diff. */
function removedLines(repo, fix, file) {
  const diff = execFileSync('git', [`--git-dir=${mirrorDir(repo)}`, 'show', '--format=', '-U0', fix, '--', file], {
    encoding: 'utf8',
  });
  const lines = [];
  for (const hunk of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? /gm)) {
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    for (let line = start; line < start + count; line++) lines.push(line);
  }
  return lines;
}

const cases = readFileSync(path.join(HERE, 'bugfixes.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line))
  .filter((entry) => wanted.size === 0 || wanted.has(entry.repo));
const recall = new Map();
const withoutMirror = new Set();
for (const entry of cases) {
  // The cases come from more repositories than the precision corpus (asyncpg, redis-py, sanic, fastapi).
  if (!hasMirror(entry.repo)) {
    withoutMirror.add(entry.repo);
    continue;
  }
  // The whole tree before the fix, not only the changed file: a sync helper or a coroutine
  // function the file imports from another module is part of what the rules may follow.
  const before = execFileSync('git', [`--git-dir=${mirrorDir(entry.repo)}`, 'rev-parse', `${entry.fix}^`], {
    encoding: 'utf8',
  }).trim();
  const dir = extractPythonTree(entry.repo, before, path.join(OUT, 'fixes', slug(entry.repo), entry.fix));
  const run = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'asynclint.js'),
      '-c',
      config,
      '--no-cache',
      '--no-inline-config',
      '-f',
      'json',
      entry.path,
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  // The defect's own lines where the case gives them (`lines`: [from, to]), else every line the fix changed.
  const lines = new Set(
    entry.lines
      ? Array.from({ length: entry.lines[1] - entry.lines[0] + 1 }, (_, offset) => entry.lines[0] + offset)
      : removedLines(entry.repo, entry.fix, entry.path),
  );
  const rules = FAMILIES[entry.family];
  const found = JSON.parse(run.stdout || '[]').some((result) =>
    result.messages.some(
      (message) => rules.includes(String(message.ruleId).replace(/^asynclint\//, '')) && lines.has(message.line),
    ),
  );
  const counts = recall.get(entry.family) ?? { cases: 0, found: 0 };
  counts.cases += 1;
  if (found) counts.found += 1;
  else console.log(`  missed: ${entry.repo} ${entry.fix} ${entry.path} (${entry.reason})`);
  recall.set(entry.family, counts);
}
console.log('family       cases  found  recall');
for (const [family, counts] of recall)
  console.log(
    `${family.padEnd(13)}${String(counts.cases).padStart(5)}${String(counts.found).padStart(7)}` +
      `${`${Math.round((100 * counts.found) / counts.cases)}%`.padStart(8)}`,
  );
for (const repo of withoutMirror) console.log(`  not counted: no mirror of ${repo} (fetch it first)`);
