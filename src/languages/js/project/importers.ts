/**
 * Which files of a package import a file (through relative specifiers): the reverse of the import
 * graph, built once per package folder and run from a scan of each file's text. Analysis asks it
 * for the callers of an exported function ("is `handleHMRUpdate` called from a watcher listener
 * somewhere?"), which a lint of one file cannot see otherwise.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import {
  derivedDependencyKey,
  describeStat,
  RACY_WINDOW_MS,
  registerDerivedDependency,
  statOnce,
} from '../../../file-stamp.js';
import { relativeSpecifiers } from '../analysis/project.js';
import { sha1 } from '../../../sha1.js';
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

/** A package's folders and source files as a walk found them, with what their stats said. */
interface PackageWalk {
  files: string[];
  /** Every folder's and file's stat (describeStat), one key: a file added, removed or edited moves it. */
  stats: string;
  /** The latest modification or change time among them, and when the walk began. */
  latestChange: number;
  walkedAt: number;
}

const walks = new Map<string, PackageWalk>();

function walkPackage(root: string): PackageWalk {
  const known = walks.get(root);
  if (known) return known;
  const walkedAt = Date.now();
  const files: string[] = [];
  const stats: string[] = [];
  let latestChange = 0;
  const note = (entry: string, stat: Stats | undefined): boolean => {
    const described = stat ? describeStat(stat) : null;
    if (!stat || described === null) return false;
    stats.push(`${entry}\0${described}`);
    latestChange = Math.max(latestChange, stat.mtimeMs, stat.ctimeMs);
    return true;
  };
  const pending = [root];
  while (pending.length > 0 && files.length < MAX_SCANNED_FILES) {
    const directory = pending.pop()!;
    let entries;
    try {
      if (!note(directory, statOnce(directory))) continue;
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(full);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        try {
          if (note(full, statOnce(full))) files.push(full);
        } catch {
          // Gone or unreadable: not a source file of the package.
        }
      }
    }
  }
  const walk = {
    files: files.sort(),
    stats: sha1(stats.sort().join('\n')),
    latestChange,
    walkedAt,
  };
  walks.set(root, walk);
  return walk;
}

interface PackageScan {
  /** Each source file with the relative specifiers its text names. */
  files: { file: string; specifiers: string[] }[];
  importers: Map<string, string[]>;
}

const byPackage = new Map<string, PackageScan>();

function scanPackage(root: string): PackageScan {
  const files: PackageScan['files'] = [];
  for (const file of walkPackage(root).files) {
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

/**
 * A result that asked for a file's importers depends on them: a new file, or an import added to
 * or removed from any file of the package, can change them without changing any file the result
 * read. The result cache checks such a dependency by the stats of the package's folders and
 * source files (one walk per package and run), and only when they moved, by the importers again.
 */
const IMPORTERS = 'importers';

export function importersDependency(root: string, file: string, importers: readonly string[]): [string, string] {
  return [derivedDependencyKey(IMPORTERS, `${root}\0${file}`), importersStamp(importers)];
}

function importersStamp(importers: readonly string[]): string {
  return sha1(importers.join('\n'));
}

registerDerivedDependency(IMPORTERS, {
  stamp(what) {
    const [root, file] = what.split('\0');
    return root && file ? importersStamp(importersWithin(root, file)) : null;
  },
  stats(what, trusted) {
    const root = what.split('\0')[0]!;
    const walk = walkPackage(root);
    // As statFingerprint: a change made just after the walk could still share its times.
    if (trusted && !(walk.walkedAt - walk.latestChange >= RACY_WINDOW_MS)) return null;
    return walk.stats;
  },
});

/** A new run of the CLI in the same process scans again: files may have changed since. */
export function forgetImporters(): void {
  byPackage.clear();
  walks.clear();
}
