/**
 * What a coroutine does for the arguments a call gives it: whether, awaited with them, it waits
 * for anything or at most yields the loop once (`await asyncio.sleep(0)`, asyncio's documented
 * way to let other tasks run, which waits for no event). A coroutine that waits only in the
 * branch of a flag it was not given (`if inline: return await work` ... `task =
 * create_task(work); await asyncio.sleep(0); return task`, with `inline` defaulting to False)
 * starts its work and returns: awaiting it in a loop already lets each piece of work overlap the
 * next. A plain `def` that returns such a call (`return self.router.dispatch(..., inline=inline)`)
 * hands its own parameters on, so the flag is followed through it.
 */
import { childByField, hasAsyncKeyword, namedChildren, textOf, type PyNode } from './ast.js';
import { isAsyncFunction } from './async-context.js';
import {
  classBodyOf,
  decoratorsOf,
  definedFunction,
  isPlainCoroutineFunction,
  isStaticMethod,
  methodOfSelf,
  methodsOf,
} from './coroutines.js';
import { annotatedClass, qualifiedName } from './imports.js';
import { ownNodes } from './loops.js';
import { projectFunction, type PythonProject, type PyYieldGuard } from './project.js';
import type { ScopeModel } from './scopes.js';

/** Plain `def`s returning a call followed at most this many times before the coroutine. */
const MAX_DELEGATIONS = 3;

interface Parameter extends PyYieldGuard {
  node: PyNode;
  /** Its default is `False`, `None` or `0`: left out, it reads as false. */
  falsyDefault: boolean;
}

function isFalsyLiteral(node: PyNode | undefined, text: string): boolean {
  if (node?.type === 'false' || node?.type === 'none') return true;
  return (node?.type === 'integer' || node?.type === 'float') && Number(textOf(node, text)) === 0;
}

/** The parameters a call can pass, with their positional places (after a method's `self` / `cls`). */
function parametersOf(fn: PyNode, scopes: ScopeModel, text: string): Parameter[] {
  const list = childByField(fn, 'parameters');
  let all = list ? namedChildren(list).filter((node) => node.type !== 'comment') : [];
  if (classBodyOf(fn) && !isStaticMethod(fn, scopes, text)) all = all.slice(1);
  const found: Parameter[] = [];
  let position: number | null = 0;
  for (const parameter of all) {
    if (parameter.type === 'positional_separator') continue;
    if (parameter.type === 'keyword_separator' || parameter.type === 'list_splat_pattern') {
      position = null;
      continue;
    }
    const node =
      parameter.type === 'identifier'
        ? parameter
        : parameter.type === 'typed_parameter'
          ? parameter.children.find((child) => child.type === 'identifier')
          : childByField(parameter, 'name');
    if (node?.type !== 'identifier') {
      position = null;
      continue;
    }
    const falsyDefault = isFalsyLiteral(childByField(parameter, 'value'), text);
    found.push({ name: textOf(node, text), position, node, falsyDefault });
    if (position !== null) position++;
  }
  return found;
}

/** `await asyncio.sleep(0)`: one turn of the loop, no wait. */
function isBareYield(awaitNode: PyNode, scopes: ScopeModel, text: string): boolean {
  const call = namedChildren(awaitNode)[0];
  const callee = call?.type === 'call' ? childByField(call, 'function') : undefined;
  if (!callee || qualifiedName(callee, scopes, text) !== 'asyncio.sleep') return false;
  const args = namedChildren(childByField(call!, 'arguments')!);
  const [delay] = args;
  return args.length === 1 && (delay!.type === 'integer' || delay!.type === 'float') && isFalsyLiteral(delay, text);
}

/** The parameter (with a falsy default) whose `if` branch `node` runs in, or null. */
function guardingParameter(
  node: PyNode,
  fn: PyNode,
  parameters: readonly Parameter[],
  scopes: ScopeModel,
): Parameter | null {
  for (let child = node, current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if ((current.type !== 'if_statement' && current.type !== 'elif_clause') || child.field !== 'consequence') continue;
    const condition = childByField(current, 'condition');
    if (condition?.type !== 'identifier') continue;
    const resolution = scopes.resolve(condition);
    if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) continue;
    const parameter = parameters.find((candidate) => candidate.node === resolution.definitions[0]!.node);
    if (parameter?.falsyDefault) return parameter;
  }
  return null;
}

/**
 * The parameters of a coroutine function that must be left false for its own body to do no more
 * than yield: each of its waits (`await`, `async for`, `async with`) but `await asyncio.sleep(0)`
 * is in the branch of an `if <parameter>:` whose default is false. Null when one is not.
 */
export function yieldGuardsOf(fn: PyNode, scopes: ScopeModel, text: string): PyYieldGuard[] | null {
  const body = childByField(fn, 'body');
  if (!body) return null;
  const parameters = parametersOf(fn, scopes, text);
  const guards = new Map<string, PyYieldGuard>();
  for (const node of ownNodes(body)) {
    const waits =
      (node.type === 'await' && node.named) ||
      ((node.type === 'for_statement' || node.type === 'with_statement') && hasAsyncKeyword(node));
    if (!waits || (node.type === 'await' && isBareYield(node, scopes, text))) continue;
    const guard = guardingParameter(node, fn, parameters, scopes);
    if (!guard) return null;
    guards.set(guard.name, { name: guard.name, position: guard.position });
  }
  return [...guards.values()];
}

/** Whether an argument is known false: a falsy literal, or a parameter handed on that is. */
type KnownFalse = (argument: PyNode) => boolean;

