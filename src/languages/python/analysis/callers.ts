/**
 * Who runs a function of the project, and from where: the call sites of a name in one module
 * (the host gathers them from every module of the project, see PythonProject.sites), each
 * judged by where it runs. A call runs once per process, not per request, when it is
 *
 * - the argument of `loop.run_until_complete(...)` (asyncio's loop runs it to its end before
 *   the caller goes on: a start-up or shutdown step, not a request),
 * - in a start-up hook its file registers, or before its coroutine starts serving (startup.ts;
 *   an awaited `serve_forever()`, asyncio's `Server.serve_forever`, starts serving too),
 * - in the branch an ASGI app takes for the `lifespan.startup` message, which the server sends
 *   once, before the first request,
 * - at a module's top level (it runs at import) or in an `if __name__ == "__main__":` block.
 *
 * Otherwise the call runs whenever the function it is made in runs, and that function's own call
 * sites decide. A name used without a call (handed over as a callback, stored) has callers the
 * project does not show: nothing is known of it.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { isInMainBlock } from './run-context.js';
import { runsBeforeServing } from './startup.js';
import type { PythonProject } from './project.js';
import type { ScopeModel } from './scopes.js';

export interface PyCallSite {
  /** The call runs once per process (start-up, a script's main block, import time). */
  once: boolean;
  /** Otherwise the name of the function it is made in, whose own callers decide; null when unknown. */
  within: string | null;
  /** No call: the function is handed as an argument to a call (`provider.on_next(self._re_auth)`), which runs it when it chooses. */
  handedOver?: boolean;
}

const RUN_TO_COMPLETION = new Set(['run_until_complete']);

/** The name a callee is called by: `f` of `f(...)` and of `x.y.f(...)`. */
function calledName(callee: PyNode | undefined, text: string): string | null {
  if (callee?.type === 'identifier') return textOf(callee, text);
  const attribute = callee?.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
  return attribute ? textOf(attribute, text) : null;
}

/** Whether `call` is the argument of `loop.run_until_complete(...)`. */
function runToCompletion(call: PyNode, text: string): boolean {
  const args = call.parent?.type === 'argument_list' ? call.parent : undefined;
  const outer = args?.parent?.type === 'call' ? args.parent : undefined;
  const name = outer ? calledName(childByField(outer, 'function'), text) : null;
  return name !== null && RUN_TO_COMPLETION.has(name);
}

/** `message["type"] == "lifespan.startup"` (either way round): the ASGI start-up message. */
function isLifespanStartup(condition: PyNode | undefined, text: string): boolean {
  if (condition?.type !== 'comparison_operator') return false;
  return namedChildren(condition).some((operand) => /^['"]lifespan\.startup['"]$/.test(textOf(operand, text)));
}

function inLifespanStartupBranch(node: PyNode, text: string): boolean {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'function_definition') return false;
    if (current.type === 'if_statement' && child.field === 'consequence')
      if (isLifespanStartup(childByField(current, 'condition'), text)) return true;
  }
  return false;
}

/** Whether an awaited call starts asyncio's `Server.serve_forever()`. */
function servesForever(node: PyNode, text: string): boolean {
  return (
    node.type === 'call' &&
    node.parent?.type === 'await' &&
    calledName(childByField(node, 'function'), text) === 'serve_forever'
  );
}

/** Whether `call` comes before `await server.serve_forever()` in its coroutine, in no loop with it. */
function beforeServingForever(call: PyNode, fn: PyNode, text: string): boolean {
  const body = childByField(fn, 'body');
  const stack = body ? [body] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'lambda') continue;
    if (servesForever(node, text)) {
      if (node.start <= call.start) continue;
      for (let up = call.parent; up && up !== fn; up = up.parent)
        if ((up.type === 'for_statement' || up.type === 'while_statement') && up.end >= node.end) return false;
      return true;
    }
    for (const child of node.children) stack.push(child);
  }
  return false;
}

function siteOf(node: PyNode, root: PyNode, scopes: ScopeModel, text: string): PyCallSite {
  if (isInMainBlock(node, text)) return { once: true, within: null };
  const fn = executingFunction(node);
  if (!fn) return { once: true, within: null };
  const once =
    runToCompletion(node, text) ||
    runsBeforeServing(node, root, scopes, text) ||
    beforeServingForever(node, fn, text) ||
    inLifespanStartupBranch(node, text);
  const name = childByField(fn, 'name');
  return { once, within: once || !name ? null : textOf(name, text) };
}

