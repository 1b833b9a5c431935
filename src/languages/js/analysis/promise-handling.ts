/**
 * "Is this promise handled?": awaited, returned, passed on, stored elsewhere, chained onto a
 * handled promise, or given a rejection handler. The questions floating-promise asks about an
 * expression statement and about a variable that holds a promise.
 *
 * Syntactic by default (promises.ts); with type information the checker decides what is a
 * promise, and the syntactic knowledge answers only where the checker knows nothing.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { isFunctionNode, skipTypeWrappers, skipWrappersAndChains } from './ast.js';
import { innermostFunction } from './async-context.js';
import { calleeChain } from './callee-patterns.js';
import { resolveModuleBinding } from './imports.js';
import { promiseMethodOf, readsPromiseMethod } from './members.js';
import {
  callNeverRejects,
  callOnlyWaits,
  callReturnsNothing,
  isHandledChain,
  isPromiseExpression,
  mayBePromiseExpression,
  packageMethodNeverRejects,
  type PromiseKnowledge,
} from './promises.js';
import { declaredVariables, isGlobalReference } from './scope.js';
import { awaitedCallElsewhere, type AwaitedElsewhere, type EvidenceOptions } from './awaited-elsewhere.js';
import { hasTypeInformation, thenableKind, typeNameMatches } from './type-aware.js';

/** A call allowed to float: a callee name (`it`, `queue.add`), or exports of a module by name. */
export type KnownCall = string | { module: string; name: string | string[] };

/** What counts as handled, and which promises are known (floating-promise's options). */
export interface PromiseHandlingOptions {
  /** `void promise` marks a promise as deliberately not awaited. */
  ignoreVoid: boolean;
  /** `(async () => { ... })();` is left alone. */
  ignoreIIFE: boolean;
  /** Type-aware: any object with a callable `then` counts, not only `Promise`. */
  checkThenables: boolean;
  /** Type-aware: names of promise-like types that may float. */
  allowForKnownSafePromises: readonly string[];
  allowForKnownSafeCalls: readonly KnownCall[];
}

/** One file's answers: where it is, what it knows about promises, and the options. */
export interface PromiseHandling {
  sourceCode: SourceCode;
  file: string;
  knowledge: PromiseKnowledge;
  options: PromiseHandlingOptions;
  typed: boolean;
}

/** What an unhandled expression leaves floating: nothing, a promise, or an array of promises. */
export type HandlingVerdict = 'handled' | 'floating' | 'floatingArray';

export function promiseHandling(
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
  options: PromiseHandlingOptions,
): PromiseHandling {
  return { sourceCode, file, knowledge, options, typed: hasTypeInformation(sourceCode) };
}

/** A rejection handler that handles something: not `undefined`, `null` or `void 0`. */
function isRealHandler(node: Node | undefined): boolean {
  if (!node || node.type === 'SpreadElement') return false;
  const expression = skipTypeWrappers(node);
  if (expression.type === 'Identifier' && expression.name === 'undefined') return false;
  if (expression.type === 'Literal' && expression.value === null) return false;
  if (expression.type === 'UnaryExpression' && expression.operator === 'void') return false;
  return true;
}

/** `.catch(handler)` or `.then(onFulfilled, handler)` with a real handler. */
export function attachesRejectionHandler(call: TSESTree.CallExpression): boolean {
  const method = promiseMethodOf(call);
  if (method === 'catch') return isRealHandler(call.arguments[0]);
  return method === 'then' && isRealHandler(call.arguments[1]);
}

/** Whether a call is one the options allow to float, by its callee's name or by the export it calls. */
export function isKnownCall(call: TSESTree.CallExpression, known: readonly KnownCall[], sourceCode: SourceCode) {
  if (known.length === 0) return false;
  const chain = calleeChain(call.callee)?.join('.');
  const binding = resolveModuleBinding(sourceCode, call.callee);
  return known.some((entry) => {
    if (typeof entry === 'string') return chain === entry || chain?.endsWith(`.${entry}`) === true;
    const names = Array.isArray(entry.name) ? entry.name : [entry.name];
    return (
      binding !== null &&
      binding.module === entry.module.replace(/^node:/, '') &&
      names.includes(binding.path.join('.') || 'default')
    );
  });
}

