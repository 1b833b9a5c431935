/**
 * Who imports and calls what across a Python project (PyProjectSites), gathered from disk only
 * when a rule asks: every module under the project's folder is listed and its imports read
 * without parsing; only the modules whose text holds a name asked for are parsed for its call
 * sites. What the answer used is recorded for the result cache: each module read, and each
 * folder listed (a module added or removed changes its folder's stamp), so a finding that
 * depends on who calls a function is stale once any caller may have changed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { classifyFile } from '../../../analysis/context/file-context.js';
import { fileStamp, MAX_INDEXED_FILE_SIZE } from '../../../file-stamp.js';
import {
  buildScopeModel,
  callSitesIn,
  importedModules,
  type PyCallSite,
  type PyProjectSites,
} from '../analysis/index.js';
import { parsePython } from '../parser/index.js';
import { isInstalledCodeDirectory, packageNameOf } from './packages.js';
import { pyprojectFactsFor } from './pyproject.js';

/** A project larger than this is not indexed: its callers stay unknown. */
const MAX_MODULES = 5000;

interface ModuleEntry {
  file: string;
  stamp: string;
  text: string;
  module: string | null;
  packageName: string;
  test: boolean;
  imports: Set<string>;
  callSites: Map<string, PyCallSite[]>;
}

interface ProjectListing {
  /** Folders listed, with their stamps. */
  folders: Map<string, string | null>;
  modules: ModuleEntry[] | null;
}

const entries = new Map<string, ModuleEntry>();
const listings = new Map<string, ProjectListing>();

/** The folder of the project: the nearest one above `importRoot` (or it) with a pyproject.toml, setup.py or setup.cfg. */
export function projectFolder(importRoot: string): string {
  let folder = importRoot;
  for (let up = 0; up < 3; up++) {
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch {
      break;
    }
    if (names.some((name) => name === 'pyproject.toml' || name === 'setup.py' || name === 'setup.cfg')) return folder;
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return importRoot;
}

function moduleNameOf(file: string): { module: string | null; packageName: string } {
  const packageName = packageNameOf(file) ?? '';
  const base = path.basename(file).replace(/\.pyi?$/, '');
  if (base === '__init__') return { module: packageName || null, packageName };
  return { module: packageName ? `${packageName}.${base}` : base, packageName };
}

function entryOf(file: string, folder: string): ModuleEntry | null {
  const stamp = fileStamp(file);
  if (stamp === null) return null;
  const known = entries.get(file);
  if (known && known.stamp === stamp) return known;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  if (text.length > MAX_INDEXED_FILE_SIZE) return null;
  const { module, packageName } = moduleNameOf(file);
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const test = classifyFile(file, folder, pyprojectFactsFor(file), firstLine).context === 'test';
  const entry = {
    file,
    stamp,
    text,
    module,
    packageName,
    test,
    imports: importedModules(text, packageName),
    callSites: new Map(),
  };
  entries.set(file, entry);
  return entry;
}

/** Every module of the project, or null when there are too many to index. */
function listProject(folder: string): ProjectListing {
  // Kept until the host forgets what it read (a new run, an edit the editor or watcher reports):
  // listing and stamping every module again would cost more than the lint of a file.
  const recent = listings.get(folder);
  if (recent) return recent;
  const folders = new Map<string, string | null>();
  const modules: ModuleEntry[] = [];
  const pending = [folder];
  let tooMany = false;
  while (pending.length > 0 && !tooMany) {
    const directory = pending.pop()!;
    let listed: import('node:fs').Dirent[];
    try {
      listed = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    folders.set(directory, fileStamp(directory));
    const names = new Set(listed.map((entry) => entry.name));
    if (
      directory !== folder &&
      isInstalledCodeDirectory(directory, path.basename(directory), (name) => names.has(name))
    )
      continue;
    for (const entry of listed) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && entry.name.endsWith('.py')) {
        const module = entryOf(full, folder);
        if (module) modules.push(module);
        if (modules.length > MAX_MODULES) tooMany = true;
      }
    }
  }
  const listing = { folders, modules: tooMany ? null : modules };
  listings.set(folder, listing);
  return listing;
}

/**
 * The sites of the project in `folder`; `record` is told each file and folder an answer used
 * (with its stamp), for the result cache.
 */
export function projectSitesFor(folder: string, record: (file: string, stamp: string | null) => void): PyProjectSites {
  const modules = (): ModuleEntry[] | null => {
    const listing = listProject(folder);
    for (const [directory, stamp] of listing.folders) record(directory, stamp);
    for (const module of listing.modules ?? []) record(module.file, module.stamp);
    return listing.modules;
  };
  return {
    importersOf(moduleName) {
      const found = [];
      for (const module of modules() ?? [])
        if (module.module !== moduleName && module.imports.has(moduleName))
          found.push({ module: module.module, test: module.test });
      return found;
    },
    *callSitesOf(name) {
      const listed = modules();
      // Unknown callers: a site that no caller can prove runs once.
      if (!listed) {
        yield { once: false, within: null };
        return;
      }
      const pattern = new RegExp(`\\b${name}\\b`);
      for (const module of listed) {
        // A test's call proves nothing either way: not parsed.
        if (module.test || !pattern.test(module.text)) continue;
        let sites = module.callSites.get(name);
        if (!sites) {
          try {
            const parsed = parsePython(module.text);
            const scopes = buildScopeModel(parsed.root, parsed.text, { packageName: module.packageName });
            sites = callSitesIn(parsed.root, parsed.text, scopes, name);
          } catch {
            sites = [{ once: false, within: null }];
          }
          module.callSites.set(name, sites);
        }
        yield* sites;
      }
    },
  };
}

/** A long-lived process forgets what it read: files may have changed. */
export function forgetProjectSites(): void {
  entries.clear();
  listings.clear();
}
