/**
 * What `self.attr` holds inside a method: the value of the one assignment to `self.attr` that
 * the class makes in all its methods (`self._path = pathlib.Path(p)` in `__init__`). An
 * attribute the class assigns twice, changes in place (`+=`), deletes, or binds as a loop
 * target holds no one value, so it stands for nothing. Code outside the class (a subclass, a
 * caller writing `obj.attr = ...`) is not seen: a value the class itself sets once is what its
 * methods are written to expect. An attribute the class never sets is its base class's (in the
 * same file), as the subclass's `__init__` hands the base's parameters on.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { TARGET_CONTAINERS, type ScopeModel } from './scopes.js';

/** The expression a plain binding takes its value from: `x = <value>`, `x = y = <value>`, `with <value> as x`. */
export function boundValue(target: PyNode): PyNode | undefined {
  const parent = target.parent;
  if (parent?.type === 'assignment' && target.field === 'left') {
    let value = childByField(parent, 'right');
    while (value?.type === 'assignment') value = childByField(value, 'right');
    return value;
  }
  const pattern = parent?.type === 'as_pattern_target' ? parent.parent : null;
  if (pattern?.type === 'as_pattern' && pattern.parent?.type === 'with_item')
    return pattern.children.find((child) => child.named && child.field !== 'alias');
  return undefined;
}

/** `self` of a method: the first parameter of a `def` in a class body that is neither static nor a classmethod. */
function instanceParameterOf(fn: PyNode, model: ScopeModel, text: string): PyNode | null {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  if (holder.parent?.type !== 'block' || holder.parent.parent?.type !== 'class_definition') return null;
  const decorators = holder === fn ? [] : holder.children.filter((child) => child.type === 'decorator');
  if (decorators.some((decorator) => isStaticOrClassMethod(decorator, model, text))) return null;
  const parameters = childByField(fn, 'parameters');
  const first = parameters ? namedChildren(parameters)[0] : undefined;
  return first?.type === 'identifier' ? first : null;
}

function isStaticOrClassMethod(decorator: PyNode, model: ScopeModel, text: string): boolean {
  const [expression] = namedChildren(decorator);
  if (expression?.type !== 'identifier') return false;
  const resolution = model.resolve(expression);
  return resolution.kind === 'builtin' && ['staticmethod', 'classmethod'].includes(textOf(expression, text));
}

/** Whether `identifier`, read where it stands, is the parameter `parameter` (not a name that shadows it). */
function readsParameter(identifier: PyNode, parameter: PyNode, model: ScopeModel): boolean {
  const resolution = model.resolve(identifier);
  return resolution.kind === 'defined' && resolution.definitions.some((definition) => definition.node === parameter);
}

