/**
 * Work a function does once per key, not once per call: it keeps what it computes in a cache that
 * outlives the call, keyed by what it was asked, and looks there first.
 *
 *     if key in cache:            # the guard: a hit returns before the work
 *         return cache[key]
 *     ...the work...
 *     cache[key] = result         # the store: the next call with this key is a hit
 *
 * The cache must outlive the call (a module-level name or an attribute, not a local), and the
 * guard and the store must name the same cache and key: the author wrote the cache around this
 * work, and reads it before doing the work again.
 *
 * A caching decorator (`functools.lru_cache`) is left out: aiohttp moved the first call of an
 * `lru_cache`d `ssl.create_default_context()` off the loop (c3219bf88c2), so its maintainers
 * count the first call per key of a decorated helper.
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { ownNodes } from './loops.js';
import type { ScopeModel } from './scopes.js';

/** A cache that outlives one call: an attribute (`self._cache`, `cls.cache`) or a module-level name. */
function outlivesCall(cache: PyNode, scopes: ScopeModel): boolean {
  if (cache.type === 'attribute') return true;
  if (cache.type !== 'identifier') return false;
  const resolution = scopes.resolve(cache);
  return resolution.kind === 'defined' && resolution.scope.kind === 'module';
}

/** `key in cache` as [key, cache], or null. */
function membershipTest(condition: PyNode | undefined): [PyNode, PyNode] | null {
  if (condition?.type === 'parenthesized_expression') return membershipTest(namedChildren(condition)[0]);
  if (condition?.type !== 'comparison_operator') return null;
  const operators = condition.children.filter((child) => !child.named);
  const operands = namedChildren(condition);
  if (operators.length !== 1 || operators[0]!.type !== 'in' || operands.length !== 2) return null;
  return [operands[0]!, operands[1]!];
}

/** `if key in cache: ... return ...` with no other branch: [key, cache], or null. */
function cacheHitReturn(statement: PyNode): [PyNode, PyNode] | null {
  if (statement.type !== 'if_statement' || childByField(statement, 'alternative')) return null;
  const tested = membershipTest(childByField(statement, 'condition'));
  const consequence = childByField(statement, 'consequence');
  const last = consequence ? namedChildren(consequence).at(-1) : undefined;
  return tested && last?.type === 'return_statement' ? tested : null;
}

/** Whether the body stores into `cache[key]` (the same text for both). */
function storesInto(body: PyNode, key: string, cache: string, text: string): boolean {
  return ownNodes(body).some((node) => {
    if (node.type !== 'assignment') return false;
    const target = childByField(node, 'left');
    if (target?.type !== 'subscript') return false;
    const object = childByField(target, 'value');
    const subscript = childByField(target, 'subscript');
    return (
      object !== undefined &&
      subscript !== undefined &&
      textOf(object, text) === cache &&
      textOf(subscript, text) === key
    );
  });
}

/**
 * Where a function's once-per-key part starts: the offset after which its calls run only on a
 * cache miss (the end of the guard), or null when every call runs its whole body.
 */
export function oncePerKeyFrom(fn: PyNode, scopes: ScopeModel, text: string): number | null {
  const body = childByField(fn, 'body');
  if (!body) return null;
  for (const statement of namedChildren(body)) {
    const hit = cacheHitReturn(statement);
    if (!hit) continue;
    const [key, cache] = hit;
    if (outlivesCall(cache, scopes) && storesInto(body, textOf(key, text), textOf(cache, text), text))
      return statement.end;
  }
  return null;
}
