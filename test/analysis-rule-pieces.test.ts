/**
 * Pieces of the shared JS model that short rules are written with: member roots, truth tests,
 * promise kinds, try escapes, clock spins, blocking calls, and the edits fixes make (imports, await).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import { resolveFix } from '../src/languages/js/walker/fixer.js';
import {
  addNamedImport,
  awaitedBefore,
  awaitedText,
  awaitNeedsParentheses,
  blockingCallOf,
  calledMethodName,
  callsEventCallbackNow,
  chainRoot,
  importedLocalName,
  importsFrom,
  isAlwaysPromise,
  isClockRead,
  isGlobalBooleanCall,
  isInTruthTest,
  isNameFreeAt,
  objectRoot,
  checkedPromiseKind,
  spinsOnClock,
  truthTestedOperands,
  tryEscapedByReturn,
  DEFAULT_PROMISE_KNOWLEDGE,
  type BlockingCallPolicy,
  type SpinLoop,
} from '../src/languages/js/analysis/index.js';
import type { Node, SourceCode, TSESTree } from '../src/languages/js/types.js';

const FILE = '/virtual/file.ts';

function analyse(text: string) {
  const parsed = parse(text, FILE, 'fast');
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const sourceCode = createSourceCode(parsed, text);
  const all = [...new Set(nodes)].sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
  const source = (node: Node) => sourceCode.getText(node);
  /** The first node of `type` (outermost first) whose text is `text`, when given. */
  const find = <T extends Node = Node>(type: string, text?: string): T => {
    const found = all.find((node) => node.type === type && (text === undefined || source(node) === text));
    if (!found) throw new Error(`no ${type} ${text ?? ''}`);
    return found as T;
  };
  return { sourceCode, nodes: all, source, find };
}

/** The text after applying one fix function. */
function applied(sourceCode: SourceCode, fix: Parameters<typeof resolveFix>[0]): string {
  const edit = resolveFix(fix, sourceCode.text)!;
  return sourceCode.text.slice(0, edit.range[0]) + edit.text + sourceCode.text.slice(edit.range[1]);
}

describe('member roots', () => {
  it('objectRoot follows member objects and type wrappers only', () => {
    const { find, source } = analyse('declare const a: any; (a as any).b!.c; a.f().g; a?.b;');
    expect(source(objectRoot(find('MemberExpression', '(a as any).b!.c')))).toBe('a');
    expect(objectRoot(find('MemberExpression', 'a.f().g')).type).toBe('CallExpression');
    expect(objectRoot(find('ChainExpression')).type).toBe('ChainExpression');
  });

  it('chainRoot also follows calls and optional chains', () => {
    const { find, source } = analyse('class C { m() { this.pool?.query(1).rows; cache.get(k)!.value; } }');
    expect(chainRoot(find('MemberExpression', 'this.pool?.query(1).rows')).type).toBe('ThisExpression');
    expect(source(chainRoot(find('MemberExpression', 'cache.get(k)!.value')))).toBe('cache');
  });

  it('calledMethodName names the method of a member call, not a function call or a computed one', () => {
    const { nodes } = analyse('a.b.write(); a?.end(); f(); a[k]();');
    const calls = nodes.filter((node): node is TSESTree.CallExpression => node.type === 'CallExpression');
    expect(calls.map(calledMethodName)).toEqual(['write', 'end', null, null]);
  });
});

describe('truth tests', () => {
  it('truthTestedOperands reads through !, &&, || and the left of ??', () => {
    const { find, source } = analyse('if (!a && (b || c!) && (d ?? e)) {}');
    const test = find<TSESTree.IfStatement>('IfStatement').test;
    expect(truthTestedOperands(test).map(source)).toEqual(['a', 'b', 'c', 'd']);
    expect(truthTestedOperands(null)).toEqual([]);
  });

  it('isInTruthTest knows a ! inside a test from one that stands alone', () => {
    const { nodes, source } = analyse('if (x && !a) {} const y = !b; Boolean(!c); while (!d as any) {}');
    const nots = nodes.filter((node) => node.type === 'UnaryExpression');
    expect(Object.fromEntries(nots.map((node) => [source(node), isInTruthTest(node)]))).toEqual({
      '!a': true,
      '!b': false,
      '!c': true,
      '!d': true,
    });
  });

  it('isGlobalBooleanCall is false for a local Boolean', () => {
    const global = analyse('Boolean(x);');
    expect(isGlobalBooleanCall(global.find<TSESTree.CallExpression>('CallExpression'), global.sourceCode)).toBe(true);
    const local = analyse('function Boolean(v: unknown) { return v; } Boolean(x);');
    expect(
      isGlobalBooleanCall(local.find<TSESTree.CallExpression>('CallExpression', 'Boolean(x)'), local.sourceCode),
    ).toBe(false);
  });
});

