/** Identifier-to-variable lookups over the scope manager, built once per file and cached. */
import type { ScopeManager, Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';

const variableTables = new WeakMap<ScopeManager, Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Variable | null>>();

function tableFor(scopeManager: ScopeManager) {
  let table = variableTables.get(scopeManager);
  if (table) return table;
  table = new Map();
  for (const scope of scopeManager.scopes) {
    for (const variable of scope.variables) for (const identifier of variable.identifiers) table.set(identifier, variable);
    for (const reference of scope.references) if (!table.has(reference.identifier)) table.set(reference.identifier, reference.resolved);
  }
  variableTables.set(scopeManager, table);
  return table;
}

/** The variable an identifier refers to or declares; null for globals and unresolved names. */
export function variableOf(sourceCode: SourceCode, identifier: Node): Variable | null {
  if (!sourceCode.scopeManager || identifier.type !== 'Identifier') return null;
  return tableFor(sourceCode.scopeManager).get(identifier) ?? null;
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
  const stack: Node[] = [node];
  const keys = sourceCode.visitorKeys;
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'Identifier') {
      const variable = variableOf(sourceCode, current);
      if (variable) found.add(variable);
    }
    for (const key of keys[current.type] ?? []) {
      const value = (current as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) for (const child of value) if (child && typeof child.type === 'string') stack.push(child);
      if (value && typeof (value as Node).type === 'string') stack.push(value as Node);
    }
  }
  return found;
}

/** Whether a variable is read anywhere after `offset` (its declaration). */
export function isReadAfter(variable: Variable, offset: number): boolean {
  return variable.references.some((reference) => reference.isRead() && reference.identifier.range[0] >= offset);
}
export type { Variable } from '@typescript-eslint/scope-manager';
