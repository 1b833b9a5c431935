/**
 * The result cache: a file's messages are reused when its content, the resolved configuration,
 * the asynclint version, and every file whose cross-file facts the result used are unchanged.
 * Stored as one JSON file (default `node_modules/.cache/asynclint/results.json`), written atomically.
 *
 * Whether a linted file itself changed is decided by its strategy (ESLint's `--cache-strategy`):
 * `content` hashes the text, `metadata` trusts size and modification time, which skips the hash
 * but is fooled by an edit that keeps both. Dependencies are always stamped by content (see
 * fileStamp).
 *
 * Reading and hashing every file is most of a warm run, so each entry also keeps the stat its
 * file had before it was read, and each dependency's (statFingerprint: size, times, change time,
 * inode, never a file changed within the last seconds). A file whose stat shows its fingerprint
 * again is the file that was read: its entry is answered without reading it (or its
 * dependencies). Any other stat falls back to the content, under either strategy, and a
 * content that still matches renews the fingerprint.
 *
 * Dependencies are kept once, in one table of (file, stamp, fingerprint) that entries point into
 * by index: most files depend on a few of the same files (2,861 files of astro name 1,758
 * dependencies 17,421 times), so the table makes the file a third of the size it had with every
 * entry naming its own, and a dependency is checked once per run however many entries name it.
 * A fingerprint belongs to the file's version, not to an entry: while the file's stat shows it,
 * the file's stamp is the one it was read with.
 */
import { readFileSync, statSync } from 'node:fs';
import { currentStat, isMissing, readFileStamp } from '../file-stamp.js';
// The kinds of derived dependency (a file's importers), known before any entry is checked.
import '../languages/dependencies.js';
import path from 'node:path';
import type { LintMessage } from '../types.js';
import { VERSION } from '../version.js';
import { sha1 } from '../sha1.js';
import { writeFileSafely } from '../write-file.js';

/** A dependency: its file, its version then (fileStamp, or null when missing), and the stat that version was read under. */
type Dependency = [file: string, stamp: string | null, fingerprint?: string];

interface CacheEntry {
  hash: string;
  /** Absent when there are none, as for most files. */
  messages?: LintMessage[];
  suppressedMessages?: LintMessage[];
  /** Indexes into the cache's dependency table: the files whose facts the result used. */
  dependencies: number[];
  /** The file's stat before it was read (statFingerprint), when it can be trusted. */
  stat?: string;
}

/** Changed when the layout changes: a cache of another layout starts empty. */
const FORMAT = 2;

interface CacheFile {
  format: number;
  version: string;
  configKey: string;
  dependencies: Dependency[];
  entries: Record<string, CacheEntry>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isOptional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function isEdit(value: unknown): boolean {
  if (!isRecord(value) || !isString(value.text) || !Array.isArray(value.range)) return false;
  return value.range.length === 2 && value.range.every(isNumber);
}

function isSuggestion(value: unknown): boolean {
  return isRecord(value) && isString(value.desc) && isEdit(value.fix) && isOptional(value.messageId, isString);
}

/** Every field the formatters, --fix and the directives bookkeeping read, with the type they expect. */
function isLintMessage(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (!(value.ruleId === null || isString(value.ruleId)) || (value.severity !== 1 && value.severity !== 2))
    return false;
  if (!isString(value.message) || !isNumber(value.line) || !isNumber(value.column)) return false;
  if (
    !isOptional(value.endLine, isNumber) ||
    !isOptional(value.endColumn, isNumber) ||
    !isOptional(value.messageId, isString)
  )
    return false;
  if (!isOptional(value.nodeType, (nodeType) => nodeType === null || isString(nodeType))) return false;
  if (!isOptional(value.fatal, (fatal) => typeof fatal === 'boolean') || !isOptional(value.fix, isEdit)) return false;
  if (!isOptional(value.suggestions, (list) => Array.isArray(list) && list.every(isSuggestion))) return false;
  const isSuppression = (item: unknown) => isRecord(item) && item.kind === 'directive' && isString(item.justification);
  return isOptional(value.suppressions, (list) => Array.isArray(list) && list.every(isSuppression));
}

/**
 * The dependency indexes are checked where they are used (dependencyUnchanged): one that names
 * no row of the table reads as a change (a miss), never as a crash.
 */
function isCacheEntry(value: unknown): value is CacheEntry {
  if (!isRecord(value) || !isString(value.hash) || !Array.isArray(value.dependencies)) return false;
  if (!isOptional(value.stat, isString)) return false;
  const isMessageList = (list: unknown) =>
    isOptional(list, (messages) => Array.isArray(messages) && messages.every(isLintMessage));
  return isMessageList(value.messages) && isMessageList(value.suppressedMessages);
}

export type CacheStrategy = 'metadata' | 'content';

export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

export const DEFAULT_CACHE_LOCATION = path.join('node_modules', '.cache', 'asynclint');

export function contentHash(text: string): string {
  return sha1(text);
}

interface CachedResult {
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
}

function resultOf(entry: CacheEntry): CachedResult {
  return { messages: entry.messages ?? [], suppressedMessages: entry.suppressedMessages ?? [] };
}

export class ResultCache {
  hits = 0;
  misses = 0;
  /** Hits answered by stats alone: the file was not read. */
  unreadHits = 0;
  private dirty = false;
  /** This run's reads of files (stamp and fingerprint), each file read once. */
  private readonly stampsRead = new Map<string, ReturnType<typeof readFileStamp>>();
  private readonly statsSeen = new Map<string, string | null>();
  /** Each dependency row's verdict (unchanged or not), decided once per run. */
  private readonly verdicts = new Map<number, boolean>();
  /** The row of each (file, stamp), built on the first `set`: a run with no miss never needs it. */
  private rowIndex: Map<string, number> | undefined;

