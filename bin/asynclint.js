#!/usr/bin/env node
// Node 22.1+ caches the compiled code of the modules loaded below on disk, so a second start
// skips most of the parsing and compiling (Node 20 has no such cache: this is a no-op there).
import module from 'node:module';

module.enableCompileCache?.();
// The bundled CLI (scripts/bundle-cli.mjs, built with the rest by `npm run build`): a handful of
// files where the compiled sources are some 150, each resolved, read and linked on its own.
const { main } = await import('../dist/cli/asynclint.js');

process.exitCode = await main(process.argv);
