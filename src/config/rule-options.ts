/**
 * Merges a rule's `meta.defaultOptions` under the user's options exactly as ESLint does
 * (deep merge of plain objects, position by position), so a rule sees the same `context.options`
 * in both engines.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base) && isPlainObject(override)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
    return merged;
  }
  return override;
}

export function mergeOptions(defaults: readonly unknown[] | undefined, user: readonly unknown[]): unknown[] {
  if (!defaults || defaults.length === 0) return [...user];
  const length = Math.max(defaults.length, user.length);
  return Array.from({ length }, (_, index) => deepMerge(defaults[index], user[index]));
}
