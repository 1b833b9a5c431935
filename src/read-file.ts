/**
 * Reading a file that someone named, without trusting what it is: a FIFO blocks a plain read
 * forever, a link to /dev/zero never ends, a socket cannot be opened at all (ENXIO). Only regular
 * files are read, and never more than a cap, even if the file grows while it is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** What a non-regular file is, for a message: "a FIFO". */
export function describeFileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The bytes, and the file's stat taken after it was opened and before it was read (see statFingerprint). */
export type ReadOutcome = { bytes: Buffer; stats: Stats } | { reason: string };

/** Opening with O_NONBLOCK cannot hang on a FIFO that was swapped in after the check. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** The bytes of a regular file, at most `maxBytes`; otherwise why it was not read. */
export function readRegularFile(file: string, maxBytes: number, tooLarge: (size: number) => string): ReadOutcome {
  const before = statSync(file);
  if (!before.isFile()) return { reason: `not a regular file (${describeFileKind(before)})` };
  if (before.size > maxBytes) return { reason: tooLarge(before.size) };
  const descriptor = openSync(file, OPEN_FLAGS);
  try {
    const opened = fstatSync(descriptor);
    if (!opened.isFile()) return { reason: `not a regular file (${describeFileKind(opened)})` };
    // Read to the end, but never past the cap: a file that grows while it is read is refused too.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(
        Math.min(Math.max(opened.size - length, 0) + 1, maxBytes + 1 - length, 1 << 20) || 1,
      );
      const read = readSync(descriptor, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) return { reason: tooLarge(length) };
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length), stats: opened };
  } finally {
    closeSync(descriptor);
  }
}
