/**
 * The nearest package manifest of a file, distilled to what says where code runs. Read once per
 * folder and run (manifests do not change during a lint); a manifest that is not valid JSON
 * counts as none, since it is not ours to judge.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFactsFromManifest, type PackageFacts } from '../analysis/index.js';

const byDirectory = new Map<string, PackageFacts | null>();

function readManifest(directory: string): Record<string, unknown> | null | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(directory, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The facts of the nearest package.json above `filePath` (inclusive of its folder), or null. */
export function packageFactsFor(filePath: string): PackageFacts | null {
  const visited: string[] = [];
  let found: PackageFacts | null = null;
  for (let directory = path.dirname(path.resolve(filePath)); ;) {
    const known = byDirectory.get(directory);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(directory);
    const manifest = readManifest(directory);
    if (manifest) {
      found = packageFactsFromManifest(directory, manifest);
      break;
    }
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  for (const directory of visited) byDirectory.set(directory, found);
  return found;
}

/** A new run of the CLI in the same process reads manifests again: one may have changed since. */
export function forgetPackageManifests(): void {
  byDirectory.clear();
}
