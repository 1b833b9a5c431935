/**
 * Whether code runs as part of a coroutine: the nearest function it runs in is an `async def`.
 * A nested `def` or `lambda` starts code of its own (it runs when called, perhaps from sync
 * code); a class body or a comprehension runs where it stands, so it keeps the context around
 * it. A function's decorators and default values run where the function is defined.
 */
import { hasAsyncKeyword, scopeNodeOf, type PyNode } from './ast.js';

/** The `def` or `lambda` whose call runs `node`, or null for module-level code. */
export function executingFunction(node: PyNode): PyNode | null {
  for (let scope = scopeNodeOf(node); ; scope = scopeNodeOf(scope)) {
    if (scope.type === 'function_definition' || scope.type === 'lambda') return scope;
    if (scope.type === 'module' || !scope.parent) return null;
  }
}

export function isAsyncFunction(node: PyNode): boolean {
  return node.type === 'function_definition' && hasAsyncKeyword(node);
}

/** The `async def` that `node` runs in as part of, or null when it does not run in a coroutine. */
export function asyncFunctionOf(node: PyNode): PyNode | null {
  const fn = executingFunction(node);
  return fn && isAsyncFunction(fn) ? fn : null;
}

/**
 * Whether an `await` written in place of `node` would be valid and mean the same: it runs in a
 * coroutine, and no class body (where `await` is a syntax error) or generator expression (which
 * `await` would turn into an async generator) stands between it and its `async def`.
 */
export function canAwaitAt(node: PyNode): boolean {
  const fn = asyncFunctionOf(node);
  if (!fn) return false;
  for (let current = node.parent; current && current !== fn; current = current.parent)
    if (current.type === 'class_definition' || current.type === 'generator_expression') return false;
  return true;
}

/** Whether `await <node>` must be parenthesised where `node` stands: `await` binds looser than `.`, `()` and `[]`. */
export function awaitNeedsParentheses(node: PyNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  return (
    (parent.type === 'attribute' && node.field === 'object') ||
    (parent.type === 'call' && node.field === 'function') ||
    (parent.type === 'subscript' && node.field === 'value')
  );
}

/** Annotations of what only async code can use: a `def` returning one is called from coroutines. */
const AWAITABLE_TYPES = new Set(
  ['AsyncIterator', 'AsyncIterable', 'AsyncGenerator', 'Awaitable', 'Coroutine'].flatMap((name) => [
    `typing.${name}`,
    `collections.abc.${name}`,
  ]),
);

/**
 * The sync `def` that `node` runs in when that `def` is annotated to return an awaitable or an
 * async iterator (`def iterdir(self) -> AsyncIterator[Path]`): async code calls it (`async for p
 * in path.iterdir()`) and its body runs right there, on the event loop, before anything is
 * awaited. Null otherwise.
 */
export function awaitableReturningDefOf(node: PyNode, nameOf: (expression: PyNode) => string | null): PyNode | null {
  const fn = executingFunction(node);
  if (!fn || fn.type !== 'function_definition' || isAsyncFunction(fn)) return null;
  const type = fn.children.find((child) => child.field === 'return_type')?.children.find((child) => child.named);
  const base = type?.type === 'generic_type' ? type.children.find((child) => child.named) : type;
  if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) return null;
  return AWAITABLE_TYPES.has(nameOf(base) ?? '') ? fn : null;
}
