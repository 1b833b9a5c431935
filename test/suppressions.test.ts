/** Bulk suppressions (ESLint's semantics): the pure bookkeeping, then the CLI through main(argv, io). */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResult } from '../src/lint-result.js';
import {
  applySuppressions,
  pruneSuppressions,
  recordSuppressions,
  type Suppressions,
} from '../src/runner/suppressions.js';
import type { LintMessage } from '../src/types.js';
import { runCli } from './helpers.js';
const CWD = '/repo';

function message(ruleId: string | null, line: number, severity: 1 | 2 = 2): LintMessage {
  return { ruleId, severity, message: `${ruleId} at ${line}`, line, column: 1 };
}

const twoFloating = () =>
  buildResult('/repo/src/a.ts', [
    message('floating-promise', 1),
    message('floating-promise', 2),
    message('await-in-loop', 3, 1),
  ]);

describe('suppression bookkeeping', () => {
  it('records error-level counts per file and rule, with paths relative to cwd and / separators', () => {
    const recorded = recordSuppressions({}, [twoFloating(), buildResult('/repo/clean.ts', [])], CWD);
    expect(JSON.parse(JSON.stringify(recorded))).toEqual({ 'src/a.ts': { 'floating-promise': { count: 2 } } });
  });

  it('--suppress-rule records only the named rules and keeps other entries', () => {
    const existing: Suppressions = { 'old.ts': { 'busy-wait': { count: 1 } } };
    const recorded = recordSuppressions(
      existing,
      [buildResult('/repo/src/a.ts', [message('floating-promise', 1), message('async-executor', 2)])],
      CWD,
      ['async-executor'],
    );
    expect(JSON.parse(JSON.stringify(recorded))).toEqual({
      'old.ts': { 'busy-wait': { count: 1 } },
      'src/a.ts': { 'async-executor': { count: 1 } },
    });
  });

  it('suppresses findings up to the count, never warnings, and marks them as ESLint does', () => {
    const { results, unused } = applySuppressions(
      [twoFloating()],
      { 'src/a.ts': { 'floating-promise': { count: 2 } } },
      CWD,
    );
    expect(results[0]!.messages.map((m) => m.ruleId)).toEqual(['await-in-loop']);
    expect(results[0]!.errorCount).toBe(0);
    expect(results[0]!.warningCount).toBe(1);
    expect(results[0]!.suppressedMessages.map((m) => m.suppressions)).toEqual([
      [{ kind: 'file', justification: '' }],
      [{ kind: 'file', justification: '' }],
    ]);
    expect(Object.keys(unused)).toEqual([]);
  });

  it('over the count, every finding of that rule in the file is reported (a count cannot tell which is new)', () => {
    const { results } = applySuppressions([twoFloating()], { 'src/a.ts': { 'floating-promise': { count: 1 } } }, CWD);
    expect(results[0]!.errorCount).toBe(2);
    expect(results[0]!.suppressedMessages).toEqual([]);
  });

  it('under the count, the difference is unused; files not linted this run are not judged', () => {
    const suppressions: Suppressions = {
      'src/a.ts': { 'floating-promise': { count: 5 }, 'busy-wait': { count: 1 } },
      'not-linted.ts': { 'busy-wait': { count: 3 } },
    };
    const { results, unused } = applySuppressions([twoFloating()], suppressions, CWD);
    expect(results[0]!.errorCount).toBe(0);
    expect(JSON.parse(JSON.stringify(unused))).toEqual({
      'src/a.ts': { 'floating-promise': { count: 3 }, 'busy-wait': { count: 1 } },
    });
  });

  it('pruning lowers counts by what went unused and drops entries and files that reach zero', () => {
    const suppressions: Suppressions = {
      'src/a.ts': { 'floating-promise': { count: 5 }, 'busy-wait': { count: 1 } },
      'gone.ts': { 'busy-wait': { count: 1 } },
    };
    const unused: Suppressions = {
      'src/a.ts': { 'floating-promise': { count: 3 }, 'busy-wait': { count: 1 } },
      'gone.ts': { 'busy-wait': { count: 1 } },
    };
    expect(JSON.parse(JSON.stringify(pruneSuppressions(suppressions, unused)))).toEqual({
      'src/a.ts': { 'floating-promise': { count: 2 } },
    });
  });
});

