#!/usr/bin/env node
/**
 * Bundles the CLI: dist/src/cli/index.js (tsc's output) and the worker-thread entry become a few
 * files in dist/cli/, which bin/asynclint.js loads. Node resolves, reads and links each ES module
 * on its own, and on Node 20 that was most of a start: a warm run loaded about 150 of asynclint's
 * files. Packages stay outside the bundle (the same installed copies the API and the ESLint
 * plugin use), but for the scope analysis, and every dynamic import stays a separate file, so a
 * run still loads only what it uses. The API (dist/src/index.js) and the plugin are not bundled.
 * Run by `npm run build`.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rmSync } from 'node:fs';
import { build } from 'rolldown';

/** Imported by the CLI (and not by the API or the plugin, which keep the installed copies). */
const BUNDLED_PACKAGES =
  /^(?:@typescript-eslint\/(?:scope-manager|types|visitor-keys)|eslint-visitor-keys|commander|picomatch|ignore)(?:\/|$)/;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'cli');
rmSync(outDir, { recursive: true, force: true });

// The rule catalog (every rule's id, name and metadata) becomes its data: the compiled module
// draws it from the registry, which would load every rule's code (and the parsers' front ends)
// into a run that only needs to know the rules, a warm run whose every file the cache answers.
const ruleCatalogModule = path.join(root, 'dist', 'src', 'languages', 'rule-catalog.js');
const { ruleCatalog } = await import(pathToFileURL(ruleCatalogModule).href);
const ruleCatalogData = {
  name: 'rule-catalog-data',
  load(id) {
    if (path.resolve(id) !== ruleCatalogModule) return null;
    return `export const ruleCatalog = ${JSON.stringify(ruleCatalog)};\n`;
  },
};

await build({
  input: {
    asynclint: path.join(root, 'dist', 'src', 'cli', 'index.js'),
    // The pool starts workers from `new URL('./worker.js', import.meta.url)`: beside its own chunk.
    worker: path.join(root, 'dist', 'src', 'runner', 'worker.js'),
  },
  platform: 'node',
  plugins: [ruleCatalogData],
  // Bare specifiers are packages (and node: builtins): resolved at run time, as without a bundle,
  // but for the scope analysis: 572 small CommonJS files, most of a JavaScript run's start.
  external: (id) => !id.startsWith('.') && !path.isAbsolute(id) && !BUNDLED_PACKAGES.test(id),
  output: {
    dir: outDir,
    format: 'esm',
    entryFileNames: '[name].js',
    // A chunk is named after its first module; the scope analysis's is its package's dist/index.js.
    chunkFileNames: (chunk) =>
      chunk.moduleIds.some((id) => id.includes('scope-manager')) ? 'scope-manager-[hash].js' : '[name]-[hash].js',
  },
  logLevel: 'warn',
});
