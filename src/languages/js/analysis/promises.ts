/**
 * "Is this expression a promise?" without a type checker. An expression is a promise when it is
 * a call of an async function (here, or exported by another file of the project), of a function
 * whose every return is a promise, of a known promise API (`fetch`, `node:fs/promises`,
 * `Promise.all`, results of `promisify`, `.then` chains, user-listed modules), or `new Promise`.
 * Shared by floating-promise and the rules that catch promises handed to sync code.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import {
  asFunction,
  classMethodOf,
  exportedFunctionFacts,
  findClassMethod,
  resolveImportedFunction,
  resolveLocalFunction,
} from './functions.js';
import { resolveModuleBinding } from './imports.js';
import { globalMemberName, promiseMethodOf } from './members.js';
import { MemoTable } from './memo.js';
import { projectOf, relativeSpecifiers, type ProjectFacts } from './project.js';
import { declaredVariables, isGlobalReference, variableOf } from './scope.js';
import { isPromiseAssertion } from './run-context.js';
import { isWebStreamPromiseCall } from './web-streams.js';
import { isPackageResultPromiseCall } from './package-results.js';
import { knownValue, OBJECT, type KnownValue } from './constant-values.js';
import { functionsAssignedToCallee } from './assigned-members.js';
import { asyncImplementationFacts, implementedAsyncHere } from './implementations.js';
import { awaitsNothing, mayBePending } from './async-context.js';
import { everyPackageMethodNeverRejects, memberDefinitionFacts } from './package-methods.js';
import {
  declaredSignatureFacts,
  exportedMethodFacts,
  handsOnKnownExports,
  mayBePromiseType,
  overridablePromiseMethodKind,
  overridablePromiseReturn,
  resolveReceiverMethod,
} from './typed-receivers.js';

export interface PromiseApi {
  /** Module specifier without `node:`. */
  module: string;
  /** Export name, or `*` for every export of the module. */
  name: string;
}

export interface PromiseKnowledge {
  /** The user's own promise-returning APIs. */
  promiseApis: readonly PromiseApi[];
}

/** What every rule knows without options: one object, so the rules share memos and facts. */
export const DEFAULT_PROMISE_KNOWLEDGE: PromiseKnowledge = { promiseApis: [] };

/**
 * Modules whose functions return promises, with the exports that do not (Node's documentation):
 * `createInterface` returns the interface itself, `watch` and `setInterval` an async iterator,
 * the DNS server settings and the inspector's `open` / `url` work synchronously.
 */
const PROMISE_MODULES = new Map<string, ReadonlySet<string>>([
  ['fs/promises', new Set(['watch', 'constants'])],
  ['timers/promises', new Set(['setInterval'])],
  ['stream/promises', new Set()],
  ['dns/promises', new Set(['getServers', 'setServers', 'getDefaultResultOrder', 'setDefaultResultOrder'])],
  ['readline/promises', new Set(['createInterface'])],
  ['inspector/promises', new Set(['open', 'close', 'url', 'waitForDebugger'])],
]);

/** `readFile` of 'node:fs/promises': a promise; its `watch`: not. */
function isPromiseModuleExport(binding: { module: string; path: readonly string[] }): boolean {
  const syncExports = PROMISE_MODULES.get(binding.module);
  const exportName = binding.path[0];
  return !!syncExports && exportName !== undefined && !syncExports.has(exportName);
}
const PROMISE_STATICS = new Set(['all', 'allSettled', 'any', 'race', 'resolve', 'reject', 'try']);

/**
 * 'always': async, declared `Promise<...>`, or every return is a promise. 'mostly': some early
 * `return;` exits too (a `Promise | undefined`, as the checker would see it), but no more of them
 * than promise returns. A call of a 'mostly' function that passes a callback is the Node dual
 * API (`close(callback)` returns nothing; `close()` returns a promise) and is not a promise.
 */
type PromiseReturn = 'always' | 'mostly' | false;

const promiseReturnMemo = new MemoTable<FunctionNode, PromiseReturn>();

/** The return statements of a function itself (not of functions nested in it). */
function ownReturns(fn: FunctionNode, sourceCode: SourceCode): TSESTree.ReturnStatement[] {
  const returns: TSESTree.ReturnStatement[] = [];
  if (fn.body?.type !== 'BlockStatement') return returns;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type === 'ReturnStatement') returns.push(node);
    return undefined;
  });
  return returns;
}

/** A declared return type of `Promise<...>` or `PromiseLike<...>`: the author says so, no checker needed. */
export function declaresPromiseReturn(node: Node): boolean {
  const returnType = (node as { returnType?: TSESTree.TSTypeAnnotation | null }).returnType?.typeAnnotation;
  return (
    returnType?.type === 'TSTypeReference' &&
    returnType.typeName.type === 'Identifier' &&
    (returnType.typeName.name === 'Promise' || returnType.typeName.name === 'PromiseLike')
  );
}

/** How surely a function returns a promise (see PromiseReturn). */
export function promiseReturnOf(
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): PromiseReturn {
  if (fn.async) return fn.generator ? false : 'always';
  if (declaresPromiseReturn(fn)) return 'always';
  if (fn.generator || !fn.body) return false;
  // A function met again while its own answer is being worked out is assumed not to return one.
  const memo = promiseReturnMemo.for(knowledge, projectOf(sourceCode).memoScope());
  const kind = memo.answer(fn, () => computePromiseReturn(fn, fn.body!, sourceCode, file, knowledge), false);
  // `stopProfiler(log): void | Promise<void>` with an early `return;`: declared to give a promise
  // whether or not a callback is passed, so it is not the callback-or-promise dual API, unless its
  // own body calls a parameter (`withTTY(fn)` returns `fn()`'s result: a promise only if fn gives one).
  return kind === 'mostly' && mayBePromiseType(fn.returnType?.typeAnnotation) && !callsOwnParameter(fn, sourceCode)
    ? 'always'
    : kind;
}

/** Whether a function's own body (not a function nested in it) calls one of its parameters. */
function callsOwnParameter(fn: FunctionNode, sourceCode: SourceCode): boolean {
  const parameters = new Set(
    declaredVariables(sourceCode, fn).filter((variable) => variable.defs[0]?.type === 'Parameter'),
  );
  let found = false;
  forEachDescendant(fn.body!, sourceCode.visitorKeys, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier') {
      const variable = variableOf(sourceCode, node.callee);
      if (variable && parameters.has(variable)) found = true;
    }
    return undefined;
  });
  return found;
}

