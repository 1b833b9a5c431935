/**
 * What orders awaits, as the sequential rules (await-in-loop, sequential-await) ask it: a
 * receiver held for a while (a field of `self`, a connection from `async with` or an `await`, a
 * method of `self` that keeps state on `self`), and the user's `orderedCallees` patterns.
 */
import { childByField, textOf, type PyNode } from './ast.js';
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

/** `self.items = ...`, `self.count += 1`: a method that keeps state between calls. */
function keepsStateOnSelf(method: PyNode, text: string): boolean {
  const body = childByField(method, 'body');
  if (!body) return false;
  return ownNodes(body).some((node) => {
    if (node.type !== 'assignment' && node.type !== 'augmented_assignment') return false;
    const left = childByField(node, 'left');
    const object = left?.type === 'attribute' ? childByField(left, 'object') : undefined;
    return object?.type === 'identifier' && textOf(object, text) === 'self';
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
