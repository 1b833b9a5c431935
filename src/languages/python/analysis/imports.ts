/**
 * Qualified names of expressions, through imports: `time.sleep` and `sleep` after `from time
 * import sleep` are both `time.sleep`; `open` that nothing shadows is `builtins.open`; a name
 * bound by anything but imports of one target (a local `def sleep`, a loop variable, two
 * different fallback imports) has none, so it never passes for the API it is named like.
 *
 * A call stands for an instance of what it calls: `pathlib.Path(p).read_text` is
 * `pathlib.Path().read_text`. So does a name every binding of which is the result of one
 * qualified call (`session = requests.Session()`, `with socket.socket() as sock`):
 * `session.get` is `requests.Session().get`; and so does `self.attr` in a method when the
 * class assigns it once, from such a call (`self._path = pathlib.Path(p)` in `__init__`). A
 * parameter annotated with a class stands for an instance of it (`fobj: IO[bytes]` is a
 * `typing.IO()`, `session: requests.Session` a `requests.Session()`): the annotation is what the
 * function's own author says the argument is, and `Optional[X]` is an `X` where it is not None.
 */
import { childByField, textOf, type PyNode } from './ast.js';
import { boundValue, soleInstanceValue } from './instance-attributes.js';
import type { Definition, Resolution, ScopeModel } from './scopes.js';

/** Instance chains followed at most this deep (`a = f(); b = a.g(); b.h()`), and never round in a circle. */
const MAX_INSTANCE_DEPTH = 4;

/** A call in a chain of steps: `Path(p).open` is `Path`, CALL, `open`. */
const CALL = '()';

/**
 * An API's instance is a few calls from its import (`sqlite3.connect().cursor().execute`); a
 * longer chain (a query builder's `.filter().order_by()...`) names no API, and giving up early
 * keeps a chain of n calls linear to name (each call would otherwise walk all the calls below it).
 */
const MAX_CALLS_IN_CHAIN = 8;

export function qualifiedName(expression: PyNode, model: ScopeModel, text: string, depth = 0): string | null {
  // `a.b(x).c` is walked down to `a` without recursion: a chain may be as long as a file is.
  const steps: string[] = [];
  let calls = 0;
  let base: PyNode | undefined = expression;
  while (base?.type === 'attribute' || base?.type === 'call') {
    if (base.type === 'call') {
      if (++calls > MAX_CALLS_IN_CHAIN) return null;
      steps.push(CALL);
      base = childByField(base, 'function');
      continue;
    }
    const attribute = childByField(base, 'attribute');
    if (!attribute) return null;
    steps.push(textOf(attribute, text));
    base = childByField(base, 'object');
  }
  if (base?.type !== 'identifier') return null;
  steps.reverse();
  const onSelf = steps.length > 0 && steps[0] !== CALL ? instanceAttribute(base, steps[0]!, model, text, depth) : null;
  const root = onSelf ?? qualifiedNameOf(model.resolve(base), model, text, depth);
  if (root === null) return null;
  let name = root;
  for (const step of onSelf === null ? steps : steps.slice(1)) name += step === CALL ? CALL : `.${step}`;
  return name;
}

/** `self.attr` that the class sets once from a qualified call: an instance of that call. */
function instanceAttribute(self: PyNode, attribute: string, model: ScopeModel, text: string, depth: number) {
  if (depth >= MAX_INSTANCE_DEPTH) return null;
  return instanceOf(soleInstanceValue(self, attribute, model, text), model, text, depth);
}

/**
 * What a value a name or attribute is bound to stands for: `x()` for a call of `x`; else, when
 * the assignment is annotated (`self.router: Router = router or Router()`), an instance of the
 * class the annotation names, as for a parameter; else nothing.
 */
function instanceOf(value: PyNode | null | undefined, model: ScopeModel, text: string, depth: number): string | null {
  return valueInstanceOf(value, model, text, depth) ?? annotatedInstanceOf(value, model, text, depth);
}

function valueInstanceOf(value: PyNode | null | undefined, model: ScopeModel, text: string, depth: number) {
  // `self._value = value`: a parameter stands for what its annotation names (`value: IO[Any]`).
  if (value?.type === 'identifier') {
    const resolution = model.resolve(value);
    const parameter = resolution.kind === 'defined' && resolution.definitions.every((d) => d.kind === 'parameter');
    return parameter ? qualifiedNameOf(resolution, model, text, depth + 1) : null;
  }
  const callee = value?.type === 'call' ? childByField(value, 'function') : undefined;
  const qualified = callee ? qualifiedName(callee, model, text, depth + 1) : null;
  return qualified === null ? null : `${qualified}${CALL}`;
}

