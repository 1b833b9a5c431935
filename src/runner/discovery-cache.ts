/**
 * Discovery, remembered across runs beside the result cache: walking a large tree and matching
 * every path against its .gitignore files was most of a warm run. What a walk finds depends
 * only on its options and on what it read: the listing of each folder it entered (and of the
 * folders above, for their .gitignore) and each .gitignore's text. A folder's times move
 * whenever an entry is added, removed or renamed in it, and a .gitignore's change time on any
 * write (see statFingerprint), so while every one of them shows the stat it had before it was
 * read, the walk would find the same files. Anything changed within the last seconds is never
 * trusted, as in the result cache. Only walks of folders are remembered: a file named on the
 * command line or a glob is discovered afresh.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { currentStat, statFingerprint } from '../file-stamp.js';
import { lintableExtensions } from '../languages/files.js';
import { VERSION } from '../version.js';
import { writeFileSafely } from '../write-file.js';
import { contentHash } from './cache.js';
// The walk itself (with the .gitignore and glob matchers) loads only when the tree must be walked.
import type { discoverFiles, DiscoverOptions } from './discover.js';

interface StoredDiscovery {
  key: string;
  files: string[];
  /** Every folder and .gitignore the walk read, with its stat before the read (statFingerprint). */
  read: Record<string, string>;
}

type Discovered = ReturnType<typeof discoverFiles>;

/** Where the discovery is kept for a result cache at `location` (a folder, or a .json file). */
export function discoveryCacheFile(location: string): string {
  return location.endsWith('.json')
    ? location.replace(/\.json$/, '.discovery.json')
    : path.join(location, 'discovery.json');
}

function isDirectory(absolute: string): boolean {
  try {
    return statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}

function load(file: string): StoredDiscovery | null {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredDiscovery>;
    const valid =
      typeof stored.key === 'string' &&
      Array.isArray(stored.files) &&
      stored.files.every((item) => typeof item === 'string') &&
      typeof stored.read === 'object' &&
      stored.read !== null &&
      Object.values(stored.read).every((stat) => typeof stat === 'string');
    return valid ? (stored as StoredDiscovery) : null;
  } catch {
    // None yet, or unreadable: discover afresh.
    return null;
  }
}

/**
 * discoverFiles, answered from `cacheFile` when every folder and .gitignore it read is as it was;
 * otherwise discovered, and remembered when nothing it read changed too recently to be trusted.
 * A cache that cannot be saved costs only time (`onWarning`).
 */
export async function discoverFilesRemembered(
  patterns: readonly string[],
  options: DiscoverOptions,
  cacheFile: string,
  onWarning?: (message: string) => void,
): Promise<Discovered> {
  const roots = patterns.map((pattern) => path.resolve(options.cwd, pattern));
  const walk = async () => (await import('./discover.js')).discoverFiles;
  if (!roots.every(isDirectory)) return (await walk())(patterns, options);
  const key = contentHash(
    JSON.stringify({
      version: VERSION,
      cwd: options.cwd,
      roots,
      ignores: options.ignores,
      baseDirectory: options.baseDirectory,
      ignorePatterns: options.ignorePatterns ?? [],
      extensions: lintableExtensions(),
    }),
  );
  const stored = load(cacheFile);
  if (stored?.key === key && Object.entries(stored.read).every(([file, stat]) => currentStat(file) === stat))
    return { files: stored.files, skipped: [] };
  const read = new Map<string, string | null>();
  // A path read twice with two stats changed during the walk: it is not trusted.
  const onRead = (file: string, stats: Stats) => {
    const stat = statFingerprint(stats);
    read.set(file, read.has(file) && read.get(file) !== stat ? null : stat);
  };
  const discovered = (await walk())(patterns, { ...options, onRead });
  if (discovered.skipped.length > 0 || [...read.values()].some((stat) => stat === null)) return discovered;
  const remembered: StoredDiscovery = {
    key,
    files: discovered.files,
    read: Object.fromEntries(read) as Record<string, string>,
  };
  try {
    await writeFileSafely(cacheFile, JSON.stringify(remembered));
  } catch (error) {
    onWarning?.(`the discovered files could not be saved (${(error as Error).message})`);
  }
  return discovered;
}
