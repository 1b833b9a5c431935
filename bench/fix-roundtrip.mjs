#!/usr/bin/env node
/**
 * Checks --fix end to end on a copy of a folder: every fixed file still parses, a second --fix
 * changes nothing, and every byte outside the fixes is kept (the first run's reported fixes,
 * applied here, must give exactly the file --fix wrote; a byte order mark and the mode, too).
 *
 *   node bench/fix-roundtrip.mjs <folder> [more asynclint arguments, e.g. --rule id:error]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'asynclint.js');
const { parsesCleanly } = await import(path.join(ROOT, 'dist', 'src', 'languages', 'js', 'parser', 'index.js'));

const [folder, ...extra] = process.argv.slice(2);
if (!folder) {
  console.error('usage: node bench/fix-roundtrip.mjs <folder> [asynclint arguments]');
  process.exit(2);
}

function lint(cwd, args) {
  const result = spawnSync(process.execPath, [BIN, '.', '-f', 'json', '--no-cache', ...extra, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0 && result.status !== 1) {
    console.error(
      `fix-roundtrip: asynclint ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr.split('\n')[0]}`,
    );
    process.exit(1);
  }
  return JSON.parse(result.stdout);
}

function snapshot(root) {
  const files = new Map();
  const stack = [root];
  while (stack.length > 0) {
    const current = stack.pop();
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (entry.isFile()) files.set(full, { bytes: readFileSync(full), mode: statSync(full).mode });
    }
  }
  return files;
}

/** The reported fixes applied as the CLI promises: sorted, non-overlapping ones, in one pass. */
function expectedOutput(text, messages) {
  const fixes = messages
    .map((message) => message.fix)
    .filter(Boolean)
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = '';
  let cursor = 0;
  for (const fix of fixes) {
    if (fix.range[0] < cursor) continue;
    output += text.slice(cursor, fix.range[0]) + fix.text;
    cursor = fix.range[1];
  }
  return output + text.slice(cursor);
}

const scratch = mkdtempSync(path.join(tmpdir(), 'asynclint-roundtrip-'));
cpSync(path.resolve(folder), scratch, { recursive: true });
const before = snapshot(scratch);
const reported = new Map(lint(scratch, []).map((result) => [result.filePath, result.messages]));
lint(scratch, ['--fix']);
const afterFirst = snapshot(scratch);
lint(scratch, ['--fix']);
const afterSecond = snapshot(scratch);

const problems = [];
let fixedFiles = 0;
for (const [file, { bytes, mode }] of before) {
  const first = afterFirst.get(file);
  if (!first) {
    problems.push(`${file}: gone after --fix`);
    continue;
  }
  if (first.mode !== mode) problems.push(`${file}: mode ${mode.toString(8)} became ${first.mode.toString(8)}`);
  if (!afterSecond.get(file)?.bytes.equals(first.bytes)) problems.push(`${file}: the second --fix changed it again`);
  if (first.bytes.equals(bytes)) continue;
  fixedFiles++;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.toString('utf8', bom ? 3 : 0);
  const expected = (bom ? '\uFEFF' : '') + expectedOutput(text, reported.get(file) ?? []);
  const written = first.bytes.toString('utf8');
  if (written !== expected) problems.push(`${file}: bytes outside the reported fixes changed`);
  if (!parsesCleanly(written.replace(/^\uFEFF/, ''), file)) problems.push(`${file}: does not parse after --fix`);
}
for (const file of afterFirst.keys()) if (!before.has(file)) problems.push(`${file}: left behind by --fix`);

console.log(
  `fix-roundtrip: ${before.size} files copied to ${scratch}, ${fixedFiles} fixed, ${problems.length} problems`,
);
for (const problem of problems) console.log(`  ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
