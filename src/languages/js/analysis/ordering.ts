/**
 * Shared knowledge of operations that must stay in order, used by await-in-loop and
 * sequential-await: resources that serialize their callers (transactions, single connections,
 * locks, streams, events) and classes whose methods share one connection.
 */
import type { Node, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';

export { ORDERED_CLASSES, ORDERED_RESOURCE_CALLEES } from '../../../analysis/ordered-work.js';

export function enclosingClassName(node: Node): string | null {
  for (let current = node.parent; current; current = current.parent) {
    if ((current.type === 'ClassDeclaration' || current.type === 'ClassExpression') && current.id)
      return current.id.name;
  }
  return null;
}

/** `this.query()`, `this.driver.run()`: a call made through `this`. */
export function isCallThroughThis(expression: Node): boolean {
  const call = skipTypeWrappers(expression);
  if (call.type !== 'CallExpression') return false;
  let current: Node = call.callee;
  while (
    current.type === 'MemberExpression' ||
    current.type === 'ChainExpression' ||
    current.type === 'CallExpression'
  ) {
    current = (
      current.type === 'MemberExpression'
        ? current.object
        : current.type === 'ChainExpression'
          ? current.expression
          : current.callee
    ) as Node;
  }
  return current.type === 'ThisExpression';
}

/** A call through `this` inside a class whose methods share one connection (`PostgresQueryRunner`). */
export function isCallOnOrderedClass(expression: Node, isOrderedClassName: (name: string) => boolean): boolean {
  if (!isCallThroughThis(expression)) return false;
  const className = enclosingClassName(expression as TSESTree.Node);
  return className !== null && isOrderedClassName(className);
}