function computePromiseReturn(
  fn: FunctionNode,
  body: NonNullable<FunctionNode['body']>,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): PromiseReturn {
  let result: PromiseReturn = false;
  if (body.type !== 'BlockStatement')
    result = isPromiseExpression(body, sourceCode, file, knowledge) ? 'always' : false;
  else {
    const returns = ownReturns(fn, sourceCode);
    const withValue = returns.filter((statement) => statement.argument != null);
    // Falling off the end is one more exit without a value.
    const last = body.body[body.body.length - 1];
    const fallsThrough = last === undefined || (last.type !== 'ReturnStatement' && last.type !== 'ThrowStatement');
    const bare = returns.length - withValue.length + (fallsThrough ? 1 : 0);
    if (
      withValue.length > 0 &&
      withValue.every((statement) => isPromiseExpression(statement.argument!, sourceCode, file, knowledge))
    ) {
      result = bare === 0 ? 'always' : bare <= withValue.length ? 'mostly' : false;
    }
  }
  return result;
}

/** An async function, one declared to return a promise, or one whose returns are promises (see PromiseReturn). */
export function functionReturnsPromise(
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  return promiseReturnOf(fn, sourceCode, file, knowledge) !== false;
}

function passesCallback(call: TSESTree.CallExpression): boolean {
  return call.arguments.some((argument) => isFunctionNode(argument));
}

function callsPromiseFunction(call: TSESTree.CallExpression, kind: PromiseReturn): boolean {
  return kind === 'always' || (kind === 'mostly' && !passesCallback(call));
}

function isGlobalPromise(node: Node, sourceCode: SourceCode): boolean {
  return node.type === 'Identifier' && node.name === 'Promise' && isGlobalReference(sourceCode, node);
}

/** `const read = promisify(fs.readFile)` and `util.promisify(...)`. */
function isPromisifiedFunction(callee: Node, sourceCode: SourceCode): boolean {
  if (callee.type !== 'Identifier') return false;
  const definition = variableOf(sourceCode, callee)?.defs[0];
  if (definition?.type !== 'Variable') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  if (!init) return false;
  const call = skipTypeWrappers(init);
  if (call.type !== 'CallExpression') return false;
  const binding = resolveModuleBinding(sourceCode, call.callee);
  return binding?.module === 'util' && binding.path.join('.') === 'promisify';
}

function isKnownPromiseApi(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  knowledge: PromiseKnowledge,
): boolean {
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  if (callee.type === 'Identifier' && callee.name === 'fetch' && isGlobalReference(sourceCode, callee)) return true;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
    if (isGlobalPromise(callee.object, sourceCode) && PROMISE_STATICS.has(callee.property.name)) return true;
  }
  const binding = resolveModuleBinding(sourceCode, callee);
  if (binding) {
    if (isPromiseModuleExport(binding)) return true;
    if (binding.module === 'fs' && binding.path[0] === 'promises' && binding.path.length === 2) return true;
    const exportName = binding.path.join('.') || 'default';
    if (
      knowledge.promiseApis.some(
        (api) => api.module === binding.module && (api.name === '*' || api.name === exportName),
      )
    )
      return true;
  }
  return isPromisifiedFunction(callee, sourceCode);
}

/** Which exports of a file return promises, and how surely. */
const promiseReturnKind = exportedFunctionFacts(
  'promise-returns',
  (knowledge: PromiseKnowledge) => JSON.stringify(knowledge.promiseApis),
  (fn, _name, module, knowledge): PromiseReturn => promiseReturnOf(fn, module.sourceCode, module.file, knowledge),
);

function importedReturnsPromise(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (!imported) return false;
  const facts = imported.project.exportFacts(imported.file, promiseReturnKind(knowledge));
  return callsPromiseFunction(call, facts?.get(imported.exportName) ?? false);
}

/**
 * Words without which isPromiseExpression finds no promise in a file: `async`, `Promise`, `.then`
 * / `.catch` / `.finally`, `fetch`, `promisify`, the `fs/promises`-style modules and `fs.promises`,
 * `import(...)`, WHATWG streams (`ReadableStream`, `.pipeTo`, `.tee`), Playwright's `@playwright/test`
 * (its web-first matchers), and the user's own promise modules.
 */
const PROMISE_WORDS = String.raw`\b(?:async|await|Promise|PromiseLike|fetch|promisify|promises|ReadableStream)\b|\.\s*(?:then|catch|finally|pipeTo|tee)\b|\bimport\s*\(|@playwright\/test`;
const promiseTextTests = new WeakMap<PromiseKnowledge, RegExp>();

