/**
 * Which expressions are an asyncio event loop, by evidence in the file: a loop getter's result
 * (`asyncio.get_running_loop()`); a fallback to one (`loop or asyncio.get_event_loop()`); a name
 * every assignment of which is a loop (a parameter the function falls back from, or one
 * annotated as a loop, counts); a `self` attribute every assignment of which in its class is a
 * loop; or a name or `self` attribute on which the code calls a method only an event loop has
 * (`self._loop.call_soon(...)`). Rules ask it of a `create_task`, `run_until_complete` or `time`
 * receiver: a loop holds the tasks it creates only weakly, where a task group (`async with
 * asyncio.TaskGroup() as tg`) keeps them, and is known to be no loop.
 */
import { childByField, hasAsyncKeyword, methodCallsIn, namedChildren, textOf, type PyNode } from './ast.js';
import { selfClassBody } from './coroutines.js';
import { boundValue, instanceValues } from './instance-attributes.js';
import { qualifiedName } from './imports.js';
import { ownNodes } from './loops.js';
import type { Definition, ScopeModel } from './scopes.js';

const LOOP_GETTERS = new Set(['asyncio.get_running_loop', 'asyncio.get_event_loop', 'asyncio.new_event_loop']);

/** asyncio's event loop classes, as an annotation names them. */
const LOOP_CLASSES = new Set([
  'asyncio.AbstractEventLoop',
  'asyncio.BaseEventLoop',
  'asyncio.events.AbstractEventLoop',
  'asyncio.base_events.BaseEventLoop',
]);

/**
 * Methods of asyncio's `AbstractEventLoop` that task groups, schedulers and executors do not
 * have: an object the code calls one of them on is used as an event loop.
 */
const LOOP_ONLY_METHODS = new Set([
  'call_soon',
  'call_soon_threadsafe',
  'call_later',
  'call_at',
  'create_future',
  'run_in_executor',
  'run_until_complete',
  'run_forever',
  'call_exception_handler',
  'set_exception_handler',
  'add_signal_handler',
  'remove_signal_handler',
  'add_reader',
  'add_writer',
  'remove_reader',
  'remove_writer',
  'create_server',
  'create_connection',
  'create_datagram_endpoint',
  'create_unix_server',
  'create_unix_connection',
  'connect_read_pipe',
  'connect_write_pipe',
  'subprocess_exec',
  'subprocess_shell',
  'sock_sendall',
  'sock_recv',
  'sock_connect',
  'sock_accept',
]);

/** A name's value followed at most this deep (`loop = self._loop`, `self._loop = loop`), never round in a circle. */
const MAX_DEPTH = 4;

/** Whether `node` evaluates to an asyncio event loop, by the evidence above. */
export function isEventLoop(node: PyNode | undefined, scopes: ScopeModel, text: string, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false;
  switch (node.type) {
    case 'call': {
      const callee = childByField(node, 'function');
      const qualified = callee ? qualifiedName(callee, scopes, text) : null;
      return qualified !== null && LOOP_GETTERS.has(qualified);
    }
    case 'parenthesized_expression':
      return isEventLoop(namedChildren(node)[0], scopes, text, depth + 1);
    // `loop or asyncio.get_event_loop()`: what the caller passed stands in for the loop the code falls back on.
    case 'boolean_operator':
      return (
        textOf(childByField(node, 'operator') ?? node, text) === 'or' &&
        isEventLoop(childByField(node, 'right'), scopes, text, depth + 1)
      );
    case 'conditional_expression':
      return namedChildren(node).some((branch, index) => index !== 1 && isEventLoop(branch, scopes, text, depth + 1));
    case 'identifier':
      return isLoopName(node, scopes, text, depth) || isUsedAsLoop(node, scopes, text);
    case 'attribute':
      return isLoopAttributeOfSelf(node, scopes, text, depth) || isUsedAsLoop(node, scopes, text);
    default:
      return false;
  }
}

/** Whether a type annotation names an event loop class (`asyncio.AbstractEventLoop | None` does). */
function annotatesLoop(annotation: PyNode | undefined, scopes: ScopeModel, text: string): boolean {
  if (!annotation) return false;
  const stack = [annotation];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const qualified =
      node.type === 'attribute' || node.type === 'identifier' ? qualifiedName(node, scopes, text) : null;
    if (qualified !== null && LOOP_CLASSES.has(qualified)) return true;
    stack.push(...node.children);
  }
  return false;
}

/** A parameter's annotation, if it has one (`loop: asyncio.AbstractEventLoop`). */
function parameterAnnotation(parameter: PyNode): PyNode | undefined {
  const parent = parameter.parent;
  const typed = parent?.type === 'typed_parameter' || parent?.type === 'typed_default_parameter';
  return typed ? childByField(parent, 'type') : undefined;
}