const TARGET_OWNERS = new Set(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause']);

/** Whether an attribute expression is written to (assigned, changed in place, a loop or `as` target, deleted). */
function isStoredTo(attribute: PyNode): boolean {
  let target = attribute;
  while (target.parent && TARGET_CONTAINERS.has(target.parent.type)) target = target.parent;
  const owner = target.parent;
  if (!owner) return false;
  if (owner.type === 'assignment') return target.field === 'left' && childByField(owner, 'right') !== undefined;
  if (TARGET_OWNERS.has(owner.type)) return target.field === 'left';
  return owner.type === 'as_pattern_target' || owner.type === 'delete_statement';
}

/** Per class: each attribute of `self` its methods write to, with the attribute expressions that write it. */
const storesByClass = new WeakMap<PyNode, Map<string, PyNode[]>>();

function instanceStores(classNode: PyNode, model: ScopeModel, text: string): Map<string, PyNode[]> {
  let stores = storesByClass.get(classNode);
  if (stores) return stores;
  stores = new Map();
  const body = childByField(classNode, 'body');
  for (const statement of body?.children ?? []) {
    const fn = statement.type === 'decorated_definition' ? childByField(statement, 'definition') : statement;
    const self = fn?.type === 'function_definition' ? instanceParameterOf(fn, model, text) : null;
    const methodBody = self ? childByField(fn!, 'body') : undefined;
    const stack = methodBody ? [methodBody] : [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      stack.push(...node.children);
      if (node.type !== 'attribute' || !isStoredTo(node)) continue;
      const object = childByField(node, 'object');
      const name = childByField(node, 'attribute');
      if (object?.type !== 'identifier' || !name || !readsParameter(object, self!, model)) continue;
      const key = textOf(name, text);
      stores.set(key, [...(stores.get(key) ?? []), node]);
    }
  }
  storesByClass.set(classNode, stores);
  return stores;
}

/**
 * What the class writes to `self.<name>`, where `self` is read: each write's value (null for a
 * write that is no plain assignment: `+=`, a loop or `as` target, `del`), or null when `self` is
 * no method's instance.
 */
export function instanceValues(self: PyNode, name: string, model: ScopeModel, text: string): (PyNode | null)[] | null {
  const resolution = model.resolve(self);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return null;
  const [definition] = resolution.definitions;
  const fn = definition!.kind === 'parameter' ? definition!.node.parent?.parent : null;
  if (fn?.type !== 'function_definition' || instanceParameterOf(fn, model, text) !== definition!.node) return null;
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const classNode = holder.parent!.parent!;
  const stores = instanceStores(classNode, model, text).get(name);
  return stores ? stores.map((store) => boundValue(store) ?? null) : inheritedValues(classNode, name, model, text, 0);
}

/** Base classes followed at most this deep for an attribute a class never sets itself. */
const MAX_BASES = 3;

/** The class of this file a class names first among its bases, or null. */
function baseClassOf(classNode: PyNode, model: ScopeModel): PyNode | null {
  const superclasses = childByField(classNode, 'superclasses');
  const [first] = superclasses ? namedChildren(superclasses) : [];
  if (first?.type !== 'identifier') return null;
  const resolution = model.resolve(first);
  if (resolution.kind !== 'defined' || resolution.definitions.length !== 1) return null;
  const [definition] = resolution.definitions;
  return definition!.kind === 'class' && definition!.node.parent?.type === 'class_definition'
    ? definition!.node.parent
    : null;
}

/**
 * What a class that never sets `self.<name>` inherits from its base class in the file (`class
 * IOBasePayload(Payload)`): the base's values, where one that is a parameter of the base's
 * `__init__` (`self._value = value`) is what the subclass's own `__init__` hands on for it
 * through `super().__init__(value, ...)`, its own parameter (`value: IO[Any]`).
 */
function inheritedValues(
  classNode: PyNode,
  name: string,
  model: ScopeModel,
  text: string,
  depth: number,
): (PyNode | null)[] {
  const base = depth < MAX_BASES ? baseClassOf(classNode, model) : null;
  if (!base) return [];
  const stores = instanceStores(base, model, text).get(name);
  const values = stores
    ? stores.map((store) => boundValue(store) ?? null)
    : inheritedValues(base, name, model, text, depth + 1);
  return values.map((value) => handedOn(value, base, classNode, model, text));
}

/** A method `def <name>` in a class body, decorated or not. */
function methodNamed(classNode: PyNode, name: string, text: string): PyNode | null {
  for (const statement of childByField(classNode, 'body')?.children ?? []) {
    const fn = statement.type === 'decorated_definition' ? childByField(statement, 'definition') : statement;
    const fnName = fn?.type === 'function_definition' ? childByField(fn, 'name') : undefined;
    if (fnName && textOf(fnName, text) === name) return fn!;
  }
  return null;
}

/** The name a parameter binds, for the plain and annotated shapes (`x`, `x: T`, `x=1`, `x: T = 1`). */
function parameterName(parameter: PyNode): PyNode | null {
  if (parameter.type === 'identifier') return parameter;
  if (parameter.type === 'typed_parameter')
    return parameter.children.find((child) => child.type === 'identifier') ?? null;
  if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter')
    return childByField(parameter, 'name') ?? null;
  return null;
}

/** `super().__init__(...)` in a subclass's `__init__`. */
function superInitCall(init: PyNode, text: string): PyNode | null {
  const stack = [...(childByField(init, 'body')?.children ?? [])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') continue;
    stack.push(...node.children);
    const callee = node.type === 'call' ? childByField(node, 'function') : undefined;
    const object = callee?.type === 'attribute' ? childByField(callee, 'object') : undefined;
    const method = callee?.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
    const maker = object?.type === 'call' ? childByField(object, 'function') : undefined;
    if (method && textOf(method, text) === '__init__' && maker && textOf(maker, text) === 'super') return node;
  }
  return null;
}

/** The value a base's `__init__` parameter takes when the subclass constructs it, where the base set the attribute from it. */
function handedOn(
  value: PyNode | null,
  base: PyNode,
  subclass: PyNode,
  model: ScopeModel,
  text: string,
): PyNode | null {
  const resolution = value?.type === 'identifier' ? model.resolve(value) : null;
  const [definition] = resolution?.kind === 'defined' ? resolution.definitions : [];
  const baseInit = methodNamed(base, '__init__', text);
  if (!definition || definition.kind !== 'parameter' || !baseInit) return value;
  const parameters = namedChildren(childByField(baseInit, 'parameters')!);
  if (!parameters.some((parameter) => parameterName(parameter) === definition.node)) return value;
  const init = methodNamed(subclass, '__init__', text);
  // Without an `__init__` of its own the subclass takes the base's, parameters and all.
  if (!init) return value;
  const call = superInitCall(init, text);
  if (!call) return null;
  // Positional places, `self` aside, up to the first parameter that is no plain one.
  const position = parameters.slice(1).findIndex((parameter) => parameterName(parameter) === definition.node);
  const plainBefore = parameters.slice(1, position + 1).every((parameter) => parameterName(parameter) !== null);
  const args = namedChildren(childByField(call, 'arguments')!);
  const positional: PyNode[] = [];
  for (const argument of args) {
    if (argument.type === 'keyword_argument' || argument.type === 'dictionary_splat') continue;
    if (argument.type === 'list_splat') break;
    positional.push(argument);
  }
  const keyword = args.find((argument) => {
    const argumentName = argument.type === 'keyword_argument' ? childByField(argument, 'name') : undefined;
    return argumentName !== undefined && textOf(argumentName, text) === definition.name;
  });
  const passed =
    plainBefore && position >= 0 && position < positional.length
      ? positional[position]
      : keyword && childByField(keyword, 'value');
  return passed?.type === 'identifier' ? passed : null;
}

/**
 * The value `self.<name>` holds where `self` is read: the right-hand side of the class's one
 * assignment to it, or null (not `self` of a method, assigned more than once or never, or not
 * by a plain assignment).
 */
export function soleInstanceValue(self: PyNode, name: string, model: ScopeModel, text: string): PyNode | null {
  const values = instanceValues(self, name, model, text);
  return values?.length === 1 ? values[0]! : null;
}
