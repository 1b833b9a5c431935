/**
 * Whether each iteration of a loop runs different code: a function read from the element (a
 * hook, plugin, task or middleware of a list), rather than the same operation on different data.
 * `for (const integration of integrations) await integration.hooks['build:done']?.(params)` runs
 * each integration's own hook, in the list's order, and that order is the contract of such
 * loops (each hook sees what the previous one did). `for (const doc of docs) await doc.save()`
 * runs one method on each element and stays a candidate for `Promise.all`.
 *
 * The function is read from the element when the callee is the element itself (`task()`), a
 * function looked up in it by a computed name (`plugin.hooks[hookName]`), an array slot picked
 * by the iteration's index (`loaders[i]()`), or a `const` holding one of these
 * (`const hook = plugin.hooks[name]; await hook()`). Static members are not enough:
 * `env.dev.createEnvironment()` is one factory per element that its maintainers did run together. One call deep: the element is handed
 * to a function of this file that calls a function read from it the same way
 * (`await runHook({ integration, hookName })` where `runHook` calls `integration.hooks[hookName]`).
 * A static member counts when the loop tests it for being a function, or for being there, before
 * calling it (`filter.cond instanceof Function`, `if (node.load)`), or calls it only if it is
 * there (`node.load?.()`): the element holds data or a callback of its own.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { resolveLocalFunction } from './functions.js';
import { declaredVariables, variableOf } from './scope.js';

function unwrapCallee(call: TSESTree.CallExpression): Node {
  let callee: Node = skipTypeWrappers(call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  // `hook.call(this, ...)` and `hook.apply(this, args)` call the hook.
  if (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    (callee.property.name === 'call' || callee.property.name === 'apply')
  ) {
    callee = skipTypeWrappers(callee.object);
  }
  return callee;
}

function reads(node: Node, variables: ReadonlySet<Variable>, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found) return false;
    if (current.type === 'Identifier' && variables.has(variableOf(sourceCode, current)!)) found = true;
    return undefined;
  });
  return found;
}

/**
 * Whether `callee` is a function read from one of `elements`: the element itself, or a
 * member of it looked up by a computed name. An array slot picked by an element (`loaders[i]`)
 * is the element itself, so `loaders[i]()` counts and `docs[i].save()` does not.
 */
function isReadFromElement(
  callee: Node,
  elements: ReadonlySet<Variable>,
  sourceCode: SourceCode,
  aliases: ReadonlySet<Variable>,
): boolean {
  const found = elementInChain(callee, elements, sourceCode, aliases);
  if (!found) return false;
  const { members, elementAt } = found;
  // The element itself, or a function looked up in it by a name the code computes (a hook table).
  // Static members (`env.dev.createEnvironment`, `doc.save`) are one operation on different data.
  return (
    elementAt === members.length ||
    members.slice(elementAt).some((member) => member.computed && member.property.type !== 'Literal')
  );
}

/**
 * Where the element is in a member chain: its members from the root outwards (`a.b[c].d` is
 * [a.b, a.b[c], a.b[c].d]) and the index after which they are read from the element (0 when the
 * root is the element, else just after the last computed member that reads it); null if nowhere.
 */
function elementInChain(
  callee: Node,
  elements: ReadonlySet<Variable>,
  sourceCode: SourceCode,
  aliases: ReadonlySet<Variable>,
): { members: TSESTree.MemberExpression[]; elementAt: number } | null {
  const isElement = (variable: Variable | null | undefined) =>
    !!variable && (elements.has(variable) || aliases.has(variable));
  // The chain from its root outwards: `a.b[c].d` is [a.b, a.b[c], a.b[c].d].
  const members: TSESTree.MemberExpression[] = [];
  let current: Node = skipTypeWrappers(callee);
  for (;;) {
    if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'MemberExpression') {
      members.unshift(current);
      current = skipTypeWrappers(current.object);
    } else break;
  }
  // Where the element is: the root (0), or just after the last computed member that reads it.
  let elementAt = -1;
  if (current.type === 'Identifier' && isElement(variableOf(sourceCode, current))) elementAt = 0;
  members.forEach((member, index) => {
    if (member.computed && reads(member.property, elements, sourceCode)) elementAt = index + 1;
  });
  return elementAt < 0 ? null : { members, elementAt };
}

/**
 * `await internals.inputs?.()`, `await branch[i].node.component?.()`: an optional call of a member
 * of the element. A method every element has is never optional; a member that may be missing is
 * a callback whoever built the element chose to give it (a hook, a loader), so each iteration
 * runs that element's own code.
 */
function callsOptionalMemberOfElement(
  call: TSESTree.CallExpression,
  elements: ReadonlySet<Variable>,
  sourceCode: SourceCode,
): boolean {
  if (!call.optional) return false;
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const found = elementInChain(callee, elements, sourceCode, new Set());
  return found !== null && found.elementAt < found.members.length;
}

/** `const hook = plugin.hooks[name]` in `scope`: variables that hold a function read from an element. */
function functionAliases(scope: Node, elements: ReadonlySet<Variable>, sourceCode: SourceCode): Set<Variable> {
  const aliases = new Set<Variable>();
  const none = new Set<Variable>();
  forEachDescendant(scope, sourceCode.visitorKeys, (node) => {
    if (node.type !== 'VariableDeclarator' || !node.init || node.id.type !== 'Identifier') return undefined;
    const init = skipTypeWrappers(node.init);
    if (
      (init.type === 'MemberExpression' || init.type === 'ChainExpression') &&
      isReadFromElement(init, elements, sourceCode, none)
    ) {
      for (const variable of declaredVariables(sourceCode, node)) aliases.add(variable);
    }
    return undefined;
  });
  return aliases;
}

