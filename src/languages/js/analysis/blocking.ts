/**
 * Blocking calls: which calls block the event loop (resolved through imports against a table of
 * APIs), and which sync helpers do so on the caller's behalf, within a file and across relative
 * imports, with the chain that proves it.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import {
  forEachDescendant,
  isFunctionNode,
  isLoopNode,
  isRepeatedPartOfLoop,
  memberPath,
  setsOption,
  skipTypeWrappers,
  skipWrappersAndChains,
  type FunctionNode,
} from './ast.js';
import { innermostFunction, SYNCHRONOUS_CALLBACK_METHODS } from './async-context.js';
import { resolveModuleBinding } from './imports.js';
import { chainRoot } from './members.js';
import { MemoTable } from './memo.js';
import { projectOf } from './project.js';
import {
  exportedFunctionFacts,
  resolveImportedFunction,
  resolveLocalFunction,
  type FunctionTarget,
  type ImportedFunction,
} from './functions.js';
import { isGlobalReference, variableOf } from './scope.js';

/** One row of the blocking-API table (rules/data/blocking-apis.ts). */
export interface BlockingApiEntry {
  /** Module specifiers without `node:`; `globalThis` for globals such as `Atomics`. */
  modules: readonly string[];
  /** Export path pattern: `readFileSync`, `*Sync`, `sync`, `()` (the module called), `*`. */
  name: string;
  /** Why it blocks, in a few words. */
  blocks: string;
  /** What to use instead. */
  replacement: string;
  /** Only a call without a callback argument blocks (`randomBytes(n)` vs `randomBytes(n, cb)`). */
  onlyWithoutCallback?: boolean;
  /** Only blocks noticeably when the first argument is a number above this (bytes). */
  minimumSize?: number;
  /**
   * `metadata`: one call asks the file system about one path (`existsSync`, `statSync`,
   * `realpathSync`). It blocks, but for microseconds on a local disk; it only adds up when it
   * runs once per element of some data, so a single call is not worth a finding.
   */
  cost?: 'metadata';
}

export interface BlockingApiMatch {
  api: BlockingApiEntry;
  /** How the finding names it: `fs.readFileSync`, `sync-request()`. */
  label: string;
}

export interface BlockingTable {
  /** Names the table across worker threads (its options): facts computed with it are shared by that name. */
  id: string;
  entries: readonly BlockingApiEntry[];
  /** Labels the user allows (`fs.existsSync`). */
  isAllowed(label: string): boolean;
}

export interface BlockingChain {
  /** Helper names from the called one inwards: `['loadConfig', 'readJson']`. */
  helpers: string[];
  match: BlockingApiMatch;
  /** Where the blocking API is called. */
  file: string;
  line: number;
  /**
   * Every blocking call the helper makes is a metadata call that runs once per call of the
   * helper (none in a loop or a per-element callback): it blocks for microseconds.
   */
  metadataOnly: boolean;
}

function namePattern(name: string): RegExp {
  return new RegExp(
    `^${name
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^.]*')}$`,
  );
}

/** Patterns come from the built-in table and users' configs: a process seeing many configs starts afresh past a bound. */
const MAX_CACHED_PATTERNS = 1024;
const patternCache = new Map<string, RegExp>();
function matchesName(pattern: string, exportPath: string): boolean {
  let expression = patternCache.get(pattern);
  if (!expression) {
    if (patternCache.size >= MAX_CACHED_PATTERNS) patternCache.clear();
    patternCache.set(pattern, (expression = namePattern(pattern)));
  }
  return expression.test(exportPath);
}

function numericValue(node: Node | undefined): number | null {
  if (!node) return null;
  const expression = skipTypeWrappers(node);
  if (expression.type === 'Literal' && typeof expression.value === 'number') return expression.value;
  if (expression.type === 'BinaryExpression' && expression.operator === '*') {
    const left = numericValue(expression.left);
    const right = numericValue(expression.right);
    return left !== null && right !== null ? left * right : null;
  }
  // `Buffer.alloc(n)`, `new Uint8Array(n)`: the size of the buffer being filled.
  if ((expression.type === 'CallExpression' || expression.type === 'NewExpression') && expression.arguments.length >= 1)
    return numericValue(expression.arguments[0]);
  return null;
}

function hasCallbackOrAsyncOption(call: TSESTree.CallExpression): boolean {
  return call.arguments.some((argument) => isFunctionNode(argument) || setsOption(argument, 'async', true));
}

