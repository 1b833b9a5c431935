/**
 * Positive evidence that a loop's awaited operations are independent, before a perf rule says
 * they could run together. The absence of a reason to be sequential is not enough: a loop that
 * works on one page, session, connection or transaction, or whose callee keeps state between
 * calls, is sequential on purpose even when no name says so. Evidence is:
 *
 * - **per-iteration input**: the awaited call takes the iteration's element or key (the
 *   `for...of` / `for...in` variable, the index of a counting loop, or a value derived from
 *   them in the body), so each iteration works on something else;
 * - **no session-like receiver**: the call does not go through a resource this code holds
 *   for a while, nor is it handed `this` (the object the code runs on, which every iteration
 *   shares): an object kept in a field (`this.driver.delete()`, `this.page.click()`), one
 *   acquired with `await` (`const conn = await pool.connect()`), or one a caller lends to a
 *   callback (`db.transaction(async (tx) => ...)`, `withPage(async (page) => ...)`). Such a
 *   receiver may be one connection, page or session, whose order is the point. A method of
 *   this class counts when its body keeps no state on `this` or in module variables; a module's
 *   API, a global, a plain function, the element itself and a shared service object do not;
 * - **no shared accumulator**: no argument is a collection every iteration hands to its call
 *   (`await collect(entry, found)` with `const found = new Map()`, or a list the loop also
 *   pushes to): the calls fill it in turn, and what one adds the next may read.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode, type LoopNode } from './ast.js';
import { chainRoot } from './members.js';
import { declaredVariables, isGlobalReference, variableOf } from './scope.js';

export type IndependenceVerdict =
  | {
      independent: true;
      evidence: 'element-input';
      /** The per-iteration value the awaited work takes (`id`, `files[i]`). */ element: string;
    }
  | {
      independent: false;
      missing: 'no-per-iteration-input' | 'shared-receiver' | 'callee-keeps-state' | 'shared-accumulator';
    };

/** The variables that hold this iteration's element or key. */
function iterationVariables(loop: LoopNode, sourceCode: SourceCode): Set<Variable> {
  const found = new Set<Variable>();
  if (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement') {
    const left = loop.left;
    if (left.type === 'VariableDeclaration')
      for (const declarator of left.declarations)
        for (const variable of declaredVariables(sourceCode, declarator)) found.add(variable);
    else if (left.type === 'Identifier') {
      const variable = variableOf(sourceCode, left);
      if (variable) found.add(variable);
    }
  } else if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration') {
    for (const declarator of loop.init.declarations)
      for (const variable of declaredVariables(sourceCode, declarator)) found.add(variable);
  }
  // A cursor the loop advances and tests (`i++` with `while (i < n)`, `next = it.next()` with `!next.done`).
  const test = loop.type === 'ForOfStatement' || loop.type === 'ForInStatement' ? null : loop.test;
  if (test) {
    forEachDescendant(loop, sourceCode.visitorKeys, (node) => {
      if (isFunctionNode(node) || node === test) return false;
      const target =
        node.type === 'UpdateExpression' ? node.argument : node.type === 'AssignmentExpression' ? node.left : null;
      if (target?.type === 'Identifier') {
        const variable = variableOf(sourceCode, target);
        if (variable && readsAny(test, new Set([variable]), sourceCode)) found.add(variable);
      }
      return undefined;
    });
  }
  return found;
}

function readsAny(node: Node, variables: ReadonlySet<Variable>, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found) return false;
    if (current.type === 'Identifier') {
      const variable = variableOf(sourceCode, current);
      if (variable && variables.has(variable)) found = true;
    }
    return undefined;
  });
  return found;
}

/** Element variables, and the body's `const`s computed from them (`const url = base + item.path`). */
function perIterationValues(loop: LoopNode, sourceCode: SourceCode): Set<Variable> {
  const values = iterationVariables(loop, sourceCode);
  if (values.size === 0) return values;
  forEachDescendant(loop.body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type === 'VariableDeclarator' && node.init && readsAny(node.init, values, sourceCode)) {
      for (const variable of declaredVariables(sourceCode, node)) values.add(variable);
    }
    return undefined;
  });
  return values;
}

/** Whether an identifier names a module (an import or `require` binding), whose API keeps no caller state. */
function isModuleBinding(identifier: TSESTree.Identifier, sourceCode: SourceCode): boolean {
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (!definition) return false;
  if (definition.type === 'ImportBinding') return true;
  if (definition.type !== 'Variable') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const loaded = init ? skipTypeWrappers(init.type === 'AwaitExpression' ? init.argument : init) : null;
  return (
    (loaded?.type === 'CallExpression' && loaded.callee.type === 'Identifier' && loaded.callee.name === 'require') ||
    loaded?.type === 'ImportExpression'
  );
}

function enclosingClass(node: Node): TSESTree.ClassBody | null {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'ClassBody') return current;
  return null;
}

