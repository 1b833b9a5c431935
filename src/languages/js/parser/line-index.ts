import { positionAmongLineStarts } from '../../../text-positions.js';
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
    return positionAmongLineStarts(this.lineStarts, offset);
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
