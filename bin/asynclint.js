#!/usr/bin/env node
// Node 22.1+ caches the compiled code of the modules loaded below on disk, so a second start
// skips most of the parsing and compiling (Node 20 has no such cache: this is a no-op there).
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/src/cli/index.js');

process.exitCode = await main(process.argv);
