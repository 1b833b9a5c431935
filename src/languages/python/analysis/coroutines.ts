/**
 * Which calls make a coroutine (or a future), and which names stand for coroutine functions, by
 * evidence in the file: an `async def` of this module, undecorated or only a `classmethod` /
 * `staticmethod` (another decorator may wrap it into anything), an `async def` method of the
 * class reached through `self` / `cls`, or an asyncio API that returns an awaitable. Rules ask this when a coroutine is dropped, tested as a truth
 * value or handed to a caller that will not await it.
 */
import { childByField, hasAsyncKeyword, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction, isAsyncFunction } from './async-context.js';
import { qualifiedName } from './imports.js';
import { ownNodes } from './loops.js';
import { projectFunction, type PythonProject } from './project.js';
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

/**
 * Decorators that hand back the coroutine function they are given, so a call through them still
 * makes a coroutine: the builtins `classmethod` and `staticmethod` (a local name `classmethod` is
 * whatever it was bound to).
 */
const FUNCTION_KEEPING_DECORATORS = new Set(['builtins.classmethod', 'builtins.staticmethod']);

/** The decorators written above a `def`, outermost first. */
export function decoratorsOf(fn: PyNode): PyNode[] {
  return fn.parent?.type === 'decorated_definition' ? fn.parent.children.filter((c) => c.type === 'decorator') : [];
}

/** The builtin a decorator names (`builtins.staticmethod`), or null when it is anything else. */
function decoratorName(decorator: PyNode, scopes: ScopeModel, text: string): string | null {
  const expression = namedChildren(decorator)[0];
  return expression ? qualifiedName(expression, scopes, text) : null;
}

/** Whether a `def` is a `@staticmethod`: its first parameter is an argument like the others, not the instance. */
export function isStaticMethod(fn: PyNode, scopes: ScopeModel, text: string): boolean {
  return decoratorsOf(fn).some((decorator) => decoratorName(decorator, scopes, text) === 'builtins.staticmethod');
}

/**
 * An `async def` whose call makes a coroutine: undecorated, or decorated only by `classmethod` /
 * `staticmethod`; any other decorator may wrap it into anything.
 */
export function isPlainCoroutineFunction(fn: PyNode | null | undefined, scopes: ScopeModel, text: string): boolean {
  if (!fn || !isAsyncFunction(fn)) return false;
  return decoratorsOf(fn).every((decorator) => {
    const name = decoratorName(decorator, scopes, text);
    return name !== null && FUNCTION_KEEPING_DECORATORS.has(name);
  });
}

/** The `def` statements of a class body, decorated or not: its methods. */
export function methodsOf(classBody: PyNode): PyNode[] {
  return classBody.children.flatMap((statement) => {
    const fn = statement.type === 'decorated_definition' ? childByField(statement, 'definition') : statement;
    return fn?.type === 'function_definition' ? [fn] : [];
  });
}

/** The class body a method is defined in, or null for a function outside a class. */
export function classBodyOf(method: PyNode): PyNode | null {
  const classBody = method.parent?.type === 'decorated_definition' ? method.parent.parent : method.parent;
  return classBody?.type === 'block' && classBody.parent?.type === 'class_definition' ? classBody : null;
}

/**
 * The class body whose instance (or class) `identifier` is: it reads the first parameter of a
 * method that is not a `@staticmethod` (in the method or in a function nested in it, which sees
 * the same `self`), and nothing else binds that name.
 */
export function selfClassBody(identifier: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  if (identifier.type !== 'identifier') return null;
  const resolution = scopes.resolve(identifier);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return null;
  const [definition] = resolution.definitions;
  if (definition!.kind !== 'parameter') return null;
  // `self` or `self: "Store"`.
  const parameter = definition!.node.parent?.type === 'typed_parameter' ? definition!.node.parent : definition!.node;
  const parameters = parameter.parent;
  const method = parameters?.parent;
  if (parameters?.type !== 'parameters' || method?.type !== 'function_definition') return null;
  if (namedChildren(parameters)[0] !== parameter) return null;
  return isStaticMethod(method, scopes, text) ? null : classBodyOf(method);
}

/**
 * `self.save` inside a method: the `def save` of the class the method belongs to, undecorated
 * (what blocking-call and sequential-await follow into).
 */
