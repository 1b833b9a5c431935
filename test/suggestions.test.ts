/** Suggestions rewrite only the shapes they can prove, and their output parses. */
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../src/walker/index.js';
import { parsesCleanly } from '../src/parser/index.js';
import { lintWithEngine, ROOT } from './helpers.js';

/** Suggestions do not depend on where code runs: the rules that report only per event are widened to library code. */
function optionsFor(ruleId: string): unknown[] {
  return ruleId === 'blocking-call' || ruleId === 'busy-wait' ? [{ contexts: ['request', 'library'] }] : [];
}

function suggested(ruleId: string, text: string, filename = `${ROOT}/example.ts`): string[] {
  const messages = lintWithEngine(text, filename, ruleId, optionsFor(ruleId), 'fast');
  return messages.flatMap((message) => (message.suggestions ?? []).map((suggestion) => applyEdit(text, suggestion.fix)));
}

describe('await-in-loop suggestion', () => {
  it('rewrites the push loop over an array into Promise.all with map', () => {
    const text = 'declare function f(x: string): Promise<number>;\nasync function g(xs: string[]) {\n  const out: number[] = [];\n  for (const x of xs) {\n    out.push(await f(x));\n  }\n  return out;\n}\n';
    const [output] = suggested('await-in-loop', text);
    expect(output).toContain('out.push(...(await Promise.all(xs.map((x) => f(x)))));');
    expect(parsesCleanly(output!, 'example.ts')).toBe(true);
  });

  it('uses Array.from for an iterable that may not be an array', () => {
    const text = 'async function g(xs, f) {\n  const out = [];\n  for (const x of xs) out.push(await f(x));\n  return out;\n}\n';
    const [output] = suggested('await-in-loop', text, `${ROOT}/example.js`);
    expect(output).toContain('out.push(...(await Promise.all(Array.from(xs, (x) => f(x)))));');
  });

  it('offers nothing when the body does more than one push', () => {
    const text = 'async function g(xs, f) {\n  const out = [];\n  for (const x of xs) {\n    out.push(await f(x));\n    console.log(x);\n  }\n  return out;\n}\n';
    expect(suggested('await-in-loop', text, `${ROOT}/example.js`)).toEqual([]);
  });
});

describe('sequential-await suggestion', () => {
  it('rewrites a run of independent declarations into one Promise.all', () => {
    const text = 'async function g(id, a, b, c) {\n  const x = await a(id);\n  const { y } = await b(id);\n  const z = await c(id);\n  return [x, y, z];\n}\n';
    const [output] = suggested('sequential-await', text, `${ROOT}/example.js`);
    expect(output).toContain('const [x, { y }, z] = await Promise.all([a(id), b(id), c(id)]);');
    expect(parsesCleanly(output!, 'example.js')).toBe(true);
  });

  it('offers nothing when a declaration stands between the awaits', () => {
    const text = 'async function g(key, a, b) {\n  const x = await a(key);\n  const id = key + 1;\n  const y = await b(id);\n  return [x, y];\n}\n';
    const messages = lintWithEngine(text, `${ROOT}/example.js`, 'sequential-await', [], 'fast');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.suggestions).toBeUndefined();
  });
});

describe('blocking-call suggestion', () => {
  it('rewrites a namespace call into the promise API, parenthesised where precedence needs it', () => {
    const text = "import fs from 'node:fs';\nexport async function f(p: string) {\n  return fs.readFileSync(p, 'utf8').trim();\n}\n";
    const [output] = suggested('blocking-call', text);
    expect(output).toContain("return (await fs.promises.readFile(p, 'utf8')).trim();");
    expect(parsesCleanly(output!, 'example.ts')).toBe(true);
  });

  it('rewrites a named import and adds the promise import', () => {
    const text = "import { readFileSync } from 'node:fs';\nexport async function f(p: string) {\n  const text = readFileSync(p, 'utf8');\n  return text;\n}\n";
    const [output] = suggested('blocking-call', text);
    expect(output).toContain("import { readFile } from 'node:fs/promises';");
    expect(output).toContain("const text = await readFile(p, 'utf8');");
    expect(parsesCleanly(output!, 'example.ts')).toBe(true);
  });

  it('offers nothing inside a sync callback, where await is not allowed', () => {
    const text = "import fs from 'node:fs';\nexport async function f(ps: string[]) {\n  return ps.map((p) => fs.readFileSync(p));\n}\n";
    const messages = lintWithEngine(text, `${ROOT}/example.ts`, 'blocking-call', optionsFor('blocking-call'), 'fast');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.suggestions).toBeUndefined();
  });
});

describe('busy-wait suggestion', () => {
  it('replaces the spin with a timer from node:timers/promises', () => {
    const text = "import { x } from './x.js';\nexport async function pause(end: number) {\n  while (Date.now() < end) {}\n  return x;\n}\n";
    const [output] = suggested('busy-wait', text);
    expect(output).toContain("import { setTimeout as sleep } from 'node:timers/promises';");
    expect(output).toContain('await sleep(Math.max(0, end - (Date.now())));');
    expect(parsesCleanly(output!, 'example.ts')).toBe(true);
  });
});
