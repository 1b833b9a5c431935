/**
 * Which files the JS language lints, known without loading it (the registry's catalog asks: a
 * warm run whose every file the cache answers loads no parser and no rule).
 */
export const LINTABLE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;

export function isLintableFile(filename: string): boolean {
  if (/\.d\.[cm]?ts$/.test(filename)) return false;
  return LINTABLE_EXTENSIONS.some((extension) => filename.endsWith(extension));
}
