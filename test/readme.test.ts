/**
 * The user documentation stays true: the Quickstart's sample output is what its command prints,
 * every command-line option is in the README, and docs/config.md lists every config key and
 * the current rule options.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { optionsReference } from '../scripts/rule-table.js';
import { ROOT, runCli as runInProcess } from './helpers.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CONFIG_DOC = readFileSync(path.join(ROOT, 'docs', 'config.md'), 'utf8');
function runCli(args: string[]) {
  return runInProcess(args, { cwd: ROOT });
}

/** Output as a reader compares it: no colour, no trailing spaces, `/` separators, no absolute paths. */
function normalised(output: string): string {
  return output
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split(ROOT + path.sep)
    .join('')
    .replace(/\\/g, '/')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

/** The `npx asynclint ...` command in the Quickstart and the fenced block right after it. */
function quickstartSample(): { args: string[]; output: string } {
  const quickstart = /\n## Quickstart\n([\s\S]*?)\n## /.exec(README)?.[1] ?? '';
  const sample = /```sh\nnpx asynclint (examples\/[^\n]*)\n```\n+```text\n([\s\S]*?)```/.exec(quickstart);
  if (!sample)
    throw new Error('README Quickstart has no "npx asynclint examples/..." block followed by a ```text block');
  return { args: sample[1]!.trim().split(/\s+/), output: sample[2]! };
}

describe('README Quickstart', () => {
  it('prints the sample output it shows, for the bundled sample', async () => {
    const { args, output } = quickstartSample();
    // The cache and colour change nothing in the text; they are off so the test writes nothing.
    const run = await runCli(['--no-cache', '--no-color', ...args]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(normalised(output)).toBe(normalised(run.stdout));
  });
});

describe('README command line', () => {
  it('lists every option that --help lists', async () => {
    const help = (await runCli(['--help'])).stdout;
    const flags = [...new Set([...help.matchAll(/(?:^|[\s,])(--[a-z][a-z-]*)/g)].map((match) => match[1]!))];
    expect(flags.length).toBeGreaterThan(30);
    const section = /\n## Command line\n([\s\S]*?)\n## /.exec(README)?.[1] ?? '';
    const optionCells = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((row) => row.split(' | ')[0]!);
    const missing = flags.filter((flag) => !optionCells.some((cell) => new RegExp(`${flag}(?![a-z-])`).test(cell)));
    expect(missing).toEqual([]);
  });
});

describe('docs/config.md', () => {
  it('describes every key the config accepts, and every override key', async () => {
    const { CONFIG_KEYS, OVERRIDE_KEYS } = await import('../src/config/index.js');
    const keyRows = (heading: string) => {
      const section = CONFIG_DOC.slice(CONFIG_DOC.indexOf(heading));
      return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]!);
    };
    expect(keyRows('## Keys')).toEqual(expect.arrayContaining([...CONFIG_KEYS]));
    expect(keyRows('### Overrides')).toEqual(expect.arrayContaining([...OVERRIDE_KEYS]));
  });

  it('has the current rule options (npm run docs regenerates them)', () => {
    const between = /<!-- options:start -->\n([\s\S]*?)<!-- options:end -->/.exec(CONFIG_DOC);
    expect(between, 'docs/config.md has no options:start / options:end markers').not.toBeNull();
    expect(between![1]).toBe(optionsReference());
  });
});
