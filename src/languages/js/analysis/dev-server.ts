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
import { projectOf, relativeSpecifiers, type Dependencies, type FactKind, type ProjectFacts } from './project.js';
import { isGlobalReference } from './scope.js';

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

/**
 * Whether a file of the package installs the listener: the files the package's entry points and
 * commands import, directly or not, are looked at by their text (a file that never names the
 * event cannot install it), and those that name it are parsed. Every file looked at is a
 * dependency of the answer.
 */
function packageInstallsRejectionListener(project: ProjectFacts, file: string): boolean {
  const facts = project.packageFacts(file);
  if (!facts) return false;
  const entries = [...facts.entryFiles, ...facts.binFiles].map((entry) => path.join(facts.directory, entry));
  const pending = [file, ...entries];
  const visited = new Set<string>();
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (visited.has(current)) continue;
    visited.add(current);
    const look = project.lookAtText(current, textLook, (text) => ({
      names: text.includes(REJECTION_EVENT),
      specifiers: relativeSpecifiers(text),
    }));
    if (look === null) continue;
    if (look.names && project.exportFacts(current, devServerRejectionListener)?.get(INSTALLS_KEY)) return true;
    for (const specifier of look.specifiers) {
      const target = project.resolveModule(current, specifier);
      // Only the package's own files: another package's dev server is another process's matter.
      if (target !== null && !path.relative(facts.directory, target).startsWith('..')) pending.push(target);
    }
  }
  return false;
}

/**
 * Whether a rejection of code registered at `node` reaches a process-wide listener: the code is
 * registered in a `configureServer` hook (it runs only in the dev server), and a hook of the same
 * package installs `process.on('unhandledRejection', ...)`, or this very file does so in one.
 */
export function devServerReportsRejection(node: Node, sourceCode: SourceCode, file: string): boolean {
  if (!runsInDevServerHook(node)) return false;
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
