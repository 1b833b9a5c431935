/**
 * Positive evidence that two awaited calls in a row are independent reads, before
 * sequential-await suggests starting them together. That neither uses the other's result is
 * not enough (the first may fill a cache, a module graph or a table the second reads); the
 * code must show that the two are the same kind of lookup:
 *
 * - **one operation, two keys**: the same callee with different arguments
 *   (`getMetrics('completed')`, then `getMetrics('failed')`);
 * - **two questions about the same input**: calls whose arguments read the same variable
 *   (`this.find(entity, where)`, then `this.count(entity, where)`; `fetchUser(id)`, then
 *   `fetchOrders(id)`), directly or through a `const` computed from it;
 * - **each its own input**: methods of one receiver, each given a different parameter of the
 *   function around them (`this.path(name)`, then `this.getHash(origin)`).
 *
 * The message names the evidence's kind through `ReadPairEvidence`.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { innermostFunction } from './async-context.js';
import { calleeChain } from './callee-patterns.js';
import { variableOf, variablesReferencedIn } from './scope.js';

export type ReadPairEvidence = 'same-operation' | 'shared-inputs' | 'own-inputs';

function callOf(node: Node): TSESTree.CallExpression | null {
  const call = skipTypeWrappers(node);
  return call.type === 'CallExpression' ? call : null;
}

/**
 * The variables an argument list reads, and those the `const`s it reads were computed from
 * (`const avatarId = \`${id}-avatar\``: `avatar(avatarId)` reads `id` too).
 */
function inputsOf(call: TSESTree.CallExpression, sourceCode: SourceCode): Set<Variable> {
  const found = new Set<Variable>();
  for (const argument of call.arguments) {
    for (const variable of variablesReferencedIn(sourceCode, argument as Node)) {
      found.add(variable);
      const definition = variable.defs[0];
      const declarator = definition?.type === 'Variable' ? (definition.node as TSESTree.VariableDeclarator) : null;
      const isConst = definition?.parent?.type === 'VariableDeclaration' && definition.parent.kind === 'const';
      if (declarator?.init && isConst)
        for (const source of variablesReferencedIn(sourceCode, declarator.init)) found.add(source);
    }
  }
  return found;
}

/** The plain identifiers among the arguments (`path(name)`), when every argument is one. */
function argumentVariables(call: TSESTree.CallExpression, sourceCode: SourceCode): Variable[] | null {
  const found: Variable[] = [];
  for (const argument of call.arguments) {
    const value = skipTypeWrappers(argument as Node);
    const variable = value.type === 'Identifier' ? variableOf(sourceCode, value) : null;
    if (!variable) return null;
    found.push(variable);
  }
  return found.length > 0 ? found : null;
}

function isParameterOf(variable: Variable, fn: Node | null): boolean {
  return !!fn && variable.defs.some((definition) => definition.type === 'Parameter' && definition.node === fn);
}

/** Why two awaited operations are evidently independent reads, or null when the code does not show it. */
export function readPairEvidence(first: Node, second: Node, sourceCode: SourceCode): ReadPairEvidence | null {
  const a = callOf(first);
  const b = callOf(second);
  if (!a || !b) return null;
  const chainA = calleeChain(a.callee);
  const chainB = calleeChain(b.callee);
  if (!chainA || !chainB) return null;
  const textA = sourceCode.getText(a);
  const textB = sourceCode.getText(b);
  if (chainA.join('.') === chainB.join('.')) {
    return textA !== textB && a.arguments.length > 0 ? 'same-operation' : null;
  }
  const inputsA = inputsOf(a, sourceCode);
  if ([...inputsOf(b, sourceCode)].some((variable) => inputsA.has(variable))) return 'shared-inputs';
  // Methods of one receiver (`this`, `em`, `store.cache`), each given its own parameter.
  const receiverA = chainA.slice(0, -1).join('.');
  if (receiverA === '' || receiverA !== chainB.slice(0, -1).join('.')) return null;
  const fn = innermostFunction(first);
  const ownInput = (call: TSESTree.CallExpression) =>
    argumentVariables(call, sourceCode)?.every((variable) => isParameterOf(variable, fn)) ?? false;
  return ownInput(a) && ownInput(b) ? 'own-inputs' : null;
}
