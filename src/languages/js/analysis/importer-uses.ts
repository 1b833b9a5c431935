/**
 * How a package uses a function its files export: what every file that imports it does with it.
 * Some facts about a function hold only when each use in its package is a certain kind of call:
 * an export called only in `configureServer` hooks runs only in the dev server (dev-server.ts);
 * a factory whose every call keeps what it makes in a `const` and awaits its calls makes a
 * function that runs within its caller's run (made-functions.ts); an async function whose every
 * call drops its promise keeps no one waiting (unwaited-functions.ts). They all walk the same
 * importers, through the same re-exports, and give up at the same uses they cannot follow; only
 * what a call counts as differs. So one walk of an importer records every call it makes of an
 * import with the kinds it is of, and serves them all.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, importedName } from './ast.js';
import { innermostFunction } from './async-context.js';
import { runsInDevServerHook } from './dev-server-hooks.js';
import { mayBeImportedByAlias } from './path-aliases.js';
import { projectOf, type FactKind, type IndexedModule, type ProjectFacts } from './project.js';
import { declaredVariables } from './scope.js';
import { isCallNobodyWaitsFor } from './unwaited-calls.js';

/**
 * `const made = factory(...)` in a function, and every later use of `made` is a call in that same
 * function that it awaits (`await made(x)`): the made function runs while its caller waits, as
 * part of the caller's run (the factory's call is where that run's context is asked).
 */
export function awaitsWhatItMakes(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const declarator = call.parent;
  if (declarator?.type !== 'VariableDeclarator' || declarator.init !== call || declarator.id.type !== 'Identifier')
    return false;
  if ((declarator.parent as TSESTree.VariableDeclaration | undefined)?.kind !== 'const') return false;
  // Made and called in one run of one function: the made function runs while that function does.
  const caller = innermostFunction(declarator);
  if (!caller) return false;
  const variable = declaredVariables(sourceCode, declarator)[0];
  const uses = (variable?.references ?? []).filter((reference) => !reference.init);
  if (uses.length === 0) return false;
  return uses.every((reference) => {
    const identifier = reference.identifier as Node;
    const made = identifier.parent;
    return (
      innermostFunction(identifier) === caller &&
      made?.type === 'CallExpression' &&
      made.callee === identifier &&
      made.parent?.type === 'AwaitExpression'
    );
  });
}

/** The kinds of call the questions above count, each told by a small test of the call. */
const CALL_KINDS = {
  'in-dev-server-hook': (call: TSESTree.CallExpression) => runsInDevServerHook(call),
  'awaits-what-it-makes': awaitsWhatItMakes,
  'nobody-waits': (call: TSESTree.CallExpression, sourceCode: SourceCode) => isCallNobodyWaitsFor(call, sourceCode),
} satisfies Record<string, (call: TSESTree.CallExpression, sourceCode: SourceCode) => boolean>;

export type CallKind = keyof typeof CALL_KINDS;

/** What an importing file does with one export of another file. */
interface ImporterUse {
  /** Its calls (`f(...)`), and how many of them are of each kind. */
  calls: number;
  callsOfKind: Partial<Record<CallKind, number>>;
  /** A use other than a call or a re-export: read as a value, handed on, the whole module taken. */
  other: boolean;
  /** The names the importer exports it under in turn. */
  reexportedAs: string[];
}

/**
 * Per importing file, keyed `<imported file>\0<export name>` (`*` for the whole module: a
 * namespace import, `export *`, `require` or an `import()` whose names are not all taken at once,
 * which count as other uses): what it does
 * with each export it imports by a relative specifier.
 */
const importerUsesKind: FactKind<ImporterUse> = {
  id: 'importer-uses',
  compute: importerUsesOf,
  onlyWhenAsked: true,
};