function promiseTextTest(knowledge: PromiseKnowledge): RegExp {
  let test = promiseTextTests.get(knowledge);
  if (!test) {
    const modules = [...new Set(knowledge.promiseApis.map((api) => api.module))].map((module) =>
      module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
    promiseTextTests.set(
      knowledge,
      (test = new RegExp(modules.length > 0 ? `${PROMISE_WORDS}|${modules.join('|')}` : PROMISE_WORDS)),
    );
  }
  return test;
}

/**
 * Forms that export what another file exports (`export * from`, `export { a } from`, a CommonJS
 * `require` assigned to the exports): the facts of a file's own exports say nothing of those.
 */
const HANDS_ON_EXPORTS = /\bexport\s*(?:\*|\{[^}]*\}\s*from\b)|\brequire\s*\(/;

/** How deep imports of imports are followed before a file is assumed to pass promises on. */
const PROMISE_IMPORT_DEPTH = 4;

/**
 * Whether an imported file may export a function returning a promise: its facts when a lint has
 * computed them (and the files it hands exports on from), else its words, and the files it
 * imports in turn (a function may return their promises). Every file looked at becomes a
 * dependency of the result.
 */
function mayExportPromises(
  project: ProjectFacts,
  file: string,
  knowledge: PromiseKnowledge,
  visited: Set<string>,
  depth: number,
): boolean {
  if (visited.has(file)) return false;
  visited.add(file);
  // Functions and the methods of classes (`store: Store` in the importer): a "no" needs both.
  const known = project.knownExportFacts(file, promiseReturnKind(knowledge));
  const knownMethods = project.knownExportFacts(file, methodPromiseReturnKind(knowledge));
  const returnsOne = (facts: Map<string, PromiseReturn>) => [...facts.values()].some((kind) => kind !== false);
  if ((known && returnsOne(known)) || (knownMethods && returnsOne(knownMethods))) return true;
  // Facts are of the file's own exports: what it hands on from other files is theirs.
  const ownOnly = known !== undefined && knownMethods !== undefined;
  if (ownOnly && handsOnKnownExports(project, file) === false) return false;
  const look = project.lookAtText(file, knowledge, (text) => ({
    words: promiseTextTest(knowledge).test(text),
    specifiers: relativeSpecifiers(text),
    handsOn: HANDS_ON_EXPORTS.test(text),
  }));
  if (look === null) return false;
  if (ownOnly) {
    if (!look.handsOn) return false;
  } else if (look.words) return true;
  if (look.specifiers.length === 0) return false;
  if (depth >= PROMISE_IMPORT_DEPTH) return true;
  return look.specifiers.some((specifier) => {
    const target = project.resolveModule(file, specifier);
    return target !== null && mayExportPromises(project, target, knowledge, visited, depth + 1);
  });
}

/**
 * Whether a file may hold a promise isPromiseExpression would find, from its text alone: one of
 * the words such a promise needs, or a relative import of a file that may export an async
 * function. Never false where a promise is (the fixtures check every rule that uses it on files
 * that pass and fail it); rules with nothing to look for skip the file, and so does its parse.
 */
export function mayContainPromises(sourceCode: SourceCode, file: string, knowledge: PromiseKnowledge): boolean {
  const text = sourceCode.text;
  const project = projectOf(sourceCode);
  // Several rules ask in a row about the same file.
  const last = lastContainsAnswer.get(knowledge);
  if (last && last.file === file && last.text === text && last.project === project) {
    project.noteDependencies(last.dependencies);
    return last.answer;
  }
  // Only a "no" depends on the files looked at: after a "yes" the rule runs in full, and its
  // findings depend on the facts it uses (recorded as it uses them), not on this look.
  const { value: answer, dependencies: looked } = project.recordDependencies(
    () => computeMayContainPromises(project, text, file, knowledge),
    { propagate: false },
  );
  const dependencies = answer ? new Map<string, string | null>() : looked;
  project.noteDependencies(dependencies);
  lastContainsAnswer.set(knowledge, { file, text, project, answer, dependencies });
  return answer;
}

interface ContainsAnswer {
  file: string;
  text: string;
  project: ProjectFacts;
  answer: boolean;
  dependencies: Map<string, string | null>;
}

const lastContainsAnswer = new WeakMap<PromiseKnowledge, ContainsAnswer>();

function computeMayContainPromises(
  project: ProjectFacts,
  text: string,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  if (promiseTextTest(knowledge).test(text)) return true;
  const visited = new Set<string>([file]);
  for (const specifier of relativeSpecifiers(text)) {
    const target = project.resolveModule(file, specifier);
    if (target !== null && mayExportPromises(project, target, knowledge, visited, 1)) return true;
  }
  return false;
}

const callMemo = new MemoTable<TSESTree.CallExpression, boolean>();

/** Whether a call returns a promise, by the knowledge above (memoised per call: rules ask repeatedly). */
export function callReturnsPromise(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const memo = callMemo.for(knowledge, projectOf(sourceCode).memoScope());
  return memo.answer(call, () => computeCallReturnsPromise(call, sourceCode, file, knowledge), false);
}

function computeCallReturnsPromise(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  if (promiseMethodOf(call)) return true;
  if (isKnownPromiseApi(call, sourceCode, knowledge)) return true;
  if (isPromiseAssertion(call, sourceCode)) return true;
  if (isWebStreamPromiseCall(call, sourceCode) || isPackageResultPromiseCall(call, sourceCode)) return true;
  const assigned = functionsAssignedToCallee(call, sourceCode);
  if (assigned)
    return assigned.every((fn) => callsPromiseFunction(call, promiseReturnOf(fn, sourceCode, file, knowledge)));
  const callee = skipTypeWrappers(call.callee);
  // An immediately invoked function: `(async () => { ... })()`.
  if (isFunctionNode(callee)) return callsPromiseFunction(call, promiseReturnOf(callee, sourceCode, file, knowledge));
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local) return callsPromiseFunction(call, promiseReturnOf(local.fn, local.sourceCode, local.file, knowledge));
  if (callee.type === 'Identifier') {
    // `declare function save(): Promise<void>;` and overload signatures carry the answer in their type.
    const definition = variableOf(sourceCode, callee)?.defs[0];
    if (definition?.type === 'FunctionName' && declaresPromiseReturn(definition.node as Node)) return true;
  }
  return (
    importedReturnsPromise(call, sourceCode, file, knowledge) ||
    receiverMethodReturnsPromise(call, sourceCode, file, knowledge)
  );
}

/** Which methods of a file's exported classes return promises, and how surely. */
const methodPromiseReturnKind = exportedMethodFacts(
  'promise-returns-methods',
  (knowledge: PromiseKnowledge) => JSON.stringify(knowledge.promiseApis),
  (fn, module, knowledge): PromiseReturn => promiseReturnOf(fn, module.sourceCode, module.file, knowledge),
);

/**
 * Whether the receiver of `receiver.method()` is `super`, or an object made by `new Class()` (a
 * `const`, or a field given one where it is declared): then the class's own method runs, not an
 * override.
 */
function receiverIsExact(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const receiver = skipTypeWrappers(callee.object);
  if (receiver.type === 'Super') return true;
  let made: Node | null | undefined = null;
  if (receiver.type === 'Identifier') {
    const definition = variableOf(sourceCode, receiver)?.defs[0];
    if (definition?.type === 'Variable' && (definition.parent as TSESTree.VariableDeclaration).kind === 'const')
      made = (definition.node as TSESTree.VariableDeclarator).init;
  } else if (receiver.type === 'MemberExpression' && receiver.object.type === 'ThisExpression' && !receiver.computed) {
    const name = receiver.property.type === 'Identifier' ? receiver.property.name : null;
    for (let node: Node | undefined = receiver.parent; node && name; node = node.parent) {
      if (node.type !== 'ClassBody') continue;
      const field = node.body.find(
        (element) =>
          element.type === 'PropertyDefinition' &&
          !element.static &&
          element.key.type === 'Identifier' &&
          element.key.name === name,
      ) as TSESTree.PropertyDefinition | undefined;
      made = field?.value;
      break;
    }
  }
  return made != null && skipTypeWrappers(made).type === 'NewExpression';
}

/** `store.load(id)` where `store: Store` (a parameter, field or `const`) and `Store#load` returns a promise. */
function receiverMethodReturnsPromise(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const method = resolveReceiverMethod(call, sourceCode, file);
  if (!method) return false;
  if (method.kind === 'local')
    return (
      callsPromiseFunction(call, promiseReturnOf(method.fn, sourceCode, file, knowledge)) ||
      (overridablePromiseReturn(method.fn) !== false && !receiverIsExact(call, sourceCode))
    );
  // A method declared to return nothing may still be made `async` by every object the file
  // declaring its type makes of it (`send(data): void` beside `async send(data) {...}`).
  if (method.kind === 'signature') return method.returnsPromise || implementedAsyncHere(sourceCode, method.name);
  const facts = method.project.exportFacts(method.file, methodPromiseReturnKind(knowledge));
  const kind = facts?.get(method.key);
  if (kind !== undefined)
    return (
      callsPromiseFunction(call, kind) ||
      ((method.project.exportFacts(method.file, overridablePromiseMethodKind)?.get(method.key) ?? false) &&
        !receiverIsExact(call, sourceCode))
    );
  // `transport: Transport` of an exported interface whose `send(data): Promise<void>` says so.
  return (
    (method.project.exportFacts(method.file, declaredSignatureFacts)?.get(method.key) ?? false) ||
    (method.project.exportFacts(method.file, asyncImplementationFacts)?.get(method.key) ?? false)
  );
}

