/**
 * Versions of files on disk and where relative specifiers lead, both reused for a second: a run
 * asks about the same imported files and resolves the same specifiers thousands of times.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { relativeModuleCandidates } from '../analysis/index.js';
import { readRegularFile } from '../../../read-file.js';

/** Files larger than this are not indexed for cross-file facts. */
export const MAX_INDEXED_FILE_SIZE = 2 * 1024 * 1024;

const STAMP_REUSE_MS = 1000;
const recentStamps = new Map<string, { stamp: string | null; at: number }>();
const recentResolutions = new Map<string, { file: string | null; at: number }>();

// Most candidates of a resolution do not exist: asking without an exception for each is cheaper.
function isFile(candidate: string): boolean {
  try {
    return statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** The file a relative specifier names, from the importing file; null for packages and misses. */
export function resolveRelativeModule(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const key = `${path.dirname(fromFile)}\0${specifier}`;
  const now = performance.now();
  const recent = recentResolutions.get(key);
  if (recent && now - recent.at < STAMP_REUSE_MS) return recent.file;
  const file = relativeModuleCandidates(fromFile, specifier).find(isFile) ?? null;
  recentResolutions.set(key, { file, at: now });
  return file;
}

/**
 * A file's version, or null when it cannot be read: its size and a hash of its content. Not its
 * modification time: a file can change and keep its size and time (a copy that keeps times, an
 * edit within the file system's time resolution), and a result cached across runs would then
 * be stale. A file too large to index keeps the cheaper time-and-size stamp: no facts come from
 * it. Answers are reused for a second, so an editor's edits are still seen almost at once.
 */
export function fileStamp(file: string): string | null {
  const now = performance.now();
  const recent = recentStamps.get(file);
  if (recent && now - recent.at < STAMP_REUSE_MS) return recent.stamp;
  let stamp: string | null;
  try {
    const read = readRegularFile(file, MAX_INDEXED_FILE_SIZE, () => 'too large');
    if ('bytes' in read) stamp = `${read.bytes.length}:${createHash('sha1').update(read.bytes).digest('hex')}`;
    else {
      const stat = statSync(file, { throwIfNoEntry: false });
      stamp = stat ? `${stat.mtimeMs}:${stat.size}` : null;
    }
  } catch {
    stamp = null;
  }
  recentStamps.set(file, { stamp, at: now });
  return stamp;
}

/** Versions and resolutions seen within the last second may be stale after a change. */
export function forgetRecentStampsAndResolutions(): void {
  recentStamps.clear();
  recentResolutions.clear();
}
