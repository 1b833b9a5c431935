/**
 * Code that runs once at start-up, before a server accepts its first connection: nothing else
 * is waiting on the event loop yet, so a blocking call there delays the start and stalls no
 * one. Two facts the code gives, by the frameworks' documented APIs:
 *
 * - a coroutine registered as a start-up hook in the file: Sanic's `@app.before_server_start`
 *   and `@app.listener("before_server_start")` (or `main_process_start`), aiohttp's
 *   `app.on_startup.append(hook)`, Starlette's and FastAPI's `on_startup=[hook]`,
 *   `@app.on_event("startup")` and `app.add_event_handler("startup", hook)`;
 * - a call that comes before the await that starts serving in the same coroutine
 *   (`await site.start()` of an aiohttp site, `await loop.create_server(...)`,
 *   `await asyncio.start_server(...)`), and not in a loop around that await.
 *
 * A `lifespan` context manager's start-up half is left out: FastAPI moved a lifespan's sync
 * database setup to a thread (fbad9bc9e28), so its maintainers count it.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { asyncFunctionOf } from './async-context.js';
import { decoratorTarget, functionsNamed, functionsRegisteredIn } from './handlers.js';
import { qualifiedName } from './imports.js';
import { startsServer } from './loop-evidence.js';
import { ownNodes } from './loops.js';
import type { ScopeModel } from './scopes.js';

const APPS = String.raw`(?:sanic\.Sanic|sanic\.Blueprint|fastapi(?:\.applications)?\.FastAPI|fastapi(?:\.routing)?\.APIRouter|starlette\.applications\.Starlette)\(\)`;

/** Decorators that register a start-up hook without saying which event: Sanic's named listeners. */
const STARTUP_DECORATOR = new RegExp(
  String.raw`^sanic\.(?:Sanic|Blueprint)\(\)\.(?:before_server_start|main_process_start)$`,
);

/** Decorators and calls that name the event in their first argument. */
const EVENT_DECORATOR = new RegExp(String.raw`^${APPS}\.(?:listener|on_event)$`);
const EVENT_REGISTRATION = new RegExp(String.raw`^${APPS}\.(?:add_event_handler|register_listener)$`);
const STARTUP_EVENTS = new Set(['startup', 'before_server_start', 'main_process_start']);

/** Calls that take hooks by reference: aiohttp's start-up signal, the apps' `on_startup=[...]`. */
const HOOK_LIST_APPEND = /^aiohttp\.web\.Application\(\)\.on_startup\.(?:append|extend|insert)$/;
const APP_CONSTRUCTORS = /^(?:fastapi(?:\.applications)?\.FastAPI|starlette\.applications\.Starlette)$/;

/** Awaited calls of servers that start accepting connections (asyncio's own: startsServer). */
const SERVING_STARTS =
  /^(?:aiohttp\.web\.(?:TCPSite|SockSite|UnixSite|NamedPipeSite)\(\)\.start|uvicorn\.Server\(\)\.serve)$/;

function stringValue(node: PyNode | undefined, text: string): string | null {
  if (node?.type !== 'string') return null;
  const match = /^[a-zA-Z]*(['"])(.*)\1$/s.exec(textOf(node, text));
  return match ? match[2]! : null;
}

/** The event a registration names: its first positional argument, or `event=`. */
function eventNamed(call: PyNode, text: string): string | null {
  const args = childByField(call, 'arguments');
  for (const argument of args ? namedChildren(args) : []) {
    if (argument.type === 'keyword_argument') {
      const name = childByField(argument, 'name');
      if (name && textOf(name, text) === 'event') return stringValue(childByField(argument, 'value'), text);
      continue;
    }
    const value = stringValue(argument, text);
    if (value !== null) return value;
  }
  return null;
}

function isStartupDecorator(decorator: PyNode, scopes: ScopeModel, text: string): boolean {
  const target = decoratorTarget(decorator, scopes, text);
  if (target === null) return false;
  if (STARTUP_DECORATOR.test(target.qualified)) return true;
  return (
    target.call !== null &&
    EVENT_DECORATOR.test(target.qualified) &&
    STARTUP_EVENTS.has(eventNamed(target.call, text) ?? '')
  );
}

/** The hooks one call registers for start-up. */
function hooksRegisteredBy(call: PyNode, scopes: ScopeModel, text: string): PyNode[] {
  const callee = childByField(call, 'function');
  const qualified = callee ? qualifiedName(callee, scopes, text) : null;
  if (qualified === null) return [];
  const args = childByField(call, 'arguments');
  const argumentsOf = args ? namedChildren(args) : [];
  if (HOOK_LIST_APPEND.test(qualified)) return argumentsOf.flatMap((argument) => functionsNamed(argument, scopes));
  if (EVENT_REGISTRATION.test(qualified) && STARTUP_EVENTS.has(eventNamed(call, text) ?? ''))
    return argumentsOf.flatMap((argument) => functionsNamed(argument, scopes));
  if (APP_CONSTRUCTORS.test(qualified))
    return argumentsOf.flatMap((argument) => {
      const name = argument.type === 'keyword_argument' ? childByField(argument, 'name') : undefined;
      return name && textOf(name, text) === 'on_startup' ? functionsNamed(childByField(argument, 'value'), scopes) : [];
    });
  return [];
}

const hooksByTree = new WeakMap<PyNode, Set<PyNode>>();

/** The coroutines a file registers as start-up hooks, found in one walk per tree. */
export function startupHooks(root: PyNode, scopes: ScopeModel, text: string): Set<PyNode> {
  let hooks = hooksByTree.get(root);
  if (hooks) return hooks;
  hooks = functionsRegisteredIn(
    root,
    (decorator) => isStartupDecorator(decorator, scopes, text),
    (call) => hooksRegisteredBy(call, scopes, text),
  );
  hooksByTree.set(root, hooks);
  return hooks;
}

/** Whether an awaited call starts accepting connections. */
function startsServing(call: PyNode, scopes: ScopeModel, text: string): boolean {
  if (call.parent?.type !== 'await') return false;
  if (startsServer(call, scopes, text)) return true;
  const callee = childByField(call, 'function');
  const qualified = callee ? qualifiedName(callee, scopes, text) : null;
  return qualified !== null && SERVING_STARTS.test(qualified);
}

const LOOPS = new Set(['for_statement', 'while_statement']);

/** Whether `node` runs before `serving` every time: earlier in the text, and no loop holds both. */
function runsBefore(node: PyNode, serving: PyNode, fn: PyNode): boolean {
  if (node.start >= serving.start) return false;
  for (let current = node.parent; current && current !== fn; current = current.parent)
    if (LOOPS.has(current.type) && current.start <= serving.start && serving.end <= current.end) return false;
  return true;
}

/** Whether `node` runs in a start-up hook, or before its coroutine starts serving. */
export function runsBeforeServing(node: PyNode, root: PyNode, scopes: ScopeModel, text: string): boolean {
  const fn = asyncFunctionOf(node);
  if (!fn) return false;
  if (startupHooks(root, scopes, text).has(fn)) return true;
  const body = childByField(fn, 'body');
  // Depth first in source order: the first found is the earliest.
  const serving = (body ? ownNodes(body) : []).find(
    (candidate) => candidate.type === 'call' && startsServing(candidate, scopes, text),
  );
  return serving !== undefined && runsBefore(node, serving, fn);
}
