/**
 * Edits that bring a name in with an ES import, for fixes that call an API the file does not
 * import yet (`readFile` from `node:fs/promises`, `setTimeout as sleep` from `node:timers/promises`).
 */
import type { Node, RuleFix, RuleFixer, SourceCode, TSESTree } from '../types.js';

/** `import { imported as local } from 'module'`; `local` defaults to `imported`. */
export interface NamedImport {
  module: string;
  imported: string;
  local?: string;
}

function topLevelImports(sourceCode: SourceCode): TSESTree.ImportDeclaration[] {
  return sourceCode.ast.body.filter(
    (statement): statement is TSESTree.ImportDeclaration => statement.type === 'ImportDeclaration',
  );
}

/** Whether the file has a top-level import from one of `modules` (as written: `node:fs` is not `fs`). */
export function importsFrom(sourceCode: SourceCode, modules: readonly string[]): boolean {
  return topLevelImports(sourceCode).some((statement) => modules.includes(String(statement.source.value)));
}

/**
 * The local name under which a top-level import brings `imported` in from one of `modules`:
 * `sleep` for `import { setTimeout as sleep } from 'node:timers/promises'`. The last one wins.
 */
export function importedLocalName(sourceCode: SourceCode, modules: readonly string[], imported: string): string | null {
  let local: string | null = null;
  for (const statement of topLevelImports(sourceCode)) {
    if (!modules.includes(String(statement.source.value))) continue;
    for (const specifier of statement.specifiers)
      if (
        specifier.type === 'ImportSpecifier' &&
        specifier.imported.type === 'Identifier' &&
        specifier.imported.name === imported
      )
        local = specifier.local.name;
  }
  return local;
}

/** Whether no scope from `at` outwards declares `name`, so a new binding of it captures and shadows nothing. */
export function isNameFreeAt(sourceCode: SourceCode, at: Node, name: string): boolean {
  for (let scope: ReturnType<SourceCode['getScope']> | null = sourceCode.getScope(at); scope; scope = scope.upper)
    if (scope.set.has(name)) return false;
  return true;
}

/**
 * The edit that adds `wanted` after the file's last top-level import, for a fix at `at`. Null in
 * a file without imports (a script or CommonJS module, where an `import` would not parse or would
 * change the module kind) and when the local name is already taken where the fix uses it.
 */
export function addNamedImport(
  sourceCode: SourceCode,
  at: Node,
  wanted: NamedImport,
): ((fixer: RuleFixer) => RuleFix) | null {
  const imports = topLevelImports(sourceCode);
  if (imports.length === 0) return null;
  const local = wanted.local ?? wanted.imported;
  if (!isNameFreeAt(sourceCode, at, local)) return null;
  const specifier = local === wanted.imported ? local : `${wanted.imported} as ${local}`;
  const lastImport = imports[imports.length - 1]!;
  return (fixer) => fixer.insertTextAfter(lastImport, `\nimport { ${specifier} } from '${wanted.module}';`);
}
