/**
 * The result cache: a file's messages are reused when its content, the resolved configuration,
 * the asynclint version, and every file whose cross-file facts the result used are unchanged.
 * Stored as one JSON file (default `node_modules/.cache/asynclint/results.json`), written atomically.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LintMessage } from '../types.js';
import { VERSION } from '../version.js';

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
  ) {}

  /** Opens the cache at `location` for this configuration; a cache for another version or configuration starts empty. */
  static open(location: string, configKey: string): ResultCache {
    const file = location.endsWith('.json') ? location : path.join(location, 'results.json');
    let data: CacheFile = { version: VERSION, configKey, entries: {} };
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (stored.version === VERSION && stored.configKey === configKey && stored.entries) data = stored;
    } catch {
      // No cache yet, or an unreadable one: start afresh.
    }
    return new ResultCache(file, data);
  }

  get(filePath: string, hash: string, currentStamp: (file: string) => string | null): Pick<CacheEntry, 'messages' | 'suppressedMessages'> | null {
    const entry = this.data.entries[filePath];
    const valid = entry !== undefined && entry.hash === hash && Object.entries(entry.dependencies).every(([file, stamp]) => currentStamp(file) === stamp);
    if (valid) this.hits++;
    else this.misses++;
    return valid ? entry : null;
  }

  set(filePath: string, hash: string, messages: LintMessage[], suppressedMessages: LintMessage[], dependencies: Map<string, string | null>): void {
    this.data.entries[filePath] = { hash, messages, suppressedMessages, dependencies: Object.fromEntries(dependencies) };
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.data));
    renameSync(temporary, this.file);
    this.dirty = false;
  }
}