/**
 * A name whose every binding is a loop: assignments of a loop, plus parameters the same scope
 * falls back from (`loop = loop or get_event_loop()`) or that are annotated as a loop.
 */
function isLoopName(identifier: PyNode, scopes: ScopeModel, text: string, depth: number): boolean {
  const resolution = scopes.resolve(identifier);
  if (resolution.kind !== 'defined') return false;
  const { definitions } = resolution;
  const assignments = definitions.filter((definition) => definition.kind === 'assignment');
  const isLoopBinding = (definition: Definition) =>
    definition.kind === 'assignment'
      ? isEventLoop(boundValue(definition.node), scopes, text, depth + 1) ||
        annotatesLoop(childByField(definition.node.parent!, 'type'), scopes, text)
      : definition.kind === 'parameter' &&
        (assignments.length > 0 || annotatesLoop(parameterAnnotation(definition.node), scopes, text));
  return definitions.every(isLoopBinding);
}

/** `self.<name>` where `self` is the instance of the class `classBody` belongs to. */
function isSelfAttribute(node: PyNode, name: string, classBody: PyNode, scopes: ScopeModel, text: string): boolean {
  const object = childByField(node, 'object');
  const attribute = childByField(node, 'attribute');
  return (
    object?.type === 'identifier' &&
    attribute !== undefined &&
    textOf(attribute, text) === name &&
    selfClassBody(object, scopes, text) === classBody
  );
}

/** `self._loop` whose class assigns it only loops (and `None`, which is no other kind of object). */
function isLoopAttributeOfSelf(attribute: PyNode, scopes: ScopeModel, text: string, depth: number): boolean {
  const object = childByField(attribute, 'object');
  const name = childByField(attribute, 'attribute');
  if (object?.type !== 'identifier' || !name) return false;
  const values = instanceValues(object, textOf(name, text), scopes, text)?.filter((value) => value?.type !== 'none');
  return (
    !!values && values.length > 0 && values.every((value) => isEventLoop(value ?? undefined, scopes, text, depth + 1))
  );
}

/**
 * Whether the code calls a method only an event loop has on the same name (the same variable)
 * or the same `self` attribute (anywhere in the class), other than the call `receiver` is in.
 */
function isUsedAsLoop(receiver: PyNode, scopes: ScopeModel, text: string): boolean {
  const sameReceiver = receiverMatcher(receiver, scopes, text);
  if (!sameReceiver) return false;
  return methodCallsIn(sameReceiver.region).some(
    ({ object, method }) =>
      object !== receiver && LOOP_ONLY_METHODS.has(textOf(method, text)) && sameReceiver.matches(object),
  );
}

/** Where to look for other uses of a receiver, and which expressions are the same receiver. */
function receiverMatcher(
  receiver: PyNode,
  scopes: ScopeModel,
  text: string,
): { region: PyNode; matches: (node: PyNode) => boolean } | null {
  if (receiver.type === 'identifier') {
    const resolution = scopes.resolve(receiver);
    if (resolution.kind !== 'defined') return null;
    const { definitions } = resolution;
    return {
      region: resolution.scope.node,
      matches: (node) => {
        if (node.type !== 'identifier') return false;
        const other = scopes.resolve(node);
        return other.kind === 'defined' && other.definitions === definitions;
      },
    };
  }
  const object = childByField(receiver, 'object');
  const name = childByField(receiver, 'attribute');
  const classBody = object && selfClassBody(object, scopes, text);
  if (!classBody || !name) return null;
  const attribute = textOf(name, text);
  return {
    region: classBody,
    matches: (node) => node.type === 'attribute' && isSelfAttribute(node, attribute, classBody, scopes, text),
  };
}

/** Calls that start work which then runs on the event loop beside their caller: tasks and servers. */
const STARTING_METHODS = new Set(['create_task', 'ensure_future', 'start_soon', 'start_server', 'create_server']);

function startsWork(call: PyNode, text: string): boolean {
  const callee = childByField(call, 'function');
  const name = callee?.type === 'attribute' ? childByField(callee, 'attribute') : callee;
  return name?.type === 'identifier' && STARTING_METHODS.has(textOf(name, text));
}

/**
 * Whether, at `node` in the coroutine `fn`, something the coroutine started runs on the same
 * event loop and would stop while the thread is held: `node` is inside an `async with` block (a
 * server, client, connection or task group held open around it), or the coroutine started a task
 * or a server before it. A test coroutine with neither has only itself on its loop.
 */
export function runsBesideStartedWork(node: PyNode, fn: PyNode, text: string): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent)
    if (current.type === 'with_statement' && hasAsyncKeyword(current)) return true;
  const body = childByField(fn, 'body');
  return (
    !!body &&
    ownNodes(body).some((other) => other.type === 'call' && other.end <= node.start && startsWork(other, text))
  );
}