const TWO_FLOATING =
  'declare function save(x: number): Promise<void>;\nexport function run() {\n  save(1);\n  save(2);\n}\n';
const ONE_FLOATING = 'declare function save(x: number): Promise<void>;\nexport function run() {\n  save(1);\n}\n';

function project(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'asynclint-suppress-'));
  mkdirSync(path.join(folder, 'src', 'deep'), { recursive: true });
  writeFileSync(path.join(folder, 'src', 'deep', 'a.ts'), TWO_FLOATING);
  return folder;
}

function run(args: string[], cwd: string) {
  return runCli(['--no-cache', ...args], { cwd });
}

describe('asynclint --suppress-all / --prune-suppressions', () => {
  it('records, then reports nothing, then fails on unused suppressions until they are pruned', async () => {
    const cwd = project();
    expect((await run(['src'], cwd)).code).toBe(1);
    expect(await run(['--suppress-all', 'src'], cwd)).toMatchObject({ code: 0, stdout: '' });
    const file = path.join(cwd, 'asynclint-suppressions.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'src/deep/a.ts': { 'floating-promise': { count: 2 } } });
    expect(await run(['src'], cwd)).toMatchObject({ code: 0, stdout: '' });

    // A new finding in the file: all of the rule's findings there are reported again.
    writeFileSync(path.join(cwd, 'src', 'deep', 'a.ts'), `${TWO_FLOATING}export function more() {\n  save(3);\n}\n`);
    expect((await run(['src'], cwd)).stdout).toContain('3 problems');

    // One fixed: unused suppression, exit 2, until pruned.
    writeFileSync(path.join(cwd, 'src', 'deep', 'a.ts'), ONE_FLOATING);
    const unused = await run(['src'], cwd);
    expect(unused.code).toBe(2);
    expect(unused.stderr).toContain('do not occur anymore; re-run with --prune-suppressions');
    expect(unused.stderr).toContain('src/deep/a.ts  floating-promise  1 unused');
    expect((await run(['--pass-on-unpruned-suppressions', 'src'], cwd)).code).toBe(0);
    expect((await run(['--prune-suppressions', 'src'], cwd)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'src/deep/a.ts': { 'floating-promise': { count: 1 } } });
    expect((await run(['src'], cwd)).code).toBe(0);
  });

  it('--suppressions-location names the file; a named file that does not exist is an error unless recording', async () => {
    const cwd = project();
    const missing = await run(['--suppressions-location', 'ci/suppressions.json', 'src'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/does not exist; create it with --suppress-all/);
    mkdirSync(path.join(cwd, 'ci'));
    expect(
      (
        await run(
          ['--suppress-rule', 'floating-promise', '--suppressions-location', 'ci/suppressions.json', 'src'],
          cwd,
        )
      ).code,
    ).toBe(0);
    expect(existsSync(path.join(cwd, 'ci', 'suppressions.json'))).toBe(true);
    expect(existsSync(path.join(cwd, 'asynclint-suppressions.json'))).toBe(false);
    expect((await run(['--suppressions-location', 'ci/suppressions.json', 'src'], cwd)).code).toBe(0);
  });

  it('refuses conflicting flags, unknown rules, --stdin and a malformed file in one line with exit 2', async () => {
    const cwd = project();
    for (const args of [
      ['--suppress-all', '--suppress-rule', 'floating-promise'],
      ['--suppress-all', '--prune-suppressions'],
      ['--suppress-rule', 'no-such-rule'],
      ['--stdin', '--suppress-all'],
    ]) {
      const result = await run([...args, ...(args.includes('--stdin') ? [] : ['src'])], cwd);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat .*\.[jt]s:\d+/);
    }
    writeFileSync(
      path.join(cwd, 'asynclint-suppressions.json'),
      '{ "src/deep/a.ts": { "floating-promise": { "count": -1 } } }',
    );
    const malformed = await run(['src'], cwd);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/should map files to rules to \{ "count"/);
  });
});
