/** Small questions about the compact tree (src/languages/python/parser/tree.ts) that every analysis asks. */
import type { PyNode } from '../parser/index.js';

export type { PyNode } from '../parser/index.js';

export function childByField(node: PyNode, field: string): PyNode | undefined {
  return node.children.find((child) => child.field === field);
}

export function childrenByField(node: PyNode, field: string): PyNode[] {
  return node.children.filter((child) => child.field === field);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((child) => child.named);
}

export function textOf(node: PyNode, text: string): string {
  return text.slice(node.start, node.end);
}

/** `async def`, `async for`, `async with`: the `async` keyword is the node's first token. */
export function hasAsyncKeyword(node: PyNode): boolean {
  const first = node.children[0];
  return first !== undefined && !first.named && first.type === 'async';
}

/** The nodes that start a scope of their own. */
export const SCOPE_NODE_TYPES = new Set([
  'module',
  'function_definition',
  'class_definition',
  'lambda',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

export const COMPREHENSION_TYPES = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

/** Whether an identifier names a parameter (not a default value or annotation beside it). */
export function isParameterName(node: PyNode): boolean {
  if (node.type !== 'identifier' || !node.parent) return false;
  let named = node;
  let parent = node.parent;
  if ((parent.type === 'list_splat_pattern' || parent.type === 'dictionary_splat_pattern') && parent.parent) {
    named = parent;
    parent = parent.parent;
  }
  if (parent.type === 'parameters' || parent.type === 'lambda_parameters') return true;
  if (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') return named.field === 'name';
  if (parent.type === 'typed_parameter') return named.field !== 'type';
  return false;
}

/** A comprehension's first `for ... in <iterable>`: the iterable is evaluated outside the comprehension. */
export function isFirstForClause(clause: PyNode): boolean {
  const owner = clause.parent;
  return (
    owner !== null &&
    COMPREHENSION_TYPES.has(owner.type) &&
    owner.children.find((node) => node.type === 'for_in_clause') === clause
  );
}

/**
 * The scope node whose scope `node` is evaluated in. A function's decorators, name, default
 * values, annotations and return type are evaluated where it is defined: only its parameters'
 * names and its body are its own. A class's bases are outside its scope, and so is a
 * comprehension's first iterable.
 */
export function scopeNodeOf(node: PyNode): PyNode {
  let child = node;
  let skip: PyNode | null = null;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'for_in_clause' && child.field === 'right' && isFirstForClause(current)) skip = current.parent;
    if (current === skip || !SCOPE_NODE_TYPES.has(current.type)) continue;
    if (ownsChild(current, child, node)) return current;
  }
  return child;
}

function ownsChild(owner: PyNode, child: PyNode, node: PyNode): boolean {
  switch (owner.type) {
    case 'function_definition':
    case 'lambda':
      return child.field === 'body' || (child.field === 'parameters' && isParameterName(node));
    case 'class_definition':
      return child.field === 'body';
    default:
      return true;
  }
}

/** Every call under `region` (itself included), in source order. */
export function callsIn(region: PyNode): PyNode[] {
  const calls: PyNode[] = [];
  const stack = [region];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'call') calls.push(node);
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return calls;
}

/** A call of a method: `object.method(...)`. */
export interface MethodCall {
  call: PyNode;
  object: PyNode;
  method: PyNode;
}

/** Every method call under `region` (`sock.setblocking(False)`, `self._loop.call_soon(cb)`), in source order. */
export function methodCallsIn(region: PyNode): MethodCall[] {
  const found: MethodCall[] = [];
  for (const call of callsIn(region)) {
    const callee = childByField(call, 'function');
    if (callee?.type !== 'attribute') continue;
    const object = childByField(callee, 'object');
    const method = childByField(callee, 'attribute');
    if (object && method) found.push({ call, object, method });
  }
  return found;
}