  private constructor(
    private readonly file: string,
    private readonly data: CacheFile,
    private readonly strategy: CacheStrategy,
  ) {}

  /** Opens the cache at `location` for this configuration; a cache for another version or configuration starts empty. */
  static open(location: string, configKey: string, strategy: CacheStrategy = 'content'): ResultCache {
    const file = location.endsWith('.json') ? location : path.join(location, 'results.json');
    let data: CacheFile = { format: FORMAT, version: VERSION, configKey, dependencies: [], entries: {} };
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (
        stored.format === FORMAT &&
        stored.version === VERSION &&
        stored.configKey === configKey &&
        Array.isArray(stored.dependencies) &&
        isRecord(stored.entries)
      )
        data = stored;
    } catch {
      // No cache yet, or an unreadable one: start afresh.
    }
    return new ResultCache(file, data, strategy);
  }

  /**
   * What identifies this version of a linted file under the strategy. The two kinds never equal
   * each other, so switching strategies lints every file once, as a new configuration does.
   */
  versionKey(filePath: string, text: string): string {
    if (this.strategy === 'content') return contentHash(text);
    const stat = statSync(filePath, { throwIfNoEntry: false });
    return stat ? `metadata:${stat.size}:${stat.mtimeMs}` : `content:${contentHash(text)}`;
  }

  private entryOf(filePath: string): CacheEntry | undefined {
    const entry: unknown = Object.hasOwn(this.data.entries, filePath) ? this.data.entries[filePath] : undefined;
    // An entry that is not what this version writes (edited by hand, another tool) is a miss, never a crash.
    return isCacheEntry(entry) ? entry : undefined;
  }

  private statOf(file: string): string | null {
    let stat = this.statsSeen.get(file);
    if (stat === undefined) this.statsSeen.set(file, (stat = currentStat(file)));
    return stat;
  }

  private stampOf(file: string): ReturnType<typeof readFileStamp> {
    let read = this.stampsRead.get(file);
    if (!read) this.stampsRead.set(file, (read = readFileStamp(file)));
    return read;
  }

  /** Whether the dependency in row `index` is as recorded: by its stat when that can tell, by its content otherwise. */
  private dependencyUnchanged(index: unknown): boolean {
    const known = this.verdicts.get(index as number);
    if (known !== undefined) return known;
    // Not an index of the table (edited by hand): a change.
    const row: unknown = typeof index === 'number' ? this.data.dependencies[index] : undefined;
    if (!Array.isArray(row)) return false;
    const [file, stamp, fingerprint] = row as Partial<Dependency>;
    let unchanged: boolean;
    if (typeof file !== 'string') unchanged = false;
    else if (typeof fingerprint === 'string' && this.statOf(file) === fingerprint) unchanged = true;
    // Missing then and now: a read would only fail again.
    else if (stamp === null && isMissing(file)) unchanged = true;
    else {
      const read = this.stampOf(file);
      unchanged = read.stamp === stamp;
      if (unchanged && read.fingerprint !== null && fingerprint !== read.fingerprint) {
        (row as Dependency)[2] = read.fingerprint;
        this.dirty = true;
      }
    }
    this.verdicts.set(index as number, unchanged);
    return unchanged;
  }

