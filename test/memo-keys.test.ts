/**
 * Memos are keyed by what an answer depends on. One ESLint process linting the same text under
 * two configs of a rule must answer each by its own options, whichever config came first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../src/languages/js/eslint-plugin/index.js';

/**
 * `pace` waits only when `snooze` is a delay function: the loop is paced on purpose under the
 * first config, and reported under the second. The helper lives in another file, whose parse
 * the process keeps and reuses between the two lints.
 */
const HELPER = 'export function pace() { return snooze(50); }\n';
const MAIN = [
  "import { pace } from './helpers.js';",
  'export async function fetchAll(urls) {',
  '  const pages = [];',
  '  for (const url of urls) {',
  '    pages.push(await fetch(url));',
  '    await pace();',
  '  }',
  '  return pages;',
  '}',
  '',
].join('\n');

function configWith(delayFunctions: string[]): Linter.Config[] {
  return [
    { plugins: { asynclint: plugin as never }, languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    { rules: { 'asynclint/await-in-loop': ['error', { delayFunctions }] } },
  ];
}

describe('two configs of one rule in one ESLint process', () => {
  it('each lint follows its own options, in either order', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'asynclint-two-configs-'));
    writeFileSync(path.join(directory, 'helpers.js'), HELPER);
    const filename = path.join(directory, 'main.js');
    writeFileSync(filename, MAIN);
    const linter = new Linter({ cwd: directory });
    const lines = (delayFunctions: string[]) =>
      linter
        .verify(MAIN, configWith(delayFunctions), { filename })
        .map((message) => `${message.line} ${message.ruleId}`);
    const paced = ['snooze'];
    const notPaced = ['sleep'];
    expect(lines(paced)).toEqual([]);
    expect(lines(notPaced)).toEqual(['5 asynclint/await-in-loop']);
    expect(lines(paced)).toEqual([]);
  });
});
