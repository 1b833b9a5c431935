/**
 * Code that runs in a worker thread of its own. Node runs a `Worker` (node:worker_threads) on an
 * event loop of its own, and `parentPort` is set only inside a worker: a function that a helper
 * calls from a `parentPort` listener runs in the worker, not on the event loop of the process
 * that started it. SvelteKit's `forked(import.meta.url, prerender)` is such a helper: it starts a
 * worker on the file whose URL it is given and runs the task there when the parent sends its
 * arguments, so what the task blocks is the worker's own work.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, functionHolder, isFunctionNode, type FunctionNode } from './ast.js';
import { asFunction, resolveImportedFunction } from './functions.js';
import type { FactKind } from './project.js';
import { resolveModuleBinding } from './imports.js';
import { calledMethodName } from './members.js';
import { declaredVariables, variableOf } from './scope.js';

/** A helper that starts a worker: which parameter names the worker's file, and which is the task it runs there. */
export interface WorkerStarter {
  fileParameter: number;
  taskParameter: number;
  /** Where it starts the worker (`new Worker(...)`), as `line`. */
  line: number;
}

const WORKER_MODULE = 'worker_threads';
const LISTEN = new Set(['on', 'once', 'addListener']);

/** Whether an expression denotes an export of node:worker_threads (`Worker`, `parentPort`). */
function isWorkerThreadsExport(node: Node, name: string, sourceCode: SourceCode): boolean {
  const binding = resolveModuleBinding(sourceCode, node);
  return binding?.module === WORKER_MODULE && binding.path.length === 1 && binding.path[0] === name;
}

/** The index of `fn`'s parameter an identifier refers to, or -1. */
function parameterIndex(identifier: Node, fn: FunctionNode, sourceCode: SourceCode): number {
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (definition?.type !== 'Parameter' || definition.node !== fn) return -1;
  return fn.params.findIndex((parameter) => parameter.type === 'Identifier' && parameter === definition.name);
}

/** The parameters of `fn` that an expression reads. */
function parametersRead(expression: Node, fn: FunctionNode, sourceCode: SourceCode): number[] {
  const found: number[] = [];
  forEachDescendant(expression, sourceCode.visitorKeys, (node) => {
    if (node.type === 'Identifier') {
      const index = parameterIndex(node, fn, sourceCode);
      if (index >= 0) found.push(index);
    }
    return undefined;
  });
  return found;
}

/** `parentPort.on('message', listener)` (also `parentPort?.on`): the listener, else null. */
function parentPortListener(call: TSESTree.CallExpression, sourceCode: SourceCode): Node | null {
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  if (callee.type !== 'MemberExpression' || !LISTEN.has(calledMethodName(call) ?? '')) return null;
  if (!isWorkerThreadsExport(callee.object, 'parentPort', sourceCode)) return null;
  const listener = call.arguments[1];
  return listener && isFunctionNode(listener) ? listener : null;
}

/**
 * Whether a function starts a worker on the file one parameter names (`new Worker(fileURLToPath(module))`)
 * and, inside a worker, calls another parameter from a `parentPort` listener: the task it runs there.
 */
export function workerStarterOf(fn: FunctionNode, sourceCode: SourceCode): WorkerStarter | null {
  if (!fn.body || !/\bWorker\b/.test(sourceCode.getText(fn.body))) return null;
  const files: { index: number; line: number }[] = [];
  const tasks = new Set<number>();
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (
      node.type === 'NewExpression' &&
      node.arguments[0] &&
      isWorkerThreadsExport(node.callee, 'Worker', sourceCode)
    ) {
      const line = sourceCode.getLoc(node).start.line;
      for (const index of parametersRead(node.arguments[0], fn, sourceCode)) files.push({ index, line });
    }
    if (node.type === 'CallExpression') {
      const listener = parentPortListener(node, sourceCode);
      if (listener)
        forEachDescendant(listener, sourceCode.visitorKeys, (inner) => {
          if (inner.type === 'CallExpression' && inner.callee.type === 'Identifier') {
            const index = parameterIndex(inner.callee, fn, sourceCode);
            if (index >= 0) tasks.add(index);
          }
          return undefined;
        });
    }
    return undefined;
  });
  for (const file of files)
    for (const task of tasks)
      if (task !== file.index) return { fileParameter: file.index, taskParameter: task, line: file.line };
  return null;
}

/** Asked only of the files a worker's task names as its starter's: computed for those files alone. */
const workerStarters: FactKind<WorkerStarter | null> = {
  id: 'worker-starters',
  onlyWhenAsked: true,
  compute(module) {
    const found = new Map<string, WorkerStarter | null>();
    for (const [exportName, definition] of module.exports) {
      const fn = asFunction(definition);
      if (fn) found.set(exportName, workerStarterOf(fn, module.sourceCode));
    }
    return found;
  },
};

/** `import.meta.url`: the URL of the module the code is in. */
function isOwnModuleUrl(node: Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'MetaProperty' &&
    node.object.meta.name === 'import' &&
    !node.computed &&
    node.property.type === 'Identifier' &&
    node.property.name === 'url'
  );
}

/** Per tree: whether its text names `import.meta.url` (asked at every function a context walk passes). */
const mentionsOwnUrl = new WeakMap<object, boolean>();

/**
 * Why a function runs in a worker thread of its own, or null: this file hands it, with its own URL,
 * to a helper of the project that starts a worker on that file and runs it there
 * (`export default forked(import.meta.url, prerender)`, where `forked` does so).
 */
export function workerTaskReason(fn: Node, sourceCode: SourceCode, filename: string): string | null {
  let mentions = mentionsOwnUrl.get(sourceCode.ast);
  if (mentions === undefined)
    mentionsOwnUrl.set(sourceCode.ast, (mentions = sourceCode.text.includes('import.meta.url')));
  if (!mentions) return null;
  const holder = functionHolder(fn);
  const variable = holder ? declaredVariables(sourceCode, holder)[0] : undefined;
  for (const reference of variable?.references ?? []) {
    const identifier = reference.identifier as Node;
    const call = identifier.parent;
    if (call?.type !== 'CallExpression') continue;
    const task = call.arguments.indexOf(identifier as TSESTree.CallExpressionArgument);
    const file = call.arguments.findIndex(isOwnModuleUrl);
    if (task < 0 || file < 0) continue;
    const imported = resolveImportedFunction(call, sourceCode, filename);
    const starter = imported
      ? imported.project.exportFacts(imported.file, workerStarters)?.get(imported.exportName)
      : null;
    if (!imported || !starter || starter.fileParameter !== file || starter.taskParameter !== task) continue;
    const where = path.relative(path.dirname(filename), imported.file).split(path.sep).join('/');
    return (
      `it runs in a worker thread of its own: \`${imported.name}()\` starts a worker on this file ` +
      `(${where}:${starter.line}) and runs \`${variable!.name}()\` there`
    );
  }
  return null;
}
