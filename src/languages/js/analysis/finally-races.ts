/**
 * Whether a `finally` races the work of a call returned past it. `return render(state)` from a
 * `catch` with a `finally` (or from a `try` with only a `finally`) leaves the `try` at once: the
 * `finally` runs while the returned work goes on. That is a race only when the `finally` releases
 * something the work uses. What each side touches is followed through the values the call is
 * handed: the members of a handed object its callee reads, and the members a method the
 * `finally` calls on that object works on (`this.#providers`, not `this.manifest`).
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { contains, forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { innermostFunction } from './async-context.js';
import { exportedFunctionFacts, findClassMethod, resolveImportedFunction, resolveLocalFunction } from './functions.js';
import type { IndexedModule } from './project.js';
import { declaredVariables, variableOf, type Variable } from './scope.js';
import { escapedTryStatement } from './try-escapes.js';
import { exportedMethodFacts, resolveReceiverMethod } from './typed-receivers.js';

/** Names of an object's members a piece of code works on (`#private` ones with their `#`); null: the object itself escapes. */
type Members = ReadonlySet<string> | null;

/** How far a method's calls of other methods on `this` are followed. */
const MAX_METHOD_DEPTH = 3;

/** `x.name` or `x.#name` with `node` as `x`: the member's name; null for any other use of `node`. */
function memberNameOn(node: Node): string | null {
  const parent = node.parent;
  if (parent?.type !== 'MemberExpression' || parent.object !== node || parent.computed) return null;
  if (parent.property.type === 'PrivateIdentifier') return `#${parent.property.name}`;
  return parent.property.type === 'Identifier' ? parent.property.name : null;
}

/** The call that `x.name(...)` is, with `node` as `x`. */
function methodCallOn(node: Node): TSESTree.CallExpression | null {
  const member = node.parent;
  const call = member?.parent;
  return call?.type === 'CallExpression' && call.callee === member ? call : null;
}

/**
 * The members of `this` a method works on: those it reads, writes or calls, and those the methods
 * of its class it calls on `this` work on. Null when `this` itself is handed on or kept.
 */
function thisMembers(fn: FunctionNode, sourceCode: SourceCode, depth = 0): Members {
  const found = new Set<string>();
  let escapes = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (escapes) return false;
    // A nested `function` has a `this` of its own; an arrow shares the method's.
    if (isFunctionNode(node) && node.type !== 'ArrowFunctionExpression') return false;
    if (node.type !== 'ThisExpression') return undefined;
    const name = memberNameOn(node);
    if (name === null) escapes = true;
    else found.add(name);
    const method = name !== null && methodCallOn(node) ? findClassMethod(node, name) : null;
    if (method && method !== fn) {
      const inner = depth < MAX_METHOD_DEPTH ? thisMembers(method, sourceCode, depth + 1) : null;
      if (inner === null) escapes = true;
      else for (const each of inner) found.add(each);
    }
    return undefined;
  });
  return escapes ? null : found;
}

const NO_CONFIG = {};

/** Per exported class of a file, `Class.method`: the members of `this` the method works on. */
const thisMembersKind = exportedMethodFacts(
  'this-members',
  () => '',
  (fn, module: IndexedModule) => thisMembers(fn, module.sourceCode),
)(NO_CONFIG);

/**
 * What a method call on an object (`state.finalizeAll()`) works on: the members of `this` the
 * method the object's declared class defines works on. `'field'` when that class (of another
 * file) defines no such method: the member holds a function handed in from outside, and the call
 * works on that member. Null when the method is unknown.
 */
function calledMethodMembers(call: TSESTree.CallExpression, sourceCode: SourceCode, file: string): Members | 'field' {
  const method = resolveReceiverMethod(call, sourceCode, file);
  if (method?.kind === 'local') return thisMembers(method.fn, sourceCode);
  if (method?.kind !== 'imported') return null;
  const facts = method.project.exportFacts(method.file, thisMembersKind);
  if (!facts) return null;
  return facts.has(method.key) ? facts.get(method.key)! : 'field';
}

/**
 * The members of a parameter's object a function works on: `state.manifest`, a function a field
 * of it holds (`state.renderError(...)`), a method of its declared class (what that method works
 * on). Null when the parameter is used in any other way (handed on, returned, destructured).
 */
function parameterMembers(fn: FunctionNode, index: number, sourceCode: SourceCode, file: string): Members {
  let param: Node | undefined = callParameters(fn)[index];
  if (param?.type === 'AssignmentPattern') param = param.left;
  if (param?.type !== 'Identifier') return null;
  const name = param.name;
  const variable = declaredVariables(sourceCode, fn).find((each) => each.name === name);
  if (!variable) return null;
  const found = new Set<string>();
  for (const reference of variable.references) {
    const member = memberNameOn(reference.identifier);
    if (member === null) return null;
    found.add(member);
    const call = methodCallOn(reference.identifier);
    if (!call) continue;
    const members = calledMethodMembers(call, sourceCode, file);
    if (members === null) return null;
    if (members !== 'field') for (const each of members) found.add(each);
  }
  return found;
}

/** A function's parameters as a call's arguments fill them: TypeScript's `this: T` is none of them. */
function callParameters(fn: FunctionNode): readonly TSESTree.Parameter[] {
  const first = fn.params[0];
  return first?.type === 'Identifier' && first.name === 'this' ? fn.params.slice(1) : fn.params;
}

