/**
 * Which calls make a coroutine (or a future), and which names stand for coroutine functions, by
 * evidence in the file: an undecorated `async def` of this module (a decorator may wrap it into
 * anything), an `async def` method of the class reached through `self` / `cls`, or an asyncio
 * API that returns an awaitable. Rules ask this when a coroutine is dropped, tested as a truth
 * value or handed to a caller that will not await it.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction, isAsyncFunction } from './async-context.js';
import { qualifiedName } from './imports.js';
import type { ScopeModel } from './scopes.js';

/** asyncio functions that return a coroutine or a future: dropping one loses its work or its failure. */
export const ASYNCIO_AWAITABLES: ReadonlySet<string> = new Set(
  [
    'sleep',
    'wait_for',
    'wait',
    'gather',
    'shield',
    'to_thread',
    'open_connection',
    'start_server',
    'open_unix_connection',
    'start_unix_server',
    'create_subprocess_exec',
    'create_subprocess_shell',
  ].map((name) => `asyncio.${name}`),
);

/** The `def` an identifier names, when the file defines that name once, by `def` itself. */
export function definedFunction(identifier: PyNode, scopes: ScopeModel): PyNode | null {
  const resolution = scopes.resolve(identifier);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return null;
  const [definition] = resolution.definitions;
  if (definition!.kind !== 'function') return null;
  const fn = definition!.node.parent;
  return fn?.type === 'function_definition' ? fn : null;
}

/** An `async def` whose call makes a coroutine: not decorated, since a decorator may return anything. */
export function isPlainCoroutineFunction(fn: PyNode | null | undefined): boolean {
  return !!fn && isAsyncFunction(fn) && fn.parent?.type !== 'decorated_definition';
}

/** `self.save` inside a method: the `def save` of the class the method belongs to. */
export function selfMethod(attributeNode: PyNode, text: string): PyNode | null {
  const object = childByField(attributeNode, 'object');
  const attribute = childByField(attributeNode, 'attribute');
  if (object?.type !== 'identifier' || !attribute) return null;
  const method = executingFunction(attributeNode);
  const parameters = method && childByField(method, 'parameters');
  if (!method || !parameters) return null;
  const firstParameter = namedChildren(parameters)[0];
  if (firstParameter?.type !== 'identifier' || textOf(firstParameter, text) !== textOf(object, text)) return null;
  const classBody = method.parent?.type === 'decorated_definition' ? method.parent.parent : method.parent;
  if (classBody?.type !== 'block' || classBody.parent?.type !== 'class_definition') return null;
  const name = textOf(attribute, text);
  for (const statement of classBody.children) {
    if (statement.type !== 'function_definition') continue;
    const fnName = childByField(statement, 'name');
    if (fnName && textOf(fnName, text) === name) return statement;
  }
  return null;
}

/** The coroutine function an expression names (`save`, `self.flush`), or null when it is not known to be one. */
export function coroutineFunctionNamed(expression: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const fn =
    expression.type === 'identifier'
      ? definedFunction(expression, scopes)
      : expression.type === 'attribute'
        ? selfMethod(expression, text)
        : null;
  return isPlainCoroutineFunction(fn) ? fn : null;
}

/** How a call that makes a coroutine is named in messages (`save`, `self.flush`, `asyncio.sleep`); null otherwise. */
export function coroutineCallName(call: PyNode, scopes: ScopeModel, text: string): string | null {
  if (call.type !== 'call') return null;
  const callee = childByField(call, 'function');
  if (!callee) return null;
  const qualified = qualifiedName(callee, scopes, text);
  if (qualified && ASYNCIO_AWAITABLES.has(qualified)) return qualified;
  return coroutineFunctionNamed(callee, scopes, text) ? textOf(callee, text) : null;
}

const LOOP_GETTERS = new Set(['asyncio.get_running_loop', 'asyncio.get_event_loop', 'asyncio.new_event_loop']);

/** `asyncio.get_running_loop()` (or `get_event_loop`, `new_event_loop`), or a name assigned once from it: an event loop. */
export function isEventLoop(node: PyNode | undefined, scopes: ScopeModel, text: string): boolean {
  if (!node) return false;
  if (node.type === 'call') {
    const callee = childByField(node, 'function');
    const qualified = callee ? qualifiedName(callee, scopes, text) : null;
    return qualified !== null && LOOP_GETTERS.has(qualified);
  }
  if (node.type !== 'identifier') return false;
  const resolution = scopes.resolve(node);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return false;
  const assignment = resolution.definitions[0]!.node.parent;
  if (assignment?.type !== 'assignment') return false;
  const value = childByField(assignment, 'right');
  return value?.type === 'call' && isEventLoop(value, scopes, text);
}
