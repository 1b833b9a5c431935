/** The shared semantic model: import resolution and loop facts, on both front ends. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, type FrontEnd } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import {
  resolveCallee,
  repeatingLoopOf,
  compileCalleePatterns,
  compileNameList,
  isPromiseExpression,
  mayBePromiseExpression,
  DEFAULT_PROMISE_KNOWLEDGE,
  forEachDescendant,
  relativeModuleCandidates,
} from '../src/languages/js/analysis/index.js';
import type { Node, TSESTree } from '../src/languages/js/types.js';

function analyse(text: string, frontEnd: FrontEnd, filename = 'file.ts') {
  const parsed = parse(text, filename, frontEnd);
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  return { sourceCode: createSourceCode(parsed, text), nodes: [...new Set(nodes)] };
}

function calls(nodes: Node[]): TSESTree.CallExpression[] {
  return nodes.filter(
    (node): node is TSESTree.CallExpression =>
      (node.type === 'CallExpression' && node.callee.type !== 'Identifier') ||
      (node.type === 'CallExpression' && (node.callee as TSESTree.Identifier).name !== 'require'),
  );
}

describe.each(['fast', 'typed'] as const)('resolveCallee on the %s front end', (frontEnd) => {
  it.each([
    ["import { readFileSync as rfs } from 'node:fs'; rfs('a');", 'fs', 'readFileSync'],
    ["import * as fs from 'fs'; fs.readFileSync('a');", 'fs', 'readFileSync'],
    ["import fs from 'fs'; fs.readFileSync('a');", 'fs', 'readFileSync'],
    ["const { execSync } = require('child_process'); execSync('ls');", 'child_process', 'execSync'],
    ["const { execSync: run } = require('node:child_process'); run('ls');", 'child_process', 'execSync'],
    ["require('fs').readFileSync('a');", 'fs', 'readFileSync'],
    ["const fs = require('fs'); fs.readFileSync('a');", 'fs', 'readFileSync'],
    ["const fs = require('fs'); const read = fs.readFileSync; read('a');", 'fs', 'readFileSync'],
    ["import fs from 'fs'; fs.promises.readFile('a');", 'fs', 'promises.readFile'],
    ["import { setTimeout } from 'node:timers/promises'; setTimeout(10);", 'timers/promises', 'setTimeout'],
  ])('%s', (text, module, path) => {
    const { sourceCode, nodes } = analyse(text, frontEnd);
    const call = calls(nodes).at(-1)!;
    expect(resolveCallee(sourceCode, call)).toEqual({ module, path: path.split('.') });
  });

  it.each([
    'function readFileSync(p: string) { return p; } readFileSync("a");',
    "import fs from 'fs'; function f(fs: { readFileSync(p: string): void }) { fs.readFileSync('a'); }",
    'const obj = { getSync() {} }; obj.getSync();',
    "let fs = require('fs'); fs = other; fs.readFileSync('a'); declare const other: any;",
  ])('does not resolve a look-alike: %s', (text) => {
    const { sourceCode, nodes } = analyse(text, frontEnd);
    const call = calls(nodes).at(-1)!;
    const binding = resolveCallee(sourceCode, call);
    expect(binding === null || binding.module !== 'fs').toBe(true);
  });
});

describe('mayBePromiseExpression', () => {
  const initOf = (text: string) => {
    const { sourceCode, nodes } = analyse(`async function f(a: any) { ${text} }`, 'fast');
    const declarator = nodes.find((node): node is TSESTree.VariableDeclarator => node.type === 'VariableDeclarator')!;
    return { sourceCode, init: declarator.init! };
  };

  // isPromiseExpression's "yes" needs one of these shapes: the "maybe" must hold for each.
  it.each([
    'const p = fetch("/a");',
    'const p = new Promise((resolve) => resolve(1));',
    'const p = import("./a.js");',
    'const p = a ? Promise.resolve(1) : fetch("/b");',
    'const p = a && Promise.resolve(1);',
    'const p = (a, Promise.resolve(1));',
    'const p = (fetch("/a") as Promise<Response>);',
    'const p = a?.then(() => 1);',
  ])('is a "maybe" where a promise is found: %s', (text) => {
    const { sourceCode, init } = initOf(text);
    expect(isPromiseExpression(init, sourceCode, 'file.ts', DEFAULT_PROMISE_KNOWLEDGE)).toBe(true);
    expect(mayBePromiseExpression(init)).toBe(true);
  });

  it.each([
    'const v = await fetch("/a");',
    'const v = 1;',
    'const v = `x`;',
    'const v = { p: fetch("/a") };',
    'const v = () => fetch("/a");',
    'const v = a.b;',
    'const v = a + 1;',
    'const v = !fetch("/a");',
  ])('is a "no" where no promise can be: %s', (text) => {
    const { sourceCode, init } = initOf(text);
    expect(mayBePromiseExpression(init)).toBe(false);
    expect(isPromiseExpression(init, sourceCode, 'file.ts', DEFAULT_PROMISE_KNOWLEDGE)).toBe(false);
  });
});

describe('repeatingLoopOf', () => {
  const { nodes } = analyse(
    `async function f(xs: number[]) {
      for (const x of await load()) { await a(x); const g = async () => { await b(); }; }
      for await (const y of stream) { await c(y); }
      for (let i = await start(); i < 3; i++) {}
    }`,
    'fast',
  );
  const awaits = nodes.filter((node): node is TSESTree.AwaitExpression => node.type === 'AwaitExpression');
  const name = (node: TSESTree.AwaitExpression) =>
    ((node.argument as TSESTree.CallExpression).callee as TSESTree.Identifier).name;
  it('knows which awaits a loop repeats', () => {
    expect(Object.fromEntries(awaits.map((node) => [name(node), repeatingLoopOf(node)?.type ?? null]))).toEqual({
      load: null,
      a: 'ForOfStatement',
      b: null,
      c: null,
      start: null,
    });
  });
});

describe('callee patterns', () => {
  const { nodes } = analyse(
    'this.db.tx.query(); stream.write(); once(e, "x"); tx(); reader.read(); other.read();',
    'fast',
  );
  const matcher = compileCalleePatterns(['tx.*', '*.write', 'once', 'reader.read']);
  it('match the last two parts of the callee or a bare name', () => {
    expect(calls(nodes).map((call) => matcher(call))).toEqual([true, true, true, false, true, false]);
  });
  it('delay names match the word and the word followed by a capital', () => {
    const isDelay = compileNameList(['sleep', 'wait']);
    expect(['sleep', 'sleepMs', 'wait', 'waitFor', '_sleep', 'sleepy', 'awaitAll', 'waiter'].map(isDelay)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe.each(['fast', 'typed'] as const)('forEachDescendant on the %s front end', (frontEnd) => {
  const code = `
import { a } from './a';
export async function f(x: number[]) {
  for (const y of x) await a(y, () => [y, { z: y ? 1 : -y }]);
  class C { m() { return this.n?.(\`t\${x}\`); } }
  return new C();
}
const g = <T,>(t: T) => t;
`;

  it("visits a whole file from the walker's list as the tree walk would, skipped children included", () => {
    const { sourceCode } = analyse(code, frontEnd);
    const program = sourceCode.ast as Node;
    const visits = (keys: typeof sourceCode.visitorKeys) => {
      const seen: Node[] = [];
      forEachDescendant(program, keys, (node) => {
        seen.push(node);
        // Skips the children of every function after the first, and of every class.
        if (node.type === 'ClassBody') return false;
        const later = seen.some((before) => before !== node && before.type.endsWith('FunctionExpression'));
        if (node.type === 'ArrowFunctionExpression' && later) return false;
      });
      return seen;
    };
    // The same keys as the walker's: read from its list; a copy: walked as a tree.
    const fromList = visits(sourceCode.visitorKeys);
    const walked = visits({ ...sourceCode.visitorKeys });
    expect(fromList.map((node) => node.type)).toContain('ClassBody');
    expect(fromList.map((node) => node.type)).not.toContain('MethodDefinition');
    expect(fromList.length).toBe(walked.length);
    expect(fromList.every((node, index) => node === walked[index])).toBe(true);
    expect(fromList.length).toBeGreaterThan(30);
  });
});

describe('relativeModuleCandidates', () => {
  it('tries the source of an output name, the name, its extensions, then its index files', () => {
    const from = path.join(path.sep, 'repo', 'src', 'a.ts');
    const folder = path.join(path.sep, 'repo', 'lib');
    expect(relativeModuleCandidates(from, '../lib/util.js').slice(0, 3)).toEqual([
      path.join(folder, 'util.ts'),
      path.join(folder, 'util.tsx'),
      path.join(folder, 'util.js'),
    ]);
    const candidates = relativeModuleCandidates(from, '../lib/');
    expect(candidates[0]).toBe(folder);
    expect(candidates.slice(-2)).toEqual([path.join(folder, 'index.mjs'), path.join(folder, 'index.cjs')]);
    expect(relativeModuleCandidates(from, 'lodash')).toEqual([]);
  });

  it('names index files at the root of the file system as path.join does', () => {
    const root = path.parse(process.cwd()).root;
    const candidates = relativeModuleCandidates(path.join(root, 'a.ts'), './');
    expect(candidates.at(-1)).toBe(path.join(root, 'index.cjs'));
  });
});