/** The blocking API a call calls directly, resolved through imports; null when none. */
export function directBlockingApi(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  table: BlockingTable,
): BlockingApiMatch | null {
  let module: string;
  let exportPath: string;
  const binding = resolveModuleBinding(sourceCode, call.callee);
  if (binding) {
    module = binding.module;
    exportPath = binding.path.length === 0 ? '()' : binding.path.join('.');
  } else {
    // Globals such as `Atomics.wait`, when nothing local shadows them.
    const names = memberPath(call.callee);
    const root = names && call.callee.type === 'MemberExpression' ? rootIdentifier(call.callee) : null;
    if (!names || !root || !isGlobalReference(sourceCode, root)) return null;
    module = 'globalThis';
    exportPath = names.join('.');
  }
  for (const api of table.entries) {
    if (!api.modules.includes(module) || !matchesName(api.name, exportPath)) continue;
    if (api.onlyWithoutCallback && call.arguments.length >= 2) continue;
    if (module === 'shelljs' && hasCallbackOrAsyncOption(call)) continue;
    if (api.minimumSize !== undefined) {
      const size = numericValue(call.arguments[0]);
      if (size === null || size < api.minimumSize) continue;
    }
    const label =
      module === 'globalThis' ? exportPath : exportPath === '()' ? `${module}()` : `${module}.${exportPath}`;
    if (table.isAllowed(label)) return null;
    return { api, label };
  }
  return null;
}

function rootIdentifier(node: Node): TSESTree.Identifier | null {
  let current = node;
  while (current.type === 'MemberExpression') current = current.object;
  return current.type === 'Identifier' ? current : null;
}

/** Which exports of a file are blocking helpers, and their chains. */
const blockingChainKind = exportedFunctionFacts(
  'blocking-chains',
  (table: BlockingTable) => table.id,
  (fn, exportName, module, table) =>
    blockingChainOf({ fn, name: exportName, sourceCode: module.sourceCode, file: module.file }, table),
);

function exportedChain(imported: ImportedFunction, table: BlockingTable): BlockingChain | null {
  return imported.project.exportFacts(imported.file, blockingChainKind(table))?.get(imported.exportName) ?? null;
}

/** Why a call blocks through a sync helper (here or in an imported file): the helper's name and its chain. */
export function blockingHelperCall(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  table: BlockingTable,
): { name: string; chain: BlockingChain } | null {
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local) {
    const chain = blockingChainOf(local, table);
    return chain ? { name: local.name, chain } : null;
  }
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (!imported) return null;
  const chain = exportedChain(imported, table);
  return chain ? { name: imported.name, chain } : null;
}

const chainMemo = new MemoTable<FunctionNode, BlockingChain | null>();

/** Whether a callback runs once per element, while its caller runs (`items.map((x) => readFileSync(x))`). */
export function runsSynchronously(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent?.type !== 'CallExpression' || parent.arguments[0] !== fn) return false;
  const callee = parent.callee;
  return (
    callee.type === 'MemberExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    SYNCHRONOUS_CALLBACK_METHODS.has(callee.property.name)
  );
}

/** Why calling a sync function blocks the event loop (its first blocking call, followed through helpers), or null. */
export function blockingChainOf(target: FunctionTarget, table: BlockingTable): BlockingChain | null {
  if (target.fn.async || target.fn.generator || !target.fn.body) return null;
  // A helper met again while its own chain is being followed adds no blocking call of its own.
  const memo = chainMemo.for(table, projectOf(target.sourceCode).memoScope());
  return memo.answer(target.fn, () => computeBlockingChain(target, target.fn.body!, table), null);
}

function computeBlockingChain(
  target: FunctionTarget,
  body: NonNullable<FunctionNode['body']>,
  table: BlockingTable,
): BlockingChain | null {
  let result: BlockingChain | null = null;
  const calls: TSESTree.CallExpression[] = [];
  forEachDescendant(body, target.sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node) && !runsSynchronously(node)) return false;
    if (node.type === 'CallExpression') calls.push(node);
    return undefined;
  });
  // The first blocking call that costs more than a metadata call wins; a metadata call is the
  // answer only when the helper makes no other kind.
  let metadataChain: BlockingChain | null = null;
  for (const call of calls) {
    if (isMemoisedCall(call, target.sourceCode) || isOnErrorPath(call, target.sourceCode)) continue;
    let chain: BlockingChain | null = null;
    const match = directBlockingApi(call, target.sourceCode, table);
    if (match) {
      const line = target.sourceCode.getLoc(call).start.line;
      chain = { helpers: [], match, file: target.file, line, metadataOnly: match.api.cost === 'metadata' };
    } else {
      const inner = blockingHelperCall(call, target.sourceCode, target.file, table);
      if (inner) chain = { ...inner.chain, helpers: [inner.name, ...inner.chain.helpers] };
    }
    if (!chain) continue;
    if (chain.metadataOnly && repeatsWithin(call, target.fn)) chain = { ...chain, metadataOnly: false };
    if (!chain.metadataOnly) {
      result = chain;
      break;
    }
    metadataChain ??= chain;
  }
  result ??= metadataChain;
  return result;
}