/** `this.method` of the class around `call`, when the class defines it here. */
function ownMethod(call: TSESTree.CallExpression): FunctionNode | null {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'ThisExpression') return null;
  const name =
    callee.property.type === 'Identifier' || callee.property.type === 'PrivateIdentifier' ? callee.property.name : null;
  const body = enclosingClass(call);
  if (!name || !body) return null;
  for (const member of body.body) {
    if (member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition') continue;
    const key = member.key;
    const memberName = key.type === 'Identifier' || key.type === 'PrivateIdentifier' ? key.name : null;
    if (memberName !== name || member.static) continue;
    const value = member.value;
    return value && isFunctionNode(value) ? value : null;
  }
  return null;
}

/** Whether a function keeps state between calls: it assigns to `this`, to module variables, or calls `this` methods that may. */
function keepsState(fn: FunctionNode, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (found) return false;
    const target =
      node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : null;
    if (target) {
      const root = chainRoot(target);
      if (root.type === 'ThisExpression') found = true;
      else if (root.type === 'Identifier') {
        const variable = variableOf(sourceCode, root);
        const declared = variable?.defs[0]?.name;
        if (declared && !(fn.range[0] <= declared.range[0] && declared.range[1] <= fn.range[1])) found = true;
      }
    }
    // Awaiting another operation on `this` (`await this.connection.query()`) shares what `this` holds.
    if (node.type === 'AwaitExpression') {
      const awaited = skipTypeWrappers(node.argument);
      if (awaited.type === 'CallExpression' && chainRoot(awaited.callee).type === 'ThisExpression') found = true;
    }
    return undefined;
  });
  return found;
}

/** The function a plain call calls when this file declares it once (`function f() {}`, `const f = () => {}`). */
function declaredFunction(callee: TSESTree.Identifier, sourceCode: SourceCode): FunctionNode | null {
  const variable = variableOf(sourceCode, callee);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type === 'FunctionName' && isFunctionNode(definition.node as Node))
    return definition.node as FunctionNode;
  if (definition?.type !== 'Variable' || (definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const')
    return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const value = init ? skipTypeWrappers(init) : null;
  return value && isFunctionNode(value) ? value : null;
}

/** The variables declared outside `fn` that its body assigns or fills (`count++`, `found.push(x)`). */
function outsideVariablesWritten(fn: FunctionNode, sourceCode: SourceCode): Set<Variable> {
  const written = new Set<Variable>();
  const declaredOutside = (identifier: Node) => {
    if (identifier.type !== 'Identifier') return null;
    const variable = variableOf(sourceCode, identifier);
    const declared = variable?.defs[0]?.name;
    return declared && !(fn.range[0] <= declared.range[0] && declared.range[1] <= fn.range[1]) ? variable : null;
  };
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    const target =
      node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : null;
    const filled =
      node.type === 'CallExpression' &&
      node.callee.type === 'MemberExpression' &&
      !node.callee.computed &&
      node.callee.property.type === 'Identifier' &&
      MUTATING_METHODS.has(node.callee.property.name)
        ? node.callee.object
        : null;
    const root = target ? chainRoot(target) : filled ? skipTypeWrappers(filled) : null;
    const variable = root ? declaredOutside(root) : null;
    if (variable) written.add(variable);
    return undefined;
  });
  return written;
}

/**
 * `if (audits.some(...)) continue; await createProblem(rule, element)` where `createProblem`
 * pushes to `audits`: the loop reads what its callee wrote in earlier iterations, so the order
 * of the calls decides what each iteration sees.
 */
function writesWhatTheLoopReads(callee: TSESTree.Identifier, loop: LoopNode, sourceCode: SourceCode): boolean {
  const fn = declaredFunction(callee, sourceCode);
  // A function declared inside the loop may close over the iteration's own variables.
  if (!fn || (loop.range[0] <= fn.range[0] && fn.range[1] <= loop.range[1])) return false;
  const written = outsideVariablesWritten(fn, sourceCode);
  return written.size > 0 && readsAny(loop.body, written, sourceCode);
}

