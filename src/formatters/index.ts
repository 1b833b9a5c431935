/**
 * Formatters: built-in names, a path to a module, or an npm package (`-f pretty` finds
 * `eslint-formatter-pretty` the way ESLint does). Every formatter is `(results, context) => string`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { formatCodeframe } from './codeframe.js';
import { eslintShapedContext, eslintShapedResults } from './eslint-shape.js';
import {
  formatCheckstyle,
  formatCompact,
  formatGithub,
  formatGitlab,
  formatJson,
  formatJsonWithMetadata,
  formatJunit,
} from './machine.js';
import { formatSarif } from './sarif.js';
import type { Formatter } from './shared.js';
import { formatStylish } from './stylish.js';

export type { Formatter, FormatterContext } from './shared.js';

export const builtinFormatters: Record<string, Formatter> = {
  stylish: formatStylish,
  codeframe: formatCodeframe,
  compact: formatCompact,
  json: formatJson,
  'json-with-metadata': formatJsonWithMetadata,
  sarif: formatSarif,
  github: formatGithub,
  junit: formatJunit,
  checkstyle: formatCheckstyle,
  gitlab: formatGitlab,
};

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

export async function loadFormatter(name = 'stylish', cwd = process.cwd()): Promise<Formatter> {
  const builtin = builtinFormatters[name];
  if (builtin) return builtin;
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
    `Unknown formatter "${name}": not built in (${Object.keys(builtinFormatters).join(', ')}), not a file, and no package ${packageCandidates(name).join(' or ')} is installed.`,
  );
}