function importerUsesOf(module: IndexedModule): Map<string, ImporterUse> {
  const found = new Map<string, ImporterUse>();
  const { sourceCode, file } = module;
  const project = projectOf(sourceCode);
  const usesOf = (target: string, name: string) => {
    const key = `${target}\0${name}`;
    let uses = found.get(key);
    if (!uses) found.set(key, (uses = { calls: 0, callsOfKind: {}, other: false, reexportedAs: [] }));
    return uses;
  };
  for (const statement of sourceCode.ast.body) {
    const source = 'source' in statement && statement.source ? String(statement.source.value) : null;
    const target = source === null ? null : project.resolveModule(file, source);
    if (!target) continue;
    if (statement.type === 'ExportAllDeclaration') usesOf(target, '*').other = true;
    if (statement.type === 'ExportNamedDeclaration')
      for (const specifier of statement.specifiers)
        usesOf(target, nameOf(specifier.local)).reexportedAs.push(nameOf(specifier.exported));
    if (statement.type !== 'ImportDeclaration' || statement.importKind === 'type') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier') {
        usesOf(target, '*').other = true;
        continue;
      }
      if (specifier.type === 'ImportSpecifier' && specifier.importKind === 'type') continue;
      const uses = usesOf(target, importedName(specifier));
      for (const reference of declaredVariables(sourceCode, specifier)[0]?.references ?? [])
        noteUse(uses, reference.identifier as Node, sourceCode);
    }
  }
  // `require('./x')` and `import('./x')` hand out the whole module.
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    const specifier =
      node.type === 'ImportExpression'
        ? node.source
        : node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require'
          ? node.arguments[0]
          : undefined;
    if (specifier?.type === 'Literal' && typeof specifier.value === 'string') {
      const target = project.resolveModule(file, specifier.value);
      if (!target) return undefined;
      const taken = node.type === 'ImportExpression' ? namesTakenFromImport(node) : null;
      if (!taken) usesOf(target, '*').other = true;
      else
        for (const variable of declaredVariables(sourceCode, taken.declarator)) {
          const uses = usesOf(target, taken.names.get(variable.name)!);
          for (const reference of variable.references)
            if (!reference.init) noteUse(uses, reference.identifier as Node, sourceCode);
        }
    }
    return undefined;
  });
  return found;
}

/**
 * `const { optimizeDeps } = await import('./optimizer')`: the names taken out of the module
 * (keyed by the local name), when the pattern takes plain names and nothing else; null when
 * the module object itself goes further (`const m = await import(...)`, a rest element).
 */
function namesTakenFromImport(
  node: TSESTree.ImportExpression,
): { declarator: TSESTree.VariableDeclarator; names: Map<string, string> } | null {
  const awaited = node.parent;
  const declarator = awaited?.type === 'AwaitExpression' ? awaited.parent : null;
  if (declarator?.type !== 'VariableDeclarator' || declarator.init !== awaited) return null;
  if (declarator.id.type !== 'ObjectPattern') return null;
  const names = new Map<string, string>();
  for (const property of declarator.id.properties) {
    if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier') return null;
    if (property.value.type !== 'Identifier') return null;
    names.set(property.value.name, property.key.name);
  }
  return { declarator, names };
}

/** One reference to an imported binding: a call (of which kinds), a re-export, or another use. */
function noteUse(uses: ImporterUse, identifier: Node, sourceCode: SourceCode): void {
  const parent = identifier.parent;
  if (parent?.type === 'CallExpression' && parent.callee === identifier) {
    uses.calls++;
    for (const [kind, isOfKind] of Object.entries(CALL_KINDS) as [CallKind, typeof awaitsWhatItMakes][])
      if (isOfKind(parent, sourceCode)) uses.callsOfKind[kind] = (uses.callsOfKind[kind] ?? 0) + 1;
  } else if (parent?.type === 'ExportSpecifier' && parent.local === identifier)
    uses.reexportedAs.push(nameOf(parent.exported));
  else uses.other = true;
}

const nameOf = (node: TSESTree.Identifier | TSESTree.StringLiteral) =>
  node.type === 'Identifier' ? node.name : String(node.value);

/** How many files of re-exports (`export { createViteLoader } from './vite.js'`) are followed. */
const MAX_REEXPORT_HOPS = 3;

/**
 * The calls of `kind` the package makes of the exports `names` of `file`, when each use of them
 * is such a call: every importer (outside the tests) calls them so, or re-exports them from a
 * file of which the same holds. Null when some use is another (a call of another kind, a read as
 * a value, the whole module taken), or when the package may have callers not seen here: `file`,
 * or a file on the way, is an entry point of the package (the callers of an entry's exports are
 * unknown), or may be imported by a tsconfig alias or a subpath import (`#core/x`), not by a
 * relative specifier.
 */
export function callsOfExports(
  project: ProjectFacts,
  file: string,
  names: readonly string[],
  kind: CallKind,
  hops = 0,
): number | null {
  const facts = project.packageFacts(file);
  if (!facts || facts.entryFiles.has(path.relative(facts.directory, file).split(path.sep).join('/'))) return null;
  if (mayBeImportedByAlias(project, file, facts.directory)) return null;
  let calls = 0;
  for (const importer of project.importersOf(file)) {
    const uses = project.exportFacts(importer, importerUsesKind);
    if (!uses || uses.get(`${file}\0*`)?.other) return null;
    for (const name of names) {
      const use = uses.get(`${file}\0${name}`);
      if (!use) continue;
      const ofKind = use.callsOfKind[kind] ?? 0;
      if (use.other || ofKind < use.calls) return null;
      calls += ofKind;
      if (use.reexportedAs.length === 0) continue;
      if (hops + 1 >= MAX_REEXPORT_HOPS) return null;
      const further = callsOfExports(project, importer, use.reexportedAs, kind, hops + 1);
      if (further === null) return null;
      calls += further;
    }
  }
  return calls;
}
