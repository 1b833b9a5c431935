/** Reads files (skipping binary, non-UTF-8 and oversized ones with a reason) and lints each. */
import { availableParallelism } from 'node:os';
import { holdingVersionsForRun, startStatMemo, statFingerprint, stopStatMemo } from '../file-stamp.js';
import { languageFilesFor } from '../languages/files.js';
import { buildResult } from '../lint-result.js';
import type { LintResult } from '../types.js';
import type { ResultCache } from './cache.js';
import type { FileToLint, LintedFile, LintSourceOptions, WorkerSetup } from './pool.js';
import { importOrder } from './import-order.js';
import { readSourceFile } from './read-source.js';

export interface SkippedFile {
  filePath: string;
  reason: string;
}

export interface LintFilesOptions extends Omit<LintSourceOptions, 'filename'> {
  maxFileSize: number;
  onProgress?: (done: number, total: number) => void;
  cache?: ResultCache;
  /** Worker threads to use when there are enough files (1: lint on the main thread). */
  threads?: number;
}

type Pool = typeof import('./pool.js');

export function defaultThreadCount(): number {
  return availableParallelism();
}

/** Lints on this thread, letting the event loop turn after each file (see releaseParserMemory). */
async function lintHere(
  { lintFileFromDisk, releaseParserMemory }: Pool,
  files: readonly FileToLint[],
  lint: Omit<LintSourceOptions, 'filename'>,
  maxFileSize: number,
  fileDone: () => void,
): Promise<LintedFile[]> {
  const linted: LintedFile[] = [];
  for (const { filePath, imported } of files) {
    linted.push(lintFileFromDisk(filePath, imported, lint, maxFileSize));
    fileDone();
    await releaseParserMemory();
  }
  return linted;
}

/**
 * Lints files in order. Reads are synchronous on purpose: measured on 2,336 files, async reads
 * spent 520 ms waiting for event-loop turns against 93 ms for sync reads, and parsing blocks the
 * loop twenty times longer than reading anyway. Cache hits are answered here, without a read
 * when the file's stat is the one recorded (ResultCache.getUnread); the rest is linted
 * on worker threads when `threads` > 1 and there are enough files to pay for them. No text is
 * kept here after its first read (the linting thread reads it again, from the OS cache), so this
 * thread's memory does not grow with the corpus.
 */
export function lintFileList(
  files: readonly string[],
  options: LintFilesOptions,
): Promise<{ results: LintResult[]; skipped: SkippedFile[] }> {
  return holdingVersionsForRun(() => lintListedFiles(files, options));
}

async function lintListedFiles(
  files: readonly string[],
  options: LintFilesOptions,
): Promise<{ results: LintResult[]; skipped: SkippedFile[] }> {
  const slots: (LintResult | null)[] = [];
  const skipped: SkippedFile[] = [];
  const pending: {
    slot: number;
    filePath: string;
    specifiers: string[];
    version: { hash: string; fingerprint: string | null } | null;
  }[] = [];
  let done = 0;
  const fileDone = () => options.onProgress?.(++done, files.length);
  const { cache, stats } = options;
  const timedRead = (filePath: string) => {
    const started = performance.now();
    const read = readSourceFile(filePath, options.maxFileSize);
    if (stats) stats.phases.set('read', (stats.phases.get('read') ?? 0) + performance.now() - started);
    return read;
  };
  const answer = (filePath: string): void => {
    // A file whose stat is as recorded is answered without reading it: most of a warm run.
    const unread = cache?.getUnread(filePath);
    // ESLint's results carry the text of a file with messages (formatters and --fix read it).
    const read = unread && unread.messages.length === 0 ? undefined : timedRead(filePath);
    if (read && 'reason' in read) {
      skipped.push({ filePath, reason: read.reason });
      fileDone();
      return;
    }
    if (unread) {
      if (stats) stats.files++;
      slots.push(buildResult(filePath, unread.messages, unread.suppressedMessages, read?.text));
      fileDone();
      return;
    }
    const { text, stats: readStats } = read!;
    const version = cache ? { hash: cache.versionKey(filePath, text), fingerprint: statFingerprint(readStats) } : null;
    const cached = cache && version ? cache.get(filePath, version.hash, version.fingerprint) : null;
    if (cached) {
      if (stats) stats.files++;
      slots.push(buildResult(filePath, cached.messages, cached.suppressedMessages, text));
      fileDone();
      return;
    }
    const specifiers = languageFilesFor(filePath).importSpecifiers(text);
    pending.push({ slot: slots.length, filePath, specifiers, version });
    slots.push(null);
  };
  // One stat per path while the cache is asked (see startStatMemo), none reused once linting starts.
  if (cache) startStatMemo();
  try {
    for (const filePath of files) answer(filePath);
  } finally {
    stopStatMemo();
  }
  // The languages (parsers, analysis, rules) and the pool load only when a file must be linted:
  // a warm run whose every file the cache answered loads none of them.
  if (pending.length === 0) return { results: slots as LintResult[], skipped };
  const [{ languageFor, prepareLanguagesFor }, pool] = await Promise.all([
    import('../languages/index.js'),
    import('./pool.js'),
  ]);
  // Before any file is linted here; each worker prepares itself for its files. Cache hits need no
  // parser (fix-files prepares for the files it fixes).
  await prepareLanguagesFor(pending.map(({ filePath }) => filePath));
  const threads = pool.threadsFor(pending.length, options.threads ?? 1);
  const { cache: _cache, onProgress: _onProgress, threads: _threads, maxFileSize: _maxFileSize, ...rest } = options;
  const lint = { ...rest, keepDependencies: cache !== undefined };
  const candidates = (file: string, specifier: string) => languageFor(file).moduleCandidates(file, specifier);
  const { order, imported } = importOrder(pending, candidates);
  const ordered = order.map((index) => ({ ...pending[index]!, imported: imported.has(index) }));
  const linted =
    threads > 1
      ? await pool.lintInWorkers(
          ordered.map(({ filePath, imported: isImported }) => ({ filePath, imported: isImported })),
          {
            rules: lint.rules.map((rule) => ({ id: rule.id, severity: rule.severity, options: rule.options })),
            lint: { ...lint, stats: undefined, rules: undefined } as WorkerSetup['lint'],
            stats: lint.stats !== undefined,
            maxFileSize: options.maxFileSize,
          },
          threads,
          { stats: lint.stats, onFileDone: fileDone, rules: lint.rules },
        )
      : await lintHere(pool, ordered, lint, options.maxFileSize, fileDone);
  linted.forEach(({ result, dependencies }, index) => {
    const { slot, filePath, version } = ordered[index]!;
    slots[slot] = result;
    if (cache && version)
      cache.set(filePath, version, result.messages, result.suppressedMessages, new Map(dependencies));
  });
  return { results: slots as LintResult[], skipped };
}
