/** Lines as Python counts them (`\n`, `\r\n` or a lone `\r` ends one), for 1-based lines and 0-based columns. */
export type { TextPosition as Position } from '../../../text-positions.js';
export { positionAmongLineStarts as positionAt } from '../../../text-positions.js';

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
