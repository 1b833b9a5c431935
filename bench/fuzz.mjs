#!/usr/bin/env node
/**
 * Fuzzes the built CLI with mutations of real files, looking for crashes: an exit code other than
 * 0 or 1, a signal, or a stack trace or "internal error" on standard error. Each batch of mutated
 * files is linted in one run (plain, then with --fix on a copy); a batch that crashes is bisected
 * to the files that crash alone, which are kept in the output folder for reproduction.
 *
 *   node bench/fuzz.mjs <folder>... [--minutes 10] [--seed 1] [--batch 25] [--out fuzz-crashes]
 *
 * Mutations: truncation, token deletion and duplication, byte flips, splices of two files, and
 * deep nesting generators (brackets, templates, operator and member chains, JSX, types).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'asynclint.js');
const EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;

function parseArguments(argv) {
  const options = {
    folders: [],
    minutes: 10,
    seed: Date.now() % 100000,
    batch: 25,
    out: path.join(process.cwd(), 'fuzz-crashes'),
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--minutes') options.minutes = Number(argv[++index]);
    else if (argument === '--seed') options.seed = Number(argv[++index]);
    else if (argument === '--batch') options.batch = Number(argv[++index]);
    else if (argument === '--out') options.out = path.resolve(argv[++index]);
    else options.folders.push(path.resolve(argument));
  }
  if (options.folders.length === 0 || !(options.minutes > 0)) {
    console.error('usage: node bench/fuzz.mjs <folder>... [--minutes 10] [--seed 1] [--batch 25] [--out dir]');
    process.exit(2);
  }
  return options;
}

/** A small deterministic generator (mulberry32), so a seed reproduces a run. */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

