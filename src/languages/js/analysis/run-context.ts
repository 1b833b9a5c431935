/**
 * Where a piece of JS/TS code runs: the file's context (its path, package manifest and first
 * line, see src/analysis/context/file-context.ts), narrowed by what the code around the node shows. A test
 * body inside a library file is test code; an `exit` handler or a `require.main === module`
 * block runs once, however busy the rest of the file is. A user can state a file's context in
 * config (`overrides: [{ files, context }]`, or ESLint's `settings.asynclint.context`); that
 * wins over the path, but code shape still narrows it.
 */
import type { Node, RuleContext, SourceCode, TSESTree } from '../types.js';
import { calleeName, contains, forEachDescendant, functionHolder, isFunctionNode, type FunctionNode } from './ast.js';
import { calledMethodName, globalMemberName, promiseMethodOf } from './members.js';
import { innermostFunction, SYNCHRONOUS_CALLBACK_METHODS } from './async-context.js';
import { isWaitedFor } from './concurrent-runs.js';
import {
  classifyFile,
  RUN_CONTEXTS,
  runsOnce,
  type ContextVerdict,
  type RunContext,
} from '../../../analysis/context/file-context.js';
import path from 'node:path';
import { exportedDefinitions, projectOf, type FactKind, type IndexedModule, type ProjectFacts } from './project.js';
import { resolveModuleBinding } from './imports.js';
import { declaredVariables, isGlobalReference, variableOf } from './scope.js';
import { workerTaskReason } from './workers.js';
import { isMemoisedCall } from './blocking.js';
import { madeForItsMakersToAwait } from './made-functions.js';

export interface RunContextQuery {
  filename: string;
  cwd: string;
  settings: Record<string, unknown>;
  sourceCode: SourceCode;
}

/** The test runners' callback APIs (mocha bdd and tdd, jest, vitest, node:test, ava, playwright). */
const TEST_RUNNER_CALLS = new Set([
  'describe',
  'it',
  'test',
  'suite',
  'context',
  'specify',
  'bench',
  'beforeEach',
  'afterEach',
  'beforeAll',
  'afterAll',
  'before',
  'after',
  'setup',
  'teardown',
  'suiteSetup',
  'suiteTeardown',
]);
const TEST_RUNNER_MODULES =
  /^(?:vitest|@jest\/globals|test|mocha|ava|tap|uvu|bun:test|@playwright\/test|node:test|@japa\/runner)$/;
/** Process events after which the process exits: their handlers run once, on the way out. */
const EXIT_EVENTS = new Set(['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGBREAK']);

function isRunContext(value: unknown): value is RunContext {
  return typeof value === 'string' && (RUN_CONTEXTS as readonly string[]).includes(value);
}

/** The context the user's config states for this file, if any. */
function configuredContext(settings: Record<string, unknown>): RunContext | null {
  const ours = settings.asynclint as { context?: unknown } | undefined;
  return ours && isRunContext(ours.context) ? ours.context : null;
}

/** The file's own context, before code shape narrows it. */
export function fileRunContext(query: RunContextQuery): ContextVerdict {
  const configured = configuredContext(query.settings);
  if (configured) return { context: configured, reason: 'the config says so for this file' };
  const text = query.sourceCode.text;
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  return classifyFile(query.filename, query.cwd, projectOf(query.sourceCode).packageFacts(query.filename), firstLine);
}

const TYPE_TEST_FILE = /\.test-d\.[cm]?tsx?$/;
const TYPE_TEST_MODULES =
  /\bfrom\s+['"](?:tsd|expect-type|tstyche|@tsd\/[\w-]+)['"]|\brequire\(\s*['"](?:tsd|expect-type)['"]\s*\)/;
const TYPE_TEST_FOLDERS = new Set(['types', 'type-tests', 'typings', 'dts', 'types-test']);
const SOURCE_MAP_TRAILER = /\/\/[#@] sourceMappingURL=\S+\s*$/;

/**
 * Why a file's code never runs as written, or null: a type test (only type-checked by tsc, as
 * tsd, expect-type and tstyche tests are), or generated output (a bundle with a source-map
 * trailer, or minified text), which is fixed in its source rather than by hand.
 */
export function notRunAsWritten(
  query: Pick<RunContextQuery, 'filename' | 'sourceCode'>,
  file: ContextVerdict,
): string | null {
  const text = query.sourceCode.text;
  const name = query.filename.split(/[\\/]/);
  if (TYPE_TEST_FILE.test(name[name.length - 1]!)) return 'a type test (only type-checked)';
  if (TYPE_TEST_MODULES.test(text)) return 'a type test (it imports a type-assertion library)';
  if (file.context === 'test' && name.slice(0, -1).some((folder) => TYPE_TEST_FOLDERS.has(folder)))
    return 'a type test (a types folder of the tests)';
  if (SOURCE_MAP_TRAILER.test(text.slice(-300))) return 'generated (it ends in a source-map comment)';
  if (text.length > 10_000 && query.sourceCode.lines.length * 1_000 < text.length)
    return 'generated (minified: lines average over 1,000 characters)';
  return null;
}

/** The identifier a call's callee starts from: `it` for `it.only(...)` and `test.each(rows)(...)`. */
function calleeRoot(call: TSESTree.CallExpression): TSESTree.Identifier | null {
  let current: Node = call.callee;
  for (;;) {
    if (current.type === 'MemberExpression') current = current.object;
    else if (current.type === 'CallExpression') current = current.callee;
    else if (current.type === 'ChainExpression') current = current.expression;
    else break;
  }
  return current.type === 'Identifier' ? current : null;
}

function isTestRunnerCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const root = calleeRoot(call);
  if (!root) return false;
  if (isGlobalReference(sourceCode, root)) return TEST_RUNNER_CALLS.has(root.name);
  const binding = resolveModuleBinding(sourceCode, root);
  return binding !== null && TEST_RUNNER_MODULES.test(binding.module);
}

function isExitHandlerRegistration(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || callee.object.name !== 'process')
    return false;
  if (!isGlobalReference(sourceCode, callee.object)) return false;
  const event = call.arguments[0];
  return event?.type === 'Literal' && typeof event.value === 'string' && EXIT_EVENTS.has(event.value);
}

function mentions(node: Node, sourceCode: SourceCode, words: RegExp): boolean {
  return words.test(sourceCode.text.slice(node.range[0], node.range[1]));
}

/** `if (require.main === module)`, `if (import.meta.main)`, `if (process.argv[1] === fileURLToPath(import.meta.url))`. */
function isEntryPointCheck(test: Node, sourceCode: SourceCode): boolean {
  return (
    mentions(test, sourceCode, /\brequire\.main\b[\s\S]*\bmodule\b|\bmodule\b[\s\S]*\brequire\.main\b/) ||
    mentions(test, sourceCode, /\bimport\.meta\.main\b/) ||
    mentions(
      test,
      sourceCode,
      /\bprocess\.argv\b[\s\S]*\bimport\.meta\.(?:url|filename)\b|\bimport\.meta\.(?:url|filename)\b[\s\S]*\bprocess\.argv\b/,
    )
  );
}

function isInSourceTestBlock(test: Node, sourceCode: SourceCode): boolean {
  return mentions(test, sourceCode, /^\s*import\.meta\.vitest\s*$/);
}

/** Callbacks that run while their caller runs (`map`, `forEach`) or once after it (`then`): they inherit its context. */
const CALLBACKS_RUN_BY_THE_CALLER = new Set([...SYNCHRONOUS_CALLBACK_METHODS, 'then', 'catch', 'finally']);
/** How many callers deep a function's context is looked for. */
const MAX_CALLER_DEPTH = 4;

