/**
 * "Is this a promise?" as rules ask it: the checker where the file has types, the syntactic
 * knowledge of promises.ts where it has none or the checker knows nothing (`any`, an untyped library).
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { isPromiseExpression, type PromiseKnowledge } from './promises.js';
import { variableOf } from './scope.js';
import { alwaysThenable, hasTypeInformation, thenableKind } from './type-aware.js';
import { declaredToReturnPromiseOrNot } from './typed-receivers.js';

/**
 * A promise (or thenable, with `anyThenable`), an array of them, or neither. With types, the
 * checker decides and refutes syntactic guesses; without, only a promise is recognised.
 */
export function checkedPromiseKind(
  node: Node,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
  anyThenable = false,
): 'promise' | 'array' | null {
  if (hasTypeInformation(sourceCode)) {
    const kind = thenableKind(sourceCode, node, anyThenable);
    if (kind !== 'unknown') return kind;
  }
  return isPromiseExpression(node, sourceCode, file, knowledge) ? 'promise' : null;
}

/**
 * Always a promise, as a truth test sees it. The checker judges calls, `new` and `import()`, and
 * only a type whose every member is a promise counts (`Promise<T> | undefined` may be absent). A
 * read of a variable or field (`if (this.pending)`) is usually a presence check, and without
 * strictNullChecks the checker cannot see its `| undefined`; such reads get the syntactic answer
 * (a `const` initialised with a promise).
 */
export function isAlwaysPromise(
  node: Node,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const expression = skipTypeWrappers(node);
  const producesValue =
    expression.type === 'CallExpression' ||
    expression.type === 'NewExpression' ||
    expression.type === 'ImportExpression' ||
    expression.type === 'ChainExpression';
  if (producesValue && hasTypeInformation(sourceCode)) {
    const always = alwaysThenable(sourceCode, node);
    if (always !== 'unknown' && always !== null) return always;
  }
  return isPromiseExpression(node, sourceCode, file, knowledge) && !sometimesPlain(expression, sourceCode, file);
}

/**
 * A call (or a `const` holding one) of a method declared to return a promise or a plain value
 * (`send?(data): Promise<void> | void`): `if (sent)` asks which one it got.
 */
function sometimesPlain(expression: Node, sourceCode: SourceCode, file: string): boolean {
  let value: Node | null | undefined = expression;
  if (value.type === 'Identifier') {
    const definition = variableOf(sourceCode, value)?.defs[0];
    value = definition?.type === 'Variable' ? (definition.node as TSESTree.VariableDeclarator).init : null;
  }
  const call = value ? skipTypeWrappers(value) : null;
  return call?.type === 'CallExpression' && declaredToReturnPromiseOrNot(call, sourceCode, file);
}
