/**
 * What an import statement binds: `import a.b` binds `a` (standing for module `a`), `import a.b
 * as c` binds `c` (for `a.b`), `from x import y as z` binds `z` (for `x.y`). A relative import
 * (`from .mod import y`, `from .. import x`) stands for a name in the file's own package, so its
 * qualified name needs the package: the host says which one it is (ImportContext).
 */
import { childByField, textOf, type PyNode } from './ast.js';
import type { Definition } from './scopes.js';

export interface ImportContext {
  /**
   * The dotted name of the package the file belongs to (`httpx` for `httpx/_client.py` and for
   * `httpx/__init__.py`), or null when unknown: relative imports then keep their dots
   * (`.mod.y`), which still tells them from any absolute name.
   */
  packageName: string | null;
}

/** `from ..a import b` at level 2 in package `p.q`: `p.a`; null when the dots climb above the top package. */
export function relativeModuleName(level: number, dotted: string, context: ImportContext): string | null {
  if (context.packageName === null) return '.'.repeat(level) + dotted;
  const parts = context.packageName ? context.packageName.split('.') : [];
  if (level - 1 > parts.length) return null;
  const base = parts.slice(0, parts.length - (level - 1));
  if (dotted) base.push(dotted);
  return base.join('.');
}

/** The module an import-from names: `x.y`, or a relative one resolved against the package. */
function fromModuleName(statement: PyNode, text: string, context: ImportContext): string | null {
  const module = childByField(statement, 'module_name');
  if (!module) return null;
  if (module.type === 'dotted_name') return textOf(module, text);
  const prefix = module.children.find((child) => child.type === 'import_prefix');
  const level = prefix ? prefix.end - prefix.start : 0;
  const dotted = module.children.find((child) => child.type === 'dotted_name');
  return relativeModuleName(level, dotted ? textOf(dotted, text) : '', context);
}

function dottedText(node: PyNode, text: string): string {
  return textOf(node, text).replace(/\s+/g, '');
}

export function importDefinitions(
  statement: PyNode,
  text: string,
  context: ImportContext,
): { definitions: Definition[]; wildcard: boolean } {
  const definitions: Definition[] = [];
  const fromModule = statement.type === 'import_from_statement' ? fromModuleName(statement, text, context) : null;
  const qualify = (dotted: string) =>
    statement.type === 'import_statement' ? dotted : fromModule === null ? null : `${fromModule}.${dotted}`;
  for (const entry of statement.children) {
    if (entry.field !== 'name') continue;
    if (entry.type === 'aliased_import') {
      const name = childByField(entry, 'name');
      const alias = childByField(entry, 'alias');
      if (!name || !alias) continue;
      const importTarget = qualify(dottedText(name, text));
      definitions.push({ kind: 'import', name: textOf(alias, text), node: alias, importTarget });
      continue;
    }
    if (entry.type !== 'dotted_name') continue;
    const first = entry.children.find((child) => child.type === 'identifier');
    if (!first) continue;
    // `import a.b` binds `a`, the top package; `from x import y` binds `y`.
    const bound = statement.type === 'import_statement' ? first : entry.children[entry.children.length - 1]!;
    const name = textOf(bound, text);
    const importTarget = statement.type === 'import_statement' ? name : qualify(dottedText(entry, text));
    definitions.push({ kind: 'import', name, node: bound, importTarget });
  }
  const wildcard = statement.children.some((child) => child.type === 'wildcard_import');
  return { definitions, wildcard };
}
