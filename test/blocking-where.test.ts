/** Facts about where a blocking call runs: a worker thread of its own, a branch taken after a failure. */
import { describe, expect, it } from 'vitest';
import {
  forEachDescendant,
  isFunctionNode,
  isMemoisedCall,
  isOnErrorPath,
  madeForItsMakersToAwait,
  workerStarterOf,
  type FunctionNode,
} from '../src/languages/js/analysis/index.js';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import type { Node, TSESTree } from '../src/languages/js/types.js';

function sourceOf(text: string) {
  const parsed = parse(text, '/work/project/src/x.js', 'fast');
  prepareWalk(parsed.ast, parsed.visitorKeys);
  return createSourceCode(parsed, text);
}

function firstFunction(text: string) {
  const sourceCode = sourceOf(text);
  let found: FunctionNode | null = null;
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if (!found && isFunctionNode(node)) found = node;
    return undefined;
  });
  return { fn: found!, sourceCode };
}

function callTo(text: string, name: string) {
  const sourceCode = sourceOf(text);
  let found: TSESTree.CallExpression | null = null;
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node: Node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name) found = node;
    return undefined;
  });
  return { call: found!, sourceCode };
}

const WORKER_IMPORTS = `import { Worker, parentPort } from 'node:worker_threads';\n`;

describe('workerStarterOf', () => {
  it('finds the parameter naming the worker file and the task run from a parentPort listener', () => {
    const { fn, sourceCode } = firstFunction(
      WORKER_IMPORTS +
        `export function forked(module, task) {
          if (parentPort) parentPort.on('message', async (data) => parentPort.postMessage(await task(data)));
          return (options) => new Worker(new URL(module), { workerData: options });
        }`,
    );
    expect(workerStarterOf(fn, sourceCode)).toMatchObject({ fileParameter: 0, taskParameter: 1 });
  });

  it('is null when the task runs in this thread, or the Worker is not node:worker_threads', () => {
    const inThread = firstFunction(
      WORKER_IMPORTS +
        `export function run(module, task) { new Worker(module); emitter.on('message', (d) => task(d)); }`,
    );
    expect(workerStarterOf(inThread.fn, inThread.sourceCode)).toBeNull();
    const otherWorker = firstFunction(
      `import { Worker, parentPort } from './pool.js';
       export function run(module, task) { new Worker(module); parentPort.on('message', (d) => task(d)); }`,
    );
    expect(workerStarterOf(otherWorker.fn, otherWorker.sourceCode)).toBeNull();
  });
});

describe('isOnErrorPath', () => {
  it('a branch taken while a variable holds a caught failure', () => {
    const text = `let failure = null;
      async function update() { try { await load(); failure = null; } catch (e) { failure = e; } }
      async function respond() { if (failure) readPage(); }`;
    const { call, sourceCode } = callTo(text, 'readPage');
    expect(isOnErrorPath(call, sourceCode)).toBe(true);
  });

  it('not when the variable is also given a value outside a catch clause', () => {
    const text = `let failure = null;
      async function update() { failure = 'stale'; try { await load(); } catch (e) { failure = e; } }
      async function respond() { if (failure) readPage(); }`;
    const { call, sourceCode } = callTo(text, 'readPage');
    expect(isOnErrorPath(call, sourceCode)).toBe(false);
  });
});

/** The function `return`ed in the first function of the text: what its maker makes. */
function madeFunction(text: string) {
  const sourceCode = sourceOf(text);
  let found: Node | null = null;
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node: Node) => {
    if (!found && node.type === 'ReturnStatement' && node.argument && isFunctionNode(node.argument))
      found = node.argument;
    return undefined;
  });
  return madeForItsMakersToAwait(found!, sourceCode, '/work/project/src/x.js', () => []);
}

describe('madeForItsMakersToAwait', () => {
  const maker = 'function createResolver(root) { return async (id) => load(root, id); }\n';

  it('every call keeps what it makes in a const and awaits its calls, in the same run', () => {
    expect(
      madeFunction(
        maker + 'async function all(ids) { const r = createResolver("."); for (const id of ids) await r(id); }',
      ),
    ).toBe(true);
  });

  it('not when what it makes is handed on, called without await, or kept beyond the run', () => {
    expect(madeFunction(maker + 'function install(app) { app.use(createResolver(".")); }')).toBe(false);
    expect(madeFunction(maker + 'async function one() { const r = createResolver("."); r("a"); }')).toBe(false);
    expect(madeFunction(maker + 'const r = createResolver(".");\nasync function one() { await r("a"); }')).toBe(false);
    expect(
      madeFunction(
        maker +
          'async function one(bus) { const r = createResolver("."); bus.on("id", async (id) => { await r(id); }); }',
      ),
    ).toBe(false);
  });

  it('not when the maker is never called here', () => {
    expect(madeFunction(maker)).toBe(false);
  });
});

describe('isMemoisedCall on an element found in what the function was given', () => {
  const lookup = 'function infoOf(meta, file) { return meta.list.find((i) => i.file === file); }\n';

  it('a result kept on an element found directly or through a lookup of the file', () => {
    const direct = callTo(
      'async function f(meta, id) { const info = meta.deps[id]; info.exports ??= read(id); }',
      'read',
    );
    expect(isMemoisedCall(direct.call, direct.sourceCode)).toBe(true);
    const through = callTo(
      lookup + 'async function f(meta, file) { const info = infoOf(meta, file); info.exports ??= read(file); }',
      'read',
    );
    expect(isMemoisedCall(through.call, through.sourceCode)).toBe(true);
  });

  it('not on an object the function makes, or a lookup that makes one', () => {
    const made = callTo('async function f(file) { const info = { file }; info.exports ??= read(file); }', 'read');
    expect(isMemoisedCall(made.call, made.sourceCode)).toBe(false);
    const maker = callTo(
      'function infoOf(meta, file) { return meta.list.find((i) => i.file === file) ?? { file }; }\n' +
        'async function f(meta, file) { const info = infoOf(meta, file); info.exports ??= read(file); }',
      'read',
    );
    expect(isMemoisedCall(maker.call, maker.sourceCode)).toBe(false);
  });
});
