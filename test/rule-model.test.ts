/**
 * The shared pieces rules are declared over: member chains, "is this promise handled?", callers
 * that ignore their callback's promise, where a lost rejection is reported anyway, and whether a
 * file is one where a rule reports. Each on its own, on both front ends.
 */
import { describe, expect, it } from 'vitest';
import { parse, type FrontEnd } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import {
  attachesRejectionHandler,
  calledMethodName,
  callbackCallerOf,
  callbackLosesNothing,
  chainRoot,
  DEFAULT_PROMISE_KNOWLEDGE,
  fileMayReport,
  floatingFailureIsReported,
  handlingVerdict,
  handsOnValue,
  ignoredRejectionIsReported,
  isForgottenStoredPromise,
  isKnownCall,
  promiseHandling,
  promiseMethodOf,
  promiseReturningCallback,
  readsPromiseMethod,
  waitsForAccumulator,
  whereCodeRuns,
  type PromiseHandlingOptions,
  type RunContext,
} from '../src/languages/js/analysis/index.js';
import type { Node, SourceCode, TSESTree } from '../src/languages/js/types.js';

const FILE = '/work/project/src/file.ts';

function analyse(text: string, frontEnd: FrontEnd, filename = FILE) {
  const parsed = parse(text, filename, frontEnd);
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const sourceCode: SourceCode = createSourceCode(parsed, text);
  const all = [...new Set(nodes)];
  const ofType = <T extends Node>(type: `${T['type']}`) => all.filter((node): node is T => node.type === type);
  return { sourceCode, ofType };
}

const DEFAULT_OPTIONS: PromiseHandlingOptions = {
  ignoreVoid: true,
  ignoreIIFE: false,
  checkThenables: false,
  allowForKnownSafePromises: [],
  allowForKnownSafeCalls: [],
};

