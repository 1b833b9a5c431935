/**
 * CLI and ESLint on a realistic multi-file project (test/projects/order-service: an express
 * service, a store, a mailer, a seed script and a test, with disable comments of every kind):
 * the same findings, rule ids and text, except for the one documented difference. The CLI honours
 * `eslint-disable` comments that name an upstream rule ours replaces (`no-await-in-loop`,
 * `n/no-sync`, ...) and `asynclint-disable` comments; inside ESLint only ESLint's own comments
 * naming `asynclint/<id>` apply, so there those findings are reported.
 * The CLI runs through main(argv, io), in this process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import nodePlugin from 'eslint-plugin-n';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/languages/js/eslint-plugin/index.js';
import { rules } from '../rules/index.js';
import { ROOT, runCli } from './helpers.js';

const PROJECT = path.join(ROOT, 'test', 'projects', 'order-service');

interface Finding {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
}

interface Result {
  filePath: string;
  messages: Finding[];
  suppressedMessages: Finding[];
}

/** `file line:column rule message`: what both sides must agree on. */
function describeFindings(results: readonly Result[], pick: (result: Result) => Finding[]): string[] {
  return results
    .flatMap((result) =>
      pick(result).map(
        (finding) =>
          `${path.relative(PROJECT, result.filePath)} ${finding.line}:${finding.column} ${finding.ruleId} ${finding.message}`,
      ),
    )
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

const UPSTREAM_NAMES = new Set(Object.values(rules).flatMap((rule) => rule.meta.docs.upstream ?? []));

/**
 * The lines only the CLI suppresses: the line after an `asynclint-disable-next-line` comment, or
 * after an `eslint-disable-next-line` comment naming upstream rules only. Read from the text, so
 * the test does not trust the directive code it checks.
 */
function cliOnlySuppressedLines(file: string): number[] {
  const lines: number[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const match = /\/\/\s*(asynclint|eslint)-disable-next-line\s+(.+?)(?:\s+--\s.*)?$/.exec(text);
      if (!match) return;
      const names = match[2]!.split(',').map((name) => name.trim());
      if (match[1] === 'asynclint' || names.every((name) => UPSTREAM_NAMES.has(name))) lines.push(index + 2);
    });
  return lines;
}

let cli: Result[] = [];
let eslint: Result[] = [];

beforeAll(async () => {
  // The project's package.json says `"asynclint": { "extends": "strict" }`; ESLint gets the same preset.
  const run = await runCli(['--no-cache', '-f', 'json', '.'], { cwd: PROJECT });
  if (run.code !== 1) throw new Error(`asynclint exited ${run.code}: ${run.stderr}`);
  cli = JSON.parse(run.stdout) as Result[];
  const config = [
    // As in a project that used eslint-plugin-n before: a comment naming `n/no-sync` needs the
    // plugin loaded, or ESLint reports the comment itself ("Definition for rule ... not found").
    { plugins: { n: nodePlugin } },
    ...(plugin.configs.strict as Linter.Config[]),
    // The upstream rules are off, so comments naming them suppress nothing, which is the difference under test.
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ] as Linter.Config[];
  const engine = new ESLint({ cwd: PROJECT, overrideConfigFile: true, overrideConfig: config });
  eslint = (await engine.lintFiles(['.'])) as unknown as Result[];
});

describe('CLI and ESLint on a realistic project', () => {
  it('lint the same files and every rule of the project has something to say', () => {
    expect(cli.map((result) => path.relative(PROJECT, result.filePath)).sort()).toEqual(
      eslint.map((result) => path.relative(PROJECT, result.filePath)).sort(),
    );
    const reported = new Set(
      cli.flatMap((result) => [...result.messages, ...result.suppressedMessages].map((finding) => finding.ruleId)),
    );
    for (const id of Object.keys(rules).filter((ruleId) => ruleId !== 'busy-wait'))
      expect(reported, id).toContain(`asynclint/${id}`);
  });

  it('find the same problems, suppressed or not', () => {
    const all = (result: Result) => [...result.messages, ...result.suppressedMessages];
    expect(describeFindings(cli, all)).toEqual(describeFindings(eslint, all));
  });

  it('differ only where the CLI honours a comment ESLint cannot: upstream rule names and asynclint-disable', () => {
    const cliReported = new Set(describeFindings(cli, (result) => result.messages));
    const eslintReported = describeFindings(eslint, (result) => result.messages);
    // `file line:column ...` -> `file:line`
    const onlyInEslint = eslintReported
      .filter((finding) => !cliReported.has(finding))
      .map((finding) => finding.replace(/^(\S+) (\d+):.*$/, '$1:$2'));
    const expected = cli.flatMap((result) =>
      cliOnlySuppressedLines(result.filePath).map((line) => `${path.relative(PROJECT, result.filePath)}:${line}`),
    );
    expect(onlyInEslint.sort()).toEqual(expected.sort());
    // The project has each kind of comment, so the difference is real, not vacuous.
    expect(expected).toEqual(
      expect.arrayContaining(['src/routes/orders.js:15', 'src/routes/health.js:6', 'src/lib/notify.ts:25']),
    );
    // Everything the CLI reports ESLint reports too.
    for (const finding of cliReported) expect(eslintReported).toContain(finding);
  });

  it('honour eslint-disable comments that name asynclint/<id> in both', () => {
    const suppressedBoth = (results: Result[]) =>
      describeFindings(results, (result) => result.suppressedMessages).filter((line) =>
        line.startsWith('src/routes/orders.js 21:'),
      );
    expect(suppressedBoth(cli)).toHaveLength(1);
    expect(suppressedBoth(eslint)).toEqual(suppressedBoth(cli));
  });
});
