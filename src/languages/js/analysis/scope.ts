/** Identifier-to-variable lookups over the scope manager, built once per file and cached. */
import type { ScopeManager, Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant } from './ast.js';

type VariableTable = Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Variable | null>;

/**
 * Keyed by the file's Program node, not by the scope manager: oxlint's JS plugins hand every
 * file the same `sourceCode` and `scopeManager` objects, refilled per file, while each file
 * gets its own tree. A table keyed by the scope manager would answer the second file from the
 * first file's identifiers, and every variable lookup there would miss.
 */
const variableTables = new WeakMap<TSESTree.Program, VariableTable>();

function tableFor(program: TSESTree.Program, scopeManager: ScopeManager): VariableTable {
  let table = variableTables.get(program);
  if (table) return table;
  table = new Map();
  for (const scope of scopeManager.scopes) {
    for (const variable of scope.variables)
      for (const identifier of variable.identifiers) table.set(identifier, variable);
    for (const reference of scope.references)
      if (!table.has(reference.identifier)) table.set(reference.identifier, reference.resolved);
  }
  variableTables.set(program, table);
  return table;
}

/** The variable an identifier refers to or declares; null for globals and unresolved names. */
export function variableOf(sourceCode: SourceCode, identifier: Node): Variable | null {
  if (!sourceCode.scopeManager || identifier.type !== 'Identifier') return null;
  return tableFor(sourceCode.ast, sourceCode.scopeManager).get(identifier) ?? null;
}

/** Whether an identifier is a global (no local declaration shadows it), such as `setTimeout` or `Promise`. */
export function isGlobalReference(sourceCode: SourceCode, identifier: TSESTree.Identifier): boolean {
  const variable = variableOf(sourceCode, identifier);
  return variable === null || variable.defs.length === 0;
}

export function declaredVariables(sourceCode: SourceCode, node: Node): readonly Variable[] {
  return sourceCode.scopeManager?.getDeclaredVariables(node) ?? [];
}

/** Every variable an expression or statement reads or names (including inside nested functions). */
export function variablesReferencedIn(sourceCode: SourceCode, node: Node): Set<Variable> {
  const found = new Set<Variable>();
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (current.type !== 'Identifier') return;
    const variable = variableOf(sourceCode, current);
    if (variable) found.add(variable);
  });
  return found;
}

/** Whether a variable is read anywhere after `offset` (its declaration). */
export function isReadAfter(variable: Variable, offset: number): boolean {
  return variable.references.some((reference) => reference.isRead() && reference.identifier.range[0] >= offset);
}
export type { Variable } from '@typescript-eslint/scope-manager';
