/**
 * Callers that ignore or misread the promise their callback returns: `forEach` (ignores it),
 * predicates such as `filter` (read it as true), `sort` comparators (read it as a number),
 * `reduce` (hands it to the next step), event listeners and timers (ignore it), and, with types,
 * any parameter declared to take a callback that returns void or boolean.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import {
  contains,
  forEachDescendant,
  isFunctionNode,
  isLoopNode,
  isRepeatedPartOfLoop,
  skipTypeWrappers,
  type FunctionNode,
} from './ast.js';
import { awaitsNothing, mayBePending } from './async-context.js';
import { asFunction, resolveLocalFunction } from './functions.js';
import { resolveReceiverMethod } from './typed-receivers.js';
import { calledMethodName, readsPromiseMethod } from './members.js';
import {
  functionNeverRejects,
  handlesItsOwnErrors,
  promiseReturningCallback,
  type PromiseKnowledge,
} from './promises.js';
import { isGlobalReference, variableOf } from './scope.js';
import { expectedCallbackReturn } from './type-aware.js';

/** What a caller does with its callback's return value. */
export type CallbackCallerKind = 'forEach' | 'predicate' | 'comparator' | 'reduce' | 'listener' | 'timer';

/** A call that takes a callback: what kind of caller it is, the name it is called by, the callback passed. */
export interface CallbackCaller {
  kind: CallbackCallerKind;
  name: string;
  callback: TSESTree.CallExpressionArgument | undefined;
}

const ARRAY_CALLERS = new Map<string, CallbackCallerKind>([
  ['forEach', 'forEach'],
  ...['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex'].map(
    (name) => [name, 'predicate'] as const,
  ),
  ['sort', 'comparator'],
  ['toSorted', 'comparator'],
  ['reduce', 'reduce'],
  ['reduceRight', 'reduce'],
]);
export const LISTENER_METHODS = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'addEventListener',
]);
const TIMER_FUNCTIONS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);

/** `setTimeout(...)` and the other global timers, or `process.nextTick(...)`: its name, else null. */
function timerName(call: TSESTree.CallExpression, sourceCode: SourceCode): string | null {
  const callee = call.callee;
  if (callee.type === 'Identifier' && TIMER_FUNCTIONS.has(callee.name) && isGlobalReference(sourceCode, callee))
    return callee.name;
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'process' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'nextTick'
  )
    return 'process.nextTick';
  return null;
}

/** The caller a call is, when it is one that ignores or misreads its callback's promise; else null. */
export function callbackCallerOf(call: TSESTree.CallExpression, sourceCode: SourceCode): CallbackCaller | null {
  const method = calledMethodName(call);
  const arrayCaller = method === null ? undefined : ARRAY_CALLERS.get(method);
  if (arrayCaller) return { kind: arrayCaller, name: method!, callback: call.arguments[0] };
  // A listener is the second argument: `emitter.on('data', listener)`.
  if (method !== null && LISTENER_METHODS.has(method))
    return { kind: 'listener', name: method, callback: call.arguments[1] };
  const timer = timerName(call, sourceCode);
  return timer ? { kind: 'timer', name: timer, callback: call.arguments[0] } : null;
}

/** Browser constructors that call their first argument back from the event loop, as a listener is called. */
const OBSERVERS = new Set(['IntersectionObserver', 'MutationObserver', 'ResizeObserver', 'PerformanceObserver']);

/**
 * `el.onclick = () => {...}`: a DOM event handler property (`on` and the event's lowercase name),
 * which the browser calls as it calls a listener and whose result it ignores.
 */
function isEventHandlerProperty(node: Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    node.property.type === 'Identifier' &&
    /^on[a-z]+$/.test(node.property.name)
  );
}

/** Whether `fn` is passed, at `use`, to a caller that runs it later and ignores its result. */
function isIgnoredCallbackUse(use: Node, sourceCode: SourceCode): boolean {
  const parent = use.parent;
  if (parent?.type === 'AssignmentExpression') return parent.right === use && isEventHandlerProperty(parent.left);
  if (parent?.type === 'NewExpression')
    return (
      parent.arguments[0] === use &&
      parent.callee.type === 'Identifier' &&
      OBSERVERS.has(parent.callee.name) &&
      isGlobalReference(sourceCode, parent.callee)
    );
  if (parent?.type !== 'CallExpression') return false;
  // The window's own `addEventListener('popstate', onPopState)`.
  const callee = parent.callee;
  if (callee.type === 'Identifier' && callee.name === 'addEventListener' && isGlobalReference(sourceCode, callee))
    return parent.arguments[1] === use;
  const caller = callbackCallerOf(parent, sourceCode);
  return (caller?.kind === 'listener' || caller?.kind === 'timer') && caller.callback === use;
}

