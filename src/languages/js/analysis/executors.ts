/**
 * What an async `new Promise` executor loses. The constructor turns an exception its executor
 * throws into the rejection of the promise it makes; an async executor never throws, it returns
 * a rejected promise of its own that nothing handles, so every exception it raises, before its
 * first `await` as after, is lost and the promise being made never settles.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, memberPath, skipTypeWrappers, type FunctionNode } from './ast.js';
import { awaitsIn, awaitsNothing, innermostFunction } from './async-context.js';
import { LISTENER_METHODS } from './callback-callers.js';
import { calledMethodName } from './members.js';
import { awaitsOnlySettledWork, functionNeverRejects, type PromiseKnowledge } from './promises.js';
import { isGlobalReference, variableOf } from './scope.js';

/**
 * What an async executor may lose: nothing, a synchronous exception (it awaits nothing), a
 * rejection after an await, a failure its `catch` swallows without settling the promise, or the
 * failure of a stream it pipes from, which nothing hears.
 */
export type ExecutorLoss = 'nothing' | 'syncThrow' | 'rejection' | 'swallowed' | 'unheardSource';

/**
 * Calls that cannot throw here: the executor's own `resolve` and `reject`, and registering a
 * function as a listener (`stream.on('end', () => ...)`), which throws only for a listener that
 * is not a function.
 */
function cannotThrow(call: TSESTree.CallExpression, executor: FunctionNode): boolean {
  const callee = skipTypeWrappers(call.callee);
  const isSettler = (node: Node) =>
    node.type === 'Identifier' &&
    executor.params.some((param) => param.type === 'Identifier' && param.name === node.name);
  // A function written here, or the executor's `resolve` / `reject`.
  const handsFunction = (index: number) => {
    const argument = call.arguments[index];
    const value = argument && skipTypeWrappers(argument);
    return value !== undefined && (isFunctionNode(value) || isSettler(value));
  };
  if (isSettler(callee)) return true;
  const method = calledMethodName(call);
  return method !== null && LISTENER_METHODS.has(method) && handsFunction(1);
}

/**
 * `new Error(message)`, `Buffer.alloc(0)`, `console.log(x)`: a global constructor or a function of
 * a global object, taken not to throw, as calls are elsewhere. The project's own code and its
 * packages' may (a constructor that validates its options).
 */
function callsBuiltIn(node: TSESTree.CallExpression | TSESTree.NewExpression, sourceCode: SourceCode): boolean {
  let root: Node = skipTypeWrappers(node.callee);
  while (root.type === 'MemberExpression' && !root.computed) root = skipTypeWrappers(root.object);
  return root.type === 'Identifier' && isGlobalReference(sourceCode, root);
}

/**
 * Whether the executor's own code (nested functions aside) may throw: a `throw`, or a call or
 * `new` of the project's code or a package's. Elsewhere the analysis takes sync calls not to throw,
 * since a sync exception there reaches the caller as usual; here it is exactly what `async` loses.
 */
function mayThrowSynchronously(executor: FunctionNode, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(executor.body, sourceCode.visitorKeys, (node: Node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === 'ThrowStatement') found = true;
    if (node.type === 'NewExpression' && !callsBuiltIn(node, sourceCode)) found = true;
    const call = node.type === 'CallExpression' ? node : null;
    if (call && !callsBuiltIn(call, sourceCode) && !cannotThrow(call, executor)) found = true;
    return !found;
  });
  return found;
}

/**
 * What an async executor may lose. One that awaits nothing loses its synchronous exceptions, if
 * its code can throw; one that awaits loses the failures no `catch` (that calls `reject`) guards,
 * unless what it awaits cannot reject (see `functionNeverRejects`).
 */
export function executorLoss(
  executor: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): ExecutorLoss {
  if (awaitsNothing(executor, sourceCode.visitorKeys)) {
    if (mayThrowSynchronously(executor, sourceCode)) return 'syncThrow';
  } else if (
    !functionNeverRejects(executor, sourceCode, file, knowledge) &&
    !awaitsOnlySettled(executor, sourceCode, file, knowledge)
  )
    return 'rejection';
  else if (failureLeavesPending(executor, sourceCode)) return 'swallowed';
  return pipesUnheardSource(executor, sourceCode) ? 'unheardSource' : 'nothing';
}