/**
 * Whether an expression has a shape isPromiseExpression can say yes to (a call, `new`, `import()`,
 * an identifier, or a conditional, logical or sequence expression ending in one): a cheap "no"
 * for the rest (`await x`, literals, functions, members), which asks neither scopes nor other files.
 * Keep it in step with isPromiseExpression's cases.
 */
export function mayBePromiseExpression(node: Node): boolean {
  const expression = skipTypeWrappers(node);
  switch (expression.type) {
    case 'ChainExpression':
      return mayBePromiseExpression(expression.expression);
    case 'CallExpression':
    case 'NewExpression':
    case 'ImportExpression':
    case 'Identifier':
      return true;
    case 'ConditionalExpression':
      return mayBePromiseExpression(expression.consequent) || mayBePromiseExpression(expression.alternate);
    case 'LogicalExpression':
      return mayBePromiseExpression(expression.right);
    case 'SequenceExpression':
      return mayBePromiseExpression(expression.expressions[expression.expressions.length - 1]!);
    default:
      return false;
  }
}

/** Whether an expression evaluates to a promise, by the knowledge above. */
export function isPromiseExpression(
  node: Node,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const expression = skipTypeWrappers(node);
  switch (expression.type) {
    case 'ChainExpression':
      return isPromiseExpression(expression.expression, sourceCode, file, knowledge);
    case 'CallExpression':
      return callReturnsPromise(expression, sourceCode, file, knowledge);
    case 'NewExpression':
      return isGlobalPromise(expression.callee, sourceCode);
    case 'ImportExpression':
      return true;
    case 'Identifier': {
      // `const pending = new Promise(...); ... return pending;`
      const variable = variableOf(sourceCode, expression);
      const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (
        definition?.type !== 'Variable' ||
        (definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const'
      )
        return false;
      const init = (definition.node as TSESTree.VariableDeclarator).init;
      return init != null && init !== node && isPromiseExpression(init, sourceCode, file, knowledge);
    }
    case 'ConditionalExpression':
      return (
        isPromiseExpression(expression.consequent, sourceCode, file, knowledge) ||
        isPromiseExpression(expression.alternate, sourceCode, file, knowledge)
      );
    case 'LogicalExpression':
      return isPromiseExpression(expression.right, sourceCode, file, knowledge);
    case 'SequenceExpression':
      return isPromiseExpression(
        expression.expressions[expression.expressions.length - 1]!,
        sourceCode,
        file,
        knowledge,
      );
    default:
      return false;
  }
}

/** Whether a statement can reject the surrounding async function: it awaits or throws (outside nested functions). */
function mayThrowAsync(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (isFunctionNode(current)) return false;
    if (
      current.type === 'AwaitExpression' ||
      current.type === 'ThrowStatement' ||
      (current.type === 'ForOfStatement' && current.await)
    )
      found = true;
    return !found;
  });
  return found;
}

/** Modules whose functions exist to throw: assertion libraries and test runners' `expect`. */
const ASSERTION_MODULE = /^(?:node:)?assert(?:\/strict)?$|^chai$|^vitest$|^@jest\/globals$|^expect$|^node:test$/;

/** Whether a call is an assertion (`expect(x).toBe(1)`, `assert.equal(a, b)`): a call that throws by design. */
function isAssertionCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  let root: Node = call.callee;
  while (root.type === 'MemberExpression' || root.type === 'CallExpression' || root.type === 'ChainExpression') {
    root =
      root.type === 'MemberExpression' ? root.object : root.type === 'CallExpression' ? root.callee : root.expression;
  }
  if (root.type !== 'Identifier') return false;
  const binding = resolveModuleBinding(sourceCode, root);
  return binding
    ? ASSERTION_MODULE.test(binding.module)
    : (root.name === 'expect' || root.name === 'assert') && isGlobalReference(sourceCode, root);
}

/** Whether code calls an assertion, outside nested functions. */
function callsAssertion(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || isFunctionNode(current)) return false;
    if (current.type === 'CallExpression' && isAssertionCall(current, sourceCode)) found = true;
    return undefined;
  });
  return found;
}

/**
 * Whether an async function's code can reject its promise: an `await`, `for await` or `throw`
 * that no enclosing `try` with a `catch` protects (a `catch` or `finally` that can itself reject
 * counts as well), or a `return` of a pending value (`return fetch(url)` escapes any `try`).
 * Sync calls are taken not to throw, as everywhere in this file, but for `emit('error', err)`, which
 * throws when nothing listens for 'error'. An `assert(invariant)` before the
 * first await is a programming error, not a failure to handle (test helpers that only assert are
 * caught by `callsAssertion` in the async-in-name case).
 */
function mayRejectIn(
  node: Node,
  sourceCode: SourceCode,
  neverRejects: (call: TSESTree.CallExpression) => boolean = () => false,
  onlyWaits: (call: TSESTree.CallExpression) => boolean = () => false,
): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || (current !== node && isFunctionNode(current))) return false;
    if (current.type === 'TryStatement' && current.handler) {
      if (
        mayRejectIn(current.handler.body, sourceCode, neverRejects, onlyWaits) ||
        (current.finalizer && mayRejectIn(current.finalizer, sourceCode, neverRejects, onlyWaits))
      )
        found = true;
      else if (returnsPending(current.block, sourceCode)) found = true;
      return false;
    }
    // `await cleanup()` where `cleanup` catches everything itself cannot reject here either.
    const safeCall = (value: Node) => {
      const call = unwrapChain(skipTypeWrappers(value));
      // A wait (`await new Promise((r) => setTimeout(r, ms))`, `await delay(ms)`) cannot reject.
      if (call.type === 'NewExpression') return isResolveOnlyPromise(call, sourceCode);
      return call.type === 'CallExpression' && (neverRejects(call) || onlyWaits(call));
    };
    if (current.type === 'AwaitExpression' && safeCall(current.argument)) return undefined;
    if (current.type === 'CallExpression' && emitsError(current)) found = true;
    if (
      current.type === 'AwaitExpression' ||
      current.type === 'ThrowStatement' ||
      (current.type === 'ForOfStatement' && current.await)
    )
      found = true;
    else if (current.type === 'ReturnStatement' && current.argument && isPendingValue(current.argument)) {
      if (!safeCall(current.argument)) found = true;
    }
    return undefined;
  });
  return found;
}

