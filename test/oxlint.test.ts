/**
 * The plugin inside oxlint (`jsPlugins`) finds what it finds inside ESLint, on every fixture, in
 * one oxlint run over all of them. One run matters: oxlint hands every file the same
 * `sourceCode` and `scopeManager` objects, so a cache keyed by those would answer later files
 * from the first one and their findings would vanish. oxlint has no type information, so typed
 * fixtures are compared with ESLint without a TypeScript program.
 * Loads the built plugin (dist/, built by `npm test` before vitest runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable, FIXTURES, lintWithEslint, loadFixtures, ROOT } from './helpers.js';

const fixtures = loadFixtures();
const BUILT_PLUGIN = path.join(ROOT, 'dist/src/languages/js/eslint-plugin/index.js');
const OXLINT = path.join(ROOT, 'node_modules/oxlint/bin/oxlint');

interface OxlintDiagnostic {
  message: string;
  code: string;
  filename: string;
  labels: { span: { line: number; column: number } }[];
}

/** oxlint's config: no built-in rules, and each fixture's own rule with its options for that file alone. */
function oxlintConfig(): object {
  return {
    plugins: [],
    categories: { correctness: 'off' },
    jsPlugins: [BUILT_PLUGIN],
    overrides: fixtures.map((fixture) => ({
      // oxlint matches override globs against paths relative to the config file, which lives
      // in a temporary folder: `**/` plus the path inside fixtures/ names exactly one file.
      files: [`**/fixtures/${path.relative(FIXTURES, fixture.file)}`],
      rules: { [`asynclint/${fixture.ruleId}`]: ['error', ...fixture.options] },
    })),
  };
}

/** `asynclint(floating-promise)` -> `asynclint/floating-promise`, as ESLint names it. */
function eslintRuleId(code: string): string {
  const match = /^([\w-]+)\(([\w-]+)\)$/.exec(code);
  return match ? `${match[1]}/${match[2]}` : code;
}

let workFolder = '';
const findingsByFile = new Map<string, { ruleId: string; line: number; column: number; message: string }[]>();

beforeAll(() => {
  workFolder = mkdtempSync(path.join(tmpdir(), 'asynclint-oxlint-'));
  const configPath = path.join(workFolder, '.oxlintrc.json');
  writeFileSync(configPath, JSON.stringify(oxlintConfig()));
  const files = fixtures.map((fixture) => path.relative(FIXTURES, fixture.file));
  const run = spawnSync(process.execPath, [OXLINT, '-c', configPath, '-f', 'json', ...files], {
    cwd: FIXTURES,
    encoding: 'utf8',
  });
  // Exit 1 means findings; anything else (a plugin that failed to load, a bad config) is a failure.
  if (run.status !== 0 && run.status !== 1) throw new Error(`oxlint exited ${run.status}: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { diagnostics: OxlintDiagnostic[]; number_of_files: number };
  expect(report.number_of_files).toBe(fixtures.length);
  for (const diagnostic of report.diagnostics) {
    const file = path.resolve(FIXTURES, diagnostic.filename);
    const { line, column } = diagnostic.labels[0]!.span;
    const list = findingsByFile.get(file) ?? [];
    list.push({ ruleId: eslintRuleId(diagnostic.code), line, column, message: diagnostic.message });
    findingsByFile.set(file, list);
  }
});

afterAll(() => {
  if (workFolder) rmSync(workFolder, { recursive: true, force: true });
});

const byPosition = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

describe('parity with ESLint inside oxlint (jsPlugins)', () => {
  it('reports something in many files, not only the first one', () => {
    expect(findingsByFile.size).toBeGreaterThan(20);
  });

  it.each(fixtures.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    const eslint = comparable(lintWithEslint(fixture.text, fixture.file, fixture.ruleId, fixture.options)).sort(
      byPosition,
    );
    const oxlint = comparable(findingsByFile.get(fixture.file) ?? []).sort(byPosition);
    expect(oxlint).toEqual(eslint);
  });
});
