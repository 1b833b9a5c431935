/**
 * The remembered discovery (src/runner/discovery-cache.ts): a warm run does not walk the tree
 * again while every folder and .gitignore it read shows the stat it had, and sees every change
 * that could change what it finds. Trees are written, then left to age past the racy window
 * once for the whole file: a folder or .gitignore changed more recently is never trusted.
 */
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RACY_WINDOW_MS } from '../src/file-stamp.js';
import { runCli, SETTLED_TIME, writeSettledProject } from './helpers.js';

const LOOP = 'export async function f(urls: string[]) {\n  for (const url of urls) await fetch(url);\n}\n';
const DISCOVERY = path.join('node_modules', '.cache', 'asynclint', 'discovery.json');
/** A project as one looks after its install: the cache's folder is there before the first run. */
function project(files: Record<string, string>): string {
  const root = writeSettledProject('asynclint-discovery-', files);
  mkdirSync(path.join(root, path.dirname(DISCOVERY)), { recursive: true });
  return root;
}

/** The files linted, relative to the project, as the JSON report lists them. */
async function linted(root: string, ...args: string[]): Promise<string[]> {
  const run = await runCli(['-f', 'json', ...args], { cwd: root });
  expect(run.stderr).toBe('');
  const results = JSON.parse(run.stdout) as { filePath: string }[];
  return results.map((result) => path.relative(root, result.filePath).split(path.sep).join('/'));
}

describe('a remembered discovery', () => {
  const roots: Record<string, string> = {};

  beforeAll(async () => {
    roots.used = project({ 'src/a.ts': LOOP });
    roots.added = project({ 'src/deep/a.ts': LOOP });
    roots.gitignore = project({ '.gitignore': 'b.ts\n', 'a.ts': LOOP, 'b.ts': LOOP, 'c.ts': LOOP });
    roots.ancestor = project({ 'packages/app/src/a.ts': LOOP, 'packages/app/src/b.ts': LOOP });
    // Written a moment ago: past the racy window from now on, so the first runs remember the walk.
    await new Promise((resolve) => setTimeout(resolve, RACY_WINDOW_MS + 100));
  });

  it('answers a warm run without walking the tree', async () => {
    const root = roots.used!;
    expect(await linted(root, '.')).toEqual(['src/a.ts']);
    // A file that is not there, written into what was remembered: only a run that did not walk lists it.
    const stored = JSON.parse(readFileSync(path.join(root, DISCOVERY), 'utf8')) as { files: string[] };
    stored.files.push(path.join(root, 'src', 'z.ts'));
    writeFileSync(path.join(root, DISCOVERY), JSON.stringify(stored));
    const run = await runCli(['-f', 'json', '.'], { cwd: root });
    expect(run.stdout + run.stderr).toContain('z.ts');
    // --no-cache walks, and neither reads nor writes it.
    expect(await linted(root, '--no-cache', '.')).toEqual(['src/a.ts']);
  });

  it('sees a file added deep in the tree (its folder changed)', async () => {
    const root = roots.added!;
    expect(await linted(root, '.')).toEqual(['src/deep/a.ts']);
    writeFileSync(path.join(root, 'src', 'deep', 'b.ts'), LOOP);
    expect(await linted(root, '.')).toEqual(['src/deep/a.ts', 'src/deep/b.ts']);
  });

  it('sees a .gitignore edited in place, keeping its size and modification time', async () => {
    const root = roots.gitignore!;
    expect(await linted(root, '.')).toEqual(['a.ts', 'c.ts']);
    const file = path.join(root, '.gitignore');
    const before = statSync(file);
    writeFileSync(file, 'c.ts\n');
    utimesSync(file, SETTLED_TIME, SETTLED_TIME);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    expect(await linted(root, '.')).toEqual(['a.ts', 'b.ts']);
  });

  it('sees a .gitignore added in a folder above the one linted', async () => {
    const root = roots.ancestor!;
    expect(await linted(root, 'packages/app')).toEqual(['packages/app/src/a.ts', 'packages/app/src/b.ts']);
    writeFileSync(path.join(root, 'packages', '.gitignore'), 'b.ts\n');
    expect(await linted(root, 'packages/app')).toEqual(['packages/app/src/a.ts']);
  });

  it('is not remembered when a folder changed within the racy window', async () => {
    const root = project({ 'src/a.ts': LOOP });
    expect(await linted(root, '.')).toEqual(['src/a.ts']);
    expect(existsSync(path.join(root, DISCOVERY))).toBe(false);
  });
});
