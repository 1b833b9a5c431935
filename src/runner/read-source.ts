/** Reading a file to lint: special, binary, non-UTF-8 and oversized files are refused with a reason. */
import type { Stats } from 'node:fs';
import { readRegularFile } from '../read-file.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text (with its stat before the read), or why it is not lintable. */
export function readSourceFile(
  filePath: string,
  maxFileSize: number,
): { text: string; stats: Stats } | { reason: string } {
  const read = readRegularFile(
    filePath,
    maxFileSize,
    (size) =>
      `larger than the size limit (${size} > ${maxFileSize} bytes; raise it with maxFileSize or --max-file-size)`,
  );
  if ('reason' in read) return read;
  const bytes = read.bytes;
  const utf16 = utf16Encoding(bytes);
  if (utf16) return { reason: `${utf16} text (asynclint reads UTF-8; convert the file to lint it)` };
  if (bytes.subarray(0, 8000).includes(0)) return { reason: 'binary file' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'not UTF-8 text' };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, stats: read.stats };
}

/**
 * UTF-16 by its byte order mark, or by its zero bytes: ASCII text in UTF-16 has one in every
 * other byte, all at even offsets (big-endian) or all at odd ones (little-endian).
 */
function utf16Encoding(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  const sample = Math.min(bytes.length, 8000) & ~1;
  if (sample < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let index = 0; index < sample; index += 2) {
    if (bytes[index] === 0) evenZeros++;
    if (bytes[index + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros > pairs * 0.9 && evenZeros === 0) return 'UTF-16LE';
  if (evenZeros > pairs * 0.9 && oddZeros === 0) return 'UTF-16BE';
  return null;
}
