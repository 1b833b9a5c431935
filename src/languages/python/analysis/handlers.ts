/**
 * Functions a web framework calls once per request, by the framework's own registration APIs:
 * a route decorator (`@app.get("/")` where `app = FastAPI()`, `@router.post`, aiohttp's
 * `@routes.get` on a `web.RouteTableDef()`, Sanic's and Quart's `@app.route`), or a handler
 * registered by reference (aiohttp's `web.get("/", handler)` and `app.router.add_get(...)`,
 * Starlette's `Route("/", endpoint)`). The receiver is known by what it was made from, through
 * the file's imports, so a local object with a `get` method is not a framework.
 */
import { childByField, namedChildren, type PyNode } from './ast.js';
import { qualifiedName } from './imports.js';
import type { ScopeModel } from './scopes.js';

/** `fastapi.FastAPI().get`: an application or router instance's route decorator. */
const ROUTE_DECORATOR =
  /^(?:fastapi(?:\.applications|\.routing)?\.(?:FastAPI|APIRouter)|aiohttp\.web\.RouteTableDef|sanic\.Sanic|sanic\.Blueprint|quart\.Quart|quart\.Blueprint|starlette\.applications\.Starlette)\(\)\.(?:get|post|put|delete|patch|options|head|route|api_route|websocket|websocket_route|view)$/;

/** Calls that take a handler by reference, and where: aiohttp's route definitions and Starlette's routes. */
const ROUTE_REGISTRATION =
  /^(?:aiohttp\.web\.(?:get|post|put|delete|patch|head|options|route|view)|starlette\.routing\.(?:Route|WebSocketRoute))$/;
const ADD_ROUTE =
  /^aiohttp\.web\.(?:Application\(\)\.router|UrlDispatcher\(\))\.add_(?:get|post|put|delete|patch|head|options|route|view)$/;

/**
 * What a decorator is, by the file's imports, with the call it makes when it is one
 * (`@app.get("/")`: `fastapi.FastAPI().get` and that call); null when its name is not known.
 */
export function decoratorTarget(
  decorator: PyNode,
  scopes: ScopeModel,
  text: string,
): { qualified: string; call: PyNode | null } | null {
  const [expression] = namedChildren(decorator);
  const call = expression?.type === 'call' ? expression : null;
  const callee = call ? childByField(call, 'function') : expression;
  const qualified = callee ? qualifiedName(callee, scopes, text) : null;
  return qualified === null ? null : { qualified, call };
}

/** Whether a decorator registers the function as a request handler. */
function isRouteDecorator(decorator: PyNode, scopes: ScopeModel, text: string): boolean {
  const target = decoratorTarget(decorator, scopes, text);
  return target !== null && ROUTE_DECORATOR.test(target.qualified);
}

/** The functions an expression names: a name defined by `def` in the file, or a list or tuple of such. */
export function functionsNamed(expression: PyNode | null | undefined, scopes: ScopeModel): PyNode[] {
  if (!expression) return [];
  if (expression.type === 'list' || expression.type === 'tuple')
    return namedChildren(expression).flatMap((item) => functionsNamed(item, scopes));
  if (expression.type !== 'identifier') return [];
  const resolution = scopes.resolve(expression);
  if (resolution.kind !== 'defined') return [];
  return resolution.definitions.flatMap((definition) => {
    const fn = definition.kind === 'function' ? definition.node.parent : null;
    return fn?.type === 'function_definition' ? [fn] : [];
  });
}

/**
 * The functions a file hands to a framework, in one walk of its tree: each `def` under a
 * decorator that `decorates` accepts, and each function a call registers (`registers`).
 */
export function functionsRegisteredIn(
  root: PyNode,
  decorates: (decorator: PyNode) => boolean,
  registers: (call: PyNode) => Iterable<PyNode>,
): Set<PyNode> {
  const found = new Set<PyNode>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (node.type === 'decorated_definition') {
      const fn = childByField(node, 'definition');
      const decorators = node.children.filter((child) => child.type === 'decorator');
      if (fn?.type === 'function_definition' && decorators.some(decorates)) found.add(fn);
    } else if (node.type === 'call') for (const fn of registers(node)) found.add(fn);
  }
  return found;
}

/** Per tree: every rule that asks where code runs asks about the same file. */
const handlersByTree = new WeakMap<PyNode, Set<PyNode>>();

/** The functions of a file that a framework calls per request, found in one walk per tree. */
export function requestHandlers(root: PyNode, scopes: ScopeModel, text: string): Set<PyNode> {
  let handlers = handlersByTree.get(root);
  if (!handlers) {
    handlers = findRequestHandlers(root, scopes, text);
    handlersByTree.set(root, handlers);
  }
  return handlers;
}

function findRequestHandlers(root: PyNode, scopes: ScopeModel, text: string): Set<PyNode> {
  return functionsRegisteredIn(
    root,
    (decorator) => isRouteDecorator(decorator, scopes, text),
    (call) => {
      const callee = childByField(call, 'function');
      const qualified = callee ? qualifiedName(callee, scopes, text) : null;
      if (qualified === null || !(ROUTE_REGISTRATION.test(qualified) || ADD_ROUTE.test(qualified))) return [];
      const args = childByField(call, 'arguments');
      return (args ? namedChildren(args) : []).flatMap((argument) =>
        functionsNamed(argument.type === 'keyword_argument' ? childByField(argument, 'value') : argument, scopes),
      );
    },
  );
}
