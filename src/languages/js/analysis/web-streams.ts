/**
 * Promises of the WHATWG streams API (ReadableStream, WritableStream), which Node and browsers
 * share: `readable.pipeTo(writable)` and `readable.cancel()` return promises that reject when the
 * pipe breaks or the stream errors. Node's own streams have neither method, so the call is known
 * by what it is called on: a stream the code makes (`new ReadableStream(...)`), one of the two
 * branches `tee()` returns, or a pipe into a `.writable` end (a TransformStream's or a
 * WebTransport stream's pair).
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { isGlobalReference, variableOf } from './scope.js';

function memberName(node: Node): string | null {
  return node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier'
    ? node.property.name
    : null;
}

function isGlobalNew(node: Node, name: string, sourceCode: SourceCode): boolean {
  return (
    node.type === 'NewExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === name &&
    isGlobalReference(sourceCode, node.callee)
  );
}

/** A call of `tee()` with no arguments: ReadableStream's, which returns its two branches. */
function isTeeCall(node: Node): boolean {
  const call = skipTypeWrappers(node);
  return call.type === 'CallExpression' && call.arguments.length === 0 && memberName(call.callee) === 'tee';
}

/** `new ReadableStream(...)`, or a name bound to one or to a branch of `tee()` (`const [a, b] = body.tee()`). */
function isWebReadable(node: Node, sourceCode: SourceCode): boolean {
  const expression = skipTypeWrappers(node);
  if (isGlobalNew(expression, 'ReadableStream', sourceCode)) return true;
  if (expression.type !== 'Identifier') return false;
  const variable = variableOf(sourceCode, expression);
  const definition = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || definition?.type !== 'Variable') return false;
  const declarator = definition.node as TSESTree.VariableDeclarator;
  if (declarator.parent.kind !== 'const' || !declarator.init) return false;
  if (declarator.id.type === 'ArrayPattern') return isTeeCall(declarator.init);
  return (
    declarator.id.type === 'Identifier' && isGlobalNew(skipTypeWrappers(declarator.init), 'ReadableStream', sourceCode)
  );
}

/** `readable.pipeTo(writable)` and `readable.cancel()` of a WHATWG readable stream. */
export function isWebStreamPromiseCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee);
  const method = memberName(callee);
  if (method !== 'pipeTo' && method !== 'cancel') return false;
  const receiver = (callee as TSESTree.MemberExpression).object;
  if (isWebReadable(receiver, sourceCode)) return true;
  if (method !== 'pipeTo') return false;
  const destination = call.arguments[0] ? skipTypeWrappers(call.arguments[0]) : null;
  return (
    destination !== null &&
    (memberName(destination) === 'writable' || isGlobalNew(destination, 'WritableStream', sourceCode))
  );
}