describe.each(['fast', 'typed'] as const)('member chains on the %s front end', (frontEnd) => {
  it('name the method a call calls, and whether it is a promise method', () => {
    const { ofType } = analyse('a.b.write(); a?.then(f); f(); a[m](); p.catch(h).finally(g);', frontEnd);
    const calls = ofType<TSESTree.CallExpression>('CallExpression');
    expect(calls.map(calledMethodName)).toEqual(['write', 'then', null, null, 'finally', 'catch']);
    expect(calls.map(promiseMethodOf)).toEqual([null, 'then', null, null, 'finally', 'catch']);
  });

  it('tell a read of a promise method from other members', () => {
    const { ofType } = analyse('p.then; p.catch; p["then"]; p.value;', frontEnd);
    expect(ofType<TSESTree.MemberExpression>('MemberExpression').map(readsPromiseMethod)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('find the root of a chain of members and calls', () => {
    const { ofType } = analyse('cache.get(k).value; this.sql.query(); (db as any)!.pool?.get(); make()(x);', frontEnd);
    const roots = ofType<TSESTree.ExpressionStatement>('ExpressionStatement').map((statement) => {
      const root = chainRoot(statement.expression);
      return root.type === 'Identifier' ? root.name : root.type;
    });
    expect(roots).toEqual(['cache', 'ThisExpression', 'db', 'make']);
  });
});

describe.each(['fast', 'typed'] as const)('promise handling on the %s front end', (frontEnd) => {
  const verdicts = (text: string, options: Partial<PromiseHandlingOptions> = {}) => {
    const { sourceCode, ofType } = analyse(text, frontEnd);
    const handling = promiseHandling(sourceCode, FILE, DEFAULT_PROMISE_KNOWLEDGE, { ...DEFAULT_OPTIONS, ...options });
    return ofType<TSESTree.ExpressionStatement>('ExpressionStatement').map((statement) =>
      handlingVerdict(statement.expression, handling),
    );
  };

  it('knows what leaves a promise floating', () => {
    const text = `async function f() {
      fetch(u);
      await fetch(u);
      void fetch(u);
      fetch(u).catch(report);
      fetch(u).then(ok, report);
      fetch(u).catch(undefined);
      fetch(u).then(ok);
      [fetch(a), fetch(b)];
      ok ? fetch(u) : null;
      compute(u);
      Promise.allSettled([fetch(u)]);
    }`;
    expect(verdicts(text)).toEqual([
      'floating',
      'handled',
      'handled',
      'handled',
      'handled',
      'floating',
      'floating',
      'floatingArray',
      'floating',
      'handled',
      'handled',
    ]);
  });

  it('follows the options: void, immediately invoked functions, calls known to be safe', () => {
    const text = 'void fetch(u); (async () => { await fetch(u); })(); fetch(u);';
    // The third statement is the await inside the immediately invoked function.
    expect(verdicts(text)).toEqual(['handled', 'floating', 'handled', 'floating']);
    expect(verdicts(text, { ignoreVoid: false })).toEqual(['floating', 'floating', 'handled', 'floating']);
    const lenient = { ignoreIIFE: true, allowForKnownSafeCalls: ['fetch'] };
    expect(verdicts(text, lenient)).toEqual(['handled', 'handled', 'handled', 'handled']);
  });

  it('matches calls known to be safe by name or by the export they call', () => {
    const { sourceCode, ofType } = analyse(
      "import { it } from 'node:test'; it('x', f); queue.add(j); run();",
      frontEnd,
    );
    const calls = ofType<TSESTree.CallExpression>('CallExpression');
    const known = [{ module: 'node:test', name: ['it', 'describe'] }, 'queue.add'];
    expect(calls.map((call) => isKnownCall(call, known, sourceCode))).toEqual([true, true, false]);
  });

  it('tells a rejection handler from an empty one', () => {
    const { ofType } = analyse('p.catch(h); p.catch(null); p.then(f, h); p.then(f, void 0); p.finally(h);', frontEnd);
    expect(ofType<TSESTree.CallExpression>('CallExpression').map(attachesRejectionHandler)).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('knows which reads of a stored promise hand it on', () => {
    const { sourceCode, ofType } = analyse(
      `async function f() {
        const p = load();
        await p; use(p); p.then(f); q = p; const r = ok ? p : q;
        p.value; p ? a : b; p; if (p instanceof Promise) throw e; return p;
      }`,
      frontEnd,
    );
    const reads = ofType<TSESTree.Identifier>('Identifier').filter(
      (identifier) => identifier.name === 'p' && identifier.parent?.type !== 'VariableDeclarator',
    );
    expect(reads.map((read) => handsOnValue(read, sourceCode))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('finds a stored promise that nothing hands on', () => {
    const { sourceCode, ofType } = analyse(
      `async function f() {
        const forgotten = fetch(u);
        const awaited = fetch(u); await awaited;
        const handled = fetch(u).catch(report);
        const value = compute();
        for (const each of [fetch(u)]) {}
      }
      const topLevel = fetch(u);`,
      frontEnd,
    );
    const handling = promiseHandling(sourceCode, FILE, DEFAULT_PROMISE_KNOWLEDGE, DEFAULT_OPTIONS);
    const forgotten = ofType<TSESTree.VariableDeclarator>('VariableDeclarator')
      .filter((declarator) => isForgottenStoredPromise(declarator, handling))
      .map((declarator) => (declarator.id as TSESTree.Identifier).name);
    expect(forgotten).toEqual(['forgotten']);
  });
});

describe.each(['fast', 'typed'] as const)('callers of callbacks on the %s front end', (frontEnd) => {
  it('know how each caller treats its callback, and which argument the callback is', () => {
    const { sourceCode, ofType } = analyse(
      `xs.forEach(f); xs.filter(f); xs.toSorted(f); xs.reduceRight(f, 0); emitter.on('data', f);
      setTimeout(f, 10); process.nextTick(f); xs.map(f); run(f);`,
      frontEnd,
    );
    const callers = ofType<TSESTree.CallExpression>('CallExpression').map((call) => {
      const caller = callbackCallerOf(call, sourceCode);
      return caller && `${caller.kind} ${caller.name} ${call.arguments.indexOf(caller.callback!)}`;
    });
    expect(callers).toEqual([
      'forEach forEach 0',
      'predicate filter 0',
      'comparator toSorted 0',
      'reduce reduceRight 0',
      'listener on 1',
      'timer setTimeout 0',
      'timer process.nextTick 0',
      null,
      null,
    ]);
  });

  it('a local setTimeout is not the timer', () => {
    const { sourceCode, ofType } = analyse('function setTimeout(f: () => void) {} setTimeout(f);', frontEnd);
    const call = ofType<TSESTree.CallExpression>('CallExpression')[0]!;
    expect(callbackCallerOf(call, sourceCode)).toBeNull();
  });

  it('a reduce step that waits for the accumulator, by await or by chaining onto it', () => {
    const { sourceCode, ofType } = analyse(
      `xs.reduce(async (acc, x) => { const total = await acc; return total + x; }, 0);
      xs.reduce((chain, step) => chain.then(step), start);
      xs.reduce(async (acc, x) => { await save(x); return acc; }, 0);`,
      frontEnd,
    );
    const steps = ofType<TSESTree.ArrowFunctionExpression>('ArrowFunctionExpression');
    expect(steps.map((fn) => waitsForAccumulator(fn, sourceCode))).toEqual([true, true, false]);
  });

  it('know which promise-returning callbacks lose nothing with their caller', () => {
    const { sourceCode, ofType } = analyse(
      `xs.forEach(async (x) => { log(x); });
      xs.forEach(async (x) => { await save(x); });
      emitter.on('data', async () => { try { await save(); } catch (error) { log(error); } });
      emitter.on('data', async () => { await save(); });
      xs.filter(async (x) => { log(x); });`,
      frontEnd,
    );
    const answers = ofType<TSESTree.CallExpression>('CallExpression')
      .map((call) => callbackCallerOf(call, sourceCode))
      .filter((caller) => caller !== null)
      .map((caller) => {
        const callback = promiseReturningCallback(caller.callback!, sourceCode, FILE, DEFAULT_PROMISE_KNOWLEDGE)!;
        return callbackLosesNothing(caller.kind, callback, sourceCode, FILE, DEFAULT_PROMISE_KNOWLEDGE);
      });
    expect(answers).toEqual([true, false, true, false, false]);
  });
});

describe('where a lost rejection is reported anyway', () => {
  // The config names where the file runs, so that only the rejection's own question is asked.
  const whereFor = (context: RunContext, text: string) => {
    const { sourceCode, ofType } = analyse(text, 'fast');
    const where = whereCodeRuns({
      filename: FILE,
      cwd: '/work/project',
      settings: { asynclint: { context } },
      sourceCode,
    });
    return { sourceCode, ofType, where };
  };

  it("a floating promise's failure ends a script with its error; in a library it is lost", () => {
    for (const [context, expected] of [
      ['one-shot', true],
      ['library', false],
    ] as const) {
      const { sourceCode, ofType, where } = whereFor(context, 'export function start() { fetch(u); }');
      const statement = ofType<TSESTree.ExpressionStatement>('ExpressionStatement')[0]!;
      expect(floatingFailureIsReported(statement, where, sourceCode, 'start.js'), context).toBe(expected);
    }
  });

  it('a file where a rule does not report says so once, to a listening test', () => {
    const { sourceCode, where } = whereFor('test', 'await save();');
    const heard: (string | null)[] = [];
    const listener = (_node: Node, reason: string | null) => void heard.push(reason);
    expect(fileMayReport(where, ['library', 'test'], sourceCode.ast, listener)).toBe(true);
    expect(fileMayReport(where, ['library'], sourceCode.ast, listener)).toBe(false);
    expect(heard).toEqual(['runs-in-test']);
  });

  it("a listener's rejection reaches the test runner in a test, and is lost in a library", () => {
    for (const [context, expected] of [
      ['test', true],
      ['library', false],
    ] as const) {
      const { sourceCode, ofType, where } = whereFor(context, "emitter.on('data', async () => { await save(); });");
      const listener = ofType<TSESTree.ArrowFunctionExpression>('ArrowFunctionExpression')[0]!;
      expect(ignoredRejectionIsReported(listener, where, sourceCode), context).toBe(expected);
    }
  });
});
