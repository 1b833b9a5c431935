/**
 * What an async `new Promise` executor loses. The constructor turns an exception its executor
 * throws into the rejection of the promise it makes; an async executor never throws, it returns
 * a rejected promise of its own that nothing handles, so every exception it raises, before its
 * first `await` as after, is lost and the promise being made never settles.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { awaitsNothing } from './async-context.js';
import { LISTENER_METHODS } from './callback-callers.js';
import { calledMethodName } from './members.js';
import { functionNeverRejects, type PromiseKnowledge } from './promises.js';
import { isGlobalReference } from './scope.js';

/** What an async executor may lose: nothing, a synchronous exception (it awaits nothing), or a rejection after an await. */
export type ExecutorLoss = 'nothing' | 'syncThrow' | 'rejection';

/**
 * Calls that cannot throw here: the executor's own `resolve` and `reject`, and registering a
 * function as a listener (`stream.on('end', () => ...)`), which throws only for a listener that
 * is not a function.
 */
function cannotThrow(call: TSESTree.CallExpression, executor: FunctionNode): boolean {
  const callee = skipTypeWrappers(call.callee);
  const isSettler = (node: Node) =>
    node.type === 'Identifier' &&
    executor.params.some((param) => param.type === 'Identifier' && param.name === node.name);
  // A function written here, or the executor's `resolve` / `reject`.
  const handsFunction = (index: number) => {
    const argument = call.arguments[index];
    const value = argument && skipTypeWrappers(argument);
    return value !== undefined && (isFunctionNode(value) || isSettler(value));
  };
  if (isSettler(callee)) return true;
  const method = calledMethodName(call);
  return method !== null && LISTENER_METHODS.has(method) && handsFunction(1);
}

/**
 * `new Error(message)`, `Buffer.alloc(0)`, `console.log(x)`: a global constructor or a function of
 * a global object, taken not to throw, as calls are elsewhere. The project's own code and its
 * packages' may (a constructor that validates its options).
 */
function callsBuiltIn(node: TSESTree.CallExpression | TSESTree.NewExpression, sourceCode: SourceCode): boolean {
  let root: Node = skipTypeWrappers(node.callee);
  while (root.type === 'MemberExpression' && !root.computed) root = skipTypeWrappers(root.object);
  return root.type === 'Identifier' && isGlobalReference(sourceCode, root);
}

/**
 * Whether the executor's own code (nested functions aside) may throw: a `throw`, or a call or
 * `new` of the project's code or a package's. Elsewhere the analysis takes sync calls not to throw,
 * since a sync exception there reaches the caller as usual; here it is exactly what `async` loses.
 */
function mayThrowSynchronously(executor: FunctionNode, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(executor.body, sourceCode.visitorKeys, (node: Node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === 'ThrowStatement') found = true;
    if (node.type === 'NewExpression' && !callsBuiltIn(node, sourceCode)) found = true;
    const call = node.type === 'CallExpression' ? node : null;
    if (call && !callsBuiltIn(call, sourceCode) && !cannotThrow(call, executor)) found = true;
    return !found;
  });
  return found;
}

/**
 * What an async executor may lose. One that awaits nothing loses its synchronous exceptions, if
 * its code can throw; one that awaits loses the failures no `catch` (that calls `reject`) guards,
 * unless what it awaits cannot reject (see `functionNeverRejects`).
 */
export function executorLoss(
  executor: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): ExecutorLoss {
  if (awaitsNothing(executor, sourceCode.visitorKeys))
    return mayThrowSynchronously(executor, sourceCode) ? 'syncThrow' : 'nothing';
  return functionNeverRejects(executor, sourceCode, file, knowledge) ? 'nothing' : 'rejection';
}
