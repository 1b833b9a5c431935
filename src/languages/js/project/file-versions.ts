/**
 * Where relative specifiers lead (and, from src/file-stamp.ts, versions of files), both reused
 * for a second, or for the whole of a run over files (holdingVersionsForRun): a run resolves the
 * same specifiers thousands of times.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { relativeModuleCandidates } from '../analysis/project.js';
import { fileStamp, forgetRecentStamps, isReusable } from '../../../file-stamp.js';

export { fileStamp, MAX_INDEXED_FILE_SIZE } from '../../../file-stamp.js';

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
  if (recent && isReusable(recent.at, now)) return recent.file;
  const file = relativeModuleCandidates(fromFile, specifier).find(isFile) ?? null;
  recentResolutions.set(key, { file, at: now });
  return file;
}

/**
 * The folders whose listings decide where a relative specifier leads, given where it led
 * (`resolved`, null for nowhere): those of the candidates tried before it, any of which would be
 * chosen if it appeared. The candidate files are in the specifier's folder, its index files in
 * the specifier itself; adding or removing a file moves a folder's times (see fileStamp).
 */
export function resolutionFolders(fromFile: string, specifier: string, resolved: string | null): string[] {
  const candidates = relativeModuleCandidates(fromFile, specifier);
  const found = resolved === null ? candidates.length : candidates.indexOf(resolved);
  return [...new Set(candidates.slice(0, found).map((candidate) => path.dirname(candidate)))];
}

/** Versions and resolutions seen within the last second may be stale after a change. */
export function forgetRecentStampsAndResolutions(): void {
  forgetRecentStamps();
  recentResolutions.clear();
}
