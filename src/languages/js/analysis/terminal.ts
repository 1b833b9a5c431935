/**
 * Work that uses the terminal the program runs in, which one process has only one of:
 *
 * - `prompt`: it asks the user a question. Calls of the prompt APIs of Node and of packages, by
 *   their documented semantics: `rl.question()` of a `readline` interface, reads of
 *   `process.stdin`, the `read` package, `prompts`, `inquirer.prompt`, `enquirer.prompt`, the
 *   question functions of `@inquirer/prompts` and `@clack/prompts`. Two questions at once would
 *   print both and take one answer for either: they must come one after another.
 * - `inherit`: it starts a child process that writes to this terminal (`stdio: 'inherit'` in the
 *   options it hands a call, as `child_process.spawn` and the script runners built on it take
 *   them). Two such children at once interleave their output line by line.
 *
 * Followed through the functions of the project the work calls (this file, `this.method()`,
 * `this.#method()`, imported files), including callbacks they define (`input.read(() =>
 * read(...))`): a function that may ask, in any of its branches, counts.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { exportedFunctionFacts, resolveImportedFunction, resolveLocalFunction } from './functions.js';
import { resolveCallee, resolveModuleBinding } from './imports.js';
import { MemoTable } from './memo.js';
import { projectOf, type FactKind } from './project.js';
import { isGlobalReference, variableOf } from './scope.js';

export type TerminalUse = 'prompt' | 'inherit' | null;

/** How many functions deep the work is followed (each file's exports count as one step). */
const CALL_DEPTH = 4;

/** Exports of prompt packages whose calls ask a question; `''` is the module itself (a default export). */
const PROMPT_EXPORTS: Record<string, readonly string[]> = {
  read: ['', 'read'],
  prompts: [''],
  inquirer: ['prompt'],
  enquirer: ['prompt'],
  '@inquirer/prompts': [
    'input',
    'confirm',
    'select',
    'checkbox',
    'password',
    'expand',
    'editor',
    'number',
    'rawlist',
    'search',
  ],
  '@clack/prompts': ['text', 'confirm', 'select', 'multiselect', 'groupMultiselect', 'password', 'selectKey', 'group'],
};

/** Methods of `process.stdin` that read what the user types. */
const STDIN_READS = new Set(['read', 'once', 'on', 'addListener']);

function isPromptPackageCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const binding = resolveCallee(sourceCode, call);
  if (!binding) return false;
  const exports = PROMPT_EXPORTS[binding.module];
  if (exports) return exports.includes(binding.path.join('.'));
  // `@inquirer/input` and its siblings: one question per package, its default export.
  return binding.module.startsWith('@inquirer/') && binding.path.length === 0;
}

/** `rl.question(...)` where `rl` is a `readline.createInterface(...)` (callback or promise API). */
function isReadlineQuestion(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  if (callee.property.name !== 'question') return false;
  const object = skipTypeWrappers(callee.object);
  if (object.type !== 'Identifier') return false;
  const definition = variableOf(sourceCode, object)?.defs[0];
  if (definition?.type !== 'Variable') return false;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const created = init ? skipTypeWrappers(init) : null;
  if (created?.type !== 'CallExpression') return false;
  const binding = resolveCallee(sourceCode, created);
  return (
    binding !== null &&
    (binding.module === 'readline' || binding.module === 'readline/promises') &&
    binding.path.join('.') === 'createInterface'
  );
}

/** `process.stdin.once('data', ...)`, `process.stdin.read()`. */
function isStdinRead(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  if (!STDIN_READS.has(callee.property.name)) return false;
  const object = skipTypeWrappers(callee.object);
  if (object.type === 'MemberExpression' && !object.computed && object.property.type === 'Identifier') {
    if (object.property.name !== 'stdin') return false;
    const root = skipTypeWrappers(object.object);
    if (root.type === 'Identifier' && root.name === 'process' && isGlobalReference(sourceCode, root)) return true;
    const binding = resolveModuleBinding(sourceCode, root);
    return binding?.module === 'process' && binding.path.length === 0;
  }
  const binding = resolveModuleBinding(sourceCode, object);
  return binding?.module === 'process' && binding.path.join('.') === 'stdin';
}

/** Whether a call asks the user a question itself (not through a function of the project). */
export function isPromptCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  return isPromptPackageCall(call, sourceCode) || isReadlineQuestion(call, sourceCode) || isStdinRead(call, sourceCode);
}

