/**
 * Functions a factory makes for its own callers to wait on. A returned function
 * (`return async (req, res) => ...`) is taken for a handler made to run per event: a middleware
 * factory's. When every call of the factory in its package keeps the made function in a `const`
 * and only calls it, awaiting each call (`const resolve = createResolver(env)`, then
 * `await resolve(id)` in a loop), the made function runs inside its caller's run, once per
 * call the caller waits for, not whenever an event fires. Vite's optimizer makes its
 * `optimizeDeps.include` resolver so.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { functionHolder, importedName, type FunctionNode } from './ast.js';
import { innermostFunction } from './async-context.js';
import { projectOf, type FactKind, type IndexedModule } from './project.js';
import { declaredVariables } from './scope.js';

/** The function that returns `fn` (`return async () => ...`, or an arrow whose body it is), or null. */
export function makerOf(fn: Node): FunctionNode | null {
  const parent = fn.parent;
  if (parent?.type === 'ReturnStatement') return innermostFunction(parent);
  if (parent?.type === 'ArrowFunctionExpression' && parent.body === fn) return parent;
  return null;
}

/** How a call of a factory uses what it makes. */
type Use = 'awaited-calls' | 'other';

/**
 * `const made = factory(...)` in a function, and every later use of `made` is a call in that same
 * function that it awaits (`await made(x)`): the made function runs while its caller waits, as
 * part of the caller's run (the factory's call is where that run's context is asked).
 */
function useOfMade(call: TSESTree.CallExpression, sourceCode: SourceCode): Use {
  const declarator = call.parent;
  if (declarator?.type !== 'VariableDeclarator' || declarator.init !== call || declarator.id.type !== 'Identifier')
    return 'other';
  if ((declarator.parent as TSESTree.VariableDeclaration | undefined)?.kind !== 'const') return 'other';
  // Made and called in one run of one function: the made function runs while that function does.
  const caller = innermostFunction(declarator);
  if (!caller) return 'other';
  const variable = declaredVariables(sourceCode, declarator)[0];
  const uses = (variable?.references ?? []).filter((reference) => !reference.init);
  if (uses.length === 0) return 'other';
  for (const reference of uses) {
    const identifier = reference.identifier as Node;
    if (innermostFunction(identifier) !== caller) return 'other';
    const made = identifier.parent;
    if (made?.type !== 'CallExpression' || made.callee !== identifier) return 'other';
    if (made.parent?.type !== 'AwaitExpression') return 'other';
  }
  return 'awaited-calls';
}

/**
 * Per importing file: how it uses each function it imports by a relative specifier and calls,
 * keyed `<imported file>\0<export name>`. A re-export (`export { f } from`, `export * from`) hands
 * the function to callers the package does not show: `other`, keyed `*` for `export *`.
 */
const madeFunctionUses: FactKind<Use> = {
  id: 'made-function-uses',
  onlyWhenAsked: true,
  compute: usesIn,
};

function usesIn(module: IndexedModule): Map<string, Use> {
  const found = new Map<string, Use>();
  const { sourceCode, file } = module;
  const project = projectOf(sourceCode);
  const note = (key: string, use: Use) => {
    if (found.get(key) !== 'other') found.set(key, use);
  };
  for (const statement of sourceCode.ast.body) {
    if (statement.type === 'ExportAllDeclaration' || statement.type === 'ExportNamedDeclaration') {
      const target = statement.source ? project.resolveModule(file, String(statement.source.value)) : null;
      if (!target) continue;
      if (statement.type === 'ExportAllDeclaration') note(`${target}\0*`, 'other');
      else
        for (const specifier of statement.specifiers)
          if (specifier.local.type === 'Identifier') note(`${target}\0${specifier.local.name}`, 'other');
      continue;
    }
    if (statement.type !== 'ImportDeclaration' || statement.importKind === 'type') continue;
    const target = project.resolveModule(file, String(statement.source.value));
    if (!target) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type !== 'ImportSpecifier' && specifier.type !== 'ImportDefaultSpecifier') continue;
      const imported = importedName(specifier);
      for (const reference of declaredVariables(sourceCode, specifier)[0]?.references ?? []) {
        const identifier = reference.identifier as Node;
        const call = identifier.parent;
        const use =
          call?.type === 'CallExpression' && call.callee === identifier ? useOfMade(call, sourceCode) : 'other';
        note(`${target}\0${imported}`, use);
      }
    }
  }
  return found;
}

const answers = new WeakMap<Node, boolean>();

/**
 * Whether every call of `fn`'s maker in its package awaits what it makes (see the file comment):
 * in this file, and, when the maker is exported (`exportNames`), in every file that imports it.
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
    if (useOfMade(call, sourceCode) !== 'awaited-calls') return false;
    calls++;
  }
  const names = exportNames(maker);
  if (names.length > 0) {
    const project = projectOf(sourceCode);
    // A file the manifest exports has callers outside the package.
    const facts = project.packageFacts(filename);
    if (!facts || facts.entryFiles.has(path.relative(facts.directory, filename).split(path.sep).join('/')))
      return false;
    for (const importer of project.importersOf(filename)) {
      const uses = project.exportFacts(importer, madeFunctionUses);
      if (uses?.get(`${filename}\0*`) === 'other') return false;
      for (const name of names) {
        const use = uses?.get(`${filename}\0${name}`);
        if (use === 'other') return false;
        if (use === 'awaited-calls') calls++;
      }
    }
  }
  return calls > 0;
}