function sourceFiles(folder) {
  const found = [];
  const stack = [folder];
  while (stack.length > 0) {
    const current = stack.pop();
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') stack.push(full);
      else if (entry.isFile() && EXTENSIONS.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  }
  return found;
}

const DEEP = [
  (n) => `export const x = ${'('.repeat(n)}1${')'.repeat(n)};\n`,
  (n) => `export const x = ${'['.repeat(n)}${']'.repeat(n)};\n`,
  (n) => `${'{'.repeat(n)}${'}'.repeat(n)}\n`,
  (n) => `export const x = ${'`${'.repeat(n)}1${'}`'.repeat(n)};\n`,
  (n) => `export const x = ${Array(n).fill('a').join(' + ')};\n`,
  (n) => `export const x = a${'.b'.repeat(n)};\n`,
  (n) => `export const x = f${'()'.repeat(n)};\n`,
  (n) => `export const x = ${'a => '.repeat(n)}1;\n`,
  (n) => `export const x = ${'a ? b : '.repeat(n)}c;\n`,
  (n) => `${'if (a) '.repeat(n)};\n`,
  (n) => `export const x = ${'!'.repeat(n)}a;\n`,
  (n) => `export const x = ${'-'.repeat(n).split('').join(' ')}a;\n`,
  (n) => `export const x = ${'{a:'.repeat(n)}1${'}'.repeat(n)};\n`,
  (n) => `async function f() { ${'await '.repeat(n)}g(); }\n`,
  (n) => `export const x = ${'new '.repeat(n)}C;\n`,
  (n) => `export const x = ${'typeof '.repeat(n)}a;\n`,
  (n) => `if (a) {} ${'else if (a) {} '.repeat(n)}\n`,
  (n) => `if (a) {\n}${'\nelse if (a) {\n}'.repeat(n)}\n`,
  (n) => `export const x = ${'a = '.repeat(n)}1;\n`,
  (n) => `export const x = ${'(a, '.repeat(n)}1${')'.repeat(n)};\n`,
  (n) => `export async function f() { ${'for (const a of b) '.repeat(n)}await g(a); }\n`,
  (n) => `export async function f() { ${'try { '.repeat(n)}await g();${' } catch {}'.repeat(n)} }\n`,
];
const DEEP_TS = [
  (n) => `type X = ${'Array<'.repeat(n)}a${'>'.repeat(n)};\n`,
  (n) => `type X = ${'{ a: '.repeat(n)}1${' }'.repeat(n)};\n`,
];
const DEEP_JSX = [
  (n) => `export const x = ${'<div>'.repeat(n)}${'</div>'.repeat(n)};\n`,
  (n) => `export const x = ${'<a b={'.repeat(n)}1${'} />'.repeat(n)};\n`,
];

function mutate(text, other, rng, extension) {
  const kind = rng.int(8);
  const tokens = () => text.split(/(\s+|[(){}[\];,.<>=:?!+\-*/`'"])/);
  switch (kind) {
    case 0:
      return { kind: 'truncate', text: text.slice(0, rng.int(text.length + 1)) };
    case 1: {
      const parts = tokens();
      for (let count = 1 + rng.int(5); count > 0 && parts.length > 0; count--) parts.splice(rng.int(parts.length), 1);
      return { kind: 'delete tokens', text: parts.join('') };
    }
    case 2: {
      const parts = tokens();
      for (let count = 1 + rng.int(5); count > 0 && parts.length > 0; count--)
        parts.splice(rng.int(parts.length), 0, rng.pick(parts));
      return { kind: 'duplicate tokens', text: parts.join('') };
    }
    case 3: {
      const bytes = Buffer.from(text);
      for (let count = 1 + rng.int(8); count > 0 && bytes.length > 0; count--)
        bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
      return { kind: 'flip bytes', text: bytes };
    }
    case 4:
      return { kind: 'splice', text: text.slice(0, rng.int(text.length + 1)) + other.slice(rng.int(other.length + 1)) };
    case 5:
    case 6: {
      const generators = [...DEEP, ...(/ts/.test(extension) ? DEEP_TS : []), ...(/x$/.test(extension) ? DEEP_JSX : [])];
      const depth = rng.pick([500, 1000, 2000, 5000, 10000, 30000, 100000, 250000]);
      const generated = rng.pick(generators)(depth);
      const at = rng.int(text.length + 1);
      return {
        kind: `deep nesting (${depth})`,
        text: rng.int(2) ? generated : text.slice(0, at) + generated + text.slice(at),
      };
    }
    default: {
      // A BOM, CRLF line endings, or a lone surrogate: encodings and line breaks.
      const variant = rng.int(3);
      if (variant === 0) return { kind: 'bom', text: `\uFEFF${text}` };
      if (variant === 1) return { kind: 'crlf', text: text.replace(/\n/g, '\r\n') };
      return { kind: 'odd characters', text: text.replace(/;/, ';\u2028\u0000') };
    }
  }
}

/** A run's crash, or null: exit codes 0 and 1 with no stack trace are the only outcomes allowed. */
function crashOf(result) {
  if (result.error && result.error.code === 'ETIMEDOUT') return 'timed out (a hang)';
  if (result.signal) return `killed by ${result.signal}`;
  if (result.status !== 0 && result.status !== 1) return `exit code ${result.status}: ${firstLine(result.stderr)}`;
  if (/\n\s+at .+(?::\d+:\d+\)?|\(native\))$/m.test(result.stderr)) return `stack trace: ${firstLine(result.stderr)}`;
  if (/internal error/i.test(result.stderr)) return `internal error: ${firstLine(result.stderr)}`;
  // A rule that crashed on a file is that file's "Internal error" message: a bug to find, too.
  let results = [];
  try {
    results = JSON.parse(result.stdout || '[]');
  } catch {
    return `standard output is not the JSON report: ${firstLine(result.stdout)}`;
  }
  for (const { messages } of results) {
    const internal = messages.find(
      (message) => /^Internal error/.test(message.message) || /RangeError|Maximum call stack/.test(message.message),
    );
    if (internal) return `message: ${internal.message.slice(0, 200)}`;
  }
  return null;
}

function firstLine(text) {
  return (text ?? '').split('\n').find(Boolean)?.slice(0, 200) ?? '';
}

function lint(folder, args) {
  return spawnSync(process.execPath, [BIN, folder, '-f', 'json', '--no-cache', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 5 * 60 * 1000,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const rng = random(options.seed);
  const files = options.folders.flatMap(sourceFiles).filter((file) => {
    try {
      return readFileSync(file).length < 512 * 1024;
    } catch {
      return false;
    }
  });
  if (files.length === 0) {
    console.error('fuzz: no JavaScript or TypeScript files in the folders given');
    process.exit(2);
  }
  console.log(
    `fuzz: ${files.length} files, seed ${options.seed}, ${options.minutes} minutes, batches of ${options.batch}`,
  );
  const deadline = Date.now() + options.minutes * 60 * 1000;
  const crashes = [];
  let batches = 0;
  let mutated = 0;
  const kinds = new Map();
  while (Date.now() < deadline) {
    const scratch = mkdtempSync(path.join(tmpdir(), 'asynclint-fuzz-'));
    const batch = [];
    for (let index = 0; index < options.batch; index++) {
      const original = rng.pick(files);
      const extension = path.extname(original);
      const { kind, text } = mutate(
        readFileSync(original, 'utf8'),
        readFileSync(rng.pick(files), 'utf8'),
        rng,
        extension,
      );
      const name = `m${index}${extension}`;
      writeFileSync(path.join(scratch, name), text);
      batch.push({ name, kind, original });
      kinds.set(kind.replace(/ \(\d+\)/, ''), (kinds.get(kind.replace(/ \(\d+\)/, '')) ?? 0) + 1);
    }
    mutated += batch.length;
    batches++;
    for (const mode of [[], ['--fix']]) {
      const folder = mode.length ? `${scratch}-fix` : scratch;
      if (mode.length) cpSync(scratch, folder, { recursive: true });
      const crash = crashOf(lint(folder, mode));
      if (crash) crashes.push(...isolate(folder, batch, mode, crash, options.out));
      if (mode.length) rmSync(folder, { recursive: true, force: true });
    }
    rmSync(scratch, { recursive: true, force: true });
    if (batches % 10 === 0) console.log(`fuzz: ${batches} batches, ${mutated} files, ${crashes.length} crashes`);
  }
  console.log(
    `fuzz: done: ${batches} batches, ${mutated} mutated files (${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ')})`,
  );
  if (crashes.length === 0) {
    console.log('fuzz: no crashes');
    return;
  }
  console.log(`fuzz: ${crashes.length} crashes, kept in ${options.out}:`);
  for (const crash of crashes)
    console.log(`  ${crash.file} (${crash.kind}, from ${crash.original}${crash.mode}): ${crash.crash}`);
  process.exitCode = 1;
}

/** The files of a crashing batch that crash alone (or the whole batch, when none does). */
function isolate(folder, batch, mode, crash, out) {
  mkdirSync(out, { recursive: true });
  const found = [];
  for (const entry of batch) {
    const single = mkdtempSync(path.join(tmpdir(), 'asynclint-fuzz-one-'));
    const file = path.join(folder, entry.name);
    let text;
    try {
      text = readFileSync(file);
    } catch {
      continue;
    }
    writeFileSync(path.join(single, entry.name), text);
    const alone = crashOf(lint(single, mode));
    rmSync(single, { recursive: true, force: true });
    if (!alone) continue;
    const kept = path.join(out, `${Date.now()}-${entry.name}`);
    writeFileSync(kept, text);
    found.push({
      file: kept,
      kind: entry.kind,
      original: entry.original,
      mode: mode.length ? ', --fix' : '',
      crash: alone,
    });
  }
  if (found.length > 0) return found;
  const kept = path.join(out, `${Date.now()}-batch`);
  cpSync(folder, kept, { recursive: true });
  return [{ file: kept, kind: 'batch', original: 'several files', mode: mode.length ? ', --fix' : '', crash }];
}

main();
