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
 *
 * Shutdown hooks are found the same way (Sanic's `before_server_stop` / `after_server_stop` /
 * `main_process_stop`, aiohttp's `app.on_shutdown` and `app.on_cleanup`, the apps'
 * `on_shutdown=[...]` and `"shutdown"` event): they run once, as the server stops.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { asyncFunctionOf } from './async-context.js';
import { decoratorTarget, functionsNamed, functionsRegisteredIn } from './handlers.js';
import { qualifiedName } from './imports.js';
import { startsServer } from './loop-evidence.js';
import { ownNodes } from './loops.js';
import type { ScopeModel } from './scopes.js';

// Sanic's classes are defined in `sanic.app` and `sanic.blueprints`, and re-exported by `sanic`.
const SANIC = String.raw`sanic\.(?:app\.Sanic|Sanic|blueprints\.Blueprint|Blueprint)`;
const APPS = String.raw`(?:${SANIC}|fastapi(?:\.applications)?\.FastAPI|fastapi(?:\.routing)?\.APIRouter|starlette\.applications\.Starlette)\(\)`;

/** Decorators and calls that name the event in their first argument. */
const EVENT_DECORATOR = new RegExp(String.raw`^${APPS}\.(?:listener|on_event)$`);
const EVENT_REGISTRATION = new RegExp(String.raw`^${APPS}\.(?:add_event_handler|register_listener)$`);
const APP_CONSTRUCTORS = /^(?:fastapi(?:\.applications)?\.FastAPI|starlette\.applications\.Starlette)$/;

/** How hooks of one phase of a server's life (start-up, shutdown) are registered. */
interface Phase {
  /** Decorators that register a hook without saying which event: Sanic's named listeners. */
  decorator: RegExp;
  /** The events a decorator or registration names in its first argument. */
  events: ReadonlySet<string>;
  /** Calls that take hooks by reference: aiohttp's signals. */
  hookList: RegExp;
  /** The apps' constructor keyword that takes a list of hooks. */
  keyword: string;
}

const STARTUP: Phase = {
  // The main process serves no request: its hooks run once, as the workers start.
  decorator: new RegExp(String.raw`^${SANIC}\(\)\.(?:before_server_start|main_process_start|main_process_ready)$`),
  events: new Set(['startup', 'before_server_start', 'main_process_start']),
  hookList: /^aiohttp\.web\.Application\(\)\.on_startup\.(?:append|extend|insert)$/,
  keyword: 'on_startup',
};

const SHUTDOWN: Phase = {
  decorator: new RegExp(String.raw`^${SANIC}\(\)\.(?:before_server_stop|after_server_stop|main_process_stop)$`),
  events: new Set(['shutdown', 'before_server_stop', 'after_server_stop', 'main_process_stop']),
  hookList: /^aiohttp\.web\.Application\(\)\.on_(?:shutdown|cleanup)\.(?:append|extend|insert)$/,
  keyword: 'on_shutdown',
};

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

function isHookDecorator(decorator: PyNode, phase: Phase, scopes: ScopeModel, text: string): boolean {
  const target = decoratorTarget(decorator, scopes, text);
  if (target === null) return false;
  if (phase.decorator.test(target.qualified)) return true;
  return (
    target.call !== null &&
    EVENT_DECORATOR.test(target.qualified) &&
    phase.events.has(eventNamed(target.call, text) ?? '')
  );
}

/** The hooks one call registers for a phase. */
function hooksRegisteredBy(call: PyNode, phase: Phase, scopes: ScopeModel, text: string): PyNode[] {
  const callee = childByField(call, 'function');
  const qualified = callee ? qualifiedName(callee, scopes, text) : null;
  if (qualified === null) return [];
  const args = childByField(call, 'arguments');
  const argumentsOf = args ? namedChildren(args) : [];
  if (phase.hookList.test(qualified)) return argumentsOf.flatMap((argument) => functionsNamed(argument, scopes));
  if (EVENT_REGISTRATION.test(qualified) && phase.events.has(eventNamed(call, text) ?? ''))
    return argumentsOf.flatMap((argument) => functionsNamed(argument, scopes));
  if (APP_CONSTRUCTORS.test(qualified))
    return argumentsOf.flatMap((argument) => {
      const name = argument.type === 'keyword_argument' ? childByField(argument, 'name') : undefined;
      return name && textOf(name, text) === phase.keyword
        ? functionsNamed(childByField(argument, 'value'), scopes)
        : [];
    });
  return [];
}

const hooksByTree = new Map<Phase, WeakMap<PyNode, Set<PyNode>>>();

/** The coroutines a file registers as hooks of a phase, found in one walk per tree. */
function hooksOf(phase: Phase, root: PyNode, scopes: ScopeModel, text: string): Set<PyNode> {
  let byTree = hooksByTree.get(phase);
  if (!byTree) hooksByTree.set(phase, (byTree = new WeakMap()));
  let hooks = byTree.get(root);
  if (hooks) return hooks;
  hooks = functionsRegisteredIn(
    root,
    (decorator) => isHookDecorator(decorator, phase, scopes, text),
    (call) => hooksRegisteredBy(call, phase, scopes, text),
  );
  byTree.set(root, hooks);
  return hooks;
}

/** The coroutines a file registers as start-up hooks. */
export function startupHooks(root: PyNode, scopes: ScopeModel, text: string): Set<PyNode> {
  return hooksOf(STARTUP, root, scopes, text);
}

/** The coroutines a file registers as shutdown hooks: they run once, as the server stops. */
export function shutdownHooks(root: PyNode, scopes: ScopeModel, text: string): Set<PyNode> {
  return hooksOf(SHUTDOWN, root, scopes, text);
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
