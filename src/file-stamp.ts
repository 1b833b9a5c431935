/**
 * Versions of files on disk, reused for a second: a run asks about the same imported files
 * thousands of times. Language-neutral: the result cache checks a finding's dependencies by them.
 */
import { statSync, type Stats } from 'node:fs';
import { readRegularFile } from './read-file.js';
import { sha1 } from './sha1.js';

/** Files larger than this are not indexed for cross-file facts. */
export const MAX_INDEXED_FILE_SIZE = 2 * 1024 * 1024;

export const STAMP_REUSE_MS = 1000;
const recentStamps = new Map<string, { stamp: string | null; at: number }>();

/**
 * Runs over a list of files (the CLI, --watch, lintFiles) take every version and resolution as
 * they found it first, however long they last: a run that takes 20 s read and hashed each
 * imported file again every second it was asked about, 3,318 reads for 1,895 files on astro.
 * A run sees one state of the disk either way (a file changed during it is linted again by the
 * next run, which --watch starts after forgetting what it saw); an editor's process, linting
 * file by file, keeps the one-second reuse.
 */
let runsHeld = 0;

/** While `work` runs (and in a worker thread of a run, for its life), answers are reused until forgotten. */
export async function holdingVersionsForRun<T>(work: () => Promise<T>): Promise<T> {
  runsHeld++;
  try {
    return await work();
  } finally {
    runsHeld--;
  }
}

export function holdVersionsForThread(): void {
  runsHeld++;
}

/** Whether an answer found at `at` (performance.now()) may be reused now. */
export function isReusable(at: number, now: number): boolean {
  return runsHeld > 0 || now - at < STAMP_REUSE_MS;
}

/**
 * A file's version, or null when it cannot be read: its size and a hash of its content. Not its
 * modification time: a file can change and keep its size and time (a copy that keeps times, an
 * edit within the file system's time resolution), and a result cached across runs would then
 * be stale. A file too large to index keeps the cheaper time-and-size stamp: no facts come from
 * it. Answers are reused for a second, so an editor's edits are still seen almost at once (for
 * the rest of the run in a run over files, see holdingVersionsForRun).
 */
export function fileStamp(file: string): string | null {
  const recent = recentStamps.get(file);
  // A run holds versions: no clock to read (a run over astro asks for some 350,000).
  if (recent && runsHeld > 0) return recent.stamp;
  const now = performance.now();
  if (recent && isReusable(recent.at, now)) return recent.stamp;
  const { stamp } = readFileStamp(file);
  recentStamps.set(file, { stamp, at: now });
  return stamp;
}

/**
 * fileStamp read now, never reused, with the fingerprint of the stat taken before the read
 * (statFingerprint): while the file's stat still shows that fingerprint, its stamp is this one.
 */
export function readFileStamp(file: string): { stamp: string | null; fingerprint: string | null } {
  const derived = derivedDependencyOf(file);
  if (derived) {
    // The stats first: while they show this fingerprint again, the version read after it holds.
    const fingerprint = derived.kind.stats(derived.what, true);
    return { stamp: derived.kind.stamp(derived.what), fingerprint };
  }
  try {
    const read = readRegularFile(file, MAX_INDEXED_FILE_SIZE, () => 'too large');
    if ('bytes' in read)
      return {
        stamp: `${read.bytes.length}:${sha1(read.bytes)}`,
        fingerprint: statFingerprint(read.stats),
      };
    const stat = statSync(file, { throwIfNoEntry: false });
    // A folder's stamp (a dependency through module resolution) moves with its times, as its fingerprint does.
    const fingerprint = stat?.isDirectory() ? statFingerprint(stat) : null;
    return { stamp: stat ? `${stat.mtimeMs}:${stat.size}` : null, fingerprint };
  } catch {
    return { stamp: null, fingerprint: null };
  }
}

/** Versions seen within the last second may be stale after a change. */
export function forgetRecentStamps(): void {
  recentStamps.clear();
}

/**
 * A file changed this recently may change again without its stat showing it: file systems stamp
 * times from a clock that ticks every few milliseconds (every second or two on some), so a second
 * write in the tick of the first leaves size, times and inode as they were (git's "racily clean"
 * entries). The window is far wider than any tick, and than the skew between the clock that
 * stamps files and this process's.
 */
export const RACY_WINDOW_MS = 2000;

/**
 * What a stat says of a regular file's version, or of a folder's listing (any entry added,
 * removed or renamed moves its times), as a key (no judgement of whether to trust it).
 */
