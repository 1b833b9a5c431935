/**
 * Calls whose promise nobody waits for (unwaited-calls.ts), and async functions every call of
 * which is one (unwaited-functions.ts), the fact await-in-loop asks before reporting a loop.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import { isCallNobodyWaitsFor, isFunctionNode, nobodyWaitsFor } from '../src/languages/js/analysis/index.js';
import type { Node, TSESTree } from '../src/languages/js/types.js';

function parsed(text: string) {
  const tree = parse(text, 'file.ts', 'fast');
  const { nodes } = prepareWalk(tree.ast, tree.visitorKeys);
  return { sourceCode: createSourceCode(tree, text), nodes: [...new Set(nodes)] as Node[] };
}

/** Whether the call of `work` in `text` drops its promise. */
function dropsWork(text: string): boolean {
  const { sourceCode, nodes } = parsed(`declare function work(): Promise<void>;\n${text}`);
  const call = nodes.find(
    (node): node is TSESTree.CallExpression =>
      node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'work',
  )!;
  return isCallNobodyWaitsFor(call, sourceCode);
}

/** Whether nobody waits for the async function in `text` that contains a `for` loop. */
function nobodyWaitsForLoopFunction(text: string): boolean {
  const { sourceCode, nodes } = parsed(text);
  const loop = nodes.find((node) => node.type === 'ForOfStatement')!;
  let fn: Node | undefined = loop.parent;
  while (fn && !isFunctionNode(fn)) fn = fn.parent;
  return nobodyWaitsFor(fn as Parameters<typeof nobodyWaitsFor>[0], sourceCode, undefined);
}

describe('isCallNobodyWaitsFor', () => {
  it.each([
    ['a statement', 'work();'],
    ['a voided statement', 'void work();'],
    ['an optional call as a statement', 'work?.();'],
    ['what an arrow handed to setTimeout returns', 'setTimeout(() => work(), 0).unref();'],
    ['what a function handed to setImmediate returns', 'setImmediate(function () { return work(); });'],
    ['a voided arrow body for setInterval', 'setInterval(() => void work(), 1000);'],
    ['what queueMicrotask callback returns', 'queueMicrotask(() => work());'],
    ['what a process.nextTick callback returns', 'process.nextTick(() => work());'],
    ['a statement in an async timer callback', 'setTimeout(async () => { work(); }, 0);'],
  ])('dropped: %s', (_name, text) => {
    expect(dropsWork(text)).toBe(true);
  });

  it.each([
    ['awaited', 'async function f() { await work(); }'],
    ['returned from a function', 'function f() { return work(); }'],
    ['an arrow body not handed to a timer', 'const f = () => work();'],
    ['handed to a callback other than a timer', 'items.forEach(() => work());'],
    ['the second argument of setTimeout', 'setTimeout(done, () => work());'],
    ['a local function called setTimeout', 'function setTimeout(cb) { return cb(); }\nsetTimeout(() => work());'],
    ['chained with then', 'work().then(() => {});'],
    ['assigned', 'const p = work();'],
    ['handed on', 'track(work());'],
    ['in Promise.all', 'Promise.all([work()]);'],
  ])('kept: %s', (_name, text) => {
    expect(dropsWork(text)).toBe(false);
  });
});

const LOOP = 'for (const x of xs) await rm(x);';

describe('nobodyWaitsFor', () => {
  it.each([
    ['every call a statement', `async function clean(xs) { ${LOOP} }\nclean([]);\nvoid clean([1]);`],
    ['called from a timer', `const clean = async (xs) => { ${LOOP} };\nsetTimeout(() => clean([]), 0);`],
    [
      'a #private method called as a statement',
      `class A { async #clean(xs) { ${LOOP} } start() { this.#clean([]); } }`,
    ],
    ['a private method', `class A { private async clean(xs) { ${LOOP} } start() { void this.clean([]); } }`],
  ])('nobody waits: %s', (_name, text) => {
    expect(nobodyWaitsForLoopFunction(text)).toBe(true);
  });

  it.each([
    ['one call awaited', `async function clean(xs) { ${LOOP} }\nclean([]);\nawait clean([1]);`],
    ['handed on as a value', `async function clean(xs) { ${LOOP} }\nclean([]);\nlater(clean);`],
    ['never called', `async function clean(xs) { ${LOOP} }`],
    ['exported, no file name to find its importers by', `export async function clean(xs) { ${LOOP} }\nclean([]);`],
    ['a sync function', `function clean(xs) { for (const x of xs) rm(x); }\nclean([]);`],
    ['a public method', `class A { async clean(xs) { ${LOOP} } start() { this.clean([]); } }`],
    ['a private method awaited', `class A { async #clean(xs) { ${LOOP} } async start() { await this.#clean([]); } }`],
    [
      'a private method destructured',
      `class A { private async clean(xs) { ${LOOP} } start() { const { clean } = this; } }`,
    ],
  ])('someone may wait: %s', (_name, text) => {
    expect(nobodyWaitsForLoopFunction(text)).toBe(false);
  });
});