function isCallbackArgument(
  fn: Node,
  parent: Node | undefined,
): parent is TSESTree.CallExpression | TSESTree.NewExpression {
  return (
    (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
    parent.arguments.includes(fn as TSESTree.CallExpressionArgument)
  );
}

/** Whether a callback runs during its caller or once after it, as opposed to whenever an event fires. */
function runsWithItsCaller(call: TSESTree.CallExpression | TSESTree.NewExpression, sourceCode: SourceCode): boolean {
  if (call.type === 'NewExpression') return call.callee.type === 'Identifier' && call.callee.name === 'Promise';
  const method = calledMethodName(call);
  if (method !== null && CALLBACKS_RUN_BY_THE_CALLER.has(method)) return true;
  return isWaitedForCallOfMadeFunction(call, sourceCode);
}

/**
 * `const limit = pLimit(4)` then `await limit(() => pack(dir))`, or `await Promise.all(dirs.map((dir)
 * => limit(() => pack(dir))))`: a function this code made by a call (a concurrency limiter, a
 * retry or lock wrapper) is handed a callback, and the caller waits for the promise the call
 * returns. That promise is the callback's work, run once for this caller, not an event source's
 * registration: a listener's registration gives back no promise of its callbacks' work to wait
 * for. The callback runs where the caller runs (a one-shot command's limiter is no server).
 */
function isWaitedForCallOfMadeFunction(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  if (call.callee.type !== 'Identifier') return false;
  const variable = variableOf(sourceCode, call.callee);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type !== 'Variable' || definition.parent?.kind !== 'const') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  return init?.type === 'CallExpression' && isWaitedFor(call, sourceCode);
}

/** The variable a named function is known by in this file, unless the file exports it (its callers are then unknown). */
function localFunctionVariable(fn: Node, sourceCode: SourceCode) {
  const holder = functionHolder(fn);
  if (!holder) return null;
  const declaration = holder.type === 'VariableDeclarator' ? holder.parent : holder;
  if (
    declaration?.parent?.type === 'ExportNamedDeclaration' ||
    declaration?.parent?.type === 'ExportDefaultDeclaration'
  )
    return null;
  return declaredVariables(sourceCode, holder)[0] ?? null;
}

/** `(async () => { ... })()`: runs once, where it stands. */
function isImmediatelyInvoked(fn: Node): boolean {
  return fn.parent?.type === 'CallExpression' && fn.parent.callee === fn;
}

/** A file's call sites are all one-shot or all tooling (see onceIn): the two never meet in one file. */
const WIDTH: Record<RunContext, number> = { test: 0, bench: 1, 'one-shot': 2, tooling: 2, request: 3, library: 4 };

/**
 * The context of a function that only this file calls: the widest context among its call sites
 * (`main()` called only from `if (require.main === module)` or from module top level runs once).
 * Null when it is exported, passed on as a value, never called, or called where callers are unknown.
 */
function callersContext(
  fn: Node,
  sourceCode: SourceCode,
  file: ContextVerdict,
  depth: number,
  search: CallerSearch | null,
): ContextVerdict | null {
  if (depth >= MAX_CALLER_DEPTH) return null;
  const variable = localFunctionVariable(fn, sourceCode);
  if (!variable) return null;
  let widest: ContextVerdict | null = null;
  for (const reference of variable.references) {
    if (reference.init) continue;
    const identifier = reference.identifier as Node;
    const call = identifier.parent;
    const isCall = call?.type === 'CallExpression' && call.callee === identifier;
    if (!isCall) return null;
    if (fn.range[0] <= identifier.range[0] && identifier.range[1] <= fn.range[1]) continue; // recursion
    const verdict = shapeContext(call, sourceCode, file, depth + 1, search) ?? file;
    if (verdict.context === 'library') return null;
    if (!widest || WIDTH[verdict.context] > WIDTH[widest.context]) widest = verdict;
  }
  if (!widest) return null;
  const name = variable.name;
  return {
    context: widest.context,
    reason: `\`${name}()\` is called only where ${widest.reason.replace(/^it /, 'code ')}`,
  };
}

/**
 * Looking for request code among a function's callers (blocking-call asks, where other work
 * waiting is the question): `filename` is the file's name, `cwd` the folder other files are
 * classified from; a null `cwd` looks in this file only.
 */
interface CallerSearch {
  filename: string;
  cwd: string | null;
}

/**
 * Request code that calls `fn`: one of its calls in this file runs in request code, or, when it is
 * exported, one in a file of the package that imports it (`handleHMRUpdate(...)` from a watcher
 * listener of the dev server). Such a function runs while the process serves, whatever its other
 * callers are; its blocking calls stall the requests in flight.
 */
interface CallerQuestion {
  fn: Node;
  sourceCode: SourceCode;
  file: ContextVerdict;
  depth: number;
  search: CallerSearch;
  /**
   * Whether the code asked about is in a function `fn` makes (a hook of the plugin object it
   * returns, a callback it hands on) rather than in `fn`'s own run: then only a file that calls `fn`
   * in request code counts, not a chain of files. Made functions run when their receiver runs
   * them: astro's fonts plugin, made while the dev server restarts, copies fonts only in its
   * `buildEnd`.
   */
  made: boolean;
}

function requestCaller(question: CallerQuestion): ContextVerdict | null {
  const { fn, depth, search } = question;
  if (depth >= MAX_CALLER_DEPTH) return null;
  // Every blocking call of a function asks the same question of it and of its callers' functions.
  const key = `${depth}\0${question.made}\0${search.filename}\0${search.cwd}`;
  let answers = requestCallerAnswers.get(fn);
  if (!answers) requestCallerAnswers.set(fn, (answers = new Map()));
  let answer = answers.get(key);
  if (answer === undefined) answers.set(key, (answer = findRequestCaller(question)));
  return answer;
}

/** requestCaller's answers, per function node (so per tree: a file linted again has new nodes). */
const requestCallerAnswers = new WeakMap<Node, Map<string, ContextVerdict | null>>();

function findRequestCaller({ fn, sourceCode, file, depth, search, made }: CallerQuestion): ContextVerdict | null {
  const holder = functionHolder(fn);
  const variable = holder ? declaredVariables(sourceCode, holder)[0] : undefined;
  for (const reference of variable?.references ?? []) {
    const identifier = reference.identifier as Node;
    const call = identifier.parent;
    if (reference.init || call?.type !== 'CallExpression' || call.callee !== identifier) continue;
    if (contains(fn, identifier)) continue; // recursion
    // A call whose result is kept for later calls (`info.exports ??= readExports(file)`) runs once per key.
    if (isMemoisedCall(call, sourceCode)) continue;
    const verdict = shapeContext(call, sourceCode, file, depth + 1, search);
    if (verdict?.context === 'request')
      return {
        context: 'request',
        reason: `\`${variable!.name}()\` is called where ${verdict.reason.replace(/^it /, 'code ')}`,
      };
  }
  const method = methodUsesOf(fn, sourceCode);
  for (const use of method?.uses ?? []) {
    if (contains(fn, use)) continue; // recursion
    if (use.parent?.type === 'CallExpression' && use.parent.callee === use) {
      const verdict = shapeContext(use.parent, sourceCode, file, depth + 1, search);
      if (verdict?.context === 'request')
        return {
          context: 'request',
          reason: `\`${method!.name}()\` is called where ${verdict.reason.replace(/^it /, 'code ')}`,
        };
      continue;
    }
    const listener = listenerReason(use, sourceCode, file);
    if (listener) return { context: 'request', reason: `\`${method!.name}()\` ${listener}` };
  }
  if (search.cwd === null) return null;
  const names = exportNamesOf(fn, sourceCode);
  if (names.length === 0) return null;
  const hops = made ? MAX_FILE_HOPS - 1 : 0;
  const where = requestCallElsewhere(projectOf(sourceCode), search.filename, names, search.cwd, hops, new Set());
  return where ? { context: 'request', reason: `${shownExport(where.name)} is called ${where.how}` } : null;
}