/** Whether a variable holds a resource held for a while: initialised by an `await`, or a parameter of a callback a caller runs. */
function isHeldResource(variable: Variable): boolean {
  const definition = variable.defs[0];
  if (!definition) return false;
  if (definition.type === 'Variable') {
    const init = (definition.node as TSESTree.VariableDeclarator).init;
    return init ? skipTypeWrappers(init).type === 'AwaitExpression' : false;
  }
  if (definition.type === 'Parameter') {
    const fn = definition.node as Node;
    const parent = fn.parent;
    return (
      isFunctionNode(fn) &&
      (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
      parent.arguments.includes(fn as TSESTree.CallExpressionArgument)
    );
  }
  return false;
}

function awaitedCall(expression: Node): TSESTree.CallExpression | null {
  const call = skipTypeWrappers(expression);
  return call.type === 'CallExpression' ? call : null;
}

/** Why one awaited call is not evidently independent of the same call in other iterations; null when it is. */
function receiverProblem(
  call: TSESTree.CallExpression,
  loop: LoopNode,
  perIteration: ReadonlySet<Variable>,
  sourceCode: SourceCode,
): 'shared-receiver' | 'callee-keeps-state' | null {
  // `applyTransforms(html, hooks, this)`: the callee is handed the object this code runs on, the
  // same one every iteration, as a call through `this.driver` goes through it.
  if (call.arguments.some((argument) => skipTypeWrappers(argument as Node).type === 'ThisExpression'))
    return 'shared-receiver';
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  if (callee.type === 'Identifier')
    return writesWhatTheLoopReads(callee, loop, sourceCode) ? 'callee-keeps-state' : null;
  if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') return null;
  if (callee.type !== 'MemberExpression') return null;
  const root = chainRoot(callee.object);
  if (root.type === 'ThisExpression') {
    if (callee.object.type !== 'ThisExpression') return 'shared-receiver';
    const method = ownMethod(call);
    if (!method) return 'shared-receiver';
    return keepsState(method, sourceCode) ? 'callee-keeps-state' : null;
  }
  if (root.type !== 'Identifier') return null;
  if (isGlobalReference(sourceCode, root) || isModuleBinding(root, sourceCode)) return null;
  const variable = variableOf(sourceCode, root);
  if (!variable || perIteration.has(variable)) return null;
  return isHeldResource(variable) ? 'shared-receiver' : null;
}

const CONTAINER_CLASSES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);

/** `[]`, `{}`, `new Map()`: an empty collection made to be filled. */
function isEmptyContainer(node: Node | null | undefined): boolean {
  const value = node ? skipTypeWrappers(node) : null;
  if (!value) return false;
  if (value.type === 'ArrayExpression' || value.type === 'ObjectExpression')
    return (value.type === 'ArrayExpression' ? value.elements : value.properties).length === 0;
  return (
    value.type === 'NewExpression' &&
    value.callee.type === 'Identifier' &&
    CONTAINER_CLASSES.has(value.callee.name) &&
    value.arguments.length === 0
  );
}

/** Whether `body` changes what `variable` holds: `list.push(x)`, `seen.add(k)`, `map[k] = v`. */
function mutatesInPlace(body: Node, variable: Variable, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(body, sourceCode.visitorKeys, (node) => {
    if (found) return false;
    const member =
      node.type === 'CallExpression' && node.callee.type === 'MemberExpression'
        ? node.callee
        : node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression'
          ? node.left
          : null;
    const object = member ? skipTypeWrappers(member.object) : null;
    if (object?.type === 'Identifier' && variableOf(sourceCode, object) === variable) {
      const method =
        node.type === 'CallExpression' && !member!.computed && member!.property.type === 'Identifier'
          ? member!.property.name
          : null;
      if (node.type === 'AssignmentExpression' || (method && MUTATING_METHODS.has(method))) found = true;
    }
    return undefined;
  });
  return found;
}

const MUTATING_METHODS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'delete', 'clear']);

/** Whether `call` hands each iteration the same collection to fill (`collect(entry, found)`). */
function passesSharedAccumulator(
  call: TSESTree.CallExpression,
  loop: LoopNode,
  perIteration: ReadonlySet<Variable>,
  sourceCode: SourceCode,
): boolean {
  return call.arguments.some((argument) => {
    const value = skipTypeWrappers(argument as Node);
    if (value.type !== 'Identifier') return false;
    const variable = variableOf(sourceCode, value);
    const definition = variable?.defs[0];
    if (!variable || !definition || perIteration.has(variable)) return false;
    if (loop.range[0] <= definition.name.range[0] && definition.name.range[1] <= loop.range[1]) return false;
    const init = definition.type === 'Variable' ? (definition.node as TSESTree.VariableDeclarator).init : null;
    return isEmptyContainer(init) || mutatesInPlace(loop.body, variable, sourceCode);
  });
}

/**
 * Whether the loop's awaited operations are independent by evidence. `awaited` are the awaited
 * expressions of one iteration (as the loop analysis collected them).
 */
export function loopIndependence(
  loop: LoopNode,
  awaited: readonly Node[],
  sourceCode: SourceCode,
): IndependenceVerdict {
  const perIteration = perIterationValues(loop, sourceCode);
  const calls = awaited.map(awaitedCall).filter((call): call is TSESTree.CallExpression => call !== null);
  // `for await (const chunk of element)` reads the element in its head, not its body.
  const inputs = awaited.map((node) => (node.type === 'ForOfStatement' ? node.right : node));
  const keys = iterationVariables(loop, sourceCode);
  if (perIteration.size === 0 || !inputs.some((node) => readsAny(node, perIteration, sourceCode))) {
    return { independent: false, missing: 'no-per-iteration-input' };
  }
  for (const call of calls) {
    const problem = receiverProblem(call, loop, perIteration, sourceCode);
    if (problem) return { independent: false, missing: problem };
    if (passesSharedAccumulator(call, loop, perIteration, sourceCode))
      return { independent: false, missing: 'shared-accumulator' };
  }
  const element = [...keys][0]?.name ?? [...perIteration][0]!.name;
  return { independent: true, evidence: 'element-input', element };
}
