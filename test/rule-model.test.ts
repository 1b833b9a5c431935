/** The shared pieces rules are declared over, each on its own, on both front ends: member chains. */
import { describe, expect, it } from 'vitest';
import { parse, type FrontEnd } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import {
  calledMethodName,
  chainRoot,
  promiseMethodOf,
  readsPromiseMethod,
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