/** Nodes no use of a function is in: text, and import statements (`from pkg.startup import x` names a module). */
const SKIPPED = new Set(['string', 'comment', 'import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * Where a module uses `name` as a function or method: each call `name(...)` / `x.name(...)`
 * and each other reference (`x.name` handed over), but not its own `def`.
 */
export function callSitesIn(root: PyNode, text: string, scopes: ScopeModel, name: string): PyCallSite[] {
  const sites: PyCallSite[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (SKIPPED.has(node.type)) continue;
    const isName =
      (node.type === 'identifier' && node.parent?.type !== 'attribute' && textOf(node, text) === name) ||
      (node.type === 'attribute' && calledName(node, text) === name);
    if (isName) {
      const parent = node.parent;
      if (parent?.type === 'function_definition' && node.field === 'name') continue;
      if (parent?.type === 'keyword_argument' && node.field === 'name') continue;
      if (parent?.type === 'call' && node.field === 'function') sites.push(siteOf(parent, root, scopes, text));
      else if (isArgument(node)) sites.push({ once: false, within: null, handedOver: true });
      else sites.push({ once: false, within: null });
      if (node.type === 'identifier') continue;
    }
    // Reversed onto the stack: the sites come out in source order.
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return sites;
}

/** `f(x.name)`, `f(callback=x.name)`: the expression is an argument of a call. */
function isArgument(node: PyNode): boolean {
  const parent = node.parent;
  if (parent?.type === 'keyword_argument') return node.field === 'value' && parent.parent?.type === 'argument_list';
  return parent?.type === 'argument_list' && parent.parent?.type === 'call';
}

/**
 * Whether the project's modules (tests aside) use a function only by handing it as an argument
 * to calls (`credential_provider.on_next(self._re_auth)`), and never call it: it runs when what
 * it was handed to calls it back (a token renewal, an event), never inside a call the project
 * makes and waits for.
 */
export function onlyHandedOver(name: string, project: PythonProject): boolean {
  const sites = project.sites;
  if (!sites) return false;
  let count = 0;
  for (const site of sites.callSitesOf(name)) {
    if (!site.handedOver) return false;
    count++;
  }
  return count > 0;
}

/** The modules an import statement names, without parsing: `a.b` of `import a.b`, `p` and `p.x` of `from p import x`. */
const IMPORT = /^[ \t]*(?:import[ \t]+([^#\n]+)|from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^#\n]*))/gm;

/**
 * The modules a module's text imports (and with each, its parent packages, which the import
 * runs too), relative imports resolved against `packageName`. A submodule that a `from p import
 * x` may name is listed as `p.x`: a name that is no module matches no query.
 */
export function importedModules(text: string, packageName: string): Set<string> {
  const found = new Set<string>();
  const add = (module: string) => {
    const parts = module.split('.');
    for (let length = 1; length <= parts.length; length++) found.add(parts.slice(0, length).join('.'));
  };
  const names = (list: string) =>
    list
      .replace(/[()\\]/g, ' ')
      .split(',')
      .map((item) => item.trim().split(/\s+/)[0]!)
      .filter((item) => /^[\w.]+$/.test(item));
  for (const match of text.matchAll(IMPORT)) {
    const [, plain, dots, dotted, list] = match;
    if (plain !== undefined) {
      for (const module of names(plain)) add(module);
      continue;
    }
    let base = dotted ?? '';
    if (dots) {
      const parts = packageName ? packageName.split('.') : [];
      if (dots.length - 1 > parts.length) continue;
      base = [...parts.slice(0, parts.length - (dots.length - 1)), ...(dotted ? [dotted] : [])].join('.');
    }
    if (!base) continue;
    add(base);
    for (const item of names(list ?? '')) if (item !== '*') add(`${base}.${item}`);
  }
  return found;
}

/** How far a chain of importers or callers is followed before nothing is known of it. */
const MAX_HOPS = 4;

/**
 * Whether a module of the project is test support: the project imports it, and only from test
 * code or from other test support (asyncpg's `_testbase`, and the throwaway-server manager only
 * it and the tests import). Its code runs when the tests run, whatever its path.
 */
export function isTestSupportModule(
  moduleName: string,
  project: PythonProject,
  hops = 0,
  seen = new Set<string>(),
): boolean {
  const sites = project.sites;
  if (!sites || hops > MAX_HOPS) return false;
  if (seen.has(moduleName)) return true; // a cycle adds no importer from outside
  seen.add(moduleName);
  const importers = sites.importersOf(moduleName);
  return (
    importers.length > 0 &&
    importers.every(
      (site) => site.test || (site.module !== null && isTestSupportModule(site.module, project, hops + 1, seen)),
    )
  );
}

/**
 * Whether every caller the project shows of a function (by its name) runs once per process or
 * in tests, directly or through the functions it is called in. A function no module of the
 * project calls, or only its tests call, is the library's API, called from anywhere: not once.
 */
export function runsOncePerProcess(
  name: string,
  project: PythonProject,
  hops = 0,
  path = new Set<string>(),
  known = new Map<string, boolean>(),
): boolean {
  const sites = project.sites;
  if (!sites || hops > MAX_HOPS) return false;
  // Round in a circle (or two methods of one name): no start-up caller shown on that path.
  if (path.has(name)) return false;
  if (known.has(name)) return known.get(name)!;
  path.add(name);
  // A test's call runs in tests: only the others can show a caller that is not once.
  let callers = 0;
  let once = true;
  for (const site of sites.callSitesOf(name)) {
    callers++;
    if (site.once) continue;
    if (site.within !== null && runsOncePerProcess(site.within, project, hops + 1, path, known)) continue;
    once = false;
    break;
  }
  // Called from tests alone (or not at all), it is API whose callers are the library's users.
  once &&= callers > 0;
  path.delete(name);
  known.set(name, once);
  return once;
}
