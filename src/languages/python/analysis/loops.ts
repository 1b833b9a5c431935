/**
 * The loop an `await` repeats in, and the facts await-in-loop asks of it before it reports: the
 * names each iteration takes (the `for` target), whether an iteration can end the loop early,
 * whether an awaited value flows into a later iteration, and what the awaits are made on. Like
 * the JS model (src/languages/js/analysis/loops.ts), it asks for evidence of independence.
 */
import { childByField, hasAsyncKeyword, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { qualifiedName } from './imports.js';
import type { ScopeModel } from './scopes.js';

const LOOP_TYPES = new Set(['for_statement', 'while_statement']);
const NESTED_CODE = new Set(['function_definition', 'lambda', 'class_definition']);

/** The loop whose body runs `node` once per iteration, in the same function; null outside one. */
export function repeatingLoopOf(node: PyNode): PyNode | null {
  const fn = executingFunction(node);
  let child = node;
  for (let current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (NESTED_CODE.has(current.type)) return null;
    if (LOOP_TYPES.has(current.type) && child.field === 'body') return current;
  }
  return null;
}

/** Every node under `root` in the loop's own code (not in nested functions or classes), depth first. */
export function ownNodes(root: PyNode): PyNode[] {
  const found: PyNode[] = [];
  const stack = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (NESTED_CODE.has(node.type)) continue;
    found.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return found;
}

/** The names a `for` loop binds per iteration (`for key, value in items`). */
export function loopTargetNames(loop: PyNode, text: string): Set<string> {
  const names = new Set<string>();
  const left = childByField(loop, 'left');
  if (!left) return names;
  for (const node of [left, ...ownNodes(left)]) if (node.type === 'identifier') names.add(textOf(node, text));
  return names;
}

/** Identifiers read under `node` (attribute names aside: `x.y` reads `x`). */
export function namesReadIn(node: PyNode, text: string): Set<string> {
  const names = new Set<string>();
  for (const current of [node, ...ownNodes(node)]) {
    if (current.type !== 'identifier') continue;
    if (current.parent?.type === 'attribute' && current.field === 'attribute') continue;
    if (current.parent?.type === 'keyword_argument' && current.field === 'name') continue;
    names.add(textOf(current, text));
  }
  return names;
}

/** A `break`, `return` or `raise` of the loop's body that ends the loop (a nested loop's `break` does not). */
export function canLeaveEarly(loop: PyNode): boolean {
  const body = childByField(loop, 'body');
  if (!body) return false;
  for (const node of ownNodes(body)) {
    if (node.type === 'return_statement' || node.type === 'raise_statement') return true;
    if (node.type === 'yield') return true;
    if (node.type !== 'break_statement') continue;
    let owner = node.parent;
    while (owner && !LOOP_TYPES.has(owner.type)) owner = owner.parent;
    if (owner === loop) return true;
  }
  return false;
}

/**
 * Whether a name that an awaited value is stored in is read earlier in the loop's body than the
 * store, or in the loop's awaits: the next iteration then starts from this one's result
 * (`cursor = await page(cursor)`).
 */
export function carriesAwaitedValue(loop: PyNode, text: string): boolean {
  const body = childByField(loop, 'body');
  if (!body) return false;
  const nodes = ownNodes(body);
  for (const assignment of nodes) {
    if (assignment.type !== 'assignment' && assignment.type !== 'augmented_assignment') continue;
    const right = childByField(assignment, 'right');
    const left = childByField(assignment, 'left');
    if (!right || !left) continue;
    if (right.type !== 'await' && !ownNodes(right).some((node) => node.type === 'await')) continue;
    // `out[key] = await f(key)` and `seen.x = ...` store into a collection or object: not a name carried on.
    if (left.type !== 'identifier' && left.type !== 'pattern_list' && left.type !== 'tuple_pattern') continue;
    const stored = namesReadIn(left, text);
    for (const node of nodes) {
      if (node.type !== 'identifier' || !stored.has(textOf(node, text))) continue;
      if (node.start >= left.start && node.end <= left.end) continue;
      const inAwait = ancestorOfType(node, 'await', loop) !== null;
      if (node.start < assignment.start || inAwait) return true;
    }
  }
  return false;
}

function ancestorOfType(node: PyNode, type: string, stop: PyNode): PyNode | null {
  for (let current = node.parent; current && current !== stop; current = current.parent)
    if (current.type === type) return current;
  return null;
}

/** The awaits a loop's body runs in its own sequence. */
export function awaitsOfLoop(loop: PyNode): PyNode[] {
  const body = childByField(loop, 'body');
  return body
    ? ownNodes(body).filter((node) => node.type === 'await' && node.named && repeatingLoopOf(node) === loop)
    : [];
}

/** `async for`: iterating an async source is sequential by nature. */
export function isAsyncLoop(loop: PyNode): boolean {
  return hasAsyncKeyword(loop);
}

/** The call an `await` waits for, or null (`await future`). */
export function awaitedCall(awaitNode: PyNode): PyNode | null {
  const [expression] = namedChildren(awaitNode);
  return expression?.type === 'call' ? expression : null;
}

/** The qualified name of the function a call calls, or its bare callee text when unresolved. */
export function calleeName(call: PyNode, scopes: ScopeModel, text: string): string {
  const callee = childByField(call, 'function');
  if (!callee) return '';
  return qualifiedName(callee, scopes, text) ?? textOf(callee, text);
}