/**
 * `new Promise((resolve) => setTimeout(resolve, ms))`: a sync executor that never names its
 * `reject` (sync code taken not to throw, as everywhere here) makes a promise that cannot reject.
 */
export function isResolveOnlyPromise(construction: TSESTree.NewExpression, sourceCode: SourceCode): boolean {
  const callee = construction.callee;
  if (callee.type !== 'Identifier' || callee.name !== 'Promise' || !isGlobalReference(sourceCode, callee)) return false;
  const executor = asFunction(construction.arguments[0]);
  if (!executor || executor.async || executor.generator) return false;
  const reject = executor.params[1];
  if (!reject) return true;
  if (reject.type !== 'Identifier') return false;
  const variable = declaredVariables(sourceCode, executor).find((each) => each.name === reject.name);
  return variable !== undefined && variable.references.length === 0;
}

/**
 * Whether a call only waits: it calls a function of this file or another of the project whose
 * every result is a promise made to resolve later
 * (`const delay = (ms) => new Promise((r) => setTimeout(r, ms))`). Such a promise cannot reject,
 * but left floating it does nothing at all: the wait was the point.
 */
export function callOnlyWaits(call: TSESTree.CallExpression, sourceCode: SourceCode, file: string): boolean {
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local) return functionOnlyWaits(local.fn, local.sourceCode);
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (!imported) return false;
  return (
    imported.project.exportFacts(imported.file, onlyWaitsKind(DEFAULT_PROMISE_KNOWLEDGE))?.get(imported.exportName) ??
    false
  );
}

function functionOnlyWaits(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (fn.async || fn.generator || !fn.body) return false;
  const results = fn.body.type === 'BlockStatement' ? ownReturns(fn, sourceCode).map((r) => r.argument) : [fn.body];
  return (
    results.length > 0 &&
    results.every((result) => {
      const value = result ? skipTypeWrappers(result) : null;
      return value?.type === 'NewExpression' && isResolveOnlyPromise(value, sourceCode);
    })
  );
}

/** Which exports of a file only wait (see callOnlyWaits); the answer needs no options. */
const onlyWaitsKind = exportedFunctionFacts(
  'only-waits',
  () => '',
  (fn, _name, module) => functionOnlyWaits(fn, module.sourceCode),
);

/** A value that is no thenable: a literal, a fresh array or object, or a `const` made as one. */
function isPlainValue(node: Node, sourceCode: SourceCode): boolean {
  const expression = skipTypeWrappers(node);
  if (expression.type === 'Identifier') {
    const definition = variableOf(sourceCode, expression)?.defs[0];
    if (definition?.type !== 'Variable' || (definition.parent as TSESTree.VariableDeclaration).kind !== 'const')
      return false;
    const init = (definition.node as TSESTree.VariableDeclarator).init;
    return init != null && init.type !== 'Identifier' && isPlainValue(init, sourceCode);
  }
  return (
    expression.type === 'Literal' ||
    expression.type === 'TemplateLiteral' ||
    expression.type === 'ArrayExpression' ||
    expression.type === 'ObjectExpression'
  );
}

/**
 * `Promise.resolve()` or `Promise.resolve(sockets)` of a plain value: it rejects only when given a
 * thenable that rejects, so it cannot.
 */
function resolvesPlainValue(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  if (callee.property.name !== 'resolve' || !isGlobalPromise(callee.object, sourceCode)) return false;
  const value = call.arguments[0];
  return value === undefined || (value.type !== 'SpreadElement' && isPlainValue(value, sourceCode));
}

/** `Promise.allSettled`: it resolves with every outcome, rejected ones included, and never rejects. */
function isSettledCombinator(callee: Node, sourceCode: SourceCode): boolean {
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const object = callee.object;
  return (
    callee.property.name === 'allSettled' &&
    object.type === 'Identifier' &&
    object.name === 'Promise' &&
    isGlobalReference(sourceCode, object)
  );
}

/** Whether a sync callback hands on a promise: an arrow's body known to be one, or a `return` of a pending value. */
function returnsPendingFrom(
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  if (fn.body.type !== 'BlockStatement') return isPromiseExpression(fn.body, sourceCode, file, knowledge);
  return returnsPending(fn.body, sourceCode);
}

/**
 * `this.emit('error', err)`: an EventEmitter throws the error when no 'error' listener is
 * registered, so a catch that reports this way may rethrow after all.
 */
function emitsError(call: TSESTree.CallExpression): boolean {
  const callee = unwrapChain(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const event = call.arguments[0];
  if (callee.property.name !== 'emit' || event?.type !== 'Literal' || event.value !== 'error') return false;
  // `this.emit` of a class that extends nothing and writes its own `emit` (a broadcaster) is that
  // class's method; one that extends a class (an emitter) and overrides `emit` hands on to it.
  return !(callee.object.type === 'ThisExpression' && baseClassDefinesMethod(call, 'emit'));
}

function baseClassDefinesMethod(from: Node, name: string): boolean {
  let body: Node | undefined = from.parent;
  while (body && body.type !== 'ClassBody') body = body.parent;
  const declaration = body?.parent as TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined;
  return declaration !== undefined && !declaration.superClass && findClassMethod(from, name) !== null;
}

function unwrapChain(node: Node): Node {
  return node.type === 'ChainExpression' ? node.expression : node;
}

/** A returned value that may be a pending promise (not awaited, not a literal, fresh object or variable). */
function isPendingValue(node: Node): boolean {
  return mayBePending(node, true);
}

function returnsPending(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || isFunctionNode(current)) return false;
    if (current.type === 'ReturnStatement' && current.argument && isPendingValue(current.argument)) found = true;
    return undefined;
  });
  return found;
}

function containsTryWithCatch(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || isFunctionNode(current)) return false;
    if (current.type === 'TryStatement' && current.handler) found = true;
    return undefined;
  });
  return found;
}

const neverRejectsMemo = new MemoTable<FunctionNode, boolean>();

/**
 * A function whose promise cannot reject: an async function that awaits nothing, returns
 * nothing pending, has no `throw` and calls no assertion (async only in name:
 * `async error(msg) { console.error(msg) }`),
 * an async function whose every await, throw and assertion sits in a `try` whose `catch` does not
 * rethrow (`(async () => { try { ... } catch { log() } })()`, one `try` per branch, a fallback
 * `try` inside a `catch`), or a
 * function that returns only handled chains (`.then(ok, fail)`, `.catch(handle)`). Calling one
 * without awaiting loses no failure.
 */
