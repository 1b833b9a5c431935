/**
 * Branches of a request handler that its test never requests. A handler defined inside a test
 * function gets only the requests that test sends, and a test client names the HTTP method it
 * sends by its method (`client.head(url)`, `app.test_client.get(url)`: requests, httpx,
 * Starlette's and Sanic's test clients alike). When every request the test sends has a method
 * that a branch on `request.method` turns away (`if request.method == "HEAD": ... else: ...`
 * under a test that sends only HEAD), the other branch never runs.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { ownNodes } from './loops.js';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** `request.method == "HEAD"` (or `!=`) about the parameter `request`: [method, equal], or null. */
function methodTest(condition: PyNode | undefined, request: string, text: string): [string, boolean] | null {
  if (condition?.type !== 'comparison_operator') return null;
  const operands = namedChildren(condition);
  const operators = condition.children.filter((child) => !child.named);
  if (operands.length !== 2 || operators.length !== 1) return null;
  const equal = operators[0]!.type === '==' ? true : operators[0]!.type === '!=' ? false : null;
  const [subject, literal] = operands;
  const method = literal?.type === 'string' ? /^(['"])([A-Za-z]+)\1$/.exec(textOf(literal, text)) : null;
  if (equal === null || !method || textOf(subject!, text) !== `${request}.method`) return null;
  return [method[2]!.toLowerCase(), equal];
}

/**
 * The methods whose requests reach `node` in handler `fn` through the `if request.method ...`
 * around it: a set it is limited to, or the methods it is kept from; null when no branch decides.
 */
function methodsReaching(node: PyNode, fn: PyNode, request: string, text: string) {
  let only: Set<string> | null = null;
  const not = new Set<string>();
  let child = node;
  for (let parent = node.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (parent.type !== 'if_statement') continue;
    const test = methodTest(childByField(parent, 'condition'), request, text);
    if (!test || (child.field !== 'consequence' && child.type !== 'else_clause')) continue;
    const [method, equal] = test;
    // In the `if` of `== M` (or the `else` of `!= M`) only M gets here; otherwise every method but M.
    if (equal === (child.field === 'consequence')) only = new Set([method]);
    else not.add(method);
  }
  return only === null && not.size === 0 ? null : { only, not };
}

/** The HTTP methods of the requests `test` sends through a client (`client.head(url)`), or null when one is unknown. */
function methodsRequested(test: PyNode, text: string): Set<string> | null {
  const methods = new Set<string>();
  for (const node of ownNodes(test)) {
    if (node.type !== 'call') continue;
    const callee = childByField(node, 'function');
    const name = callee?.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
    const spelled = name ? textOf(name, text) : '';
    // A request whose method is an argument could be any.
    if (spelled === 'request' || spelled === 'websocket_connect') return null;
    if (HTTP_METHODS.has(spelled)) methods.add(spelled);
  }
  return methods;
}

/**
 * Whether `node`, in an `async def` handler defined inside a test function, sits in a branch on
 * the request's method that none of the test's requests takes.
 */
export function neverRequestedBranch(node: PyNode, handler: PyNode, text: string): boolean {
  const test = executingFunction(handler);
  const parameters = childByField(handler, 'parameters');
  const first = parameters ? namedChildren(parameters)[0] : undefined;
  if (!test || first?.type !== 'identifier') return false;
  const reaching = methodsReaching(node, handler, textOf(first, text), text);
  const requested = reaching ? methodsRequested(test, text) : null;
  if (!reaching || !requested || requested.size === 0) return false;
  return [...requested].every((method) => (reaching.only ? !reaching.only.has(method) : reaching.not.has(method)));
}
