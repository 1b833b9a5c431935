/**
 * Code that runs only in a Vite dev server (in a `configureServer` hook, dev-server-hooks.ts, or
 * called only there), and whether its package has the process report every unhandled rejection
 * there. A package whose own `configureServer` hook installs `process.on('unhandledRejection', ...)`
 * (Astro shows such a rejection in the browser's error overlay) has that listener in place
 * whenever its dev server runs: its plugins are loaded together, so a rejection another hook of
 * the package leaves unhandled reaches that listener, not Node's default crash.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode } from './ast.js';
import { runsInDevServerHook } from './dev-server-hooks.js';
import { callsOfExports } from './importer-uses.js';
import { globalMemberName } from './members.js';
import {
  exportedDefinitions,
  projectOf,
  relativeSpecifiers,
  type Dependencies,
  type FactKind,
  type ProjectFacts,
} from './project.js';
import { variableOf } from './scope.js';

const REJECTION_EVENT = 'unhandledRejection';
/** `process.on`, `once` and friends: each adds a listener that Node then calls for every rejection. */
const ADD_LISTENER = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** `process.on('unhandledRejection', listener)` with Node's own `process`. */
function addsRejectionListener(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const method = globalMemberName(call.callee, sourceCode, 'process');
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
  const calls = callsOfExports(
    projectOf(sourceCode),
    file,
    names.map(([name]) => name),
    'in-dev-server-hook',
  );
  return calls !== null && calls > 0;
}
