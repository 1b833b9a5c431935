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
import { calleeName, contains, forEachDescendant, isFunctionNode, isLoopNode, isRepeatedPartOfLoop, skipTypeWrappers, type LoopNode } from './ast.js';
import type { CalleeMatcher } from './callee-patterns.js';
import { resolveCallee } from './imports.js';
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

export type SequentialReason = 'loop-carried-dependency' | 'exit-depends-on-await' | 'paced' | 'ordered-resource' | 'calls-each-element';

export interface LoopPolicy {
  isDelayName: (name: string) => boolean;
  isOrderedCallee: CalleeMatcher;
}

interface ValueFlow {
  targets: readonly Variable[];
  sources: readonly Node[];
}

interface LoopFacts {
  awaits: Node[];
  flows: ValueFlow[];
  exits: (TSESTree.ReturnStatement | TSESTree.ThrowStatement | TSESTree.BreakStatement | TSESTree.ContinueStatement)[];
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
  while (current.type === 'MemberExpression' || current.type === 'ChainExpression') current = current.type === 'ChainExpression' ? current.expression : skipTypeWrappers(current.object);
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
  const facts: LoopFacts = { awaits: [], flows: [], exits: [] };
  for (const part of repeatedParts(loop)) {
    forEachDescendant(part, sourceCode.visitorKeys, (node) => {
      if (isFunctionNode(node)) return false;
      switch (node.type) {
        case 'AwaitExpression':
          facts.awaits.push(node);
          break;
        case 'ForOfStatement':
          if (node.await) facts.awaits.push(node);
          facts.flows.push({ targets: declaredOrAssigned(sourceCode, node.left), sources: [node.right] });
          break;
        case 'ForInStatement':
          facts.flows.push({ targets: declaredOrAssigned(sourceCode, node.left), sources: [node.right] });
          break;
        case 'VariableDeclarator':
          if (node.init) facts.flows.push({ targets: declaredVariables(sourceCode, node), sources: [node.init] });
          break;
        case 'AssignmentExpression':
          facts.flows.push({ targets: patternVariables(sourceCode, node.left), sources: [node.right] });
          break;
        case 'CallExpression': {
          const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
          if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && MUTATING_METHODS.has(callee.property.name)) {
            facts.flows.push({ targets: rootVariableOf(sourceCode, callee.object), sources: node.arguments });
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
  return left.type === 'VariableDeclaration' ? left.declarations.flatMap((declarator) => [...declaredVariables(sourceCode, declarator)]) : patternVariables(sourceCode, left);
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
  for (let current = node.parent; current && current !== root; current = current.parent) if (isFunctionNode(current)) return true;
  return false;
}

/** Variables whose value comes from `seeds`, or from a variable already in the set, through the loop's flows. */
function closeOverFlows(flows: readonly ValueFlow[], isSeedSource: (source: Node) => boolean, initial: Set<Variable>, readsOf: (source: Node) => ExpressionFacts): Set<Variable> {
  const result = new Set(initial);
  let changed = true;
  while (changed) {
    changed = false;
    for (const flow of flows) {
      const derived = flow.sources.some((source) => isSeedSource(source) || [...readsOf(source).reads].some((variable) => result.has(variable)));
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
  if ((loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') && contains(loop.left, definition.name)) return false;
  return !contains(loop.body, variable.scope.block);
}

/** The expressions that decide whether an exit statement runs, up to the loop. */
function guardsOf(exit: Node, loop: LoopNode): { guards: Node[]; inTryWithAwait: TSESTree.TryStatement | null } {
  const guards: Node[] = [];
  let inTryWithAwait: TSESTree.TryStatement | null = null;
  let child: Node = exit;
  for (let parent: Node | undefined = exit.parent; parent && parent !== loop; child = parent, parent = parent.parent) {
    if (parent.type === 'IfStatement' && child !== parent.test) guards.push(parent.test);
    else if (parent.type === 'ConditionalExpression' && child !== parent.test) guards.push(parent.test);
    else if (parent.type === 'LogicalExpression' && child === parent.right) guards.push(parent.left);
    else if (parent.type === 'SwitchStatement' && child !== parent.discriminant) guards.push(parent.discriminant);
    else if (parent.type === 'SwitchCase' && parent.test && child !== parent.test) guards.push(parent.test);
    else if ((parent.type === 'WhileStatement' || parent.type === 'DoWhileStatement') && child === parent.body) guards.push(parent.test);
    else if (parent.type === 'ForStatement' && child === parent.body && parent.test) guards.push(parent.test);
    else if (parent.type === 'TryStatement' && child === parent.block && !inTryWithAwait) inTryWithAwait = parent;
  }
  return { guards, inTryWithAwait };
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

function isDelayExpression(sourceCode: SourceCode, awaited: Node, policy: LoopPolicy): boolean {
  const expression = skipTypeWrappers(awaited);
  if (expression.type === 'CallExpression') {
    const name = calleeName(expression);
    if (name !== null && policy.isDelayName(name)) return true;
    const binding = resolveCallee(sourceCode, expression);
    if (binding?.module === 'timers/promises' && ['setTimeout', 'setImmediate', 'wait'].includes(binding.path.at(-1) ?? '')) return true;
  }
  if (expression.type === 'NewExpression' && expression.callee.type === 'Identifier' && expression.callee.name === 'Promise') {
    const executor = expression.arguments[0];
    if (executor && isFunctionNode(executor)) {
      let callsTimer = false;
      forEachDescendant(executor.body, sourceCode.visitorKeys, (node) => {
        if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && ['setTimeout', 'setImmediate'].includes(node.callee.name) && isGlobalReference(sourceCode, node.callee)) callsTimer = true;
      });
      return callsTimer;
    }
  }
  return false;
}

function awaitedExpression(awaitNode: Node): Node {
  return awaitNode.type === 'AwaitExpression' ? awaitNode.argument : (awaitNode as TSESTree.ForOfStatement).right;
}

const reasonCache = new WeakMap<LoopNode, { policy: LoopPolicy; reason: SequentialReason | null }>();

/** Why the iterations of `loop` must run one after another, or null when they are independent. */
export function sequentialReason(loop: LoopNode, sourceCode: SourceCode, policy: LoopPolicy): SequentialReason | null {
  const cached = reasonCache.get(loop);
  if (cached && cached.policy === policy) return cached.reason;
  const reason = computeSequentialReason(loop, sourceCode, policy);
  reasonCache.set(loop, { policy, reason });
  return reason;
}

function computeSequentialReason(loop: LoopNode, sourceCode: SourceCode, policy: LoopPolicy): SequentialReason | null {
  const facts = collectLoopFacts(loop, sourceCode);
  const awaited = facts.awaits.map(awaitedExpression);

  if (awaited.some((expression) => isDelayExpression(sourceCode, expression, policy))) return 'paced';
  const isOrdered = (expression: Node) => {
    const call = skipTypeWrappers(expression);
    return (call.type === 'CallExpression' || call.type === 'NewExpression') && policy.isOrderedCallee(call);
  };
  if (awaited.some(isOrdered)) return 'ordered-resource';
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') {
    const elementVariables = new Set(declaredOrAssigned(sourceCode, loop.left));
    const callsElement = awaited.some((expression) => {
      const call = skipTypeWrappers(expression);
      if (call.type !== 'CallExpression') return false;
      const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
      return callee.type === 'Identifier' && elementVariables.has(variableOf(sourceCode, callee)!);
    });
    if (callsElement) return 'calls-each-element';
  }

  const cache = new Map<Node, ExpressionFacts>();
  const readsOf = (node: Node) => expressionFacts(sourceCode, node, cache);
  const awaitDerived = closeOverFlows(facts.flows, (source) => readsOf(source).awaits, new Set(), readsOf);
  const carried = new Set([...awaitDerived].filter((variable) => isCarriedAcrossIterations(variable, loop)));
  const dependsOnCarried = carried.size === 0 ? carried : closeOverFlows(facts.flows, () => false, carried, readsOf);
  const readsCarried = (node: Node | null | undefined) => !!node && [...readsOf(node).reads].some((variable) => dependsOnCarried.has(variable));
  const readsAwaited = (node: Node | null | undefined) => !!node && (readsOf(node).awaits || [...readsOf(node).reads].some((variable) => awaitDerived.has(variable)));

  const controls: Node[] = [];
  if (loop.type === 'ForStatement') controls.push(...[loop.test, loop.update].filter((part): part is NonNullable<typeof part> => part != null));
  if (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement') controls.push(loop.test);
  if (controls.some((control) => readsCarried(control) || readsOf(control).awaits)) return 'loop-carried-dependency';
  if (awaited.some(readsCarried)) return 'loop-carried-dependency';

  for (const exit of facts.exits) {
    if ((exit.type === 'BreakStatement' || exit.type === 'ContinueStatement') && !exitTargetsLoop(exit, loop)) continue;
    const { guards, inTryWithAwait } = guardsOf(exit, loop);
    const operand = exit.type === 'ReturnStatement' || exit.type === 'ThrowStatement' ? exit.argument : null;
    if (guards.some(readsCarried) || readsCarried(operand)) return 'loop-carried-dependency';
    if (exit.type === 'ContinueStatement') continue;
    if (guards.some(readsAwaited) || readsAwaited(operand)) return 'exit-depends-on-await';
    if (inTryWithAwait && readsOf(inTryWithAwait.block).awaits) return 'exit-depends-on-await';
  }
  return null;
}
