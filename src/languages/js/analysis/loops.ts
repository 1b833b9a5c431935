/**
 * Loop facts for "could these iterations run concurrently?":
 * - which loop repeats a given node (`repeatingLoopOf`), stopping at function boundaries and at
 *   `for await` bodies, which are sequential by nature;
 * - why a loop is sequential on purpose (`sequentialReason`): a loop-carried dependency through
 *   an awaited value, an exit that depends on an awaited value, a delay that paces the loop, an
 *   await on a resource that must stay in order, or a list of functions called in turn.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import {
  calleeName,
  contains,
  forEachDescendant,
  isFunctionNode,
  isLoopNode,
  isRepeatedPartOfLoop,
  skipTypeWrappers,
  type FunctionNode,
  type LoopNode,
} from './ast.js';
import { exportedFunctionFacts, resolveImportedFunction, resolveLocalFunction } from './functions.js';
import { MemoTable } from './memo.js';
import { projectOf } from './project.js';
import type { CalleeMatcher } from './callee-patterns.js';
import { resolveCallee } from './imports.js';
import { calledMethodName, chainRoot } from './members.js';
import { isCallOnOrderedClass, usesConnectionInTransaction } from './ordering.js';
import { innermostFunction } from './async-context.js';
import { loopIndependence } from './independence.js';
import { awaitsOnlyComputation } from './computation.js';
import { terminalUseOf } from './terminal.js';
import { callsCallerSuppliedFunction, runsCodeOfEachElement } from './per-element-code.js';
import { declaredVariables, isGlobalReference, variableOf } from './scope.js';

export type { LoopNode };

/** The innermost loop that evaluates `node` once per iteration, in the same function; null if none. */
export function repeatingLoopOf(node: Node): LoopNode | null {
  let child: Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionNode(parent)) return null;
    if (parent.type === 'ForOfStatement' && parent.await && child === parent.body) return null;
    if (isLoopNode(parent) && isRepeatedPartOfLoop(child, parent)) return parent;
  }
  return null;
}

export type SequentialReason =
  | 'loop-carried-dependency'
  | 'state-driven'
  | 'exit-depends-on-await'
  | 'paced'
  | 'batched'
  | 'generator'
  | 'ordered-resource'
  | 'ordered-collection'
  | 'few-fixed-elements'
  | 'pool-worker'
  | 'chosen-over-promise-all'
  | 'cancellable'
  | 'calls-each-element'
  | 'calls-caller-function'
  | 'awaits-once'
  | 'shared-accumulator'
  | 'no-per-iteration-input'
  | 'shared-receiver'
  | 'callee-keeps-state'
  | 'measured'
  | 'in-memory-work'
  | 'maybe-sync'
  | 'worklist'
  | 'asks-user'
  | 'terminal-output';

export interface LoopPolicy {
  /** Names the policy (its options) across worker threads, for facts about imported delay helpers. */
  id: string;
  isDelayName: (name: string) => boolean;
  isOrderedCallee: CalleeMatcher;
  /**
   * The orderedCallees patterns that order an operation whatever it is made on (`*.sync`,
   * `commit`), as against a receiver that serialises its own operations (`connection.*`).
   */
  isOrderedOperation: CalleeMatcher;
  /** Collections whose order is the point (`migrations`, `hooks`, `statements`). */
  isOrderedCollectionName: (name: string) => boolean;
  /** Classes whose methods share one connection or transaction (`PostgresQueryRunner`). */
  isOrderedClassName: (name: string) => boolean;
}

interface ValueFlow {
  targets: readonly Variable[];
  sources: readonly Node[];
  node: Node;
}

interface LoopFacts {
  awaits: Node[];
  flows: ValueFlow[];
  exits: (TSESTree.ReturnStatement | TSESTree.ThrowStatement | TSESTree.BreakStatement | TSESTree.ContinueStatement)[];
  yields: boolean;
}

const MUTATING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'append', 'fill']);

function repeatedParts(loop: LoopNode): Node[] {
  switch (loop.type) {
    case 'ForStatement':
      return [loop.test, loop.update, loop.body].filter((part): part is NonNullable<typeof part> => part != null);
    case 'ForInStatement':
    case 'ForOfStatement':
      return [loop.body];
    case 'WhileStatement':
    case 'DoWhileStatement':
      return [loop.test, loop.body];
  }
  return [];
}

function rootVariableOf(sourceCode: SourceCode, target: Node): Variable[] {
  let current = skipTypeWrappers(target);
  while (current.type === 'MemberExpression' || current.type === 'ChainExpression')
    current = current.type === 'ChainExpression' ? current.expression : skipTypeWrappers(current.object);
  if (current.type === 'Identifier') {
    const variable = variableOf(sourceCode, current);
    return variable ? [variable] : [];
  }
  return [];
}

function patternVariables(sourceCode: SourceCode, pattern: Node): Variable[] {
  const found: Variable[] = [];
  forEachDescendant(pattern, sourceCode.visitorKeys, (node) => {
    if (node.type === 'MemberExpression') {
      found.push(...rootVariableOf(sourceCode, node));
      return false;
    }
    if (node.type === 'Identifier') {
      const variable = variableOf(sourceCode, node);
      if (variable) found.push(variable);
    }
    return undefined;
  });
  return found;
}

