/**
 * Functions the code assigns to a member path (`fetchParams.controller.resume = async () => {...}`):
 * a later call of the same path from the same root (`fetchParams.controller.resume()`, the same
 * `fetchParams` variable, or `this` of the same class) calls one of them, as a call of a local
 * function calls its declaration. What they return is what the call returns.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { callIdentity, memberIdentity } from './awaited-elsewhere.js';

interface AssignedFunction {
  root: unknown;
  /** The assigned function, or null when something else is assigned to the path. */
  fn: FunctionNode | null;
}

const assignmentsByFile = new WeakMap<object, Map<string, AssignedFunction[]>>();

function assignmentsOf(sourceCode: SourceCode): Map<string, AssignedFunction[]> {
  let found = assignmentsByFile.get(sourceCode.ast);
  if (found) return found;
  found = new Map();
  const assignments = found;
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if (node.type !== 'AssignmentExpression' || node.left.type !== 'MemberExpression') return undefined;
    const identity = memberIdentity(node.left, sourceCode);
    if (!identity || !identity.key.includes('.')) return undefined;
    const value = skipTypeWrappers(node.right);
    const fn = node.operator === '=' && isFunctionNode(value) ? value : null;
    const list = assignments.get(identity.key) ?? [];
    list.push({ root: identity.root, fn });
    assignments.set(identity.key, list);
    return undefined;
  });
  assignmentsByFile.set(sourceCode.ast, found);
  return found;
}

/**
 * The functions this file assigns to a call's member path from the same root, when it assigns
 * only functions there; null when it assigns none or something else too.
 */
export function functionsAssignedToCallee(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
): FunctionNode[] | null {
  const callee = skipTypeWrappers(call.callee) as Node;
  if (callee.type !== 'MemberExpression') return null;
  const identity = callIdentity(call, sourceCode);
  if (!identity || identity.root === null) return null;
  const same = (assignmentsOf(sourceCode).get(identity.key) ?? []).filter((each) => each.root === identity.root);
  if (same.length === 0 || same.some((each) => each.fn === null)) return null;
  return same.map((each) => each.fn!);
}