/**
 * Whether an executor's awaits cannot reject, knowing what only an executor can: `return
 * resolve(value)` hands back what `resolve` returns, nothing pending; and an awaited chain that
 * ends in a `catch` that handles the failure (`await fetch(url).then(read).catch(() => fallback)`).
 */
function awaitsOnlySettled(
  executor: FunctionNode,
  sourceCode: SourceCode,
  file: string,
  knowledge: PromiseKnowledge,
): boolean {
  const settlers = settlerNames(executor);
  const callsSettler = (call: TSESTree.CallExpression) => {
    const callee = skipTypeWrappers(call.callee);
    return callee.type === 'Identifier' && settlers.has(callee.name) && declaredBy(callee, executor, sourceCode);
  };
  return awaitsOnlySettledWork(executor, sourceCode, file, knowledge, callsSettler);
}

/** Whether a name refers to a parameter of `fn` (not one a nested function shadows it with). */
function declaredBy(name: TSESTree.Identifier, fn: FunctionNode, sourceCode: SourceCode): boolean {
  const definition = variableOf(sourceCode, name)?.defs[0];
  return definition?.type === 'Parameter' && definition.node === fn;
}

/** Whether code names the executor's `resolve` or `reject` (a call, or handing it on), nested functions included. */
function namesSettler(node: Node, settlers: Set<string>, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (current.type === 'Identifier' && settlers.has(current.name)) found = true;
    return !found;
  });
  return found;
}

/** Whether a statement after `statement` (in its block or in an enclosing one, up to the executor's body) names a settler. */
function settlesAfter(statement: Node, executor: FunctionNode, settlers: Set<string>, sourceCode: SourceCode): boolean {
  for (let child = statement, parent = statement.parent; parent && child !== executor.body;) {
    if (parent.type === 'BlockStatement') {
      const after = parent.body.slice(parent.body.indexOf(child as TSESTree.Statement) + 1);
      if (after.some((next) => namesSettler(next, settlers, sourceCode))) return true;
    }
    child = parent;
    parent = parent.parent;
  }
  return false;
}

/**
 * Whether a failure the executor catches leaves the promise pending: a `try` whose block awaits
 * and settles the promise (`resolve(await work())`), with a `catch` that names neither `resolve`
 * nor `reject` (it logs, say), and no code after the `try` that does. The failure is not lost as
 * an unhandled rejection, but whoever waits on the promise waits forever.
 */
function failureLeavesPending(executor: FunctionNode, sourceCode: SourceCode): boolean {
  const settlers = settlerNames(executor);
  let found = false;
  forEachDescendant(executor.body, sourceCode.visitorKeys, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type !== 'TryStatement' || !node.handler) return true;
    if (!awaitsIn(node.block, sourceCode) || !namesSettler(node.block, settlers, sourceCode)) return true;
    const handlerSettles =
      namesSettler(node.handler.body, settlers, sourceCode) ||
      (node.finalizer !== null && namesSettler(node.finalizer, settlers, sourceCode));
    if (!handlerSettles && !settlesAfter(node, executor, settlers, sourceCode)) found = true;
    return !found;
  });
  return found;
}

/** The executor's `resolve` and `reject`, by name. */
function settlerNames(executor: FunctionNode): Set<string> {
  return new Set(executor.params.flatMap((param) => (param.type === 'Identifier' ? [param.name] : [])));
}

/** `source.pipe(destination)`: the stream it reads from, and the one it writes to (and returns). */
function pipedStreams(node: Node): { source: Node; destination: Node } | null {
  if (node.type !== 'CallExpression' || calledMethodName(node) !== 'pipe') return null;
  const destination = node.arguments[0];
  if (!destination || destination.type === 'SpreadElement' || node.arguments.length > 2) return null;
  const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
  if (callee.type !== 'MemberExpression') return null;
  return { source: skipTypeWrappers(callee.object), destination: skipTypeWrappers(destination) };
}

/** `emitter.on('close', listener)` (or `once`, ...): the emitter, the event named by a literal, and the listener. */
function listenerRegistration(node: Node): { emitter: Node; event: unknown; listener: Node | undefined } | null {
  if (node.type !== 'CallExpression') return null;
  const method = calledMethodName(node);
  if (method === null || !LISTENER_METHODS.has(method)) return null;
  const callee = node.callee.type === 'ChainExpression' ? node.callee.expression : node.callee;
  if (callee.type !== 'MemberExpression') return null;
  const event = node.arguments[0];
  return {
    emitter: skipTypeWrappers(callee.object),
    event: event?.type === 'Literal' ? event.value : undefined,
    listener: node.arguments[1],
  };
}

