/** Suggestions rewrite only the shapes they can prove, exactly as written here, and their output parses. */
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../src/languages/js/walker/index.js';
import { parsesCleanly } from '../src/languages/js/parser/index.js';
import { lintWithEngine, ROOT } from './helpers.js';

/** Suggestions do not depend on where code runs: the rules that report only per event are widened to library code. */
function optionsFor(ruleId: string): unknown[] {
  return ruleId === 'blocking-call' || ruleId === 'busy-wait' ? [{ contexts: ['request', 'library'] }] : [];
}

/** A whole file's text, one argument per line: the suggestion's output is compared exactly. */
function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

function suggested(ruleId: string, text: string, filename = `${ROOT}/example.ts`): string[] {
  const messages = lintWithEngine(text, filename, ruleId, optionsFor(ruleId), 'fast');
  return messages.flatMap((message) =>
    (message.suggestions ?? []).map((suggestion) => applyEdit(text, suggestion.fix)),
  );
}

describe('await-in-loop suggestion', () => {
  it('rewrites the push loop over an array into Promise.all with map', () => {
    const text =
      'declare function f(x: string): Promise<number>;\nasync function g(xs: string[]) {\n  const out: number[] = [];\n  for (const x of xs) {\n    out.push(await f(x));\n  }\n  return out;\n}\n';
    const output = lines(
      'declare function f(x: string): Promise<number>;',
      'async function g(xs: string[]) {',
      '  const out: number[] = [];',
      '  out.push(...(await Promise.all(xs.map((x) => f(x)))));',
      '  return out;',
      '}',
    );
    expect(suggested('await-in-loop', text)).toEqual([output]);
    expect(parsesCleanly(output, 'example.ts')).toBe(true);
  });

  it('uses Array.from for an iterable that may not be an array', () => {
    const text =
      'async function g(xs) {\n  const out = [];\n  for (const x of xs) out.push(await fetch(x));\n  return out;\n}\n';
    const output = lines(
      'async function g(xs) {',
      '  const out = [];',
      '  out.push(...(await Promise.all(Array.from(xs, (x) => fetch(x)))));',
      '  return out;',
      '}',
    );
    expect(suggested('await-in-loop', text, `${ROOT}/example.js`)).toEqual([output]);
  });

  it('offers nothing when the body does more than one push', () => {
    const text =
      'async function g(xs) {\n  const out = [];\n  for (const x of xs) {\n    out.push(await fetch(x));\n    console.log(x);\n  }\n  return out;\n}\n';
    expect(suggested('await-in-loop', text, `${ROOT}/example.js`)).toEqual([]);
  });
});

describe('sequential-await suggestion', () => {
  it('rewrites a run of independent declarations into one Promise.all', () => {
    const text =
      'async function g(id, a, b, c) {\n  const x = await a(id);\n  const { y } = await b(id);\n  const z = await c(id);\n  return [x, y, z];\n}\n';
    const output = lines(
      'async function g(id, a, b, c) {',
      '  const [x, { y }, z] = await Promise.all([a(id), b(id), c(id)]);',
      '  return [x, y, z];',
      '}',
    );
    expect(suggested('sequential-await', text, `${ROOT}/example.js`)).toEqual([output]);
    expect(parsesCleanly(output, 'example.js')).toBe(true);
  });

  it('offers nothing when a declaration stands between the awaits', () => {
    const text =
      'async function g(key, a, b) {\n  const x = await a(key);\n  const id = key + 1;\n  const y = await b(id);\n  return [x, y];\n}\n';
    const messages = lintWithEngine(text, `${ROOT}/example.js`, 'sequential-await', [], 'fast');
    const found = messages.map((message) => [message.line, message.column, message.ruleId, message.suggestions]);
    expect(found).toEqual([[4, 13, 'sequential-await', undefined]]);
  });
});

describe('blocking-call suggestion', () => {
  it('rewrites a namespace call into the promise API, parenthesised where precedence needs it', () => {
    const text =
      "import fs from 'node:fs';\nexport async function f(p: string) {\n  return fs.readFileSync(p, 'utf8').trim();\n}\n";
    const output = lines(
      "import fs from 'node:fs';",
      'export async function f(p: string) {',
      "  return (await fs.promises.readFile(p, 'utf8')).trim();",
      '}',
    );
    expect(suggested('blocking-call', text)).toEqual([output]);
    expect(parsesCleanly(output, 'example.ts')).toBe(true);
  });

  it('rewrites a named import and adds the promise import', () => {
    const text =
      "import { readFileSync } from 'node:fs';\nexport async function f(p: string) {\n  const text = readFileSync(p, 'utf8');\n  return text;\n}\n";
    // The sync import stays: other code of the file may still use it.
    const output = lines(
      "import { readFileSync } from 'node:fs';",
      "import { readFile } from 'node:fs/promises';",
      'export async function f(p: string) {',
      "  const text = await readFile(p, 'utf8');",
      '  return text;',
      '}',
    );
    expect(suggested('blocking-call', text)).toEqual([output]);
    expect(parsesCleanly(output, 'example.ts')).toBe(true);
  });

  it('offers nothing inside a sync callback, where await is not allowed', () => {
    const text =
      "import fs from 'node:fs';\nexport async function f(ps: string[]) {\n  return ps.map((p) => fs.readFileSync(p));\n}\n";
    const messages = lintWithEngine(text, `${ROOT}/example.ts`, 'blocking-call', optionsFor('blocking-call'), 'fast');
    const found = messages.map((message) => [message.line, message.column, message.ruleId, message.suggestions]);
    expect(found).toEqual([[3, 24, 'blocking-call', undefined]]);
  });
});

describe('busy-wait suggestion', () => {
  it('replaces the spin with a timer from node:timers/promises', () => {
    const text =
      "import { x } from './x.js';\nexport async function pause(end: number) {\n  while (Date.now() < end) {}\n  return x;\n}\n";
    const output = lines(
      "import { x } from './x.js';",
      "import { setTimeout as sleep } from 'node:timers/promises';",
      'export async function pause(end: number) {',
      '  await sleep(Math.max(0, end - (Date.now())));',
      '  return x;',
      '}',
    );
    expect(suggested('busy-wait', text)).toEqual([output]);
    expect(parsesCleanly(output, 'example.ts')).toBe(true);
  });
});