/**
 * Whether a call runs more than once per call of `fn`: in the repeated part of a loop, or in a
 * callback that an array method runs once per element (`paths.filter((p) => existsSync(p))`).
 * `countsLoop`, given the repeated part of a loop the call sits in, may leave that loop out.
 */
export function repeatsWithin(
  call: TSESTree.CallExpression,
  fn: FunctionNode | null,
  countsLoop: (repeated: Node) => boolean = () => true,
): boolean {
  let child: Node = call;
  for (
    let current: Node | undefined = call.parent;
    current && current !== fn;
    child = current, current = current.parent
  ) {
    if (isLoopNode(current) && isRepeatedPartOfLoop(child, current) && countsLoop(child)) return true;
    if (isFunctionNode(current) && runsSynchronously(current)) return true;
  }
  return false;
}

/** The variable or `this` an expression is rooted at: `cache` for `cache.get(k)`, `this` for `this.sql`. */
function storageRoot(node: Node): TSESTree.Identifier | TSESTree.ThisExpression | null {
  const root = chainRoot(node);
  return root.type === 'Identifier' || root.type === 'ThisExpression' ? root : null;
}

/** Whether a storage root outlives a call of `fn`: `this`, or a variable declared outside it. */
function outlivesCall(
  root: TSESTree.Identifier | TSESTree.ThisExpression,
  fn: FunctionNode | null,
  sourceCode: SourceCode,
): boolean {
  if (root.type === 'ThisExpression') return fn !== null;
  const variable = variableOf(sourceCode, root);
  const declaration = variable?.defs[0]?.name;
  if (!variable || !declaration) return false;
  if (fn === null) return variable.scope.type === 'module' || variable.scope.type === 'global';
  if (!(fn.range[0] <= declaration.range[0] && declaration.range[1] <= fn.range[1])) return true;
  return isFoundElement(variable.defs[0]!, fn, sourceCode);
}

/** Array and map methods that hand back an element the collection already holds. */
const ELEMENT_LOOKUPS = new Set(['find', 'findLast', 'get', 'at']);

/**
 * Whether a `const` of `fn` holds an element found in a collection `fn` was given or that
 * outlives it (`const info = metadata.list.find((i) => i.file === file)`, `deps[id]`), directly
 * or through a sync function of this file that only returns such elements of its own parameters
 * (`const info = infoFromFile(metadata, file)`). The element existed before the call and stays in
 * the collection: what is stored on it is kept for the next call that finds it.
 */
function isFoundElement(
  definition: NonNullable<ReturnType<typeof variableOf>>['defs'][number],
  fn: FunctionNode,
  sourceCode: SourceCode,
): boolean {
  if (definition.type !== 'Variable' || definition.parent?.kind !== 'const') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  if (!init) return false;
  if (isElementOfGiven(init, fn, sourceCode)) return true;
  const expression = skipTypeWrappers(init);
  if (expression.type !== 'CallExpression') return false;
  const local = resolveLocalFunction(expression, sourceCode, '');
  return local !== null && !local.fn.async && returnsOnlyElementsOfParameters(local.fn, sourceCode);
}

/** `given.list.find(...)`, `given[key]`: an element of a collection rooted at a parameter of `fn` or at state outliving it. */
function isElementOfGiven(node: Node, fn: FunctionNode, sourceCode: SourceCode): boolean {
  const expression = skipWrappersAndChains(node);
  let collection: Node;
  if (expression.type === 'MemberExpression' && expression.computed) collection = expression.object;
  else if (
    expression.type === 'CallExpression' &&
    expression.callee.type === 'MemberExpression' &&
    !expression.callee.computed &&
    expression.callee.property.type === 'Identifier' &&
    ELEMENT_LOOKUPS.has(expression.callee.property.name)
  )
    collection = expression.callee.object;
  else return false;
  const root = storageRoot(collection);
  if (!root || root.type !== 'Identifier') return false;
  const definition = variableOf(sourceCode, root)?.defs[0];
  if (definition?.type === 'Parameter') return definition.node === fn;
  return outlivesCall(root, fn, sourceCode);
}

/** Whether every `return` of a sync function gives an element of a collection it was given (or nothing). */
function returnsOnlyElementsOfParameters(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (!fn.body) return false;
  if (fn.body.type !== 'BlockStatement') return isElementOfGiven(fn.body, fn, sourceCode);
  let returns = 0;
  let others = 0;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type !== 'ReturnStatement') return undefined;
    if (node.argument && isElementOfGiven(node.argument, fn, sourceCode)) returns++;
    else others++;
    return undefined;
  });
  return returns > 0 && others === 0;
}

