/**
 * Linting in parallel with worker_threads, used when the file count makes it pay. Files go out in
 * chunks, imported files before their importers; results come back with the dependencies the
 * cache needs. The cross-file facts a thread learns (which exports are async, which are blocking
 * helpers) go to every other thread as each file is done, so the project index is built once for
 * the run, not once per thread.
 */
import { Worker } from 'node:worker_threads';
import {
  languageFor,
  sharedFacts,
  type LanguageOptions,
  type LintedText,
  type LintStats,
  type LintTextOptions,
} from '../languages/index.js';
import { buildResult } from '../lint-result.js';
import { readSourceFile } from './read-source.js';

/** Each thread beyond this one needs this many files: starting a worker costs more than it saves on fewer. */
export const MINIMUM_FILES_PER_WORKER = 500;
/**
 * A worker's heap cap. Live data per file is small (20 MB for 2,336 files after collection), so a
 * cap makes workers collect garbage sooner instead of growing; a worker that still runs out (one
 * enormous file) is replaced by linting its chunk on the main thread.
 */
const WORKER_HEAP_MB = 160;
const CHUNK_SIZE = 40;

/** What linting a file is told: the shared options and those of every language. */
export type LintSourceOptions = LintTextOptions & LanguageOptions;

/** Cross-file facts as the languages hand them over, tagged with the language's id. */
type SharedFacts = unknown;

export interface WorkerSetup {
  rules: { id: string; severity: 1 | 2; options: readonly unknown[] }[];
  lint: Omit<LintSourceOptions, 'filename' | 'rules' | 'stats'>;
  stats: boolean;
  maxFileSize: number;
}

/** A file to lint; `imported` when another file of the run imports it (its facts are worth keeping). */
export interface FileToLint {
  filePath: string;
  imported: boolean;
}

/** What a worker is sent: files to lint (none: only facts), and the facts other threads learnt since. */
export interface ChunkMessage {
  files: FileToLint[];
  facts: SharedFacts[];
}

/** What a worker sends back: facts as it learns them, then (`done`) its chunk's results. */
export interface WorkerReply {
  facts: SharedFacts[];
  done?: LintedFile[];
  stats?: Parameters<typeof mergeStats>[1] | null;
}

export type LintedFile = LintedText;

export function lintOneFile(filePath: string, text: string, options: Omit<LintSourceOptions, 'filename'>): LintedFile {
  return languageFor(filePath).lintText(text, { ...options, filename: filePath });
}

/**
 * Lets the event loop turn between files. The parser's native memory (its syntax tree as JSON,
 * several times the file's size) is freed by a finalizer that Node runs only on a turn of the
 * loop: linting thousands of files in one synchronous stretch kept all of it, 800 MB on 4,276
 * files, where a turn per file keeps the process near 200 MB and is faster too (less paging).
 */
