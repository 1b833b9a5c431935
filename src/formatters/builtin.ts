/**
 * The built-in formatters by name, each loaded when asked for: the CLI's help lists the names
 * without loading any formatter, and a JSON report does not load chalk or the SARIF code.
 */
import type { Formatter } from './shared.js';

const loaders: Record<string, () => Promise<Formatter>> = {
  stylish: async () => (await import('./stylish.js')).formatStylish,
  codeframe: async () => (await import('./codeframe.js')).formatCodeframe,
  compact: async () => (await import('./machine.js')).formatCompact,
  json: async () => (await import('./machine.js')).formatJson,
  'json-with-metadata': async () => (await import('./machine.js')).formatJsonWithMetadata,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  github: async () => (await import('./machine.js')).formatGithub,
  junit: async () => (await import('./machine.js')).formatJunit,
  checkstyle: async () => (await import('./machine.js')).formatCheckstyle,
  gitlab: async () => (await import('./machine.js')).formatGitlab,
};

export const BUILTIN_FORMATTER_NAMES: readonly string[] = Object.keys(loaders);

export function isBuiltinFormatter(name: string): boolean {
  return Object.hasOwn(loaders, name);
}

/** A built-in formatter, loaded now; undefined for any other name. */
export function loadBuiltinFormatter(name: string): Promise<Formatter> | undefined {
  return isBuiltinFormatter(name) ? loaders[name]!() : undefined;
}