export function functionNeverRejects(
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  // Met again while its own answer is being worked out, a function is assumed to reject.
  const memo = neverRejectsMemo.for(knowledge, projectOf(sourceCode).memoScope());
  return memo.answer(fn, () => computeNeverRejects(fn, sourceCode, file, knowledge), false);
}

function computeNeverRejects(
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  let result = false;
  if (fn.async && !fn.generator && fn.body?.type === 'BlockStatement' && endsInFinallyThatExits(fn.body, sourceCode)) {
    // `try { await job } finally { process.exit(code) }`: the process ends before a rejection could.
    result = true;
  } else if (
    fn.async &&
    !fn.generator &&
    fn.body?.type === 'BlockStatement' &&
    awaitsNothing(fn, sourceCode.visitorKeys) &&
    !mayThrowAsync(fn.body, sourceCode) &&
    !callsAssertion(fn.body, sourceCode)
  ) {
    // Async only in name: it runs to its end when called and throws nothing itself (a logger).
    result = true;
  } else if (fn.async && !fn.generator && fn.body?.type === 'BlockStatement') {
    // Its work guarded by `try`/`catch` blocks that do not rethrow, however many and however nested.
    // Or its awaits are of calls that never reject themselves (a helper that catches everything).
    const neverRejects = (call: TSESTree.CallExpression) => callNeverRejects(call, sourceCode, file, knowledge);
    const waits = containsTryWithCatch(fn.body, sourceCode) || !awaitsNothing(fn, sourceCode.visitorKeys);
    const onlyWaits = (call: TSESTree.CallExpression) => callOnlyWaits(call, sourceCode, file);
    result = waits && !mayRejectIn(fn.body, sourceCode, neverRejects, onlyWaits);
  } else if (!fn.async && !fn.generator && fn.body) {
    const results =
      fn.body.type === 'BlockStatement' ? ownReturns(fn, sourceCode).map((statement) => statement.argument) : [fn.body];
    result =
      results.length > 0 &&
      results.every((argument) => argument != null && isHandledChain(argument, sourceCode, file, knowledge));
  }
  return result;
}

/**
 * Whether an async function's awaits and returns cannot reject, given calls `settles` knows to
 * settle (an executor's own `resolve(value)`, which returns nothing) and handled chains
 * (`await fetch(url).then(read).catch(() => fallback)`: the `catch` ends every failure there).
 * What `functionNeverRejects` asks of a function it may be handed anywhere, for one function
 * whose caller is known.
 */
export function awaitsOnlySettledWork(
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
  settles: (call: TSESTree.CallExpression) => boolean,
): boolean {
  if (!fn.async || fn.generator || fn.body?.type !== 'BlockStatement') return false;
  const neverRejects = (call: TSESTree.CallExpression) =>
    settles(call) || isHandledChain(call, sourceCode, file, knowledge);
  const onlyWaits = (call: TSESTree.CallExpression) => callOnlyWaits(call, sourceCode, file);
  return !mayRejectIn(fn.body, sourceCode, neverRejects, onlyWaits);
}

/**
 * A body whose last statement is a `try` with a `finally` that calls `process.exit(...)` as a
 * statement of its own, after statements that neither await nor throw: whatever the `try` does,
 * the process exits before the function's promise can reject.
 */
function endsInFinallyThatExits(body: TSESTree.BlockStatement, sourceCode: SourceCode): boolean {
  const last = body.body.at(-1);
  if (last?.type !== 'TryStatement' || !last.finalizer) return false;
  if (body.body.slice(0, -1).some((statement) => mayThrowAsync(statement, sourceCode))) return false;
  return last.finalizer.body.some((statement) => {
    if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'CallExpression') return false;
    return globalMemberName(statement.expression.callee, sourceCode, 'process') === 'exit';
  });
}

/** `.catch(handle)`, `.then(ok, fail)`, or a call of a function that never rejects. */
export function isHandledChain(node: Node, sourceCode: SourceCode, file: string, knowledge: PromiseKnowledge): boolean {
  // `load?.().catch(noop)`: an optional call handled as any other.
  const expression = unwrapChain(skipTypeWrappers(node));
  // `new Promise((resolve) => setTimeout(resolve, ms))`: a wait cannot reject.
  if (expression.type === 'NewExpression') return isResolveOnlyPromise(expression, sourceCode);
  if (expression.type !== 'CallExpression') return false;
  const method = promiseMethodOf(expression);
  if (method === 'catch') return expression.arguments.length >= 1 && handles(expression.arguments[0]!, sourceCode);
  if (method === 'then' && expression.arguments.length >= 2) return handles(expression.arguments[1]!, sourceCode);
  // `settled.then(report)`, `animate().finally(done)`: a promise that cannot reject, followed by
  // sync code (taken not to throw, as everywhere here), cannot reject either.
  if (method === 'then' || method === 'finally') {
    const callee = unwrapChain(skipTypeWrappers(expression.callee)) as TSESTree.MemberExpression;
    const argument = expression.arguments[0];
    const callback = asFunction(argument);
    const syncCallback =
      callback !== null &&
      !callback.async &&
      !callback.generator &&
      !returnsPendingFrom(callback, sourceCode, file, knowledge);
    // `.then(new Promise(...))`: a `then` given no function passes the settlement on unchanged.
    const passesOn = method === 'then' && argument !== undefined && isNeverCallable(argument, sourceCode);
    return (syncCallback || passesOn) && isHandledChain(callee.object, sourceCode, file, knowledge);
  }
  return callNeverRejects(expression, sourceCode, file, knowledge);
}

/** A value that is never a function: a literal, a fresh object or array, a `new Promise`. */
function isNeverCallable(node: Node, sourceCode: SourceCode): boolean {
  const expression = skipTypeWrappers(node);
  if (expression.type === 'NewExpression') return isGlobalPromise(expression.callee, sourceCode);
  return (
    expression.type === 'Literal' ||
    expression.type === 'ObjectExpression' ||
    expression.type === 'ArrayExpression' ||
    expression.type === 'TemplateLiteral'
  );
}

/**
 * Whether a rejection handler handles the rejection: it is not empty, and a handler written here
 * does not throw or hand on a rejection (`.catch((err) => { log(err); throw err; })` decorates the
 * error and passes it on).
 */
function handles(handler: Node, sourceCode: SourceCode): boolean {
  if (isEmptyHandler(handler)) return false;
  const fn = asFunction(handler);
  if (!fn) return true;
  if (fn.async) return !mayRejectIn(fn.body, sourceCode);
  return !throwsIn(fn.body, sourceCode);
}

/** Whether sync code throws: a `throw` that no `try` with a `catch` around it catches. */
function throwsIn(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || (current !== node && isFunctionNode(current))) return false;
    if (current.type === 'TryStatement' && current.handler) {
      found =
        throwsIn(current.handler.body, sourceCode) || (!!current.finalizer && throwsIn(current.finalizer, sourceCode));
      return false;
    }
    if (current.type === 'ThrowStatement') found = true;
    return undefined;
  });
  return found;
}

