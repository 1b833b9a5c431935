/**
 * Code that runs only in a Vite dev server, and whether its package has the process report every
 * unhandled rejection there. Vite calls a plugin's `configureServer(server)` hook only when it
 * creates a dev server (`vite dev`, `createServer()`), never in a build or a preview; what the
 * hook registers (`server.watcher.on('change', ...)`, a timer) runs while that server lives.
 * A package whose own `configureServer` hook installs `process.on('unhandledRejection', ...)`
 * (Astro shows such a rejection in the browser's error overlay) has that listener in place
 * whenever its dev server runs: its plugins are loaded together, so a rejection another hook of
 * the package leaves unhandled reaches that listener, not Node's default crash.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode } from './ast.js';
import { calledMethodName } from './members.js';
import {
  exportedDefinitions,
  projectOf,
  relativeSpecifiers,
  type Dependencies,
  type FactKind,
  type IndexedModule,
  type ProjectFacts,
} from './project.js';
import { mayImportByAlias } from './path-aliases.js';
import { declaredVariables, isGlobalReference, variableOf } from './scope.js';

const HOOK = 'configureServer';
const REJECTION_EVENT = 'unhandledRejection';
/** `process.on`, `once` and friends: each adds a listener that Node then calls for every rejection. */
const ADD_LISTENER = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** Whether a function is the value of a `configureServer` hook: `configureServer(server) {...}` or `configureServer: (server) => ...`. */
function isDevServerHook(fn: Node): boolean {
  const holder = fn.parent;
  if (!holder || (holder.type !== 'Property' && holder.type !== 'MethodDefinition')) return false;
  if (holder.value !== fn || holder.computed) return false;
  const key = holder.key;
  return (key.type === 'Identifier' && key.name === HOOK) || (key.type === 'Literal' && key.value === HOOK);
}

/** Whether a node sits in the body of a `configureServer` hook (in a function nested there too). */
export function runsInDevServerHook(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent)
    if (isFunctionNode(current) && isDevServerHook(current)) return true;
  return false;
}

/** `process.on('unhandledRejection', listener)` with Node's own `process`. */
function addsRejectionListener(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return false;
  if (callee.object.name !== 'process' || !isGlobalReference(sourceCode, callee.object)) return false;
  const method = calledMethodName(call);
  const event = call.arguments[0];
  return (
    method !== null &&
    ADD_LISTENER.has(method) &&
    event?.type === 'Literal' &&
    event.value === REJECTION_EVENT &&
    call.arguments.length >= 2
  );
}

/** Per file: whether it installs a process-wide rejection listener inside a `configureServer` hook. */
const INSTALLS_KEY = 'installs';
const devServerRejectionListener: FactKind<boolean> = {
  id: 'dev-server-rejection-listener',
  compute(module) {
    // The event is a string literal of the call: a file whose text does not name it installs
    // nothing and is never asked (lookAt), but a file just linted distils every kind asked so far.
    if (!module.sourceCode.text.includes(REJECTION_EVENT)) return new Map([[INSTALLS_KEY, false]]);
    let installs = false;
    forEachDescendant(module.sourceCode.ast, module.sourceCode.visitorKeys, (node) => {
      if (node.type === 'CallExpression' && addsRejectionListener(node, module.sourceCode) && runsInDevServerHook(node))
        installs = true;
      return !installs;
    });
    return new Map([[INSTALLS_KEY, installs]]);
  },
};

const textLook = {};

interface TextLook {
  names: boolean;
  specifiers: string[];
}

function lookAt(project: ProjectFacts, file: string): TextLook | null {
  return project.lookAtText(file, textLook, (text) => ({
    names: text.includes(REJECTION_EVENT),
    specifiers: relativeSpecifiers(text),
  }));
}

/** A walk over a package's files: the files it reached, in order, with the looks it took. */
interface PackageWalk {
  installs: boolean;
  visited: Set<string>;
  looks: [file: string, look: TextLook | null][];
}

