/** A lint worker: builds the configured rules once, then lints the chunks of files it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ConfiguredRule } from '../types.js';
import { holdVersionsForThread } from '../file-stamp.js';
import { createStats, prepareLanguagesFor, rules, sharedFacts } from '../languages/index.js';
import {
  lintFileFromDisk,
  releaseParserMemory,
  type ChunkMessage,
  type LintedFile,
  type WorkerReply,
  type WorkerSetup,
} from './pool.js';

const setup = workerData as WorkerSetup;
const configured: ConfiguredRule[] = setup.rules.map((rule) => ({
  id: rule.id,
  rule: rules[rule.id]!,
  severity: rule.severity,
  options: rule.options,
}));

sharedFacts.startSharing();
// A worker lives for one run over files: it takes versions of files as the run does (file-stamp.ts).
holdVersionsForThread();

async function lintChunk(chunk: ChunkMessage): Promise<void> {
  // Each thread loads its own parsers (WebAssembly instances are per thread); later chunks find them loaded.
  await prepareLanguagesFor(chunk.files.map(({ filePath }) => filePath));
  sharedFacts.addShared(chunk.facts);
  const stats = setup.stats ? createStats() : undefined;
  const done: LintedFile[] = [];
  for (const { filePath, imported } of chunk.files) {
    // asynclint-disable-next-line blocking-call -- measured: sync reads are 5x cheaper than async ones here (see lintFileList)
    done.push(lintFileFromDisk(filePath, imported, { ...setup.lint, rules: configured, stats }, setup.maxFileSize));
    // What this file taught goes to the other threads now; theirs comes in while the loop turns.
    const facts = sharedFacts.takeNew();
    if (facts.length > 0) parentPort!.postMessage({ facts } satisfies WorkerReply);
    await releaseParserMemory();
  }
  parentPort!.postMessage({
    done,
    facts: sharedFacts.takeNew(),
    stats: stats
      ? {
          phases: [...stats.phases],
          rules: [...stats.rules],
          findings: [...stats.findings],
          files: stats.files,
          walked: stats.walked,
        }
      : null,
  });
}

parentPort!.on('message', (chunk: ChunkMessage) => {
  // Facts alone, learnt by another thread while this one lints a chunk.
  if (chunk.files.length === 0) return sharedFacts.addShared(chunk.facts);
  // A failure must reach the main thread as this worker's 'error' event, not vanish as an
  // unhandled rejection: rethrown outside the promise, it is an uncaught exception.
  lintChunk(chunk).catch((error: unknown) => {
    setImmediate(() => {
      throw error;
    });
  });
});