export function releaseParserMemory(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reads and lints a file; one that can no longer be read (changed since it was listed) gets one fatal message. */
export function lintFileFromDisk(
  filePath: string,
  imported: boolean,
  options: Omit<LintSourceOptions, 'filename'>,
  maxFileSize: number,
): LintedFile {
  let read: ReturnType<typeof readSourceFile>;
  try {
    read = readSourceFile(filePath, maxFileSize);
  } catch (error) {
    read = { reason: (error as Error).message };
  }
  if ('reason' in read) {
    return {
      result: buildResult(filePath, [
        {
          ruleId: null,
          fatal: true,
          severity: 2,
          message: `File could not be read: ${read.reason}.`,
          line: 1,
          column: 1,
          nodeType: null,
        },
      ]),
      dependencies: [],
    };
  }
  return lintOneFile(filePath, read.text, { ...options, provideFacts: imported });
}

export function threadsFor(fileCount: number, requested: number): number {
  return Math.max(1, Math.min(requested, Math.floor(fileCount / MINIMUM_FILES_PER_WORKER)));
}

function mergeStats(
  into: LintStats,
  from: {
    phases: [string, number][];
    rules: [string, number][];
    findings: [string, number][];
    files: number;
    walked: number;
  },
): void {
  for (const [key, value] of from.phases) into.phases.set(key, (into.phases.get(key) ?? 0) + value);
  for (const [key, value] of from.rules) into.rules.set(key, (into.rules.get(key) ?? 0) + value);
  for (const [key, value] of from.findings) into.findings.set(key, (into.findings.get(key) ?? 0) + value);
  into.files += from.files;
  into.walked += from.walked;
}

/**
 * Lints `files` on `threads` threads: this one and `threads - 1` workers, all taking chunks from
 * one queue. This thread would otherwise sit idle waiting; as a linting thread it spares one
 * isolate's memory and the garbage-collector threads that would compete for the same cores.
 * Results come back in the input order.
 */
export async function lintInWorkers(
  files: FileToLint[],
  setup: WorkerSetup,
  threads: number,
  options: { stats?: LintStats; onFileDone?: () => void; rules: LintSourceOptions['rules'] },
): Promise<LintedFile[]> {
  const chunks: { index: number; files: FileToLint[] }[] = [];
  for (let start = 0; start < files.length; start += CHUNK_SIZE)
    chunks.push({ index: start, files: files.slice(start, start + CHUNK_SIZE) });
  // One shared queue in import order (imported files first, see import-order.ts): an idle thread
  // takes the next chunk, so no thread waits on a heavy folder.
  const queue = chunks;
  const output: LintedFile[] = new Array(files.length);
  const workerUrl = new URL('./worker.js', import.meta.url);
  /** Every fact any worker has reported, in arrival order; each worker is sent what it has not seen. */
  const factLog: { from: number; facts: SharedFacts[] }[] = [];
  const factsFor = (worker: number, seen: number): SharedFacts[] =>
    factLog.slice(seen).flatMap((entry) => (entry.from === worker ? [] : entry.facts));
  const workerCount = Math.min(threads - 1, chunks.length - 1);
  /** The running workers, and how much of the fact log each has been sent. */
  const workers: (Worker | null)[] = [];
  const workerSeen: number[] = [];
  /**
   * Passes what a thread just learnt to the workers at once, not with their next chunk: a chunk
   * takes a while, and files of other threads' chunks import the files it lints.
   */
  const learnt = (from: number, facts: SharedFacts[]) => {
    if (facts.length === 0) return;
    factLog.push({ from, facts });
    for (const [number, worker] of workers.entries()) {
      if (!worker || number === from) continue;
      const message: ChunkMessage = { files: [], facts: factsFor(number, workerSeen[number]!) };
      workerSeen[number] = factLog.length;
      worker.postMessage(message);
    }
  };
  const lintHere = async (threadNumber: number) => {
    sharedFacts.startSharing();
    let seen = 0;
    try {
      for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
        for (const [offset, { filePath, imported }] of chunk.files.entries()) {
          sharedFacts.addShared(factsFor(threadNumber, seen));
          seen = factLog.length;
          output[chunk.index + offset] = lintFileFromDisk(
            filePath,
            imported,
            { ...setup.lint, rules: options.rules, stats: options.stats },
            setup.maxFileSize,
          );
          options.onFileDone?.();
          learnt(threadNumber, sharedFacts.takeNew());
          // Also lets the workers' replies in, so they get their next chunk without waiting.
          await releaseParserMemory();
        }
      }
    } finally {
      sharedFacts.stopSharing();
    }
  };
  // Workers first: each takes its first chunk as it starts, then this thread takes the rest in turn.
  await Promise.all([
    ...Array.from(
      { length: Math.max(0, workerCount) },
      (_, workerNumber) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerUrl, {
            workerData: setup,
            resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
          });
          let current = queue.shift()!;
          workers[workerNumber] = worker;
          workerSeen[workerNumber] = factLog.length;
          const send = (chunk: typeof current) => {
            const message: ChunkMessage = {
              files: chunk.files,
              facts: factsFor(workerNumber, workerSeen[workerNumber]!),
            };
            workerSeen[workerNumber] = factLog.length;
            worker.postMessage(message);
          };
          worker.on('message', (reply: WorkerReply) => {
            learnt(workerNumber, reply.facts);
            if (!reply.done) return;
            reply.done.forEach((linted, offset) => {
              output[current.index + offset] = linted;
              options.onFileDone?.();
            });
            if (reply.stats && options.stats) mergeStats(options.stats, reply.stats);
            const next = queue.shift();
            if (!next) {
              workers[workerNumber] = null;
              void worker.terminate().then(() => resolve(), reject);
              return;
            }
            current = next;
            send(current);
          });
          worker.on('error', (error: Error & { code?: string }) => {
            workers[workerNumber] = null;
            if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') return reject(error);
            // Nothing is lost: this chunk and the rest of the queue are linted here instead.
            sharedFacts.addShared(factLog.flatMap((entry) => entry.facts));
            sharedFacts.takeNew();
            for (const chunk of [current, ...queue.splice(0)]) {
              chunk.files.forEach(({ filePath, imported }, offset) => {
                output[chunk.index + offset] = lintFileFromDisk(
                  filePath,
                  imported,
                  { ...setup.lint, rules: options.rules, stats: options.stats },
                  setup.maxFileSize,
                );
                options.onFileDone?.();
              });
            }
            resolve();
          });
          send(current);
        }),
    ),
    lintHere(workerCount),
  ]);
  return output;
}
