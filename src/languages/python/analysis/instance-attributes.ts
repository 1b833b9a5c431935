/**
 * What `self.attr` holds inside a method: the value of the one assignment to `self.attr` that
 * the class makes in all its methods (`self._path = pathlib.Path(p)` in `__init__`). An
 * attribute the class assigns twice, changes in place (`+=`), deletes, or binds as a loop
 * target holds no one value, so it stands for nothing. Code outside the class (a subclass, a
 * caller writing `obj.attr = ...`) is not seen: a value the class itself sets once is what its
 * methods are written to expect.
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
  const stores = instanceStores(holder.parent!.parent!, model, text).get(name) ?? [];
  return stores.map((store) => boundValue(store) ?? null);
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
