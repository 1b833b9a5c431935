/**
 * Which files of a package import a file (through relative specifiers): the reverse of the import
 * graph, built once per package folder and run from a scan of each file's text. Analysis asks it
 * for the callers of an exported function ("is `handleHMRUpdate` called from a watcher listener
 * somewhere?"), which a lint of one file cannot see otherwise.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { relativeSpecifiers } from '../analysis/index.js';
import { timed } from '../../../timing.js';
import { MAX_INDEXED_FILE_SIZE, resolveRelativeModule } from './file-versions.js';

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/**
 * Folders whose files never call in request context: tests and their fixtures (test code), and
 * folders the runner never lints. Skipping them keeps the scan of a package with thousands of
 * fixtures small.
 */
const SKIPPED_FOLDERS = new Set(['node_modules', 'test', 'tests', '__tests__', 'fixtures', 'e2e', '__mocks__', 'dist']);
/** A package past this many source files is scanned no further: the index answers for the files seen. */
const MAX_SCANNED_FILES = 4000;

function sourceFilesUnder(root: string): string[] {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0 && found.length < MAX_SCANNED_FILES) {
    const directory = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  }
  return found.sort();
}

interface PackageScan {
  /** Each source file with the relative specifiers its text names. */
  files: { file: string; specifiers: string[] }[];
  importers: Map<string, string[]>;
}

const byPackage = new Map<string, PackageScan>();

function scanPackage(root: string): PackageScan {
  const files: PackageScan['files'] = [];
  for (const file of sourceFilesUnder(root)) {
    try {
      if (statSync(file).size > MAX_INDEXED_FILE_SIZE) continue;
      const specifiers = [...new Set(relativeSpecifiers(readFileSync(file, 'utf8')))];
      if (specifiers.length > 0) files.push({ file, specifiers });
    } catch {
      // Unreadable: it imports nothing we can see.
    }
  }
  return { files, importers: new Map() };
}

/** `hot-update` for `.../hot-update.ts`; for an `index` file, its folder's name too (`./server` names `server/index.ts`). */
function namesOf(file: string): Set<string> {
  const base = path.basename(file).replace(/\.[^.]*$/, '');
  const names = new Set([base]);
  if (base === 'index') names.add(path.basename(path.dirname(file)));
  return names;
}

/**
 * The importers of one file: only specifiers whose last segment can name it are resolved (a
 * resolution tries a dozen paths on disk; resolving every specifier of a package would cost more
 * than the scan).
 */
function importersIn(scan: PackageScan, target: string): string[] {
  const names = namesOf(target);
  const found: string[] = [];
  for (const { file, specifiers } of scan.files) {
    if (file === target) continue;
    const imports = specifiers.some((specifier) => {
      const last = path.basename(specifier).replace(/\.[cm]?[jt]sx?$/, '');
      return (names.has(last) || last === '.' || last === '..') && resolveRelativeModule(file, specifier) === target;
    });
    if (imports) found.push(file);
  }
  return found;
}

/** The files under `root` (a package folder) that import `file` by a relative specifier. */
export function importersWithin(root: string, file: string): readonly string[] {
  let scan = byPackage.get(root);
  if (!scan) byPackage.set(root, (scan = timed('index', () => scanPackage(root))));
  let importers = scan.importers.get(file);
  if (!importers) scan.importers.set(file, (importers = timed('index', () => importersIn(scan, file))));
  return importers;
}

/** A new run of the CLI in the same process scans again: files may have changed since. */
export function forgetImporters(): void {
  byPackage.clear();
}
