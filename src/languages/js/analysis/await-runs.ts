/**
 * Runs of awaited declarations in one statement list (`const a = await f(); const b = await g();`)
 * where no member's operation reads an earlier member's result, directly or through a plain
 * declaration between them. Anything else between them (an expression statement, a discarded
 * await) ends a run: it may be an ordering point. The rule decides which declarations may join.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers } from './ast.js';
import { declaredVariables, variablesReferencedIn } from './scope.js';

export interface AwaitedDeclaration {
  statement: TSESTree.VariableDeclaration;
  declarator: TSESTree.VariableDeclarator;
  awaitNode: TSESTree.AwaitExpression;
  variables: readonly Variable[];
}

export function awaitedDeclaration(statement: Node, sourceCode: SourceCode): AwaitedDeclaration | null {
  if (statement.type !== 'VariableDeclaration' || statement.declarations.length !== 1 || statement.kind === 'var')
    return null;
  const declarator = statement.declarations[0]!;
  if (!declarator.init) return null;
  const init = skipTypeWrappers(declarator.init);
  if (init.type !== 'AwaitExpression') return null;
  return { statement, declarator, awaitNode: init, variables: declaredVariables(sourceCode, declarator) };
}

export function containsAwait(node: Node, sourceCode: SourceCode): boolean {
  let found = false;
  forEachDescendant(node, sourceCode.visitorKeys, (current) => {
    if (current.type === 'AwaitExpression' || current.type === 'YieldExpression') found = true;
    return !found && !isFunctionNode(current);
  });
  return found;
}

/** A run of independent awaited reads, in statement order. */
export function awaitRuns(
  statements: readonly Node[],
  sourceCode: SourceCode,
  excludedReason: (candidate: AwaitedDeclaration) => string | null,
  onSilence: ((node: Node, reason: string | null) => void) | null | undefined,
): AwaitedDeclaration[][] {
  const runs: AwaitedDeclaration[][] = [];
  let run: AwaitedDeclaration[] = [];
  /** Variables declared between awaits, with the run variables they were computed from. */
  const derivedFrom = new Map<Variable, Set<Variable>>();
  const report = () => {
    if (run.length >= 2) runs.push(run);
    run = [];
    derivedFrom.clear();
  };
  for (const statement of statements) {
    const candidate = awaitedDeclaration(statement, sourceCode);
    const excluded = candidate ? excludedReason(candidate) : null;
    if (candidate && excluded !== null) onSilence?.(candidate.awaitNode, excluded);
    if (candidate && excluded === null) {
      const reads = variablesReferencedIn(sourceCode, candidate.awaitNode.argument);
      const runVariables = new Set(run.flatMap((member) => member.variables));
      const dependsOnRun = [...reads].some(
        (variable) =>
          runVariables.has(variable) ||
          [...(derivedFrom.get(variable) ?? [])].some((source) => runVariables.has(source)),
      );
      if (dependsOnRun) {
        onSilence?.(candidate.awaitNode, 'uses-earlier-result');
        report();
      }
      run.push(candidate);
      continue;
    }
    if (statement.type === 'VariableDeclaration' && !containsAwait(statement, sourceCode)) {
      // A plain declaration between two awaits: remember what it was computed from.
      for (const declarator of statement.declarations) {
        const sources = declarator.init ? variablesReferencedIn(sourceCode, declarator.init) : new Set<Variable>();
        const closure = new Set<Variable>(sources);
        for (const source of sources) for (const inner of derivedFrom.get(source) ?? []) closure.add(inner);
        for (const variable of declaredVariables(sourceCode, declarator)) derivedFrom.set(variable, closure);
      }
      continue;
    }
    if (
      statement.type === 'FunctionDeclaration' ||
      statement.type === 'EmptyStatement' ||
      statement.type === 'TSTypeAliasDeclaration' ||
      statement.type === 'TSInterfaceDeclaration'
    )
      continue;
    if (onSilence && statement.type === 'ExpressionStatement' && statement.expression.type === 'AwaitExpression')
      onSilence(statement.expression, 'result-discarded');
    report();
  }
  report();
  return runs;
}

/** Whether `next` directly follows `previous` in the list of statements they share. */
export function isNextStatement(previous: Node, next: Node): boolean {
  const parent = previous.parent as { body?: Node[]; consequent?: Node[] } | undefined;
  const list = Array.isArray(parent?.body) ? parent.body : Array.isArray(parent?.consequent) ? parent.consequent : [];
  return list.indexOf(previous) + 1 === list.indexOf(next);
}