function collectLoopFacts(loop: LoopNode, sourceCode: SourceCode): LoopFacts {
  const facts: LoopFacts = { awaits: [], flows: [], exits: [], yields: false };
  for (const part of repeatedParts(loop)) {
    forEachDescendant(part, sourceCode.visitorKeys, (node) => {
      if (isFunctionNode(node)) return false;
      switch (node.type) {
        case 'AwaitExpression':
          facts.awaits.push(node);
          break;
        case 'YieldExpression':
          facts.yields = true;
          break;
        case 'ForOfStatement':
          if (node.await) facts.awaits.push(node);
          facts.flows.push({ targets: declaredOrAssigned(sourceCode, node.left), sources: [node.right], node });
          break;
        case 'ForInStatement':
          facts.flows.push({ targets: declaredOrAssigned(sourceCode, node.left), sources: [node.right], node });
          break;
        case 'VariableDeclarator':
          if (node.init) facts.flows.push({ targets: declaredVariables(sourceCode, node), sources: [node.init], node });
          break;
        case 'AssignmentExpression':
          facts.flows.push({ targets: patternVariables(sourceCode, node.left), sources: [node.right], node });
          break;
        case 'CallExpression': {
          const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
          if (
            callee.type === 'MemberExpression' &&
            !callee.computed &&
            callee.property.type === 'Identifier' &&
            MUTATING_METHODS.has(callee.property.name)
          ) {
            facts.flows.push({ targets: rootVariableOf(sourceCode, callee.object), sources: node.arguments, node });
          }
          break;
        }
        case 'ReturnStatement':
        case 'ThrowStatement':
        case 'BreakStatement':
        case 'ContinueStatement':
          facts.exits.push(node);
          break;
      }
      return undefined;
    });
  }
  return facts;
}

function declaredOrAssigned(sourceCode: SourceCode, left: Node): Variable[] {
  return left.type === 'VariableDeclaration'
    ? left.declarations.flatMap((declarator) => [...declaredVariables(sourceCode, declarator)])
    : patternVariables(sourceCode, left);
}

interface ExpressionFacts {
  reads: Set<Variable>;
  /** Contains an await of this function (not of a nested function). */
  awaits: boolean;
}

function expressionFacts(sourceCode: SourceCode, expression: Node, cache: Map<Node, ExpressionFacts>): ExpressionFacts {
  const cached = cache.get(expression);
  if (cached) return cached;
  const facts: ExpressionFacts = { reads: new Set(), awaits: false };
  forEachDescendant(expression, sourceCode.visitorKeys, (node) => {
    if (node.type === 'Identifier') {
      const variable = variableOf(sourceCode, node);
      if (variable) facts.reads.add(variable);
    } else if (node.type === 'AwaitExpression' && !isInsideNestedFunction(node, expression)) {
      facts.awaits = true;
    }
  });
  cache.set(expression, facts);
  return facts;
}

function isInsideNestedFunction(node: Node, root: Node): boolean {
  if (node === root) return false;
  for (let current = node.parent; current && current !== root; current = current.parent)
    if (isFunctionNode(current)) return true;
  return false;
}

/** Variables whose value comes from `seeds`, or from a variable already in the set, through the loop's flows. */
function closeOverFlows(
  flows: readonly ValueFlow[],
  isSeedFlow: (flow: ValueFlow) => boolean,
  initial: Set<Variable>,
  readsOf: (source: Node) => ExpressionFacts,
): Set<Variable> {
  const result = new Set(initial);
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of flows) {
      const derived =
        isSeedFlow(flow) ||
        flow.sources.some((source) => [...readsOf(source).reads].some((variable) => result.has(variable)));
      if (!derived) continue;
      for (const target of flow.targets) {
        if (!result.has(target)) {
          result.add(target);
          changed = true;
        }
      }
    }
  }
  return result;
}

