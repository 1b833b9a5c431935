/**
 * Writing a file so that it is never lost or half-written, and nothing else is lost with it.
 *
 * A regular file is replaced atomically: the text goes to a temporary file beside it, which gets
 * the original's mode and owner before it is renamed over it, so a reader (or a crash) sees the
 * old file or the new one. Writes go through symbolic links to the file they point to (renaming
 * over the link would replace the link and leave its target as it was). A file with other hard
 * links is rewritten in place, since a rename would split it from them. A device or FIFO given as
 * a report destination (/dev/stdout, /dev/null) is written to, never replaced; anything else that
 * is not a regular file is refused.
 *
 * Temporary files are named `.<name>.<pid>.asynclint-tmp`. A process killed between creating one
 * and renaming it (kill -9) leaves it behind, so before writing into a folder, the temporary files
 * there of processes that no longer run are removed.
 */
import { constants, fstat, write, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import {
  lstat,
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import { describeFileKind } from './read-file.js';

export const TEMPORARY_FILE = /^\..+\.(\d+)\.asynclint-tmp$/;

/** A file that could not be written: the message is one line for the user. */
export class WriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteError';
  }
}

export interface WriteOptions {
  /** Write to a character device or FIFO instead of refusing it (report destinations). */
  devices?: boolean;
}

function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.asynclint-tmp`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const cleanedFolders = new Set<string>();

/** Removes the temporary files that processes which no longer run left in `folder`. */
export async function removeStaleTemporaryFiles(folder: string): Promise<void> {
  if (cleanedFolders.has(folder)) return;
  cleanedFolders.add(folder);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  const stale = names.filter((name) => {
    const pid = Number(TEMPORARY_FILE.exec(name)?.[1]);
    return pid && pid !== process.pid && !isRunning(pid);
  });
  await Promise.all(stale.map((name) => unlink(path.join(folder, name)).catch(() => undefined)));
}

/** The file a path names, through any symbolic links, even when the last link dangles. */
async function resolveLinks(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await realpath(current);
    } catch {
      // Missing: the path itself may be a link to a file yet to be created.
    }
    let info;
    try {
      info = await lstat(current);
    } catch {
      const folder = await realpath(path.dirname(current)).catch(() => path.dirname(current));
      return path.join(folder, path.basename(current));
    }
    if (!info.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw new WriteError(`${file}: too many levels of symbolic links`);
}

function reason(error: unknown): string {
  return (error as Error).message;
}

/** Writes `text` to `file` as described above; every failure is a WriteError with a one-line message. */
export async function writeFileSafely(file: string, text: string, options: WriteOptions = {}): Promise<void> {
  const named = await stat(file).catch(() => undefined);
  const standardStream = named && !named.isFile() ? await standardStreamAt(named) : undefined;
  // A socket or pipe this process writes to (/dev/stdout under a test runner) cannot be opened by name.
  if (standardStream !== undefined) return writeToDescriptor(standardStream, text, file);
  if (named && !named.isFile()) {
    const writable = options.devices && (named.isCharacterDevice() || named.isFIFO());
    if (!writable) throw new WriteError(`cannot write ${file}: it is ${describeFileKind(named)}, not a regular file`);
    // Opened by the name given: /dev/stdout is a link to /proc/self/fd/1, which only the kernel resolves.
    const handle = await open(file, constants.O_WRONLY).catch((error: unknown) => {
      throw new WriteError(`cannot write ${file}: ${reason(error)}`);
    });
    await writeAll(handle, text, file);
    return;
  }
  const target = await resolveLinks(file);
  const existing = await stat(target).catch(() => undefined);
  await mkdir(path.dirname(target), { recursive: true }).catch((error: unknown) => {
    throw new WriteError(`cannot write ${file}: ${reason(error)}`);
  });
  await removeStaleTemporaryFiles(path.dirname(target));
  if (existing && existing.nlink > 1) return writeInPlace(target, text, file);
  const temporary = temporaryName(target);
  let handle: FileHandle;
  try {
    // Created private: it holds the new text before it has the original's mode.
    handle = await open(temporary, 'wx', existing ? 0o600 : 0o666);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new WriteError(`cannot write ${file}: ${reason(error)}`);
    // Left by an earlier process with this pid: it no longer runs, the file is stale.
    await unlink(temporary).catch(() => undefined);
    handle = await open(temporary, 'wx', existing ? 0o600 : 0o666).catch((again: unknown) => {
      throw new WriteError(`cannot write ${file}: ${reason(again)}`);
    });
  }
  try {
    if (existing) {
      await handle.chmod(existing.mode & 0o7777);
      // Only root may give a file away; for others, the owner is the writer, as with any editor.
      await handle.chown(existing.uid, existing.gid).catch(() => undefined);
    }
    await writeAll(handle, text, file, { sync: true });
    await rename(temporary, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error instanceof WriteError ? error : new WriteError(`cannot write ${file}: ${reason(error)}`);
  }
}

/** Writes and closes; `sync` makes the bytes durable before a rename publishes them. */
async function writeAll(
  handle: FileHandle,
  text: string,
  file: string,
  options: { sync?: boolean } = {},
): Promise<void> {
  try {
    await handle.writeFile(text);
    if (options.sync) await handle.datasync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new WriteError(`cannot write ${file}: ${reason(error)}`);
  }
  await handle.close();
}

/**
 * A file with several hard links keeps its inode: the text is written over it. Should that fail
 * part-way (a full disk), the original text is written back, so it is never left half-written.
 */
async function writeInPlace(target: string, text: string, file: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(target, 'r+');
  } catch (error) {
    throw new WriteError(`cannot write ${file}: ${reason(error)}`);
  }
  const original = await handle.readFile();
  const bytes = Buffer.from(text);
  try {
    await writeAt(handle, bytes);
    await handle.truncate(bytes.length);
    await handle.datasync();
  } catch (error) {
    await writeAt(handle, original).catch(() => undefined);
    await handle.truncate(original.length).catch(() => undefined);
    await handle.close().catch(() => undefined);
    throw new WriteError(`cannot write ${file}: ${reason(error)}`);
  }
  await handle.close();
}

/** Writes all of `bytes` from the file's start (a write may take less than it was given). */
async function writeAt(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, written);
    written += bytesWritten;
  }
}

const fstatOf = promisify(fstat);

/** 1 or 2 when `named` is this process's standard output or error. */
async function standardStreamAt(named: Stats): Promise<number | undefined> {
  const streams = await Promise.all([1, 2].map((descriptor) => fstatOf(descriptor).catch(() => undefined)));
  const index = streams.findIndex(
    (stream) => stream !== undefined && stream.dev === named.dev && stream.ino === named.ino,
  );
  return index === -1 ? undefined : index + 1;
}

async function writeToDescriptor(descriptor: number, text: string, file: string): Promise<void> {
  const bytes = Buffer.from(text);
  for (let written = 0; written < bytes.length;) {
    written += await new Promise<number>((resolve, reject) =>
      write(descriptor, bytes, written, bytes.length - written, null, (error, count) =>
        error ? reject(new WriteError(`cannot write ${file}: ${error.message}`)) : resolve(count),
      ),
    );
  }
}
