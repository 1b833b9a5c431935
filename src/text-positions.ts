/** 1-based line, 0-based column in UTF-16 code units (as offsets are). */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * The position of an offset among a text's line starts, for every language. Which characters end a line is the
 * language's own answer (JS counts U+2028, Python does not), so only the search is shared.
 */
export function positionAmongLineStarts(lineStarts: readonly number[], offset: number): TextPosition {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! };
}
