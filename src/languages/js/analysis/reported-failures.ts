/**
 * Where a rejection that nothing waits for is not lost: something else reports it (the test
 * runner, the browser's console) or it ends a script with its error, as the script wants.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipWrappersAndChains, type FunctionNode } from './ast.js';
import { globalMemberName, promiseMethodOf } from './members.js';
import { innermostFunction } from './async-context.js';
import { callOnlyWaits, isResolveOnlyPromise } from './promises.js';
import { declaredVariables, isGlobalReference, variableOf } from './scope.js';
import { resolveModuleBinding } from './imports.js';
import { runtimeOf } from './context/runtime.js';
import { callsEventCallbackNow, isEventCallback } from './callback-callers.js';
import { devServerReportsRejection } from './dev-server.js';
import { startsLoopUntilStopped } from './service-loops.js';
import { startsSupersededRun } from './superseded-runs.js';
import {
  endsTestThroughDone,
  failureEndsScript,
  failureReachesTestRunner,
  isPromiseAssertion,
  isScriptTopLevel,
  isWaitedForByTap,
  type WhereCodeRuns,
} from './run-context.js';

/**
 * Whether the failure of a promise left floating at `statement` is reported anyway: at the top of
 * a script (Node ends the process with the error, as the script wants), and in sync test code that
 * nothing waits on (the runner reports the rejection; see `failureReachesTestRunner`). Also true
 * of work started as designed, not waited for: a run that later runs supersede
 * (superseded-runs.ts), a test's start of a loop it stops later.
 */
export function floatingFailureIsReported(
  statement: Node,
  where: WhereCodeRuns,
  sourceCode: SourceCode,
  file: string,
): boolean {
  if (isScriptTopLevel(statement, where)) return true;
  if (failureEndsScript(statement, where, sourceCode, statement) && !entryCatchesFailures(statement, sourceCode))
    return true;
  const expression = statement.type === 'ExpressionStatement' ? skipWrappersAndChains(statement.expression) : null;
  // tap waits for its assertions' and subtests' promises before the test ends (run-context.ts).
  if (expression?.type === 'CallExpression' && isWaitedForByTap(expression, sourceCode)) return true;
  // A floating assertion about a promise is never checked, whatever reports the test's failures.
  if (expression?.type === 'CallExpression' && isPromiseAssertion(expression, sourceCode)) return false;
  // In a Vite dev server whose package listens for unhandled rejections process-wide, that
  // listener reports the rejection, as it does an ignored async callback's (dev-server.ts).
  if (devServerReportsRejection(statement, sourceCode, file)) return true;
  // A run that later runs supersede (a watcher's re-check on every change) is started as designed.
  if (expression?.type === 'CallExpression' && startsSupersededRun(expression, sourceCode, file)) return true;
  // In a browser, a rejection left floating in an event callback reaches the console, as an error
  // thrown there would: nothing waits for the callback (async-callback is silent about an async
  // listener there for the same reason).
  const fn = innermostFunction(statement);
  if (fn && runtimeOf(sourceCode) === 'browser' && isEventCallback(fn, sourceCode)) return true;
  // `if (mql.matches) load(); else mql.addEventListener('change', load)`: the same function run now
  // instead of by the browser later, its promise ignored both ways; its failure reaches the console.
  if (
    expression?.type === 'CallExpression' &&
    runtimeOf(sourceCode) === 'browser' &&
    callsEventCallbackNow(expression, sourceCode)
  )
    return true;
  if (where.at(statement).context !== 'test') return false;
  if (expression?.type === 'CallExpression' && observesSettlement(expression, sourceCode)) return true;
  if (expression?.type === 'CallExpression' && checksDispatchThroughSpies(expression, statement, sourceCode))
    return true;
  // A test that starts an object's loop (`worker.run()`, which goes on until `close()`) cannot
  // await it there without waiting for its own later `close()`: it is started on purpose.
  if (expression?.type === 'CallExpression' && startsLoopUntilStopped(expression, sourceCode, file)) return true;
  if (expression?.type === 'CallExpression' && waitsForChainAfterwards(expression, statement, sourceCode, file))
    return true;
  return failureReachesTestRunner(statement, sourceCode) || endsTestThroughDone(statement, sourceCode);
}

/**
 * `run().catch(console.error)` at a script's top level, with the statement in the body of `run`: the script hands the failures of that work to a handler of its own, so it does not
 * want an unhandled rejection to end it; a promise left floating inside escapes that handler.
 */
