/** Offsets to positions: every kind of line break the parser knows starts a line, \r\n once. */
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../src/languages/js/parser/line-index.js';

describe('LineIndex', () => {
  it('starts a line after \\n, \\r\\n, \\r, U+2028 and U+2029, as lines() splits', () => {
    const text = 'a\nbb\r\nccc\rd\u2028e\u2029\r\n\n\rlast';
    const index = new LineIndex(text);
    expect(index.lineStarts).toEqual([0, 2, 6, 10, 12, 14, 16, 17, 18]);
    expect(index.lines()).toHaveLength(index.lineStarts.length);
    index.lines().forEach((line, number) => {
      expect(text.slice(index.lineStarts[number], index.lineStarts[number]! + line.length)).toBe(line);
    });
    expect(index.positionAt(text.indexOf('last'))).toEqual({ line: 9, column: 0 });
    expect(index.positionAt(text.indexOf('ccc') + 2)).toEqual({ line: 3, column: 2 });
  });

  it('has one line for a text without breaks, and a last empty line after a final break', () => {
    expect(new LineIndex('x = 1;').lineStarts).toEqual([0]);
    expect(new LineIndex('x = 1;\r').lineStarts).toEqual([0, 7]);
    expect(new LineIndex('').lineStarts).toEqual([0]);
  });
});
