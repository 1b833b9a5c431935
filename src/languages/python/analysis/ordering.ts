/**
 * What orders awaits, as the sequential rules (await-in-loop, sequential-await) ask it: a
 * receiver held for a while (a field of `self`, a connection from `async with` or an `await`, a
 * method of `self` that keeps state on `self`), and the user's `orderedCallees` patterns.
 */
import { childByField, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { selfMethod } from './coroutines.js';
import { ownNodes } from './loops.js';
import type { ScopeModel } from './scopes.js';

/** How a name is bound where it is read: by `async with ... as name`, or from an `await` (a held connection). */
function isHeldResource(identifier: PyNode, scopes: ScopeModel): boolean {
  const resolution = scopes.resolve(identifier);
  if (resolution.kind !== 'defined') return false;
  return resolution.definitions.some((definition) => {
    const binding = definition.node.parent;
    if (binding?.type === 'as_pattern_target') return true;
    return binding?.type === 'assignment' && childByField(binding, 'right')?.type === 'await';
  });
}

/** `self.x`, `self.x.y`, `self.x[i]`: whether an expression reaches into what `self` holds. */
function reachesIntoSelf(node: PyNode | undefined, text: string): boolean {
  let current = node;
  while (current?.type === 'attribute' || current?.type === 'subscript')
    current = childByField(current, current.type === 'attribute' ? 'object' : 'value');
  return current?.type === 'identifier' && textOf(current, text) === 'self' && current !== node;
}

/** Methods that change the collection they are called on (`self._unread.pop()`). */
const MUTATING_METHODS = new Set(['append', 'extend', 'insert', 'pop', 'popleft', 'remove', 'clear', 'add', 'update']);

/**
 * A method that keeps state between calls: it assigns to `self` (`self.count += 1`), changes a
 * collection `self` holds (`self._unread.pop()`), or awaits an operation through what `self`
 * holds (`await self._content.readline()`: one stream, read in turn).
 */
function keepsStateOnSelf(method: PyNode, text: string): boolean {
  const body = childByField(method, 'body');
  if (!body) return false;
  return ownNodes(body).some((node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment')
      return reachesIntoSelf(childByField(node, 'left'), text);
    if (node.type !== 'call') return false;
    const callee = childByField(node, 'function');
    if (callee?.type !== 'attribute') return false;
    const receiver = childByField(callee, 'object');
    const method = textOf(childByField(callee, 'attribute')!, text);
    const awaited = node.parent?.type === 'await';
    return reachesIntoSelf(receiver, text) && (awaited || MUTATING_METHODS.has(method));
  });
}

type CompiledPattern = { receiver: RegExp | null; method: RegExp };

const globTest = (glob: string) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The patterns compiled once per options list (the same array for every call the rule looks at). */
const compiledPatterns = new WeakMap<readonly string[], CompiledPattern[]>();

function compile(patterns: readonly string[]): CompiledPattern[] {
  let compiled = compiledPatterns.get(patterns);
  if (!compiled) {
    compiled = patterns.map((pattern) => {
      const [receiver, method] = pattern.split('.');
      return method === undefined
        ? { receiver: null, method: globTest(receiver!) }
        : { receiver: globTest(receiver!), method: globTest(method) };
    });
    compiledPatterns.set(patterns, compiled);
  }
  return compiled;
}

/** `*.write`, `conn.*`, `commit`: a callee pattern of orderedCallees, matched on the call as written. */
export function matchesOrderedCallee(call: PyNode, patterns: readonly string[], text: string): boolean {
  const callee = childByField(call, 'function');
  if (!callee) return false;
  const parts = textOf(callee, text).split('.');
  return compile(patterns).some(({ receiver, method }) =>
    receiver === null
      ? parts.length === 1 && method.test(parts[0]!)
      : parts.length >= 2 && receiver.test(parts.at(-2)!) && method.test(parts.at(-1)!),
  );
}

/** Why the awaited call shares something with the other iterations, or null when it shares nothing known. */
export function sharedReceiver(call: PyNode, scopes: ScopeModel, text: string): boolean {
  const callee = childByField(call, 'function');
  if (callee?.type !== 'attribute') return false;
  const object = childByField(callee, 'object');
  if (!object) return false;
  // `self.conn.execute(...)`: an object kept in a field may be one connection, page or session.
  if (object.type === 'attribute' && textOf(childByField(object, 'object')!, text) === 'self') return true;
  if (object.type === 'identifier' && textOf(object, text) === 'self') {
    const method = selfMethod(callee, text);
    return method === null || keepsStateOnSelf(method, text);
  }
  return object.type === 'identifier' && isHeldResource(object, scopes);
}

/**
 * Whether `name`, bound by `statement`, is read after it where that binding is the one read:
 * a value nobody reads was awaited for the call's effect, not its result.
 */
export function isReadAfter(name: string, statement: PyNode, scopes: ScopeModel, text: string): boolean {
  const root = executingFunction(statement) ?? scopes.module.node;
  // Reads in closures and comprehensions count: they read the same binding.
  const stack = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.end <= statement.end) continue;
    stack.push(...node.children);
    if (node.type !== 'identifier' || node.start < statement.end || textOf(node, text) !== name) continue;
    if (node.field === 'attribute' && node.parent?.type === 'attribute') continue;
    if (node.field === 'name' && node.parent?.type === 'keyword_argument') continue;
    if (node.field === 'left' && node.parent?.type === 'assignment') continue;
    const resolution = scopes.resolve(node);
    if (resolution.kind !== 'defined') continue;
    if (resolution.definitions.some((definition) => isWithin(definition.node, statement))) return true;
  }
  return false;
}

function isWithin(node: PyNode, outer: PyNode): boolean {
  return node.start >= outer.start && node.end <= outer.end;
}