function isEmptyHandler(node: Node): boolean {
  const expression = skipTypeWrappers(node);
  return (
    (expression.type === 'Identifier' && expression.name === 'undefined') ||
    (expression.type === 'Literal' && expression.value === null) ||
    (expression.type === 'UnaryExpression' && expression.operator === 'void')
  );
}

/** A call of a function (here, an IIFE, or imported) whose promise cannot reject. */
export function callNeverRejects(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (isFunctionNode(callee)) return functionNeverRejects(callee, sourceCode, file, knowledge);
  if (isSettledCombinator(callee, sourceCode) || resolvesPlainValue(call, sourceCode)) return true;
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local)
    return (
      (functionNeverRejects(local.fn, local.sourceCode, local.file, knowledge) &&
        overridesNeverReject(call, local.fn, sourceCode, file, knowledge)) ||
      (local.sourceCode === sourceCode && argumentsTakeSettledReturn(call, local.fn, sourceCode, file))
    );
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (imported)
    return imported.project.exportFacts(imported.file, neverRejectsKind(knowledge))?.get(imported.exportName) ?? false;
  // `environment.warmupRequest(url)` with `environment: DevEnvironment`: the declared class's method.
  const method = resolveReceiverMethod(call, sourceCode, file);
  // The class's own method, unless an override may run instead (see isDefaultForOverrides).
  if (method?.kind === 'local')
    return (
      functionNeverRejects(method.fn, sourceCode, file, knowledge) &&
      (!isDefaultForOverrides(method.fn, sourceCode) || receiverIsExact(call, sourceCode))
    );
  if (method?.kind === 'imported')
    return (
      (method.project.exportFacts(method.file, neverRejectsMethodKind(knowledge))?.get(method.key) ?? false) ||
      (receiverIsExact(call, sourceCode) &&
        (method.project.exportFacts(method.file, defaultNeverRejectsMethodKind(knowledge))?.get(method.key) ?? false))
    );
  return false;
}

/**
 * `this.quiet()` reaches the class's own `quiet` or, on an instance of a subclass, the subclass's:
 * every override a class of this file that extends it (directly or not) declares must not reject
 * either. Subclasses in other files are not looked for.
 */
function overridesNeverReject(
  call: TSESTree.CallExpression,
  method: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const callee = unwrapChain(skipTypeWrappers(call.callee));
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'ThisExpression') return true;
  const definition = method.parent;
  const owner = definition?.parent?.parent;
  if (definition?.type !== 'MethodDefinition' || definition.static) return true;
  if (owner?.type !== 'ClassDeclaration' && owner?.type !== 'ClassExpression') return true;
  const name = (definition.key as TSESTree.Identifier).name;
  return subclassesOf(owner, sourceCode).every((subclass) => {
    const override = classMethodOf(subclass, name, 'instance');
    return override === null || functionNeverRejects(override, sourceCode, file, knowledge);
  });
}

/** The classes of this file that extend `base`, directly or through one another. */
function subclassesOf(
  base: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  sourceCode: SourceCode,
): (TSESTree.ClassDeclaration | TSESTree.ClassExpression)[] {
  const classes: (TSESTree.ClassDeclaration | TSESTree.ClassExpression)[] = [];
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if ((node.type === 'ClassDeclaration' || node.type === 'ClassExpression') && node.superClass) classes.push(node);
    return undefined;
  });
  const found = new Set<TSESTree.ClassDeclaration | TSESTree.ClassExpression>([base]);
  for (let grew = true; grew;) {
    grew = false;
    for (const candidate of classes) {
      if (found.has(candidate)) continue;
      const parent = candidate.superClass;
      const definition = parent?.type === 'Identifier' ? variableOf(sourceCode, parent)?.defs[0] : undefined;
      const parentClass = definition?.type === 'ClassName' ? (definition.node as Node) : null;
      if (parentClass && found.has(parentClass as TSESTree.ClassDeclaration)) {
        found.add(candidate);
        grew = true;
      }
    }
  }
  found.delete(base);
  return [...found];
}

/**
 * `callback(Server.errors.BAD_REQUEST, context)` of `async (errorCode, context) => { if (errorCode
 * !== undefined) { report(errorCode); return; } ...await... }`: the arguments, fixed where the
 * code writes them (constant-values.ts), decide the test of the callee's first statement, and the
 * branch they take returns having done only sync work. That call cannot reject, whatever the
 * rest of the callee awaits.
 */
function argumentsTakeSettledReturn(
  call: TSESTree.CallExpression,
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
): boolean {
  if (!fn.async || fn.generator || fn.body?.type !== 'BlockStatement') return false;
  const first = fn.body.body[0];
  if (first?.type !== 'IfStatement') return false;
  const branch = first.consequent;
  const last = branch.type === 'BlockStatement' ? branch.body.at(-1) : branch;
  if (last?.type !== 'ReturnStatement') return false;
  if (mayThrowAsync(branch, sourceCode) || mayRejectIn(branch, sourceCode) || callsAssertion(branch, sourceCode))
    return false;
  const valueOf = (parameter: TSESTree.Identifier): KnownValue | null => {
    const index = fn.params.indexOf(parameter as TSESTree.Parameter);
    if (index < 0 || call.arguments.slice(0, index + 1).some((each) => each.type === 'SpreadElement')) return null;
    const argument = call.arguments[index];
    return argument ? knownValue(argument, sourceCode, file) : { value: undefined };
  };
  return testHolds(first.test, fn, sourceCode, file, valueOf) === true;
}

/**
 * What a test of a parameter gives for a known argument: `p !== undefined`, `p != null`,
 * `typeof p !== 'undefined'`, `p`, `!p`; null when the test is of another shape or the value is
 * not known.
 */
