/**
 * Calls whose promise nobody waits for. `f();` as a statement, `void f();`, or `f()` as what a
 * timer's callback returns (`setTimeout(() => f(), 0)`): the caller goes on at once, and a timer
 * ignores what its callback returns. When every call of an async function is such a call, how
 * long the function takes delays no one: vite fires `cleanupDepsCacheStaleDirs` from a timer and
 * never looks at it again.
 *
 * Pure syntax of one call, so that importer-uses.ts can count such calls in importing files.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { isFunctionNode } from './ast.js';
import { callbackCallerOf } from './callback-callers.js';

/** Whether the promise `call` returns is dropped where it is made (see the file comment). */
export function isCallNobodyWaitsFor(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  let expression: Node = call.parent?.type === 'ChainExpression' ? call.parent : call;
  if (expression.parent?.type === 'UnaryExpression' && expression.parent.operator === 'void')
    expression = expression.parent;
  const parent = expression.parent;
  if (parent?.type === 'ExpressionStatement') return true;
  // `setTimeout(() => f())`, `setImmediate(function () { return f(); })`: the timer drops it.
  const callback =
    parent?.type === 'ArrowFunctionExpression' && parent.body === expression
      ? parent
      : parent?.type === 'ReturnStatement'
        ? enclosingFunction(parent)
        : null;
  return callback !== null && isTimerCallback(callback, sourceCode);
}

function enclosingFunction(node: Node): Node | null {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current;
  return null;
}

/** `fn` is the callback handed to `setTimeout`, `setInterval`, `setImmediate`, `queueMicrotask` or `process.nextTick`. */
function isTimerCallback(fn: Node, sourceCode: SourceCode): boolean {
  const call = fn.parent;
  if (call?.type !== 'CallExpression') return false;
  const caller = callbackCallerOf(call, sourceCode);
  return caller?.kind === 'timer' && caller.callback === fn;
}
