/**
 * What a loop's iterations work on, as await-in-loop asks it before it reports: whether each
 * iteration only notifies its element (a call made on the element that hands it nothing of its
 * own and drops the result), whether the elements are connections the code tracks as they come
 * and go, whether the loop is a pytest fixture's teardown, and whether each iteration writes to
 * one outer collection on both sides of its await. Facts of the code, not of names.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { decoratorsOf } from './coroutines.js';
import { isEventLoop } from './event-loops.js';
import { qualifiedName } from './imports.js';
import { boundValue } from './instance-attributes.js';
import { namesReadIn, ownNodes } from './loops.js';
import type { ScopeModel } from './scopes.js';

/** The names an iteration has of its own: the loop's targets, and what its body binds (`data = build(user)`). */
export function iterationNames(loop: PyNode, elements: ReadonlySet<string>, text: string): Set<string> {
  const names = new Set(elements);
  const body = childByField(loop, 'body');
  for (const node of body ? ownNodes(body) : []) {
    const left = node.type === 'assignment' || node.type === 'augmented_assignment' ? childByField(node, 'left') : null;
    if (left?.type === 'identifier') names.add(textOf(left, text));
  }
  return names;
}

/**
 * `await trace.send_request_start(method, url)`, `await site.start()`: the element is the receiver,
 * no argument is the iteration's own (`own`: iterationNames), and nothing reads the result. Such
 * a call tells each element of one event, as signal observers, sites and parts are told, in the
 * order they were registered; the loop gains from running together only when the elements are
 * members of their own.
 */
export function notifiesElement(
  awaitNode: PyNode,
  call: PyNode,
  elements: ReadonlySet<string>,
  own: ReadonlySet<string>,
  text: string,
): boolean {
  if (awaitNode.parent?.type !== 'expression_statement') return false;
  const callee = childByField(call, 'function');
  const receiver = callee?.type === 'attribute' ? childByField(callee, 'object') : undefined;
  if (receiver?.type !== 'identifier' || !elements.has(textOf(receiver, text))) return false;
  const args = childByField(call, 'arguments');
  return !args || ![...namesReadIn(args, text)].some((name) => own.has(name));
}

/**
 * How a collection is named where it is changed and where it is read: `clients`, `.active_connections`
 * (of whatever object), `[sockets]` (`request.app[sockets]` and `app[sockets]` alike: one key).
 */
function collectionKey(node: PyNode | undefined, text: string): string | null {
  if (node?.type === 'identifier') return textOf(node, text);
  if (node?.type === 'attribute') return `.${textOf(childByField(node, 'attribute')!, text)}`;
  if (node?.type === 'subscript') {
    const key = childByField(node, 'subscript');
    return key ? `[${textOf(key, text)}]` : null;
  }
  return null;
}

const ADDING = new Set(['append', 'appendleft', 'add', 'insert']);
const REMOVING = new Set(['remove', 'discard', 'pop']);

interface CollectionChanges {
  added: Set<string>;
  removed: Set<string>;
}

const changesByTree = new WeakMap<PyNode, CollectionChanges>();

/** The collections a module adds to and removes from, by key, found in one walk per tree. */
function collectionChanges(root: PyNode, text: string): CollectionChanges {
  let changes = changesByTree.get(root);
  if (changes) return changes;
  changes = { added: new Set(), removed: new Set() };
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (node.type === 'call') {
      const callee = childByField(node, 'function');
      if (callee?.type !== 'attribute') continue;
      const method = textOf(childByField(callee, 'attribute')!, text);
      const key = collectionKey(childByField(callee, 'object'), text);
      if (key && ADDING.has(method)) changes.added.add(key);
      if (key && REMOVING.has(method)) changes.removed.add(key);
    } else if (node.type === 'assignment') {
      const left = childByField(node, 'left');
      const key = left?.type === 'subscript' ? collectionKey(childByField(left, 'value'), text) : null;
      if (key) changes.added.add(key);
    } else if (node.type === 'delete_statement') {
      for (const target of namedChildren(node)) {
        const key = target.type === 'subscript' ? collectionKey(childByField(target, 'value'), text) : null;
        if (key) changes.removed.add(key);
      }
    }
  }
  changesByTree.set(root, changes);
  return changes;
}

