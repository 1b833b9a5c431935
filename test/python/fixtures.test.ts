/**
 * Every Python fixture's findings must equal its `# expect: <rule-id>@<column>` markers, as the
 * JS fixtures' equal theirs (test/fixtures.test.ts): fixtures/python/<rule-id>/*.py, linted with
 * that rule alone, `# options: [...]` in the first lines, `# no diagnostics` for a clean file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOC_HEADINGS, FIXTURES, loadFixtures, ROOT } from '../helpers.js';
import { pythonRules } from '../../rules/python/index.js';
import { rules as jsRules } from '../../rules/index.js';
import { python } from '../../src/languages/python/index.js';

const PYTHON_FIXTURES = path.join(FIXTURES, 'python');
const fixtures = loadFixtures(PYTHON_FIXTURES, (name) => python.owns(name), '#');

beforeAll(() => python.prepare!());

describe('Python fixture folders', () => {
  it('every Python rule has reported and clean fixtures, and every folder belongs to a rule', () => {
    for (const ruleId of Object.keys(pythonRules)) {
      const mine = fixtures.filter((fixture) => fixture.ruleId === ruleId);
      expect(
        mine.some((fixture) => fixture.expected.length > 0),
        `${ruleId} has no reported fixture`,
      ).toBe(true);
      expect(
        mine.some((fixture) => fixture.declaredClean),
        `${ruleId} has no clean fixture`,
      ).toBe(true);
    }
    for (const entry of readdirSync(PYTHON_FIXTURES, { withFileTypes: true }))
      if (entry.isDirectory()) expect(Object.keys(pythonRules)).toContain(entry.name);
  });
});

describe('Python fixtures', () => {
  it.each(fixtures.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    if (fixture.declaredClean) expect(fixture.expected, 'a "no diagnostics" file has expect markers').toEqual([]);
    const rule = pythonRules[fixture.ruleId]!;
    const { result } = python.lintText(fixture.text, {
      filename: fixture.file,
      cwd: FIXTURES,
      rules: [{ id: fixture.ruleId, rule, severity: 2, options: fixture.options }],
      reportUnusedDisableDirectives: 2,
    });
    expect(
      result.messages.filter((message) => message.fatal),
      'fixture does not parse',
    ).toEqual([]);
    const actual = result.messages.map((message) => `${message.line}:${message.column}:${message.ruleId}`);
    expect(actual).toEqual(fixture.expected);
  });
});

/** As in test/fixtures.test.ts: a file stated tooling is linted as one-shot, `tooling` beside `one-shot` in `contexts`. */
describe('Python: tooling behaves as one-shot', () => {
  const withTooling = (ruleId: string, options: unknown[]): unknown[] => {
    const defaults = (pythonRules[ruleId]!.meta.defaultOptions?.[0] ?? {}) as { contexts?: string[] };
    const given = (options[0] ?? {}) as { contexts?: string[] };
    const contexts = given.contexts ?? defaults.contexts;
    if (!contexts?.includes('one-shot')) return options;
    return [{ ...given, contexts: [...contexts, 'tooling'] }, ...options.slice(1)];
  };
  it.each(fixtures.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    const findings = (context: string, options: unknown[]) =>
      python
        .lintText(fixture.text, {
          filename: fixture.file,
          cwd: FIXTURES,
          settings: { asynclint: { context } },
          rules: [{ id: fixture.ruleId, rule: pythonRules[fixture.ruleId]!, severity: 2, options }],
        })
        .result.messages.map((message) => `${message.line}:${message.column} ${message.message}`);
    expect(findings('tooling', withTooling(fixture.ruleId, fixture.options))).toEqual(
      findings('one-shot', fixture.options),
    );
  });
});

describe('docs of the rules only Python has', () => {
  const pythonOnly = Object.keys(pythonRules).filter((id) => !(id in jsRules));
  it.each(pythonOnly)('docs/rules/%s.md: fixed headings, Example reported, Use instead clean', (ruleId) => {
    const markdown = readFileSync(path.join(ROOT, 'docs', 'rules', `${ruleId}.md`), 'utf8');
    const headings = [...markdown.matchAll(/^## (.*)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(DOC_HEADINGS);
    const blockAfter = (heading: string) =>
      new RegExp(`## ${heading}\\n\\n\`\`\`python\\n([\\s\\S]*?)\`\`\``).exec(markdown)?.[1];
    const lint = (code: string) =>
      python.lintText(code, {
        filename: path.join(ROOT, 'example.py'),
        cwd: ROOT,
        rules: [{ id: ruleId, rule: pythonRules[ruleId]!, severity: 2, options: [] }],
      }).result.messages;
    expect(lint(blockAfter('Example')!).length).toBeGreaterThan(0);
    expect(lint(blockAfter('Use instead')!)).toEqual([]);
  });
});
