/**
 * Versions of files on disk, reused for a second: a run asks about the same imported files
 * thousands of times. Language-neutral: the result cache checks a finding's dependencies by them.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readRegularFile } from './read-file.js';

/** Files larger than this are not indexed for cross-file facts. */
export const MAX_INDEXED_FILE_SIZE = 2 * 1024 * 1024;

export const STAMP_REUSE_MS = 1000;
const recentStamps = new Map<string, { stamp: string | null; at: number }>();

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

/** Versions seen within the last second may be stale after a change. */
export function forgetRecentStamps(): void {
  recentStamps.clear();
}