/**
 * Whether a function is an event callback: a listener or timer callback, a DOM event handler
 * property, an observer's callback, or a function declared by name and used only as one
 * (`addEventListener('popstate', onPopState)`). Nothing waits for what it returns; a failure in
 * it goes where the runtime reports uncaught errors.
 */
export function isEventCallback(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (isIgnoredCallbackUse(fn, sourceCode)) return true;
  const name = fn.type === 'FunctionDeclaration' ? fn.id : null;
  if (!name) return false;
  const references = variableOf(sourceCode, name)?.references ?? [];
  return (
    references.length > 0 &&
    references.every((reference) => isIgnoredCallbackUse(reference.identifier as Node, sourceCode))
  );
}

/**
 * Whether a call, a statement of its own, runs now a function that the same code also hands to a
 * listener or timer: `if (mql.matches) load(); else mql.addEventListener('change', load)`. The
 * function is declared here (a `function` or a `const` bound to one), and every use of its name
 * is such a registration or such a call: its promise is ignored everywhere, and as a listener its
 * failure goes where the runtime reports uncaught errors. Run now, it fails the same way.
 */
export function callsEventCallbackNow(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = call.callee;
  if (callee.type !== 'Identifier' || call.parent?.type !== 'ExpressionStatement') return false;
  const variable = variableOf(sourceCode, callee);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  const declared =
    definition?.type === 'FunctionName' ||
    (definition?.type === 'Variable' &&
      (definition.parent as TSESTree.VariableDeclaration | null)?.kind === 'const' &&
      asFunction((definition.node as TSESTree.VariableDeclarator).init) !== null);
  if (!variable || !declared) return false;
  // The `const`'s own initialisation is a write, not a use.
  const uses = variable.references.filter((reference) => !reference.isWrite()).map((r) => r.identifier as Node);
  const isStatementCall = (use: Node) =>
    use.parent?.type === 'CallExpression' &&
    use.parent.callee === use &&
    use.parent.parent?.type === 'ExpressionStatement';
  return (
    uses.some((use) => isIgnoredCallbackUse(use, sourceCode)) &&
    uses.every((use) => isStatementCall(use) || isIgnoredCallbackUse(use, sourceCode))
  );
}

/**
 * `reduce(async (acc, x) => { const total = await acc; ... })` waits for the previous step, and
 * `reduce((chain, step) => chain.then(step), start)` chains onto it: both use the accumulator's result.
 */
export function waitsForAccumulator(fn: FunctionNode, sourceCode: SourceCode): boolean {
  const accumulator = fn.params[0];
  if (!accumulator || accumulator.type !== 'Identifier' || !fn.body) return false;
  const isAccumulator = (node: Node) => node.type === 'Identifier' && node.name === accumulator.name;
  let waits = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (node.type === 'AwaitExpression' && isAccumulator(node.argument)) waits = true;
    if (node.type === 'MemberExpression' && isAccumulator(node.object) && readsPromiseMethod(node)) waits = true;
    return !waits;
  });
  return waits;
}

/**
 * Whether a promise-returning callback loses nothing with this caller, by what the callback does:
 * - a `reduce` step that waits for the accumulator uses the previous step's result;
 * - an async `forEach` callback that never awaits runs to its end before `forEach` moves on, and
 *   a sync one that returns a handled chain (`(load) => load().catch(noop)`) starts work on purpose;
 * - a listener or timer callback that handles its own errors, or whose promise cannot reject
 *   (`() => job().catch(report)`), leaves nothing unhandled; one that never awaits fails as a
 *   sync one would, and one that only awaits closing an iterator fails only if its cleanup does.
 * Predicates and comparators misread every promise.
 */
export function callbackLosesNothing(
  kind: CallbackCallerKind,
  callback: FunctionNode | 'imported',
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  if (callback === 'imported' || !isFunctionNode(callback)) return false;
  const neverRejects = () => functionNeverRejects(callback, sourceCode, file, knowledge);
  switch (kind) {
    case 'reduce':
      return waitsForAccumulator(callback, sourceCode);
    case 'forEach':
      return awaitsNothing(callback, sourceCode.visitorKeys) || (!callback.async && neverRejects());
    case 'listener':
    case 'timer': {
      const noPromise = (call: TSESTree.CallExpression) => returnsNoPromise(call, sourceCode, file);
      return (
        handlesItsOwnErrors(callback, sourceCode) ||
        neverRejects() ||
        awaitsNothing(callback, sourceCode.visitorKeys, noPromise) ||
        onlyClosesIterators(callback, sourceCode)
      );
    }
    default:
      return false;
  }
}