/**
 * Walks from the files on `pending` (the last first) through their relative imports within the
 * package, skipping those in `visited`, until a file installs the listener.
 */
function walkPackage(
  project: ProjectFacts,
  directory: string,
  pending: string[],
  visited: Set<string>,
  looks: PackageWalk['looks'],
): boolean {
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (visited.has(current)) continue;
    visited.add(current);
    const look = lookAt(project, current);
    looks.push([current, look]);
    if (look === null) continue;
    if (look.names && project.exportFacts(current, devServerRejectionListener)?.get(INSTALLS_KEY)) return true;
    for (const specifier of look.specifiers) {
      const target = project.resolveModule(current, specifier);
      // Only the package's own files: another package's dev server is another process's matter.
      if (target !== null && !path.relative(directory, target).startsWith('..')) pending.push(target);
    }
  }
  return false;
}

/**
 * The walk from a package's entry points and commands, the same for every file of the package
 * that asks: kept per memo scope and package, and reused while every file it looked at gives the
 * same look (lookAtText hands back the look it keeps for an unchanged file, and records the file
 * as a dependency again). A package's hooks are many files (22 in Astro's), each of which walked
 * the package's import graph, resolving every import again.
 */
const entryWalks = new WeakMap<object, Map<string, PackageWalk>>();

function entryWalk(project: ProjectFacts, directory: string, entries: string[]): PackageWalk {
  let perPackage = entryWalks.get(project.memoScope());
  if (!perPackage) entryWalks.set(project.memoScope(), (perPackage = new Map()));
  const key = [directory, ...entries].join('\0');
  const known = perPackage.get(key);
  if (known && known.looks.every(([file, look]) => lookAt(project, file) === look)) {
    // The same looks: the same files named the event, so the same facts (already asked once).
    for (const [file, look] of known.looks) if (look?.names) project.exportFacts(file, devServerRejectionListener);
    return known;
  }
  const walk: PackageWalk = { installs: false, visited: new Set(), looks: [] };
  walk.installs = walkPackage(project, directory, [...entries], walk.visited, walk.looks);
  perPackage.set(key, walk);
  return walk;
}

/**
 * Whether a file of the package installs the listener: the files the package's entry points and
 * commands import, directly or not, and then those `file` imports, are looked at by their text (a
 * file that never names the event cannot install it), and those that name it are parsed. Every
 * file looked at is a dependency of the answer.
 */
function packageInstallsRejectionListener(project: ProjectFacts, file: string): boolean {
  const facts = project.packageFacts(file);
  if (!facts) return false;
  const entries = [...facts.entryFiles, ...facts.binFiles].map((entry) => path.join(facts.directory, entry));
  const fromEntries = entryWalk(project, facts.directory, entries);
  if (fromEntries.installs) return true;
  return walkPackage(project, facts.directory, [file], new Set(fromEntries.visited), []);
}

/**
 * Whether a rejection of code registered at `node` reaches a process-wide listener: the code is
 * registered in a `configureServer` hook, or in an exported function that the package calls only
 * there (it runs only in the dev server), and a hook of the same package installs
 * `process.on('unhandledRejection', ...)`, or this very file does so in one.
 */
export function devServerReportsRejection(node: Node, sourceCode: SourceCode, file: string): boolean {
  if (!runsInDevServerHook(node) && !calledOnlyInDevServerHooks(node, sourceCode, file)) return false;
  const project = projectOf(sourceCode);
  // Asked once per statement or callback in a hook, the answer is the file's: kept per tree (and
  // per memo scope), with the files it looked at, which count again for every later asker.
  let byTree = answersByScope.get(project.memoScope());
  if (!byTree) answersByScope.set(project.memoScope(), (byTree = new WeakMap()));
  const known = byTree.get(sourceCode.ast);
  if (known && known.file === file && known.project === project) {
    project.noteDependencies(known.dependencies);
    return known.installs;
  }
  const { value: installs, dependencies } = project.recordDependencies(() =>
    packageInstallsRejectionListener(project, file),
  );
  byTree.set(sourceCode.ast, { file, project, installs, dependencies });
  return installs;
}

