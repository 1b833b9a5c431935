/**
 * Callee patterns such as `tx.*`, `*.write`, `once`. A pattern `R.M` matches a call whose method
 * (the last name) matches `M` and that is made on or through a receiver name matching `R`:
 * `tx.*` matches `tx.query()`, `this.tx.query()`, `tx.users.insert()` and `trx('t').insert()`
 * for `trx.*`. A bare pattern `F` matches a plain function call `F()`. Receivers named by a
 * pattern also make a call ordered when passed as an argument: `addToTransaction(multi, job)`.
 */
import type { Node, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { objectRoot } from './members.js';

export type CalleeMatcher = (call: TSESTree.CallExpression | TSESTree.NewExpression) => boolean;

/** Names along a callee, through member accesses and calls: `trx('t').insert` gives ['trx', 'insert']. */
export function calleeChain(callee: Node): string[] | null {
  const names: string[] = [];
  let current: Node = callee;
  for (;;) {
    current = skipTypeWrappers(current);
    if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'MemberExpression') {
      if (!current.computed && current.property.type === 'Identifier') names.unshift(current.property.name);
      else if (current.computed && current.property.type === 'Literal' && typeof current.property.value === 'string')
        names.unshift(current.property.value);
      else if (names.length === 0) return null;
      current = current.object;
    } else if (current.type === 'CallExpression') current = current.callee;
    else if (current.type === 'Identifier') {
      names.unshift(current.name);
      return names;
    } else if (current.type === 'ThisExpression') {
      names.unshift('this');
      return names;
    } else if (current.type === 'PrivateIdentifier') {
      return null;
    } else return names.length > 0 ? names : null;
  }
}

function rootName(node: Node): string | null {
  const root = objectRoot(node);
  return root.type === 'Identifier' ? root.name : null;
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^.]*');
  return new RegExp(`^${escaped}$`);
}

export function compileCalleePatterns(patterns: readonly string[]): CalleeMatcher {
  const bare = patterns.filter((pattern) => !pattern.includes('.')).map(patternToRegExp);
  const dotted = patterns
    .filter((pattern) => pattern.includes('.'))
    .map((pattern) => {
      const cut = pattern.indexOf('.');
      return {
        receiver: patternToRegExp(pattern.slice(0, cut)),
        method: patternToRegExp(pattern.slice(cut + 1)),
        receiverIsWildcard: pattern.slice(0, cut) === '*',
      };
    });
  const orderedArgument = dotted.filter((pattern) => !pattern.receiverIsWildcard);
  return (call) => {
    const chain = calleeChain(call.callee);
    if (chain) {
      const method = chain[chain.length - 1]!;
      if (chain.length === 1 && bare.some((expression) => expression.test(method))) return true;
      const receivers = chain.slice(0, -1);
      if (
        receivers.length > 0 &&
        dotted.some(
          (pattern) => pattern.method.test(method) && receivers.some((receiver) => pattern.receiver.test(receiver)),
        )
      )
        return true;
    }
    return call.arguments.some((argument) => {
      const name = argument.type === 'SpreadElement' ? null : rootName(argument);
      return name !== null && orderedArgument.some((pattern) => pattern.receiver.test(name));
    });
  };
}

/** Splits `_afterCommitHooks`, `MIGRATIONS`, `sub_queries` into lower-case words. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/** Whether a name contains one of the words (`subQueries` contains `queries`). */
export function compileWordList(words: readonly string[]): (name: string) => boolean {
  const wanted = new Set(words.map((word) => word.toLowerCase()));
  return (name) => identifierWords(name).some((word) => wanted.has(word));
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

/** Glob-like names (`*QueryRunner`): `*` matches any run of characters. */
export function compileGlobList(patterns: readonly string[]): (name: string) => boolean {
  const expressions = patterns.map(patternToRegExp);
  return (name) => expressions.some((expression) => expression.test(name));
}