/** `iterator.return(value)`: the iterator protocol's close, which runs only the iterator's cleanup. */
function closesIterator(node: Node): boolean {
  const call = skipTypeWrappers(node);
  return call.type === 'CallExpression' && calledMethodName(call) === 'return';
}

/**
 * An async callback whose every await closes an iterator (`await generator.return()` in an abort
 * listener that ends a stream), with no `throw` and nothing pending returned: closing runs only
 * the iterator's cleanup (a generator's `finally` blocks), taken not to fail, as sync code is
 * taken not to throw.
 */
function onlyClosesIterators(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (!fn.async || fn.generator || fn.body?.type !== 'BlockStatement') return false;
  let closes = false;
  let other = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (other || isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression') {
      if (closesIterator(node.argument)) closes = true;
      else other = true;
    } else if (node.type === 'ThrowStatement' || (node.type === 'ForOfStatement' && node.await)) other = true;
    else if (node.type === 'ReturnStatement' && node.argument && mayBePending(node.argument)) other = true;
    return undefined;
  });
  return closes && !other;
}

const PLAIN_RETURN_TYPES = new Set([
  'TSVoidKeyword',
  'TSUndefinedKeyword',
  'TSNumberKeyword',
  'TSStringKeyword',
  'TSBooleanKeyword',
  'TSNeverKeyword',
]);

/**
 * Whether a call returns no promise, by what it calls: a global timer (`setTimeout` returns a
 * handle), or a sync function or method of this file (`this.onPacket(...)`, by a declared
 * receiver too) whose every `return` gives nothing or a plain value. An async arrow that only
 * returns such a call (`async (packet) => this.onPacket(packet)`) runs to its end when called.
 */
function returnsNoPromise(call: TSESTree.CallExpression, sourceCode: SourceCode, file: string): boolean {
  const callee = call.callee;
  if (callee.type === 'Identifier' && TIMER_FUNCTIONS.has(callee.name) && isGlobalReference(sourceCode, callee))
    return true;
  const local = resolveLocalFunction(call, sourceCode, file);
  const method = local ? null : resolveReceiverMethod(call, sourceCode, file);
  const fn = local?.sourceCode === sourceCode ? local.fn : method?.kind === 'local' ? method.fn : null;
  if (!fn || fn.async || fn.generator || !fn.body) return false;
  // `sizeOf(packet: string): number`: the declared return type says what the body may not show.
  if (fn.returnType && PLAIN_RETURN_TYPES.has(fn.returnType.typeAnnotation.type)) return true;
  if (fn.body.type !== 'BlockStatement') return !mayBePending(fn.body);
  let plain = true;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (!plain || isFunctionNode(node)) return false;
    if (node.type === 'ReturnStatement' && node.argument && mayBePending(node.argument)) plain = false;
    return undefined;
  });
  return plain;
}

/**
 * Type-aware: the arguments of a call that pass a promise-returning callback (whose promise may
 * reject) to a parameter declared to take one that returns void or boolean, with what it declares.
 */
export function callbacksDeclaredToReturn(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): { argument: TSESTree.Expression; returns: 'void' | 'boolean' }[] {
  const found: { argument: TSESTree.Expression; returns: 'void' | 'boolean' }[] = [];
  for (const argument of call.arguments) {
    if (argument.type === 'SpreadElement') continue;
    const callback = promiseReturningCallback(argument, sourceCode, file, knowledge);
    if (!callback || (callback !== 'imported' && functionNeverRejects(callback, sourceCode, file, knowledge))) continue;
    const returns = expectedCallbackReturn(sourceCode, argument);
    if (returns !== null) found.push({ argument, returns });
  }
  return found;
}

/** Array, Map and Set methods that change their receiver: a call of one writes to it. */
const MUTATING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'delete', 'clear']);

/**
 * Whether a callback, once an `await` of its own resumes, writes to a variable declared outside it
 * that code outside it reads (`loads.push(await page.title())` where the enclosing helper returns
 * `loads`): nothing can wait for that write, so whatever reads the variable races it. An await
 * that runs only on some paths to the write (`hit && (await close()); hit = true`) leaves the
 * write synchronous on the others.
 */
export function writesOuterStateAfterAwait(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (!fn.body || fn.body.type !== 'BlockStatement') return false;
  const awaits: TSESTree.AwaitExpression[] = [];
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression') awaits.push(node);
    return undefined;
  });
  if (awaits.length === 0) return false;
  let writes = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (writes || isFunctionNode(node)) return false;
    const written = writtenRoot(node, sourceCode);
    if (written && isOuterVariableReadOutside(written, fn, sourceCode))
      writes = awaits.some((awaitNode) => resumesBefore(awaitNode, node)) && !settlesPromiseAfter(fn, node, sourceCode);
    return undefined;
  });
  return writes;
}