/** Declared outside the loop body, so its value survives into the next iteration. */
function isCarriedAcrossIterations(variable: Variable, loop: LoopNode): boolean {
  const definition = variable.defs[0];
  if (!definition) return false;
  if ((loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') && contains(loop.left, definition.name))
    return false;
  return !contains(loop.body, variable.scope.block);
}

/** The expressions that decide whether an exit statement runs, up to the loop. */
function guardsOf(exit: Node, loop: LoopNode): { guards: Node[]; tries: TSESTree.TryStatement[] } {
  const guards: Node[] = [];
  const tries: TSESTree.TryStatement[] = [];
  let child: Node = exit;
  for (let parent: Node | undefined = exit.parent; parent && parent !== loop; child = parent, parent = parent.parent) {
    if (parent.type === 'IfStatement' && child !== parent.test) guards.push(parent.test);
    else if (parent.type === 'ConditionalExpression' && child !== parent.test) guards.push(parent.test);
    else if (parent.type === 'LogicalExpression' && child === parent.right) guards.push(parent.left);
    else if (parent.type === 'SwitchStatement' && child !== parent.discriminant) guards.push(parent.discriminant);
    else if (parent.type === 'SwitchCase' && parent.test && child !== parent.test) guards.push(parent.test);
    else if ((parent.type === 'WhileStatement' || parent.type === 'DoWhileStatement') && child === parent.body)
      guards.push(parent.test);
    else if (parent.type === 'ForStatement' && child === parent.body && parent.test) guards.push(parent.test);
    // Inside `try` after an await, the exit runs only if the await succeeded; inside `catch`, only if it failed.
    else if (parent.type === 'TryStatement' && (child === parent.block || child === parent.handler)) tries.push(parent);
  }
  return { guards, tries };
}

/** The loop's own variables: the `for...of` / `for...in` element, or a counting loop's index. */
function loopElementVariables(loop: LoopNode, sourceCode: SourceCode): Set<Variable> {
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement')
    return new Set(declaredOrAssigned(sourceCode, loop.left));
  if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration')
    return new Set(declaredOrAssigned(sourceCode, loop.init));
  return new Set();
}

/**
 * `for (const connection of connections) await connection.end()`: a call made on the iteration's
 * own element. A connection, transaction or lock (`connection.*`, `tx.*`) orders its own
 * operations; each iteration here has its own, so that pattern orders nothing across
 * iterations (a pattern for the operation itself, `*.sync`, still does). Only the whole
 * element: in `for (const [conn, row] of writes)` a connection may come again.
 */
function isMadeOnWholeElement(
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  loop: LoopNode,
  sourceCode: SourceCode,
): boolean {
  if (loop.type !== 'ForOfStatement' || loop.left.type !== 'VariableDeclaration') return false;
  const element = loop.left.declarations[0]?.id;
  if (loop.left.declarations.length !== 1 || element?.type !== 'Identifier') return false;
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  if (callee.type !== 'MemberExpression') return false;
  const root = chainRoot(callee);
  return root.type === 'Identifier' && variableOf(sourceCode, root) === variableOf(sourceCode, element);
}

/** Whether a statement after `node`, in a block between it and the loop, always leaves the loop. */
function isFollowedByExit(node: Node, loop: LoopNode): boolean {
  let child: Node = node;
  for (let parent: Node | undefined = node.parent; parent && parent !== loop; child = parent, parent = parent.parent) {
    if (isFunctionNode(parent)) return false;
    if (parent.type === 'ReturnStatement' || parent.type === 'ThrowStatement') return true;
    if (parent.type !== 'BlockStatement') continue;
    const after = parent.body.slice(parent.body.indexOf(child as TSESTree.Statement) + 1);
    const leaves = after.some(
      (statement) =>
        statement.type === 'ReturnStatement' ||
        statement.type === 'ThrowStatement' ||
        (statement.type === 'BreakStatement' && exitTargetsLoop(statement, loop)),
    );
    if (leaves) return true;
  }
  return false;
}

/** Whether a break or continue leaves `loop` (rather than an inner loop, switch or labelled block). */
function exitTargetsLoop(exit: TSESTree.BreakStatement | TSESTree.ContinueStatement, loop: LoopNode): boolean {
  for (let current: Node | undefined = exit.parent; current && current !== loop; current = current.parent) {
    if (exit.label) {
      if (current.type === 'LabeledStatement' && current.label.name === exit.label.name) return false;
    } else if (isLoopNode(current) || (exit.type === 'BreakStatement' && current.type === 'SwitchStatement')) {
      return false;
    }
  }
  return true;
}

function isDelayExpression(
  sourceCode: SourceCode,
  awaited: Node,
  policy: LoopPolicy,
  file: string | undefined,
): boolean {
  const expression = skipTypeWrappers(awaited);
  if (expression.type === 'CallExpression') {
    const name = calleeName(expression);
    if (name !== null && policy.isDelayName(name)) return true;
    const binding = resolveCallee(sourceCode, expression);
    if (
      binding?.module === 'timers/promises' &&
      ['setTimeout', 'setImmediate', 'wait'].includes(binding.path.at(-1) ?? '')
    )
      return true;
    if (file !== undefined) {
      // A helper of this project that only waits: `const tick = () => new Promise((r) => setImmediate(r))`.
      const local = resolveLocalFunction(expression, sourceCode, file);
      if (local) return isDelayFunction(local.fn, local.sourceCode, policy, local.file);
      const imported = resolveImportedFunction(expression, sourceCode, file);
      if (imported)
        return (
          imported.project.exportFacts(imported.file, delayFunctionKind(policy))?.get(imported.exportName) === true
        );
    }
  }
  if (
    expression.type === 'NewExpression' &&
    expression.callee.type === 'Identifier' &&
    expression.callee.name === 'Promise'
  ) {
    const executor = expression.arguments[0];
    if (executor && isFunctionNode(executor)) {
      let callsTimer = false;
      forEachDescendant(executor.body, sourceCode.visitorKeys, (node) => {
        if (
          node.type === 'CallExpression' &&
          node.callee.type === 'Identifier' &&
          ['setTimeout', 'setImmediate'].includes(node.callee.name) &&
          isGlobalReference(sourceCode, node.callee)
        )
          callsTimer = true;
      });
      return callsTimer;
    }
  }
  return false;
}

/** Per policy (its delay names) and project scope: the same helper is a delay under one config and not another. */
const delayFunctionMemo = new MemoTable<FunctionNode, boolean>();

/** A function whose every return is a delay (a timer promise, or another delay helper): calling it only waits. */
function isDelayFunction(fn: FunctionNode, sourceCode: SourceCode, policy: LoopPolicy, file: string): boolean {
  // A helper met again while its own answer is being worked out is assumed not to be a delay.
  const memo = delayFunctionMemo.for(policy, projectOf(sourceCode).memoScope());
  return memo.answer(fn, () => computeIsDelayFunction(fn, sourceCode, policy, file), false);
}

function computeIsDelayFunction(fn: FunctionNode, sourceCode: SourceCode, policy: LoopPolicy, file: string): boolean {
  let result = false;
  if (fn.body && fn.body.type !== 'BlockStatement') result = isDelayExpression(sourceCode, fn.body, policy, file);
  else if (fn.body) {
    const returned: Node[] = [];
    forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
      if (isFunctionNode(node)) return false;
      if (node.type === 'ReturnStatement' && node.argument) returned.push(node.argument);
      return undefined;
    });
    result = returned.length > 0 && returned.every((argument) => isDelayExpression(sourceCode, argument, policy, file));
  }
  return result;
}