interface ListenerAnswer {
  file: string;
  project: ProjectFacts;
  installs: boolean;
  dependencies: Dependencies;
}

const answersByScope = new WeakMap<object, WeakMap<TSESTree.Program, ListenerAnswer>>();

/** How many files of re-exports (`export { createViteLoader } from './vite.js'`) are followed. */
const MAX_REEXPORT_HOPS = 3;

/** What an importing file does with one export of another file: calls it in hooks only, or not. */
interface ExportUses {
  /** A use other than a call in a `configureServer` hook or a re-export. */
  other: boolean;
  /** Calls in a `configureServer` hook. */
  hookCalls: number;
  /** The names the importer exports it under in turn. */
  reexportedAs: string[];
}

/**
 * Per importing file, keyed `<imported file>\0<export name>` (`*` for the whole module: a
 * namespace import, `export *`, `require` or `import()`, which count as other uses): what it does
 * with each export it imports by a relative specifier.
 */
const devServerUsesKind: FactKind<ExportUses> = {
  id: 'dev-server-uses',
  compute: exportUsesOf,
  onlyWhenAsked: true,
};

function exportUsesOf(module: IndexedModule): Map<string, ExportUses> {
  const found = new Map<string, ExportUses>();
  const { sourceCode, file } = module;
  const project = projectOf(sourceCode);
  const usesOf = (target: string, name: string) => {
    const key = `${target}\0${name}`;
    let uses = found.get(key);
    if (!uses) found.set(key, (uses = { other: false, hookCalls: 0, reexportedAs: [] }));
    return uses;
  };
  const exportedName = (node: TSESTree.Identifier | TSESTree.StringLiteral) =>
    node.type === 'Identifier' ? node.name : String(node.value);
  for (const statement of sourceCode.ast.body) {
    const source = 'source' in statement && statement.source ? String(statement.source.value) : null;
    const target = source === null ? null : project.resolveModule(file, source);
    if (!target) continue;
    if (statement.type === 'ExportAllDeclaration') usesOf(target, '*').other = true;
    if (statement.type === 'ExportNamedDeclaration')
      for (const specifier of statement.specifiers)
        usesOf(target, exportedName(specifier.local)).reexportedAs.push(exportedName(specifier.exported));
    if (statement.type !== 'ImportDeclaration' || statement.importKind === 'type') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type !== 'ImportSpecifier') {
        usesOf(target, specifier.type === 'ImportDefaultSpecifier' ? 'default' : '*').other = true;
        continue;
      }
      if (specifier.importKind === 'type') continue;
      const uses = usesOf(target, exportedName(specifier.imported));
      for (const reference of declaredVariables(sourceCode, specifier)[0]?.references ?? []) {
        const use = reference.identifier as Node;
        const parent = use.parent;
        if (parent?.type === 'CallExpression' && parent.callee === use && runsInDevServerHook(parent)) uses.hookCalls++;
        else if (parent?.type === 'ExportSpecifier' && parent.local === use)
          uses.reexportedAs.push(exportedName(parent.exported));
        else uses.other = true;
      }
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
      if (target) usesOf(target, '*').other = true;
    }
    return undefined;
  });
  return found;
}

/**
 * Whether the package calls the exports `names` of `file` only in `configureServer` hooks, and
 * does so somewhere: every importer (outside the tests) calls them there or re-exports them
 * from a file of which the same holds; no file on the way is an entry point of the package (the
 * callers of an entry's exports are unknown). The count of hook calls found, or null.
 */