/**
 * Whether a node is a promise or an array of promises. With types, the checker decides and
 * refutes syntactic guesses; where it knows nothing (`any`, an untyped library), the syntactic
 * knowledge still answers.
 */
export function promiseKindOf(node: Node, handling: PromiseHandling): 'promise' | 'array' | null {
  const { sourceCode, options } = handling;
  if (handling.typed) {
    if (typeNameMatches(sourceCode, node, options.allowForKnownSafePromises)) return null;
    const kind = thenableKind(sourceCode, node, options.checkThenables);
    if (kind !== 'unknown') return kind;
  }
  return isPromiseExpression(node, sourceCode, handling.file, handling.knowledge) ? 'promise' : null;
}

function isPromise(node: Node, handling: PromiseHandling): boolean {
  return promiseKindOf(node, handling) === 'promise';
}

/** The first branch that leaves something floating, or 'handled'. */
function worstOf(verdicts: HandlingVerdict[]): HandlingVerdict {
  return verdicts.find((verdict) => verdict !== 'handled') ?? 'handled';
}

/** Whether the value of an expression statement is handled, and if not, what floats. */
export function handlingVerdict(node: Node, handling: PromiseHandling): HandlingVerdict {
  const expression = skipWrappersAndChains(node);
  switch (expression.type) {
    case 'UnaryExpression':
      if (expression.operator !== 'void') break;
      return handling.options.ignoreVoid ? 'handled' : handlingVerdict(expression.argument, handling);
    case 'AwaitExpression':
    case 'AssignmentExpression':
    case 'YieldExpression':
      return 'handled';
    case 'ConditionalExpression':
      return worstOf([expression.consequent, expression.alternate].map((branch) => handlingVerdict(branch, handling)));
    case 'LogicalExpression':
      return handlingVerdict(expression.right, handling);
    case 'SequenceExpression':
      return worstOf(expression.expressions.map((part) => handlingVerdict(part, handling)));
    case 'ArrayExpression': {
      const holdsPromise = expression.elements.some(
        (element) => element != null && element.type !== 'SpreadElement' && isPromise(element, handling),
      );
      return holdsPromise ? 'floatingArray' : 'handled';
    }
    case 'CallExpression':
      return callVerdict(expression, handling);
  }
  return valueVerdict(expression, handling);
}

function callVerdict(call: TSESTree.CallExpression, handling: PromiseHandling): HandlingVerdict {
  const { sourceCode, file, knowledge, options } = handling;
  if (isKnownCall(call, options.allowForKnownSafeCalls, sourceCode)) return 'handled';
  if (options.ignoreIIFE && isFunctionNode(skipTypeWrappers(call.callee))) return 'handled';
  const method = promiseMethodOf(call);
  if (method === null) return valueVerdict(call, handling);
  if (attachesRejectionHandler(call)) return 'handled';
  // A promise that cannot reject, followed by sync callbacks, cannot reject either.
  if (method !== 'catch' && isHandledChain(call, sourceCode, file, knowledge)) return 'handled';
  // The chain floats unless what it was built on is handled; `.finally` passes a rejection on.
  const receiver = (skipWrappersAndChains(call.callee) as TSESTree.MemberExpression).object;
  if (method === 'finally' && handlingVerdict(receiver, handling) === 'handled' && isPromise(receiver, handling))
    return 'handled';
  return isPromise(call, handling) || isPromise(receiver, handling) ? 'floating' : 'handled';
}

/** An expression that is not a promise combination: floating if it is a promise (or an array of them). */
function valueVerdict(expression: Node, handling: PromiseHandling): HandlingVerdict {
  const kind = promiseKindOf(expression, handling);
  // A promise that cannot reject loses no failure; its caller chose not to wait for it.
  if (
    kind === 'promise' &&
    expression.type === 'CallExpression' &&
    callNeverRejects(expression, handling.sourceCode, handling.file, handling.knowledge) &&
    !callOnlyWaits(expression, handling.sourceCode, handling.file)
  )
    return 'handled';
  return kind === 'promise' ? 'floating' : kind === 'array' ? 'floatingArray' : 'handled';
}

/**
 * A call nothing else shows to be a promise, which this file awaits elsewhere: the author's own
 * `await` is the evidence (see awaited-elsewhere.ts). With types, the checker decides; a callee
 * this file can read, which catches everything itself, loses no failure.
 */
