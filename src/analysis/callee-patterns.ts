/**
 * Callee patterns such as `tx.*`, `*.write`, `once`: matched against the last two segments of a
 * call's member path (`this.db.tx.query` is matched as `tx.query`) or the bare function name.
 */
import type { TSESTree } from '../types.js';
import { memberPath } from './ast.js';

export type CalleeMatcher = (call: TSESTree.CallExpression | TSESTree.NewExpression) => boolean;

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^.]*');
  return new RegExp(`^${escaped}$`);
}

export function compileCalleePatterns(patterns: readonly string[]): CalleeMatcher {
  const expressions = patterns.map(patternToRegExp);
  return (call) => {
    const path = memberPath(call.callee);
    if (!path) return false;
    const candidates = path.length === 1 ? [path[0]!] : [path.slice(-2).join('.')];
    return candidates.some((candidate) => expressions.some((expression) => expression.test(candidate)));
  };
}

/** Names like `sleep`, `sleepMs`, `delay`, `waitFor`: the word itself or the word followed by a capital. */
export function compileNameList(names: readonly string[]): (name: string) => boolean {
  const expressions = names.map((name) => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Only the first letter is case-free (`Sleep`); the boundary after the word must be a capital.
    const first = escaped.charAt(0);
    return new RegExp(`^_*[${first.toLowerCase()}${first.toUpperCase()}]${escaped.slice(1)}(?:$|[A-Z0-9_])`);
  });
  return (name) => expressions.some((expression) => expression.test(name));
}
