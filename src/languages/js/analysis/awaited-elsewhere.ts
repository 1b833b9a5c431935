/**
 * "This file awaits the same call elsewhere": evidence, from the code itself, that a call returns
 * a promise when nothing else says so (a method of a parameter, of a field, of an object from
 * another package). Its author wrote `await client.end()` in one test and `client.end()` in the
 * next; `await exec(args)` in one function and `exec(args)` in another. The deviation, not a
 * name, is the evidence, and the finding names the line that shows it.
 *
 * Two calls are "the same" when their callees are the same path of plain members (`client.end`,
 * `this.redis.connect`, `exec`) from the same root: one variable (`exec` imported once, one
 * `client`), or the same class (or function) for `this`. Two variables of one name are two
 * objects: a `worker.stop()` of a sass worker may be async where a less worker's is not; two
 * `const`s made by the same call of the same root (`await User.findByPk(1)`, `await
 * User.findByPk(2)`) are objects of one kind, whatever their names. A call
 * through a computed member or a call result (`a().b()`) has no path, so it gets no evidence.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, memberPath, type FunctionNode } from './ast.js';
import { variableOf } from './scope.js';
import { calledMethodName, chainRoot, PROMISE_METHODS } from './members.js';
import { innermostFunction } from './async-context.js';
import { LISTENER_METHODS } from './callback-callers.js';

interface PromiseUse {
  call: TSESTree.CallExpression;
  /** What the root resolves to: a variable, a class (for `this`), "an element of" an array variable, or null (a global). */
  root: Variable | Node | ElementsOf | null;
  /** The callbacks it passes: looked at the first time a call of the same path is matched against it. */
  shape: CallbackShape | null;
  /** Used through a variable it is stored in (`cleanup = this.freeLock(); ... await cleanup`), not in place. */
  stored: boolean;
}

interface CallbackShape {
  passesFunction: boolean;
  /** An async callback may be where the promise comes from: `storage.run(ctx, async () => ...)`. */
  passesAsyncFunction: boolean;
  /** A callback that returns a value (`() => work()`): the call may return what it returns. */
  passesValueReturningFunction: boolean;
}

/** Which uses count as evidence. */
export interface EvidenceOptions {
  /** A call stored in a variable that the code awaits (`cleanup = this.freeLock(); await cleanup`). */
  stored?: boolean;
  /** Only a use in the same function as the call (a test that awaits `client.query` and then leaves one bare). */
  sameFunction?: boolean;
}

/** The evidence, for the finding to name: `client.end`, awaited on line 12. */
export interface AwaitedElsewhere extends Record<string, unknown> {
  callee: string;
  line: number;
}

const usesByFile = new WeakMap<object, Map<string, PromiseUse[] | null>>();

/** What `this` means at `node`: the class whose method it is in, or the function or program that binds it. */
function thisOwner(node: Node): Node {
  let current: Node = node;
  for (let parent = node.parent; parent; current = parent, parent = parent.parent) {
    if (parent.type === 'ClassBody') return parent;
    // An arrow function keeps the `this` of its surroundings; a method's is its class's.
    const bindsThis = isFunctionNode(parent) && parent.type !== 'ArrowFunctionExpression';
    if (bindsThis && parent.parent?.type !== 'MethodDefinition') return parent;
  }
  return current;
}

/** The callee's member path and what its root is, or null when the call has no plain path. */
export function callIdentity(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
): { key: string; root: PromiseUse['root'] } | null {
  return memberIdentity(call.callee, sourceCode);
}

/** A plain member path (`fetchParams.controller.resume`) and what its root is (see callIdentity). */
export function memberIdentity(member: Node, sourceCode: SourceCode): { key: string; root: PromiseUse['root'] } | null {
  const path = memberPath(member);
  if (!path) return null;
  // memberPath has checked that the chain holds only plain members: its root is the path's first name.
  const rootNode = chainRoot(member);
  const variable = rootNode.type === 'ThisExpression' ? null : variableOf(sourceCode, rootNode);
  const root =
    rootNode.type === 'ThisExpression' ? thisOwner(rootNode) : variable && elementsRoot(variable, sourceCode);
  return { key: path.join('.'), root: root ?? variable };
}

