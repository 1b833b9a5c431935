/**
 * Linting in parallel with worker_threads, used when the file count makes it pay. Files go out in
 * chunks of the sorted list, so a chunk's files mostly import each other and a worker's project
 * index stays mostly local; results come back with the cross-file dependencies the cache needs.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { recordDependencies } from '../analysis/index.js';
import type { LintResult } from '../types.js';
import { lintSource, type LintSourceOptions, type LintStats } from './lint-text.js';

/** Fewer files than this are linted on the main thread: starting workers costs more than it saves. */
export const MINIMUM_FILES_PER_WORKER = 500;
/**
 * A worker's heap cap. Live data per file is small (20 MB for 2,336 files after collection), so a
 * cap makes workers collect garbage sooner instead of growing; a worker that still runs out (one
 * enormous file) is replaced by linting its chunk on the main thread.
 */
const WORKER_HEAP_MB = 160;
const CHUNK_SIZE = 40;

export interface WorkerSetup {
  rules: { id: string; severity: 1 | 2; options: readonly unknown[] }[];
  lint: Omit<LintSourceOptions, 'filename' | 'rules' | 'stats'>;
  stats: boolean;
}

export interface LintedFile {
  result: LintResult;
  dependencies: [string, string | null][];
}

export function lintOneFile(filePath: string, text: string, options: Omit<LintSourceOptions, 'filename'>): LintedFile {
  const { value: result, dependencies } = recordDependencies(() => lintSource(text, { ...options, filename: filePath }));
  dependencies.delete(filePath);
  return { result, dependencies: [...dependencies] };
}

export function defaultThreadCount(): number {
  return availableParallelism();
}

export function threadsFor(fileCount: number, requested: number): number {
  return Math.max(1, Math.min(requested, Math.floor(fileCount / MINIMUM_FILES_PER_WORKER)));
}

function mergeStats(into: LintStats, from: { phases: [string, number][]; rules: [string, number][]; findings: [string, number][]; files: number }): void {
  for (const [key, value] of from.phases) into.phases.set(key, (into.phases.get(key) ?? 0) + value);
  for (const [key, value] of from.rules) into.rules.set(key, (into.rules.get(key) ?? 0) + value);
  for (const [key, value] of from.findings) into.findings.set(key, (into.findings.get(key) ?? 0) + value);
  into.files += from.files;
}

/** Lints `files` (path and text) on `threads` workers; results in the input order. */
export async function lintInWorkers(
  files: { filePath: string; text: string }[],
  setup: WorkerSetup,
  threads: number,
  options: { stats?: LintStats; onFileDone?: () => void; rules: LintSourceOptions['rules'] },
): Promise<LintedFile[]> {
  const chunks: { index: number; files: { filePath: string; text: string }[] }[] = [];
  for (let start = 0; start < files.length; start += CHUNK_SIZE) chunks.push({ index: start, files: files.slice(start, start + CHUNK_SIZE) });
  // One shared queue in path order: an idle worker takes the next chunk (no worker waits on a
  // heavy folder), and neighbouring chunks still come from the same folders.
  const queue = chunks;
  const output: LintedFile[] = new Array(files.length);
  const workerUrl = new URL('./worker.js', import.meta.url);
  await Promise.all(
    Array.from(
      { length: Math.min(threads, chunks.length) },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerUrl, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
          let current = queue.shift()!;
          worker.on('message', (reply: { done: LintedFile[]; stats: Parameters<typeof mergeStats>[1] | null }) => {
            reply.done.forEach((linted, offset) => {
              output[current.index + offset] = linted;
              options.onFileDone?.();
            });
            if (reply.stats && options.stats) mergeStats(options.stats, reply.stats);
            const next = queue.shift();
            if (!next) {
              void worker.terminate().then(() => resolve(), reject);
              return;
            }
            current = next;
            worker.postMessage({ files: current.files });
          });
          worker.on('error', (error: Error & { code?: string }) => {
            if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return reject(error);
            // Nothing is lost: this chunk and the rest of the queue are linted here instead.
            for (const chunk of [current, ...queue.splice(0)]) {
              chunk.files.forEach(({ filePath, text }, offset) => {
                output[chunk.index + offset] = lintOneFile(filePath, text, { ...setup.lint, rules: options.rules, stats: options.stats });
                options.onFileDone?.();
              });
            }
            resolve();
          });
          worker.postMessage({ files: current.files });
        }),
    ),
  );
  return output;
}