  private dependenciesUnchanged(entry: CacheEntry): boolean {
    return entry.dependencies.every((index) => this.dependencyUnchanged(index));
  }

  /**
   * The entry of a file whose stat is the one recorded before it was read, without reading it;
   * null when the stat cannot tell (the caller reads the file and asks `get`). Not counted as a
   * miss: `get` counts the file.
   */
  getUnread(filePath: string): CachedResult | null {
    const entry = this.entryOf(filePath);
    if (!entry?.stat || this.statOf(filePath) !== entry.stat || !this.dependenciesUnchanged(entry)) return null;
    this.hits++;
    this.unreadHits++;
    return resultOf(entry);
  }

  /**
   * The entry of a file read just now, when its version (versionKey) and its dependencies are
   * unchanged. `fingerprint`: its stat before that read (statFingerprint), kept for the next run.
   */
  get(filePath: string, hash: string, fingerprint: string | null): CachedResult | null {
    const entry = this.entryOf(filePath);
    const valid = entry !== undefined && entry.hash === hash && this.dependenciesUnchanged(entry);
    if (!valid) {
      this.misses++;
      return null;
    }
    this.hits++;
    if (fingerprint !== null && entry.stat !== fingerprint) {
      entry.stat = fingerprint;
      this.dirty = true;
    }
    return resultOf(entry);
  }

  /** The row of (file, stamp), added when there is none. */
  private rowOf(file: string, stamp: string | null): number {
    const rows = this.data.dependencies;
    if (!this.rowIndex) {
      this.rowIndex = new Map();
      rows.forEach((row, index) => {
        if (Array.isArray(row) && typeof row[0] === 'string') this.rowIndex!.set(`${row[1]}\0${row[0]}`, index);
      });
    }
    const key = `${stamp}\0${file}`;
    let index = this.rowIndex.get(key);
    if (index === undefined) {
      this.rowIndex.set(key, (index = rows.length));
      rows.push([file, stamp]);
    }
    return index;
  }

  set(
    filePath: string,
    version: { hash: string; fingerprint: string | null },
    messages: LintMessage[],
    suppressedMessages: LintMessage[],
    dependencies: Map<string, string | null>,
  ): void {
    const entry: CacheEntry = { hash: version.hash, dependencies: [] };
    if (messages.length > 0) entry.messages = messages;
    if (suppressedMessages.length > 0) entry.suppressedMessages = suppressedMessages;
    if (version.fingerprint !== null) entry.stat = version.fingerprint;
    for (const [file, stamp] of dependencies) {
      const index = this.rowOf(file, stamp);
      entry.dependencies.push(index);
      const row = this.data.dependencies[index]!;
      if (stamp === null) continue;
      // A dependency's stamp came from the thread that linted the file; its fingerprint is trusted
      // only with a stamp this thread read after taking it, and only when the two stamps agree.
      const read = this.stampOf(file);
      if (read.stamp === stamp && read.fingerprint !== null) row[2] = read.fingerprint;
    }
    this.data.entries[filePath] = entry;
    this.dirty = true;
  }

  /**
   * Written as any file asynclint writes (see writeFileSafely): whole or not at all. Rows that no
   * entry names any more (a dependency's older versions) are left out.
   */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const rows: Dependency[] = [];
    const renumbered = new Map<number, number>();
    const entries: Record<string, CacheEntry> = {};
    for (const [file, entry] of Object.entries(this.data.entries)) {
      if (!isCacheEntry(entry)) continue;
      const dependencies: number[] = [];
      for (const index of entry.dependencies) {
        const row: unknown = typeof index === 'number' ? this.data.dependencies[index] : undefined;
        // A row that is not one is left out with its entry: the entry would only miss.
        if (!Array.isArray(row)) {
          dependencies.length = 0;
          break;
        }
        let kept = renumbered.get(index);
        if (kept === undefined) {
          renumbered.set(index, (kept = rows.length));
          rows.push(row as Dependency);
        }
        dependencies.push(kept);
      }
      if (dependencies.length === entry.dependencies.length) entries[file] = { ...entry, dependencies };
    }
    await writeFileSafely(this.file, JSON.stringify({ ...this.data, dependencies: rows, entries }));
    this.dirty = false;
  }
}
