/**
 * The Python versions code runs on, as the version checks around it say: `if sys.version_info <
 * (3, 13):` (or the `else` of `>= (3, 13)`, or `a if sys.version_info < (3, 13) else b`) runs only
 * below 3.13. Rules ask it where an API changed between versions.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { qualifiedName } from './imports.js';
import type { ScopeModel } from './scopes.js';

interface VersionTest {
  version: number[];
  /** The branch that runs only below `version`: the true one of `<`, the false one of `>=`. */
  belowWhen: boolean;
}

/** `sys.version_info < (3, 13)` or `sys.version_info >= (3, 13)`. */
function versionTest(test: PyNode | undefined, scopes: ScopeModel, text: string): VersionTest | null {
  if (test?.type !== 'comparison_operator') return null;
  const operands = namedChildren(test);
  const operator = test.children.find((child) => !child.named)?.type;
  const [left, right] = operands;
  if (operands.length !== 2 || !left || right?.type !== 'tuple') return null;
  if (qualifiedName(left, scopes, text) !== 'sys.version_info') return null;
  const version = namedChildren(right).map((part) => (part.type === 'integer' ? Number(textOf(part, text)) : NaN));
  if (version.length === 0 || version.some(Number.isNaN)) return null;
  if (operator === '<') return { version, belowWhen: true };
  if (operator === '>=') return { version, belowWhen: false };
  return null;
}

/** The version below which alone `node` runs, by the checks around it, or null when none bounds it. */
export function runsOnlyBelow(node: PyNode, scopes: ScopeModel, text: string): number[] | null {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    let test: PyNode | undefined;
    let branch: boolean;
    if (current.type === 'conditional_expression') {
      const [whenTrue, condition, whenFalse] = namedChildren(current);
      if (child !== whenTrue && child !== whenFalse) continue;
      test = condition;
      branch = child === whenTrue;
    } else if (current.type === 'if_statement' && (child.field === 'consequence' || child.field === 'alternative')) {
      test = childByField(current, 'condition');
      branch = child.field === 'consequence';
    } else continue;
    const bound = versionTest(test, scopes, text);
    if (bound && bound.belowWhen === branch) return bound.version;
  }
  return null;
}

/** `a <= b` for versions as tuples compare: part by part, a missing part as 0. */
export function versionAtMost(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return true;
}
