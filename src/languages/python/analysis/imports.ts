/**
 * Qualified names of expressions, through imports: `time.sleep` and `sleep` after `from time
 * import sleep` are both `time.sleep`; `open` that nothing shadows is `builtins.open`; a name
 * bound by anything but imports of one target (a local `def sleep`, a loop variable, two
 * different fallback imports) has none, so it never passes for the API it is named like.
 *
 * A name every binding of which is the result of one qualified call (`session =
 * requests.Session()`, `with socket.socket() as sock`) stands for an instance of it:
 * `requests.Session()`, so `session.get` is `requests.Session().get`.
 */
import { childByField, textOf, type PyNode } from './ast.js';
import type { Definition, Resolution, ScopeModel } from './scopes.js';

/** Instance chains followed at most this deep (`a = f(); b = a.g(); b.h()`), and never round in a circle. */
const MAX_INSTANCE_DEPTH = 4;

export function qualifiedName(expression: PyNode, model: ScopeModel, text: string, depth = 0): string | null {
  // `a.b.c` is walked down to `a` without recursion: a chain may be as long as a file is.
  const attributes: string[] = [];
  let base = expression;
  while (base.type === 'attribute') {
    const object = childByField(base, 'object');
    const attribute = childByField(base, 'attribute');
    if (!object || !attribute) return null;
    attributes.push(textOf(attribute, text));
    base = object;
  }
  if (base.type !== 'identifier') return null;
  const root = qualifiedNameOf(model.resolve(base), model, text, depth);
  return root === null ? null : [root, ...attributes.reverse()].join('.');
}

/** The qualified name `name` stands for where `node` is evaluated (`asyncio` for `import asyncio`). */
export function qualifiedNameOfName(name: string, node: PyNode, model: ScopeModel, text = ''): string | null {
  return qualifiedNameOf(model.resolveName(name, node), model, text, 0);
}

function qualifiedNameOf(resolution: Resolution, model: ScopeModel, text: string, depth: number): string | null {
  if (resolution.kind === 'builtin') return `builtins.${resolution.name}`;
  if (resolution.kind === 'unknown') return null;
  const names = new Set(resolution.definitions.map((definition) => definedAs(definition, model, text, depth)));
  const [name] = names;
  return names.size === 1 && name ? name : null;
}

/** What one binding makes the name stand for: an import's target, or an instance of a qualified call. */
function definedAs(definition: Definition, model: ScopeModel, text: string, depth: number): string | null {
  if (definition.kind === 'import') return definition.importTarget ?? null;
  if (depth >= MAX_INSTANCE_DEPTH || (definition.kind !== 'assignment' && definition.kind !== 'alias')) return null;
  const value = boundValue(definition.node);
  const callee = value?.type === 'call' ? childByField(value, 'function') : undefined;
  const qualified = callee ? qualifiedName(callee, model, text, depth + 1) : null;
  return qualified === null ? null : `${qualified}()`;
}

/** The expression a plain binding takes its value from: `x = <value>`, `x = y = <value>`, `with <value> as x`. */
function boundValue(identifier: PyNode): PyNode | undefined {
  const parent = identifier.parent;
  if (parent?.type === 'assignment' && identifier.field === 'left') {
    let value = childByField(parent, 'right');
    while (value?.type === 'assignment') value = childByField(value, 'right');
    return value;
  }
  const pattern = parent?.type === 'as_pattern_target' ? parent.parent : null;
  if (pattern?.type === 'as_pattern' && pattern.parent?.type === 'with_item')
    return pattern.children.find((child) => child.named && child.field !== 'alias');
  return undefined;
}
