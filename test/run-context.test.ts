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

function contextAt(text: string, marker: string, relative = 'src/server.js') {
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
  return runContextOf(found, { filename, cwd: ROOT, settings: {}, sourceCode }).context;
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
