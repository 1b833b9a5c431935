/**
 * Formatters that are not built in: a path to a module, or an npm package (`-f pretty` finds
 * `eslint-formatter-pretty` the way ESLint does).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { BUILTIN_FORMATTER_NAMES } from './builtin.js';
import { eslintShapedContext, eslintShapedResults } from './eslint-shape.js';
import type { Formatter } from './shared.js';

function packageCandidates(name: string): string[] {
  if (name.startsWith('@')) {
    const [scope, rest] = name.split('/');
    if (!rest) return [`${scope}/eslint-formatter`];
    return rest.startsWith('eslint-formatter') ? [name] : [`${scope}/eslint-formatter-${rest}`, name];
  }
  return name.startsWith('eslint-formatter-') ? [name] : [`eslint-formatter-${name}`, name];
}

/**
 * A formatter from a file or a package is written for ESLint: it gets what ESLint would give it,
 * rule ids with the plugin prefix and `rulesMeta` keyed by them, so its links lead to our docs.
 */
function asEslintFormatter(format: Formatter): Formatter {
  return (results, context) => format(eslintShapedResults(results), eslintShapedContext(context));
}

async function importFormatter(specifier: string, label: string): Promise<Formatter> {
  const loaded = (await import(specifier)) as { default?: unknown };
  const candidate =
    typeof loaded.default === 'function'
      ? loaded.default
      : ((loaded.default as { default?: unknown } | undefined)?.default ?? loaded);
  if (typeof candidate !== 'function') throw new UsageError(`Formatter "${label}" does not export a function.`);
  return asEslintFormatter(candidate as Formatter);
}

/** A formatter from a module path or an installed package, resolved from `cwd`. */
export async function loadExternalFormatter(name: string, cwd: string): Promise<Formatter> {
  const looksLikePath = name.startsWith('.') || path.isAbsolute(name) || /\.[cm]?js$/.test(name);
  if (looksLikePath) {
    const file = path.resolve(cwd, name);
    try {
      return await importFormatter(pathToFileURL(file).href, name);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot load formatter "${name}" (${(error as Error).message.split('\n')[0]}).`);
    }
  }
  const requireFromCwd = createRequire(path.join(cwd, '__asynclint__.js'));
  for (const candidate of packageCandidates(name)) {
    let resolved: string;
    try {
      resolved = requireFromCwd.resolve(candidate);
    } catch {
      continue;
    }
    return importFormatter(pathToFileURL(resolved).href, name);
  }
  throw new UsageError(
    `Unknown formatter "${name}": not built in (${BUILTIN_FORMATTER_NAMES.join(', ')}), not a file, and no package ${packageCandidates(name).join(' or ')} is installed.`,
  );
}