/** Which exports of a file are delay helpers. */
const delayFunctionKind = exportedFunctionFacts(
  'delay-functions',
  (policy: LoopPolicy) => policy.id,
  (fn, _name, module, policy) => isDelayFunction(fn, module.sourceCode, policy, module.file),
);

function awaitedExpression(awaitNode: Node): Node {
  return awaitNode.type === 'AwaitExpression' ? awaitNode.argument : (awaitNode as TSESTree.ForOfStatement).right;
}

/** The last answer per loop, with all it depends on besides the loop: the policy, the file, the project scope. */
const reasonCache = new WeakMap<
  LoopNode,
  { policy: LoopPolicy; file: string | undefined; scope: object; reason: SequentialReason | null }
>();

/** Why the iterations of `loop` must run one after another, or null when they are independent. */
/** `file` (the linted file's path) lets delay helpers of the project be recognised, here and imported. */
export function sequentialReason(
  loop: LoopNode,
  sourceCode: SourceCode,
  policy: LoopPolicy,
  file?: string,
): SequentialReason | null {
  const scope = projectOf(sourceCode).memoScope();
  const cached = reasonCache.get(loop);
  if (cached && cached.policy === policy && cached.file === file && cached.scope === scope) return cached.reason;
  const reason = computeSequentialReason(loop, sourceCode, policy, file);
  reasonCache.set(loop, { policy, file, scope, reason });
  return reason;
}

