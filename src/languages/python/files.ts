/**
 * Which files the Python language lints and which folders discovery leaves out for it, known
 * without loading it (the registry's catalog asks: a warm run loads no parser and no rule).
 */
export const EXTENSIONS = ['.py', '.pyi'] as const;

export function ownsPythonFile(filename: string): boolean {
  return EXTENSIONS.some((extension) => filename.endsWith(extension));
}

/** Folders that hold installed code, not the project's: a virtual environment, site-packages, bytecode caches. */
export function isInstalledCodeDirectory(_absolute: string, name: string, has: (entry: string) => boolean): boolean {
  if (name === '__pycache__' || name === 'site-packages') return true;
  return has('pyvenv.cfg');
}
