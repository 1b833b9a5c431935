/**
 * Other files of the project, parsed for their exports: the last few are kept, so different
 * kinds of facts asked of the same file in a row share one parse, while syntax trees of
 * imported files do not pile up (callers distil small facts from a module and keep those).
 */
import { readFileSync, statSync } from 'node:fs';
import { exportedDefinitions, type IndexedModule } from '../analysis/index.js';
import { parseFast } from '../parser/index.js';
import { timed } from '../../../timing.js';
import { createSourceCode } from '../walker/index.js';
import { prepareWalk } from '../walker/traverse.js';
import { MAX_INDEXED_FILE_SIZE } from './file-versions.js';

interface CacheEntry {
  stamp: string;
  module: IndexedModule | null;
}

const RECENT_MODULES = 8;
const recentlyParsed = new Map<string, CacheEntry>();

function rememberRecent(file: string, entry: CacheEntry): void {
  recentlyParsed.delete(file);
  recentlyParsed.set(file, entry);
  if (recentlyParsed.size > RECENT_MODULES) recentlyParsed.delete(recentlyParsed.keys().next().value!);
}

function parseModule(file: string): IndexedModule | null {
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = parseFast(text, file);
    prepareWalk(parsed.ast, parsed.visitorKeys);
    const sourceCode = createSourceCode(parsed, text);
    return { file, sourceCode, exports: exportedDefinitions(parsed.ast) };
  } catch {
    return null;
  }
}

/** The indexed module for a file (one of the last few parsed, or parsed now); null when it cannot be read or parsed. */
export function loadIndexedModule(file: string): IndexedModule | null {
  let stamp: string;
  try {
    const stat = statSync(file);
    if (stat.size > MAX_INDEXED_FILE_SIZE) return null;
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
  const cached = recentlyParsed.get(file);
  if (cached && cached.stamp === stamp) return cached.module;
  const module = timed('index', () => parseModule(file));
  rememberRecent(file, { stamp, module });
  return module;
}

export function forgetRecentModules(): void {
  recentlyParsed.clear();
}
