import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (works from `src/` under vitest and from `dist/src/` when built). */
export const PACKAGE_ROOT = (() => {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(directory, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'asynclint') return directory;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('asynclint: cannot find its own package.json');
    directory = parent;
  }
})();

export const VERSION: string = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
