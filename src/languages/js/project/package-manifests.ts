/**
 * The nearest package manifest of a file, distilled to what says where code runs. Read once per
 * folder and run (manifests do not change during a lint); a manifest that is not valid JSON
 * counts as none, since it is not ours to judge.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFactsFromManifest, type PackageFacts } from '../analysis/index.js';
import { forgetWorkspaces, workspaceUsers } from './workspace.js';

const byDirectory = new Map<string, PackageFacts | null>();
/** What a package's facts were drawn from beyond its own manifest: its workspace (see workspace.ts). */
const workspaceFilesOf = new Map<string, readonly string[]>();

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
      if (typeof manifest.name === 'string' && !found.commandOnly) {
        const users = workspaceUsers(directory, manifest.name);
        if (users.onlyCommands) found = { ...found, onlyCommandsUse: users.onlyCommands };
        if (users.drawnFrom.length > 0) workspaceFilesOf.set(directory, users.drawnFrom);
      }
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
  workspaceFilesOf.clear();
  forgetWorkspaces();
}

/**
 * The files of its workspace that `facts` were drawn from (see workspace.ts): a cached result that
 * used the facts is stale when one of them changes.
 */
export function workspaceFilesFor(facts: PackageFacts): readonly string[] {
  return workspaceFilesOf.get(facts.directory) ?? [];
}
