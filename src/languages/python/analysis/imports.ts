/**
 * Qualified names of expressions, through imports: `time.sleep` and `sleep` after `from time
 * import sleep` are both `time.sleep`; `open` that nothing shadows is `builtins.open`; a name
 * bound by anything but imports of one target (a local `def sleep`, an assignment, two different
 * fallback imports) has none, so it never passes for the API it is named like.
 */
import { childByField, textOf, type PyNode } from './ast.js';
import type { Resolution, ScopeModel } from './scopes.js';

export function qualifiedName(expression: PyNode, model: ScopeModel, text: string): string | null {
  if (expression.type === 'identifier') return qualifiedNameOf(model.resolve(expression));
  if (expression.type === 'attribute') {
    const object = childByField(expression, 'object');
    const attribute = childByField(expression, 'attribute');
    if (!object || !attribute) return null;
    const base = qualifiedName(object, model, text);
    return base === null ? null : `${base}.${textOf(attribute, text)}`;
  }
  return null;
}

/** The qualified name `name` stands for where `node` is evaluated (`asyncio` for `import asyncio`). */
export function qualifiedNameOfName(name: string, node: PyNode, model: ScopeModel): string | null {
  return qualifiedNameOf(model.resolveName(name, node));
}

function qualifiedNameOf(resolution: Resolution): string | null {
  if (resolution.kind === 'builtin') return `builtins.${resolution.name}`;
  if (resolution.kind === 'unknown') return null;
  const targets = new Set(resolution.definitions.map((definition) => definition.importTarget ?? null));
  const [target] = targets;
  const onlyImports = resolution.definitions.every((definition) => definition.kind === 'import');
  return onlyImports && targets.size === 1 && target ? target : null;
}