/** `` `loadConfig()` ``, or `the default export` for `default`. */
function shownExport(name: string): string {
  return name === 'default' ? 'the default export' : `\`${name}()\``;
}

/**
 * A method and where its class or object uses it: `this.render` in the methods of its class
 * (where `this` is the instance, or the class for a static method), `this.restart` in the methods
 * of its object literal, and `server.restart` where `const server = { restart() { ... } }`.
 * Each use is the member expression: called (`this.render()`) or handed on (`this.onData`).
 */
function methodUsesOf(fn: Node, sourceCode: SourceCode): { name: string; uses: TSESTree.MemberExpression[] } | null {
  const member = fn.parent;
  if (
    (member?.type !== 'MethodDefinition' && member?.type !== 'Property' && member?.type !== 'PropertyDefinition') ||
    member.value !== fn ||
    member.computed ||
    (member.type === 'MethodDefinition' && member.kind !== 'method')
  )
    return null;
  const key = member.key;
  const name = key.type === 'Identifier' ? key.name : key.type === 'PrivateIdentifier' ? key.name : null;
  const owner = member.parent;
  if (name === null || !owner) return null;
  const isStatic = member.type !== 'Property' && member.static;
  const uses: TSESTree.MemberExpression[] = [];
  const named = (node: TSESTree.MemberExpression) =>
    !node.computed && (node.property.type === 'Identifier' || node.property.type === 'PrivateIdentifier')
      ? node.property.name === name && node.property.type === key.type
      : false;
  forEachDescendant(owner, sourceCode.visitorKeys, (node) => {
    if (node.type === 'MemberExpression' && node.object.type === 'ThisExpression' && named(node))
      if (thisOwner(node.object) === owner && thisIsStatic(node.object) === isStatic) uses.push(node);
    return undefined;
  });
  // `const server = { restart() { ... } }`, then `server.restart()`.
  const holder = owner.parent;
  if (owner.type === 'ObjectExpression' && holder?.type === 'VariableDeclarator' && holder.init === owner) {
    for (const reference of declaredVariables(sourceCode, holder)[0]?.references ?? []) {
      const use = reference.identifier.parent as Node | undefined;
      if (use?.type === 'MemberExpression' && use.object === reference.identifier && named(use)) uses.push(use);
    }
  }
  return { name, uses };
}

/** The class body or object literal whose member `this` is in (arrow functions keep the `this` around them). */
function thisOwner(node: TSESTree.ThisExpression): Node | null {
  let child: Node = node;
  for (let current: Node | undefined = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'PropertyDefinition' && child === current.value) return current.parent ?? null;
    if (current.type !== 'FunctionExpression' && current.type !== 'FunctionDeclaration') continue;
    const member = current.parent;
    const isMember = (member?.type === 'MethodDefinition' || member?.type === 'Property') && member.value === current;
    return isMember ? (member.parent ?? null) : null;
  }
  return null;
}

function thisIsStatic(node: TSESTree.ThisExpression): boolean {
  for (let current: Node | undefined = node.parent; current; current = current.parent)
    if (current.type === 'MethodDefinition' || current.type === 'PropertyDefinition') return current.static;
  return false;
}

/**
 * Why a method handed on runs per event: `emitter.on('data', this.onData)` (or
 * `this.onData.bind(this)`) registers it, as an inline callback would be (`is a callback given to
 * \`on\`, which runs it per event`); null for other uses.
 */
function listenerReason(use: TSESTree.MemberExpression, sourceCode: SourceCode, file: ContextVerdict): string | null {
  if (file.context !== 'library' && file.context !== 'request') return null;
  let value: Node = use;
  const bound = use.parent;
  if (
    bound?.type === 'MemberExpression' &&
    bound.object === use &&
    !bound.computed &&
    bound.property.type === 'Identifier' &&
    bound.property.name === 'bind' &&
    bound.parent?.type === 'CallExpression' &&
    bound.parent.callee === bound
  )
    value = bound.parent;
  const call = value.parent;
  if (!isCallbackArgument(value, call) || runsWithItsCaller(call, sourceCode)) return null;
  if (call.type === 'CallExpression' && isTestRunnerCall(call, sourceCode)) return null;
  return eventCallbackReason(call).replace(/^it /, '');
}

/** How many files a chain of exported functions is followed through: hot-update.ts, its importer, theirs. */
const MAX_FILE_HOPS = 3;

/**
 * Request code in the package that calls one of the exports `names` of `filename`: a call in
 * request code of a file that imports it, or, through up to MAX_FILE_HOPS files, a call in an
 * exported function of that importer which such code calls in turn (`resolveConfig()` called by
 * `createServer()`, which a file's listener calls). `how` tells the chain.
 */
function requestCallElsewhere(
  project: ProjectFacts,
  filename: string,
  names: readonly string[],
  cwd: string,
  hops: number,
  asked: Set<string>,
): { name: string; how: string } | null {
  const kind = requestCallsKind(cwd);
  const importers = project.importersOf(filename);
  const viaExports: [importer: string, name: string, caller: ExportCaller][] = [];
  for (const importer of importers) {
    // Parsed only when its text calls one of the names (a default export is imported under any name).
    const called = project.lookAtText(importer, CALLED_NAMES, calledNames);
    if (called && !names.some((name) => name === 'default' || called.has(name))) continue;
    const calls = project.exportFacts(importer, kind);
    for (const name of names) {
      const found = calls?.get(`${filename}\0${name}`);
      if (found?.where) return { name, how: `from ${found.where}` };
      for (const caller of found?.callers ?? []) viaExports.push([importer, name, caller]);
    }
  }
  if (hops + 1 >= MAX_FILE_HOPS) return null;
  for (const [importer, name, caller] of viaExports) {
    const key = `${importer}\0${caller.name}`;
    if (asked.has(key)) continue; // a cycle of files, or a caller already looked at
    asked.add(key);
    const further = requestCallElsewhere(project, importer, [caller.name], cwd, hops + 1, asked);
    if (further) {
      return { name, how: `in ${shownExport(further.name)} (${caller.at}), which is called ${further.how}` };
    }
  }
  return null;
}

/** Names a text calls (`name(`, `name<T>(`), by a scan: comments and strings count too. */
function calledNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>\s*)?\(/g)) names.add(match[1]!);
  return names;
}
const CALLED_NAMES = { look: 'called names' };

const exportNamesMemo = new WeakMap<object, Map<Node, string[]>>();

/** The names a file exports a function under (`default` for the default export). */
function exportNamesOf(fn: Node, sourceCode: SourceCode): string[] {
  let byNode = exportNamesMemo.get(sourceCode.ast);
  if (!byNode) {
    byNode = new Map();
    for (const [name, definition] of exportedDefinitions(sourceCode.ast)) {
      const names = byNode.get(definition) ?? [];
      names.push(name);
      byNode.set(definition, names);
    }
    exportNamesMemo.set(sourceCode.ast, byNode);
  }
  return byNode.get(fn) ?? [];
}

/**
 * What an importing file does with one export of another file: `where` it calls it in request
 * code (with why), and the exported functions of the importer that call it elsewhere (`callers`),
 * whose own callers may be request code in yet another file.
 */
interface RequestCalls {
  where: string | null;
  callers: ExportCaller[];
}

/** An exported function of an importer that calls an import, and where (`server/index.ts:342`). */
interface ExportCaller {
  name: string;
  at: string;
}

const requestCallsKinds = new Map<string, FactKind<RequestCalls>>();

/**
 * Facts about an importing file: which functions it imports by a relative specifier and calls in
 * request code, keyed `<imported file>\0<export name>`, each with where and why (`server/index.ts:528,
 * where ...`). Within the importer only its own code is looked at (its callers elsewhere are not
 * followed), so the answer for a file never depends on a chain of files.
 */