/** Copies and views of a collection, which iterate its members: `list(x)`, `x.copy()`, `x.values()`. */
const COPYING_BUILTINS = new Set(['builtins.list', 'builtins.tuple', 'builtins.set', 'builtins.frozenset']);
const COPYING_METHODS = new Set(['copy', 'values']);

function membersOf(iterable: PyNode | undefined, scopes: ScopeModel, text: string): PyNode | undefined {
  if (iterable?.type !== 'call') return iterable;
  const callee = childByField(iterable, 'function');
  const args = childByField(iterable, 'arguments');
  const given = args ? namedChildren(args) : [];
  if (callee?.type === 'attribute' && given.length === 0)
    return COPYING_METHODS.has(textOf(childByField(callee, 'attribute')!, text))
      ? childByField(callee, 'object')
      : undefined;
  const name = callee ? qualifiedName(callee, scopes, text) : null;
  return name && COPYING_BUILTINS.has(name) && given.length === 1 ? given[0] : undefined;
}

/**
 * The collection a loop iterates (or a copy of it) when the module tracks its members as they
 * come and go: it adds to it in one place and removes from it in another (`clients.add(ws)` ...
 * `clients.discard(ws)`, `self.connections[id] = ws` ... `del self.connections[id]`). Such
 * members are live peers, each its own connection, so a slow one delays the others.
 */
export function trackedCollection(loop: PyNode, root: PyNode, scopes: ScopeModel, text: string): string | null {
  const iterable = membersOf(childByField(loop, 'right'), scopes, text);
  const key = collectionKey(iterable, text);
  if (!key || !iterable) return null;
  const changes = collectionChanges(root, text);
  return changes.added.has(key) && changes.removed.has(key) ? textOf(iterable, text) : null;
}

/**
 * Whether a file's fixtures serve a whole directory of test modules: pytest makes the fixtures of
 * a `conftest.py` available to every test module beside and below it, while a fixture defined in
 * a test module serves that module's few tests. A per-test teardown's waits add up over the
 * suite only in the first case.
 */
export function sharesFixtures(filename: string): boolean {
  return /(?:^|[\\/])conftest\.py$/.test(filename);
}

