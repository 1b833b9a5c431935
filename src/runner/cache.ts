/**
 * The result cache: a file's messages are reused when its content, the resolved configuration,
 * the asynclint version, and every file whose cross-file facts the result used are unchanged.
 * Stored as one JSON file (default `node_modules/.cache/asynclint/results.json`), written atomically.
 *
 * Whether a linted file itself changed is decided by its strategy (ESLint's `--cache-strategy`):
 * `content` hashes the text, `metadata` trusts size and modification time, which skips the hash
 * but is fooled by an edit that keeps both. Dependencies are always stamped by content (see
 * fileStamp): they are read anyway for their facts.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LintMessage } from '../types.js';
import { VERSION } from '../version.js';
import { writeFileSafely } from '../write-file.js';

interface CacheEntry {
  hash: string;
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
  /** Files whose facts the result used, with their version (mtime:size, or null when missing). */
  dependencies: Record<string, string | null>;
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

function isCacheEntry(value: unknown): value is CacheEntry {
  if (!isRecord(value) || !isString(value.hash) || !isRecord(value.dependencies)) return false;
  if (!Object.values(value.dependencies).every((stamp) => stamp === null || isString(stamp))) return false;
  const isMessageList = (list: unknown) => Array.isArray(list) && list.every(isLintMessage);
  return isMessageList(value.messages) && isMessageList(value.suppressedMessages);
}

export type CacheStrategy = 'metadata' | 'content';

export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

export const DEFAULT_CACHE_LOCATION = path.join('node_modules', '.cache', 'asynclint');

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export class ResultCache {
  hits = 0;
  misses = 0;
  private dirty = false;

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

  get(
    filePath: string,
    hash: string,
    currentStamp: (file: string) => string | null,
  ): Pick<CacheEntry, 'messages' | 'suppressedMessages'> | null {
    const entry: unknown = Object.hasOwn(this.data.entries, filePath) ? this.data.entries[filePath] : undefined;
    // An entry that is not what this version writes (edited by hand, another tool) is a miss, never a crash.
    const valid =
      isCacheEntry(entry) &&
      entry.hash === hash &&
      Object.entries(entry.dependencies).every(([file, stamp]) => currentStamp(file) === stamp);
    if (valid) this.hits++;
    else this.misses++;
    return valid ? entry : null;
  }

  set(
    filePath: string,
    hash: string,
    messages: LintMessage[],
    suppressedMessages: LintMessage[],
    dependencies: Map<string, string | null>,
  ): void {
    this.data.entries[filePath] = {
      hash,
      messages,
      suppressedMessages,
      dependencies: Object.fromEntries(dependencies),
    };
    this.dirty = true;
  }

  /** Written as any file asynclint writes (see writeFileSafely): whole or not at all. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await writeFileSafely(this.file, JSON.stringify(this.data));
    this.dirty = false;
  }
}
