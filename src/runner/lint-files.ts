/** Reads files (skipping binary, non-UTF-8 and oversized ones with a reason) and lints each. */
import { readFileSync, statSync } from 'node:fs';
import { fileStamp, recordDependencies } from '../analysis/index.js';
import type { LintResult } from '../types.js';
import { contentHash, type ResultCache } from './cache.js';
import { buildResult, lintSource, type LintSourceOptions } from './lint-text.js';

export interface SkippedFile {
  filePath: string;
  reason: string;
}

export interface LintFilesOptions extends Omit<LintSourceOptions, 'filename'> {
  maxFileSize: number;
  onProgress?: (done: number, total: number) => void;
  cache?: ResultCache;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or why it is not lintable. */
export function readSourceFile(filePath: string, maxFileSize: number): { text: string } | { reason: string } {
  const { size } = statSync(filePath);
  if (size > maxFileSize) return { reason: `larger than the size limit (${size} > ${maxFileSize} bytes; raise it with maxFileSize or --max-file-size)` };
  const bytes = readFileSync(filePath);
  if (bytes.subarray(0, 8000).includes(0)) return { reason: 'binary file' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'not UTF-8 text' };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/**
 * Lints files in order. Reads are synchronous on purpose: measured on 2,336 files, async reads
 * spent 520 ms waiting for event-loop turns against 93 ms for sync reads, and parsing blocks the
 * loop twenty times longer than reading anyway. Taking linting off the caller's event loop is the
 * worker pool's job; the async signature is kept for it.
 */
export async function lintFileList(files: readonly string[], options: LintFilesOptions): Promise<{ results: LintResult[]; skipped: SkippedFile[] }> {
  const results: LintResult[] = [];
  const skipped: SkippedFile[] = [];
  for (let index = 0; index < files.length; index++) {
    const filePath = files[index]!;
    const started = performance.now();
    // asynclint-disable-next-line blocking-call -- measured: sync reads are 5x cheaper here, see above
    const read = readSourceFile(filePath, options.maxFileSize);
    if (options.stats) options.stats.phases.set('read', (options.stats.phases.get('read') ?? 0) + performance.now() - started);
    if ('reason' in read) skipped.push({ filePath, reason: read.reason });
    else results.push(lintCached(filePath, read.text, options));
    options.onProgress?.(index + 1, files.length);
  }
  return { results, skipped };
}

/** Lints one file, or reuses its cached messages when nothing it depends on has changed. */
function lintCached(filePath: string, text: string, options: LintFilesOptions): LintResult {
  const cache = options.cache;
  if (!cache) return lintSource(text, { ...options, filename: filePath });
  const hash = contentHash(text);
  const cached = cache.get(filePath, hash, fileStamp);
  if (cached) {
    if (options.stats) options.stats.files++;
    return buildResult(filePath, cached.messages, cached.suppressedMessages, text);
  }
  const { value: result, dependencies } = recordDependencies(() => lintSource(text, { ...options, filename: filePath }));
  // The file's own content is checked by its hash.
  dependencies.delete(filePath);
  cache.set(filePath, hash, result.messages, result.suppressedMessages, dependencies);
  return result;
}
