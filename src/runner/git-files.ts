/**
 * Which files git says changed, for `--changed [--since <ref>]` and `--staged`. The CLI keeps
 * only those of them that a normal run over the same paths would lint (extensions, .gitignore,
 * config `ignores`), so these options narrow a run and never widen it.
 *
 * `--changed` compares the working tree (staged and unstaged edits) with the merge base of
 * `<ref>` and HEAD, the changes a pull request from this branch would bring, and adds untracked
 * files that are not ignored. Without `--since`, the ref is the remote's default branch
 * (`origin/HEAD`), else a local `main` or `master`; with none of those, HEAD (uncommitted work).
 *
 * `--staged` takes the files staged for commit, and lints their working-tree copies: under
 * lint-staged (which sets unstaged edits aside first) that is the staged content.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr;
  const text = stderr && stderr.trim() ? stderr : (error as Error).message;
  return text
    .trim()
    .split('\n')[0]!
    .replace(/^fatal:\s*/, '');
}

/** The repository's top folder; not a repository (or no git) is a usage error. */
export function gitTopLevel(cwd: string, flag: string): string {
  try {
    return git(['rev-parse', '--show-toplevel'], cwd).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`${flag} needs git, and git was not found.`);
    throw new UsageError(`${flag} needs a git repository: ${cwd} is not inside one.`);
  }
}

function revisionExists(ref: string, cwd: string): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
    return true;
  } catch {
    return false;
  }
}

/** origin/HEAD, else main or master (local or on origin), else null. */
function defaultBranch(cwd: string): string | null {
  try {
    const remoteHead = git(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], cwd).trim();
    if (remoteHead) return remoteHead.replace(/^refs\/remotes\//, '');
  } catch {
    // No remote default branch recorded: try the usual names.
  }
  return ['main', 'master', 'origin/main', 'origin/master'].find((ref) => revisionExists(ref, cwd)) ?? null;
}

/** The commit `--changed` compares with: the merge base of the ref and HEAD. */
export function changedBase(cwd: string, since: string | undefined): string {
  if (!revisionExists('HEAD', cwd)) {
    // A repository with no commit yet: everything in it is new.
    if (since !== undefined) throw new UsageError(`--since ${since}: the repository has no commits yet.`);
    return '';
  }
  const ref = since ?? defaultBranch(cwd) ?? 'HEAD';
  if (!revisionExists(ref, cwd)) throw new UsageError(`--since ${ref}: no such commit, branch or tag.`);
  try {
    return git(['merge-base', ref, 'HEAD'], cwd).trim();
  } catch (error) {
    const reason = firstLine(error) || 'no common ancestor (in a shallow clone, fetch more history)';
    throw new UsageError(`--changed: cannot find where ${ref} and HEAD meet: ${reason}`);
  }
}

function splitNul(output: string, root: string): string[] {
  return output
    .split('\0')
    .filter(Boolean)
    .map((relative) => path.resolve(root, relative));
}

/** Absolute paths of files changed since the base (see the header), that still exist. */
export function changedFiles(cwd: string, since: string | undefined): string[] {
  const root = gitTopLevel(cwd, since === undefined ? '--changed' : '--since');
  const base = changedBase(cwd, since);
  // -C root: paths relative to the top folder, whatever subfolder the run started in.
  const changed = base
    ? git(['-C', root, 'diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', base, '--'], cwd)
    : git(['-C', root, 'ls-files', '-z', '--cached'], cwd);
  const untracked = git(['-C', root, 'ls-files', '-z', '--others', '--exclude-standard'], cwd);
  return [...new Set([...splitNul(changed, root), ...splitNul(untracked, root)])]
    .filter((file) => existsSync(file))
    .sort();
}

/** Absolute paths of files staged for commit (added, copied, modified, renamed). */
export function stagedFiles(cwd: string): string[] {
  const root = gitTopLevel(cwd, '--staged');
  const staged = git(['-C', root, 'diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR'], cwd);
  return splitNul(staged, root)
    .filter((file) => existsSync(file))
    .sort();
}
