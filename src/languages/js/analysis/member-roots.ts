/** What an access chain starts from: the variable, `this` or call a member expression is read from. */
import type { Node } from '../types.js';
import { skipTypeWrappers } from './ast.js';

/** The object a member chain is read from: `a` for `a.b.c` and `(a as T).b!.c`; the node itself when it is no member. */
export function objectRoot(node: Node): Node {
  let current = skipTypeWrappers(node);
  while (current.type === 'MemberExpression') current = skipTypeWrappers(current.object);
  return current;
}

/**
 * Where an access chain starts, through members, calls and `?.`: `cache` for `cache.get(k).value`,
 * `this` for `this.pool?.query(sql)`, `it` for `it.each(rows)(...)`'s callee.
 */
export function accessRoot(node: Node): Node {
  let current = skipTypeWrappers(node);
  for (;;) {
    if (current.type === 'MemberExpression') current = skipTypeWrappers(current.object);
    else if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'CallExpression') current = skipTypeWrappers(current.callee);
    else return current;
  }
}
