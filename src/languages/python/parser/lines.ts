import { positionAmongLineStarts } from '../../../text-positions.js';

/** Lines as Python counts them (`\n`, `\r\n` or a lone `\r` ends one), for 1-based lines and 0-based columns. */
export interface Position {
  /** 1-based. */
  line: number;
  /** 0-based, in UTF-16 code units (as offsets are). */
  column: number;
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) starts.push(index + 1);
    else if (code === 13) {
      if (text.charCodeAt(index + 1) === 10) index++;
      starts.push(index + 1);
    }
  }
  return starts;
}

export function positionAt(lineStarts: readonly number[], offset: number): Position {
  return positionAmongLineStarts(lineStarts, offset);
}
