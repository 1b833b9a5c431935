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
 */
import { readFileSync, statSync } from 'node:fs';
import { currentStat, isMissing, readFileStamp } from '../file-stamp.js';
import path from 'node:path';
import type { LintMessage } from '../types.js';
import { VERSION } from '../version.js';
import { sha1 } from '../sha1.js';
import { writeFileSafely } from '../write-file.js';

interface CacheEntry {
  hash: string;
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
  /** Files whose facts the result used, with their version (fileStamp, or null when missing). */
  dependencies: Record<string, string | null>;
  /** The file's stat before it was read (statFingerprint), when it can be trusted. */
  stat?: string;
  /** The same for dependencies whose stamp was read after that stat. */
  dependencyStats?: Record<string, string>;
}

interface CacheFile {
  version: string;
  configKey: string;
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
 * The stamps and stats of dependencies are only compared with strings this run computes, so one of
 * another type reads as a change (a miss), never as a crash: they are not checked one by one, which
 * on a warm run of thousands of entries cost more than the comparisons themselves.
 */
function isCacheEntry(value: unknown): value is CacheEntry {
  if (!isRecord(value) || !isString(value.hash) || !isRecord(value.dependencies)) return false;
  if (!isOptional(value.stat, isString) || !isOptional(value.dependencyStats, isRecord)) return false;
  const isMessageList = (list: unknown) => Array.isArray(list) && list.every(isLintMessage);
  return isMessageList(value.messages) && isMessageList(value.suppressedMessages);
}

export type CacheStrategy = 'metadata' | 'content';

export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

export const DEFAULT_CACHE_LOCATION = path.join('node_modules', '.cache', 'asynclint');

export function contentHash(text: string): string {
  return sha1(text);
}

type CachedResult = Pick<CacheEntry, 'messages' | 'suppressedMessages'>;

export class ResultCache {
  hits = 0;
  misses = 0;
  /** Hits answered by stats alone: the file was not read. */
  unreadHits = 0;
  private dirty = false;
  /** This run's reads of files (stamp and fingerprint), each file read once. */
  private readonly stampsRead = new Map<string, ReturnType<typeof readFileStamp>>();
  private readonly statsSeen = new Map<string, string | null>();
  private readonly missingSeen = new Map<string, boolean>();

  private constructor(
    private readonly file: string,
    private readonly data: CacheFile,
    private readonly strategy: CacheStrategy,
  ) {}

  /** Opens the cache at `location` for this configuration; a cache for another version or configuration starts empty. */
  static open(location: string, configKey: string, strategy: CacheStrategy = 'content'): ResultCache {
    const file = location.endsWith('.json') ? location : path.join(location, 'results.json');
    let data: CacheFile = { version: VERSION, configKey, entries: {} };
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (stored.version === VERSION && stored.configKey === configKey && isRecord(stored.entries)) data = stored;
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

  private missingNow(file: string): boolean {
    let missing = this.missingSeen.get(file);
    if (missing === undefined) this.missingSeen.set(file, (missing = isMissing(file)));
    return missing;
  }

  private stampOf(file: string): ReturnType<typeof readFileStamp> {
    let read = this.stampsRead.get(file);
    if (!read) this.stampsRead.set(file, (read = readFileStamp(file)));
    return read;
  }

  /** Whether every dependency is as recorded: by its stat when that can tell, by its content otherwise. */
  private dependenciesUnchanged(entry: CacheEntry): boolean {
    for (const [file, stamp] of Object.entries(entry.dependencies)) {
      const fingerprint = entry.dependencyStats?.[file];
      if (typeof fingerprint === 'string' && this.statOf(file) === fingerprint) continue;
      // Missing then and now: a read would only fail again.
      if (stamp === null && this.missingNow(file)) continue;
      const read = this.stampOf(file);
      if (read.stamp !== stamp) return false;
      if (read.fingerprint !== null && entry.dependencyStats?.[file] !== read.fingerprint) {
        (entry.dependencyStats ??= {})[file] = read.fingerprint;
        this.dirty = true;
      }
    }
    return true;
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
    return entry;
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
    return entry;
  }

  set(
    filePath: string,
    version: { hash: string; fingerprint: string | null },
    messages: LintMessage[],
    suppressedMessages: LintMessage[],
    dependencies: Map<string, string | null>,
  ): void {
    const entry: CacheEntry = {
      hash: version.hash,
      messages,
      suppressedMessages,
      dependencies: Object.fromEntries(dependencies),
    };
    if (version.fingerprint !== null) entry.stat = version.fingerprint;
    // A dependency's stamp came from the thread that linted the file; its fingerprint is trusted
    // only with a stamp this thread read after taking it, and only when the two stamps agree.
    for (const [file, stamp] of dependencies) {
      if (stamp === null) continue;
      const read = this.stampOf(file);
      if (read.stamp === stamp && read.fingerprint !== null) (entry.dependencyStats ??= {})[file] = read.fingerprint;
    }
    this.data.entries[filePath] = entry;
    this.dirty = true;
  }

  /** Written as any file asynclint writes (see writeFileSafely): whole or not at all. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await writeFileSafely(this.file, JSON.stringify(this.data));
    this.dirty = false;
  }
}
