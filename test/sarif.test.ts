/**
 * SARIF output checked against the SARIF 2.1.0 JSON schema (as shipped by Microsoft's SARIF
 * multitool package, in JSON Schema 2020-12), plus what GitHub code scanning relies on:
 * fingerprints that survive line shifts, rule help, and percent-encoded artifact URIs.
 */
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../src/formatters/sarif.js';
import { buildResult } from '../src/lint-result.js';
import { readRuleDocs } from '../src/rule-docs.js';
import { rules } from '../rules/index.js';
import type { LintMessage, RuleMeta } from '../src/types.js';
import { validateSarif } from './sarif-schema.js';

const rulesMeta = Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.meta])) as Record<
  string,
  RuleMeta<string>
>;
const CWD = '/project';

function finding(line: number, ruleId: string | null = 'floating-promise', severity: 1 | 2 = 2): LintMessage {
  return { ruleId, severity, message: `finding on line ${line}`, line, column: 3, endLine: line, endColumn: 10 };
}

const SOURCE = ['export function run() {', '  save(a);', '  save(a);', '    save(b);', '}', ''].join('\n');

function sarifFor(filePath: string, messages: LintMessage[], source = SOURCE, ruleDocs?: Record<string, string>) {
  const output = formatSarif([buildResult(filePath, messages, [], source)], {
    cwd: CWD,
    rulesMeta,
    ...(ruleDocs ? { ruleDocs } : {}),
  });
  return JSON.parse(output) as {
    runs: {
      results: {
        partialFingerprints?: Record<string, string>;
        locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
      }[];
      tool: { driver: { rules: Record<string, { text: string; markdown?: string }>[] } };
    }[];
  };
}

function expectValid(log: unknown): void {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors?.slice(0, 3))).toEqual([]);
  expect(valid).toBe(true);
}

describe('SARIF against the 2.1.0 schema', () => {
  it('the schema rejects what it should (so a pass means something)', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validateSarif({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('a run with findings, a parse error, rule help and awkward file names is valid', async () => {
    const ruleDocs = await readRuleDocs(Object.keys(rules));
    const output = formatSarif(
      [
        buildResult('/project/src/a b#c/ünï.ts', [finding(2), finding(3, 'await-in-loop', 1)], [], SOURCE),
        buildResult(
          '/project/broken.ts',
          [{ ruleId: null, fatal: true, severity: 2, message: 'Parsing error', line: 1, column: 0 }],
          [],
          'const = ;\n',
        ),
        buildResult('/elsewhere/outside.ts', [finding(2)], [], SOURCE),
      ],
      { cwd: CWD, rulesMeta, ruleDocs },
    );
    expectValid(JSON.parse(output));
  });
});

describe('SARIF for GitHub code scanning', () => {
  it('fingerprints stay the same when lines shift and when indentation changes', () => {
    const before = sarifFor('/project/a.ts', [finding(2)]).runs[0]!.results[0]!.partialFingerprints!;
    const shifted = sarifFor(
      '/project/a.ts',
      [finding(4)],
      `// a new comment\n\n${SOURCE.replace('  save(a);', '      save(a);')}`,
    ).runs[0]!.results[0]!.partialFingerprints!;
    expect(before.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    expect(shifted).toEqual(before);
  });

  it('the same line twice gets occurrence 1 and 2; another line or rule gets another hash', () => {
    const results = sarifFor('/project/a.ts', [finding(2), finding(3), finding(4), finding(2, 'await-in-loop')])
      .runs[0]!.results;
    const hashes = results.map((result) => result.partialFingerprints!.primaryLocationLineHash!);
    // Sorted by position, then rule id: await-in-loop on line 2 comes first.
    const [otherRule, first, second, other] = hashes;
    expect(first!.split(':')[0]).toBe(second!.split(':')[0]);
    expect([first!.split(':')[1], second!.split(':')[1]]).toEqual(['1', '2']);
    expect(other!.split(':')[0]).not.toBe(first!.split(':')[0]);
    expect(otherRule!.split(':')[0]).not.toBe(first!.split(':')[0]);
  });

  it('percent-encodes #, ?, spaces, % and non-ASCII characters in relative URIs', () => {
    const uriOf = (file: string) =>
      sarifFor(file, [finding(2)]).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
    expect(uriOf('/project/src/a b#c/ünï?.ts')).toEqual({
      uri: 'src/a%20b%23c/%C3%BCn%C3%AF%3F.ts',
      uriBaseId: '%SRCROOT%',
    });
    expect(uriOf('/project/100%.ts').uri).toBe('100%25.ts');
    expect(uriOf('/elsewhere/x #1.ts')).toEqual({ uri: 'file:///elsewhere/x%20%231.ts' });
  });

  it('each rule has a full description, help text and Markdown from its docs page, and a help URI', async () => {
    const ruleDocs = await readRuleDocs(['await-in-loop']);
    const descriptor = sarifFor('/project/a.ts', [], SOURCE, ruleDocs).runs[0]!.tool.driver.rules.find(
      (rule) => (rule as unknown as { id: string }).id === 'await-in-loop',
    ) as unknown as Record<string, { text: string; markdown?: string } | string>;
    const help = descriptor.help as { text: string; markdown: string };
    expect(help.markdown).toBe(ruleDocs['await-in-loop']);
    expect(help.text).toContain('Why is this bad?');
    expect(help.text).not.toContain('```');
    expect((descriptor.fullDescription as { text: string }).text).toMatch(
      /^Reports an await that runs once per loop iteration/,
    );
    expect(descriptor.helpUri).toBe(rulesMeta['await-in-loop']!.docs.url);
  });

  it('without docs, help falls back to the description and a link', () => {
    const descriptor = sarifFor('/project/a.ts', []).runs[0]!.tool.driver.rules[0]! as unknown as Record<
      string,
      { markdown: string }
    >;
    expect(descriptor.help!.markdown).toContain('[Documentation](https://');
  });
});
