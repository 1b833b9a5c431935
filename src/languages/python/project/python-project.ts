/**
 * The project's Python modules on disk, as the analysis asks for them (PythonProject): a module
 * by its qualified name is a file under the folder that holds the linted file's top package
 * (`aiohttp.helpers` is `<root>/aiohttp/helpers.py`); it is read, parsed and distilled into
 * module facts once per version of the file, and each file consulted is recorded, with its
 * version, for the result cache: a finding that follows a helper into `helpers.py` is stale once
 * `helpers.py` changes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileStamp, isReusable } from '../../../file-stamp.js';
import {
  buildScopeModel,
  moduleFactsOf,
  type PyModuleFacts,
  type PyProjectSites,
  type PythonProject,
} from '../analysis/index.js';
import { parsePython } from '../parser/index.js';
import { forgetProjectSites, projectFolder, projectSitesFor } from './project-sites.js';

const factsByFile = new Map<string, { stamp: string; facts: PyModuleFacts | null }>();

/** Files consulted, with the version read; null stands for a file that could not be read. */
export type Dependencies = Map<string, string | null>;

/** The folder that holds the top package of a file in package `packageName` ('' for a file in no package). */
function importRoot(filename: string, packageName: string): string {
  let root = path.dirname(path.resolve(filename));
  if (packageName) for (let level = packageName.split('.').length; level > 0; level--) root = path.dirname(root);
  return root;
}

type ModuleFile = { file: string; packageName: string } | null;

// A run asks for the same modules (and the same absent ones: `time`, `os`) at every call site.
const recentModuleFiles = new Map<string, { found: ModuleFile; at: number }>();

/** The file a module is, and the package its relative imports resolve against. */
function moduleFile(root: string, moduleName: string): ModuleFile {
  const key = `${root}\0${moduleName}`;
  const now = performance.now();
  const recent = recentModuleFiles.get(key);
  if (recent && isReusable(recent.at, now)) return recent.found;
  const parts = moduleName.split('.');
  const base = path.join(root, ...parts);
  const init = path.join(base, '__init__.py');
  const found = existsSync(`${base}.py`)
    ? { file: `${base}.py`, packageName: parts.slice(0, -1).join('.') }
    : existsSync(init)
      ? { file: init, packageName: moduleName }
      : null;
  recentModuleFiles.set(key, { found, at: now });
  return found;
}

/**
 * The folders whose listings decide which file a module is, given the one found (null for none):
 * `<name>.py` is looked for in the parent's folder, then `<name>/__init__.py` in its own.
 */
function moduleFolders(root: string, moduleName: string, found: string | null): string[] {
  const base = path.join(root, ...moduleName.split('.'));
  if (found === `${base}.py`) return [];
  return found === null ? [path.dirname(base), base] : [path.dirname(base)];
}

function factsOf(file: string, packageName: string, moduleName: string, stamp: string): PyModuleFacts | null {
  const known = factsByFile.get(file);
  if (known && known.stamp === stamp) return known.facts;
  let facts: PyModuleFacts | null;
  try {
    const parsed = parsePython(readFileSync(file, 'utf8'));
    const scopes = buildScopeModel(parsed.root, parsed.text, { packageName });
    facts = moduleFactsOf(parsed.root, parsed.text, scopes, moduleName);
  } catch {
    // A module that does not parse (or nests too deeply) has no facts: its helpers stay unknown.
    facts = null;
  }
  factsByFile.set(file, { stamp, facts });
  return facts;
}

/**
 * The project as seen from one linted file, or null when its package is unknown. Modules are
 * looked up under the folder above the file's top package: the same package and its siblings
 * (`src/` layouts); installed packages are not the project's.
 */
export function pythonProjectFor(
  filename: string,
  packageName: string | null,
  dependencies: Dependencies | null,
): PythonProject | null {
  if (packageName === null) return null;
  const root = importRoot(filename, packageName);
  const self = path.resolve(filename);
  let sites: PyProjectSites | undefined;
  return {
    // Who imports and calls what: the whole project, gathered only when a rule asks.
    get sites() {
      return (sites ??= projectSitesFor(projectFolder(root), (file, stamp) => {
        if (file !== self) dependencies?.set(file, stamp);
      }));
    },
    moduleFacts(moduleName) {
      const found = moduleFile(root, moduleName);
      // Which file a module is depends on which candidates exist, a missing one included: the
      // result depends on the listings of the folders of the candidates before the one found.
      if (dependencies)
        for (const folder of moduleFolders(root, moduleName, found?.file ?? null))
          dependencies.set(folder, fileStamp(folder));
      // The linted file's own facts come from its own tree, not from the copy on disk.
      if (!found || found.file === self) return null;
      const stamp = fileStamp(found.file);
      dependencies?.set(found.file, stamp);
      return stamp === null ? null : factsOf(found.file, found.packageName, moduleName, stamp);
    },
  };
}

/** A long-lived process forgets what it distilled: files may have changed. */
export function forgetModuleFacts(): void {
  factsByFile.clear();
  recentModuleFiles.clear();
  forgetProjectSites();
}
