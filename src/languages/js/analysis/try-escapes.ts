/** What a `return` inside `try` escapes: the handling a returned promise's failure and work would miss. */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { contains, forEachDescendant, isFunctionNode, skipTypeWrappers } from './ast.js';
import { innermostFunction } from './async-context.js';
import { resolveLocalFunction } from './functions.js';
import { variableOf, variablesReferencedIn } from './scope.js';

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
  const escaped = escapedTryStatement(statement);
  if (!escaped) return null;
  const handler = escaped.fromBlock && escaped.statement.handler ? 'catch' : 'finally';
  return { handler, finally: escaped.statement.finalizer !== null };
}

export function escapedTryStatement(
  statement: TSESTree.ReturnStatement,
): { statement: TSESTree.TryStatement; fromBlock: boolean } | null {
  const fn = innermostFunction(statement);
  let child: Node = statement;
  for (
    let parent: Node | undefined = statement.parent;
    parent && parent !== fn;
    child = parent, parent = parent.parent
  ) {
    if (parent.type !== 'TryStatement') continue;
    if (child === parent.block && (parent.handler || parent.finalizer)) return { statement: parent, fromBlock: true };
    if (child === parent.handler && parent.finalizer) return { statement: parent, fromBlock: false };
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

/**
 * Whether a returned call calls a function that holds the `return` (`return render(retry)` inside
 * `render`, or inside an arrow of `render`): the recursive run goes through the same `try` with
 * its own catch and finally, so waiting for it here would only run the same handling twice. Not
 * when the escaped `finally` works on something the call is handed (`return walk(sub, handle)`
 * before `finally { handle.close() }`): the outer run's cleanup would pull it from under the inner.
 */
export function callsEnclosingFunction(
  call: TSESTree.CallExpression,
  statement: TSESTree.ReturnStatement,
  sourceCode: SourceCode,
  file: string,
): boolean {
  const target = resolveLocalFunction(call, sourceCode, file);
  if (target === null || target.sourceCode !== sourceCode || !contains(target.fn, call)) return false;
  const finalizer = escapedTryStatement(statement)?.statement.finalizer;
  return !finalizer || !sharesValues(call, finalizer, sourceCode);
}

/** Whether a call's arguments or receiver name a variable (or `this`) that a block names too. */
function sharesValues(call: TSESTree.CallExpression, block: TSESTree.BlockStatement, sourceCode: SourceCode): boolean {
  const handed: Node[] = [...call.arguments];
  if (call.callee.type === 'MemberExpression') handed.push(call.callee.object);
  const inBlock = variablesReferencedIn(sourceCode, block);
  const blockUsesThis = usesThis(block, sourceCode);
  return handed.some(
    (node) =>
      (blockUsesThis && usesThis(node, sourceCode)) ||
      [...variablesReferencedIn(sourceCode, node)].some((variable) => inBlock.has(variable)),
  );
}

function usesThis(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (current.type === 'ThisExpression') found = true;
    return !found;
  });
  return found;
}

/**
 * Whether the `try` a return escapes is there to load a module: every await of its block is a
 * dynamic `import()` (`await import('virtual:entries')`), and its `catch` rethrows nothing and has
 * no `finally` after it. Such a `catch` is the fallback for a module that cannot be loaded; the work
 * the loaded module then starts is not what it falls back from, so its rejection is meant to reach
 * the caller. A returned `import()` is the load itself, and stays reported.
 */
export function catchGuardsModuleLoad(statement: TSESTree.ReturnStatement, sourceCode: SourceCode): boolean {
  const escaped = escapedTryStatement(statement);
  const tryStatement = escaped?.statement;
  if (!tryStatement || !escaped.fromBlock || !tryStatement.handler || tryStatement.finalizer) return false;
  if (statement.argument && skipTypeWrappers(statement.argument).type === 'ImportExpression') return false;
  let imports = 0;
  let other = false;
  forEachDescendant(tryStatement.block, sourceCode.visitorKeys, (node) => {
    if (other || isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression') {
      if (skipTypeWrappers(node.argument).type === 'ImportExpression') imports++;
      else other = true;
    } else if (node.type === 'ForOfStatement' && node.await) other = true;
    return undefined;
  });
  return imports > 0 && !other && !rethrows(tryStatement.handler.body, sourceCode);
}

/** Whether a `catch` block has a `throw` of its own (outside nested functions). */
function rethrows(block: TSESTree.BlockStatement, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(block, sourceCode.visitorKeys, (node) => {
    if (found || isFunctionNode(node)) return false;
    if (node.type === 'ThrowStatement') found = true;
    return undefined;
  });
  return found;
}
