/**
 * Listeners whose unhandled rejection ends a run that is meant to end, or hands the failure to
 * the code that started the run: Node ends a thread with an unhandled rejection, and
 * - a listener on a worker thread's `parentPort` (node:worker_threads) runs in a worker: its
 *   rejection ends the worker, and the parent's `Worker` object emits it as its 'error' event;
 * - a listener for a signal that asks the process to end (`process.on('SIGTERM', shutdown)`) runs
 *   while the process shuts down: its rejection ends the process with the error printed, where
 *   the listener was taking it anyway. So does the same function registered for another event
 *   (`process.stdin.on('end', shutdown)`): it is the process's shutdown.
 * SIGHUP (often "reload the configuration") and SIGUSR1/2 are no such request.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { LISTENER_METHODS } from './callback-callers.js';
import { resolveModuleBinding } from './imports.js';
import { calledMethodName } from './members.js';
import { isGlobalReference, variableOf } from './scope.js';

/** Signal events whose default action ends the process: Ctrl-C, `kill`, Ctrl-\, Ctrl-Break. */
const TERMINATION_SIGNALS = new Set(['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGBREAK']);

/** The object a listener is added to: `x` of `x.on(...)`; null for any other call. */
function listenerTarget(call: TSESTree.CallExpression): Node | null {
  const method = calledMethodName(call);
  if (method === null || !LISTENER_METHODS.has(method)) return null;
  const callee = call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee;
  return callee.type === 'MemberExpression' ? callee.object : null;
}

/** Node's `process`: the global, or the default or namespace import of 'node:process'. */
function isNodeProcess(node: Node, sourceCode: SourceCode): boolean {
  if (node.type !== 'Identifier') return false;
  if (node.name === 'process' && isGlobalReference(sourceCode, node)) return true;
  const binding = resolveModuleBinding(sourceCode, node);
  return binding?.module === 'process' && binding.path.length === 0;
}

/** `process.on('SIGTERM', listener)`: a listener for a signal that asks the process to end. */
function addsTerminationListener(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const target = listenerTarget(call);
  const event = call.arguments[0];
  return (
    target !== null &&
    isNodeProcess(target, sourceCode) &&
    event?.type === 'Literal' &&
    typeof event.value === 'string' &&
    TERMINATION_SIGNALS.has(event.value)
  );
}

/** `parentPort.on('message', listener)` with `parentPort` of node:worker_threads. */
function addsWorkerListener(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const target = listenerTarget(call);
  if (target === null) return false;
  const binding = resolveModuleBinding(sourceCode, target);
  return binding?.module === 'worker_threads' && binding.path.length === 1 && binding.path[0] === 'parentPort';
}

/**
 * Whether a named listener (`shutdown`) is also added, somewhere in its file, as a listener for a
 * termination signal: it is the process's shutdown wherever else it is registered.
 */
function isShutdownFunction(listener: Node, sourceCode: SourceCode): boolean {
  if (listener.type !== 'Identifier') return false;
  const variable = variableOf(sourceCode, listener);
  if (!variable) return false;
  return variable.references.some((reference) => {
    const use = reference.identifier as Node;
    const call = use.parent;
    return call?.type === 'CallExpression' && call.arguments[1] === use && addsTerminationListener(call, sourceCode);
  });
}

/**
 * Whether an unhandled rejection of the listener that `call` adds ends a run that reports it
 * (see the file's comment): a worker thread's, or a process that is shutting down.
 */
export function listenerRejectionEndsItsRun(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  if (addsWorkerListener(call, sourceCode) || addsTerminationListener(call, sourceCode)) return true;
  const listener = call.arguments[1];
  return listener !== undefined && listenerTarget(call) !== null && isShutdownFunction(listener, sourceCode);
}