function entryCatchesFailures(statement: Node, sourceCode: SourceCode): boolean {
  // Only in the entry's own body: a callback nested in it (a watcher's listener) runs later, on
  // its own, and that handler never sees its failures either way.
  const fn = innermostFunction(statement);
  if (fn?.type !== 'FunctionDeclaration' || fn.parent?.type !== 'Program' || !fn.id) return false;
  const name = fn.id.name;
  const variable = declaredVariables(sourceCode, fn).find((each) => each.name === name);
  const calls = (variable?.references ?? []).flatMap((reference) => {
    const call = (reference.identifier as Node).parent;
    return call?.type === 'CallExpression' && call.callee === reference.identifier ? [call] : [];
  });
  return calls.length > 0 && calls.every((call) => callFailureIsHandled(call));
}

/** `run().catch(handler)` or `run().then(ok, handler)`, as a statement at the top level. */
function callFailureIsHandled(call: TSESTree.CallExpression): boolean {
  const member = call.parent;
  const chained = member?.type === 'MemberExpression' && member.object === call ? member.parent : null;
  if (chained?.type !== 'CallExpression' || chained.callee !== member) return false;
  const method = promiseMethodOf(chained);
  const handler = method === 'catch' ? chained.arguments[0] : method === 'then' ? chained.arguments[1] : undefined;
  return (
    handler !== undefined && chained.parent?.type === 'ExpressionStatement' && chained.parent.parent?.type === 'Program'
  );
}

/**
 * `cluster.spublish(...).then((n) => expect(n).to.eql(1)); ... await sleep(1000);` in a test: a
 * chain whose callback checks the result, and then the test waits for a while (a wait that cannot
 * reject, of this file or imported) before it goes on. The wait is how the author lets the chain
 * settle; a failed check meanwhile is the runner's unhandled-rejection report.
 */
function waitsForChainAfterwards(
  call: TSESTree.CallExpression,
  statement: Node,
  sourceCode: SourceCode,
  file: string,
): boolean {
  if (promiseMethodOf(call) !== 'then' || !isFunctionNode(call.arguments[0])) return false;
  const fn = innermostFunction(statement);
  if (!fn?.async || fn.body?.type !== 'BlockStatement') return false;
  let waits = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (waits || isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression' && node.range[0] > statement.range[1]) {
      const argument = skipWrappersAndChains(node.argument);
      waits =
        (argument.type === 'CallExpression' && callOnlyWaits(argument, sourceCode, file)) ||
        (argument.type === 'NewExpression' && isResolveOnlyPromise(argument, sourceCode));
    }
    return !waits;
  });
  return waits;
}

/**
 * `pending.then(() => { settled = true })` in a test: a promise that exists anyway (a variable or
 * a field, not a call that starts work here) watched by a callback that only sets variables. It
 * starts nothing and checks nothing that could go unchecked (the test asserts on the flag), and
 * a rejection of the chain is the runner's unhandled-rejection report.
 */
function observesSettlement(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  if (promiseMethodOf(call) !== 'then' || call.arguments.length !== 1) return false;
  const callee = skipWrappersAndChains(call.callee);
  if (callee.type !== 'MemberExpression' || !isPlainReference(callee.object)) return false;
  const callback = call.arguments[0]!;
  if (!isFunctionNode(callback) || callback.async || callback.generator) return false;
  return onlySetsVariables(callback.body, sourceCode);
}

/**
 * `validator.validate()` in a sync test that first replaced methods of `validator` with spies
 * (sinon's `spy` / `stub`, `jest.spyOn`, vitest's `vi.spyOn`): the test checks what the call
 * does at once, through the spies, which a sync test can only do before the promise settles;
 * a rejection is the runner's unhandled-rejection report.
 */
function checksDispatchThroughSpies(call: TSESTree.CallExpression, statement: Node, sourceCode: SourceCode): boolean {
  const fn = innermostFunction(statement);
  if (!fn || fn.async || fn.generator || fn.body?.type !== 'BlockStatement') return false;
  const callee = skipWrappersAndChains(call.callee);
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return false;
  const receiver = variableOf(sourceCode, callee.object);
  if (!receiver) return false;
  return fn.body.body.some((earlier) => {
    if (earlier.range[0] >= statement.range[0]) return false;
    let spies = false;
    forEachDescendant(earlier, sourceCode.visitorKeys, (node) => {
      if (spies || isFunctionNode(node)) return false;
      const target = node.type === 'CallExpression' && isSpyCall(node, sourceCode) ? node.arguments[0] : null;
      if (target?.type === 'Identifier' && variableOf(sourceCode, target) === receiver) spies = true;
      return undefined;
    });
    return spies;
  });
}

