// The real-world benchmark counts a bug-fix case in recall only when the maintainers kept its fix:
// mergeStatus (bench/realworld/common.mjs) asks the mirror whether the fix commit is on the
// default branch, and falls back to the case's hand-checked `merged` record when it is not.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const COMMON = path.join(ROOT, 'bench', 'realworld', 'common.mjs');

let scratch = '';
let onMain = '';
let declined = '';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' }).trim();

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'asynclint-merge-status-'));
  const work = path.join(scratch, 'work');
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  writeFileSync(path.join(work, 'a.js'), 'for (const x of xs) await f(x)\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'base');
  writeFileSync(path.join(work, 'a.js'), 'await Promise.all(xs.map(f))\n');
  git(work, 'commit', '-q', '-am', 'fix on main');
  onMain = git(work, 'rev-parse', 'HEAD');
  // A pull request's commit that main never took: main keeps its own line.
  git(work, 'checkout', '-q', '-b', 'pr', 'HEAD~1');
  writeFileSync(path.join(work, 'a.js'), 'await Promise.allSettled(xs.map(f))\n');
  git(work, 'commit', '-q', '-am', 'declined fix');
  declined = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', 'main');
  // The mirror is bare and its HEAD is the default branch; the pull request's ref is kept.
  execFileSync('git', ['clone', '-q', '--mirror', work, path.join(scratch, 'mirrors', 'o+r', 'repo')]);
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** mergeStatus in a child process, so that common.mjs reads this test's ASYNCLINT_MIRRORS. */
function status(fix: Record<string, unknown>): string {
  const script = `import(${JSON.stringify(COMMON)}).then((m) => console.log(m.mergeStatus('o/r', ${JSON.stringify(fix)})))`;
  return execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ASYNCLINT_MIRRORS: path.join(scratch, 'mirrors') },
  }).trim();
}

describe('mergeStatus', () => {
  it('is ancestor for a fix commit on the default branch, whatever the record says', () => {
    expect(status({ fix: onMain })).toBe('ancestor');
    expect(status({ fix: onMain, merged: false })).toBe('ancestor');
  });

  it('takes the hand-checked record for a commit off the default branch', () => {
    expect(status({ fix: declined, merged: true })).toBe('merged');
    expect(status({ fix: declined, merged: false })).toBe('not merged');
    expect(status({ fix: declined })).toBe('unchecked');
  });

  it("counts a maintainer's own fix on a branch that was rewritten before the merge", () => {
    expect(status({ fix: declined, merged: false, maintainerFix: 'a maintainer, 60 commits' })).toBe('maintainer');
  });
});

describe('the bug-fix data', () => {
  const dir = path.join(ROOT, 'bench', 'realworld', 'bugfixes');
  const cases = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(path.join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line): Record<string, unknown> => ({ name, ...(JSON.parse(line) as Record<string, unknown>) })),
    );

  it('records merged as a boolean with its evidence, or not at all', () => {
    const bad = cases.filter(
      (c) =>
        (c.merged !== undefined || c.mergedEvidence !== undefined) &&
        (typeof c.merged !== 'boolean' || typeof c.mergedEvidence !== 'string' || c.mergedEvidence.length < 10),
    );
    expect(bad.map((c) => `${c.name} ${String(c.fix).slice(0, 8)}`)).toEqual([]);
  });
});
