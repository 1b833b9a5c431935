/**
 * Runs that supersede each other: a function that numbers its runs in a counter kept outside
 * itself (`const current = ++req`) and, after it has waited, compares its number with the counter
 * to give up when a later run has started (`if (current !== req) return`). Such a function is
 * written to be started again before the last run ends (a watcher's re-check on every change):
 * a caller that does not wait for it starts it as designed, and only the latest run goes on.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, skipTypeWrappers, type FunctionNode } from './ast.js';
import { innermostFunction } from './async-context.js';
import { resolveLocalFunction } from './functions.js';
import { variableOf } from './scope.js';

/** The counter a run's number is taken from: a variable or a member of `this`, by its text. */
function counterKey(node: Node, fn: FunctionNode, sourceCode: SourceCode): string | null {
  const target = skipTypeWrappers(node);
  if (target.type === 'Identifier') {
    // Kept outside the run: a counter declared in the function would start afresh every time.
    const scope = variableOf(sourceCode, target)?.scope.block;
    return scope && scope !== fn && !isInside(scope, fn) ? `id:${target.name}` : null;
  }
  if (
    target.type === 'MemberExpression' &&
    target.object.type === 'ThisExpression' &&
    (target.property.type === 'Identifier' || target.property.type === 'PrivateIdentifier') &&
    !target.computed
  )
    return `this:${target.property.type === 'PrivateIdentifier' ? '#' : ''}${target.property.name}`;
  return null;
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

/** `++counter`, `counter += 1` (or `(counter = counter + 1)` is not looked for): the new number. */
function incrementedCounter(init: Node): Node | null {
  const value = skipTypeWrappers(init);
  if (value.type === 'UpdateExpression' && value.operator === '++' && value.prefix) return value.argument;
  if (
    value.type === 'AssignmentExpression' &&
    value.operator === '+=' &&
    value.right.type === 'Literal' &&
    value.right.value === 1
  )
    return value.left;
  return null;
}

/**
 * Whether `fn` is an async function that takes its run's number from an outside counter and,
 * after an `await`, compares that number with the counter again (in its own body or in a
 * function it makes there: `const isCanceled = () => current !== req`).
 */
function givesWayToLaterRuns(fn: FunctionNode, sourceCode: SourceCode): boolean {
  if (!fn.async || fn.body.type !== 'BlockStatement') return false;
  const numbers = new Map<string, string>();
  let firstAwait = Infinity;
  let compares = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (compares) return false;
    if (node.type === 'AwaitExpression' && innermostFunction(node) === fn)
      firstAwait = Math.min(firstAwait, node.range[0]);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
      const counter = incrementedCounter(node.init);
      const key = counter ? counterKey(counter, fn, sourceCode) : null;
      if (key) numbers.set(node.id.name, key);
    }
    if (
      node.type === 'BinaryExpression' &&
      ['!==', '===', '!=', '=='].includes(node.operator) &&
      node.range[0] > firstAwait
    ) {
      compares = comparesNumberWithCounter(node.left, node.right, numbers, fn, sourceCode);
      compares ||= comparesNumberWithCounter(node.right, node.left, numbers, fn, sourceCode);
    }
    return undefined;
  });
  return compares;
}

function comparesNumberWithCounter(
  number: Node,
  counter: Node,
  numbers: Map<string, string>,
  fn: FunctionNode,
  sourceCode: SourceCode,
): boolean {
  if (number.type !== 'Identifier') return false;
  const key = numbers.get(number.name);
  return key !== undefined && counterKey(counter, fn, sourceCode) === key;
}

/**
 * Whether a call starts a run that later runs supersede: the callee of this file gives way to later
 * runs itself, or awaits, as a statement of its own body, a call of one that does
 * (`async function update() { clear(); await lint(); }`).
 */
export function startsSupersededRun(call: TSESTree.CallExpression, sourceCode: SourceCode, file: string): boolean {
  const callee = resolveLocalFunction(call, sourceCode, file);
  if (!callee || callee.sourceCode !== sourceCode) return false;
  if (givesWayToLaterRuns(callee.fn, sourceCode)) return true;
  if (!callee.fn.async || callee.fn.body.type !== 'BlockStatement') return false;
  return callee.fn.body.body.some((statement) => {
    if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AwaitExpression') return false;
    const awaited = skipTypeWrappers(statement.expression.argument);
    if (awaited.type !== 'CallExpression') return false;
    const inner = resolveLocalFunction(awaited, sourceCode, file);
    return inner !== null && inner.sourceCode === sourceCode && givesWayToLaterRuns(inner.fn, sourceCode);
  });
}