export function awaitedElsewhereEvidence(
  node: Node,
  handling: PromiseHandling,
  how: EvidenceOptions = { stored: true },
): AwaitedElsewhere | null {
  const call = skipWrappersAndChains(node);
  if (call.type !== 'CallExpression' || promiseMethodOf(call) !== null) return null;
  const { sourceCode, file, knowledge, options } = handling;
  if (isKnownCall(call, options.allowForKnownSafeCalls, sourceCode) || promiseKindOf(call, handling) !== null)
    return null;
  if (handling.typed && thenableKind(sourceCode, call, options.checkThenables) !== 'unknown') return null;
  if (callNeverRejects(call, sourceCode, file, knowledge) || callReturnsNothing(call, sourceCode, file)) return null;
  const evidence = awaitedCallElsewhere(call, sourceCode, how);
  // A receiver nothing types (`this.client`): what the package's own methods of that name can do.
  return evidence && !packageMethodNeverRejects(call, sourceCode, file, knowledge) ? evidence : null;
}

function isGlobalPromiseName(node: Node, sourceCode: SourceCode): boolean {
  return node.type === 'Identifier' && node.name === 'Promise' && isGlobalReference(sourceCode, node);
}

/** Wrappers through which a read still carries the value it read: `p!`, `p as T`, `a ?? p`, `c ? p : q`. */
const VALUE_CARRIERS = new Set([
  'ConditionalExpression',
  'LogicalExpression',
  'TSAsExpression',
  'TSNonNullExpression',
  'ChainExpression',
  'TSSatisfiesExpression',
]);

/** Whether a read of a stored value hands it on: awaited, returned, passed, chained, stored elsewhere. */
export function handsOnValue(identifier: Node, sourceCode: SourceCode): boolean {
  let child: Node = identifier;
  let parent = identifier.parent;
  while (parent && VALUE_CARRIERS.has(parent.type)) {
    if (parent.type === 'ConditionalExpression' && parent.test === child) return false;
    child = parent;
    parent = parent.parent;
  }
  switch (parent?.type) {
    case 'AwaitExpression':
    case 'ReturnStatement':
    case 'YieldExpression':
    case 'SpreadElement':
    case 'ArrayExpression':
    case 'Property':
    case 'ExportSpecifier':
    case 'JSXExpressionContainer':
    case 'VariableDeclarator':
      return true;
    case 'ArrowFunctionExpression':
      return parent.body === child;
    case 'CallExpression':
    case 'NewExpression':
      return parent.arguments.includes(child as TSESTree.CallExpressionArgument);
    case 'AssignmentExpression':
      return parent.right === child;
    case 'MemberExpression':
      return parent.object === child && readsPromiseMethod(parent);
    // `if (result instanceof Promise) ...`: the code asks whether it got a promise and decides itself.
    case 'BinaryExpression':
      return parent.operator === 'instanceof' && parent.left === child && isGlobalPromiseName(parent.right, sourceCode);
    default:
      return false;
  }
}

/**
 * Whether a variable declared in a function holds a promise that no read hands on and that has no
 * rejection handler of its own: `const saved = save(); ...` with `saved` never awaited.
 */
export function isForgottenStoredPromise(declarator: TSESTree.VariableDeclarator, handling: PromiseHandling): boolean {
  if (declarator.id.type !== 'Identifier' || !declarator.init || !innermostFunction(declarator)) return false;
  // A loop variable (`for (const p of promises)`) holds the elements, not what `init` would be.
  const loop = declarator.parent?.parent;
  if (loop?.type === 'ForOfStatement' || loop?.type === 'ForInStatement') return false;
  // Without types, only some shapes of `init` can be a promise (`const x = await y` cannot): the
  // others need no look at the variable's reads, nor the file's scopes for one.
  if (!handling.typed && !mayBePromiseExpression(declarator.init)) return false;
  // The cheap question first: most variables are handed on somewhere, and then the type does not matter.
  const variable = declaredVariables(handling.sourceCode, declarator)[0];
  if (!variable) return false;
  const reads = variable.references.filter((reference) => reference.identifier !== declarator.id);
  if (reads.some((reference) => handsOnValue(reference.identifier as Node, handling.sourceCode))) return false;
  const init = skipWrappersAndChains(declarator.init);
  if (init.type === 'CallExpression' && attachesRejectionHandler(init)) return false;
  return isPromise(declarator.init, handling);
}
