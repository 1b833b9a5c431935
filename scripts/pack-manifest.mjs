#!/usr/bin/env node
/**
 * Keeps `prepare` out of the packed package.json, and only there.
 *
 * `prepare` builds a fresh clone on `npm install` (the guide's two-command setup), but npm 11
 * runs `prepare` of a tarball or git dependency too, and warns that the package "has install
 * scripts not yet covered by allowScripts". The tarball ships `dist/`, so it needs no script.
 * npm has no field that drops a script from the packed manifest (`publishConfig` holds only
 * registry settings), so `prepack` writes package.json without `prepare` and `postpack` puts
 * the original back:
 *
 *   node scripts/pack-manifest.mjs strip [folder]      (prepack, after the build)
 *   node scripts/pack-manifest.mjs restore [folder]    (postpack)
 *
 * The folder defaults to this checkout (a test gives a temporary one).
 *
 * The original is kept byte for byte beside it. A pack that died between the two (a killed
 * process, a failed tarball write) leaves that copy behind: the next `strip` or `restore`
 * puts it back first, and `npm test` fails while package.json has no `prepare`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const checkout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEPT_NAME = 'package.json.before-pack';

/** Puts the kept original back; true when there was one. */
function restoreManifest(folder) {
  const kept = path.join(folder, KEPT_NAME);
  if (!existsSync(kept)) return false;
  renameSync(kept, path.join(folder, 'package.json'));
  return true;
}

/** The manifest text as it is packed: the same JSON without `scripts.prepare`. */
function packedManifest(text) {
  const manifest = JSON.parse(text);
  if (manifest.scripts) delete manifest.scripts.prepare;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function stripManifest(folder) {
  restoreManifest(folder);
  const manifestPath = path.join(folder, 'package.json');
  const original = readFileSync(manifestPath, 'utf8');
  // The copy is written before package.json changes, so a crash in between loses nothing.
  writeFileSync(path.join(folder, KEPT_NAME), original);
  writeFileSync(manifestPath, packedManifest(original));
}

const [command, folder = checkout] = process.argv.slice(2);
if (command === 'strip') stripManifest(path.resolve(folder));
else if (command === 'restore') restoreManifest(path.resolve(folder));
else {
  console.error('pack-manifest: expected "strip" or "restore"');
  process.exitCode = 2;
}
