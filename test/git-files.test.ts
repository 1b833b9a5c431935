/**
 * --changed, --since and --staged against a temporary git repository, through main(argv, io);
 * the run outside a repository spawns the binary, to hand git an environment of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');
const CODE = 'export const value = 1;\n';

let repo: string;

function git(...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd: repo, encoding: 'utf8' },
  );
}

function write(relative: string, text = CODE): void {
  mkdirSync(path.dirname(path.join(repo, relative)), { recursive: true });
  writeFileSync(path.join(repo, relative), text);
}

/** The files a run linted, relative to the repository, from the JSON report. */
async function linted(args: string[], cwd = repo): Promise<{ code: number; files: string[]; stderr: string }> {
  const result = await runCli(['--no-cache', '-f', 'json', ...args], { cwd });
  const files = result.stdout
    ? (JSON.parse(result.stdout) as { filePath: string }[]).map((entry) =>
        path.relative(repo, entry.filePath).split(path.sep).join('/'),
      )
    : [];
  return { code: result.code, files: files.sort(), stderr: result.stderr };
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'asynclint-git-'));
  git('init', '-q', '-b', 'main');
  write('.gitignore', 'ignored/\n');
  write('asynclint.config.json', '{ "extends": "recommended", "ignores": ["legacy/**"] }\n');
  for (const file of [
    'src/unchanged.ts',
    'src/edited-on-branch.ts',
    'src/edited-in-tree.ts',
    'src/staged.ts',
    'src/deleted.ts',
    'legacy/old.ts',
  ])
    write(file);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
  write('src/edited-on-branch.ts', `${CODE}export const more = 2;\n`);
  git('commit', '-q', '-am', 'on the branch');
  write('src/edited-in-tree.ts', `${CODE}// edited\n`);
  write('src/staged.ts', `${CODE}// staged\n`);
  git('add', 'src/staged.ts');
  rmSync(path.join(repo, 'src/deleted.ts'));
  write('src/untracked.ts');
  write('src/notes.txt', 'not code\n');
  write('ignored/generated.ts');
  write('legacy/old.ts', `${CODE}// changed, but ignored by the config\n`);
});

describe('--changed', () => {
  it('lints files changed since the merge base with the default branch, and untracked ones, that a normal run would lint', async () => {
    const result = await linted(['--changed']);
    expect(result.code).toBe(0);
    expect(result.files).toEqual([
      'src/edited-in-tree.ts',
      'src/edited-on-branch.ts',
      'src/staged.ts',
      'src/untracked.ts',
    ]);
  });

  it('--since HEAD: only uncommitted and untracked files', async () => {
    expect((await linted(['--since', 'HEAD'])).files).toEqual([
      'src/edited-in-tree.ts',
      'src/staged.ts',
      'src/untracked.ts',
    ]);
  });

  it('keeps to the paths given, and works from a subfolder', async () => {
    write('other/new.ts');
    expect((await linted(['--changed', 'src/edited-in-tree.ts', 'other'])).files).toEqual([
      'other/new.ts',
      'src/edited-in-tree.ts',
    ]);
    expect((await linted(['--changed', '.'], path.join(repo, 'other'))).files).toEqual(['other/new.ts']);
    rmSync(path.join(repo, 'other'), { recursive: true });
  });

  it('prefers the remote default branch (origin/HEAD): local commits not yet pushed count as changed', async () => {
    const clone = mkdtempSync(path.join(tmpdir(), 'asynclint-clone-'));
    execFileSync('git', ['clone', '-q', '-b', 'main', repo, clone]);
    writeFileSync(path.join(clone, 'src', 'unchanged.ts'), `${CODE}// committed, not pushed\n`);
    execFileSync(
      'git',
      [
        '-c',
        'user.name=Test',
        '-c',
        'user.email=test@example.com',
        '-c',
        'commit.gpgsign=false',
        'commit',
        '-q',
        '-am',
        'local',
      ],
      { cwd: clone },
    );
    const result = await runCli(['--no-cache', '-f', 'json', '--changed'], { cwd: clone });
    const files = (JSON.parse(result.stdout) as { filePath: string }[]).map((entry) =>
      path.relative(clone, entry.filePath),
    );
    expect(files).toEqual([path.join('src', 'unchanged.ts')]);
  });

  it('an unknown ref is one line and exit 2', async () => {
    const result = await linted(['--since', 'no-such-branch']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'asynclint: --since no-such-branch: no such commit, branch or tag.',
    ]);
  });
});

describe('--staged', () => {
  it('lints the staged files only', async () => {
    expect((await linted(['--staged'])).files).toEqual(['src/staged.ts']);
  });

  it('lints the working-tree copy of a staged file (what lint-staged and pre-commit leave there)', async () => {
    write('src/staged-then-edited.ts', CODE);
    git('add', 'src/staged-then-edited.ts');
    write(
      'src/staged-then-edited.ts',
      'declare function save(): Promise<void>;\nexport function run() {\n  save();\n}\n',
    );
    const result = await runCli(['--no-cache', '--staged', '-f', 'compact'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/staged-then-edited\.ts: line 3, col 3, Error - .*floating-promise/);
    git('rm', '-q', '-f', '--cached', 'src/staged-then-edited.ts');
    rmSync(path.join(repo, 'src/staged-then-edited.ts'));
  });

  it('cannot be combined with --changed', async () => {
    expect((await linted(['--staged', '--changed'])).code).toBe(2);
  });
});

describe('outside a git repository', () => {
  it('is one line and exit 2', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'asynclint-nogit-'));
    writeFileSync(path.join(folder, 'a.ts'), CODE);
    for (const flag of ['--changed', '--staged']) {
      const result = spawnSync(process.execPath, [BIN, '--no-cache', flag], {
        cwd: folder,
        encoding: 'utf8',
        env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(folder) },
      });
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([
        `asynclint: ${flag} needs a git repository: ${folder} is not inside one.`,
      ]);
    }
  });
});
