/**
 * Every fixture's findings must equal its `// expect: <rule-id>@<column>` markers (the 1-based
 * column the finding starts at, as typescript-eslint's RuleTester checks line and column; several
 * findings on a line are `a@5, b@12`), on both front ends, and
 * every reason a rule gives for staying silent (src/languages/js/analysis/silence.ts) must equal the fixture's
 * `// expect-silent: <reason>` markers: a line the rule decided about without reporting carries
 * the reason, so a loop that is silent for another reason than the one its comment tests, or that
 * is reported, fails. A whole-file silence (a test file) is marked at the end of line 1.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, LANGUAGE_FIXTURE_FOLDERS, lintWithEngine, lintWithSilences, loadFixtures, ROOT } from './helpers.js';
import { rules } from '../rules/index.js';

const fixtures = loadFixtures();

describe('fixture folders', () => {
  it('every rule has a fixture folder with reported and clean files', () => {
    for (const ruleId of Object.keys(rules)) {
      const mine = fixtures.filter((fixture) => fixture.ruleId === ruleId);
      expect(mine.length, ruleId).toBeGreaterThan(0);
      expect(
        mine.some((fixture) => fixture.expected.length > 0),
        `${ruleId} has no reported fixture`,
      ).toBe(true);
      expect(
        mine.some((fixture) => fixture.declaredClean),
        `${ruleId} has no clean fixture`,
      ).toBe(true);
      expect(
        mine.some((fixture) => fixture.file.endsWith('.js')) && mine.some((fixture) => fixture.file.endsWith('.ts')),
        `${ruleId} needs .js and .ts fixtures`,
      ).toBe(true);
    }
  });

  it('every fixture folder belongs to a rule', () => {
    for (const entry of readdirSync(FIXTURES, { withFileTypes: true }))
      if (entry.isDirectory() && !LANGUAGE_FIXTURE_FOLDERS.includes(entry.name))
        expect(Object.keys(rules)).toContain(entry.name);
  });
});

const untyped = fixtures.filter((fixture) => !fixture.tsconfig);
const typed = fixtures.filter((fixture) => fixture.tsconfig);

describe.each([
  ['fast', untyped],
  ['typed', untyped],
  ['type-aware', typed],
] as const)('fixtures on the %s front end', (frontEnd, group) => {
  it.each(group.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    if (fixture.declaredClean) expect(fixture.expected, 'a "no diagnostics" file has expect markers').toEqual([]);
    const engine = frontEnd === 'fast' ? 'fast' : 'typed';
    const { messages, silences } = lintWithSilences(
      fixture.text,
      fixture.file,
      fixture.ruleId,
      fixture.options,
      engine,
      fixture.tsconfig,
    );
    const fatal = messages.filter((message) => message.fatal);
    expect(fatal, 'fixture does not parse').toEqual([]);
    const actual = messages.map((message) => `${message.line}:${message.column}:${message.ruleId}`);
    expect(actual).toEqual(fixture.expected);
    expect(silentLines(silences, fixture.silent), 'reasons for silence').toEqual(Object.fromEntries(fixture.silent));
  });
});

/** The reasons given on each marked line and on each line the rule was silent about without a marker. */
function silentLines(silences: Map<number, string[]>, marked: Map<number, string[]>): Record<number, string[]> {
  const lines = [...silences]
    .filter(([, reasons]) => reasons.some((reason) => reason !== 'reported'))
    .map(([line]) => line);
  const all = [...new Set([...lines, ...marked.keys()])].sort((a, b) => a - b);
  return Object.fromEntries(all.map((line) => [line, silences.get(line) ?? []]));
}

/**
 * `tooling` is one-shot code that no package publishes, and every rule treats it as one-shot:
 * a fixture stated one-shot or tooling gives the same findings, once `tooling` stands beside
 * `one-shot` in the rule's `contexts` (await-in-loop alone leaves it out by default).
 */
describe('tooling behaves as one-shot', () => {
  const withTooling = (ruleId: string, options: unknown[]): unknown[] => {
    const defaults = (rules[ruleId]!.meta.defaultOptions?.[0] ?? {}) as { contexts?: string[] };
    const given = (options[0] ?? {}) as { contexts?: string[] };
    const contexts = given.contexts ?? defaults.contexts;
    if (!contexts?.includes('one-shot')) return options;
    return [{ ...given, contexts: [...contexts, 'tooling'] }, ...options.slice(1)];
  };
  it.each(untyped.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    const findings = (context: string, options: unknown[]) =>
      lintWithEngine(fixture.text, fixture.file, fixture.ruleId, options, 'fast', null, { asynclint: { context } }).map(
        (message) => `${message.line}:${message.column} ${message.message}`,
      );
    expect(findings('tooling', withTooling(fixture.ruleId, fixture.options))).toEqual(
      findings('one-shot', fixture.options),
    );
  });
});
