/**
 * What an awaited call of the project can wait for, read from the code of the function it calls:
 *
 * - `nothing`: the function cannot wait. A sync function that returns no value that may be a
 *   promise (`registry.manifest()` building a plain object), or an async one whose body awaits
 *   nothing (or only calls that wait for nothing) and returns no such value. Awaiting it costs a
 *   microtask; a loop of them has nothing to overlap.
 * - `modules`: the function waits only for dynamic imports of a fixed specifier
 *   (`await import('chokidar')`), besides calls that wait for nothing. ECMAScript loads a module
 *   once per specifier and realm (HostLoadImportedModule must return the same module record for
 *   the same request), so after the first call each `import()` resolves from the module map:
 *   only the first iteration of a loop waits.
 * - `other`: anything else, including any call the analysis cannot follow.
 *
 * Calls are followed as the rules follow them elsewhere (functions.ts): functions and arrows of
 * this file, `this.method()`, methods of a local `const` object or class instance, and functions
 * another file of the project exports.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import {
  forEachDescendant,
  isFunctionNode,
  skipTypeWrappers,
  skipWrappersAndChains,
  type FunctionNode,
} from './ast.js';
import { exportedFunctionFacts, resolveImportedFunction, resolveLocalFunction } from './functions.js';
import { MemoTable } from './memo.js';
import { projectOf, type FactKind } from './project.js';
import { isGlobalReference, variableOf } from './scope.js';

export type CallWaits = 'nothing' | 'modules' | 'other';

const RANK: Record<CallWaits, number> = { nothing: 0, modules: 1, other: 2 };

function worst(a: CallWaits, b: CallWaits): CallWaits {
  return RANK[a] >= RANK[b] ? a : b;
}

/** How many functions deep a call is followed (each file's exports count as one step). */
const CALL_DEPTH = 4;
/** How many `const` / `let` bindings deep a returned name is followed. */
const BINDING_DEPTH = 3;

const waitsKind: FactKind<CallWaits> = {
  ...exportedFunctionFacts(
    'function-waits',
    () => 'waits',
    (fn, _exportName, module): CallWaits => functionWaits(fn, module.sourceCode, module.file, CALL_DEPTH - 1),
  )({}),
  // Asked about the few loops that would otherwise be reported: not worth computing for every file.
  onlyWhenAsked: true,
};

/** What a call of a function of the project can wait for; `other` when the callee is not known. */
export function callWaits(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string | undefined,
  depth = CALL_DEPTH,
): CallWaits {
  if (depth <= 0 || file === undefined) return 'other';
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local) return functionWaits(local.fn, local.sourceCode, local.file, depth - 1);
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (!imported) return 'other';
  return imported.project.exportFacts(imported.file, waitsKind)?.get(imported.exportName) ?? 'other';
}

/** `import('chokidar')`, `` import(`tinyglobby`) ``: a specifier that is the same on every call. */
export function isFixedDynamicImport(node: Node): boolean {
  const expression = skipTypeWrappers(node);
  if (expression.type !== 'ImportExpression') return false;
  const source = skipTypeWrappers(expression.source);
  if (source.type === 'Literal') return typeof source.value === 'string';
  return source.type === 'TemplateLiteral' && source.expressions.length === 0;
}

/** What awaiting `awaited` can wait for (`await import('x')`, `await this.setup()`). */
export function awaitedWaits(
  awaited: Node,
  sourceCode: SourceCode,
  file: string | undefined,
  depth = CALL_DEPTH,
): CallWaits {
  const expression = skipWrappersAndChains(awaited);
  if (isFixedDynamicImport(expression)) return 'modules';
  if (expression.type === 'CallExpression' && isImportThen(expression, sourceCode, file, depth)) return 'modules';
  if (expression.type === 'CallExpression') return callWaits(expression, sourceCode, file, depth);
  return valueWaits(expression, sourceCode, file, depth, BINDING_DEPTH);
}