function requestCallsKind(cwd: string): FactKind<RequestCalls> {
  let kind = requestCallsKinds.get(cwd);
  if (!kind) {
    kind = { id: `request-calls:${cwd}`, compute: (module) => requestCallsOf(module, cwd), onlyWhenAsked: true };
    requestCallsKinds.set(cwd, kind);
  }
  return kind;
}

function requestCallsOf(module: IndexedModule, cwd: string): Map<string, RequestCalls> {
  const found = new Map<string, RequestCalls>();
  const { sourceCode, file: filename } = module;
  if (!/\bimport\b/.test(sourceCode.text)) return found;
  // The importer's config overrides are not known here: its path and manifest say where it runs.
  const file = fileRunContext({ filename, cwd, settings: {}, sourceCode });
  if (file.context !== 'library' && file.context !== 'request') return found;
  const project = projectOf(sourceCode);
  treeFilenames.set(sourceCode.ast, filename);
  const shown = path.relative(cwd, filename).split(path.sep).join('/');
  for (const statement of sourceCode.ast.body) {
    if (statement.type !== 'ImportDeclaration' || statement.importKind === 'type') continue;
    const target = project.resolveModule(filename, String(statement.source.value));
    if (!target) continue;
    for (const specifier of statement.specifiers) {
      const variable = declaredVariables(sourceCode, specifier)[0];
      for (const reference of variable?.references ?? []) {
        const call = calledExport(reference.identifier as Node, specifier);
        if (!call) continue;
        const key = `${target}\0${call.name}`;
        let calls = found.get(key);
        if (calls?.where) continue;
        if (!calls) found.set(key, (calls = { where: null, callers: [] }));
        const line = sourceCode.getLoc(call.node).start.line;
        const verdict = shapeContext(call.node, sourceCode, file, 0, { filename, cwd: null }) ?? file;
        if (verdict.context === 'request') {
          calls.where = `${shown}:${line}, where ${verdict.reason.replace(/^it /, 'code ')}`;
          calls.callers = [];
          continue;
        }
        if (verdict.context !== 'library') continue;
        for (const name of exportedCallerOf(call.node, sourceCode))
          if (!calls.callers.some((caller) => caller.name === name))
            calls.callers.push({ name, at: `${shown}:${line}` });
      }
    }
  }
  return found;
}

/**
 * The export names of the function a call runs in, when the call runs whenever that function
 * does (directly, or in a callback run during it: `map`, `then`, a promise executor). A call in
 * a callback run per event, or in a function only this file calls, has no such export.
 */
function exportedCallerOf(call: Node, sourceCode: SourceCode): string[] {
  let child: Node = call;
  for (let current: Node | undefined = call.parent; current; child = current, current = current.parent) {
    if (!isFunctionNode(child)) continue;
    if (isCallbackArgument(child, current)) {
      if (runsWithItsCaller(current, sourceCode)) continue;
      return [];
    }
    if (isImmediatelyInvoked(child)) continue;
    return exportNamesOf(child, sourceCode);
  }
  return [];
}

/** The call an imported binding makes and the export it calls: `f(...)`, `ns.f(...)` for `* as ns`. */
function calledExport(
  identifier: Node,
  specifier: TSESTree.ImportClause,
): { node: TSESTree.CallExpression; name: string } | null {
  const parent = identifier.parent;
  if (specifier.type === 'ImportNamespaceSpecifier') {
    const call = parent?.parent;
    if (
      parent?.type !== 'MemberExpression' ||
      parent.object !== identifier ||
      parent.computed ||
      parent.property.type !== 'Identifier' ||
      call?.type !== 'CallExpression' ||
      call.callee !== parent
    )
      return null;
    return { node: call, name: parent.property.name };
  }
  if (parent?.type !== 'CallExpression' || parent.callee !== identifier) return null;
  if (specifier.type === 'ImportDefaultSpecifier') return { node: parent, name: 'default' };
  const imported = specifier.imported;
  return { node: parent, name: imported.type === 'Identifier' ? imported.name : String(imported.value) };
}

/**
 * What the code between `node` and the file says: inside a test-runner callback, an exit
 * handler, an entry-point block, module initialisation, or a function called only from such
 * code; null when nothing narrows the file's context. A callback that runs whenever an event
 * fires (a listener, a timer, a request handler) stops the narrowing to one-shot: a server
 * started from `main()` serves requests long after `main` returned.
 */
function shapeContext(
  node: Node,
  sourceCode: SourceCode,
  file: ContextVerdict,
  depth = 0,
  search: CallerSearch | null = null,
): ContextVerdict | null {
  let mayRunOnce = true;
  let perEvent: string | null = null;
  // Whether a function boundary lies between the node and the function asked about.
  let made = false;
  let child: Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (isFunctionNode(child) && isCallbackArgument(child, current)) {
      if (current.type === 'CallExpression' && isTestRunnerCall(current, sourceCode))
        return { context: 'test', reason: 'it runs inside a test-runner callback' };
      if (mayRunOnce && current.type === 'CallExpression' && isExitHandlerRegistration(current, sourceCode))
        return { context: onceIn(file), reason: 'it handles a process exit event' };
      if (!runsWithItsCaller(current, sourceCode)) {
        mayRunOnce = false;
        perEvent ??= eventCallbackReason(current);
      }
    }
    // `return async (req, res) => ...`: a handler made for a caller to run per event (middleware factories).
    if (
      mayRunOnce &&
      isFunctionNode(current) &&
      isReturnedFunction(current) &&
      !madeToAwait(current, sourceCode, search)
    ) {
      mayRunOnce = false;
      perEvent ??= 'it is a handler a factory returns for its caller to run per event';
    }
    if (current.type === 'IfStatement' && child === current.consequent) {
      if (isInSourceTestBlock(current.test, sourceCode))
        return { context: 'test', reason: 'it is an in-source test block' };
      if (mayRunOnce && isEntryPointCheck(current.test, sourceCode))
        return { context: onceIn(file), reason: 'it runs only when the file is run as a command' };
    }
    if (isFunctionNode(current) && !isCallbackArgument(current, current.parent) && !isImmediatelyInvoked(current)) {
      // In a worker thread of its own, nothing of the process's event loop waits on this code.
      const filename = search?.filename ?? treeFilenames.get(sourceCode.ast);
      const worker = filename && longLivedFile(file) ? workerTaskReason(current, sourceCode, filename) : null;
      if (worker) return { context: 'one-shot', reason: worker };
      if (mayRunOnce) {
        const callers = callersContext(current, sourceCode, file, depth, search);
        if (callers) return callers;
      }
      mayRunOnce = false;
      // A function made or run by request code runs while the process serves, whoever else calls it.
      if (search && file.context === 'library' && !perEvent) {
        const hook = pluginHookReason(current, sourceCode, search.filename, node);
        if (hook) return { context: 'request', reason: hook };
        const request = requestCaller({ fn: current, sourceCode, file, depth, search, made });
        if (request) return request;
      }
      made = true;
    }
  }
  if (file.context === 'library' && perEvent) return { context: 'request', reason: perEvent };
  const longLived = file.context === 'library' || file.context === 'request';
  return mayRunOnce && longLived
    ? { context: 'one-shot', reason: 'it runs once, when the module is first loaded' }
    : null;
}

/** Whether a returned function is made for its makers' callers to call and await, not to run per event. */
function madeToAwait(fn: Node, sourceCode: SourceCode, search: CallerSearch | null): boolean {
  const filename = search?.filename ?? treeFilenames.get(sourceCode.ast);
  return (
    filename !== undefined &&
    madeForItsMakersToAwait(fn, sourceCode, filename, (maker) => exportNamesOf(maker, sourceCode))
  );
}

function longLivedFile(file: ContextVerdict): boolean {
  return file.context === 'library' || file.context === 'request';
}

/** The file each tree was asked about under (a worker's task is found through the file's imports). */
const treeFilenames = new WeakMap<object, string>();

/**
 * What code that runs once is in `file`: a file no package publishes (tooling) keeps its context,
 * since its exit handlers and entry blocks run only where the file runs, on maintainers' machines.
 */
