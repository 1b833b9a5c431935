/**
 * Qualified names of expressions, through imports: `time.sleep` and `sleep` after `from time
 * import sleep` are both `time.sleep`; `open` that nothing shadows is `builtins.open`; a name
 * bound by anything but imports of one target (a local `def sleep`, an assignment, two different
 * fallback imports) has none, so it never passes for the API it is named like.
 */
import { childByField, textOf, type PyNode } from './ast.js';
import type { ScopeModel } from './scopes.js';

export function qualifiedName(expression: PyNode, model: ScopeModel, text: string): string | null {
  if (expression.type === 'identifier') return qualifiedNameOfIdentifier(expression, model);
  if (expression.type === 'attribute') {
    const object = childByField(expression, 'object');
    const attribute = childByField(expression, 'attribute');
    if (!object || !attribute) return null;
    const base = qualifiedName(object, model, text);
    return base === null ? null : `${base}.${textOf(attribute, text)}`;
  }
  return null;
}

function qualifiedNameOfIdentifier(identifier: PyNode, model: ScopeModel): string | null {
  const resolution = model.resolve(identifier);
  if (resolution.kind === 'builtin') return `builtins.${resolution.name}`;
  if (resolution.kind === 'unknown') return null;
  const targets = new Set(resolution.definitions.map((definition) => definition.importTarget ?? null));
  const [target] = targets;
  const onlyImports = resolution.definitions.every((definition) => definition.kind === 'import');
  return onlyImports && targets.size === 1 && target ? target : null;
}
