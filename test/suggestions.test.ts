/** Suggestions rewrite only the shapes they can prove, and their output parses. */
import { describe, expect, it } from 'vitest';
import { applyEdit } from '../src/walker/index.js';
import { parsesCleanly } from '../src/parser/index.js';
import { lintWithEngine, ROOT } from './helpers.js';

function suggested(ruleId: string, text: string, filename = `${ROOT}/example.ts`): string[] {
  const messages = lintWithEngine(text, filename, ruleId, [], 'fast');
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
    const text = 'async function g(a, b, c) {\n  const x = await a();\n  const { y } = await b();\n  const z = await c();\n  return [x, y, z];\n}\n';
    const [output] = suggested('sequential-await', text, `${ROOT}/example.js`);
    expect(output).toContain('const [x, { y }, z] = await Promise.all([a(), b(), c()]);');
    expect(parsesCleanly(output!, 'example.js')).toBe(true);
  });

  it('offers nothing when a declaration stands between the awaits', () => {
    const text = 'async function g(a, b) {\n  const x = await a();\n  const id = 1;\n  const y = await b(id);\n  return [x, y];\n}\n';
    const messages = lintWithEngine(text, `${ROOT}/example.js`, 'sequential-await', [], 'fast');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.suggestions).toBeUndefined();
  });
});