/**
 * Whether two variables hold objects made by the same call or constructor of the same root
 * (`const user = await User.findByPk(1)` and `const user0 = await User.findByPk(2)`,
 * `new Pool()` twice): objects of one kind, whose methods are the same functions.
 */
function sameMaker(a: PromiseUse['root'], b: PromiseUse['root'], sourceCode: SourceCode): boolean {
  if (!isVariable(a) || !isVariable(b)) return false;
  const first = makerOf(a, sourceCode);
  const second = first && makerOf(b, sourceCode);
  return !!second && first.key === second.key && first.root === second.root;
}

function isVariable(root: PromiseUse['root']): root is Variable {
  return root !== null && 'defs' in root;
}

const makers = new WeakMap<Variable, { key: string; root: PromiseUse['root'] } | null>();

/** The call or constructor a `const` is made with (`await` aside), by its member path and root. */
function makerOf(variable: Variable, sourceCode: SourceCode): { key: string; root: PromiseUse['root'] } | null {
  if (makers.has(variable)) return makers.get(variable)!;
  let maker: { key: string; root: PromiseUse['root'] } | null = null;
  const definition = variable.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type === 'Variable' && (definition.parent as TSESTree.VariableDeclaration).kind === 'const') {
    const declarator = definition.node as TSESTree.VariableDeclarator;
    let init = declarator.id.type === 'Identifier' ? declarator.init : null;
    if (init?.type === 'AwaitExpression') init = init.argument;
    if (init?.type === 'CallExpression' || init?.type === 'NewExpression') {
      const identity = memberIdentity(init.callee, sourceCode);
      maker = identity && { key: `${init.type === 'NewExpression' ? 'new ' : ''}${identity.key}`, root: identity.root };
    }
  }
  makers.set(variable, maker);
  return maker;
}

/** Callbacks that the array methods call once per element, with the element first. */
const PER_ELEMENT_METHODS = new Set(['map', 'forEach', 'flatMap', 'filter', 'some', 'every']);

/** One stand-in per array variable for "an element of it", shared by every name bound to one. */
const elementRoots = new WeakMap<Variable, ElementsOf>();

/** The stand-in for an element of an array variable. */
interface ElementsOf {
  elementsOf: string;
}

/**
 * For a name bound to each element of an array variable in turn (`for (const model of models)`,
 * `models.map((model) => ...)`), a root standing for "an element of `models`": two such names are
 * the same objects, as one variable is one object.
 */
function elementsRoot(variable: Variable, sourceCode: SourceCode): ElementsOf | null {
  const definition = variable.defs[0];
  if (!definition || variable.defs.length !== 1) return null;
  let collection: Node | null = null;
  if (definition.type === 'Variable') {
    const declaration = definition.node.parent;
    const loop = declaration?.parent;
    if (loop?.type === 'ForOfStatement' && loop.left === declaration && !loop.await) collection = loop.right;
  } else if (definition.type === 'Parameter') {
    const fn = definition.node as Node;
    const call = fn.parent;
    if (
      isFunctionNode(fn) &&
      fn.params[0] === definition.name &&
      call?.type === 'CallExpression' &&
      call.arguments[0] === fn &&
      call.callee.type === 'MemberExpression' &&
      !call.callee.computed &&
      call.callee.property.type === 'Identifier' &&
      PER_ELEMENT_METHODS.has(call.callee.property.name)
    )
      collection = call.callee.object;
  }
  if (collection?.type !== 'Identifier') return null;
  const array = variableOf(sourceCode, collection);
  if (!array) return null;
  let root = elementRoots.get(array);
  if (!root) elementRoots.set(array, (root = { elementsOf: array.name }));
  return root;
}

/** Whether a function gives its caller a value: async, an expression body, or a `return <value>` of its own. */
function returnsValue(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (fn.async || fn.body?.type !== 'BlockStatement') return true;
  let found = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === 'ReturnStatement' && node.argument) found = true;
    return undefined;
  });
  return found;
}

function functionArguments(call: TSESTree.CallExpression, sourceCode: SourceCode): CallbackShape {
  const functions = call.arguments.flatMap((argument) => (isFunctionNode(argument) ? [argument] : []));
  return {
    passesFunction: functions.length > 0,
    passesAsyncFunction: functions.some((fn) => fn.async),
    passesValueReturningFunction: functions.some((fn) => returnsValue(fn, sourceCode)),
  };
}