/** Whether a condition reads long-lived state, directly or through a local read from it (`let sql = cache.get(name)`). */
function readsLongLivedState(test: Node, fn: FunctionNode | null, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(test, sourceCode.visitorKeys, (node) => {
    if (found) return false;
    if (node.type !== 'Identifier' && node.type !== 'ThisExpression') return undefined;
    if (outlivesCall(node, fn, sourceCode)) found = true;
    else if (node.type === 'Identifier') {
      const definition = variableOf(sourceCode, node)?.defs[0];
      const init = definition?.type === 'Variable' ? (definition.node as TSESTree.VariableDeclarator).init : null;
      const root = init ? storageRoot(init) : null;
      if (root && outlivesCall(root, fn, sourceCode)) found = true;
    }
    return undefined;
  });
  return found;
}

/** Whether a branch stores something in long-lived state: `cache.set(k, v)`, `cached = v`, `this.sql = v`. */
function storesLongLivedState(branch: Node, fn: FunctionNode | null, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(branch, sourceCode.visitorKeys, (node) => {
    if (found || isFunctionNode(node)) return false;
    let target: Node | null = null;
    if (node.type === 'AssignmentExpression') target = node.left;
    else if (
      node.type === 'CallExpression' &&
      node.callee.type === 'MemberExpression' &&
      !node.callee.computed &&
      node.callee.property.type === 'Identifier' &&
      node.callee.property.name === 'set'
    ) {
      target = node.callee.object;
    }
    const root = target ? storageRoot(target) : null;
    if (root && outlivesCall(root, fn, sourceCode)) found = true;
    return undefined;
  });
  return found;
}

/**
 * Whether a blocking call runs only when a cache misses, its result kept beyond the call:
 * `if (!cache.has(key)) cache.set(key, readFileSync(file))`, `this.sql ??= readFileSync(file)`.
 * Such a call blocks once per key for the process, not once per request.
 */
/**
 * Whether a call runs only on an error path: inside a `catch` clause of its function, or in a
 * branch taken only while a variable holds a caught failure (`if (manifestError) { ... }` where
 * `manifestError` is set only in a `catch` clause, and otherwise only cleared).
 */
export function isOnErrorPath(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  let child: Node = call;
  for (
    let current: Node | undefined = call.parent;
    current && !isFunctionNode(current);
    child = current, current = current.parent
  ) {
    if (current.type === 'CatchClause') return true;
    if (current.type === 'IfStatement' && child === current.consequent && holdsCaughtFailure(current.test, sourceCode))
      return true;
  }
  return false;
}

/** `null`, `undefined` or `void 0`: what clears a variable. */
function isEmptyValue(node: Node | null | undefined): boolean {
  if (!node) return true;
  const value = skipTypeWrappers(node);
  if (value.type === 'Literal') return value.value === null;
  if (value.type === 'Identifier') return value.name === 'undefined';
  return value.type === 'UnaryExpression' && value.operator === 'void';
}

/**
 * Whether a condition is true only while a variable holds a failure: `error`, `error != null`,
 * `error !== null` / `undefined`, where every value given to the variable other than an empty one
 * is given in a `catch` clause. The branch it guards runs after a failure, until it is cleared.
 */
function holdsCaughtFailure(test: Node, sourceCode: SourceCode): boolean {
  let subject: Node = test;
  if (test.type === 'BinaryExpression' && (test.operator === '!=' || test.operator === '!==')) {
    if (isEmptyValue(test.right)) subject = test.left;
    else if (isEmptyValue(test.left)) subject = test.right;
    else return false;
  }
  if (subject.type !== 'Identifier') return false;
  const variable = variableOf(sourceCode, subject);
  if (!variable || variable.defs.length !== 1 || variable.defs[0]!.type !== 'Variable') return false;
  let setInCatch = false;
  for (const reference of variable.references) {
    if (!reference.isWrite()) continue;
    const value = reference.writeExpr as Node | null | undefined;
    if (isEmptyValue(value)) continue;
    if (!insideCatchClause(reference.identifier as Node)) return false;
    setInCatch = true;
  }
  return setInCatch;
}

function insideCatchClause(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'CatchClause') return true;
  return false;
}

export function isMemoisedCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const fn = innermostFunction(call);
  let child: Node = call;
  for (let current: Node | undefined = call.parent; current; child = current, current = current.parent) {
    if (isFunctionNode(current)) return false;
    if (
      current.type === 'AssignmentExpression' &&
      (current.operator === '??=' || current.operator === '||=') &&
      child === current.right
    ) {
      const root = storageRoot(current.left);
      if (root && outlivesCall(root, fn, sourceCode)) return true;
    }
    if (current.type === 'IfStatement' && child !== current.test) {
      if (readsLongLivedState(current.test, fn, sourceCode) && storesLongLivedState(child, fn, sourceCode)) return true;
    }
  }
  return false;
}

/** `src/config.ts:12`, relative to the working directory when the file is under it. */
export function describeLocation(file: string, line: number, cwd: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  return `${shown.split(path.sep).join('/')}:${line}`;
}
