/** Edits that write an `await`: where the operand or the awaited result needs parentheses. */
import type { Node, SourceCode } from '../types.js';

/** Operands that need parentheses after `await` (which binds tighter than they do). */
const LOOSER_THAN_AWAIT = new Set([
  'ConditionalExpression',
  'SequenceExpression',
  'AssignmentExpression',
  'LogicalExpression',
  'BinaryExpression',
  'ArrowFunctionExpression',
  'YieldExpression',
  'TSAsExpression',
  'TSSatisfiesExpression',
]);

/** `await <node>`, with the operand in parentheses where `await` would otherwise take only part of it. */
export function awaitedText(node: Node, sourceCode: SourceCode): string {
  const text = sourceCode.getText(node);
  return `await ${LOOSER_THAN_AWAIT.has(node.type) ? `(${text})` : text}`;
}

/**
 * Whether an `await ...` written in place of `node` needs parentheses: where the parent binds
 * tighter than `await` (`(await read()).trim()`, `(await read())()`, a tag, the base of `**`).
 */
export function awaitNeedsParentheses(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  return (
    (parent.type === 'MemberExpression' && parent.object === node) ||
    (parent.type === 'CallExpression' && parent.callee === node) ||
    parent.type === 'TaggedTemplateExpression' ||
    (parent.type === 'BinaryExpression' && parent.operator === '**' && parent.left === node)
  );
}
