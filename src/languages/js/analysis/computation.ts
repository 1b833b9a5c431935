/**
 * Awaits that wait for a computation over data in memory, not for I/O: WebCrypto
 * (`crypto.subtle.digest(...)`, `subtle.sign(...)`), directly or through an async function of
 * this project that awaits nothing else. Such an await costs the computation's CPU time, a few
 * microseconds on the small inputs code hashes or signs; starting several at once overlaps no
 * wait, so perf rules do not ask for it.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import {
  forEachDescendant,
  isFunctionNode,
  skipTypeWrappers,
  skipWrappersAndChains,
  type FunctionNode,
} from './ast.js';
import { exportedFunctionFacts, resolveImportedFunction, resolveLocalFunction } from './functions.js';
import { resolveModuleBinding } from './imports.js';
import { MemoTable } from './memo.js';
import { projectOf } from './project.js';
import { isGlobalReference, variableOf } from './scope.js';

/** How many helpers deep a computation is followed (each file's exports count as one step). */
const HELPER_DEPTH = 3;
const ALIAS_DEPTH = 4;

/** The initialiser of a `const` binding, or null. */
function constInit(identifier: TSESTree.Identifier, sourceCode: SourceCode): Node | null {
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (definition?.type !== 'Variable' || (definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const')
    return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  return init ? skipTypeWrappers(init) : null;
}

/** `crypto` (the global), `globalThis.crypto`, `webcrypto` from `node:crypto`, or a `const` alias of one. */
function isWebCrypto(node: Node, sourceCode: SourceCode, depth = ALIAS_DEPTH): boolean {
  const expression = skipTypeWrappers(node);
  if (depth < 0) return false;
  if (expression.type === 'LogicalExpression' && (expression.operator === '||' || expression.operator === '??')) {
    return isWebCrypto(expression.left, sourceCode, depth - 1) && isWebCrypto(expression.right, sourceCode, depth - 1);
  }
  const binding = resolveModuleBinding(sourceCode, expression);
  if (binding) return binding.module === 'crypto' && binding.path.length === 1 && binding.path[0] === 'webcrypto';
  if (expression.type === 'Identifier') {
    if (expression.name === 'crypto' && isGlobalReference(sourceCode, expression)) return true;
    const init = constInit(expression, sourceCode);
    return init !== null && isWebCrypto(init, sourceCode, depth - 1);
  }
  if (
    expression.type === 'MemberExpression' &&
    !expression.computed &&
    expression.property.type === 'Identifier' &&
    expression.property.name === 'crypto'
  ) {
    const object = expression.object;
    return (
      object.type === 'Identifier' &&
      (object.name === 'globalThis' || object.name === 'self' || object.name === 'window') &&
      isGlobalReference(sourceCode, object)
    );
  }
  return false;
}

/** `crypto.subtle`, or a `const subtle = webCrypto.subtle` alias of it. */
function isSubtleCrypto(node: Node, sourceCode: SourceCode, depth = ALIAS_DEPTH): boolean {
  const expression = skipTypeWrappers(node);
  if (depth < 0) return false;
  if (
    expression.type === 'MemberExpression' &&
    !expression.computed &&
    expression.property.type === 'Identifier' &&
    expression.property.name === 'subtle'
  ) {
    return isWebCrypto(expression.object, sourceCode);
  }
  if (expression.type === 'Identifier') {
    const init = constInit(expression, sourceCode);
    return init !== null && isSubtleCrypto(init, sourceCode, depth - 1);
  }
  return false;
}

const computationKind = exportedFunctionFacts(
  'awaits-only-computation',
  () => 'webcrypto',
  (fn, _exportName, module) => functionAwaitsOnlyComputation(fn, module.sourceCode, module.file, HELPER_DEPTH - 1),
)({});

/** Whether a call starts a computation over data in memory and nothing else (see the file comment). */
export function isComputationCall(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string | undefined,
  depth = HELPER_DEPTH,
): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type === 'MemberExpression' && isSubtleCrypto(callee.object, sourceCode)) return true;
  if (depth <= 0 || file === undefined) return false;
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local) return functionAwaitsOnlyComputation(local.fn, local.sourceCode, local.file, depth - 1);
  const imported = resolveImportedFunction(call, sourceCode, file);
  return (
    imported !== null && imported.project.exportFacts(imported.file, computationKind)?.get(imported.exportName) === true
  );
}