function testHolds(
  test: Node,
  fn: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  valueOf: (parameter: TSESTree.Identifier) => KnownValue | null,
): boolean | null {
  const parameterValue = (node: Node): KnownValue | null => {
    const expression = skipTypeWrappers(node);
    if (expression.type !== 'Identifier') return null;
    const parameter = fn.params.find(
      (each): each is TSESTree.Identifier => each.type === 'Identifier' && each.name === expression.name,
    );
    // The first statement: nothing has written the parameter yet, if the name is the parameter's.
    return parameter && variableOf(sourceCode, expression)?.defs[0]?.name === parameter ? valueOf(parameter) : null;
  };
  const expression = skipTypeWrappers(test);
  if (expression.type === 'UnaryExpression' && expression.operator === '!') {
    const inner = testHolds(expression.argument, fn, sourceCode, file, valueOf);
    return inner === null ? null : !inner;
  }
  const direct = parameterValue(expression);
  if (direct) return direct.value === OBJECT ? true : Boolean(direct.value);
  if (expression.type !== 'BinaryExpression' || !['===', '!==', '==', '!='].includes(expression.operator)) return null;
  const negated = expression.operator.startsWith('!');
  const loose = expression.operator.length === 2;
  for (const [left, right] of [
    [expression.left, expression.right],
    [expression.right, expression.left],
  ] as const) {
    // `typeof p === 'undefined'`
    if (left.type === 'UnaryExpression' && left.operator === 'typeof' && right.type === 'Literal') {
      const known = parameterValue(left.argument);
      if (!known || right.value !== 'undefined') continue;
      return (known.value === undefined) !== negated;
    }
    const known = parameterValue(left);
    const other = knownValue(right, sourceCode, file);
    if (!known || !other || (other.value !== undefined && other.value !== null)) continue;
    const value = known.value === OBJECT ? {} : known.value;
    const equal = loose ? value == null : value === other.value;
    return equal !== negated;
  }
  return null;
}

/** Which methods of a file's exported classes return promises that cannot reject. */
const neverRejectsMethodKind = exportedMethodFacts(
  'never-rejects-methods',
  (knowledge: PromiseKnowledge) => JSON.stringify(knowledge.promiseApis),
  (fn, module, knowledge) =>
    functionNeverRejects(fn, module.sourceCode, module.file, knowledge) &&
    !isDefaultForOverrides(fn, module.sourceCode),
);

/** The methods of neverRejectsMethodKind's classes left out as defaults for overrides: they cannot reject themselves. */
const defaultNeverRejectsMethodKind = exportedMethodFacts(
  'never-rejects-default-methods',
  (knowledge: PromiseKnowledge) => JSON.stringify(knowledge.promiseApis),
  (fn, module, knowledge) =>
    isDefaultForOverrides(fn, module.sourceCode) && functionNeverRejects(fn, module.sourceCode, module.file, knowledge),
);

/**
 * A class method declared to return a promise that gives an already settled one
 * (`serverCount(): Promise<number> { return Promise.resolve(1); }`): a default that overrides
 * replace with real work (socket.io's networked adapters ask the other servers), so what it
 * does says nothing of what a receiver declared with the class may do.
 */
function isDefaultForOverrides(fn: FunctionNode, sourceCode: SourceCode): boolean {
  const parent = fn.parent;
  if (parent?.type !== 'MethodDefinition' || parent.kind !== 'method' || fn.async) return false;
  if (!mayBePromiseType(fn.returnType?.typeAnnotation)) return false;
  const returns = ownReturns(fn, sourceCode);
  return (
    returns.length > 0 &&
    returns.every((statement) => {
      const argument = statement.argument && skipTypeWrappers(statement.argument);
      return argument?.type === 'CallExpression' && resolvesPlainValue(argument, sourceCode);
    })
  );
}

/** Per file: whether every function it defines as a member of a name cannot reject. */
const neverRejectsMemberKind = memberDefinitionFacts(
  'never-rejects-members',
  (knowledge: PromiseKnowledge) => JSON.stringify(knowledge.promiseApis),
  (fn, sourceCode, file, knowledge) => functionNeverRejects(fn, sourceCode, file, knowledge),
);

/**
 * `this.client.releaseConnection(c)` with a receiver nothing types: every function the package
 * defines under that member name returns a promise that cannot reject (package-methods.ts).
 */
export function packageMethodNeverRejects(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  return everyPackageMethodNeverRejects(call, sourceCode, file, neverRejectsMemberKind(knowledge));
}

/** Which exports of a file return promises that cannot reject. */
const neverRejectsKind = exportedFunctionFacts(
  'never-rejects',
  (knowledge: PromiseKnowledge) => JSON.stringify(knowledge.promiseApis),
  (fn, _name, module, knowledge) => functionNeverRejects(fn, module.sourceCode, module.file, knowledge),
);

/**
 * The function an argument passes, when it is async or returns a promise: an inline function,
 * or a name bound to one in this file or imported from another.
 */
export function promiseReturningCallback(
  argument: Node,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): FunctionNode | 'imported' | null {
  const expression = skipTypeWrappers(argument);
  if (isFunctionNode(expression))
    return functionReturnsPromise(expression, sourceCode, file, knowledge) ? expression : null;
  if (expression.type !== 'Identifier') return null;
  const definition = variableOf(sourceCode, expression)?.defs[0];
  if (definition?.type === 'FunctionName' && isFunctionNode(definition.node as Node)) {
    const fn = definition.node as FunctionNode;
    return functionReturnsPromise(fn, sourceCode, file, knowledge) ? fn : null;
  }
  if (definition?.type === 'Variable') {
    const fn = asFunction((definition.node as TSESTree.VariableDeclarator).init);
    if (fn) return functionReturnsPromise(fn, sourceCode, file, knowledge) ? fn : null;
  }
  return null;
}

/** Whether every await and throw of a function sits in a `try` with a `catch`: it handles its own failures. */
export function handlesItsOwnErrors(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (!fn.body || fn.body.type !== 'BlockStatement') return false;
  let awaits = 0;
  let unguarded = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (
      node.type === 'AwaitExpression' ||
      node.type === 'ThrowStatement' ||
      (node.type === 'ForOfStatement' && node.await)
    ) {
      if (node.type !== 'ThrowStatement') awaits++;
      if (!insideTryWithCatch(node, fn)) unguarded = true;
    }
    return !unguarded;
  });
  return awaits > 0 && !unguarded;
}

function insideTryWithCatch(node: Node, fn: FunctionNode): boolean {
  let child: Node = node;
  for (let parent = node.parent; parent && parent !== fn; child = parent, parent = parent.parent) {
    if (parent.type === 'TryStatement' && parent.block === child && parent.handler) return true;
  }
  return false;
}

/**
 * Whether a call reaches a function of this file that gives back nothing: sync, with no
 * `return` of a value (`disconnect() {}` of an object a local factory makes). Whatever else the
 * code does with such a call, it is no promise.
 */
export function callReturnsNothing(call: TSESTree.CallExpression, sourceCode: SourceCode, file: string): boolean {
  const local = resolveLocalFunction(call, sourceCode, file);
  const method = local ? null : resolveReceiverMethod(call, sourceCode, file);
  const fn = local?.fn ?? (method?.kind === 'local' ? method.fn : null);
  if (!fn || fn.async || fn.generator || fn.body?.type !== 'BlockStatement' || declaresPromiseReturn(fn)) return false;
  return ownReturns(fn, local?.sourceCode ?? sourceCode).every((statement) => statement.argument == null);
}
