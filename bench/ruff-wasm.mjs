#!/usr/bin/env node
// The ruff side of the benchmark's Python rows: ruff compiled to WebAssembly
// (@astral-sh/ruff-wasm-nodejs, installed by bench/run.js into a scratch folder, never a
// dependency of asynclint) checks every file of a list with its ASYNC rules and RUF006, in one
// process and one Workspace, as one cold run of the CLI would. The report has the shape of
// asynclint's and ESLint's JSON (a result per file, a message per finding) so that bench/run.js
// counts it the same way.
//
//   node bench/ruff-wasm.mjs <folder holding node_modules/@astral-sh/ruff-wasm-nodejs> <file list> <report.json>
//
// The file list has one path a line, relative to the working directory.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [installed, list, report] = process.argv.slice(2);
// The nodejs build of the package is CommonJS and loads its .wasm synchronously on require.
const { Workspace, PositionEncoding } = createRequire(path.join(path.resolve(installed), 'noop.js'))(
  '@astral-sh/ruff-wasm-nodejs',
);

// Settings as in pyproject's [tool.ruff]. Preview stays off (the default): ruff's stable ASYNC
// rules, and codes such as ASYNC230 in its diagnostics (preview reports rule names instead).
const workspace = new Workspace({ lint: { select: ['ASYNC', 'RUF006'] } }, PositionEncoding.Utf16);
const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const results = files.map((file) => {
  const diagnostics = workspace.check(readFileSync(file, 'utf8'));
  return {
    filePath: path.resolve(file),
    // ruff reports a file it cannot parse with the code invalid-syntax (and runs no rule on it).
    messages: diagnostics.map((diagnostic) => ({
      ruleId: diagnostic.code,
      fatal: diagnostic.code === 'invalid-syntax',
      line: diagnostic.start_location.row,
    })),
  };
});
writeFileSync(report, JSON.stringify(results));
