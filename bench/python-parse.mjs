#!/usr/bin/env node
// Times the Python front end alone: web-tree-sitter's parse plus the compact tree, over every
// .py/.pyi file of a folder (as discovery finds them: no virtualenvs, site-packages,
// __pycache__), cold (the first pass, WebAssembly not yet tiered up) and warm (the best later
// pass). Prints files/s, MB/s, peak RSS and each fatal parse message. Build first (npm run build).
//
//   node bench/python-parse.mjs <folder> [--runs N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = (relative) => import(pathToFileURL(path.join(root, 'dist', 'src', relative)).href);
const { discoverFiles } = await load('runner/discover.js');
const { loadPythonParser, parsePython, PythonParseError } = await load('languages/python/parser/index.js');

const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args.splice(runsFlag, 2)[1]) : 3;
const folder = path.resolve(args[0] ?? '.');
const files = discoverFiles(['.'], { cwd: folder, ignores: [], baseDirectory: folder }).files.filter((file) =>
  /\.pyi?$/.test(file),
);
const texts = files.map((file) => readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);

let started = performance.now();
await loadPythonParser();
const loadMs = performance.now() - started;
const passes = [];
const fatal = [];
for (let run = 0; run < runs; run++) {
  started = performance.now();
  texts.forEach((text, index) => {
    try {
      parsePython(text);
    } catch (error) {
      if (!(error instanceof PythonParseError)) throw error;
      if (run === 0)
        fatal.push(`${path.relative(folder, files[index])}:${error.line}:${error.column + 1} ${error.message}`);
    }
  });
  passes.push(performance.now() - started);
}
const rate = (ms) =>
  `${Math.round((files.length / ms) * 1000)} files/s, ${((bytes / 1e6 / ms) * 1000).toFixed(1)} MB/s`;
console.log(`${files.length} files, ${(bytes / 1e6).toFixed(2)} MB in ${folder}`);
console.log(`grammar load: ${loadMs.toFixed(0)} ms`);
console.log(`cold pass: ${passes[0].toFixed(0)} ms (${rate(passes[0])})`);
if (runs > 1) {
  const warm = Math.min(...passes.slice(1));
  console.log(`warm pass: ${warm.toFixed(0)} ms (${rate(warm)})`);
}
console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
console.log(`fatal parse messages: ${fatal.length}`);
for (const line of fatal) console.log(`  ${line}`);