function computeSequentialReason(
  loop: LoopNode,
  sourceCode: SourceCode,
  policy: LoopPolicy,
  file: string | undefined,
): SequentialReason | null {
  const facts = collectLoopFacts(loop, sourceCode);
  const awaited = facts.awaits.map(awaitedExpression);

  if (facts.yields) return 'generator';
  if (isMeasured(loop, sourceCode)) return 'measured';
  if (awaited.some((expression) => isDelayExpression(sourceCode, expression, policy, file))) return 'paced';
  if (awaited.some(isPromiseCombinatorCall)) return 'batched';
  // Hashing or signing in memory waits for no I/O: running the iterations together overlaps nothing.
  if (awaited.length > 0 && awaited.every((expression) => awaitsOnlyComputation(expression, sourceCode, file)))
    return 'in-memory-work';
  // `await Promise.resolve(serialize(item))`, `if (r instanceof Promise) await r`: the code itself
  // says the value is usually not a promise (a user callback that is normally sync).
  if (facts.awaits.length > 0 && facts.awaits.every((awaitNode) => awaitsMaybeSyncValue(awaitNode, loop)))
    return 'maybe-sync';
  if (
    (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') &&
    iteratesOrderedCollection(loop, sourceCode, policy)
  )
    return 'ordered-collection';
  if (isCountingLoop(loop) && countsOrderedThings(loop as TSESTree.ForStatement, policy)) return 'ordered-collection';
  if (isAlternativeToPromiseAll(loop, sourceCode)) return 'chosen-over-promise-all';
  if (awaited.some((expression) => isCallOnOrderedClass(expression, policy.isOrderedClassName)))
    return 'ordered-resource';
  const elements = loopElementVariables(loop, sourceCode);
  const isOrdered = (expression: Node) => {
    const call = skipTypeWrappers(expression);
    if (call.type !== 'CallExpression' && call.type !== 'NewExpression') return false;
    if (!policy.isOrderedCallee(call)) return false;
    return !isMadeOnWholeElement(call, loop, sourceCode) || policy.isOrderedOperation(call);
  };
  if (awaited.some(isOrdered)) return 'ordered-resource';
  if (awaited.some((expression) => usesConnectionInTransaction(expression, sourceCode))) return 'ordered-resource';
  const runsElementCode = (expression: Node) => {
    const unwrapped = skipTypeWrappers(expression);
    const call = unwrapped.type === 'ChainExpression' ? unwrapped.expression : unwrapped;
    return call.type === 'CallExpression' && runsCodeOfEachElement(call, elements, loop.body, sourceCode, file);
  };
  if (awaited.some(runsElementCode)) return 'calls-each-element';
  if (isStateDriven(loop, awaited, sourceCode)) return 'state-driven';
  if (isPoolWorker(loop, sourceCode)) return 'pool-worker';

  const cache = new Map<Node, ExpressionFacts>();
  const readsOf = (node: Node) => expressionFacts(sourceCode, node, cache);
  // A flag set inside `try` after an await (`done = true`) carries that await's success.
  const isAwaitSeed = (flow: ValueFlow) =>
    flow.sources.some((source) => readsOf(source).awaits) || isInTryAfterAwait(flow.node, loop, readsOf);
  const awaitDerived = closeOverFlows(facts.flows, isAwaitSeed, new Set(), readsOf);
  const carried = new Set([...awaitDerived].filter((variable) => isCarriedAcrossIterations(variable, loop)));
  const dependsOnCarried = carried.size === 0 ? carried : closeOverFlows(facts.flows, () => false, carried, readsOf);
  const readsCarried = (node: Node | null | undefined) =>
    !!node && [...readsOf(node).reads].some((variable) => dependsOnCarried.has(variable));
  const readsAwaited = (node: Node | null | undefined) =>
    !!node && (readsOf(node).awaits || [...readsOf(node).reads].some((variable) => awaitDerived.has(variable)));

  const controls: Node[] = [];
  if (loop.type === 'ForStatement')
    controls.push(...[loop.test, loop.update].filter((part): part is NonNullable<typeof part> => part != null));
  if (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement') controls.push(loop.test);
  if (controls.some((control) => readsCarried(control) || readsOf(control).awaits)) return 'loop-carried-dependency';
  if (awaited.some(readsCarried)) return 'loop-carried-dependency';
  // `if (!deps[id]) { const entry = await resolve(id); deps[id] = entry }`: whether an iteration
  // waits at all depends on what the awaits of earlier iterations stored, so they decide in turn.
  if (facts.awaits.some((awaitNode) => guardsOf(awaitNode, loop).guards.some(readsCarried)))
    return 'loop-carried-dependency';

  // `if (!result) continue; ...; break`: the loop leaves at the first iteration whose awaited
  // value passes, so each iteration runs only because the previous one found nothing.
  const leavesLoop = facts.exits.some(
    (exit) => exit.type === 'ReturnStatement' || (exit.type === 'BreakStatement' && exitTargetsLoop(exit, loop)),
  );
  const continuesOnAwait = facts.exits.some(
    (exit) =>
      exit.type === 'ContinueStatement' &&
      exitTargetsLoop(exit, loop) &&
      guardsOf(exit, loop).guards.some(readsAwaited),
  );
  if (leavesLoop && continuesOnAwait) return 'exit-depends-on-await';
  // `if (req.url === url) { res.end(await read(file)); return; }`: only the iteration that leaves awaits.
  if (facts.awaits.length > 0 && facts.awaits.every((awaitNode) => isFollowedByExit(awaitNode, loop)))
    return 'awaits-once';
  for (const exit of facts.exits) {
    if ((exit.type === 'BreakStatement' || exit.type === 'ContinueStatement') && !exitTargetsLoop(exit, loop)) continue;
    const { guards, tries } = guardsOf(exit, loop);
    const operand = exit.type === 'ReturnStatement' || exit.type === 'ThrowStatement' ? exit.argument : null;
    if (guards.some(readsCarried) || readsCarried(operand)) return 'loop-carried-dependency';
    if (exit.type !== 'ContinueStatement' && guards.some((guard) => readsFlagSetElsewhere(guard, loop, sourceCode)))
      return 'cancellable';
    if (exit.type === 'ContinueStatement') continue;
    if (guards.some(readsAwaited) || readsAwaited(operand)) return 'exit-depends-on-await';
    if (tries.some((tryStatement) => readsOf(tryStatement.block).awaits)) return 'exit-depends-on-await';
  }
  if (growsWhatItIterates(loop, sourceCode)) return 'worklist';
  if (iteratesFewFixedElements(loop, sourceCode)) return 'few-fixed-elements';
  // `await cb(item)` with `cb` a parameter: the caller's code, run in turn as hooks are.
  if (awaited.some((expression) => callsCallerSuppliedFunction(expression, loop, sourceCode)))
    return 'calls-caller-function';
  // No reason to be sequential is not yet a reason to run together: ask for evidence of independence.
  const independence = loopIndependence(loop, awaited, sourceCode);
  if (!independence.independent) return independence.missing;
  // Questions to the user, or children writing to the terminal, on the one terminal there is.
  // Asked last: following every call of the work through the project costs the most.
  const terminal = awaited.map((expression) => terminalUseOf(expression, sourceCode, file));
  if (terminal.includes('prompt')) return 'asks-user';
  if (terminal.includes('inherit')) return 'terminal-output';
  return null;
}

function isInTryAfterAwait(node: Node, loop: LoopNode, readsOf: (node: Node) => ExpressionFacts): boolean {
  let child: Node = node;
  for (let parent: Node | undefined = node.parent; parent && parent !== loop; child = parent, parent = parent.parent) {
    if (isFunctionNode(parent)) return false;
    if (parent.type === 'TryStatement' && child === parent.block && readsOf(parent.block).awaits) return true;
  }
  return false;
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'any', 'race']);

/** `await Promise.all(batch)` per iteration is deliberate batching: bounded concurrency. */
const CLOCK_READ = /\b(?:Date\.now|performance\.now|process\.hrtime|console\.time(?:End)?|new Date)\s*\(/;

/**
 * A loop between two clock reads (`const start = performance.now(); for (...) await op(); report(performance.now() - start)`)
 * is being timed: running its iterations together would measure something else.
 */
function isMeasured(loop: LoopNode, sourceCode: SourceCode): boolean {
  let statement: Node = loop;
  for (
    let container: Node | undefined = loop.parent;
    container && !isFunctionNode(container);
    statement = container, container = container.parent
  ) {
    if (container.type !== 'BlockStatement' && container.type !== 'Program') continue;
    const body = container.body as Node[];
    const index = body.indexOf(statement);
    if (index === -1) continue;
    const readsClock = (node: Node) => CLOCK_READ.test(sourceCode.text.slice(node.range[0], node.range[1]));
    if (body.slice(0, index).some(readsClock) && body.slice(index + 1).some(readsClock)) return true;
  }
  return false;
}

/** `typeof x.then === 'function'`, `x instanceof Promise`: a test of whether `name` holds a promise. */
function testsForPromise(test: Node, name: string): boolean {
  const expression = skipTypeWrappers(test);
  if (expression.type === 'LogicalExpression')
    return testsForPromise(expression.left, name) || testsForPromise(expression.right, name);
  if (expression.type !== 'BinaryExpression') return false;
  if (expression.operator === 'instanceof')
    return (
      expression.left.type === 'Identifier' &&
      expression.left.name === name &&
      expression.right.type === 'Identifier' &&
      expression.right.name === 'Promise'
    );
  if (expression.operator !== '===' && expression.operator !== '==') return false;
  const typeofThen = (side: Node) => {
    if (side.type !== 'UnaryExpression' || side.operator !== 'typeof') return false;
    const member = side.argument.type === 'ChainExpression' ? side.argument.expression : side.argument;
    return (
      member.type === 'MemberExpression' &&
      !member.computed &&
      member.property.type === 'Identifier' &&
      member.property.name === 'then' &&
      skipTypeWrappers(member.object).type === 'Identifier' &&
      (skipTypeWrappers(member.object) as TSESTree.Identifier).name === name
    );
  };
  const isFunctionString = (side: Node) => side.type === 'Literal' && side.value === 'function';
  return (
    (typeofThen(expression.left) && isFunctionString(expression.right)) ||
    (typeofThen(expression.right) && isFunctionString(expression.left))
  );
}

/**
 * An await of a value the code treats as maybe not a promise: `await Promise.resolve(x)`, or
 * `await r` under an `if` of the loop that tests `r` for being a promise.
 */
function awaitsMaybeSyncValue(awaitNode: Node, loop: LoopNode): boolean {
  if (awaitNode.type !== 'AwaitExpression') return false;
  const argument = skipTypeWrappers(awaitNode.argument);
  if (
    argument.type === 'CallExpression' &&
    argument.callee.type === 'MemberExpression' &&
    argument.callee.object.type === 'Identifier' &&
    argument.callee.object.name === 'Promise' &&
    argument.callee.property.type === 'Identifier' &&
    argument.callee.property.name === 'resolve' &&
    argument.arguments.length === 1
  )
    return true;
  if (argument.type !== 'Identifier') return false;
  let child: Node = awaitNode;
  for (let parent: Node | undefined = awaitNode.parent; parent && parent !== loop; parent = parent.parent) {
    if (parent.type === 'IfStatement' && parent.consequent === child && testsForPromise(parent.test, argument.name))
      return true;
    child = parent;
  }
  return false;
}

/** `Promise.all(...)` (or `allSettled`, `any`, `race`): a batch that is already concurrent. */
export function isPromiseCombinatorCall(expression: Node): boolean {
  const call = skipTypeWrappers(expression);
  if (call.type !== 'CallExpression') return false;
  const callee = call.callee;
  return (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'Promise' &&
    callee.property.type === 'Identifier' &&
    PROMISE_COMBINATORS.has(callee.property.name)
  );
}

const ORDERING_METHODS = new Set(['sort', 'reverse', 'toSorted', 'toReversed']);

function isOrderingCall(node: Node): boolean {
  const call = skipTypeWrappers(node);
  if (call.type !== 'CallExpression') return false;
  const method = calledMethodName(call);
  return method !== null && ORDERING_METHODS.has(method);
}

function lastName(node: Node): string | null {
  const expression = skipTypeWrappers(node);
  if (expression.type === 'Identifier') return expression.name;
  if (expression.type === 'MemberExpression' && !expression.computed && expression.property.type === 'Identifier')
    return expression.property.name;
  if (expression.type === 'CallExpression') {
    // `Object.values(this.hooks)`, `hooks.filter(...)`: the collection is what is being read.
    const callee = expression.callee;
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Object')
      return expression.arguments[0] ? lastName(expression.arguments[0]) : null;
    if (callee.type === 'MemberExpression') return lastName(callee.object);
    // A plain wrapper around the collection: `castArray(scripts)`, `toArray(hooks)`.
    if (callee.type === 'Identifier' && expression.arguments[0] && expression.arguments[0].type !== 'SpreadElement')
      return lastName(expression.arguments[0]);
  }
  return null;
}

/** A loop over a sorted or reversed list, or a list whose name says its order matters. */
function iteratesOrderedCollection(
  loop: TSESTree.ForOfStatement | TSESTree.ForInStatement,
  sourceCode: SourceCode,
  policy: LoopPolicy,
): boolean {
  const iterable = skipTypeWrappers(loop.right);
  if (isOrderingCall(iterable)) return true;
  const name = lastName(iterable);
  if (name !== null && policy.isOrderedCollectionName(name)) return true;
  if (iterable.type === 'Identifier') {
    const variable = variableOf(sourceCode, iterable);
    if (!variable) return false;
    const definition = variable.defs[0];
    if (definition?.node.type === 'VariableDeclarator' && definition.node.init && isOrderingCall(definition.node.init))
      return true;
    return variable.references.some((reference) => {
      const member = reference.identifier.parent;
      return (
        member?.type === 'MemberExpression' &&
        member.object === reference.identifier &&
        member.parent !== undefined &&
        isOrderingCall(member.parent)
      );
    });
  }
  return false;
}

/** A list written out in the code longer than this is data; up to this many items is a handful of names. */
const FEW_FIXED_ELEMENTS = 3;

/**
 * `for (const file of ['_headers', '_redirects'])`: the loop runs over a few constants written
 * in the code, so it waits a fixed few times whatever the input; running them together saves a
 * wait or two, not a wait per item of data.
 */
function iteratesFewFixedElements(loop: LoopNode, sourceCode: SourceCode): boolean {
  if (loop.type !== 'ForOfStatement' || loop.await) return false;
  let iterable = skipTypeWrappers(loop.right);
  if (iterable.type === 'Identifier') {
    const variable = variableOf(sourceCode, iterable);
    const definition = variable?.defs[0];
    const declaration = definition?.parent as TSESTree.VariableDeclaration | null | undefined;
    const init = definition?.type === 'Variable' ? (definition.node as TSESTree.VariableDeclarator).init : null;
    if (declaration?.kind !== 'const' || !init) return false;
    // Only iterated: a list that is pushed to or handed to a call may hold more than it was written with.
    const onlyIterated = variable!.references.every(
      (reference) => reference.init || reference.identifier.parent?.type === 'ForOfStatement',
    );
    if (!onlyIterated) return false;
    iterable = skipTypeWrappers(init);
  }
  if (iterable.type !== 'ArrayExpression') return false;
  if (iterable.elements.length === 0 || iterable.elements.length > FEW_FIXED_ELEMENTS) return false;
  return iterable.elements.every(
    (element) =>
      element !== null &&
      (element.type === 'Literal' || (element.type === 'TemplateLiteral' && element.expressions.length === 0)),
  );
}

/**
 * `Array.from({ length: limit }, async () => { while (next < items.length) await fn(items[next++]) })`:
 * a worker of a bounded pool. The loop is in a callback and advances a cursor declared outside
 * it, which every call of the callback shares: several workers take the next item in turn, and
 * the await is what bounds the pool, the shape this rule's own advice asks for.
 */
function isPoolWorker(loop: LoopNode, sourceCode: SourceCode): boolean {
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement' || !loop.test) return false;
  const worker = innermostFunction(loop);
  const caller = worker?.parent;
  if (!worker || (caller?.type !== 'CallExpression' && caller?.type !== 'NewExpression')) return false;
  if (!caller.arguments.includes(worker as TSESTree.CallExpressionArgument)) return false;
  let shared = false;
  forEachDescendant(loop.test, sourceCode.visitorKeys, (node) => {
    if (shared || node.type !== 'Identifier') return undefined;
    const variable = variableOf(sourceCode, node);
    const declared = variable?.defs[0]?.name;
    if (!variable || !declared || contains(worker, declared)) return undefined;
    shared = variable.references.some((reference) => reference.isWrite() && contains(loop, reference.identifier));
    return undefined;
  });
  return shared;
}

function isCountingLoop(loop: LoopNode): boolean {
  if (loop.type !== 'ForStatement' || !loop.update) return false;
  const update = loop.update;
  return (
    (update.type === 'UpdateExpression' || update.type === 'AssignmentExpression') &&
    (update.type === 'UpdateExpression' ? update.argument : update.left).type === 'Identifier'
  );
}

/**
 * A `while` / `do...while` / open `for` whose control calls something, or reads a member of an
 * object the awaited calls are made on (`while (!this.isDead) await this.fetchBatch()`): the
 * awaits change what decides whether there is a next iteration.
 */
function isStateDriven(loop: LoopNode, awaited: readonly Node[], sourceCode: SourceCode): boolean {
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement' || isCountingLoop(loop)) return false;
  const control = loop.type === 'ForStatement' ? [loop.test, loop.update] : [loop.test];
  const touched = new Set<Variable | 'this'>();
  for (const expression of awaited) {
    const call = skipTypeWrappers(expression);
    if (call.type !== 'CallExpression' && call.type !== 'NewExpression') continue;
    // Receivers only: `this.fetchBatch()` changes `this`; arguments are rarely what a call mutates.
    for (const part of [call.callee]) {
      let root: Node = part;
      while (root.type === 'MemberExpression' || root.type === 'ChainExpression' || root.type === 'CallExpression') {
        root =
          root.type === 'MemberExpression'
            ? root.object
            : root.type === 'ChainExpression'
              ? root.expression
              : root.callee;
      }
      if (root.type === 'ThisExpression') touched.add('this');
      else if (root.type === 'Identifier') {
        const variable = variableOf(sourceCode, root);
        if (variable) touched.add(variable);
      }
    }
  }
  let stateful = false;
  for (const expression of control) {
    if (!expression) continue;
    forEachDescendant(expression, sourceCode.visitorKeys, (node) => {
      if (node.type === 'CallExpression' || node.type === 'NewExpression') stateful = true;
      if (node.type === 'MemberExpression') {
        let root: Node = node;
        while (root.type === 'MemberExpression') root = root.object;
        if (root.type === 'ThisExpression' && touched.has('this')) stateful = true;
        if (root.type === 'Identifier') {
          const variable = variableOf(sourceCode, root);
          if (variable && touched.has(variable)) stateful = true;
        }
      }
    });
  }
  return stateful;
}

/**
 * Whether an await starts the work it waits for. `await node.promise` or `await pending[i]` waits
 * for work that is already running, so a loop of them gains nothing from Promise.all.
 */
export function awaitStartsWork(awaitNode: TSESTree.AwaitExpression, loop: LoopNode, sourceCode: SourceCode): boolean {
  let expression = skipTypeWrappers(awaitNode.argument);
  for (let steps = 0; steps < 4 && expression.type === 'Identifier'; steps++) {
    const definition = variableOf(sourceCode, expression)?.defs[0];
    if (!definition || definition.node.type !== 'VariableDeclarator' || !contains(loop.body, definition.node))
      return false;
    if (!definition.node.init) return false;
    expression = skipTypeWrappers(definition.node.init);
  }
  if (
    expression.type === 'Identifier' ||
    expression.type === 'MemberExpression' ||
    expression.type === 'ThisExpression' ||
    expression.type === 'Literal'
  )
    return false;
  return true;
}

/** Methods that add elements the collection's iterator then visits (Array, Set; `Map.set` mostly replaces). */
const GROWING_METHODS = new Set(['push', 'unshift', 'splice', 'add']);

/** The variables whose collection decides how many times the loop runs: `files` in `for (f of files)`, `i < queue.length`. */
function iteratedCollections(loop: LoopNode, sourceCode: SourceCode): Set<Variable> {
  const found = new Set<Variable>();
  const add = (node: Node | null | undefined) => {
    const expression = node ? skipTypeWrappers(node) : null;
    if (expression?.type !== 'Identifier') return;
    const variable = variableOf(sourceCode, expression);
    if (variable) found.add(variable);
  };
  if (loop.type === 'ForOfStatement') add(loop.right);
  else if (loop.type !== 'ForInStatement' && loop.test) {
    // `i < queue.length`, `while (pending.size)`: a bound read off the collection each time.
    forEachDescendant(loop.test, sourceCode.visitorKeys, (node) => {
      if (
        node.type === 'MemberExpression' &&
        !node.computed &&
        node.property.type === 'Identifier' &&
        (node.property.name === 'length' || node.property.name === 'size')
      )
        add(node.object);
      return undefined;
    });
  }
  return found;
}

/**
 * A worklist: the loop adds to the collection it iterates (`for (const f of files) { ...
 * files.add(child) }`, `queue.push(next)` with `i < queue.length`). An array's, Set's or Map's
 * iterator visits what is added while it runs, so earlier iterations make the later ones: the
 * number and the inputs of the iterations are not known before the loop runs.
 */
function growsWhatItIterates(loop: LoopNode, sourceCode: SourceCode): boolean {
  const collections = iteratedCollections(loop, sourceCode);
  if (collections.size === 0) return false;
  let grows = false;
  for (const part of repeatedParts(loop)) {
    forEachDescendant(part, sourceCode.visitorKeys, (node) => {
      if (grows || isFunctionNode(node)) return false;
      if (node.type !== 'CallExpression') return undefined;
      const callee = skipTypeWrappers(node.callee);
      if (
        callee.type === 'MemberExpression' &&
        !callee.computed &&
        callee.property.type === 'Identifier' &&
        GROWING_METHODS.has(callee.property.name) &&
        node.arguments.length > 0
      ) {
        const target = skipTypeWrappers(callee.object);
        const variable = target.type === 'Identifier' ? variableOf(sourceCode, target) : null;
        if (variable && collections.has(variable)) grows = true;
      }
      return undefined;
    });
  }
  return grows;
}

/** `for (let i = 1; i <= steps; i++)`: a counted loop over things whose order is the point. */
function countsOrderedThings(loop: TSESTree.ForStatement, policy: LoopPolicy): boolean {
  let ordered = false;
  if (!loop.test) return false;
  const visit = (node: Node): void => {
    if (node.type === 'Identifier' && policy.isOrderedCollectionName(node.name)) ordered = true;
    if (node.type === 'MemberExpression') {
      if (!node.computed && node.property.type === 'Identifier' && policy.isOrderedCollectionName(node.property.name))
        ordered = true;
      visit(node.object);
    }
    if (node.type === 'BinaryExpression') {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(loop.test);
  return ordered;
}

function containsPromiseCombinator(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (descendant) => {
    if (found) return false;
    if (descendant.type === 'CallExpression' && isPromiseCombinatorCall(descendant)) found = true;
    return undefined;
  });
  return found;
}

/**
 * The loop is one branch of an `if` (or `?:`) whose other branch runs the work with
 * `Promise.all`: the author chose sequential here on purpose (one connection, ordered mode).
 */
function isAlternativeToPromiseAll(loop: LoopNode, sourceCode: SourceCode): boolean {
  let child: Node = loop;
  for (
    let parent: Node | undefined = loop.parent;
    parent && !isFunctionNode(parent);
    child = parent, parent = parent.parent
  ) {
    if (parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') {
      const other =
        child === parent.consequent ? parent.alternate : child === parent.alternate ? parent.consequent : null;
      if (other && containsPromiseCombinator(other, sourceCode)) return true;
      // `if (oneConnection) { for (...) await f(x); return; } return Promise.all(xs.map(f));`
      if (parent.type === 'IfStatement' && !parent.alternate && child === parent.consequent) {
        const block = parent.parent;
        if (block && (block.type === 'BlockStatement' || block.type === 'Program')) {
          const following = block.body.slice(block.body.indexOf(parent as never) + 1);
          if (following.some((statement) => containsPromiseCombinator(statement, sourceCode))) return true;
        }
      }
    }
  }
  return false;
}

/**
 * An exit guarded by a flag that other code sets (`if (this.closed) break;`, `if (abortError)
 * throw abortError;` with the flag written in a callback): the loop checks for cancellation
 * between steps, which only works one step at a time.
 */
function readsFlagSetElsewhere(guard: Node, loop: LoopNode, sourceCode: SourceCode): boolean {
  const ownFunction = innermostFunction(loop);
  let flagged = false;
  forEachDescendant(guard, sourceCode.visitorKeys, (node) => {
    if (node.type === 'Identifier') {
      const variable = variableOf(sourceCode, node);
      if (
        variable?.references.some(
          (reference) => reference.isWrite() && innermostFunction(reference.identifier) !== ownFunction,
        )
      )
        flagged = true;
    }
    if (
      node.type === 'MemberExpression' &&
      node.object.type === 'ThisExpression' &&
      !node.computed &&
      (node.property.type === 'Identifier' || node.property.type === 'PrivateIdentifier') &&
      /^(closed|closing|destroyed|aborted|cancel(l)?ed|stopped|stopping|disposed|ended|done|running|active)$/i.test(
        node.property.name.replace(/^[#_]+/, ''),
      )
    ) {
      flagged = true;
    }
  });
  return flagged;
}
