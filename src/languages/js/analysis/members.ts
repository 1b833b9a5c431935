/**
 * Member chains: which method a call calls, whether it is a promise method, and what a chain of
 * members and calls is rooted at. Rules and analyses asked these with their own copies.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { isGlobalReference } from './scope.js';

/** The methods of a promise: each takes callbacks and returns a new promise. */
export const PROMISE_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** The method a call calls: `write` for `a.b.write()` and `a?.write()`; null for `f()` and `a[m]()`. */
export function calledMethodName(call: TSESTree.CallExpression): string | null {
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier'
    ? callee.property.name
    : null;
}

/** `.then(...)`, `.catch(...)`, `.finally(...)`: the promise method a call calls, or null. */
export function promiseMethodOf(call: TSESTree.CallExpression): string | null {
  const method = calledMethodName(call);
  return method !== null && PROMISE_METHODS.has(method) ? method : null;
}

/** Whether a member reads a promise method of its object: `p.then`, `p.catch`, `p.finally`. */
export function readsPromiseMethod(member: TSESTree.MemberExpression): boolean {
  return !member.computed && member.property.type === 'Identifier' && PROMISE_METHODS.has(member.property.name);
}

/**
 * What a chain of members and calls starts from, through type wrappers and optional chains:
 * `cache` for `cache.get(k).value`, `this` for `this.sql`, the call's callee root for `make()(x)`.
 */
export function chainRoot(node: Node): Node {
  let current = skipTypeWrappers(node);
  for (;;) {
    if (current.type === 'MemberExpression') current = skipTypeWrappers(current.object);
    else if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'CallExpression') current = skipTypeWrappers(current.callee);
    else return current;
  }
}

/** The object a member chain is read from: `a` for `a.b.c` and `(a as T).b!.c`; the node itself when it is no member. */
export function objectRoot(node: Node): Node {
  let current = skipTypeWrappers(node);
  while (current.type === 'MemberExpression') current = skipTypeWrappers(current.object);
  return current;
}

/**
 * The name of a member read from the global `object`, not from a local of that name: `exit` for
 * `process.exit` (`object` 'process'), `all` for `Promise.all`; null for anything else.
 */
export function globalMemberName(node: Node, sourceCode: SourceCode, object: string): string | null {
  if (node.type !== 'MemberExpression' || node.computed || node.property.type !== 'Identifier') return null;
  if (node.object.type !== 'Identifier' || node.object.name !== object) return null;
  return isGlobalReference(sourceCode, node.object) ? node.property.name : null;
}