/** `import('x').then((m) => m.default)`: the callback runs on the module, in memory. */
function isImportThen(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string | undefined,
  depth: number,
): boolean {
  const callee = skipTypeWrappers(call.callee);
  return (
    callee.type === 'MemberExpression' &&
    isFixedDynamicImport(callee.object) &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'then' &&
    call.arguments.length === 1 &&
    isSyncValueFunction(call.arguments[0]!, sourceCode, file, depth)
  );
}

/**
 * Why an await in a loop has nothing to overlap, or null: it calls a function of the project that
 * cannot wait, or waits only for modules, which load once. (`for await` waits for its source.)
 */
export function nothingToOverlapReason(
  node: TSESTree.AwaitExpression | TSESTree.ForOfStatement,
  sourceCode: SourceCode,
  file: string | undefined,
): 'waits-for-nothing' | 'modules-load-once' | null {
  if (node.type !== 'AwaitExpression') return null;
  const waits = awaitedWaits(node.argument, sourceCode, file);
  return waits === 'nothing' ? 'waits-for-nothing' : waits === 'modules' ? 'modules-load-once' : null;
}

/** `(m) => m.default`: an arrow or function that returns, without waiting, a value that is no promise. */
function isSyncValueFunction(node: Node, sourceCode: SourceCode, file: string | undefined, depth: number): boolean {
  const fn = skipTypeWrappers(node);
  if (!isFunctionNode(fn) || fn.async || fn.generator || !fn.body) return false;
  if (fn.body.type !== 'BlockStatement') {
    const body = skipTypeWrappers(fn.body);
    // `m.default`: a module's export, read from a namespace object.
    if (body.type === 'MemberExpression' && skipTypeWrappers(body.object).type === 'Identifier') return true;
    return valueWaits(body, sourceCode, file, depth, BINDING_DEPTH) === 'nothing';
  }
  return false;
}

/** Built-ins whose calls never return a promise: what a helper returns after building a value. */
const VALUE_BUILTINS = new Set([
  'Array',
  'Boolean',
  'Buffer',
  'Date',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Set',
  'String',
  'URL',
  'encodeURIComponent',
  'decodeURIComponent',
  'parseInt',
  'parseFloat',
]);

function isValueBuiltinCall(node: TSESTree.CallExpression | TSESTree.NewExpression, sourceCode: SourceCode): boolean {
  let current: Node = skipTypeWrappers(node.callee);
  while (current.type === 'MemberExpression') current = skipTypeWrappers(current.object);
  return current.type === 'Identifier' && VALUE_BUILTINS.has(current.name) && isGlobalReference(sourceCode, current);
}

/**
 * Whether a value that a function returns may be a promise (`other`) or cannot be (`nothing`):
 * literals, object and array literals (awaiting one does not look inside), arithmetic, functions,
 * `this`, a value built-in's result, a call of a function that waits for nothing, or a name every
 * write of which is one of these. Members (`this.pending`) may hold a promise and count as `other`.
 */
function valueWaits(
  node: Node,
  sourceCode: SourceCode,
  file: string | undefined,
  depth: number,
  bindingDepth: number,
): CallWaits {
  const expression = skipTypeWrappers(node);
  const value = (child: Node) => valueWaits(child, sourceCode, file, depth, bindingDepth);
  switch (expression.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'UnaryExpression':
    case 'BinaryExpression':
    case 'UpdateExpression':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
    case 'ThisExpression':
    // Awaited inside the function: its wait is counted where the await is.
    case 'AwaitExpression':
      return 'nothing';
    case 'LogicalExpression':
      return worst(value(expression.left), value(expression.right));
    case 'ConditionalExpression':
      return worst(value(expression.consequent), value(expression.alternate));
    case 'SequenceExpression':
      return value(expression.expressions[expression.expressions.length - 1]!);
    case 'AssignmentExpression':
      return expression.operator === '=' ? value(expression.right) : 'nothing';
    case 'NewExpression':
      return isValueBuiltinCall(expression, sourceCode) ? 'nothing' : 'other';
    case 'CallExpression': {
      if (isValueBuiltinCall(expression, sourceCode)) return 'nothing';
      if (isImportThen(expression, sourceCode, file, depth)) return 'modules';
      // A sync call's result that waits for modules would be a promise awaited by the caller.
      return callWaits(expression, sourceCode, file, depth);
    }
    case 'ChainExpression':
      return value(expression.expression);
    case 'ImportExpression':
      return isFixedDynamicImport(expression) ? 'modules' : 'other';
    case 'Identifier':
      return identifierWaits(expression, sourceCode, file, depth, bindingDepth);
    default:
      return 'other';
  }
}

