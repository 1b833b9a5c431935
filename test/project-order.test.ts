/**
 * The answer for a file is a function of the project, not of the order its files are linted
 * in: the same cross-file projects linted in two orders, and each file on its own, in a fresh
 * project each time, give the same messages.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { lintSource } from '../src/languages/js/lint-text.js';
import { DiskProject } from '../src/languages/js/project/index.js';
import { comparable, FIXTURES } from './helpers.js';

const configured = [
  { id: 'floating-promise', rule: rules['floating-promise']!, severity: 2 as const, options: [] },
  { id: 'async-callback', rule: rules['async-callback']!, severity: 2 as const, options: [] },
  {
    id: 'blocking-call',
    rule: rules['blocking-call']!,
    severity: 2 as const,
    options: [{ contexts: ['request', 'library'] }],
  },
];

/** Each file's messages, linted in `order` in one fresh project, as the runner lints files read from disk. */
function lintInOrder(order: readonly string[], cwd: string): Map<string, string[]> {
  const project = new DiskProject();
  const found = new Map<string, string[]>();
  for (const file of order) {
    const text = readFileSync(file, 'utf8');
    const result = lintSource(text, { filename: file, cwd, rules: configured, project, provideFacts: true });
    found.set(file, comparable(result.messages));
  }
  return found;
}

function expectOrderIndependent(files: readonly string[], cwd: string): Map<string, string[]> {
  const forwards = lintInOrder(files, cwd);
  const backwards = lintInOrder([...files].reverse(), cwd);
  const alone = new Map(files.map((file) => [file, lintInOrder([file], cwd).get(file)!]));
  expect(backwards).toEqual(forwards);
  expect(alone).toEqual(forwards);
  return forwards;
}

function filesIn(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => path.join(directory, name));
}

/**
 * Two files calling each other's exports. The facts of one depend on the facts of the other, so
 * whichever is asked first is computed with the other unfinished; caching that answer as final
 * made `useB` reported in one order and silent in the other.
 */
const CYCLE = {
  'a.ts': [
    "import { viaB } from './b.js';",
    'export async function load(): Promise<string> { return fetch("/a").then((r) => r.text()); }',
    'export function viaA() { return viaB(); }',
    'export function useB(): void { viaB(); }',
  ],
  'b.ts': [
    "import { load, viaA } from './a.js';",
    'export function viaB() { return load(); }',
    'export function useA(): void { viaA(); }',
  ],
};

describe('cross-file facts do not depend on lint order', () => {
  for (const folder of ['floating-promise/cross-file', 'blocking-call/cross-file']) {
    it(`fixtures/${folder}`, () => {
      const directory = path.join(FIXTURES, folder);
      const messages = expectOrderIndependent(filesIn(directory), FIXTURES);
      // The projects do report across files: an empty answer would pass any order.
      expect([...messages.values()].flat().length).toBeGreaterThan(0);
    });
  }

  it('an import cycle', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'asynclint-cycle-'));
    for (const [name, lines] of Object.entries(CYCLE))
      writeFileSync(path.join(directory, name), `${lines.join('\n')}\n`);
    const messages = expectOrderIndependent(filesIn(directory), directory);
    expect([...messages.values()].flat().some((message) => message.includes('floating-promise'))).toBe(true);
  });
});
