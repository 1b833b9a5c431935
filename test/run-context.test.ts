/** The where-code-runs model on its own: paths, manifests, first lines and code shape. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFile, packageFactsFromManifest, runContextOf } from '../src/languages/js/analysis/index.js';
import { packageFactsFor } from '../src/languages/js/project/index.js';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import type { Node } from '../src/languages/js/types.js';

const ROOT = '/work/project';
const facts = packageFactsFromManifest(ROOT, {
  bin: { tool: './dist/cli.js' },
  main: './lib/index.js',
  scripts: { release: 'node scripts/release.mjs && tsx ./tools/gen.ts --fast', test: 'vitest run "test/**/*.ts"' },
});

function contextOf(relative: string, firstLine = '') {
  return classifyFile(path.join(ROOT, relative), ROOT, facts, firstLine).context;
}

describe('classifyFile', () => {
  it.each([
    ['test/app.js', 'test'],
    ['src/__tests__/app.ts', 'test'],
    ['src/app.test.ts', 'test'],
    ['src/app.spec.mjs', 'test'],
    ['packages/core/test-utils/server.ts', 'test'],
    ['src/cli.ts', 'one-shot'],
    ['dist/cli.js', 'one-shot'],
    ['scripts/release.mjs', 'one-shot'],
    ['tools/gen.ts', 'one-shot'],
    ['bench/parse.js', 'bench'],
    ['benchmarks/fetch/keepalive.mjs', 'bench'],
    ['src/parse.bench.ts', 'bench'],
    ['packages/pg/bench.js', 'bench'],
    ['perf/content-benchmark.mjs', 'bench'],
    ['scripts/benchCircularImport.ts', 'bench'],
    ['src/workbench.ts', 'library'],
    ['src/benchmarker-ui.ts', 'library'],
    ['vite.config.ts', 'one-shot'],
    ['docs/.vitepress/config.ts', 'one-shot'],
    ['src/index.ts', 'library'],
    ['src/server/handler.ts', 'library'],
    ['src/contest.ts', 'library'],
    ['src/latest.js', 'library'],
  ])('%s is %s', (relative, expected) => {
    expect(contextOf(relative)).toBe(expected);
  });

  it('a shebang makes a file an executable script', () => {
    expect(contextOf('src/run.js', '#!/usr/bin/env node')).toBe('one-shot');
  });

  it('judges the path below the package, not the folders above the project', () => {
    const verdict = classifyFile('/home/me/tests/project/src/index.ts', '/home/me/tests/project', null);
    expect(verdict.context).toBe('library');
  });

  it('reads a main without an extension as Node resolves it: a package with a command and a library', () => {
    const library = packageFactsFromManifest(ROOT, { bin: { knex: './bin/cli.js' }, main: 'knex' });
    expect(classifyFile(path.join(ROOT, 'lib/client.js'), ROOT, library).context).toBe('library');
    expect(classifyFile(path.join(ROOT, 'knex.js'), ROOT, library).reason).toBe(
      'package.json exports it: its callers are unknown',
    );
    const command = packageFactsFromManifest(ROOT, { bin: { tool: './bin/cli.js' }, main: './bin/cli' });
    expect(classifyFile(path.join(ROOT, 'lib/steps.js'), ROOT, command).context).toBe('one-shot');
  });

  it('counts the folders between the working directory and a nested package', () => {
    const nested = packageFactsFromManifest(path.join(ROOT, 'test/fixtures/pkg'), {});
    expect(classifyFile(path.join(ROOT, 'test/fixtures/pkg/src/index.js'), ROOT, nested).context).toBe('test');
  });

  it('gives a reason a user can check', () => {
    expect(classifyFile(path.join(ROOT, 'src/cli.ts'), ROOT, facts).reason).toBe(
      'package.json "bin" runs it as a command',
    );
  });
});

