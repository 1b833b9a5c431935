/** Where code reads a value only as true or false: tests, `Boolean(x)`, `!x`, and operands of `&&`, `||`, `??`. */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { isGlobalReference } from './scope.js';

/**
 * The expressions whose truth value is read when `node`'s is, in source order: `node` itself, or
 * for `!a` the operands of `a`, for `a && b` and `a || b` those of both sides, and for `a ?? b`
 * those of `a` only (`b` is the value, not a test). Type wrappers (`x!`, `x as T`) are skipped.
 */
export function truthTestedOperands(node: Node | null | undefined): Node[] {
  const operands: Node[] = [];
  const collect = (current: Node | null | undefined): void => {
    if (!current) return;
    const expression = skipTypeWrappers(current);
    if (expression.type === 'UnaryExpression' && expression.operator === '!') return collect(expression.argument);
    if (expression.type === 'LogicalExpression') {
      collect(expression.left);
      if (expression.operator !== '??') collect(expression.right);
      return;
    }
    operands.push(expression);
  };
  collect(node);
  return operands;
}

/** `Boolean(x)` with the global `Boolean` (a local function of that name may do anything). */
export function isGlobalBooleanCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  return (
    call.callee.type === 'Identifier' && call.callee.name === 'Boolean' && isGlobalReference(sourceCode, call.callee)
  );
}

const STATEMENTS_WITH_TEST = new Set([
  'IfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'ConditionalExpression',
]);

/**
 * Whether `node` lies within the test of an if / loop / `?:` or a `Boolean(...)` call, through
 * `!`, `&&`, `||`, `??`, `x as T` and `x!` only: there the test's own truth reading covers it.
 */
export function isInTruthTest(node: Node): boolean {
  let child: Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'UnaryExpression' && parent.operator === '!') continue;
    if (
      parent.type === 'LogicalExpression' ||
      parent.type === 'TSAsExpression' ||
      parent.type === 'TSNonNullExpression'
    )
      continue;
    if (STATEMENTS_WITH_TEST.has(parent.type) && (parent as { test?: Node | null }).test === child) return true;
    return parent.type === 'CallExpression' && parent.callee.type === 'Identifier' && parent.callee.name === 'Boolean';
  }
  return false;
}
