/**
 * What orders awaits, as the sequential rules (await-in-loop, sequential-await) ask it: a
 * receiver held for a while (a field of `self`, a connection from `async with` or an `await`, a
 * method of `self` that keeps state on `self`), and the user's `orderedCallees` patterns.
 */
import { childByField, isParameterName, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { selfMethod } from './coroutines.js';
import { boundValue } from './instance-attributes.js';
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
  // The parameters too: a flag handed in may be set by anything.
  const nodes = ownNodes(method);
  return ownNodes(body).some((node) => {
    if (runsAfterFailure(node, nodes, text)) return false;
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

/** `flag = True`: the name an assignment sets and the literal it sets it to, or null for anything else. */
function flagAssignment(node: PyNode, text: string): { name: string; value: string } | null {
  if (node.type !== 'assignment') return null;
  const left = childByField(node, 'left');
  const right = childByField(node, 'right');
  if (left?.type !== 'identifier' || (right?.type !== 'true' && right?.type !== 'false')) return null;
  return { name: textOf(left, text), value: right.type };
}

function inExceptHandler(node: PyNode, until: PyNode | null): boolean {
  for (let current = node.parent; current && current !== until; current = current.parent)
    if (current.type === 'except_clause') return true;
  return false;
}

/**
 * Whether `node` runs only after a failure: in an `except` handler (recovery: refresh the
 * routing table, count the error), or in the branch of an `if` / `elif` on a local flag that
 * only a handler sets (`moved = True` in `except MovedError`, then `elif moved:` on the retry).
 * State kept there is not what orders the iterations' normal path.
 */
function runsAfterFailure(node: PyNode, nodes: readonly PyNode[], text: string): boolean {
  if (inExceptHandler(node, null)) return true;
  for (let child = node, current = node.parent; current; child = current, current = current.parent) {
    if (current.type !== 'if_statement' && current.type !== 'elif_clause') continue;
    if (child.field !== 'consequence') continue;
    const condition = childByField(current, 'condition');
    if (condition?.type !== 'identifier') continue;
    const flag = textOf(condition, text);
    const sets = nodes
      .map((other) => ({ other, set: flagAssignment(other, text) }))
      .filter((x) => x.set?.name === flag);
    // Every binding of the flag is a literal, and only handlers set it to True.
    const onlyAfterFailure =
      sets.some(({ set }) => set!.value === 'true') &&
      sets.every(({ other, set }) => set!.value === 'false' || inExceptHandler(other, null)) &&
      !nodes.some(
        (other) => other.type === 'identifier' && textOf(other, text) === flag && isOtherBinding(other, text),
      );
    if (onlyAfterFailure) return true;
  }
  return false;
}

/** An identifier bound by something other than `name = True/False` (a loop target, a parameter, `name = f()`). */
function isOtherBinding(identifier: PyNode, text: string): boolean {
  const parent = identifier.parent;
  if (parent?.type === 'assignment' && identifier.field === 'left') return flagAssignment(parent, text) === null;
  if (parent?.type === 'augmented_assignment' && identifier.field === 'left') return true;
  if (isParameterName(identifier)) return true;
  return parent?.type === 'for_statement' && identifier.field === 'left';
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

/** The attribute a name is bound to once (`run = self.conn.execute`), which a call of the name calls. */
function aliasedAttribute(name: PyNode, scopes: ScopeModel): PyNode | undefined {
  const resolution = scopes.resolve(name);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return undefined;
  const [definition] = resolution.definitions;
  const value = definition!.kind === 'assignment' ? boundValue(definition!.node) : undefined;
  return value?.type === 'attribute' ? value : undefined;
}

/** Why the awaited call shares something with the other iterations, or null when it shares nothing known. */
export function sharedReceiver(call: PyNode, scopes: ScopeModel, text: string): boolean {
  let callee = childByField(call, 'function');
  // `immediate = self.execute_command` ... `await immediate(...)`: the same bound method.
  if (callee?.type === 'identifier') callee = aliasedAttribute(callee, scopes);
  if (callee?.type !== 'attribute') return false;
  const object = childByField(callee, 'object');
  if (!object) return false;
  // `self.conn.execute(...)`: an object kept in a field may be one connection, page or session.
  if (object.type === 'attribute' && textOf(childByField(object, 'object')!, text) === 'self') return true;
  if (object.type === 'identifier' && textOf(object, text) === 'self') {
    const method = selfMethod(callee, text);
    return method === null || keepsStateOnSelf(method, text);
  }
  return object.type === 'identifier' && (isHeldResource(object, scopes) || takenFromSelf(object, scopes, text));
}

/**
 * `pubsub = self.node_pubsub_mapping[name]` ... `await pubsub.sunsubscribe(channel)`: a name every
 * binding of which reads an object `self` holds is that object, as `self.x.method()` would be: one
 * connection or session that several iterations may reach.
 */
function takenFromSelf(identifier: PyNode, scopes: ScopeModel, text: string): boolean {
  const resolution = scopes.resolve(identifier);
  if (resolution.kind !== 'defined' || resolution.definitions.length === 0) return false;
  return resolution.definitions.every((definition) => {
    const value = definition.kind === 'assignment' ? boundValue(definition.node) : undefined;
    return value !== undefined && reachesIntoSelf(value, text);
  });
}

/** The name a parameter binds: `conn`, `conn: Connection`, `conn=None`; null for `*args`, `**kwargs`, `/`, `*`. */
function parameterName(parameter: PyNode, text: string): string | null {
  if (parameter.type === 'identifier') return textOf(parameter, text);
  if (parameter.type === 'typed_parameter') {
    const name = namedChildren(parameter)[0];
    return name?.type === 'identifier' ? textOf(name, text) : null;
  }
  const name = parameter.type.endsWith('default_parameter') ? childByField(parameter, 'name') : undefined;
  return name?.type === 'identifier' ? textOf(name, text) : null;
}

/** The `def` a call runs when this file has it: a method of `self`'s class, or a function of the file. */
function calledDefinition(call: PyNode, scopes: ScopeModel, text: string): { fn: PyNode; skip: number } | null {
  const callee = childByField(call, 'function');
  if (callee?.type === 'attribute') {
    const method = selfMethod(callee, text);
    return method ? { fn: method, skip: 1 } : null;
  }
  if (callee?.type !== 'identifier') return null;
  const resolution = scopes.resolve(callee);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return null;
  const fn = resolution.definitions[0]!.node.parent;
  return resolution.definitions[0]!.kind === 'function' && fn?.type === 'function_definition' ? { fn, skip: 0 } : null;
}

/** Whether a function's own code awaits an operation on its parameter `name` (`await conn.read_response()`). */
function awaitsOnParameter(fn: PyNode, name: string, text: string): boolean {
  const body = childByField(fn, 'body');
  return (
    !!body &&
    ownNodes(body).some((node) => {
      const call = node.type === 'await' ? namedChildren(node)[0] : undefined;
      const callee = call?.type === 'call' ? childByField(call, 'function') : undefined;
      const receiver = callee?.type === 'attribute' ? childByField(callee, 'object') : undefined;
      return receiver?.type === 'identifier' && textOf(receiver, text) === name;
    })
  );
}

/**
 * `await self.parse_response(connection, cmd.args[0])` in a loop, where `connection` is the same
 * object in every iteration (not one of the iteration's `own` names) and the called function of
 * this file awaits an operation on it (`await connection.read_response()`): the iterations take
 * turns on one connection or stream, so their order is the protocol's.
 */
export function handsOverSharedObject(
  call: PyNode,
  own: ReadonlySet<string>,
  scopes: ScopeModel,
  text: string,
): boolean {
  const args = childByField(call, 'arguments');
  const given = args ? namedChildren(args) : [];
  // The arguments before a `*args` sit at known positions; `**kwargs` moves none of them.
  const splat = given.findIndex((arg) => arg.type === 'list_splat');
  const positional = splat < 0 ? given : given.slice(0, splat);
  const called = calledDefinition(call, scopes, text);
  const parameters = called && childByField(called.fn, 'parameters');
  if (!called || !parameters) return false;
  const names = namedChildren(parameters).slice(called.skip);
  return positional.some((arg, index) => {
    if (arg.type !== 'identifier' || own.has(textOf(arg, text))) return false;
    const parameter = names[index];
    const name = parameter && parameterName(parameter, text);
    return !!name && awaitsOnParameter(called.fn, name, text);
  });
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
