/** Which packages of a workspace only commands use, and what a cached result drawn from it depends on. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFile } from '../src/languages/js/analysis/index.js';
import { packageFactsFor, resetProcessProject } from '../src/languages/js/project/index.js';
import { pnpmWorkspacePatterns, workspacePatternTest } from '../src/languages/js/project/workspace.js';
import { runCli } from './helpers.js';

type Manifest = Record<string, unknown>;

/** A workspace in a new folder: its listing file, and a manifest and source file per package folder. */
function workspace(listing: Record<string, string>, packages: Record<string, Manifest>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'asynclint-workspace-'));
  for (const [file, text] of Object.entries(listing)) writeFileSync(path.join(root, file), text);
  for (const [folder, manifest] of Object.entries(packages)) {
    mkdirSync(path.join(root, folder, 'src'), { recursive: true });
    writeFileSync(path.join(root, folder, 'package.json'), JSON.stringify(manifest));
    writeFileSync(path.join(root, folder, 'src', 'index.js'), SOURCE);
  }
  return root;
}

const SOURCE = [
  "import { readFile } from 'node:fs/promises';",
  'export async function show(directory) {',
  "  const first = await readFile(`${directory}/a`, 'utf8');",
  "  const second = await readFile(`${directory}/b`, 'utf8');",
  '  return first + second;',
  '}',
  '',
].join('\n');

const PNPM_LISTING = {
  'pnpm-workspace.yaml': "packages:\n  - 'cli'\n  - commands/*\n  - \"lib\"\n  - '!commands/legacy'\n",
};
const CLI = { name: 'tool', bin: 'bin.js', devDependencies: { 'tool-commands-show': 'workspace:*' } };
const COMMANDS = { name: 'tool-commands-show', main: 'src/index.js', dependencies: { 'tool-lib': 'workspace:*' } };
const LIB = { name: 'tool-lib', main: 'src/index.js' };

function contextOf(root: string, folder: string) {
  resetProcessProject();
  const file = path.join(root, folder, 'src', 'index.js');
  return classifyFile(file, root, packageFactsFor(file));
}

describe('workspace listings', () => {
  it("reads pnpm-workspace.yaml's packages list, quoted or not, and nothing after it", () => {
    const yaml = 'packages:\n  - \'packages/*\'\n  - apps/** # all apps\n  - "!**/test/**"\ncatalog:\n  - x\n';
    expect(pnpmWorkspacePatterns(yaml)).toEqual(['packages/*', 'apps/**', '!**/test/**']);
  });

  it.each([
    ['packages/*', 'packages/core', true],
    ['packages/*', 'packages/core/src', false],
    ['packages/**/*', 'packages/integrations/node', true],
    ['**/test/**', 'packages/core/test/fixtures', true],
    ['**/test/**', 'test', true],
    ['**/test/**', 'packages/contest', false],
    ['plugin-*', 'plugin-react', true],
    ['plugin-*', 'plugins', false],
  ])('%s matches %s: %s', (pattern, folder, expected) => {
    expect(workspacePatternTest(pattern)(folder)).toBe(expected);
  });
});

describe('packages only commands use', () => {
  it('a package that only a command depends on, and what only it uses, run inside the command', () => {
    const root = workspace(PNPM_LISTING, { cli: CLI, 'commands/show': COMMANDS, lib: LIB });
    expect(contextOf(root, 'commands/show')).toEqual({
      context: 'one-shot',
      reason: 'in its workspace only commands use its package (tool)',
    });
    expect(contextOf(root, 'lib').context).toBe('one-shot');
  });

  it('one user that is no command keeps a package library code', () => {
    const server = { name: 'server', main: 'src/index.js', dependencies: { 'tool-lib': 'workspace:*' } };
    const root = workspace(PNPM_LISTING, { cli: CLI, 'commands/show': COMMANDS, lib: LIB, 'commands/server': server });
    expect(contextOf(root, 'commands/show').context).toBe('one-shot');
    expect(contextOf(root, 'lib').context).toBe('library');
  });

  it("another package's dev dependency does not count: its tests and build use it", () => {
    const tests = { name: 'e2e', main: 'src/index.js', devDependencies: { 'tool-lib': 'workspace:*' } };
    const root = workspace(PNPM_LISTING, { cli: CLI, 'commands/show': COMMANDS, lib: LIB, 'commands/e2e': tests });
    expect(contextOf(root, 'lib').context).toBe('one-shot');
  });

  it('nothing that depends on a package, or a package the listing leaves out, says nothing', () => {
    const root = workspace(PNPM_LISTING, { cli: CLI, lib: LIB, 'commands/legacy': COMMANDS });
    expect(contextOf(root, 'lib').context).toBe('library');
    expect(contextOf(root, 'commands/legacy').context).toBe('library');
  });

  it("reads npm's and yarn's workspaces field", () => {
    const listing = { 'package.json': JSON.stringify({ private: true, workspaces: { packages: ['cli', 'lib'] } }) };
    const cli = { name: 'tool', bin: 'bin.js', dependencies: { 'tool-lib': '*' } };
    const root = workspace(listing, { cli, lib: LIB });
    expect(contextOf(root, 'lib').context).toBe('one-shot');
  });

  it('a cached result is linted again once the lockfile shows a new user of the package', async () => {
    const root = workspace(PNPM_LISTING, { cli: CLI, 'commands/show': COMMANDS, lib: LIB, 'commands/server': {} });
    const lint = async () => {
      const run = await runCli(['--rule', 'sequential-await:warn', '--cache', '-f', 'json', 'lib'], { cwd: root });
      return (JSON.parse(run.stdout) as { messages: unknown[] }[]).flatMap((result) => result.messages).length;
    };
    expect(await lint()).toBe(0);
    const server = { name: 'server', main: 'src/index.js', dependencies: { 'tool-lib': 'workspace:*' } };
    writeFileSync(path.join(root, 'commands', 'server', 'package.json'), JSON.stringify(server));
    writeFileSync(path.join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    expect(await lint()).toBe(1);
  });
});