export function describeStat(stats: Stats): string | null {
  if (stats.isFile()) return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
  if (stats.isDirectory()) return `folder:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
  return null;
}

/**
 * Stats shared while the result cache checks a run's files: a file's own stat, the same file as
 * another's dependency, and the walk of its package for a file's importers (most of a package's
 * files are linted files too) each asked for one stat, three on a warm run. While a memo is on,
 * each path is stat'd once; it is on only while the cache is asked, never while files are linted,
 * and never in a long-lived process between runs.
 */
let statMemo: Map<string, Stats | null> | undefined;

export function startStatMemo(): void {
  statMemo = new Map();
}

export function stopStatMemo(): void {
  statMemo = undefined;
}

/** statSync without throwing for a missing file; from the memo while one is on. */
export function statOnce(file: string): Stats | undefined {
  if (!statMemo) return statSync(file, { throwIfNoEntry: false });
  let stats = statMemo.get(file);
  if (stats === undefined) statMemo.set(file, (stats = statSync(file, { throwIfNoEntry: false }) ?? null));
  return stats ?? undefined;
}

/**
 * Whether nothing is at `file` now (nor a folder on its way): readFileStamp would give null. Asked
 * before reading a dependency recorded as missing, as most of them are (the candidates an import
 * could resolve to), because a failed read throws, and on a warm run the exceptions cost more
 * than the stats.
 */
export function isMissing(file: string): boolean {
  try {
    return statOnce(file) === undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}

/** The stat of a file or folder now, as describeStat says it; null when it is missing or neither. */
export function currentStat(file: string): string | null {
  const derived = derivedDependencyOf(file);
  if (derived) return derived.kind.stats(derived.what, false);
  try {
    const stats = statOnce(file);
    return stats ? describeStat(stats) : null;
  } catch {
    return null;
  }
}

/**
 * A stat taken before a file was read, as a key the result cache may trust later: while a file's
 * stat shows it again, the file is the one that was read. Size and modification time alone are
 * not enough (an edit that keeps the length can put the time back, a copy can keep it): the change
 * time (ctime) moves on every write and on every change of the times, and no program can set it,
 * and a file put in place of another (a copy, a checkout, a rename) has its own inode and change
 * time. Null, so never trusted, for a file changed within RACY_WINDOW_MS of `now`: a change made
 * after the read could still share its times.
 */
export function statFingerprint(stats: Stats, now = Date.now(), racyWindowMs = RACY_WINDOW_MS): string | null {
  if (!(now - Math.max(stats.mtimeMs, stats.ctimeMs) >= racyWindowMs)) return null;
  return describeStat(stats);
}

/**
 * A dependency that is not one file's text: a fact drawn from many files, such as which files of
 * a package import a file (a new file, or an import added to any file, changes it). A language
 * registers the kind; the result cache checks its dependencies by readFileStamp and currentStat,
 * which answer for such a key from the kind: its version, and the stats that version was read
 * under, as one fingerprint (the cheap check of a warm run).
 */
export interface DerivedDependencyKind {
  /** Its version now; null when it cannot be told. */
  stamp(what: string): string | null;
  /**
   * What the stats of the files and folders it is drawn from say now, as one key; when `trusted`,
   * null if one of them changed within the racy window (as statFingerprint).
   */
  stats(what: string, trusted: boolean): string | null;
}

const derivedKinds = new Map<string, DerivedDependencyKind>();

/** Keys start with a NUL, which no file name holds. */
const DERIVED_KEY = /^\0([^\0]+)\0/;

export function registerDerivedDependency(name: string, kind: DerivedDependencyKind): void {
  derivedKinds.set(name, kind);
}

/** The dependency key of `what` (any text) for the kind registered as `name`. */
export function derivedDependencyKey(name: string, what: string): string {
  return `\0${name}\0${what}`;
}

function derivedDependencyOf(key: string): { kind: DerivedDependencyKind; what: string } | null {
  if (!key.startsWith('\0')) return null;
  const match = DERIVED_KEY.exec(key);
  const kind = match ? derivedKinds.get(match[1]!) : undefined;
  // A kind this process does not know (another version's cache) reads as a missing file: a miss.
  return kind ? { kind, what: key.slice(match![0].length) } : { kind: UNKNOWN_KIND, what: '' };
}

const UNKNOWN_KIND: DerivedDependencyKind = { stamp: () => null, stats: () => null };
