/** A message with line breaks, quotes and control characters survives every tool format intact and in place. */
import { describe, expect, it } from 'vitest';
import { formatCheckstyle, formatCompact, formatJunit } from '../src/formatters/machine.js';
import { buildResult } from '../src/lint-result.js';

const MESSAGE = 'First line\r\nsecond "line" <b>\tand a bell \u0007 here';

function results() {
  return [
    buildResult('/project/a.ts', [{ ruleId: 'await-in-loop', severity: 2, message: MESSAGE, line: 3, column: 5 }]),
  ];
}

/** The value of `name="..."` as an XML parser reads it: references decoded, literal whitespace normalised to spaces. */
function attributeValue(xml: string, element: string, name: string): string {
  const match = new RegExp(`<${element}\\b[^>]*?\\s${name}="([^"]*)"`).exec(xml);
  if (!match) throw new Error(`no ${element} ${name}`);
  const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return match[1]!
    .replace(/[\t\n\r]/g, ' ')
    .replace(/&(#\d+|\w+);/g, (_, name: string) =>
      name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : entities[name]!,
    );
}

describe('escaping in tool formats', () => {
  it('compact: one line per finding, line breaks become a space', () => {
    const lines = formatCompact(results(), { cwd: '/project' }).split('\n');
    expect(lines[0]).toBe(
      `a.ts: line 3, col 5, Error - First line second "line" <b>\tand a bell \u0007 here (await-in-loop)`,
    );
    expect(lines[1]).toBe('');
  });

  it.each([
    ['junit', formatJunit, 'failure', 'First line\r\nsecond "line" <b>\tand a bell \uFFFD here'],
    [
      'checkstyle',
      formatCheckstyle,
      'error',
      'First line\r\nsecond "line" <b>\tand a bell \uFFFD here (await-in-loop)',
    ],
  ])(
    '%s: the message attribute keeps its line breaks and tabs, and holds no character XML forbids',
    (_name, format, element, expected) => {
      const xml = format(results(), { cwd: '/project' });
      expect(attributeValue(xml, element, 'message')).toBe(expected);
      expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    },
  );
});