/** `sinon.spy(object, 'name')`, `sinon.stub(object, 'name')`, `jest.spyOn(object, 'name')`, `vi.spyOn(...)`. */
function isSpyCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  if (call.arguments.length < 2) return false;
  const binding = resolveModuleBinding(sourceCode, call.callee);
  if (binding?.module === 'sinon') return binding.path.at(-1) === 'spy' || binding.path.at(-1) === 'stub';
  if (binding?.module === 'vitest') return binding.path.join('.') === 'vi.spyOn';
  return globalMemberName(skipWrappersAndChains(call.callee), sourceCode, 'jest') === 'spyOn';
}

/** A name or a chain of plain members (`command.promise`): reading it starts nothing. */
function isPlainReference(node: Node): boolean {
  const expression = skipWrappersAndChains(node);
  if (expression.type === 'Identifier' || expression.type === 'ThisExpression') return true;
  return expression.type === 'MemberExpression' && !expression.computed && isPlainReference(expression.object);
}

/** Whether code only assigns or counts variables: no call, `new`, `await`, `throw` or `return` of a value. */
function onlySetsVariables(body: Node, sourceCode: SourceCode): boolean {
  const statements = body.type === 'BlockStatement' ? body.body : [body];
  let plain = statements.length > 0;
  for (const statement of statements) {
    const expression = statement.type === 'ExpressionStatement' ? statement.expression : statement;
    const write =
      (expression.type === 'AssignmentExpression' && expression.left.type === 'Identifier') ||
      (expression.type === 'UpdateExpression' && expression.argument.type === 'Identifier');
    if (!write) plain = false;
  }
  if (!plain) return false;
  forEachDescendant(body, sourceCode.visitorKeys, (node) => {
    if (node.type === 'CallExpression' || node.type === 'NewExpression' || node.type === 'AwaitExpression')
      plain = false;
    return plain;
  });
  return plain;
}

/**
 * Whether the rejection of a callback's promise that its caller ignores (a listener's, a timer's)
 * is reported anyway: in tests the runner reports it, and in a browser the console does, as it
 * does a thrown error (nothing ends). In a script that never calls process.exit, it ends the
 * script with its error. In a Vite dev server whose package listens for unhandled rejections
 * process-wide, that listener reports it (see dev-server.ts).
 */
export function ignoredRejectionIsReported(
  callback: Node,
  where: WhereCodeRuns,
  sourceCode: SourceCode,
  file?: string,
): boolean {
  if (where.at(callback).context === 'test' || runtimeOf(sourceCode) === 'browser') return true;
  if (failureEndsScript(callback, where, sourceCode)) return true;
  return file !== undefined && devServerReportsRejection(callback, sourceCode, file);
}

/** What the browser calls on a custom element as it is attached, moved or changed: the result is ignored. */
const LIFECYCLE_CALLBACKS = new Set([
  'connectedCallback',
  'disconnectedCallback',
  'adoptedCallback',
  'attributeChangedCallback',
]);

/** `connectedCallback() {...}` of a class extending a global `HTMLElement` (or `HTMLDivElement`, ...). */
function isCustomElementCallback(fn: FunctionNode, sourceCode: SourceCode): boolean {
  const method = fn.parent;
  if (method?.type !== 'MethodDefinition' || method.value !== fn || method.static || method.computed) return false;
  if (method.key.type !== 'Identifier' || !LIFECYCLE_CALLBACKS.has(method.key.name)) return false;
  const owner = method.parent?.parent;
  const base = owner?.type === 'ClassDeclaration' || owner?.type === 'ClassExpression' ? owner.superClass : null;
  return base?.type === 'Identifier' && /^HTML\w*Element$/.test(base.name) && isGlobalReference(sourceCode, base);
}

/**
 * Whether an async `forEach` loses no more than a floating promise does in a browser event
 * callback (see `floatingFailureIsReported`): the loop is the last statement of a callback nobody
 * waits for (a listener, or a custom element's lifecycle callback), so no code of it runs after
 * the loop expecting the work done, and a rejection reaches the console, as a thrown error does.
 */
export function forEachEndsBrowserCallback(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  if (runtimeOf(sourceCode) !== 'browser') return false;
  const statement = call.parent;
  if (statement?.type !== 'ExpressionStatement' || statement.parent?.type !== 'BlockStatement') return false;
  const fn = innermostFunction(statement);
  if (!fn || fn.body !== statement.parent || fn.body.body.at(-1) !== statement) return false;
  return isEventCallback(fn, sourceCode) || isCustomElementCallback(fn, sourceCode);
}