/**
 * How a call's result is used: awaited or chained with `.then` / `.catch` / `.finally`
 * (`promise`), or the object of another member (`builder`: `query.where(a).orderBy(b)`, a
 * chainable builder that is also thenable, so `await query.where(a)` runs it while a bare
 * `query.where(a)` only configures it), or stored in a variable that the code then awaits
 * (`stored`: `cleanup = this.freeLock(trx); ... await cleanup`), or none of these.
 */
function useOf(call: Node, sourceCode: SourceCode): 'promise' | 'builder' | 'stored' | null {
  const { child, parent } = valueParent(call);
  if (parent?.type === 'AwaitExpression' || isMappedIntoCombinator(child)) return 'promise';
  if (parent?.type === 'MemberExpression' && parent.object === child) {
    const name = !parent.computed && parent.property.type === 'Identifier' ? parent.property.name : null;
    return name !== null && PROMISE_METHODS.has(name) ? 'promise' : 'builder';
  }
  return storedVariable(child, parent, sourceCode)?.references.some((reference) => isAwaitedRead(reference.identifier))
    ? 'stored'
    : null;
}

/** The node a value reaches past the wrappers that keep it (`x!`, `x as T`, `a?.b()`), and that node's parent. */
function valueParent(value: Node): { child: Node; parent: Node | undefined } {
  let child: Node = value;
  let parent = value.parent;
  while (
    parent &&
    (parent.type === 'ChainExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'TSAsExpression')
  ) {
    child = parent;
    parent = parent.parent;
  }
  return { child, parent };
}

/** The variable a value is stored in: `const p = value`, `p = value`. */
function storedVariable(child: Node, parent: Node | undefined, sourceCode: SourceCode): Variable | null {
  if (parent?.type === 'VariableDeclarator' && parent.init === child && parent.id.type === 'Identifier')
    return variableOf(sourceCode, parent.id);
  if (
    parent?.type === 'AssignmentExpression' &&
    parent.operator === '=' &&
    parent.right === child &&
    parent.left.type === 'Identifier'
  )
    return variableOf(sourceCode, parent.left);
  return null;
}

/** A read of a variable that awaits it or chains a promise method on it. */
function isAwaitedRead(identifier: Node): boolean {
  const { child, parent } = valueParent(identifier);
  if (parent?.type === 'AwaitExpression') return true;
  return parent?.type === 'MemberExpression' && parent.object === child && readsPromiseMethodName(parent);
}

function readsPromiseMethodName(member: TSESTree.MemberExpression): boolean {
  return !member.computed && member.property.type === 'Identifier' && PROMISE_METHODS.has(member.property.name);
}

/**
 * `Promise.all(models.map((model) => model.truncate(options)))`: the result of a `map` callback
 * (its expression body) whose array goes to a `Promise` combinator is used as a promise.
 */
function isMappedIntoCombinator(value: Node): boolean {
  const fn = value.parent;
  if (fn?.type !== 'ArrowFunctionExpression' || fn.body !== value) return false;
  const map = fn.parent;
  if (
    map?.type !== 'CallExpression' ||
    map.arguments[0] !== fn ||
    map.callee.type !== 'MemberExpression' ||
    map.callee.computed ||
    map.callee.property.type !== 'Identifier' ||
    map.callee.property.name !== 'map'
  )
    return false;
  const combinator = map.parent;
  return (
    combinator?.type === 'CallExpression' &&
    combinator.arguments[0] === map &&
    combinator.callee.type === 'MemberExpression' &&
    combinator.callee.object.type === 'Identifier' &&
    combinator.callee.object.name === 'Promise'
  );
}

/** Per callee path, the calls used as promises; null for a path that is also used as a builder. */
function promiseUses(sourceCode: SourceCode): Map<string, PromiseUse[] | null> {
  const known = usesByFile.get(sourceCode.ast);
  if (known) return known;
  const uses = new Map<string, PromiseUse[] | null>();
  forEachDescendant(sourceCode.ast as Node, sourceCode.visitorKeys, (node) => {
    if (node.type !== 'CallExpression') return;
    const use = useOf(node, sourceCode);
    const identity = use && callIdentity(node, sourceCode);
    if (!identity) return;
    const list = uses.get(identity.key);
    if (use === 'builder' || list === null) uses.set(identity.key, null);
    else {
      const entry: PromiseUse = { call: node, root: identity.root, shape: null, stored: use === 'stored' };
      if (list) list.push(entry);
      else uses.set(identity.key, [entry]);
    }
  });
  usesByFile.set(sourceCode.ast, uses);
  return uses;
}

/**
 * Another call in this file that is the same call as `call` and is awaited (or chained with
 * `.then` / `.catch`), or null. A call that passes more arguments than any awaited one, or a
 * function where the awaited one passes none, is the callback form of a dual API
 * (`client.request(options, onResponse)`, `save(function (err) {...})`), which returns no
 * promise, so it gets no evidence from it. Nor does a call awaited elsewhere with an async
 * callback (`storage.run(ctx, async () => ...)`) for one that passes a sync callback, or awaited
 * with a callback that returns a value for one whose callback returns nothing
 * (`storage.run(ctx, () => { handle(req); })`): such an API returns what its callback returns;
 * nor does a path whose result the file also
 * chains with another member (`aggregate.match(a).sort(b)`): a thenable builder, which only runs
 * when awaited.
 */
export function awaitedCallElsewhere(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  how: EvidenceOptions = {},
): AwaitedElsewhere | null {
  const identity = callIdentity(call, sourceCode);
  if (!identity) return null;
  const within = how.sameFunction ? innermostFunction(call) : undefined;
  const counts = (use: PromiseUse) =>
    use.call !== call &&
    (how.stored === true || !use.stored) &&
    (within === undefined || innermostFunction(use.call) === within);
  const uses = promiseUses(sourceCode);
  let same = (uses.get(identity.key) ?? []).filter((use) => use.root === identity.root && counts(use));
  // Another variable made by the same call (`user0` beside `user`) has the same methods.
  if (
    same.length === 0 &&
    identity.key.includes('.') &&
    isVariable(identity.root) &&
    makerOf(identity.root, sourceCode)
  ) {
    const tail = identity.key.slice(identity.key.indexOf('.'));
    for (const [key, list] of uses) {
      if (list === null || !key.endsWith(tail) || key.indexOf('.') !== key.length - tail.length) continue;
      same = same.concat(list.filter((use) => sameMaker(use.root, identity.root, sourceCode) && counts(use)));
    }
  }
  // Most calls have no awaited twin: the callbacks they pass need no look then.
  if (same.length === 0) return null;
  // A call handed an object whose events the code listens to (`query.on('error', ...)`, then
  // `client.query(query)`) is the form whose results and failures come through that object's
  // events (node-postgres's submittables return the object, not a promise), unless an awaited
  // twin is handed such an object too.
  if (handsOverListenedObject(call, sourceCode) && !same.some((use) => handsOverListenedObject(use.call, sourceCode)))
    return null;
  // A dual API takes its callback as one more argument, whatever it is named or however it is written.
  const mostAwaitedArguments = Math.max(-1, ...same.map((use) => use.call.arguments.length));
  if (call.arguments.length > mostAwaitedArguments) return null;
  const { passesFunction, passesAsyncFunction, passesValueReturningFunction } = functionArguments(call, sourceCode);
  const match = same.find((use) => {
    const shape = (use.shape ??= functionArguments(use.call, sourceCode));
    return (
      (shape.passesFunction || !passesFunction) &&
      (passesAsyncFunction || !shape.passesAsyncFunction) &&
      (passesValueReturningFunction || !shape.passesValueReturningFunction)
    );
  });
  return match ? { callee: identity.key, line: sourceCode.getLocFromIndex(match.call.range[0]).line } : null;
}

/** Whether a call is handed a variable on which the code subscribes to events (`query.on(...)`). */
function handsOverListenedObject(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  return call.arguments.some((argument) => {
    if (argument.type !== 'Identifier') return false;
    const variable = variableOf(sourceCode, argument);
    return !!variable?.references.some(({ identifier }) => {
      const member = identifier.parent;
      const call = member?.type === 'MemberExpression' && member.object === identifier ? member.parent : undefined;
      if (call?.type !== 'CallExpression' || call.callee !== member) return false;
      const method = calledMethodName(call);
      return method !== null && LISTENER_METHODS.has(method);
    });
  });
}
