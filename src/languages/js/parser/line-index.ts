import { positionAmongLineStarts } from '../../../text-positions.js';
import type { Position } from '../types.js';

/** Maps offsets to 1-based lines and 0-based columns with a binary search over line starts. */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    // Line breaks as in lines(): \r\n, \n, \r, U+2028, U+2029. A scan by character code, where a
    // regular expression's match objects were one allocation per line of every file parsed.
    const starts = [0];
    const length = text.length;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code === 10 || code === 0x2028 || code === 0x2029) starts.push(index + 1);
      else if (code === 13) {
        if (text.charCodeAt(index + 1) === 10) index++;
        starts.push(index + 1);
      }
    }
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