/** `const manifest = { ... }; return manifest`: a local name every write of which holds no promise. */
function identifierWaits(
  identifier: TSESTree.Identifier,
  sourceCode: SourceCode,
  file: string | undefined,
  depth: number,
  bindingDepth: number,
): CallWaits {
  if (identifier.name === 'undefined' && isGlobalReference(sourceCode, identifier)) return 'nothing';
  if (bindingDepth <= 0) return 'other';
  const variable = variableOf(sourceCode, identifier);
  if (!variable || variable.defs.length !== 1) return 'other';
  const definition = variable.defs[0]!;
  if (definition.type === 'FunctionName' || definition.type === 'ClassName') return 'nothing';
  if (definition.type !== 'Variable') return 'other';
  const declarator = definition.node as TSESTree.VariableDeclarator;
  // `const { a } = await f()` and the like: a part of a value, which may be anything.
  if (declarator.id.type !== 'Identifier') return 'other';
  let result: CallWaits = 'nothing';
  const writes: Node[] = [];
  if (declarator.init) writes.push(declarator.init);
  for (const reference of variable.references) {
    if (!reference.isWrite() || reference.init) continue;
    const parent = (reference.identifier as Node).parent;
    if (parent?.type !== 'AssignmentExpression' || parent.left !== reference.identifier) return 'other';
    if (parent.operator !== '=') continue;
    writes.push(parent.right);
  }
  for (const write of writes) {
    result = worst(result, valueWaits(write, sourceCode, file, depth, bindingDepth - 1));
    if (result === 'other') break;
  }
  return result;
}

const answers = new MemoTable<FunctionNode, CallWaits>();
/** The memo's policy: the answer depends on the code alone (no options). */
const NO_OPTIONS = {};

/** What calling `fn` can wait for (see the file comment). */
export function functionWaits(fn: FunctionNode, sourceCode: SourceCode, file: string, depth: number): CallWaits {
  // A recursive function is not followed into itself: what it waits for is not known.
  const memo = answers.for(NO_OPTIONS, projectOf(sourceCode).memoScope());
  return memo.answer(fn, () => computeFunctionWaits(fn, sourceCode, file, depth), 'other');
}

function computeFunctionWaits(fn: FunctionNode, sourceCode: SourceCode, file: string, depth: number): CallWaits {
  if (!fn.body || fn.generator) return 'other';
  // `async init() {}`: an empty method is a hook that subclasses override, not work that cannot wait.
  if (fn.parent?.type === 'MethodDefinition' && fn.body.type === 'BlockStatement' && fn.body.body.length === 0)
    return 'other';
  let result: CallWaits = 'nothing';
  const add = (waits: CallWaits) => {
    result = worst(result, waits);
  };
  if (fn.body.type !== 'BlockStatement') add(valueWaits(fn.body, sourceCode, file, depth, BINDING_DEPTH));
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (result === 'other' || (node !== fn.body && isFunctionNode(node))) return false;
    if (node.type === 'AwaitExpression') add(fn.async ? awaitedWaits(node.argument, sourceCode, file, depth) : 'other');
    else if (node.type === 'ForOfStatement' && node.await) add('other');
    else if (node.type === 'ReturnStatement' && node.argument)
      add(valueWaits(node.argument, sourceCode, file, depth, BINDING_DEPTH));
    return undefined;
  });
  return result;
}
