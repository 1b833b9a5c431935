/**
 * `--watch`: lint, then lint again when a source file, a config file or an ignore file changes.
 * Each round is a whole run (the config is read again); the result cache makes it re-lint only
 * the files that changed and the files whose facts came from them.
 *
 * Folders are watched one by one (fs.watch without `recursive`) rather than the whole tree: on
 * Linux Node implements `recursive` by watching every file below, node_modules included. The
 * folders are the ones that hold files to lint, with their parents up to the working directory,
 * so a new folder is seen in its parent, and its files from the next round on.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { forgetRecentFileVersions, isLintableFile } from '../languages/index.js';
import { discoverFiles } from '../runner/discover.js';

/** Besides source files, the names whose change can change a report. */
const WATCHED_NAMES = new Set([
  'asynclint.config.json',
  '.asynclintrc.json',
  'package.json',
  '.gitignore',
  'tsconfig.json',
]);

/** Rounds start after the file system has been quiet this long: a save is often several events. */
const QUIET_MS = 100;

export interface WatchOptions {
  cwd: string;
  patterns: readonly string[];
  stderr: { write(text: string): unknown };
  /** One whole run; resolves to its exit code. */
  lintOnce: () => Promise<number>;
}

function foldersToWatch(cwd: string, patterns: readonly string[]): Set<string> {
  const folders = new Set([cwd]);
  let files: string[] = [];
  try {
    files = discoverFiles(patterns, { cwd, ignores: [], baseDirectory: cwd }).files;
  } catch {
    // No files yet (an empty folder, a glob that matches nothing): the working directory is watched.
  }
  for (const pattern of patterns) folders.add(path.resolve(cwd, pattern));
  for (const file of files) {
    for (let folder = path.dirname(file); !folders.has(folder); folder = path.dirname(folder)) {
      folders.add(folder);
      if (path.dirname(folder) === folder || !folder.startsWith(cwd)) break;
    }
  }
  return folders;
}

/** A source or config file, or a new folder (whose files the next round finds). */
function mayMatter(file: string): boolean {
  const base = path.basename(file);
  return (
    isLintableFile(base) ||
    WATCHED_NAMES.has(base) ||
    (statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false)
  );
}

export function watchAndLint(options: WatchOptions): Promise<number> {
  const watchers = new Map<string, FSWatcher>();
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastCode = 0;
  const changed = new Set<string>();

  const rewatch = () => {
    const wanted = foldersToWatch(options.cwd, options.patterns);
    for (const [folder, watcher] of watchers) {
      if (wanted.has(folder)) continue;
      watcher.close();
      watchers.delete(folder);
    }
    for (const folder of wanted) {
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, (_event, name) => onEvent(folder, name));
        // A watched folder that is removed ends its watcher with an error; the next round forgets it.
        watcher.on('error', () => watchers.delete(folder));
        watchers.set(folder, watcher);
      } catch {
        // A pattern that names a file, or a folder that is already gone: nothing to watch there.
      }
    }
  };

  const round = async () => {
    running = true;
    forgetRecentFileVersions();
    lastCode = await options.lintOnce();
    // asynclint-disable-next-line blocking-call -- between rounds nothing else runs: events arriving meanwhile wait for the next round anyway
    rewatch();
    running = false;
    options.stderr.write(
      `asynclint: watching ${watchers.size} ${watchers.size === 1 ? 'folder' : 'folders'} for changes (Ctrl-C to stop)\n`,
    );
    if (again) schedule();
  };

  const schedule = () => {
    if (running) {
      again = true;
      return;
    }
    again = false;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const names = [...changed].map((file) => path.relative(options.cwd, file) || '.');
      changed.clear();
      options.stderr.write(
        `asynclint: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} changed, linting again\n`,
      );
      void round();
    }, QUIET_MS);
  };

  const onEvent = (folder: string, name: string | Buffer | null) => {
    const file = name ? path.join(folder, name.toString()) : folder;
    if (name && !mayMatter(file)) return;
    changed.add(file);
    schedule();
  };

  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      resolve(lastCode);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void round();
  });
}
