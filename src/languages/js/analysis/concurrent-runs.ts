/**
 * Whether a blocking call repeats inside async code that runs beside other runs of itself: the
 * code is a callback whose promises a combinator (`Promise.all`, p-map) waits for together, or a
 * function of this file called from such code, and the call runs once per element within each
 * run (in a loop or an array callback). That is evidence, whatever the file's context, that other
 * work is waiting on the event loop: the author started the runs so that their waits overlap, and
 * each run's loop of synchronous calls holds all the others still, for as long as the data is big
 * (pnpm stat-ing every package folder of every scope at once).
 *
 * A single blocking call per run is not enough: on 16 repositories, the three findings of one
 * write or read per concurrent run (a font copied after its fetch, a dependency's entry read once)
 * were all labelled not worth a change.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import {
  contains,
  functionHolder,
  isFunctionNode,
  isLoopNode,
  isRepeatedPartOfLoop,
  setsOption,
  skipTypeWrappers,
  type FunctionNode,
} from './ast.js';
import { asyncContextOf, awaitsIn, awaitsNothing, innermostFunction } from './async-context.js';
import { repeatsWithin } from './blocking.js';
import { resolveModuleBinding } from './imports.js';
import { calledMethodName, globalMemberName } from './members.js';
import { declaredVariables, variableOf } from './scope.js';

/** `Promise.all` and its kin: each waits for every promise it is handed, all running at once. */
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);
/** Array methods whose callback's return values become the new array (of promises, for an async callback). */
const MAPPING_METHODS = new Set(['map', 'flatMap']);
/** Packages whose default export runs a callback over a collection with unbounded concurrency unless told otherwise. */
const CONCURRENT_MAPPERS = new Set(['p-map', 'p-filter']);
/** How many callers deep a function's concurrency is looked for. */
const MAX_DEPTH = 4;

/**
 * Why a call repeats within async code that runs beside other runs of itself, or null when this
 * file does not show both. A run that never waits (an async function without `await`) runs to
 * its end before the next one starts: nothing overlaps, so nothing of it is held up.
 */
export function repeatedInConcurrentRuns(call: TSESTree.CallExpression, sourceCode: SourceCode): string | null {
  const fn = asyncContextOf(call);
  if (!fn || !repeatsWithoutYielding(call, fn, sourceCode) || awaitsNothing(fn, sourceCode.visitorKeys)) return null;
  return functionRunsConcurrently(fn, sourceCode, 0);
}

/**
 * Whether a call repeats within `fn` with no wait between repetitions: in an array callback, or in
 * a loop whose body does not `await`. A loop that awaits each iteration lets the other runs in
 * between elements (asynclint's own main thread lints a file, then yields to the workers' replies).
 */
function repeatsWithoutYielding(call: TSESTree.CallExpression, fn: FunctionNode, sourceCode: SourceCode): boolean {
  return repeatsWithin(call, fn, (repeated) => !awaitsIn(repeated, sourceCode));
}

function functionRunsConcurrently(fn: FunctionNode, sourceCode: SourceCode, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  const asCallback = concurrentCallbackReason(fn, sourceCode);
  if (asCallback) return asCallback;
  // `(async () => { ... })()` as an element of `Promise.all([...])`.
  if (fn.parent?.type === 'CallExpression' && fn.parent.callee === fn)
    return valueRunsConcurrently(fn.parent, sourceCode, 0);
  const variable = functionVariable(fn, sourceCode);
  if (!variable) return null;
  for (const reference of variable.references) {
    const identifier = reference.identifier as Node;
    if (reference.init || contains(fn, identifier)) continue;
    const parent = identifier.parent;
    // `xs.map(work)` handed to `Promise.all`: the function itself is the callback.
    if (parent?.type === 'CallExpression' && parent.callee !== identifier) {
      const reason = callbackArgumentReason(parent, identifier, sourceCode);
      if (reason) return reason;
      continue;
    }
    if (parent?.type !== 'CallExpression' || parent.callee !== identifier) continue;
    const direct = valueRunsConcurrently(parent, sourceCode, 0) ?? floatingInLoop(parent);
    if (direct) return direct;
    // A call in async code that runs concurrently makes this function part of each of those runs.
    const caller = asyncContextOf(parent);
    const inherited = caller && caller !== fn ? functionRunsConcurrently(caller, sourceCode, depth + 1) : null;
    if (inherited) return inherited;
  }
  return null;
}

/** The variable a function declaration or a `const f = async () => ...` is known by. */
function functionVariable(fn: FunctionNode, sourceCode: SourceCode) {
  const holder = functionHolder(fn);
  return holder ? (declaredVariables(sourceCode, holder)[0] ?? null) : null;
}

/** Why a function passed as an argument runs concurrently with its siblings, or null. */
function concurrentCallbackReason(fn: FunctionNode, sourceCode: SourceCode): string | null {
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return null;
  return callbackArgumentReason(call, fn, sourceCode);
}