/** Whether a call leaves a parameter false: passes a false value for it, or leaves it to a false default. */
function leavesFalse(call: PyNode, parameter: PyYieldGuard, falsyDefault: boolean, known: KnownFalse, text: string) {
  const list = childByField(call, 'arguments');
  const args = list ? namedChildren(list).filter((node) => node.type !== 'comment') : [];
  if (args.some((argument) => argument.type === 'list_splat' || argument.type === 'dictionary_splat')) return false;
  const keyword = args.find((argument) => {
    const name = argument.type === 'keyword_argument' ? childByField(argument, 'name') : undefined;
    return name !== undefined && textOf(name, text) === parameter.name;
  });
  const positional = args.filter((argument) => argument.type !== 'keyword_argument');
  const passed = keyword
    ? childByField(keyword, 'value')
    : parameter.position !== null && parameter.position < positional.length
      ? positional[parameter.position]
      : undefined;
  if (!passed) return falsyDefault;
  return isFalsyLiteral(passed, text) || known(passed);
}

/** The `def` of this file a callee names: a function, a method of `self`, or of a parameter annotated with a class of the file. */
function localFunction(callee: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  if (callee.type === 'identifier') return definedFunction(callee, scopes);
  if (callee.type !== 'attribute') return null;
  return methodOfSelf(callee, scopes, text) ?? methodOfAnnotatedParameter(callee, scopes, text);
}

/**
 * `app.dispatch` where `app: Sanic` and the file defines `class Sanic`: the method the class
 * binds last under that name (earlier `@overload` stubs are replaced by it), when no decorator
 * other than `staticmethod` / `classmethod` wraps it.
 */
function methodOfAnnotatedParameter(callee: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const object = childByField(callee, 'object');
  const attribute = childByField(callee, 'attribute');
  if (object?.type !== 'identifier' || !attribute) return null;
  const resolution = scopes.resolve(object);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return null;
  const [definition] = resolution.definitions;
  const annotation = definition!.kind === 'parameter' ? annotatedClass(definition!.node, scopes, text) : null;
  if (annotation?.type !== 'identifier') return null;
  const classResolution = scopes.resolve(annotation);
  if (classResolution.kind !== 'defined' || classResolution.definitions.length !== 1) return null;
  const [classDefinition] = classResolution.definitions;
  const classNode = classDefinition!.kind === 'class' ? classDefinition!.node.parent : null;
  const body = classNode?.type === 'class_definition' ? childByField(classNode, 'body') : undefined;
  const name = textOf(attribute, text);
  const method = (body ? methodsOf(body) : []).filter((fn) => {
    const fnName = childByField(fn, 'name');
    return fnName !== undefined && textOf(fnName, text) === name;
  });
  const last = method.at(-1);
  if (!last) return null;
  const kept = decoratorsOf(last).every((decorator) => {
    const expression = namedChildren(decorator)[0];
    const decoratorName = expression ? qualifiedName(expression, scopes, text) : null;
    return decoratorName === 'builtins.staticmethod' || decoratorName === 'builtins.classmethod';
  });
  return kept ? last : null;
}

/** `def f(...): """doc"""; return g(...)`: the one call a plain function returns as all its work. */
function soleReturnedCall(fn: PyNode): PyNode | null {
  const body = childByField(fn, 'body');
  let statements = body ? namedChildren(body).filter((node) => node.type !== 'comment') : [];
  const first = statements[0];
  if (first?.type === 'expression_statement' && namedChildren(first)[0]?.type === 'string')
    statements = statements.slice(1);
  const [only] = statements;
  const value = statements.length === 1 && only!.type === 'return_statement' ? namedChildren(only!)[0] : undefined;
  return value?.type === 'call' ? value : null;
}

/**
 * Whether awaiting `call` at most yields the loop: it calls a coroutine function (of this file,
 * or of the project through its facts) whose waits all lie in branches of flags the call leaves
 * false, possibly through plain functions that return such a call with their parameters handed on.
 */
export function onlyYieldsWhenAwaited(
  call: PyNode,
  scopes: ScopeModel,
  text: string,
  project: PythonProject | null,
  known: KnownFalse = () => false,
  depth = 0,
): boolean {
  const callee = childByField(call, 'function');
  if (!callee) return false;
  const fn = localFunction(callee, scopes, text);
  if (fn) {
    if (isPlainCoroutineFunction(fn, scopes, text)) {
      const guards = yieldGuardsOf(fn, scopes, text);
      return guards !== null && guards.every((guard) => leavesFalse(call, guard, true, known, text));
    }
    const returned = isAsyncFunction(fn) || depth >= MAX_DELEGATIONS ? null : soleReturnedCall(fn);
    if (!returned) return false;
    const parameters = parametersOf(fn, scopes, text);
    // An argument of the returned call that is one of this function's parameters is what `call` gave it.
    const handedOn: KnownFalse = (argument) => {
      if (argument.type !== 'identifier') return false;
      const resolution = scopes.resolve(argument);
      const [definition] = resolution.kind === 'defined' ? resolution.definitions : [];
      const parameter = parameters.find((candidate) => candidate.node === definition?.node);
      return !!parameter && leavesFalse(call, parameter, parameter.falsyDefault, known, text);
    };
    return onlyYieldsWhenAwaited(returned, scopes, text, project, handedOn, depth + 1);
  }
  const qualified = project ? qualifiedName(callee, scopes, text) : null;
  // `pkg.mod.Router().dispatch`: an instance's method is its class's.
  const target = qualified && project ? projectFunction(qualified.replace(/\(\)(?=\.[^.()]+$)/, ''), project) : null;
  const guards = target?.facts.coroutine ? target.facts.yieldsOnlyUnless : undefined;
  return guards !== undefined && guards.every((guard) => leavesFalse(call, guard, true, known, text));
}
