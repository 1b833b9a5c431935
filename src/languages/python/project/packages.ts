/**
 * What the disk says about Python files: the package a file belongs to (folders with
 * `__init__.py` above it, so relative imports resolve to qualified names), the files a relative
 * import may name, and the folders discovery never enters (virtual environments, installed
 * packages, bytecode caches). The analysis reads none of this itself; the host hands it over.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const packageNames = new Map<string, string | null>();

function isPackageDirectory(directory: string): boolean {
  return existsSync(path.join(directory, '__init__.py')) || existsSync(path.join(directory, '__init__.pyi'));
}

/**
 * The dotted name of the package holding `filePath` (`httpx` for `httpx/_client.py`), '' for a
 * file outside any package, null when the file's folder cannot be read (a made-up API path).
 */
export function packageNameOf(filePath: string): string | null {
  const directory = path.dirname(path.resolve(filePath));
  const cached = packageNames.get(directory);
  if (cached !== undefined) return cached;
  let name: string | null;
  if (!existsSync(directory)) name = null;
  else {
    const parts: string[] = [];
    for (let current = directory; isPackageDirectory(current); current = path.dirname(current)) {
      parts.unshift(path.basename(current));
      if (path.dirname(current) === current) break;
    }
    name = parts.join('.');
  }
  packageNames.set(directory, name);
  return name;
}

export function forgetPackages(): void {
  packageNames.clear();
}

export { isInstalledCodeDirectory } from '../files.js';

const FROM_RELATIVE = /^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+\(?([^#\n]*)/gm;

/**
 * Relative imports found without parsing, enough for a lint order: `from .mod import y` names
 * `.mod`; `from . import a, b` names the package (`.`) and perhaps submodules `.a` and `.b`.
 */
export function pythonImportSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(FROM_RELATIVE)) {
    const [, dots, dotted, names] = match as unknown as [string, string, string, string];
    if (dotted) {
      found.push(dots + dotted);
      continue;
    }
    found.push(dots);
    for (const name of names.split(',')) {
      const bare = name
        .trim()
        .split(/\s+/)[0]!
        .replace(/[()\\]/g, '');
      if (/^\w+$/.test(bare)) found.push(dots + bare);
    }
  }
  return found;
}

/** The files a relative specifier (`.mod`, `..pkg.mod`, `.`) may name, most likely first. */
export function pythonModuleCandidates(fromFile: string, specifier: string): string[] {
  const level = /^\.*/.exec(specifier)![0].length;
  if (level === 0) return [];
  let directory = path.dirname(fromFile);
  for (let up = 1; up < level; up++) directory = path.dirname(directory);
  const rest = specifier.slice(level);
  if (!rest) return [path.join(directory, '__init__.py'), path.join(directory, '__init__.pyi')];
  const base = path.join(directory, ...rest.split('.'));
  return [`${base}.py`, `${base}.pyi`, path.join(base, '__init__.py'), path.join(base, '__init__.pyi')];
}