function callbackArgumentReason(call: TSESTree.CallExpression, callback: Node, sourceCode: SourceCode): string | null {
  const method = calledMethodName(call);
  if (method !== null && MAPPING_METHODS.has(method) && call.arguments[0] === callback)
    return valueRunsConcurrently(call, sourceCode, 0);
  const binding = resolveModuleBinding(sourceCode, call.callee);
  if (
    binding &&
    CONCURRENT_MAPPERS.has(binding.module) &&
    binding.path.length === 0 &&
    call.arguments[1] === callback &&
    // `{ concurrency: 1 }`: a mapper told to run one callback at a time.
    !setsOption(call.arguments[2], 'concurrency', 1)
  )
    return `it is the callback of \`${binding.module}\`, which runs it for every element at once`;
  return null;
}

function isPromiseCombinator(call: TSESTree.CallExpression, sourceCode: SourceCode): string | null {
  const name = globalMemberName(skipTypeWrappers(call.callee), sourceCode, 'Promise');
  return name !== null && PROMISE_COMBINATORS.has(name) ? `Promise.${name}` : null;
}

/**
 * Why a value (a promise, an array of promises) ends up in a combinator that waits for it beside
 * others: `Promise.all([work(a), work(b)])`, `Promise.all(xs.map(...))`, through a conditional,
 * a variable (`const jobs = xs.map(...)`), `jobs.push(work(x))`, or the return value of a
 * `map` callback.
 */
function valueRunsConcurrently(value: Node, sourceCode: SourceCode, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  let child: Node = value;
  for (let parent = value.parent; parent; child = parent, parent = parent.parent) {
    if (
      parent.type === 'TSAsExpression' ||
      parent.type === 'TSNonNullExpression' ||
      parent.type === 'TSSatisfiesExpression' ||
      parent.type === 'ArrayExpression' ||
      parent.type === 'SpreadElement' ||
      parent.type === 'LogicalExpression' ||
      (parent.type === 'ConditionalExpression' && child !== parent.test)
    )
      continue;
    if (parent.type === 'CallExpression' && parent.arguments.includes(child as TSESTree.CallExpressionArgument)) {
      const combinator = isPromiseCombinator(parent, sourceCode);
      if (combinator) return `\`${combinator}\` runs it beside the others it is handed`;
      if (calledMethodName(parent) === 'push') return pushedRunsConcurrently(parent, sourceCode, depth);
      return null;
    }
    // `xs.map((x) => work(x))`: the callback's return value.
    if (
      (parent.type === 'ReturnStatement' || (parent.type === 'ArrowFunctionExpression' && parent.body === child)) &&
      depth < MAX_DEPTH
    ) {
      const fn = parent.type === 'ReturnStatement' ? innermostFunction(parent) : parent;
      const call = fn?.parent;
      if (
        fn &&
        call?.type === 'CallExpression' &&
        call.arguments[0] === fn &&
        MAPPING_METHODS.has(calledMethodName(call) ?? '')
      )
        return valueRunsConcurrently(call, sourceCode, depth + 1);
      return null;
    }
    if (parent.type === 'VariableDeclarator' && parent.init === child && parent.id.type === 'Identifier')
      return variableRunsConcurrently(parent.id, sourceCode, depth);
    return null;
  }
  return null;
}

/**
 * Whether the caller waits for a call's promise: it is awaited where it stands, or handed (as
 * valueRunsConcurrently follows it) to a combinator that waits for it with others.
 */
export function isWaitedFor(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  let value: Node = call;
  while (value.parent && (value.parent.type === 'TSAsExpression' || value.parent.type === 'TSNonNullExpression'))
    value = value.parent;
  return value.parent?.type === 'AwaitExpression' || valueRunsConcurrently(call, sourceCode, 0) !== null;
}

/** `jobs.push(work(x))`: concurrent when the array is handed to a combinator. */
function pushedRunsConcurrently(push: TSESTree.CallExpression, sourceCode: SourceCode, depth: number): string | null {
  const callee = skipTypeWrappers(push.callee);
  if (callee.type !== 'MemberExpression') return null;
  const receiver = skipTypeWrappers(callee.object);
  return receiver.type === 'Identifier' ? variableRunsConcurrently(receiver, sourceCode, depth) : null;
}

function variableRunsConcurrently(identifier: TSESTree.Identifier, sourceCode: SourceCode, depth: number) {
  const variable = variableOf(sourceCode, identifier);
  for (const reference of variable?.references ?? []) {
    if (!reference.isRead()) continue;
    const reason = valueRunsConcurrently(reference.identifier as Node, sourceCode, depth + 1);
    if (reason) return reason;
  }
  return null;
}

/** `for (const x of xs) work(x)`: an async call not waited for starts one run per iteration. */
function floatingInLoop(call: TSESTree.CallExpression): string | null {
  if (call.parent?.type !== 'ExpressionStatement') return null;
  let child: Node = call.parent;
  for (
    let current: Node | undefined = child.parent;
    current && !isFunctionNode(current);
    child = current, current = current.parent
  ) {
    if (isLoopNode(current) && isRepeatedPartOfLoop(child, current))
      return 'it is started once per iteration of a loop, without waiting for the one before';
  }
  return null;
}
