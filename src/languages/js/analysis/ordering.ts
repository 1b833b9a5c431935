/**
 * Shared knowledge of operations that must stay in order, used by await-in-loop and
 * sequential-await: resources that serialize their callers (transactions, single connections,
 * locks, streams, events) and classes whose methods share one connection.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { innermostFunction } from './async-context.js';
import { chainRoot } from './members.js';
import { variableOf } from './scope.js';

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

/** SQL that opens a transaction on the one connection it is sent on. */
const OPENS_TRANSACTION = /^\s*(?:BEGIN|START\s+TRANSACTION)\b/i;

function sqlText(node: Node | undefined): string | null {
  const value = node ? skipTypeWrappers(node) : null;
  if (value?.type === 'Literal' && typeof value.value === 'string') return value.value;
  if (value?.type === 'TemplateLiteral') return value.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * `await client.query('BEGIN')` earlier in the function, then `await getVersion(client)` or
 * `await client.query(...)`: the call goes through, or hands on, one connection with a
 * transaction open. A connection runs its statements one at a time, and inside a transaction
 * their order is the point, so such calls gain nothing from running together.
 */
export function usesConnectionInTransaction(expression: Node, sourceCode: SourceCode): boolean {
  const call = skipTypeWrappers(expression);
  if (call.type !== 'CallExpression') return false;
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  const candidates: Node[] = call.arguments.map((argument) => skipTypeWrappers(argument as Node));
  if (callee.type === 'MemberExpression') candidates.push(chainRoot(callee));
  const ownFunction = innermostFunction(call);
  return candidates.some((candidate) => {
    if (candidate.type !== 'Identifier') return false;
    return (variableOf(sourceCode, candidate)?.references ?? []).some((reference) => {
      const member = reference.identifier.parent;
      const opening = member?.parent;
      return (
        member?.type === 'MemberExpression' &&
        member.object === reference.identifier &&
        opening?.type === 'CallExpression' &&
        opening.callee === member &&
        opening.range[1] <= call.range[0] &&
        innermostFunction(opening) === ownFunction &&
        OPENS_TRANSACTION.test(sqlText(opening.arguments[0] as Node | undefined) ?? '')
      );
    });
  });
}