describe('tooling: one-shot files no package publishes', () => {
  const classify = (manifest: Record<string, unknown>, relative: string, firstLine = '') =>
    classifyFile(path.join(ROOT, relative), ROOT, packageFactsFromManifest(ROOT, manifest), firstLine);

  it('a private package publishes nothing: its scripts, docs and CI files are tooling', () => {
    const root = { name: 'monorepo', private: true, scripts: { docs: 'node tools/docs.mjs' } };
    expect(classify(root, 'scripts/releaseUtils.ts')).toEqual({
      context: 'tooling',
      reason: 'its package is private and it is under a "scripts" folder',
    });
    expect(classify(root, '.github/scripts/merge.mjs').context).toBe('tooling');
    expect(classify(root, 'tools/docs.mjs').reason).toBe('its package is private and a package.json script runs it');
    expect(classify(root, 'vite.config.ts').reason).toBe(
      'its package is private and "vite.config.ts" is a tool\'s config file, read once',
    );
    // What is not one-shot by where it sits keeps its context, private or not.
    expect(classify(root, 'src/index.ts').context).toBe('library');
    expect(classify(root, 'scripts/app.test.ts').context).toBe('test');
  });

  it('a package with "files" publishes what they match, and the rest is tooling', () => {
    const manifest = { name: 'x', files: ['lib', 'docs/', '!*.map'] };
    expect(classify(manifest, 'scripts/update-keys.mjs')).toEqual({
      context: 'tooling',
      reason: 'its package\'s "files" leaves it out and it is under a "scripts" folder',
    });
    expect(classify(manifest, 'docs/guide/example.js').context).toBe('one-shot');
    expect(classify(manifest, 'lib/scripts/postinstall.js').context).toBe('one-shot');
  });

  it('a negated pattern takes out what an earlier one ships', () => {
    const manifest = { name: 'x', files: ['scripts', '!scripts/release*', '!*.map'] };
    expect(classify(manifest, 'scripts/postinstall.js').context).toBe('one-shot');
    expect(classify(manifest, 'scripts/release.js').context).toBe('tooling');
    expect(classify(manifest, 'scripts/postinstall.js.map').context).toBe('tooling');
    expect(classify({ name: 'x', files: ['!scripts/release.js', 'scripts'] }, 'scripts/release.js').context).toBe(
      'one-shot',
    );
  });

  it('a package without "files" publishes everything', () => {
    expect(classify({ name: 'x' }, 'scripts/generateSearch.js').context).toBe('one-shot');
  });

  it('commands stay one-shot: a bin script in scripts/, a package that is a command, its sources', () => {
    const manifest = { name: 'create-x', bin: { 'create-x': 'scripts/create.js' }, files: ['dist'] };
    expect(classify(manifest, 'scripts/create.js')).toEqual({
      context: 'one-shot',
      reason: 'package.json "bin" runs it as a command',
    });
    const command = { name: 'create-y', bin: 'index.js', files: ['index.js', 'dist'] };
    expect(classify(command, 'src/index.ts').context).toBe('one-shot');
    expect(classify(command, 'src/steps/empty-dir.ts').context).toBe('one-shot');
    // Built from src/ into the "files" it ships: a script folder there is shipped code.
    expect(classify({ name: 'z', files: ['dist'] }, 'src/scripts/migrate.ts').context).toBe('one-shot');
  });

  it('a shebang file is one-shot when "files" ships it, tooling when it does not', () => {
    const manifest = { name: 'x', files: ['lib', 'tools/migrate.mjs'] };
    expect(classify(manifest, 'tools/migrate.mjs', '#!/usr/bin/env node').context).toBe('one-shot');
    expect(classify(manifest, 'misc/gen.mjs', '#!/usr/bin/env node')).toEqual({
      context: 'tooling',
      reason: 'its package\'s "files" leaves it out and it starts with a shebang: an executable script',
    });
  });

  it('the README, the LICENSE and the files "main" names ship whatever "files" says', () => {
    const manifest = { name: 'x', main: 'build/index.js', files: ['lib'] };
    expect(classify(manifest, 'build/index.js').context).toBe('one-shot');
  });

  it('code shape narrows tooling to tooling: an entry block or an exit handler of a script', () => {
    const text = [
      'async function main() { load(); }',
      'if (require.main === module) { main(); }',
      'process.on("exit", () => { flush(); });',
    ].join('\n');
    const settings = { asynclint: { context: 'tooling' } };
    expect(contextAt(text, 'load()', 'lib/gen.js', settings)).toBe('tooling');
    expect(contextAt(text, 'flush()', 'lib/gen.js', settings)).toBe('tooling');
    expect(contextAt(text, 'flush()', 'lib/gen.js', { asynclint: { context: 'one-shot' } })).toBe('one-shot');
  });
});