/** Per exported function of a file: for each parameter, the members of its object the function works on. */
const parameterMembersKind = exportedFunctionFacts(
  'parameter-members',
  () => '',
  (fn, _name, module: IndexedModule) =>
    callParameters(fn).map((_, index) => parameterMembers(fn, index, module.sourceCode, module.file)),
)(NO_CONFIG);

/**
 * For each parameter of the function a call calls (by a plain name: one of this file declared
 * outside every function, or one imported from another), the members of its object the function
 * works on. Null when the function is not known, or may see this function's variables.
 */
function calleeParameterMembers(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
): readonly Members[] | null {
  if (skipTypeWrappers(call.callee).type !== 'Identifier') return null;
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (imported)
    return imported.project.exportFacts(imported.file, parameterMembersKind)?.get(imported.exportName) ?? null;
  const local = resolveLocalFunction(call, sourceCode, file);
  if (!local || innermostFunction(local.fn) !== null) return null;
  return callParameters(local.fn).map((_, index) => parameterMembers(local.fn, index, local.sourceCode, local.file));
}

/**
 * The members of each variable's object a call's arguments hand on: for one handed whole, those
 * its callee works on; for `state.pathname`, read now, that member. Null for a variable handed in
 * any other way (inside an object, to a nested call).
 */
function handedMembers(
  call: TSESTree.CallExpression,
  parameters: readonly Members[],
  sourceCode: SourceCode,
): Map<Variable, Members> {
  const handed = new Map<Variable, Members>();
  const add = (variable: Variable, members: Members) => {
    const before = handed.get(variable);
    if (before === null || members === null) return handed.set(variable, null);
    handed.set(variable, new Set([...(before ?? []), ...members]));
  };
  call.arguments.forEach((argument, index) => {
    forEachDescendant(argument, sourceCode.visitorKeys, (node) => {
      if (node.type !== 'Identifier') return undefined;
      const variable = variableOf(sourceCode, node);
      if (!variable) return undefined;
      const member = memberNameOn(node);
      if (skipTypeWrappers(argument) === node) add(variable, parameters[index] ?? null);
      else add(variable, member === null ? null : new Set([member]));
      return undefined;
    });
  });
  return handed;
}

/**
 * The members of each variable's object a `finally` works on: `state.logger.error(...)` works on
 * `logger`, `state.finalizeAll()` on what that method works on. Its own variables aside, and a
 * local variable it only assigns (`failure = error`). Null when the `finally` does anything else
 * with a variable of the function (hands it on, calls it), uses `this`, or works on a variable
 * from outside the function (which the call's work may reach without being handed it).
 */
function finallyMembers(
  finalizer: TSESTree.BlockStatement,
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
): Map<Variable, ReadonlySet<string>> | null {
  const touched = new Map<Variable, Set<string>>();
  let unknown = false;
  forEachDescendant(finalizer, sourceCode.visitorKeys, (node) => {
    if (unknown) return false;
    if (node.type === 'ThisExpression') unknown = true;
    if (node.type !== 'Identifier') return !unknown;
    const variable = variableOf(sourceCode, node);
    // Globals (`String(error)`, `console.error(...)`) are built-ins, taken to touch no value of the project.
    if (!variable || variable.identifiers.includes(node)) return undefined;
    const declaration = variable.identifiers[0];
    if (declaration && contains(finalizer, declaration)) return undefined;
    if (!declaration || !contains(fn, declaration)) return !(unknown = true);
    const parent = node.parent;
    if (parent?.type === 'AssignmentExpression' && parent.left === node) return undefined;
    const member = memberNameOn(node);
    if (member === null) return !(unknown = true);
    const members = touched.get(variable) ?? new Set<string>();
    touched.set(variable, members.add(member));
    const call = methodCallOn(node);
    if (call) {
      const called = calledMethodMembers(call, sourceCode, file);
      // A function a field holds, or a method not known: what it releases cannot be told.
      if (called === null || called === 'field') unknown = true;
      else for (const each of called) members.add(each);
    }
    return !unknown;
  });
  return unknown ? null : touched;
}

/**
 * Whether a call returned past a `finally` alone (from a `catch` that has one, or from a `try`
 * with no `catch`) works on nothing the `finally` works on: every variable the `finally` works on
 * is handed to the call, and the members of its object the two work on are apart
 * (`return renderError(state, ...)`, whose function reads `state.manifest`, before
 * `finally { await state.finalizeAll() }`, which works on `this.#providers`). The `finally` then
 * cannot pull anything from under the work, and running it first changes nothing.
 */
export function finallyLeavesReturnedCallAlone(
  call: TSESTree.CallExpression,
  statement: TSESTree.ReturnStatement,
  sourceCode: SourceCode,
  file: string,
): boolean {
  const escaped = escapedTryStatement(statement);
  const finalizer = escaped?.statement.finalizer;
  const fn = innermostFunction(statement);
  if (!escaped || !finalizer || !fn || (escaped.fromBlock && escaped.statement.handler)) return false;
  const touched = finallyMembers(finalizer, fn, sourceCode, file);
  if (!touched) return false;
  const parameters = calleeParameterMembers(call, sourceCode, file);
  if (!parameters) return false;
  const handed = handedMembers(call, parameters, sourceCode);
  for (const [variable, members] of touched) {
    const used = handed.get(variable);
    if (!used) return false;
    for (const member of members) if (used.has(member)) return false;
  }
  return true;
}
