/**
 * A package manifest distilled to what says where code runs. Reading manifests is the host's
 * work (languages/js/project/package-manifests.ts): analysis only judges what it is handed.
 */
import path from 'node:path';
import type { PackageFacts } from './file-context.js';

const SCRIPT_EXTENSIONS = /\.[cm]?[jt]sx?$/;
/** Build output folders whose files come from `src/` (`dist/cli.js` is built from `src/cli.ts`). */
const OUTPUT_FOLDERS = new Set(['dist', 'lib', 'build', 'out', 'esm', 'cjs', 'es', 'module']);

function normalise(relative: string): string {
  return relative.replace(/^\.\//, '').split(path.sep).join('/');
}

/** The file a manifest names, and the sources it may be built from. */
function withSources(relative: string): string[] {
  const file = normalise(relative);
  const found = [file];
  const parts = file.split('/');
  const stem = file.replace(/\.[cm]?js$/, '');
  for (const extension of ['.ts', '.mts', '.cts', '.tsx']) found.push(stem + extension);
  if (parts.length > 1 && OUTPUT_FOLDERS.has(parts[0]!)) {
    const inSource = ['src', ...parts.slice(1)].join('/').replace(/\.[cm]?js$/, '');
    for (const extension of ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']) found.push(inSource + extension);
  }
  return found;
}

function stringsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, found);
  return found;
}

/** Files a script command runs: path-like words with a JS/TS extension (`node scripts/build.mjs --prod`). */
function filesRunBy(command: string): string[] {
  return command
    .split(/[\s;&|()'"]+/)
    .filter((word) => SCRIPT_EXTENSIONS.test(word) && !word.startsWith('-') && !word.includes('*'))
    .map(normalise);
}

/**
 * The module files a `main`, `module` or `exports` entry names, as Node resolves them: the file
 * itself when it has a script extension; `knex` or `./lib/index` without one is `knex.js` or the
 * folder's `index.js`. Declarations and data (`.d.ts`, `.json`) are no code to import.
 */
function moduleFiles(entry: string): string[] {
  if (/\.d\.[cm]?ts$/.test(entry)) return [];
  if (SCRIPT_EXTENSIONS.test(entry)) return [entry];
  if (path.posix.basename(normalise(entry)).includes('.')) return [];
  const stem = normalise(entry).replace(/\/$/, '');
  return [`${stem}.js`, `${stem}/index.js`];
}

export function packageFactsFromManifest(directory: string, manifest: Record<string, unknown>): PackageFacts {
  const binFiles = new Set<string>();
  for (const file of stringsIn(manifest.bin)) for (const candidate of withSources(file)) binFiles.add(candidate);
  const scriptFiles = new Set<string>();
  for (const command of stringsIn(manifest.scripts)) for (const file of filesRunBy(command)) scriptFiles.add(file);
  const entryFiles = new Set<string>();
  const importable = stringsIn([manifest.main, manifest.module, manifest.exports])
    .map(moduleFiles)
    .filter((files) => files.length > 0);
  for (const files of importable)
    for (const file of files) for (const candidate of withSources(file)) entryFiles.add(candidate);
  // A package whose only importable code is its command (`create-x`: `main` is the bin) is a command.
  const commandOnly =
    binFiles.size > 0 && importable.every((files) => files.some((file) => binFiles.has(normalise(file))));
  const facts: PackageFacts = { directory, binFiles, scriptFiles, entryFiles, commandOnly };
  // What a publish ships (published-files.ts): a private package ships nothing, `files` a part.
  if (manifest.private === true) facts.isPrivate = true;
  const files = manifest.files;
  if (Array.isArray(files) && files.every((entry) => typeof entry === 'string')) facts.files = files as string[];
  return facts;
}
