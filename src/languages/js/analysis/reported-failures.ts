/**
 * Where a rejection that nothing waits for is not lost: something else reports it (the test
 * runner, the browser's console) or it ends a script with its error, as the script wants.
 */
import type { Node, SourceCode } from '../types.js';
import { skipWrappersAndChains } from './ast.js';
import { runtimeOf } from './context/runtime.js';
import {
  endsTestThroughDone,
  failureEndsScript,
  failureReachesTestRunner,
  isPromiseAssertion,
  isScriptTopLevel,
  type WhereCodeRuns,
} from './run-context.js';

/**
 * Whether the failure of a promise left floating at `statement` is reported anyway: at the top of
 * a script (Node ends the process with the error, as the script wants), and in sync test code that
 * nothing waits on (the runner reports the rejection; see `failureReachesTestRunner`).
 */
export function floatingFailureIsReported(statement: Node, where: WhereCodeRuns, sourceCode: SourceCode): boolean {
  if (isScriptTopLevel(statement, where)) return true;
  if (failureEndsScript(statement, where, sourceCode)) return true;
  // A floating assertion about a promise is never checked, whatever reports the test's failures.
  const expression = statement.type === 'ExpressionStatement' ? skipWrappersAndChains(statement.expression) : null;
  if (expression?.type === 'CallExpression' && isPromiseAssertion(expression, sourceCode)) return false;
  if (where.at(statement).context !== 'test') return false;
  return failureReachesTestRunner(statement, sourceCode) || endsTestThroughDone(statement, sourceCode);
}

/**
 * Whether the rejection of a callback's promise that its caller ignores (a listener's, a timer's)
 * is reported anyway: in tests the runner reports it, and in a browser the console does, as it
 * does a thrown error (nothing ends). In a script that never calls process.exit, it ends the
 * script with its error.
 */
export function ignoredRejectionIsReported(callback: Node, where: WhereCodeRuns, sourceCode: SourceCode): boolean {
  if (where.at(callback).context === 'test' || runtimeOf(sourceCode) === 'browser') return true;
  return failureEndsScript(callback, where, sourceCode);
}
