/**
 * Pieces of the shared JS model that short rules are written with: member roots, truth tests,
 * promise kinds, try escapes, clock spins, blocking calls, and the edits fixes make (imports, await).
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import { accessRoot, calledMethodName, objectRoot } from '../src/languages/js/analysis/index.js';
import type { Node, TSESTree } from '../src/languages/js/types.js';

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

describe('member roots', () => {
  it('objectRoot follows member objects and type wrappers only', () => {
    const { find, source } = analyse('declare const a: any; (a as any).b!.c; a.f().g; a?.b;');
    expect(source(objectRoot(find('MemberExpression', '(a as any).b!.c')))).toBe('a');
    expect(objectRoot(find('MemberExpression', 'a.f().g')).type).toBe('CallExpression');
    expect(objectRoot(find('ChainExpression')).type).toBe('ChainExpression');
  });

  it('accessRoot also follows calls and optional chains', () => {
    const { find, source } = analyse('class C { m() { this.pool?.query(1).rows; cache.get(k)!.value; } }');
    expect(accessRoot(find('MemberExpression', 'this.pool?.query(1).rows')).type).toBe('ThisExpression');
    expect(source(accessRoot(find('MemberExpression', 'cache.get(k)!.value')))).toBe('cache');
  });

  it('calledMethodName names the method of a member call, not a function call or a computed one', () => {
    const { nodes } = analyse('a.b.write(); a?.end(); f(); a[k]();');
    const calls = nodes.filter((node): node is TSESTree.CallExpression => node.type === 'CallExpression');
    expect(calls.map(calledMethodName)).toEqual(['write', 'end', null, null]);
  });
});
