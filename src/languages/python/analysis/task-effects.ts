/**
 * Whether a function that starts a task then waits on what the task acts on: a test that drops
 * `asyncio.create_task(worker(server))` and then does `await server.serve()` (or `await flag`,
 * `async with pool.acquire()`) cannot get past that wait before the task has done its part, so the
 * task is awaited in effect: it stays referenced as long as the function waits, and what it fails
 * to do shows as the function's own failure. What the task acts on is what its coroutine is handed
 * (the call's arguments) and, for a coroutine function nested in the same function, the locals of
 * that function it reads; a wait acts on a name when the name is at the root of what it awaits.
 * A wait on something else (a task made earlier, a module's function) says nothing of the task.
 */
import { childByField, hasAsyncKeyword, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { definedFunction, methodOfSelf } from './coroutines.js';
import { qualifiedName } from './imports.js';
import { ownNodes } from './loops.js';
import type { ScopeModel } from './scopes.js';

/** Every node under `root`, nested functions included, depth first. */
function allNodes(root: PyNode): PyNode[] {
  const found: PyNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return found;
}

/** The identifier at the root of `a.b(x).c`, of `a[0]`, or `a` itself. */
function rootName(expression: PyNode | undefined): PyNode | undefined {
  let node = expression;
  while (node?.type === 'attribute' || node?.type === 'call' || node?.type === 'subscript')
    node = childByField(node, node.type === 'attribute' ? 'object' : node.type === 'call' ? 'function' : 'value');
  return node?.type === 'identifier' ? node : undefined;
}

/** The locals of `fn` (its parameters and variables) that `region` reads. */
function localsOfRead(region: PyNode, fn: PyNode, scopes: ScopeModel, text: string, into: Set<string>): void {
  for (const node of allNodes(region)) {
    if (node.type !== 'identifier') continue;
    if (node.parent?.type === 'attribute' && node.field === 'attribute') continue;
    if (node.parent?.type === 'keyword_argument' && node.field === 'name') continue;
    const resolution = scopes.resolve(node);
    if (resolution.kind === 'defined' && resolution.scope.node === fn) into.add(textOf(node, text));
  }
}

/** The locals of `fn` that the coroutine of `coroutineCall` is handed or, nested in `fn`, reads. */
function actedOn(coroutineCall: PyNode, fn: PyNode, scopes: ScopeModel, text: string): Set<string> {
  const names = new Set<string>();
  const args = childByField(coroutineCall, 'arguments');
  if (args) localsOfRead(args, fn, scopes, text, names);
  const callee = childByField(coroutineCall, 'function');
  const nested = callee?.type === 'identifier' ? definedFunction(callee, scopes) : null;
  if (nested && executingFunction(nested) === fn) {
    const body = childByField(nested, 'body');
    if (body) localsOfRead(body, fn, scopes, text, names);
  }
  // A coroutine function bound to a local is how the task is made, not what it acts on.
  if (callee?.type === 'identifier') names.delete(textOf(callee, text));
  return names;
}

/** What `fn`'s own code waits on after `offset`: awaited expressions, `async with` items, `async for` iterables. */
function waitsAfter(fn: PyNode, offset: number): PyNode[] {
  const waits: PyNode[] = [];
  for (const node of ownNodes(fn)) {
    if (node.start < offset) continue;
    if (node.type === 'await' && node.named) {
      const expression = node.children.find((child) => child.named);
      if (expression) waits.push(expression);
    } else if (node.type === 'with_statement' && hasAsyncKeyword(node)) {
      for (const item of ownNodes(node))
        if (item.type === 'with_item') {
          const value = childByField(item, 'value');
          const used = value?.type === 'as_pattern' ? value.children.find((child) => child.named) : value;
          if (used) waits.push(used);
        }
    } else if (node.type === 'for_statement' && hasAsyncKeyword(node)) {
      const iterable = childByField(node, 'right');
      if (iterable) waits.push(iterable);
    }
  }
  return waits;
}

/** The calls a sync function makes after `offset`: each holds it until the call returns. */
function callsAfter(fn: PyNode, offset: number): PyNode[] {
  return ownNodes(fn).filter((node) => node.type === 'call' && node.start >= offset);
}

/**
 * Whether the function that runs `statement` (which starts a task running `coroutineCall`) later
 * waits on something that task acts on; or, when that function is nested in a sync one (a
 * start-up hook a test defines, then runs with `dispatcher.run_polling(bot)`), whether the sync
 * one then calls something on what the task acts on: the hook runs only inside a call of the
 * sync function that runs an event loop, and a call holds the function until it returns.
 */
export function waitsOnTaskEffect(statement: PyNode, coroutineCall: PyNode, scopes: ScopeModel, text: string): boolean {
  const actsOn = (names: Set<string>) => (wait: PyNode) => {
    const root = rootName(wait);
    return !!root && names.has(textOf(root, text));
  };
  const fn = executingFunction(statement);
  if (!fn) return false;
  const names = actedOn(coroutineCall, fn, scopes, text);
  if (names.size > 0 && waitsAfter(fn, statement.end).some(actsOn(names))) return true;
  const outer = hasAsyncKeyword(fn) ? executingFunction(fn) : null;
  if (!outer || hasAsyncKeyword(outer)) return false;
  const outerNames = actedOn(coroutineCall, outer, scopes, text);
  return outerNames.size > 0 && callsAfter(outer, fn.end).some(actsOn(outerNames));
}

/** `return_exceptions=True` among a call's arguments. */
function returnsExceptions(call: PyNode, text: string): boolean {
  const args = childByField(call, 'arguments');
  return (args?.children ?? []).some((argument) => {
    if (argument.type !== 'keyword_argument') return false;
    const name = childByField(argument, 'name');
    const value = childByField(argument, 'value');
    return !!name && !!value && textOf(name, text) === 'return_exceptions' && textOf(value, text) === 'True';
  });
}

/**
 * Whether the coroutine of `coroutineCall` has no failure to lose: it runs a coroutine function
 * of this file whose body only awaits `asyncio.gather(..., return_exceptions=True)`, which hands
 * every failure back as a value instead of raising it (the asyncio API), and drops the values.
 */
export function cannotFail(coroutineCall: PyNode, scopes: ScopeModel, text: string): boolean {
  const callee = childByField(coroutineCall, 'function');
  const fn = callee?.type === 'identifier' ? definedFunction(callee, scopes) : null;
  const body = fn && hasAsyncKeyword(fn) ? childByField(fn, 'body') : undefined;
  const statements = (body?.children ?? []).filter((child) => child.named && child.type !== 'comment');
  return (
    statements.length > 0 &&
    statements.every((statement) => {
      const expression = statement.type === 'expression_statement' ? statement.children.find((c) => c.named) : null;
      if (expression?.type === 'string') return true; // a docstring
      const awaited = expression?.type === 'await' ? expression.children.find((c) => c.named) : null;
      const gather = awaited?.type === 'call' ? childByField(awaited, 'function') : undefined;
      return !!gather && qualifiedName(gather, scopes, text) === 'asyncio.gather' && returnsExceptions(awaited!, text);
    })
  );
}

/** The `def` an expression names: a function of this file by its name, or a method through `self` / `cls`. */
function functionNamed(expression: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  if (expression.type === 'identifier') return definedFunction(expression, scopes);
  if (expression.type === 'attribute') return methodOfSelf(expression, scopes, text);
  return null;
}

/**
 * Whether the coroutine function `fn` only ever runs as the main coroutine of `asyncio.run(...)`:
 * this file names it nowhere else (the module's own functions and the class's own methods through
 * `self`). Its result is then handed to the sync code that called `asyncio.run`, as a sync
 * factory hands it on; a coroutine it returns is that code's to await.
 */
export function runsOnlyUnderAsyncioRun(fn: PyNode, root: PyNode, scopes: ScopeModel, text: string): boolean {
  const name = childByField(fn, 'name');
  if (!name) return false;
  const spelled = textOf(name, text);
  let runs = 0;
  for (const node of allNodes(root)) {
    // `save` (not the `def`'s own name, nor the `.save` of an attribute) or `self.save`.
    const spelling =
      node.type === 'identifier' && node.field !== 'attribute' && node !== name
        ? node
        : node.type === 'attribute'
          ? childByField(node, 'attribute')
          : undefined;
    if (!spelling || textOf(spelling, text) !== spelled || functionNamed(node, scopes, text) !== fn) continue;
    const call = node.parent?.type === 'call' && node.field === 'function' ? node.parent : null;
    const argumentList = call?.parent?.type === 'argument_list' ? call.parent : null;
    const runner = argumentList?.parent?.type === 'call' ? argumentList.parent : null;
    const runnerName = runner && childByField(runner, 'function');
    if (!runnerName || qualifiedName(runnerName, scopes, text) !== 'asyncio.run') return false;
    runs++;
  }
  return runs > 0;
}