/** `{ stdio: 'inherit' }`, `{ stdio: ['inherit', 'pipe', 'pipe'] }`: a child reading or writing this terminal. */
function isInheritedStdio(node: TSESTree.Property, sourceCode: SourceCode): boolean {
  if (node.computed || node.key.type !== 'Identifier' || node.key.name !== 'stdio') return false;
  const value = skipTypeWrappers(node.value as Node);
  const isInherit = (element: Node | null) => {
    const expression = element ? skipTypeWrappers(element) : null;
    if (expression?.type === 'Literal') return expression.value === 'inherit';
    // `process.stdout`, `process.stderr` handed to the child.
    return (
      expression?.type === 'MemberExpression' &&
      !expression.computed &&
      expression.property.type === 'Identifier' &&
      (expression.property.name === 'stdout' || expression.property.name === 'stderr') &&
      expression.object.type === 'Identifier' &&
      expression.object.name === 'process' &&
      isGlobalReference(sourceCode, expression.object)
    );
  };
  if (value.type === 'ArrayExpression') return value.elements.some((element) => isInherit(element as Node | null));
  return isInherit(value);
}

/** The options object literal is an argument of a call: `spawn(cmd, args, { stdio: 'inherit' })`. */
function isCallArgument(property: TSESTree.Property): boolean {
  const object = property.parent;
  const parent = object?.parent;
  return (
    object?.type === 'ObjectExpression' &&
    (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') &&
    parent.arguments.includes(object)
  );
}

/** `this.#run(...)`: a private method of the enclosing class. */
function privateMethodOf(call: TSESTree.CallExpression): FunctionNode | null {
  const callee = skipTypeWrappers(call.callee);
  if (
    callee.type !== 'MemberExpression' ||
    callee.object.type !== 'ThisExpression' ||
    callee.property.type !== 'PrivateIdentifier'
  )
    return null;
  const name = callee.property.name;
  for (let current: Node | undefined = call.parent; current; current = current.parent) {
    if (current.type !== 'ClassBody') continue;
    for (const member of current.body) {
      if (
        member.type === 'MethodDefinition' &&
        member.kind === 'method' &&
        member.key.type === 'PrivateIdentifier' &&
        member.key.name === name &&
        member.value.body
      )
        return member.value as FunctionNode;
    }
    return null;
  }
  return null;
}

const RANK = { prompt: 2, inherit: 1 } as const;

function stronger(a: TerminalUse, b: TerminalUse): TerminalUse {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

const terminalKind: FactKind<TerminalUse> = {
  ...exportedFunctionFacts(
    'terminal-use',
    () => 'terminal',
    (fn, _exportName, module): TerminalUse => functionTerminalUse(fn, module.sourceCode, module.file, CALL_DEPTH - 1),
  )({}),
  // Asked about the few loops that would otherwise be reported: not worth computing for every file.
  onlyWhenAsked: true,
};

/** Whether a call, or the function of the project it calls, uses the terminal (see the file comment). */
export function callTerminalUse(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string | undefined,
  depth = CALL_DEPTH,
): TerminalUse {
  if (isPromptCall(call, sourceCode)) return 'prompt';
  if (depth <= 0 || file === undefined) return null;
  const local = resolveLocalFunction(call, sourceCode, file);
  if (local) return functionTerminalUse(local.fn, local.sourceCode, local.file, depth - 1);
  const method = privateMethodOf(call);
  if (method) return functionTerminalUse(method, sourceCode, file, depth - 1);
  const imported = resolveImportedFunction(call, sourceCode, file);
  if (!imported) return null;
  return imported.project.exportFacts(imported.file, terminalKind)?.get(imported.exportName) ?? null;
}

/** What the work an expression starts does with the terminal: `await read.password('Password:')`. */
export function terminalUseOf(
  expression: Node,
  sourceCode: SourceCode,
  file: string | undefined,
  depth = CALL_DEPTH,
): TerminalUse {
  let use: TerminalUse = null;
  forEachDescendant(expression, sourceCode.visitorKeys, (node) => {
    if (use === 'prompt' || isFunctionNode(node)) return false;
    if (node.type === 'CallExpression') use = stronger(use, callTerminalUse(node, sourceCode, file, depth));
    else if (node.type === 'Property' && isCallArgument(node) && isInheritedStdio(node, sourceCode))
      use = stronger(use, 'inherit');
    return undefined;
  });
  return use;
}

const answers = new MemoTable<FunctionNode, TerminalUse>();
/** The memo's policy: the answer depends on the code alone (no options). */
const NO_OPTIONS = {};

function functionTerminalUse(fn: FunctionNode, sourceCode: SourceCode, file: string, depth: number): TerminalUse {
  // A recursive function met again adds nothing to what its first visit finds.
  const memo = answers.for(NO_OPTIONS, projectOf(sourceCode).memoScope());
  return memo.answer(fn, () => computeTerminalUse(fn, sourceCode, file, depth), null);
}

function computeTerminalUse(fn: FunctionNode, sourceCode: SourceCode, file: string, depth: number): TerminalUse {
  if (!fn.body) return null;
  let use: TerminalUse = null;
  // Callbacks the function defines count: they run as part of its work (`input.read(() => read())`).
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (use === 'prompt') return false;
    if (node.type === 'CallExpression') use = stronger(use, callTerminalUse(node, sourceCode, file, depth));
    else if (node.type === 'Property' && isCallArgument(node) && isInheritedStdio(node, sourceCode))
      use = stronger(use, 'inherit');
    return undefined;
  });
  return use;
}
