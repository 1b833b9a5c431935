/** What a `return` inside `try` escapes: the handling a returned promise's failure and work would miss. */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { innermostFunction } from './async-context.js';
import { variableOf } from './scope.js';

export interface EscapedTry {
  /** The clause a rejection of the returned promise escapes. */
  handler: 'catch' | 'finally';
  /** Whether a `finally` runs before the promise settles. */
  finally: boolean;
}

/**
 * The try statement of the return's own function whose handling the return escapes: one whose
 * block holds the return (with a catch or a finally), or whose catch holds it (with a finally).
 */
export function tryEscapedByReturn(statement: TSESTree.ReturnStatement): EscapedTry | null {
  const fn = innermostFunction(statement);
  let child: Node = statement;
  for (
    let parent: Node | undefined = statement.parent;
    parent && parent !== fn;
    child = parent, parent = parent.parent
  ) {
    if (parent.type !== 'TryStatement') continue;
    if (child === parent.block && (parent.handler || parent.finalizer))
      return { handler: parent.handler ? 'catch' : 'finally', finally: parent.finalizer !== null };
    if (child === parent.handler && parent.finalizer) return { handler: 'finally', finally: true };
  }
  return null;
}

/**
 * Whether `node` names a variable its function awaited before `at` (`await done; return done;`):
 * that promise has settled, and returning it without `await` changes nothing.
 */
export function awaitedBefore(node: Node, at: Node, sourceCode: SourceCode): boolean {
  if (node.type !== 'Identifier') return false;
  const fn = innermostFunction(at);
  return (
    variableOf(sourceCode, node)?.references.some((reference) => {
      const parent = reference.identifier.parent;
      return (
        parent?.type === 'AwaitExpression' &&
        reference.identifier.range[1] <= at.range[0] &&
        innermostFunction(parent) === fn
      );
    }) ?? false
  );
}