function hookCallsOnly(project: ProjectFacts, file: string, names: readonly string[], hops: number): number | null {
  const facts = project.packageFacts(file);
  if (!facts || facts.entryFiles.has(path.relative(facts.directory, file).split(path.sep).join('/'))) return null;
  // Importers by a tsconfig alias or by the manifest's `imports` (`#core/x`) are not among the
  // relative importers: their calls are unknown.
  if (mayImportByAlias(project, file) || subpathImportMayName(project, facts.directory, file)) return null;
  let hookCalls = 0;
  for (const importer of project.importersOf(file)) {
    const uses = project.exportFacts(importer, devServerUsesKind);
    if (!uses || uses.get(`${file}\0*`)?.other) return null;
    for (const name of names) {
      const use = uses.get(`${file}\0${name}`);
      if (!use) continue;
      if (use.other) return null;
      hookCalls += use.hookCalls;
      if (use.reexportedAs.length === 0) continue;
      if (hops + 1 >= MAX_REEXPORT_HOPS) return null;
      const further = hookCallsOnly(project, importer, use.reexportedAs, hops + 1);
      if (further === null) return null;
      hookCalls += further;
    }
  }
  return hookCalls;
}

const IMPORTS_LOOK = {};

/** A module path without `./`, a leading build or source folder, and its extension. */
const pathStem = (relative: string) =>
  relative
    .replace(/^\.\//, '')
    .replace(/^(?:src|dist|lib|build|out)\//, '')
    .replace(/\.[cm]?[jt]sx?$/, '');

/**
 * The targets of the manifest's `imports` field (subpath imports, `"#internal/x": "./dist/x.js"`)
 * as path stems; `*` when one has a wildcard or the manifest cannot be read.
 */
function importsTargets(text: string): string[] {
  let imports: unknown;
  try {
    imports = (JSON.parse(text) as { imports?: unknown }).imports;
  } catch {
    return ['*'];
  }
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value.includes('*') ? '*' : pathStem(value));
    else if (value && typeof value === 'object') for (const each of Object.values(value)) collect(each);
  };
  collect(imports);
  return targets;
}

/** Whether the package's manifest lets its code import `file` by a subpath import (`#internal/x`). */
function subpathImportMayName(project: ProjectFacts, directory: string, file: string): boolean {
  const targets = project.lookAtText(path.join(directory, 'package.json'), IMPORTS_LOOK, importsTargets) ?? ['*'];
  const stem = pathStem(path.relative(directory, file).split(path.sep).join('/'));
  return targets.some((target) => target === '*' || target === stem);
}

/**
 * `createViteLoader(viteServer)` of core/module-loader/vite.ts, called in the package only in a
 * `configureServer` hook (through a re-export of an index file): `node` sits in a named export
 * of its file that the file itself only exports, and the package calls it only in such hooks.
 * Code in it runs only in the dev server, as the hook's own code does.
 */
function calledOnlyInDevServerHooks(node: Node, sourceCode: SourceCode, file: string): boolean {
  let outermost: Node | null = null;
  for (let current = node.parent; current; current = current.parent) if (isFunctionNode(current)) outermost = current;
  if (!outermost) return false;
  const names = [...exportedDefinitions(sourceCode.ast)].filter(([, definition]) => definition === outermost);
  if (names.length === 0 || names.some(([name]) => name === 'default')) return false;
  // Its own file only exports it: `export function f`, or `function f` with `export { f }`.
  const id =
    outermost.type === 'FunctionDeclaration'
      ? outermost.id
      : outermost.parent?.type === 'VariableDeclarator'
        ? outermost.parent.id
        : null;
  const variable = id ? variableOf(sourceCode, id) : null;
  const onlyExported = (variable?.references ?? []).every(
    (reference) => reference.init === true || (reference.identifier as Node).parent?.type === 'ExportSpecifier',
  );
  if (!variable || !onlyExported) return false;
  const project = projectOf(sourceCode);
  const calls = hookCallsOnly(
    project,
    file,
    names.map(([name]) => name),
    0,
  );
  return calls !== null && calls > 0;
}