describe('promise kinds without types', () => {
  const text =
    'const p = fetch(u); const n = 1; declare function f(): Promise<number>; async function g() {}\n' +
    'p; n; f(); g(); [p];';
  const { find, sourceCode } = analyse(text);
  const kind = (source: string) =>
    checkedPromiseKind(
      find<TSESTree.ExpressionStatement>('ExpressionStatement', `${source};`).expression,
      sourceCode,
      FILE,
      DEFAULT_PROMISE_KNOWLEDGE,
    );
  it('checkedPromiseKind knows promises by what makes them', () => {
    expect(['p', 'n', 'f()', 'g()', '[p]'].map(kind)).toEqual(['promise', null, 'promise', 'promise', null]);
  });
  it('isAlwaysPromise agrees where the checker is absent', () => {
    const always = (source: string) =>
      isAlwaysPromise(
        find<TSESTree.ExpressionStatement>('ExpressionStatement', `${source};`).expression,
        sourceCode,
        FILE,
        DEFAULT_PROMISE_KNOWLEDGE,
      );
    expect(['p', 'n', 'g()'].map(always)).toEqual([true, false, true]);
  });
});

describe('try escapes', () => {
  const { nodes, source, sourceCode } = analyse(`async function f(p: Promise<void>) {
    try { return a(); } catch {}
    try { return b(); } finally {}
    try {} catch { return c(); } finally {}
    try {} catch { return d(); }
    try { const inner = () => { return e(); }; } catch {}
    await p;
    try { return p; } catch {}
  }`);
  const returns = nodes.filter((node): node is TSESTree.ReturnStatement => node.type === 'ReturnStatement');
  it('tryEscapedByReturn names the handler a return escapes, within its own function', () => {
    expect(returns.map((statement) => [source(statement.argument!), tryEscapedByReturn(statement)])).toEqual([
      ['a()', { handler: 'catch', finally: false }],
      ['b()', { handler: 'finally', finally: true }],
      ['c()', { handler: 'finally', finally: true }],
      ['d()', null],
      ['e()', null],
      ['p', { handler: 'catch', finally: false }],
    ]);
  });
  it('awaitedBefore sees a promise awaited earlier in the same function', () => {
    const last = returns.at(-1)!;
    expect(awaitedBefore(last.argument!, last, sourceCode)).toBe(true);
    const first = returns[0]!;
    expect(awaitedBefore(first.argument!, first, sourceCode)).toBe(false);
  });
});

describe('clock spins', () => {
  it('isClockRead knows the clocks and not a given date', () => {
    const { nodes, source, sourceCode } = analyse(
      'Date.now(); performance.now(); new Date().getTime(); process.hrtime.bigint(); new Date(0); Math.random();',
    );
    const reads = nodes
      .filter((node): node is TSESTree.ExpressionStatement => node.type === 'ExpressionStatement')
      .map((statement) => [source(statement.expression), isClockRead(statement.expression, sourceCode)]);
    expect(Object.fromEntries(reads)).toEqual({
      'Date.now()': true,
      'performance.now()': true,
      'new Date().getTime()': true,
      'process.hrtime.bigint()': true,
      'new Date(0)': false,
      'Math.random()': false,
    });
  });

  it('spinsOnClock: an empty wait spins, polling real state or doing work does not', () => {
    const { nodes, sourceCode } = analyse(`async function f(end: number) {
      while (Date.now() < end) {}
      let now = 0; while (now < end) { now = Date.now(); }
      while (!isReady() && Date.now() < end) {}
      while (Date.now() < end) { work(); }
    }`);
    const loops = nodes.filter((node): node is SpinLoop => node.type === 'WhileStatement');
    expect(loops.map((loop) => spinsOnClock(loop, sourceCode))).toEqual([true, true, false, false]);
  });
});

describe('blocking calls', () => {
  const table = {
    id: 'test',
    entries: [
      { modules: ['fs'], name: 'readFileSync', blocks: 'reads a file', replacement: 'readFile' },
      { modules: ['fs'], name: 'existsSync', blocks: 'stats a path', replacement: 'access', cost: 'metadata' as const },
    ],
    isAllowed: () => false,
  };
  const policy: BlockingCallPolicy = { table, helperDepth: 2, metadataCalls: 'in-loops' };
  const { nodes, source, sourceCode } = analyse(`import { readFileSync, existsSync } from 'node:fs';
    function load(p: string) { return readFileSync(p); }
    async function f(ps: string[]) {
      readFileSync('a'); existsSync('b'); for (const p of ps) existsSync(p); load('c');
      try {} catch { readFileSync('d'); }
    }`);
  const found = (call: string) =>
    blockingCallOf(
      nodes.find((node) => node.type === 'CallExpression' && source(node) === call) as TSESTree.CallExpression,
      sourceCode,
      FILE,
      policy,
    );
  it('blockingCallOf reports direct and helper calls, weighing metadata calls and error paths', () => {
    expect(found("readFileSync('a')")).toMatchObject({ kind: 'api', match: { label: 'fs.readFileSync' } });
    expect(found("existsSync('b')")).toBeNull();
    expect(found('existsSync(p)')).toMatchObject({ kind: 'api', match: { label: 'fs.existsSync' } });
    expect(found("load('c')")).toMatchObject({ kind: 'helper', name: 'load', chain: { helpers: [] } });
    expect(found("readFileSync('d')")).toBeNull();
  });
  it('helperDepth 0 follows no helper', () => {
    const call = nodes.find((node) => node.type === 'CallExpression' && source(node) === "load('c')");
    expect(blockingCallOf(call as TSESTree.CallExpression, sourceCode, FILE, { ...policy, helperDepth: 0 })).toBeNull();
  });
});

