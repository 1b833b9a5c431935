/** Reads files (skipping binary, non-UTF-8 and oversized ones with a reason) and lints each. */
import { readFile, stat } from 'node:fs/promises';
import type { LintResult } from '../types.js';
import { lintSource, type LintSourceOptions } from './lint-text.js';

export interface SkippedFile {
  filePath: string;
  reason: string;
}

export interface LintFilesOptions extends Omit<LintSourceOptions, 'filename'> {
  maxFileSize: number;
  onProgress?: (done: number, total: number) => void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or why it is not lintable. */
export async function readSourceFile(filePath: string, maxFileSize: number): Promise<{ text: string } | { reason: string }> {
  const { size } = await stat(filePath);
  if (size > maxFileSize) return { reason: `larger than the size limit (${size} > ${maxFileSize} bytes; raise it with maxFileSize or --max-file-size)` };
  const bytes = await readFile(filePath);
  if (bytes.subarray(0, 8000).includes(0)) return { reason: 'binary file' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'not UTF-8 text' };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Reads ahead of the linting (the next file is read while this one is linted), in file order. */
export async function lintFileList(files: readonly string[], options: LintFilesOptions): Promise<{ results: LintResult[]; skipped: SkippedFile[] }> {
  const results: LintResult[] = [];
  const skipped: SkippedFile[] = [];
  const timedRead = async (filePath: string) => {
    const started = performance.now();
    const read = await readSourceFile(filePath, options.maxFileSize);
    if (options.stats) options.stats.phases.set('read', (options.stats.phases.get('read') ?? 0) + performance.now() - started);
    return read;
  };
  let next = files.length > 0 ? timedRead(files[0]!) : null;
  for (let index = 0; index < files.length; index++) {
    const filePath = files[index]!;
    const read = await next!;
    next = index + 1 < files.length ? timedRead(files[index + 1]!) : null;
    if ('reason' in read) skipped.push({ filePath, reason: read.reason });
    else results.push(lintSource(read.text, { ...options, filename: filePath }));
    options.onProgress?.(index + 1, files.length);
  }
  return { results, skipped };
}
