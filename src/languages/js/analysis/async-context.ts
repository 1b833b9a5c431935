/**
 * "Does this code run on the event loop as part of async work?" A node is in async context when
 * it runs as part of an async function body, of a callback that runs synchronously inside one
 * (array methods), of a `.then` / `.catch` / `.finally` callback, or of a `new Promise` executor.
 * Module top level and plain sync functions are not (they may still be reached as helpers).
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { calledMethodName, PROMISE_METHODS } from './members.js';

/** Array methods that call their callback synchronously, before they return. */
export const SYNCHRONOUS_CALLBACK_METHODS = new Set([
  'map',
  'forEach',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'sort',
  'toSorted',
]);

/** How a function is run when it is passed as an argument: by a promise, by an array method, or unknown. */
function callbackRole(fn: FunctionNode): 'promise' | 'synchronous' | null {
  const parent = fn.parent;
  if (!parent) return null;
  if (
    parent.type === 'NewExpression' &&
    parent.arguments[0] === fn &&
    parent.callee.type === 'Identifier' &&
    parent.callee.name === 'Promise'
  )
    return 'promise';
  if (parent.type !== 'CallExpression' || !parent.arguments.includes(fn as TSESTree.CallExpressionArgument))
    return null;
  const method = calledMethodName(parent);
  if (method !== null && PROMISE_METHODS.has(method)) return 'promise';
  if (method !== null && SYNCHRONOUS_CALLBACK_METHODS.has(method) && parent.arguments[0] === fn) return 'synchronous';
  return null;
}

/** The function that makes `node` async context, or null when it is not. */
export function asyncContextOf(node: Node): FunctionNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (!isFunctionNode(current)) continue;
    if (current.async) return current;
    const role = callbackRole(current);
    if (role === 'promise') return current;
    if (role === 'synchronous') continue;
    return null;
  }
  return null;
}

/**
 * Whether a file's text shows async context at all: an `async` function, a `Promise` (executor),
 * or a `.then` / `.catch` / `.finally` callback. Rules about code that runs as async work have
 * nothing to look for without one.
 */
export function mayRunAsync(text: string): boolean {
  return /\basync\b|\bPromise\b|\.\s*(?:then|catch|finally)\b/.test(text);
}

/** The innermost function around a node, or null at module top level. */
export function innermostFunction(node: Node): FunctionNode | null {
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) return current;
  return null;
}

/**
 * Whether an async function never waits: no `await` or `for await` in its own body. It runs to
 * its end synchronously, like a sync function, so handing its promise to a caller that ignores
 * it loses nothing an exception would not have lost.
 */
export function awaitsNothing(
  fn: FunctionNode,
  visitorKeys: Record<string, readonly string[] | undefined>,
  returnsNoPromise: (call: TSESTree.CallExpression) => boolean = () => false,
): boolean {
  if (!fn.async) return false;
  const pending = (value: Node) => {
    const expression = skipTypeWrappers(value);
    return mayBePending(expression) && !(expression.type === 'CallExpression' && returnsNoPromise(expression));
  };
  if (fn.body.type !== 'BlockStatement') return !pending(fn.body);
  let waits = false;
  forEachDescendant(fn.body, visitorKeys, (node) => {
    if (waits || (node !== fn.body && isFunctionNode(node))) return false;
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) waits = true;
    // `return work()` hands on whatever `work` started: its promise is still pending, unless
    // `work` is known to return no promise (a timer, a sync method that returns nothing).
    if (node.type === 'ReturnStatement' && node.argument && pending(node.argument)) waits = true;
    return undefined;
  });
  return !waits;
}

/** Whether code waits in `node`: an `await` or `for await` of its own, outside the functions nested in it. */
export function awaitsIn(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || (current !== node && isFunctionNode(current))) return false;
    if (current.type === 'AwaitExpression' || (current.type === 'ForOfStatement' && current.await)) found = true;
    return undefined;
  });
  return found;
}

/** Values that are never a pending promise: literals, templates, fresh objects and arrays, operators. */
const NEVER_PENDING = new Set([
  'Literal',
  'TemplateLiteral',
  'ObjectExpression',
  'ArrayExpression',
  'UnaryExpression',
  'BinaryExpression',
]);

/**
 * Whether a returned value may be a pending promise. A variable may hold one; `trustVariables`
 * takes it not to (for code whose awaits are looked at one by one, where a promise held in a
 * variable was made by a call already looked at).
 */
export function mayBePending(node: Node, trustVariables = false): boolean {
  const value = skipTypeWrappers(node);
  if (NEVER_PENDING.has(value.type) || value.type === 'AwaitExpression') return false;
  return !(trustVariables && value.type === 'Identifier');
}
