/**
 * What a project's `pyproject.toml` says about where its code runs: the modules its console
 * scripts (`[project.scripts]`, `[project.gui-scripts]`, `[tool.poetry.scripts]`) start, which
 * run once per command as a package.json "bin" does. Read with a line scan for those tables'
 * `name = "module:function"` entries, not a TOML parser: nothing else in the file is needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PackageFacts } from '../../../analysis/context/file-context.js';

const SCRIPT_TABLES = /^\[(?:project\.scripts|project\.gui-scripts|tool\.poetry\.scripts)\]\s*$/;
const SCRIPT_ENTRY = /^\s*["']?[\w.-]+["']?\s*=\s*["']([\w.]+)(?::[\w.]+)?["']/;
const MAX_PYPROJECT_BYTES = 1024 * 1024;

const factsByDirectory = new Map<string, PackageFacts | null>();

/** The module files a dotted module may be, flat or under `src/` (the two layouts packaging tools use). */
function moduleFiles(dotted: string): string[] {
  const relative = dotted.split('.').join('/');
  return ['', 'src/'].flatMap((prefix) => [`${prefix}${relative}.py`, `${prefix}${relative}/__init__.py`]);
}

export function factsFromPyproject(directory: string, text: string): PackageFacts {
  const binFiles = new Set<string>();
  let inScripts = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('[')) inScripts = SCRIPT_TABLES.test(line);
    const entry = inScripts ? SCRIPT_ENTRY.exec(line) : null;
    if (entry) for (const file of moduleFiles(entry[1]!)) binFiles.add(file);
  }
  return {
    directory,
    binFiles,
    scriptFiles: new Set(),
    entryFiles: new Set(),
    commandOnly: false,
    commandSource: 'a pyproject.toml console script',
  };
}

function readFacts(directory: string): PackageFacts | null {
  const file = path.join(directory, 'pyproject.toml');
  if (!existsSync(file)) return null;
  try {
    const text = readFileSync(file, 'utf8');
    return text.length > MAX_PYPROJECT_BYTES ? null : factsFromPyproject(directory, text);
  } catch {
    return null;
  }
}

/** The facts of the nearest `pyproject.toml` above a file, or null; each folder is looked at once per process. */
export function pyprojectFactsFor(filePath: string): PackageFacts | null {
  const visited: string[] = [];
  let found: PackageFacts | null = null;
  for (let directory = path.dirname(path.resolve(filePath)); ; directory = path.dirname(directory)) {
    const cached = factsByDirectory.get(directory);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(directory);
    found = readFacts(directory);
    if (found || path.dirname(directory) === directory) break;
  }
  for (const directory of visited) factsByDirectory.set(directory, found);
  return found;
}

export function forgetPyprojects(): void {
  factsByDirectory.clear();
}