/** `@pytest.fixture`, `@pytest.fixture(scope="function")`, `@pytest_asyncio.fixture`: a fixture set up and torn down around each test. */
function isPerTestFixture(decorator: PyNode, scopes: ScopeModel, text: string): boolean {
  const [expression] = namedChildren(decorator);
  const call = expression?.type === 'call' ? expression : null;
  const callee = call ? childByField(call, 'function') : expression;
  const name = callee ? qualifiedName(callee, scopes, text) : null;
  if (name !== 'pytest.fixture' && name !== 'pytest_asyncio.fixture') return false;
  const args = call ? childByField(call, 'arguments') : undefined;
  // A fixture of a wider scope (module, session) is torn down once, not after every test.
  const scope = (args ? namedChildren(args) : []).find(
    (argument) => argument.type === 'keyword_argument' && textOf(childByField(argument, 'name')!, text) === 'scope',
  );
  const value = scope && childByField(scope, 'value');
  return !value || /^["']function["']$/.test(textOf(value, text));
}

/**
 * Whether a loop runs in the teardown of a per-test pytest fixture (after its `yield`) over a
 * collection the fixture itself made (`requests = []` ... `for request in requests: await
 * request.close()`): pytest runs it after every test that uses the fixture, so its waits add up
 * over the suite, and no test is left to observe their order.
 */
export function isFixtureTeardown(loop: PyNode, scopes: ScopeModel, text: string): boolean {
  const fn = executingFunction(loop);
  const body = fn && childByField(fn, 'body');
  if (!fn || !body || !decoratorsOf(fn).some((decorator) => isPerTestFixture(decorator, scopes, text))) return false;
  if (!ownNodes(body).some((node) => node.type === 'yield' && node.end <= loop.start)) return false;
  const iterable = childByField(loop, 'right');
  if (iterable?.type !== 'identifier') return false;
  const resolution = scopes.resolve(iterable);
  return (
    resolution.kind === 'defined' &&
    resolution.scope.node === fn &&
    resolution.definitions.every((definition) => definition.kind === 'assignment')
  );
}

/** asyncio's functions that open a listening server. */
const SERVER_STARTERS = new Set(['asyncio.start_server', 'asyncio.start_unix_server']);
/** The event loop's methods that do the same. */
const LOOP_SERVER_STARTERS = new Set(['create_server', 'create_unix_server']);

/**
 * `await loop.create_server(...)`, `await asyncio.start_server(...)`: the call opens a listening
 * server. A loop of them runs once, as the program starts serving (one per configured socket);
 * no request waits on it yet, so its order costs nothing anyone sees.
 */
export function startsServer(call: PyNode, scopes: ScopeModel, text: string): boolean {
  const callee = childByField(call, 'function');
  if (!callee) return false;
  if (SERVER_STARTERS.has(qualifiedName(callee, scopes, text) ?? '')) return true;
  if (callee.type !== 'attribute') return false;
  const method = textOf(childByField(callee, 'attribute')!, text);
  return LOOP_SERVER_STARTERS.has(method) && isEventLoop(childByField(callee, 'object'), scopes, text);
}

const WRITING = new Set(['append', 'appendleft', 'extend', 'insert', 'add', 'update', 'write']);

/**
 * Whether each iteration writes to one collection from outside the loop both before and after
 * (or in) one of its awaits (`parts.append(header)`, `parts.append(await part.as_bytes())`):
 * run together, the iterations' writes would interleave, so the order of the output is the order
 * of the loop.
 */
export function writesAroundAwait(
  loop: PyNode,
  awaits: readonly PyNode[],
  elements: ReadonlySet<string>,
  text: string,
): boolean {
  const body = childByField(loop, 'body');
  if (!body) return false;
  const nodes = ownNodes(body);
  // A name the body binds is a fresh collection each iteration, not one they share.
  const bound = new Set(
    nodes
      .filter((node) => node.type === 'assignment' && childByField(node, 'left')?.type === 'identifier')
      .map((node) => textOf(childByField(node, 'left')!, text)),
  );
  const writes = new Map<string, PyNode[]>();
  for (const node of nodes) {
    if (node.type !== 'call') continue;
    const callee = childByField(node, 'function');
    if (callee?.type !== 'attribute' || !WRITING.has(textOf(childByField(callee, 'attribute')!, text))) continue;
    const target = childByField(callee, 'object');
    const name = target?.type === 'identifier' ? textOf(target, text) : '';
    if (!name || elements.has(name) || bound.has(name)) continue;
    writes.set(name, [...(writes.get(name) ?? []), node]);
  }
  for (const calls of writes.values())
    for (const awaited of awaits) {
      const before = calls.some((call) => call.end <= awaited.start);
      const after = calls.some((call) => call.end > awaited.start);
      if (before && after) return true;
    }
  return false;
}

/** str's methods that cut a string into parts (`str.split`, `str.partition`, ...). */
const PARTS = new Set(['split', 'rsplit', 'partition', 'rpartition']);

/** `path.rsplit(".")[0]`: one part of the element, cut from it, which other elements may share. */
function partOfElement(node: PyNode | undefined, elements: ReadonlySet<string>, text: string): boolean {
  const value = node?.type === 'subscript' ? childByField(node, 'value') : undefined;
  const callee = value?.type === 'call' ? childByField(value, 'function') : undefined;
  if (callee?.type !== 'attribute' || !PARTS.has(textOf(childByField(callee, 'attribute')!, text))) return false;
  const object = childByField(callee, 'object');
  return object?.type === 'identifier' && elements.has(textOf(object, text));
}

/**
 * `name = file_path.rsplit(".")[0]` ... `await self.set_file(name, ..., file_path)`: what the call
 * acts on (its first argument) is a part cut from the element, not the element: two elements
 * can share it (`a.b/x.json` and `a.c/y.json` both give `a`), so two iterations may act on one
 * target, and the order of the loop decides which one it ends with.
 */
export function actsOnPartOfElement(
  call: PyNode,
  loop: PyNode,
  elements: ReadonlySet<string>,
  scopes: ScopeModel,
  text: string,
): boolean {
  const args = childByField(call, 'arguments');
  const first = args ? namedChildren(args).find((argument) => argument.type !== 'comment') : undefined;
  if (partOfElement(first, elements, text)) return true;
  if (first?.type !== 'identifier') return false;
  const resolution = scopes.resolve(first);
  if (resolution.kind !== 'defined' || resolution.definitions.length === 0) return false;
  // Bound in the loop, each time to such a part.
  return resolution.definitions.every(
    (definition) =>
      definition.kind === 'assignment' &&
      definition.node.start >= loop.start &&
      definition.node.end <= loop.end &&
      partOfElement(boundValue(definition.node), elements, text),
  );
}