function annotatedInstanceOf(value: PyNode | null | undefined, model: ScopeModel, text: string, depth: number) {
  // `self.conn: Connection = None` holds nothing yet.
  const assignment = value?.field === 'right' && value.type !== 'none' ? value.parent : undefined;
  const type = assignment?.type === 'assignment' ? childByField(assignment, 'type') : undefined;
  const annotation = type ? classOfAnnotation(type, model, text) : null;
  const qualified = annotation && depth < MAX_INSTANCE_DEPTH ? qualifiedName(annotation, model, text, depth + 1) : null;
  return qualified === null ? null : `${qualified}${CALL}`;
}

/** The qualified name `name` stands for where `node` is evaluated (`asyncio` for `import asyncio`). */
export function qualifiedNameOfName(name: string, node: PyNode, model: ScopeModel, text = ''): string | null {
  return qualifiedNameOf(model.resolveName(name, node), model, text, 0);
}

function qualifiedNameOf(resolution: Resolution, model: ScopeModel, text: string, depth: number): string | null {
  if (resolution.kind === 'builtin') return `builtins.${resolution.name}`;
  if (resolution.kind === 'unknown') return null;
  // `try: import ssl / except ImportError: ssl = None`: where `ssl.x` runs, the name is the module.
  const bindings = resolution.definitions.filter((definition) => !isNoneBinding(definition));
  const names = new Set(bindings.map((definition) => definedAs(definition, model, text, depth)));
  const [name] = names;
  return names.size === 1 && name ? name : null;
}

/** `name = None`: a placeholder for a module or object that is absent, never what a call or attribute reaches. */
function isNoneBinding(definition: Definition): boolean {
  if (definition.kind !== 'assignment') return false;
  return boundValue(definition.node)?.type === 'none';
}

/** What one binding makes the name stand for: an import's target, or an instance of a qualified call. */
function definedAs(definition: Definition, model: ScopeModel, text: string, depth: number): string | null {
  if (definition.kind === 'import') return definition.importTarget ?? null;
  if (definition.kind === 'parameter') {
    const annotation = annotatedClass(definition.node, model, text);
    const qualified =
      annotation && depth < MAX_INSTANCE_DEPTH ? qualifiedName(annotation, model, text, depth + 1) : null;
    return qualified === null ? null : `${qualified}${CALL}`;
  }
  if (depth >= MAX_INSTANCE_DEPTH || (definition.kind !== 'assignment' && definition.kind !== 'alias')) return null;
  return instanceOf(boundValue(definition.node), model, text, depth);
}

/**
 * The class a parameter's annotation names (`IO` of `fobj: IO[Any]`, `requests.Session`, the `X`
 * of `Optional[X]`), or null: no annotation, a string, a union, a protocol of several classes.
 */
export function annotatedClass(name: PyNode, model: ScopeModel, text: string): PyNode | null {
  const parameter = name.parent;
  if (parameter?.type !== 'typed_parameter' && parameter?.type !== 'typed_default_parameter') return null;
  const annotation = childByField(parameter, 'type');
  return annotation ? classOfAnnotation(annotation, model, text) : null;
}

/** The class a `type` node names: `X`, `mod.X`, the base of `X[...]`, the `X` of `Optional[X]`. */
function classOfAnnotation(annotation: PyNode, model: ScopeModel, text: string): PyNode | null {
  let type = annotation.children.find((child) => child.named);
  for (let unwrapped = 0; type && unwrapped < 3; unwrapped++) {
    if (type.type === 'identifier' || type.type === 'attribute') return type;
    if (type.type !== 'generic_type') return null;
    const generic: PyNode = type;
    const base = generic.children.find((child) => child.named);
    if (!base || base.type !== 'identifier') return null;
    // `Optional[X]` is `X`; any other generic (`IO[bytes]`, `list[str]`) is its base class.
    const wrapper = generic.children.find((child) => child.type === 'type_parameter');
    const inner = wrapper?.children.filter((child) => child.named) ?? [];
    if (qualifiedNameOf(model.resolve(base), model, text, MAX_INSTANCE_DEPTH) !== 'typing.Optional') return base;
    type = inner.length === 1 ? inner[0]!.children.find((child) => child.named) : undefined;
  }
  return null;
}
