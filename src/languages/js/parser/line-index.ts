import type { Position } from '../types.js';

/** Maps offsets to 1-based lines and 0-based columns with a binary search over line starts. */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    const lineBreak = /\r\n|[\n\r\u2028\u2029]/g;
    let match: RegExpExecArray | null;
    while ((match = lineBreak.exec(text))) starts.push(match.index + match[0].length);
    this.lineStarts = starts;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! };
  }

  offsetAt(position: Position): number {
    const start = this.lineStarts[position.line - 1];
    if (start === undefined) return this.text.length;
    return Math.min(start + position.column, this.text.length);
  }

  lines(): string[] {
    return this.text.split(/\r\n|[\n\r\u2028\u2029]/);
  }
}
