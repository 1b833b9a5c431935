/** Reading a file to lint: special, binary, non-UTF-8 and oversized files are refused with a reason. */
import { readRegularFile } from '../read-file.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or why it is not lintable. */
export function readSourceFile(filePath: string, maxFileSize: number): { text: string } | { reason: string } {
  const read = readRegularFile(filePath, maxFileSize, (size) => `larger than the size limit (${size} > ${maxFileSize} bytes; raise it with maxFileSize or --max-file-size)`);
  if ('reason' in read) return read;
  const bytes = read.bytes;
  if (bytes.subarray(0, 8000).includes(0)) return { reason: 'binary file' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'not UTF-8 text' };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
