/** A lint worker: builds the configured rules once, then lints the chunks of files it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { rules } from '../../rules/index.js';
import type { ConfiguredRule } from '../walker/index.js';
import { createStats } from './lint-text.js';
import { addSharedFacts, shareNewFacts, takeNewFacts } from '../analysis/index.js';
import { lintOneFile, type ChunkMessage, type WorkerSetup } from './pool.js';

const setup = workerData as WorkerSetup;
const configured: ConfiguredRule[] = setup.rules.map((rule) => ({ id: rule.id, rule: rules[rule.id]!, severity: rule.severity, options: rule.options }));

shareNewFacts();

parentPort!.on('message', (chunk: ChunkMessage) => {
  addSharedFacts(chunk.facts);
  const stats = setup.stats ? createStats() : undefined;
  const done = chunk.files.map(({ filePath, text, imported }) => lintOneFile(filePath, text, { ...setup.lint, rules: configured, stats, provideFacts: imported }));
  parentPort!.postMessage({ done, facts: takeNewFacts(), stats: stats ? { phases: [...stats.phases], rules: [...stats.rules], findings: [...stats.findings], files: stats.files, walked: stats.walked } : null });
});