export function selfMethod(attributeNode: PyNode, text: string): PyNode | null {
  const object = childByField(attributeNode, 'object');
  const attribute = childByField(attributeNode, 'attribute');
  if (object?.type !== 'identifier' || !attribute) return null;
  const method = executingFunction(attributeNode);
  const parameters = method && childByField(method, 'parameters');
  if (!method || !parameters) return null;
  const firstParameter = namedChildren(parameters)[0];
  if (firstParameter?.type !== 'identifier' || textOf(firstParameter, text) !== textOf(object, text)) return null;
  const classBody = classBodyOf(method);
  if (!classBody) return null;
  const name = textOf(attribute, text);
  for (const statement of classBody.children) {
    if (statement.type !== 'function_definition') continue;
    const fnName = childByField(statement, 'name');
    if (fnName && textOf(fnName, text) === name) return statement;
  }
  return null;
}

/**
 * `self.save` / `cls.save` inside a method (not a `@staticmethod`, whose first parameter is no
 * instance): the `def save` of its class, decorated or not, when the class defines it once.
 */
export function methodOfSelf(attributeNode: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const object = childByField(attributeNode, 'object');
  const attribute = childByField(attributeNode, 'attribute');
  const classBody = object && selfClassBody(object, scopes, text);
  if (!classBody || !attribute) return null;
  const name = textOf(attribute, text);
  const named = methodsOf(classBody).filter((fn) => {
    const fnName = childByField(fn, 'name');
    return fnName !== undefined && textOf(fnName, text) === name;
  });
  // Two `def`s of one name (an `@overload`, a property's setter) leave which one runs to the decorators.
  return named.length === 1 ? named[0]! : null;
}

/** The coroutine function an expression names (`save`, `self.flush`), or null when it is not known to be one. */
export function coroutineFunctionNamed(expression: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const fn =
    expression.type === 'identifier'
      ? definedFunction(expression, scopes)
      : expression.type === 'attribute'
        ? methodOfSelf(expression, scopes, text)
        : null;
  return isPlainCoroutineFunction(fn, scopes, text) ? fn : null;
}

/** How a call that makes a coroutine is named in messages (`save`, `self.flush`, `asyncio.sleep`); null otherwise. */
export function coroutineCallName(
  call: PyNode,
  scopes: ScopeModel,
  text: string,
  project: PythonProject | null = null,
): string | null {
  if (call.type !== 'call') return null;
  const callee = childByField(call, 'function');
  if (!callee) return null;
  const qualified = qualifiedName(callee, scopes, text);
  if (qualified && ASYNCIO_AWAITABLES.has(qualified)) return qualified;
  return isCoroutineFunction(callee, scopes, text, project) ? textOf(callee, text) : null;
}

/**
 * Whether an expression names a coroutine function: of this file (coroutineFunctionNamed), or
 * one another module of the project defines (`from .api import fetch_user`, `api.fetch_user`),
 * by that module's facts.
 */
export function isCoroutineFunction(
  expression: PyNode,
  scopes: ScopeModel,
  text: string,
  project: PythonProject | null,
): boolean {
  if (coroutineFunctionNamed(expression, scopes, text)) return true;
  const qualified = project ? qualifiedName(expression, scopes, text) : null;
  return !!qualified && !!project && projectFunction(qualified, project)?.facts.coroutine === true;
}

/**
 * Whether a function's own body can suspend: an `await`, `async for` or `async with` of its own
 * (those of a function nested in it run when that one is called).
 */
export function canSuspend(fn: PyNode): boolean {
  const body = childByField(fn, 'body');
  return (
    !body ||
    ownNodes(body).some(
      (node) =>
        node.type === 'await' ||
        ((node.type === 'for_statement' || node.type === 'with_statement') && hasAsyncKeyword(node)),
    )
  );
}

/**
 * `await record_duration(...)` where `record_duration` is a coroutine function (of this file, of
 * `self`'s class, or of another module of the project) whose own body never suspends: the await
 * runs it to its end at once, and waits for nothing another call could overlap.
 */
export function awaitsWithoutSuspending(
  call: PyNode,
  scopes: ScopeModel,
  text: string,
  project: PythonProject | null,
): boolean {
  const callee = childByField(call, 'function');
  if (!callee) return false;
  const fn = coroutineFunctionNamed(callee, scopes, text);
  if (fn) return !canSuspend(fn);
  const qualified = project ? qualifiedName(callee, scopes, text) : null;
  const target = qualified && project ? projectFunction(qualified, project) : null;
  return target?.facts.coroutine === true && target.facts.suspends === false;
}
