/**
 * Reads of the clock and loops that spin on it: `while (Date.now() < end) {}` holds the event
 * loop for the whole wait, where `await setTimeout(ms)` would yield it.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, skipTypeWrappers } from './ast.js';
import { resolveModuleBinding } from './imports.js';
import { isGlobalReference } from './scope.js';

export type SpinLoop = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

/** `Date.now()`, `performance.now()`, `new Date()` (and `.getTime()` / `.valueOf()` on it), `process.hrtime...`. */
export function isClockRead(node: Node, sourceCode: SourceCode): boolean {
  const expression = skipTypeWrappers(node);
  if (expression.type === 'UnaryExpression' && expression.operator === '+')
    return isClockRead(expression.argument, sourceCode);
  if (expression.type === 'NewExpression') return isNewDate(expression, sourceCode);
  if (expression.type !== 'CallExpression') return false;
  const callee = expression.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if ((method === 'getTime' || method === 'valueOf') && isClockRead(callee.object, sourceCode)) return true;
  if (callee.object.type === 'Identifier') {
    const owner = callee.object.name;
    if (owner === 'Date' && method === 'now') return isGlobalReference(sourceCode, callee.object);
    if (owner === 'performance' && method === 'now')
      return (
        isGlobalReference(sourceCode, callee.object) ||
        resolveModuleBinding(sourceCode, callee.object)?.module === 'perf_hooks'
      );
  }
  return isHrtimeCall(callee);
}

/** `new Date()`: the current time (with arguments it is a given date, not the clock). */
function isNewDate(expression: TSESTree.NewExpression, sourceCode: SourceCode): boolean {
  return (
    expression.callee.type === 'Identifier' &&
    expression.callee.name === 'Date' &&
    expression.arguments.length === 0 &&
    isGlobalReference(sourceCode, expression.callee)
  );
}

/** `process.hrtime()`, and any method below it (`process.hrtime.bigint()`). */
function isHrtimeCall(callee: TSESTree.MemberExpression): boolean {
  const object = callee.object;
  if (object.type === 'MemberExpression' && object.object.type === 'Identifier' && object.object.name === 'process')
    return object.property.type === 'Identifier' && object.property.name === 'hrtime';
  return (
    object.type === 'Identifier' &&
    object.name === 'process' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'hrtime'
  );
}

export function containsClockRead(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (found || isClockRead(current, sourceCode)) found = true;
    return !found;
  });
  return found;
}

/** Whether a node calls, constructs or awaits anything (where the loop could make progress). */
function containsCall(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (current.type === 'CallExpression' || current.type === 'NewExpression' || current.type === 'AwaitExpression')
      found = true;
    return !found;
  });
  return found;
}

/** A test that calls anything but the clock (`while (!isReady() && Date.now() < end)`) polls real state. */
function callsOnlyTheClock(test: Node, sourceCode: SourceCode): boolean {
  let onlyClock = true;
  forEachDescendant(test, sourceCode.visitorKeys, (current) => {
    if (current.type === 'AwaitExpression') onlyClock = false;
    if ((current.type === 'CallExpression' || current.type === 'NewExpression') && !isClockRead(current, sourceCode)) {
      const callee = current.type === 'CallExpression' ? current.callee : null;
      if (!(callee?.type === 'MemberExpression' && isClockRead(callee.object, sourceCode))) onlyClock = false;
    }
    return onlyClock;
  });
  return onlyClock;
}

/** A body that does nothing but spin: empty, or only counters and clock reads. */
function isTrivialBody(body: Node, sourceCode: SourceCode): boolean {
  const statements = body.type === 'BlockStatement' ? body.body : [body];
  return statements.every((statement) => {
    if (statement.type === 'EmptyStatement') return true;
    if (statement.type !== 'ExpressionStatement') return false;
    const expression = statement.expression;
    if (expression.type === 'UpdateExpression') return true;
    return (
      expression.type === 'AssignmentExpression' &&
      expression.left.type === 'Identifier' &&
      (isClockRead(expression.right, sourceCode) || !containsCall(expression.right, sourceCode))
    );
  });
}

/** The clock the loop tests: in its test directly, or through a variable its body refreshes from the clock. */
function testsTheClock(loop: SpinLoop, sourceCode: SourceCode): boolean {
  if (!loop.test) return false;
  if (containsClockRead(loop.test, sourceCode)) return true;
  const statements = loop.body.type === 'BlockStatement' ? loop.body.body : [loop.body];
  const refreshed = new Set<string>();
  for (const statement of statements) {
    if (
      statement.type === 'ExpressionStatement' &&
      statement.expression.type === 'AssignmentExpression' &&
      statement.expression.left.type === 'Identifier' &&
      isClockRead(statement.expression.right, sourceCode)
    ) {
      refreshed.add(statement.expression.left.name);
    }
  }
  if (refreshed.size === 0) return false;
  let readsRefreshed = false;
  forEachDescendant(loop.test, sourceCode.visitorKeys, (current) => {
    if (current.type === 'Identifier' && refreshed.has(current.name)) readsRefreshed = true;
  });
  return readsRefreshed;
}

/**
 * Whether a loop does nothing but wait for the clock to pass a point: its test reads the clock,
 * its body only counts or rereads the clock, and its test calls nothing else (which would be
 * polling some real state).
 */
export function spinsOnClock(loop: SpinLoop, sourceCode: SourceCode): boolean {
  if (!testsTheClock(loop, sourceCode) || !isTrivialBody(loop.body, sourceCode)) return false;
  return !(loop.test && containsCall(loop.test, sourceCode) && !callsOnlyTheClock(loop.test, sourceCode));
}
