/**
 * Functions a factory makes for its own callers to wait on. A returned function
 * (`return async (req, res) => ...`) is taken for a handler made to run per event: a middleware
 * factory's. When every call of the factory in its package keeps the made function in a `const`
 * and only calls it, awaiting each call (`const resolve = createResolver(env)`, then
 * `await resolve(id)` in a loop), the made function runs inside its caller's run, once per
 * call the caller waits for, not whenever an event fires. Vite's optimizer makes its
 * `optimizeDeps.include` resolver so.
 */
import type { Node, SourceCode } from '../types.js';
import { functionHolder, type FunctionNode } from './ast.js';
import { innermostFunction } from './async-context.js';
import { awaitsWhatItMakes, callsOfExports } from './importer-uses.js';
import { projectOf } from './project.js';
import { declaredVariables } from './scope.js';

/** The function that returns `fn` (`return async () => ...`, or an arrow whose body it is), or null. */
export function makerOf(fn: Node): FunctionNode | null {
  const parent = fn.parent;
  if (parent?.type === 'ReturnStatement') return innermostFunction(parent);
  if (parent?.type === 'ArrowFunctionExpression' && parent.body === fn) return parent;
  return null;
}

const answers = new WeakMap<Node, boolean>();

/**
 * Whether every call of `fn`'s maker in its package awaits what it makes (see the file comment):
 * in this file, and, when the maker is exported (`exportNames`), in every file that imports it
 * (and re-exports it, importer-uses.ts).
 * At least one such call must be seen, and none that hands the made function on.
 */
export function madeForItsMakersToAwait(
  fn: Node,
  sourceCode: SourceCode,
  filename: string,
  exportNames: (maker: Node) => readonly string[],
): boolean {
  let answer = answers.get(fn);
  if (answer === undefined) answers.set(fn, (answer = computeMadeForMakers(fn, sourceCode, filename, exportNames)));
  return answer;
}

function computeMadeForMakers(
  fn: Node,
  sourceCode: SourceCode,
  filename: string,
  exportNames: (maker: Node) => readonly string[],
): boolean {
  const maker = makerOf(fn);
  const holder = maker ? functionHolder(maker) : null;
  if (!maker || !holder) return false;
  let calls = 0;
  for (const reference of declaredVariables(sourceCode, holder)[0]?.references ?? []) {
    if (reference.init) continue;
    const identifier = reference.identifier as Node;
    // `export { createResolver }` names it for importers, which are looked at below.
    if (identifier.parent?.type === 'ExportSpecifier') continue;
    const call = identifier.parent;
    if (call?.type !== 'CallExpression' || call.callee !== identifier) return false;
    if (!awaitsWhatItMakes(call, sourceCode)) return false;
    calls++;
  }
  const names = exportNames(maker);
  if (names.length === 0) return calls > 0;
  // Every importer's calls too (none may hand the made function on), when the package shows them all.
  const elsewhere = callsOfExports(projectOf(sourceCode), filename, names, 'awaits-what-it-makes');
  return elsewhere !== null && calls + elsewhere > 0;
}