describe('packageFactsFor', () => {
  it('reads the nearest package.json and ignores one that is not valid JSON', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'asynclint-context-'));
    mkdirSync(path.join(directory, 'broken', 'src'), { recursive: true });
    writeFileSync(path.join(directory, 'package.json'), JSON.stringify({ bin: 'bin.js' }));
    writeFileSync(path.join(directory, 'broken', 'package.json'), '{ not json');
    const found = packageFactsFor(path.join(directory, 'broken', 'src', 'a.js'));
    expect(found?.directory).toBe(directory);
    expect(found?.binFiles.has('bin.js')).toBe(true);
  });
});

function contextAt(text: string, marker: string, relative = 'src/server.js', settings: Record<string, unknown> = {}) {
  const filename = path.join(ROOT, relative);
  const parsed = parse(text, filename, 'fast');
  prepareWalk(parsed.ast, parsed.visitorKeys);
  const sourceCode = createSourceCode(parsed, text);
  const offset = text.indexOf(marker);
  let found: Node | null = null;
  const visit = (node: Node) => {
    if (node.range[0] === offset && !found && node.type === 'CallExpression') found = node;
    for (const key of parsed.visitorKeys[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(value) ? value : [value])
        if (item && typeof (item as Node).type === 'string') visit(item as Node);
    }
  };
  visit(parsed.ast);
  if (!found) throw new Error(`no call at ${marker}`);
  return runContextOf(found, { filename, cwd: ROOT, settings, sourceCode }).context;
}

describe('runContextOf', () => {
  it('a function called only from module top level runs once; what it registers runs per event', () => {
    const text = ['async function main() { load(); server.on("request", async () => { handle(); }); }', 'main();'].join(
      '\n',
    );
    expect(contextAt(text, 'load()')).toBe('one-shot');
    expect(contextAt(text, 'handle()')).toBe('request');
  });

  it('an exported function keeps the file context (callers unknown), whoever calls it here', () => {
    expect(contextAt('export async function main() { load(); }\nmain();', 'load()')).toBe('library');
  });

  it('a function also called from library code has unknown callers too', () => {
    const text = 'async function step() { load(); }\nstep();\nexport async function handler() { await step(); }';
    expect(contextAt(text, 'load()')).toBe('library');
  });

  it('test-runner callbacks are test code, through nested callbacks', () => {
    const text =
      'import { test } from "node:test";\ntest("x", async () => { server.on("request", () => { handle(); }); });';
    expect(contextAt(text, 'handle()')).toBe('test');
  });

  it('a local function named like a test-runner API is not one', () => {
    const text =
      'function it(name, fn) { queue.push(fn); }\nexport function go() { it("x", async () => { handle(); }); }';
    expect(contextAt(text, 'handle()')).toBe('request');
  });

  it('settings state the file context', () => {
    const filename = path.join(ROOT, 'test/server.js');
    const text = 'export async function f() { load(); }';
    const parsed = parse(text, filename, 'fast');
    prepareWalk(parsed.ast, parsed.visitorKeys);
    const sourceCode = createSourceCode(parsed, text);
    const settings = { asynclint: { context: 'request' } };
    expect(runContextOf(sourceCode.ast, { filename, cwd: ROOT, settings, sourceCode }).context).toBe('one-shot');
    const body = (sourceCode.ast.body[0] as { declaration: { body: { body: { expression: Node }[] } } }).declaration
      .body.body[0]!.expression;
    expect(runContextOf(body, { filename, cwd: ROOT, settings, sourceCode }).context).toBe('request');
  });
});
