/**
 * Formatters: built-in names, a path to a module, or an npm package (`-f pretty` finds
 * `eslint-formatter-pretty` the way ESLint does). Every formatter is `(results, context) => string`.
 * This is the API's door, with every built-in loaded; the CLI loads only the one it uses (builtin.ts).
 */
import { formatCodeframe } from './codeframe.js';
import { loadExternalFormatter } from './external.js';
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

export async function loadFormatter(name = 'stylish', cwd = process.cwd()): Promise<Formatter> {
  return builtinFormatters[name] ?? loadExternalFormatter(name, cwd);
}