/** Whether an awaited expression waits only for a computation: `await subtle.digest(...)`, `await sha256(text)`. */
export function awaitsOnlyComputation(
  awaited: Node,
  sourceCode: SourceCode,
  file: string | undefined,
  depth = HELPER_DEPTH,
): boolean {
  const expression = skipWrappersAndChains(awaited);
  return expression.type === 'CallExpression' && isComputationCall(expression, sourceCode, file, depth);
}

/** Built-ins that never return a promise: what a helper returns after hashing (`Buffer.from(hash).toString('hex')`). */
const VALUE_BUILTINS = new Set([
  'Array',
  'ArrayBuffer',
  'Buffer',
  'DataView',
  'JSON',
  'Math',
  'Number',
  'Object',
  'String',
  'TextDecoder',
  'TextEncoder',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'atob',
  'btoa',
  'encodeURIComponent',
]);

/** A call on a chain rooted at a value built-in: `Buffer.from(bytes).toString('base64')`, `new TextEncoder().encode(s)`. */
function isBuiltinValueCall(node: Node, sourceCode: SourceCode): boolean {
  let current = skipTypeWrappers(node);
  for (;;) {
    if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'CallExpression' || current.type === 'NewExpression')
      current = skipTypeWrappers(current.callee);
    else if (current.type === 'MemberExpression') current = skipTypeWrappers(current.object);
    else break;
  }
  return current.type === 'Identifier' && VALUE_BUILTINS.has(current.name) && isGlobalReference(sourceCode, current);
}

const answers = new MemoTable<FunctionNode, boolean>();
/** The memo's policy: what the answer depends on is the code alone (no options). */
const NO_OPTIONS = {};

/**
 * An async function whose every await, and every call it returns, is a computation; a sync one
 * that returns such a call (`const sha256 = (text) => subtle.digest('SHA-256', text)`). At least
 * one computation, so a function that returns a promise it got elsewhere does not count.
 */
function functionAwaitsOnlyComputation(fn: FunctionNode, sourceCode: SourceCode, file: string, depth: number): boolean {
  // A recursive helper is not followed into itself: it is not known to be only a computation.
  const memo = answers.for(NO_OPTIONS, projectOf(sourceCode).memoScope());
  return memo.answer(fn, () => computeAnswer(fn, sourceCode, file, depth), false);
}

function computeAnswer(fn: FunctionNode, sourceCode: SourceCode, file: string, depth: number): boolean {
  if (!fn.body || fn.generator) return false;
  const isComputation = (node: Node) => awaitsOnlyComputation(node, sourceCode, file, depth);
  let computations = 0;
  let other = false;
  const returned = (value: Node) => {
    const expression = skipTypeWrappers(value);
    if (expression.type === 'AwaitExpression') return;
    if (expression.type !== 'CallExpression' && expression.type !== 'ChainExpression') return;
    if (isComputation(expression)) computations++;
    else if (isBuiltinValueCall(expression, sourceCode)) return;
    else other = true;
  };
  if (fn.body.type !== 'BlockStatement') returned(fn.body);
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (other || (node !== fn.body && isFunctionNode(node))) return false;
    // `await pending`: a promise started elsewhere, which may be any kind of work.
    if (node.type === 'AwaitExpression') {
      if (isComputation(node.argument)) computations++;
      else other = true;
    } else if (node.type === 'ReturnStatement' && node.argument) returned(node.argument);
    return undefined;
  });
  return !other && computations > 0;
}
