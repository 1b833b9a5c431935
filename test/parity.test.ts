/**
 * The same rule objects give identical findings (rule, line, column, message) in our engine on
 * both front ends and in ESLint's own Linter with the plugin and @typescript-eslint/parser.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { comparable, lintWithEngine, lintWithEslint, loadFixtures, ROOT } from './helpers.js';

const fixtures = loadFixtures();

describe('parity with ESLint', () => {
  it.each(fixtures.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    const eslint = comparable(
      lintWithEslint(fixture.text, fixture.file, fixture.ruleId, fixture.options, fixture.tsconfig),
    );
    expect(eslint.length).toBe(fixture.expected.length);
    if (fixture.tsconfig) {
      // Type-aware fixtures: our engine with a shared ts.Program against ESLint with parserOptions.project.
      expect(
        comparable(
          lintWithEngine(fixture.text, fixture.file, fixture.ruleId, fixture.options, 'typed', fixture.tsconfig),
        ),
      ).toEqual(eslint);
      return;
    }
    const fast = comparable(lintWithEngine(fixture.text, fixture.file, fixture.ruleId, fixture.options, 'fast'));
    const typed = comparable(lintWithEngine(fixture.text, fixture.file, fixture.ruleId, fixture.options, 'typed'));
    expect(fast).toEqual(eslint);
    expect(typed).toEqual(eslint);
  });
});