/**
 * Whether the callback, after a write, settles a promise it is written in (`reject(error)` of an
 * enclosing `new Promise((resolve, reject) => ...)`): who waits for that promise sees the write.
 */
function settlesPromiseAfter(fn: FunctionNode, write: Node, sourceCode: SourceCode): boolean {
  let settles = false;
  forEachDescendant(fn.body!, sourceCode.visitorKeys, (node) => {
    if (settles || isFunctionNode(node)) return false;
    if (node.type === 'CallExpression' && node.range[0] >= write.range[1] && node.callee.type === 'Identifier')
      settles = isExecutorParameter(node.callee, sourceCode);
    return undefined;
  });
  return settles;
}

/** A `resolve` or `reject` parameter of a `new Promise(...)` executor. */
function isExecutorParameter(identifier: TSESTree.Identifier, sourceCode: SourceCode): boolean {
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (definition?.type !== 'Parameter') return false;
  const executor = definition.node as Node;
  const construction = executor.parent;
  return (
    construction?.type === 'NewExpression' &&
    construction.arguments[0] === executor &&
    construction.callee.type === 'Identifier' &&
    construction.callee.name === 'Promise' &&
    isGlobalReference(sourceCode, construction.callee)
  );
}

/**
 * Whether a write happens after an await resumes on every path that reaches it: the awaited work
 * ends before the write does and is not part of it (`last = await page.title()`), and the await
 * sits in no branch that the write's path can skip.
 */
function resumesBefore(awaitNode: TSESTree.AwaitExpression, write: Node): boolean {
  const awaited = awaitNode.argument;
  if (awaited.range[1] > write.range[1] || contains(awaited, write)) return false;
  let child: Node = awaitNode;
  let parent: Node | undefined = awaitNode.parent;
  while (parent && !contains(parent, write)) {
    if (isFunctionNode(parent) || isBranch(parent, child)) return false;
    child = parent;
    parent = parent.parent;
  }
  return true;
}

/** Whether `child` runs only on some paths through `parent`. */
function isBranch(parent: Node, child: Node): boolean {
  switch (parent.type) {
    case 'IfStatement':
    case 'ConditionalExpression':
      return child !== parent.test;
    case 'LogicalExpression':
      return child === parent.right;
    case 'SwitchCase':
    case 'CatchClause':
      return true;
    case 'TryStatement':
      return child !== parent.finalizer;
    default:
      return isLoopNode(parent) && isRepeatedPartOfLoop(child, parent);
  }
}

/**
 * The identifier at the root of what a node writes: `x = ...`, `x.y = ...`, `x++`, or
 * `x.push(...)` on an array, Map or Set this code made (`const loads = []`).
 */
function writtenRoot(node: Node, sourceCode: SourceCode): TSESTree.Identifier | null {
  let target: Node | null = null;
  if (node.type === 'AssignmentExpression') target = node.left;
  else if (node.type === 'UpdateExpression') target = node.argument;
  else if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
    const method = calledMethodName(node);
    const receiver = node.callee.object;
    if (method !== null && MUTATING_METHODS.has(method) && holdsCollection(receiver, sourceCode)) target = receiver;
  }
  while (target?.type === 'MemberExpression') target = target.object;
  return target?.type === 'Identifier' ? target : null;
}

/** A variable initialised with an array literal or a new Array, Map or Set. */
function holdsCollection(node: Node, sourceCode: SourceCode): boolean {
  const definition = variableOf(sourceCode, node)?.defs[0];
  if (definition?.type !== 'Variable') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  if (!init) return false;
  const value = skipTypeWrappers(init);
  if (value.type === 'ArrayExpression') return true;
  return (
    value.type === 'NewExpression' &&
    value.callee.type === 'Identifier' &&
    COLLECTIONS.has(value.callee.name) &&
    isGlobalReference(sourceCode, value.callee)
  );
}
const COLLECTIONS = new Set(['Array', 'Map', 'Set']);

function isOuterVariableReadOutside(
  identifier: TSESTree.Identifier,
  fn: FunctionNode,
  sourceCode: SourceCode,
): boolean {
  const variable = variableOf(sourceCode, identifier);
  const declaration = variable?.defs[0]?.name;
  if (!variable || !declaration || contains(fn, declaration)) return false;
  return variable.references.some((reference) => reference.isRead() && !contains(fn, reference.identifier));
}