function onceIn(file: ContextVerdict): RunContext {
  return file.context === 'tooling' ? 'tooling' : 'one-shot';
}

/**
 * The hooks of a Vite / Rollup plugin that run once per module: Vite's dev server calls
 * `resolveId`, `load` and `transform` on each incoming module request, `transformIndexHtml` per
 * HTML page and `handleHotUpdate` / `hotUpdate` per changed file (Vite's plugin API docs), while
 * it serves the other requests; in a build, Rollup runs them for many modules at once. Hooks such
 * as `buildStart`, `buildEnd` or `configResolved` run once per build or server and are not here.
 */
const PER_MODULE_PLUGIN_HOOKS = new Set([
  'resolveId',
  'load',
  'transform',
  'transformIndexHtml',
  'handleHotUpdate',
  'hotUpdate',
]);
/** The packages whose `Plugin` type is a Rollup-style plugin object. */
const PLUGIN_TYPE_MODULES = new Set(['vite', 'rollup', 'rolldown']);

/**
 * Why a function runs per module request: it is a per-module hook (`async transform(code, id)`,
 * or `transform: { filter, handler(code, id) }`) of an object typed as a Vite / Rollup `Plugin`
 * (returned from a function declared to return one, declared `const plugin: Plugin = {...}`, or
 * `{...} satisfies Plugin`). The type says what the object is, whoever makes it: css.ts's
 * `cssPlugin(config): Plugin` runs `compileCSS` in its `transform` hook for every CSS request.
 */
function pluginHookReason(fn: Node, sourceCode: SourceCode, filename: string, node: Node): string | null {
  const member = fn.parent;
  if (member?.type !== 'Property' || member.value !== fn || member.computed) return null;
  let name = keyName(member.key);
  let plugin: Node | undefined = member.parent;
  const outer = plugin?.parent;
  if (name === 'handler' && outer?.type === 'Property' && outer.value === plugin && !outer.computed) {
    name = keyName(outer.key);
    plugin = outer.parent;
  }
  if (name === null || !PER_MODULE_PLUGIN_HOOKS.has(name) || plugin?.type !== 'ObjectExpression') return null;
  const type = declaredTypeOf(plugin);
  if (!type || !isBundlerPluginType(type, sourceCode, filename)) return null;
  if (answersOneModule(node, fn as FunctionNode, name, sourceCode)) return null;
  return `it runs in the \`${name}\` hook of a Vite / Rollup plugin, which the dev server runs per module request`;
}

/** The parameter of a hook that holds the id of the module asked for: `load(id)`, `transform(code, id)`. */
const MODULE_ID_PARAMETER: Record<string, number> = { load: 0, transform: 1 };

/**
 * Whether `node` runs in a branch of a `load` or `transform` hook that only one fixed module takes:
 * `if (id === RESOLVED_VIRTUAL_ID) { ... }`, the id compared with a string or a constant. Vite's
 * dev server keeps what these hooks give for a module in its module graph and runs them again
 * only when the module is invalidated (its file or a dependency changed), so such a branch runs
 * once per edit, not per request; a branch that many modules take (`if (id.endsWith('.css'))`)
 * runs once per module while the others are served.
 */
function answersOneModule(node: Node, fn: FunctionNode, hook: string, sourceCode: SourceCode): boolean {
  const index = MODULE_ID_PARAMETER[hook];
  const parameter = index === undefined ? undefined : fn.params[index];
  if (parameter?.type !== 'Identifier') return false;
  let child: Node = node;
  for (let current = node.parent; current && child !== fn; child = current, current = current.parent) {
    if (current.type === 'IfStatement' && child === current.consequent)
      if (comparesWithConstant(current.test, parameter.name, sourceCode)) return true;
  }
  return false;
}

/** `id === 'virtual:x'`, `id === RESOLVED_ID` (a `const` or an import), or several joined by `||`. */
function comparesWithConstant(test: Node, name: string, sourceCode: SourceCode): boolean {
  if (test.type === 'LogicalExpression' && test.operator === '||')
    return comparesWithConstant(test.left, name, sourceCode) && comparesWithConstant(test.right, name, sourceCode);
  if (test.type !== 'BinaryExpression' || (test.operator !== '===' && test.operator !== '==')) return false;
  const { left, right } = test;
  if (left.type === 'Identifier' && left.name === name) return isConstantValue(right, sourceCode);
  return right.type === 'Identifier' && right.name === name && isConstantValue(left, sourceCode);
}

function isConstantValue(node: Node, sourceCode: SourceCode): boolean {
  if (node.type === 'Literal') return typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0;
  if (node.type !== 'Identifier') return false;
  const definition = variableOf(sourceCode, node)?.defs;
  if (definition?.length !== 1) return false;
  const only = definition[0]!;
  return only.type === 'ImportBinding' || (only.type === 'Variable' && only.parent?.kind === 'const');
}

function keyName(key: Node): string | null {
  if (key.type === 'Identifier') return key.name;
  return key.type === 'Literal' && typeof key.value === 'string' ? key.value : null;
}

/** The type an object literal is declared as: the return type of the function returning it, a variable's or `satisfies` type. */
function declaredTypeOf(object: TSESTree.ObjectExpression): TSESTree.TypeNode | null {
  const parent = object.parent;
  let type: TSESTree.TypeNode | undefined;
  if (parent?.type === 'ReturnStatement') type = innermostFunction(parent)?.returnType?.typeAnnotation;
  else if (parent?.type === 'ArrowFunctionExpression' && parent.body === object)
    type = parent.returnType?.typeAnnotation;
  else if (parent?.type === 'VariableDeclarator' && parent.init === object)
    type = parent.id.typeAnnotation?.typeAnnotation;
  else if (parent?.type === 'TSSatisfiesExpression' || parent?.type === 'TSAsExpression') type = parent.typeAnnotation;
  // `async function plugin(): Promise<Plugin>`
  if (
    type?.type === 'TSTypeReference' &&
    type.typeName.type === 'Identifier' &&
    type.typeName.name === 'Promise' &&
    type.typeArguments?.params.length === 1
  )
    type = type.typeArguments.params[0];
  return type ?? null;
}

/**
 * `Plugin` imported from vite, rollup or rolldown, or from a file of the project that declares its
 * own `interface Plugin extends` one of theirs (Vite's own source: `import type { Plugin } from '../plugin'`).
 */
function isBundlerPluginType(type: TSESTree.TypeNode, sourceCode: SourceCode, filename: string): boolean {
  if (type.type !== 'TSTypeReference' || type.typeName.type !== 'Identifier') return false;
  const binding = resolveModuleBinding(sourceCode, type.typeName);
  if (!binding || binding.path.length !== 1 || binding.path[0] !== 'Plugin') return false;
  if (PLUGIN_TYPE_MODULES.has(binding.module)) return true;
  if (!binding.module.startsWith('.')) return false;
  const target = projectOf(sourceCode).resolveModule(filename, binding.module);
  return target !== null && projectOf(sourceCode).lookAtText(target, PLUGIN_INTERFACE, extendsBundlerPlugin) === true;
}

const PLUGIN_INTERFACE = { look: 'extends a bundler plugin' };