describe('import edits', () => {
  const text = "import { setTimeout as wait } from 'node:timers/promises';\nfunction f(sleep: number) { g(); }\nh();\n";
  const { find, sourceCode } = analyse(text);
  it('importedLocalName and importsFrom read the top-level imports as written', () => {
    expect(importedLocalName(sourceCode, ['node:timers/promises'], 'setTimeout')).toBe('wait');
    expect(importedLocalName(sourceCode, ['timers/promises'], 'setTimeout')).toBeNull();
    expect(importsFrom(sourceCode, ['node:timers/promises'])).toBe(true);
    expect(importsFrom(sourceCode, ['node:fs/promises'])).toBe(false);
  });
  it('isNameFreeAt looks through every enclosing scope', () => {
    expect(isNameFreeAt(sourceCode, find<TSESTree.CallExpression>('CallExpression', 'g()'), 'sleep')).toBe(false);
    expect(isNameFreeAt(sourceCode, find<TSESTree.CallExpression>('CallExpression', 'h()'), 'sleep')).toBe(true);
    expect(isNameFreeAt(sourceCode, find<TSESTree.CallExpression>('CallExpression', 'h()'), 'wait')).toBe(false);
  });
  it('addNamedImport adds after the last import, only where the name is free', () => {
    const wanted = { module: 'node:fs/promises', imported: 'readFile' };
    expect(
      applied(sourceCode, addNamedImport(sourceCode, find<TSESTree.CallExpression>('CallExpression', 'h()'), wanted)!),
    ).toBe(text.replace(';\n', ";\nimport { readFile } from 'node:fs/promises';\n"));
    const sleep = { module: 'node:timers/promises', imported: 'setTimeout', local: 'sleep' };
    expect(addNamedImport(sourceCode, find<TSESTree.CallExpression>('CallExpression', 'g()'), sleep)).toBeNull();
    expect(
      applied(sourceCode, addNamedImport(sourceCode, find<TSESTree.CallExpression>('CallExpression', 'h()'), sleep)!),
    ).toContain("\nimport { setTimeout as sleep } from 'node:timers/promises';\n");
  });
  it('addNamedImport adds nothing to a file without imports', () => {
    const script = analyse('h();');
    const wanted = { module: 'node:fs/promises', imported: 'readFile' };
    expect(
      addNamedImport(script.sourceCode, script.find<TSESTree.CallExpression>('CallExpression'), wanted),
    ).toBeNull();
  });
});

describe('await edits', () => {
  it('awaitedText parenthesises operands looser than await', () => {
    const { find, sourceCode } = analyse('f(); a || b; x as Promise<void>;');
    const awaited = (text: string) =>
      awaitedText(find<TSESTree.ExpressionStatement>('ExpressionStatement', text).expression, sourceCode);
    expect([awaited('f();'), awaited('a || b;'), awaited('x as Promise<void>;')]).toEqual([
      'await f()',
      'await (a || b)',
      'await (x as Promise<void>)',
    ]);
  });
  it('awaitNeedsParentheses where the parent binds tighter than await', () => {
    const { nodes } = analyse('read().trim(); g(read()); read()(); 2 ** read(); read() ** 2; `${read()}`;');
    const reads = nodes.filter(
      (node) => node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'read',
    );
    expect(reads.map(awaitNeedsParentheses)).toEqual([true, false, true, false, true, false]);
  });
});

describe('event callbacks run now', () => {
  const callOf = (text: string, callee: string) => {
    const { sourceCode, find } = analyse(text);
    return callsEventCallbackNow(find<TSESTree.CallExpression>('CallExpression', `${callee}()`), sourceCode);
  };

  it('callsEventCallbackNow: a function run now or by a listener, its promise ignored both ways', () => {
    const registered = "const cb = async () => {}; if (m) cb(); else m.addEventListener('change', cb);";
    expect(callOf(registered, 'cb')).toBe(true);
    expect(callOf('function cb() {} setTimeout(cb, 10); cb();', 'cb')).toBe(true);
  });

  it('callsEventCallbackNow: not without a registration, nor when a use waits for the result', () => {
    expect(callOf('const cb = async () => {}; cb();', 'cb')).toBe(false);
    const awaited = "async function cb() {} m.on('x', cb); cb(); async function g() { await cb(); }";
    expect(callOf(awaited, 'cb')).toBe(false);
    expect(callOf("let cb = async () => {}; m.on('x', cb); cb();", 'cb')).toBe(false);
  });
});