/** The parameters of `fn` that receive an element: by position, or by key of an object literal argument. */
function parametersReceiving(
  fn: FunctionNode,
  call: TSESTree.CallExpression,
  elements: ReadonlySet<Variable>,
  sourceCode: SourceCode,
): Set<Variable> {
  const received = new Set<Variable>();
  call.arguments.forEach((argument, index) => {
    const parameter = fn.params[index];
    if (!parameter) return;
    const value = skipTypeWrappers(argument as Node);
    if (value.type === 'ObjectExpression' && parameter.type === 'ObjectPattern') {
      for (const property of value.properties) {
        if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier') continue;
        if (!reads(property.value, elements, sourceCode)) continue;
        const key = property.key.name;
        for (const target of parameter.properties) {
          if (
            target.type === 'Property' &&
            !target.computed &&
            target.key.type === 'Identifier' &&
            target.key.name === key
          ) {
            const binding = target.value.type === 'AssignmentPattern' ? target.value.left : target.value;
            if (binding.type === 'Identifier') {
              const variable = variableOf(sourceCode, binding);
              if (variable) received.add(variable);
            }
          }
        }
      }
    } else if (
      parameter.type === 'Identifier' &&
      value.type === 'Identifier' &&
      elements.has(variableOf(sourceCode, value)!)
    ) {
      const variable = variableOf(sourceCode, parameter);
      if (variable) received.add(variable);
    }
  });
  return received;
}

/** Whether a function's body (and the closures in it) calls a function read from `elements`. */
function callsFunctionReadFrom(fn: FunctionNode, elements: ReadonlySet<Variable>, sourceCode: SourceCode): boolean {
  const aliases = functionAliases(fn.body, elements, sourceCode);
  let found = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (found) return false;
    if (node.type === 'CallExpression' && isReadFromElement(unwrapCallee(node), elements, sourceCode, aliases))
      found = true;
    return undefined;
  });
  return found;
}

/** `x instanceof Function`, `typeof x === 'function'`: a test of whether `x` holds a function. */
function testedExpression(node: Node): Node | null {
  if (node.type !== 'BinaryExpression') return null;
  if (node.operator === 'instanceof')
    return node.right.type === 'Identifier' && node.right.name === 'Function' ? skipTypeWrappers(node.left) : null;
  if (node.operator !== '===' && node.operator !== '==') return null;
  for (const [side, other] of [
    [node.left, node.right],
    [node.right, node.left],
  ] as const) {
    if (side.type === 'UnaryExpression' && side.operator === 'typeof' && other.type === 'Literal')
      return other.value === 'function' ? skipTypeWrappers(side.argument) : null;
  }
  return null;
}

/**
 * `if (filter.cond instanceof Function) cond = await filter.cond(args)`: the loop tests the member
 * of the element it calls for being a function, so each element carries either data or a
 * callback of its own, written by whoever built the list; the loop runs each one's code in turn.
 * A test for its presence (`if (node.load) await node.load()`) says the same: a method every
 * element has needs no test.
 */
function callsMemberTestedAsFunction(
  callee: Node,
  elements: ReadonlySet<Variable>,
  loopBody: Node,
  sourceCode: SourceCode,
): boolean {
  const member = skipTypeWrappers(callee);
  if (member.type !== 'MemberExpression' || member.computed) return false;
  let root: Node = member;
  while (root.type === 'MemberExpression') root = skipTypeWrappers(root.object);
  if (root.type !== 'Identifier' || !elements.has(variableOf(sourceCode, root)!)) return false;
  const text = sourceCode.getText(member);
  let tested = false;
  forEachDescendant(loopBody, sourceCode.visitorKeys, (node) => {
    if (tested || isFunctionNode(node)) return false;
    const operand = testedExpression(node);
    if (operand && sourceCode.getText(operand) === text) tested = true;
    // `if (node.inline_styles && ...) await node.inline_styles()`: called only when the element has it.
    const guard =
      node.type === 'IfStatement' || node.type === 'ConditionalExpression'
        ? node.test
        : node.type === 'LogicalExpression' && node.operator === '&&'
          ? node.left
          : null;
    if (guard && conjuncts(guard).some((part) => sourceCode.getText(skipTypeWrappers(part)) === text)) tested = true;
    return undefined;
  });
  return tested;
}

/** `a && b && c` is [a, b, c]. */
function conjuncts(test: Node): Node[] {
  return test.type === 'LogicalExpression' && test.operator === '&&'
    ? [...conjuncts(test.left), ...conjuncts(test.right)]
    : [test];
}

/** Whether the awaited `call`, in a loop whose per-iteration values are `elements`, runs code read from the element. */
export function runsCodeOfEachElement(
  call: TSESTree.CallExpression,
  elements: ReadonlySet<Variable>,
  loopBody: Node,
  sourceCode: SourceCode,
  file: string | undefined,
): boolean {
  if (elements.size === 0) return false;
  const callee = unwrapCallee(call);
  if (isReadFromElement(callee, elements, sourceCode, functionAliases(loopBody, elements, sourceCode))) return true;
  if (callsMemberTestedAsFunction(callee, elements, loopBody, sourceCode)) return true;
  if (callsOptionalMemberOfElement(call, elements, sourceCode)) return true;
  const target = file === undefined ? null : resolveLocalFunction(call, sourceCode, file);
  if (!target || target.sourceCode !== sourceCode || isFunctionNode(call.parent as Node)) return false;
  const received = parametersReceiving(target.fn, call, elements, sourceCode);
  return received.size > 0 && callsFunctionReadFrom(target.fn, received, sourceCode);
}
