/**
 * Async functions nobody waits for. When every call of an async function in its package drops
 * the promise (unwaited-calls.ts: `f();`, `void f();`, a timer's callback returning `f()`), the
 * time its body takes holds up no caller: a cleanup fired in the background
 * (`setTimeout(() => cleanupDepsCacheStaleDirs(config), 0).unref()` in vite) may take as long as
 * it likes. Calls are looked for in the function's own file and, for an exported function, in
 * every importer (importer-uses.ts), which gives up where callers may be hidden: an entry point of
 * the package, a namespace import, an alias. A private method (`#m`, `private m`) is looked for
 * in its class, the only place that can name it. With no call seen, a caller may be anywhere.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, type FunctionNode } from './ast.js';
import { innermostFunction } from './async-context.js';
import { callsOfExports } from './importer-uses.js';
import { exportedDefinitions, projectOf } from './project.js';
import { declaredVariables } from './scope.js';
import { isCallNobodyWaitsFor } from './unwaited-calls.js';

const answers = new WeakMap<Node, boolean>();

/** Whether `loop` sits in the body of an async function that nobody waits for (below). */
export function nobodyWaitsForLoop(loop: Node, sourceCode: SourceCode, filename: string | undefined): boolean {
  const fn = innermostFunction(loop);
  return fn !== null && nobodyWaitsFor(fn, sourceCode, filename);
}

/** Whether `fn` is an async function every call of which in its package drops its promise. */
export function nobodyWaitsFor(fn: FunctionNode, sourceCode: SourceCode, filename: string | undefined): boolean {
  let answer = answers.get(fn);
  if (answer === undefined) answers.set(fn, (answer = computeNobodyWaitsFor(fn, sourceCode, filename)));
  return answer;
}

function computeNobodyWaitsFor(fn: FunctionNode, sourceCode: SourceCode, filename: string | undefined): boolean {
  // An async generator's calls make iterators: a dropped one runs nothing.
  if (!fn.async || fn.generator) return false;
  const method = privateMethodOf(fn);
  if (method) {
    const calls = callsOfPrivateMethod(method, sourceCode);
    return calls !== null && calls > 0;
  }
  const holder = holderOf(fn);
  if (!holder) return false;
  let calls = 0;
  for (const reference of declaredVariables(sourceCode, holder)[0]?.references ?? []) {
    if (reference.init || !reference.isValueReference) continue;
    const identifier = reference.identifier as Node;
    // `export { f }`, `export default f`: importers are asked below, by the names it is exported as.
    const parent = identifier.parent;
    if (parent?.type === 'ExportSpecifier' || parent?.type === 'ExportDefaultDeclaration') continue;
    if (parent?.type !== 'CallExpression' || parent.callee !== identifier) return false;
    if (!isCallNobodyWaitsFor(parent, sourceCode)) return false;
    calls++;
  }
  const names = [...exportedDefinitions(sourceCode.ast)].filter(([, definition]) => definition === fn);
  if (names.length === 0) return calls > 0;
  if (filename === undefined) return false;
  const elsewhere = callsOfExports(
    projectOf(sourceCode),
    filename,
    names.map(([name]) => name),
    'nobody-waits',
  );
  return elsewhere !== null && calls + elsewhere > 0;
}

/** `function f() {}` or the `const f = async () => ...` declarator, which declare its name. */
function holderOf(fn: FunctionNode): Node | null {
  if (fn.type === 'FunctionDeclaration') return fn.id ? fn : null;
  const parent = fn.parent;
  return parent?.type === 'VariableDeclarator' && parent.init === fn && parent.id.type === 'Identifier' ? parent : null;
}

type ClassMember = TSESTree.MethodDefinition | TSESTree.PropertyDefinition;

/** The method `fn` is the body of, when no code outside its class can name it: `#m`, or TypeScript's `private m`. */
function privateMethodOf(fn: FunctionNode): ClassMember | null {
  const member = fn.parent;
  if (member?.type !== 'MethodDefinition' && member?.type !== 'PropertyDefinition') return null;
  if (member.value !== fn || member.computed) return null;
  if (member.type === 'MethodDefinition' && member.kind !== 'method') return null;
  const isPrivate = member.key.type === 'PrivateIdentifier' || member.accessibility === 'private';
  return isPrivate && member.key.type !== 'Literal' ? member : null;
}

/**
 * The calls of a private method in its class, when every mention of its name there is such a
 * call that drops the promise; null at any other mention (`this.m().then(...)`, `cb(this.m)`,
 * `const { m } = this`).
 */
function callsOfPrivateMethod(method: ClassMember, sourceCode: SourceCode): number | null {
  const key = method.key as TSESTree.Identifier | TSESTree.PrivateIdentifier;
  const body = method.parent;
  if (!body) return null;
  let calls = 0;
  let other = false;
  forEachDescendant(body, sourceCode.visitorKeys, (node) => {
    if (other) return false;
    const name = memberName(node);
    if (name === null || name.type !== key.type || name.name !== key.name) return undefined;
    const call = node.parent;
    if (call?.type === 'CallExpression' && call.callee === node && isCallNobodyWaitsFor(call, sourceCode)) calls++;
    else other = true;
    return undefined;
  });
  return other ? null : calls;
}

/**
 * The name a member expression reads (`this.#m`, `this.m`, `this['m']`) or a pattern takes
 * (`const { m } = this`), null for other nodes.
 */
function memberName(node: Node): TSESTree.Identifier | TSESTree.PrivateIdentifier | null {
  if (node.type === 'Property' && node.parent?.type === 'ObjectPattern' && node.key.type === 'Identifier')
    return node.key;
  if (node.type !== 'MemberExpression') return null;
  if (!node.computed) return node.property as TSESTree.Identifier | TSESTree.PrivateIdentifier;
  const property = node.property;
  if (property.type === 'Literal' && typeof property.value === 'string')
    return { type: 'Identifier', name: property.value } as TSESTree.Identifier;
  return null;
}
