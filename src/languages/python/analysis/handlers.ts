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

/** Whether a decorator registers the function as a request handler. */
function isRouteDecorator(decorator: PyNode, scopes: ScopeModel, text: string): boolean {
  const [expression] = namedChildren(decorator);
  const callee = expression?.type === 'call' ? childByField(expression, 'function') : expression;
  const qualified = callee ? qualifiedName(callee, scopes, text) : null;
  return qualified !== null && ROUTE_DECORATOR.test(qualified);
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
  const handlers = new Set<PyNode>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (node.type === 'decorated_definition') {
      const fn = childByField(node, 'definition');
      const decorators = node.children.filter((child) => child.type === 'decorator');
      if (fn?.type === 'function_definition' && decorators.some((d) => isRouteDecorator(d, scopes, text)))
        handlers.add(fn);
    }
    if (node.type !== 'call') continue;
    const callee = childByField(node, 'function');
    if (!callee) continue;
    const qualified = qualifiedName(callee, scopes, text);
    if (qualified === null || !(ROUTE_REGISTRATION.test(qualified) || ADD_ROUTE.test(qualified))) continue;
    const args = childByField(node, 'arguments');
    for (const argument of args ? namedChildren(args) : []) {
      const value = argument.type === 'keyword_argument' ? childByField(argument, 'value') : argument;
      if (value?.type !== 'identifier') continue;
      const resolution = scopes.resolve(value);
      if (resolution.kind !== 'defined') continue;
      for (const definition of resolution.definitions) {
        const fn = definition.kind === 'function' ? definition.node.parent : null;
        if (fn?.type === 'function_definition') handlers.add(fn);
      }
    }
  }
  return handlers;
}
