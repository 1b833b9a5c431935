/**
 * The result cache answers an unchanged file from its stat, without reading it (or the files its
 * findings depend on), and must never be fooled by a change its stat could hide: an edit that
 * keeps size and modification time, a copy put in place that keeps them, a change made within
 * the file system's time resolution. Files are written, then left to age past the racy window
 * once for the whole file (RACY_WINDOW_MS): a file changed more recently is never trusted by stat.
 */
import { readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeStat, RACY_WINDOW_MS, statFingerprint } from '../src/file-stamp.js';
import { runCli, SETTLED_TIME, writeSettledProject } from './helpers.js';

const FLOATING = `declare function save(): Promise<void>;
export async function handler() {
  save();
}
`;
const SILENCED = FLOATING.replace('  save();', '//save();');
/** Same length: the helper's function is async, or not (then nothing floats in the importer). */
const ASYNC_HELPER = 'export async function save() { await fetch("/save"); }\n';
const SYNC_HELPER = 'export       function save() {       fetch("/save"); }\n';
const IMPORTER = "import { save } from './helper';\nexport async function handler() {\n  save();\n}\n";
/** A library's exported function that blocks: reported only once some file calls it where requests wait. */
const UPDATE_HANDLER = `import { readFileSync } from 'node:fs';
export async function handleUpdate(file: string): Promise<string> {
  return readFileSync(file, 'utf8');
}
`;
/** Calls it from a watcher's listener, once per changed file. */
const WATCHER = `import { watch } from 'node:fs';
import { handleUpdate } from './update';
watch('.').on('change', (_event, file) => {
  handleUpdate(String(file)).catch(console.error);
});
`;
const LIBRARY = { 'package.json': '{ "name": "dev-tool", "version": "1.0.0" }\n', 'src/update.ts': UPDATE_HANDLER };

function project(files: Record<string, string>): string {
  return writeSettledProject('asynclint-cache-stat-', files);
}