/**
 * The names a stream expression goes by: its own (`file`, `response.message`), and those of the
 * stream it returns: `a.pipe(b)` returns `b`, `b.on(...)` returns `b`, and a `const` holds what it
 * was made with.
 */
function streamNames(node: Node, sourceCode: SourceCode, names = new Set<string>(), depth = 0): Set<string> {
  const expression = skipTypeWrappers(node);
  const path = memberPath(expression);
  if (path) names.add(path.join('.'));
  if (depth > 4) return names;
  const definition = expression.type === 'Identifier' ? variableOf(sourceCode, expression)?.defs[0] : undefined;
  if (definition?.type === 'Variable' && (definition.parent as TSESTree.VariableDeclaration).kind === 'const') {
    const init = (definition.node as TSESTree.VariableDeclarator).init;
    if (init) streamNames(init, sourceCode, names, depth + 1);
  }
  const returned = pipedStreams(expression)?.destination ?? listenerRegistration(expression)?.emitter;
  if (returned) streamNames(returned, sourceCode, names, depth + 1);
  return names;
}

/** Whether a listener calls the executor's `resolve` or `reject` (or is one). */
function settles(listener: Node | undefined, settlers: Set<string>, sourceCode: SourceCode): boolean {
  const value = listener && skipTypeWrappers(listener);
  if (!value) return false;
  if (value.type === 'Identifier') return settlers.has(value.name);
  if (!isFunctionNode(value)) return false;
  let found = false;
  forEachDescendant(value.body, sourceCode.visitorKeys, (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && settlers.has(node.callee.name))
      found = true;
    return !found;
  });
  return found;
}

const overlaps = (a: Set<string>, b: Set<string>) => [...a].some((name) => b.has(name));

/**
 * Whether the source of a pipe has its failure heard: an 'error' listener on it (chained,
 * `stream.on('error', reject).pipe(...)`, or registered anywhere in the function that makes the
 * promise), or the stream handed to a call, which may listen for it.
 */
function sourceErrorHeard(source: Node, scope: Node, sourceCode: SourceCode): boolean {
  const chained = listenerRegistration(source);
  if (chained?.event === 'error') return true;
  const names = streamNames(source, sourceCode);
  let heard = false;
  forEachDescendant(scope, sourceCode.visitorKeys, (node) => {
    if (heard || node.type !== 'CallExpression') return !heard;
    const registration = listenerRegistration(node);
    if (registration?.event === 'error' && overlaps(streamNames(registration.emitter, sourceCode), names)) heard = true;
    const handedOn = (argument: Node) => overlaps(streamNames(argument, sourceCode), names);
    if (!registration && pipedStreams(node) === null && node.arguments.some(handedOn)) heard = true;
    return !heard;
  });
  return heard;
}

/**
 * Whether the executor settles its promise from the events of a stream that `pipe` writes to,
 * while nothing hears a failure of the stream it reads from. `pipe` does not hand the source's
 * 'error' on to the destination (Node's documented behaviour): the destination then never emits
 * 'close' or 'finish', nor 'error', so the promise never settles, and the unheard 'error' is
 * thrown as an uncaught exception. No `try` around the executor's awaits can catch it.
 */
function pipesUnheardSource(executor: FunctionNode, sourceCode: SourceCode): boolean {
  const settlers = settlerNames(executor);
  const pipes: { source: Node; destination: Node }[] = [];
  const settlingEmitters: Set<string>[] = [];
  forEachDescendant(executor.body, sourceCode.visitorKeys, (node) => {
    const piped = pipedStreams(node);
    if (piped) pipes.push(piped);
    const registration = listenerRegistration(node);
    if (registration && settles(registration.listener, settlers, sourceCode))
      settlingEmitters.push(streamNames(registration.emitter, sourceCode));
  });
  const scope = innermostFunction(executor) ?? sourceCode.ast;
  return pipes.some((pipe) => {
    const destination = streamNames(pipe.destination, sourceCode);
    return (
      settlingEmitters.some((names) => overlaps(names, destination)) &&
      !sourceErrorHeard(pipe.source, scope, sourceCode)
    );
  });
}