/** Whether a file declares `interface Plugin ... extends` a type it imports from vite, rollup or rolldown. */
function extendsBundlerPlugin(text: string): boolean {
  return /\binterface\s+Plugin\b[^{]*\bextends\b/.test(text) && /\bfrom\s+['"](?:vite|rollup|rolldown)['"]/.test(text);
}

/** A function that is returned (`return (req, res) => ...`, `() => async (req) => ...`): made for someone else to call. */
function isReturnedFunction(fn: Node): boolean {
  const parent = fn.parent;
  return parent?.type === 'ReturnStatement' || (parent?.type === 'ArrowFunctionExpression' && parent.body === fn);
}

/** Why a callback runs per event: `it is a callback given to \`on\`` (a listener, route, server or timer). */
function eventCallbackReason(call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const name = calleeName(call);
  return name ? `it is a callback given to \`${name}\`, which runs it per event` : 'it is a callback run per event';
}

/** Where `node` runs. */
export function runContextOf(node: Node, query: RunContextQuery): ContextVerdict {
  return whereCodeRuns(query).at(node);
}

export interface WhereCodeRuns {
  /** The file's context, before code shape narrows it. */
  readonly file: ContextVerdict;
  /** Why the file's code never runs as written (a type test, generated output), or null. */
  readonly notRun: string | null;
  /**
   * Where `node` runs; with `callers`, a function some request code calls (here, or in a file of
   * the package that imports it) runs in request code.
   */
  at(node: Node, options?: { callers?: boolean }): ContextVerdict;
  /** Whether a rule reporting in `contexts` can report anywhere in this file (else it need not walk it). */
  mayReport(contexts: readonly RunContext[]): boolean;
  reports(node: Node, contexts: readonly RunContext[]): boolean;
}

/** The narrowing shape can give: a test callback anywhere, an exit handler or entry block outside tests. */
const REACHABLE_FROM: Record<RunContext, readonly RunContext[]> = {
  request: ['request', 'one-shot', 'test'],
  library: ['library', 'request', 'one-shot', 'test'],
  'one-shot': ['one-shot', 'test'],
  tooling: ['tooling', 'test'],
  bench: ['bench', 'one-shot', 'test'],
  test: ['test'],
};

/** The answers for the file a rule is linting (ESLint's context keeps some fields on its prototype: read them one by one). */
export function whereCodeRunsFor(
  context: Pick<RuleContext<string, readonly unknown[]>, 'physicalFilename' | 'cwd' | 'settings' | 'sourceCode'>,
): WhereCodeRuns {
  return whereCodeRuns({
    filename: context.physicalFilename,
    cwd: context.cwd,
    settings: context.settings ?? {},
    sourceCode: context.sourceCode,
  });
}

/**
 * The file's verdict and why its code does not run, as far as computed. Every rule of a file
 * asks (each builds its own WhereCodeRuns), and the answers depend only on the file, its tree
 * and what its settings say: the first rule's answers serve the others. Keyed by the tree, as
 * oxlint hands every file the same `sourceCode` object.
 */
interface FileAnswers {
  filename: string;
  cwd: string;
  /** What the settings say (the only part of them the answers read). */
  configured: RunContext | null;
  project: ProjectFacts;
  file: ContextVerdict | null;
  notRun: string | null | undefined;
}

const fileAnswers = new WeakMap<object, FileAnswers>();

function fileAnswersFor(query: RunContextQuery): FileAnswers {
  const project = projectOf(query.sourceCode);
  const configured = configuredContext(query.settings);
  const known = fileAnswers.get(query.sourceCode.ast);
  if (
    known &&
    known.filename === query.filename &&
    known.cwd === query.cwd &&
    known.configured === configured &&
    known.project === project
  )
    return known;
  const answers: FileAnswers = {
    filename: query.filename,
    cwd: query.cwd,
    configured,
    project,
    file: null,
    notRun: undefined,
  };
  fileAnswers.set(query.sourceCode.ast, answers);
  return answers;
}

/** One file's answers, with the file's own verdict computed once, when first asked. */
export function whereCodeRuns(query: RunContextQuery): WhereCodeRuns {
  const answers = fileAnswersFor(query);
  treeFilenames.set(query.sourceCode.ast, query.filename);
  const fileVerdict = () => (answers.file ??= fileRunContext(query));
  const notRunReason = () =>
    answers.notRun === undefined ? (answers.notRun = notRunAsWritten(query, fileVerdict())) : answers.notRun;
  const at = (node: Node, options?: { callers?: boolean }): ContextVerdict => {
    const verdict = fileVerdict();
    if (verdict.context === 'test') return verdict;
    const search = options?.callers ? { filename: query.filename, cwd: query.cwd } : null;
    return shapeContext(node, query.sourceCode, verdict, 0, search) ?? verdict;
  };
  const everywhere = (contexts: readonly RunContext[]) => RUN_CONTEXTS.every((name) => contexts.includes(name));
  return {
    get file() {
      return fileVerdict();
    },
    get notRun() {
      return notRunReason();
    },
    at,
    mayReport: (contexts) =>
      notRunReason() === null &&
      (everywhere(contexts) || REACHABLE_FROM[fileVerdict().context].some((name) => contexts.includes(name))),
    reports: (node, contexts) => everywhere(contexts) || contexts.includes(at(node).context),
  };
}

const PROMISE_ASSERTIONS = new Set(['rejects', 'doesNotReject', 'resolves', 'resolveMatch', 'rejectsMatch']);
const CHAI_PROMISE_ASSERTIONS = new Set(['rejectedWith', 'fulfilled', 'rejected', 'become']);

/** Whether an identifier is a parameter of a test-runner callback (`t` in `test('x', (t) => ...)`), or made from one (`tspl(t)`). */
function isTestContextObject(identifier: TSESTree.Identifier, sourceCode: SourceCode, depth = 0): boolean {
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (!definition || depth > 2) return false;
  if (definition.type === 'Parameter') {
    const fn = definition.node as Node;
    const call = fn.parent;
    return (
      isFunctionNode(fn) &&
      call?.type === 'CallExpression' &&
      call.arguments.includes(fn as TSESTree.CallExpressionArgument) &&
      isTestRunnerCall(call, sourceCode)
    );
  }
  if (definition.type !== 'Variable') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  return (
    init?.type === 'CallExpression' &&
    init.arguments.some(
      (argument) => argument.type === 'Identifier' && isTestContextObject(argument, sourceCode, depth + 1),
    )
  );
}

/**
 * Playwright's web-first matchers (its documentation of LocatorAssertions, PageAssertions,
 * APIResponseAssertions and `toPass`): they retry until the page matches or the timeout, and
 * return a promise; its other matchers (`toBe`, `toEqual`, ...) check at once.
 */
const PLAYWRIGHT_ASYNC_MATCHERS = new Set([
  'toBeAttached',
  'toBeChecked',
  'toBeDisabled',
  'toBeEditable',
  'toBeEmpty',
  'toBeEnabled',
  'toBeFocused',
  'toBeHidden',
  'toBeInViewport',
  'toBeVisible',
  'toContainClass',
  'toContainText',
  'toHaveAccessibleDescription',
  'toHaveAccessibleErrorMessage',
  'toHaveAccessibleName',
  'toHaveAttribute',
  'toHaveClass',
  'toHaveCount',
  'toHaveCSS',
  'toHaveId',
  'toHaveJSProperty',
  'toHaveRole',
  'toHaveScreenshot',
  'toHaveText',
  'toHaveTitle',
  'toHaveURL',
  'toHaveValue',
  'toHaveValues',
  'toMatchAriaSnapshot',
  'toBeOK',
  'toPass',
]);

/**
 * `expect(locator).toHaveCount(1)` (also `.not.`, `expect.soft(...)`) with `expect` imported from
 * `@playwright/test`, or any matcher after `expect.poll(fn)`: a promise the test must await.
 */
function isPlaywrightAsyncAssertion(
  callee: TSESTree.MemberExpression,
  method: string,
  sourceCode: SourceCode,
): boolean {
  let subject: Node = callee.object;
  if (subject.type === 'MemberExpression' && !subject.computed && subject.property.type === 'Identifier')
    if (subject.property.name === 'not') subject = subject.object;
  if (subject.type !== 'CallExpression') return false;
  const expectCallee = subject.callee;
  const polled =
    expectCallee.type === 'MemberExpression' &&
    !expectCallee.computed &&
    expectCallee.property.type === 'Identifier' &&
    expectCallee.property.name === 'poll';
  if (!polled && !PLAYWRIGHT_ASYNC_MATCHERS.has(method)) return false;
  const binding = resolveModuleBinding(sourceCode, expectCallee);
  const path = binding?.path.join('.');
  return (
    binding?.module === '@playwright/test' && (path === 'expect' || path === 'expect.soft' || path === 'expect.poll')
  );
}

/**
 * node-tap's test object waits for the promises some of its methods return: `t.rejects(p)`,
 * `t.resolves(p)`, `t.resolveMatch(p, x)`, `t.resolveMatchSnapshot(p)` and a subtest
 * `t.test(...)` put the promise on the test's queue (tap's `waitOn`, a Waiter per promise), and
 * the test ends only once its queue is empty, failing for an assertion that did not hold. Left
 * floating, such a call is still checked before the test ends, and its failure is the test's.
 */
const TAP_WAITED_METHODS = new Set(['rejects', 'resolves', 'resolveMatch', 'resolveMatchSnapshot', 'test']);

/** Whether `call` is one of those calls on a tap test object (`const t = require('tap')`, or a subtest's `t`). */
export function isWaitedForByTap(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  if (!TAP_WAITED_METHODS.has(callee.property.name) || callee.object.type !== 'Identifier') return false;
  return isTapTestObject(callee.object, sourceCode, 0);
}

/** tap's root test (the module itself) or the parameter of a callback given to a tap test's `test(...)`. */
function isTapTestObject(identifier: TSESTree.Identifier, sourceCode: SourceCode, depth: number): boolean {
  if (depth > 8) return false;
  const binding = resolveModuleBinding(sourceCode, identifier);
  if (binding) return binding.module === 'tap' && binding.path.length === 0;
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (definition?.type !== 'Parameter') return false;
  const fn = definition.node as Node;
  const call = fn.parent;
  if (!isFunctionNode(fn) || fn.params[0] !== definition.name || call?.type !== 'CallExpression') return false;
  if (!call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const callee = call.callee;
  // `import { test } from 'tap'` / `require('tap').test(...)`: the root test's own method.
  const calleeBinding = resolveModuleBinding(sourceCode, callee);
  if (calleeBinding) return calleeBinding.module === 'tap' && calleeBinding.path.join('.') === 'test';
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'test' &&
    callee.object.type === 'Identifier' &&
    isTapTestObject(callee.object, sourceCode, depth + 1)
  );
}

/**
 * Whether a call is an assertion about a promise, which returns a promise of its own: node's
 * `assert.rejects` / `doesNotReject`, `expect(p).rejects.toThrow()` / `.resolves.*` (jest, vitest),
 * chai-as-promised's `.eventually.*` and `.rejectedWith()`, and a test context's `t.rejects()`
 * (node:test, tap). Left floating, the assertion is never checked before the test ends.
 */
export function isPromiseAssertion(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  const binding = resolveModuleBinding(sourceCode, callee);
  if (binding && /^assert(?:\/strict)?$/.test(binding.module))
    return method === 'rejects' || method === 'doesNotReject';
  if (
    PROMISE_ASSERTIONS.has(method) &&
    callee.object.type === 'Identifier' &&
    isTestContextObject(callee.object, sourceCode)
  )
    return true;
  if (CHAI_PROMISE_ASSERTIONS.has(method) && /\bexpect\s*\(|\bshould\b/.test(sourceCode.getText(callee.object)))
    return true;
  if (isPlaywrightAsyncAssertion(callee, method, sourceCode)) return true;
  // `expect(p).rejects.toThrow(...)`, `expect(p).to.eventually.equal(1)`: a `rejects` / `resolves` / `eventually` link after `expect(...)`.
  for (let current: Node = callee.object; current.type === 'MemberExpression' || current.type === 'CallExpression';) {
    if (current.type === 'MemberExpression') {
      const name = !current.computed && current.property.type === 'Identifier' ? current.property.name : null;
      if (
        (name === 'rejects' || name === 'resolves' || name === 'eventually') &&
        /\bexpect\s*\(/.test(sourceCode.getText(current.object))
      )
        return true;
      current = current.object;
    } else current = current.callee;
  }
  return false;
}

/** `p.then(cb)` with `cb` as an argument: the call, else null. */
function chainCallOf(fn: FunctionNode): TSESTree.CallExpression | null {
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return null;
  return promiseMethodOf(call) !== null ? call : null;
}

/** Whether a promise chain's result is waited for: awaited, returned (or an arrow's body), or chained on and so. */
function chainIsWaitedFor(call: TSESTree.CallExpression): boolean {
  let top: Node = call;
  for (;;) {
    const parent: Node | undefined = top.parent;
    if (
      parent?.type === 'MemberExpression' &&
      parent.object === top &&
      parent.parent?.type === 'CallExpression' &&
      parent.parent.callee === parent
    )
      top = parent.parent;
    else if (
      parent?.type === 'ChainExpression' ||
      parent?.type === 'TSAsExpression' ||
      parent?.type === 'TSNonNullExpression'
    )
      top = parent;
    else break;
  }
  const parent = top.parent;
  return (
    parent?.type === 'AwaitExpression' ||
    parent?.type === 'ReturnStatement' ||
    (parent?.type === 'ArrowFunctionExpression' && parent.body === top)
  );
}

/**
 * Whether, in test code, a floating promise's failure still reaches the test runner and no
 * step of the test waits for it: mocha, vitest, jest's done tests and node:test fail on an
 * unhandled rejection or by timeout. That holds in sync code that nothing waits on: a done-style
 * test body (`it('x', (done) => ...)`, tape's `t.end()` / `t.plan()`), a listener or callback
 * inside a test, a sync helper that reports through a callback it is given, the top level of a
 * test-support script. It does not hold in a sync helper that returns nothing (its caller may be
 * an async test that goes on at once), nor
 * - in an async function: its author awaits elsewhere and forgot here, and the function
 *   (a test body, a helper it awaits) ends before the promise settles;
 * - directly in a sync test body without a done callback: the test ends before the promise
 *   settles, and what the promise checks is never checked;
 * - in a `.then` callback of a chain that is awaited or returned: the chain does not wait for it.
 */
export function failureReachesTestRunner(node: Node, sourceCode: SourceCode): boolean {
  const fn = innermostFunction(node);
  if (!fn) return true;
  if (fn.async || fn.generator) return false;
  const parent = fn.parent;
  if (
    parent?.type === 'CallExpression' &&
    parent.arguments.includes(fn as TSESTree.CallExpressionArgument) &&
    isTestRunnerCall(parent, sourceCode)
  ) {
    return reportsThroughDoneCallback(fn, sourceCode);
  }
  // In a callback of a chain: lost if the chain is waited for, or if the chain itself is lost.
  const chain = chainCallOf(fn);
  if (chain) return !chainIsWaitedFor(chain) && failureReachesTestRunner(chain, sourceCode);
  // A listener or callback inside a test: nothing waits for it, the runner sees its rejection.
  if (
    (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
    parent.arguments.includes(fn as TSESTree.CallExpressionArgument)
  )
    return true;
  // A helper: only one that reports through a callback it is given, as a done-style test does.
  return fn.params.some(
    (parameter) => parameter.type === 'Identifier' && callsParameter(fn, parameter.name, sourceCode),
  );
}

/**
 * Whether a floating promise's own code ends the test: it calls or hands on the `done` of the
 * done-style test around it (`client.closed.then(() => finish(done))`, an async IIFE that calls
 * `done()` at its end). The test waits for that call, so a rejection on the way shows as the
 * test's failure or timeout, wherever the promise is made (in an async setup callback, say).
 */
export function endsTestThroughDone(expression: Node, sourceCode: SourceCode): boolean {
  for (let fn = innermostFunction(expression); fn; fn = innermostFunction(fn)) {
    const parent = fn.parent;
    if (parent?.type !== 'CallExpression' || !parent.arguments.includes(fn as TSESTree.CallExpressionArgument))
      continue;
    if (!isTestRunnerCall(parent, sourceCode) || !reportsThroughDoneCallback(fn, sourceCode)) continue;
    const done = firstParameterVariable(fn, sourceCode);
    if (!done) return false;
    const finishers = [done, ...callbacksMadeFrom(done, sourceCode)];
    return finishers.some((finisher) =>
      finisher.references.some((reference) => contains(expression, reference.identifier)),
    );
  }
  return false;
}

type ScopeVariable = NonNullable<ReturnType<typeof variableOf>>;

/**
 * Callbacks made from `done`: `const partialDone = createPartialDone(done, 2)`, or from a function
 * that calls it (`createPartialDone(() => success(server, done), 2)`). The test waits for `done`,
 * so calling one of them ends the test as calling `done` does.
 */
function callbacksMadeFrom(done: ScopeVariable, sourceCode: SourceCode): ScopeVariable[] {
  const made: ScopeVariable[] = [];
  for (const reference of done.references) {
    let child = reference.identifier as Node;
    for (let parent = child.parent; parent; child = parent, parent = parent.parent) {
      if (parent.type !== 'VariableDeclarator') continue;
      const init = parent.init;
      const passed =
        init?.type === 'CallExpression' &&
        parent.id.type === 'Identifier' &&
        init.arguments.some((argument) => contains(argument, reference.identifier));
      const variable = passed ? declaredVariableOf(parent, sourceCode) : undefined;
      if (variable && !made.includes(variable)) made.push(variable);
      break;
    }
  }
  return made;
}

function declaredVariableOf(declarator: TSESTree.VariableDeclarator, sourceCode: SourceCode) {
  const declaration = declarator.parent as TSESTree.VariableDeclaration | undefined;
  // A `const`: the callback it holds is the one made here.
  if (declaration?.kind !== 'const') return undefined;
  return declaredVariables(sourceCode, declarator)[0];
}

function callsParameter(fn: FunctionNode, name: string, sourceCode: SourceCode): boolean {
  return new RegExp(`(?<![.\\w$])${name.replace(/\$/g, '\\$')}\\s*\\(`).test(sourceCode.getText(fn.body));
}

/** The variable of a function's first parameter when it is a plain name (a test's `done`). */
function firstParameterVariable(fn: FunctionNode, sourceCode: SourceCode) {
  const first = fn.params[0];
  if (!first || first.type !== 'Identifier') return undefined;
  return declaredVariables(sourceCode, fn).find((variable) => variable.name === first.name);
}

/**
 * A test body that ends through its first parameter (mocha's `done`): it calls it, or hands it to
 * code that will (`pool.end(done)`, `success(server, done)`), so the runner waits for that call
 * and reports a failure or a timeout. Or tape's `t.end()` / `t.plan()`.
 */
function reportsThroughDoneCallback(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (fn.params[0]?.type !== 'Identifier') return false;
  if (/\bt\.(?:end|plan)\s*\(/.test(sourceCode.getText(fn.body))) return true;
  const done = firstParameterVariable(fn, sourceCode);
  return (done?.references ?? []).some((reference) => {
    const use = reference.identifier as Node;
    const parent = use.parent;
    return (
      (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
      (parent.callee === use || parent.arguments.includes(use as TSESTree.CallExpressionArgument))
    );
  });
}

/**
 * Whether a failure at `node` ends a script with its error and nothing is cut short: the code runs
 * in one-shot or bench code of a file that never calls `process.exit()`, so the process runs until
 * its pending work is done, and an unhandled rejection ends it with the error, as a script wants.
 * With `ownChain`, an exit in a callback of that statement's own promise chain does not count:
 * `Promise.all(runs).then((codes) => { if (codes.some(failed)) process.exit(1) })` exits only once
 * the chain has settled, so it cuts nothing of it short.
 */
export function failureEndsScript(node: Node, where: WhereCodeRuns, sourceCode: SourceCode, ownChain?: Node): boolean {
  const context = where.at(node).context;
  if (!runsOnce(context) && context !== 'bench') return false;
  return !processExitsOf(sourceCode).some((exit) => !ownChain || !runsAfterChain(exit, ownChain));
}

/** Keyed by the tree: oxlint hands every file the same `sourceCode` object. */
const processExitMemo = new WeakMap<object, TSESTree.CallExpression[]>();

/**
 * The calls of `process.exit(...)` where it can cut off work in flight. A mention in a
 * comment (code left disabled) is no call, and an exit that runs only after a failure (in a
 * `catch` block, a `.catch` or `.then` rejection handler, an `uncaughtException` listener:
 * `main().catch((error) => { console.error(error); process.exit(1) })`) ends a run that failed
 * anyway: on the way that succeeds, the process still waits for what it started.
 */
function processExitsOf(sourceCode: SourceCode): TSESTree.CallExpression[] {
  let known = processExitMemo.get(sourceCode.ast);
  if (known === undefined) {
    const exits: TSESTree.CallExpression[] = [];
    if (/\bprocess\.exit\s*\(/.test(sourceCode.text)) {
      forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
        if (node.type === 'CallExpression' && isProcessExit(node, sourceCode) && !runsOnlyAfterFailure(node))
          exits.push(node);
        return undefined;
      });
    }
    processExitMemo.set(sourceCode.ast, (known = exits));
  }
  return known;
}

/** Whether an exit sits in `chain` only inside callbacks of its promise methods (`.then(cb)`, `.finally(cb)`). */
function runsAfterChain(exit: Node, chain: Node): boolean {
  let inCallback = false;
  for (let child: Node = exit, parent = exit.parent; parent; child = parent, parent = parent.parent) {
    if (child === chain) return inCallback;
    if (!isFunctionNode(child)) continue;
    if (parent.type !== 'CallExpression' || promiseMethodOf(parent) === null) return false;
    if (!parent.arguments.includes(child as TSESTree.Expression)) return false;
    inCallback = true;
  }
  return false;
}

function isProcessExit(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  return globalMemberName(call.callee, sourceCode, 'process') === 'exit';
}

const FAILURE_EVENTS = new Set(['uncaughtException', 'unhandledRejection']);

/** Whether code runs only once something failed: in a `catch` block, or a rejection or failure handler. */
function runsOnlyAfterFailure(node: Node): boolean {
  for (let child: Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'CatchClause' && child === parent.body) return true;
    if (!isFunctionNode(child) || parent.type !== 'CallExpression') continue;
    const method = promiseMethodOf(parent);
    const index = parent.arguments.indexOf(child as TSESTree.Expression);
    if ((method === 'catch' && index === 0) || (method === 'then' && index === 1)) return true;
    const event = parent.arguments[0];
    const listens = calledMethodName(parent) === 'on' || calledMethodName(parent) === 'once';
    if (listens && index === 1 && event?.type === 'Literal' && FAILURE_EVENTS.has(String(event.value))) return true;
  }
  return false;
}

/** Whether a statement runs once at the top of a file that runs once (a script's `main()` or IIFE). */
export function isScriptTopLevel(node: Node, where: WhereCodeRuns): boolean {
  if (!runsOnce(where.file.context)) return false;
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return false;
    if (current.type === 'Program') return true;
  }
  return false;
}

/** Whether a rule that reports everywhere has anything to report in this file (its code runs as written). */
export function codeRuns(context: Parameters<typeof whereCodeRunsFor>[0]): boolean {
  return whereCodeRunsFor(context).mayReport(RUN_CONTEXTS);
}

export {
  classifyFile,
  contextsOption,
  RUN_CONTEXTS,
  runsOnce,
  type ContextVerdict,
  type RunContext,
} from '../../../analysis/context/file-context.js';
export { packageFactsFromManifest } from '../../../analysis/context/package-facts.js';
export { runtimeOf, type Runtime } from './context/runtime.js';
export type { PackageFacts } from '../../../analysis/context/file-context.js';
