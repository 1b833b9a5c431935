/** What an awaited call of the project can wait for (src/languages/js/analysis/waits.ts). */
import { describe, expect, it } from 'vitest';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import { awaitedWaits, terminalUseOf } from '../src/languages/js/analysis/index.js';
import type { Node, TSESTree } from '../src/languages/js/types.js';

/** What the last `await` of `text` waits for. */
function lastAwaitWaits(text: string): string {
  const parsed = parse(text, 'file.ts', 'fast');
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const sourceCode = createSourceCode(parsed, text);
  const awaits = nodes.filter((node: Node): node is TSESTree.AwaitExpression => node.type === 'AwaitExpression');
  const last = awaits.sort((a, b) => a.range[0] - b.range[0]).at(-1)!;
  return awaitedWaits(last.argument, sourceCode, '/project/file.ts');
}

describe('awaitedWaits', () => {
  it.each([
    ['a sync function returning an object', 'function make(n) { return { n }; } await make(1);'],
    [
      'a sync function returning a local built in place',
      'function make(n) { const m = { n }; m.x = 1; return m; } await make(1);',
    ],
    ['a sync function returning nothing', 'function log(n) { console.log(n); } await log(1);'],
    ['an async function that awaits nothing', 'async function f(n) { return n + 1; } await f(1);'],
    [
      'one that awaits only such functions',
      'const g = (n) => `${n}`; async function f(n) { return [await g(n)]; } await f(1);',
    ],
    ['a method of this class', 'class A { m() { return [1]; } async run() { await this.m(); } }'],
    ['a value built-in', 'function f(s) { return JSON.parse(s); } await f("1");'],
  ])('nothing: %s', (_name, text) => {
    expect(lastAwaitWaits(text)).toBe('nothing');
  });

  it.each([
    ['a fixed dynamic import', "await import('chokidar');"],
    [
      'a function awaiting fixed imports',
      "async function w() { const c = await import('chokidar'); c.watch('.'); } await w();",
    ],
    ['an import mapped in memory', "const load = () => import('zlib').then((m) => m.default); await load();"],
  ])('modules: %s', (_name, text) => {
    expect(lastAwaitWaits(text)).toBe('modules');
  });

  it.each([
    ['an unknown call', 'await fetch(url);'],
    ['a function returning an unknown call', 'function f(u) { return fetch(u); } await f(1);'],
    ['a function returning a parameter', 'function f(p) { return p; } await f(x);'],
    ['a function returning a member', 'class A { m() { return this.pending; } async run() { await this.m(); } }'],
    ['a local assigned a call', 'function f(u) { let r = {}; r = fetch(u); return r; } await f(1);'],
    ['an import that varies', 'async function f(p) { return import(p); } await f(x);'],
    ['a for await', 'async function f(s) { for await (const x of s) {} } await f(x);'],
    ['a recursive function', 'async function f(n) { if (n) await f(n - 1); } await f(3);'],
    ['a new Promise', 'function f() { return new Promise((r) => setTimeout(r)); } await f();'],
    ['a generator', 'async function* f() {} await f();'],
    ['an empty method, a hook to override', 'class A { async init() {} async run() { await this.init(); } }'],
  ])('other: %s', (_name, text) => {
    expect(lastAwaitWaits(text)).toBe('other');
  });
});

/** What the work of the last `await` of `text` does with the terminal. */
function lastAwaitTerminalUse(text: string): string | null {
  const parsed = parse(text, 'file.ts', 'fast');
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const sourceCode = createSourceCode(parsed, text);
  const awaits = nodes.filter((node: Node): node is TSESTree.AwaitExpression => node.type === 'AwaitExpression');
  const last = awaits.sort((a, b) => a.range[0] - b.range[0]).at(-1)!;
  return terminalUseOf(last.argument, sourceCode, '/project/file.ts');
}

describe('terminalUseOf', () => {
  it.each([
    ['the read package', "import { read } from 'read'; await read({ prompt: 'Name: ' });"],
    [
      'through a helper and its callback',
      "const { read } = require('read'); const ask = (o) => wrap(() => read(o)); function pw(m) { return ask({ prompt: m }).then((x) => x); } await pw('Password: ');",
    ],
    [
      'a readline question',
      "import readline from 'node:readline/promises'; const rl = readline.createInterface({}); await rl.question('Name? ');",
    ],
    ['prompts', "import prompts from 'prompts'; await prompts({ type: 'text', name: 'v' });"],
    ['@inquirer/prompts', "import { confirm } from '@inquirer/prompts'; await confirm({ message: 'Go?' });"],
    [
      'process.stdin',
      "await new Promise((r) => process.stdin.once('data', r)); async function ask() { return new Promise((r) => process.stdin.once('data', r)); } await ask();",
    ],
  ])('prompt: %s', (_name, text) => {
    expect(lastAwaitTerminalUse(text)).toBe('prompt');
  });

  it.each([
    [
      'spawn with stdio inherit',
      "import { spawn } from 'node:child_process'; function run(c) { return new Promise((r) => spawn(c, { stdio: 'inherit' }).on('close', r)); } await run('ls');",
    ],
    [
      'a private method',
      "class R { async #run(c) { await exec(c, { stdio: ['pipe', process.stdout, 'pipe'] }); } async all(cs) { await this.#run(cs[0]); } }",
    ],
  ])('inherit: %s', (_name, text) => {
    expect(lastAwaitTerminalUse(text)).toBe('inherit');
  });

  it.each([
    ['a fetch', 'await fetch(url);'],
    [
      'piped output',
      "import { spawn } from 'node:child_process'; function run(c) { return new Promise((r) => spawn(c, { stdio: 'pipe' }).on('close', r)); } await run('ls');",
    ],
    ['a look-alike read', "function read(o) { return fetch(o.prompt); } await read({ prompt: 'x' });"],
    ['a question on another object', "const form = { question: async (q) => q }; await form.question('Name?');"],
    [
      'stdin read whole',
      'async function all() { const chunks = []; for await (const c of process.stdin) chunks.push(c); return chunks; } await all();',
    ],
  ])('none: %s', (_name, text) => {
    expect(lastAwaitTerminalUse(text)).toBe(null);
  });
});