async function lint(root: string, ...files: string[]) {
  const run = await runCli(['-f', 'json', '--stats', ...files], { cwd: root });
  const results = JSON.parse(run.stdout) as { messages: { ruleId: string }[] }[];
  return {
    rules: results.flatMap((result) => result.messages.map((message) => message.ruleId)),
    cache: /cache \(.*/.exec(run.stderr)?.[0].replace(/\s+[\d.]+ ms$/, ''),
  };
}

/** Same size, same modification time, same inode: only the change time tells. */
function editInPlace(file: string, text: string): void {
  const before = statSync(file);
  expect(Buffer.byteLength(text)).toBe(before.size);
  writeFileSync(file, text);
  utimesSync(file, SETTLED_TIME, SETTLED_TIME);
  const after = statSync(file);
  expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
}

describe('statFingerprint', () => {
  const stats = statSync(fileURLToPath(import.meta.url));
  const latest = Math.max(stats.mtimeMs, stats.ctimeMs);

  it('is not given for a file changed within the racy window, nor for one with a time in the future', () => {
    expect(statFingerprint(stats, latest + RACY_WINDOW_MS)).toBe(describeStat(stats));
    expect(statFingerprint(stats, latest + RACY_WINDOW_MS - 1)).toBeNull();
    expect(statFingerprint(stats, latest - 60_000)).toBeNull();
  });

  it('holds size, modification time, change time and inode', () => {
    const key = describeStat(stats)!;
    for (const changed of [
      { size: stats.size + 1 },
      { mtimeMs: stats.mtimeMs + 1 },
      { ctimeMs: stats.ctimeMs + 0.001 },
      { ino: stats.ino + 1 },
    ])
      expect(describeStat(Object.assign(Object.create(stats) as typeof stats, changed))).not.toBe(key);
  });
});

describe('the cache answers unchanged files by stat', () => {
  const roots: Record<string, string> = {};

  beforeAll(async () => {
    roots.unchanged = project({ 'a.ts': FLOATING, 'b.ts': 'export const b = 1;\n' });
    roots.inPlace = project({ 'a.ts': FLOATING });
    roots.copied = project({ 'a.ts': FLOATING });
    // In a folder of their own: where './helper' leads depends on the listing of the folder it is
    // in, and the first run adds the cache's folder to the project's root.
    roots.dependency = project({ 'src/helper.ts': ASYNC_HELPER, 'src/main.ts': IMPORTER });
    roots.missing = project({ 'src/main.ts': IMPORTER });
    roots.shared = project({ 'src/helper.ts': ASYNC_HELPER, 'src/main.ts': IMPORTER, 'src/second.ts': IMPORTER });
    roots.cwds = project({ 'sub/a.ts': FLOATING });
    roots.newImporter = project({ ...LIBRARY, 'src/other.ts': 'export const other = 1;\n' });
    roots.addedImport = project({ ...LIBRARY, 'src/other.ts': 'export const other = 1;\n' });
    // Written a moment ago: past the racy window from now on, so the first runs record fingerprints.
    await new Promise((resolve) => setTimeout(resolve, RACY_WINDOW_MS + 100));
  });

  it('reads no unchanged file on a warm run, and reports exactly what it reported before', async () => {
    const root = roots.unchanged!;
    const first = await lint(root, '.');
    expect(first.rules).toEqual(['asynclint/floating-promise']);
    expect(first.cache).toBe('cache (0 hits, 2 misses)');
    const warm = await lint(root, '.');
    expect(warm.rules).toEqual(first.rules);
    expect(warm.cache).toBe('cache (2 hits, 0 misses), 2 of them by stat, not read');
  });

  it('sees an edit that keeps size, modification time and inode (the change time moves)', async () => {
    const root = roots.inPlace!;
    expect((await lint(root, 'a.ts')).rules).toEqual(['asynclint/floating-promise']);
    editInPlace(path.join(root, 'a.ts'), SILENCED);
    const after = await lint(root, 'a.ts');
    expect(after.rules).toEqual([]);
    expect(after.cache).toBe('cache (0 hits, 1 misses)');
  });

  it('sees a copy put in place that keeps size and modification time (another inode)', async () => {
    const root = roots.copied!;
    expect((await lint(root, 'a.ts')).rules).toEqual(['asynclint/floating-promise']);
    const copy = path.join(root, 'copy.tmp');
    writeFileSync(copy, SILENCED);
    utimesSync(copy, SETTLED_TIME, SETTLED_TIME);
    renameSync(copy, path.join(root, 'a.ts'));
    expect((await lint(root, 'a.ts')).rules).toEqual([]);
  });

  it("sees a dependency's edit that keeps its size, modification time and inode", async () => {
    const root = roots.dependency!;
    expect((await lint(root, 'src/main.ts')).rules).toEqual(['asynclint/floating-promise']);
    expect((await lint(root, 'src/main.ts')).cache).toBe('cache (1 hits, 0 misses), 1 of them by stat, not read');
    editInPlace(path.join(root, 'src', 'helper.ts'), SYNC_HELPER);
    expect((await lint(root, 'src/main.ts')).rules).toEqual([]);
  });

  it('sees an edit of a dependency that two files share (kept once in the cache) in both', async () => {
    const root = roots.shared!;
    const both = ['asynclint/floating-promise', 'asynclint/floating-promise'];
    expect((await lint(root, 'src')).rules).toEqual(both);
    const cache = JSON.parse(
      readFileSync(path.join(root, 'node_modules', '.cache', 'asynclint', 'results.json'), 'utf8'),
    ) as { dependencies: [string, string | null, string?][]; entries: Record<string, { dependencies: number[] }> };
    const helper = cache.dependencies.findIndex(([file]) => file === path.join(root, 'src', 'helper.ts'));
    const importers = Object.entries(cache.entries).filter(([, entry]) => entry.dependencies.includes(helper));
    expect(importers.map(([file]) => path.basename(file)).sort()).toEqual(['main.ts', 'second.ts']);
    expect((await lint(root, 'src')).cache).toBe('cache (3 hits, 0 misses), 3 of them by stat, not read');
    editInPlace(path.join(root, 'src', 'helper.ts'), SYNC_HELPER);
    const after = await lint(root, 'src');
    // The sync helper's own `fetch` floats; nothing floats in the importers any more.
    expect(after.rules).toEqual(['asynclint/floating-promise']);
    expect(after.cache).toBe('cache (0 hits, 3 misses)');
    expect((await lint(root, 'src', '--no-cache')).rules).toEqual(after.rules);
    // The helper changed a moment ago: read, not trusted by its stat, until it ages.
    expect((await lint(root, 'src')).cache).toMatch(/^cache \(3 hits, 0 misses\)/);
  });

  it('sees a dependency that was missing and is written later', async () => {
    const root = roots.missing!;
    expect((await lint(root, 'src/main.ts')).rules).toEqual([]);
    // Missing still: answered without reading anything.
    expect((await lint(root, 'src/main.ts')).cache).toBe('cache (1 hits, 0 misses), 1 of them by stat, not read');
    writeFileSync(path.join(root, 'src', 'helper.ts'), ASYNC_HELPER);
    const after = await lint(root, 'src/main.ts');
    expect(after.rules).toEqual(['asynclint/floating-promise']);
    expect(after.cache).toBe('cache (0 hits, 1 misses)');
  });

  it('reuses no result linted from another working directory: where code runs is judged from paths relative to it', async () => {
    const root = roots.cwds!;
    const file = path.join(root, 'sub', 'a.ts');
    const cacheFrom = async (cwd: string) => {
      const run = await runCli(['-f', 'json', '--stats', '--cache-location', path.join(root, 'cache'), file], { cwd });
      return /cache \(.*/.exec(run.stderr)?.[0].replace(/\s+[\d.]+ ms$/, '');
    };
    expect(await cacheFrom(root)).toBe('cache (0 hits, 1 misses)');
    expect(await cacheFrom(root)).toMatch(/^cache \(1 hits, 0 misses\)/);
    expect(await cacheFrom(path.join(root, 'sub'))).toBe('cache (0 hits, 1 misses)');
  });

  it('sees a new file that calls an exported function where requests wait, and its removal', async () => {
    const root = roots.newImporter!;
    expect((await lint(root, 'src')).rules).toEqual([]);
    // Nothing changed: the importers of update.ts are answered by the stats of the package's files.
    expect((await lint(root, 'src')).cache).toBe('cache (2 hits, 0 misses), 2 of them by stat, not read');
    writeFileSync(path.join(root, 'src', 'watcher.ts'), WATCHER);
    const after = await lint(root, 'src');
    expect(after.rules).toEqual(['asynclint/blocking-call']);
    expect(after.cache).toBe('cache (1 hits, 2 misses), 1 of them by stat, not read');
    expect((await lint(root, 'src', '--no-cache')).rules).toEqual(after.rules);
    rmSync(path.join(root, 'src', 'watcher.ts'));
    expect((await lint(root, 'src')).rules).toEqual([]);
  });

  it('sees an import added to a file that did not import the function (no file added)', async () => {
    const root = roots.addedImport!;
    expect((await lint(root, 'src')).rules).toEqual([]);
    writeFileSync(path.join(root, 'src', 'other.ts'), WATCHER);
    const after = await lint(root, 'src');
    expect(after.rules).toEqual(['asynclint/blocking-call']);
    expect((await lint(root, 'src', '--no-cache')).rules).toEqual(after.rules);
  });

  it('trusts no stat of a file changed within the racy window: it is read and hashed until it has aged', async () => {
    const root = project({ 'a.ts': FLOATING });
    writeFileSync(path.join(root, 'a.ts'), FLOATING);
    expect((await lint(root, 'a.ts')).cache).toBe('cache (0 hits, 1 misses)');
    const cache = JSON.parse(
      readFileSync(path.join(root, 'node_modules', '.cache', 'asynclint', 'results.json'), 'utf8'),
    ) as { entries: Record<string, { stat?: string }> };
    expect(Object.values(cache.entries).map((entry) => entry.stat)).toEqual([undefined]);
    // Read again (not by stat), and still a hit: the content decides.
    expect((await lint(root, 'a.ts')).cache).toBe('cache (1 hits, 0 misses)');
  });
});
