/**
 * Which files to lint: paths, directories and globs; `.gitignore` files are respected, and
 * `node_modules`, `dist`, `build`, `coverage` (and VCS folders) are skipped by default, as are the
 * folders a language says hold no code of the project's (Python's virtual environments).
 */
import { existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { UsageError } from '../errors.js';
import { isLintableFile, isSkippedDirectory } from '../languages/files.js';
import { describeFileKind, readRegularFile } from '../read-file.js';

/** A .gitignore beyond this is not one a person wrote; it is not read. */
const MAX_GITIGNORE_BYTES = 16 * 1024 * 1024;

export const DEFAULT_IGNORED_DIRECTORIES = new Set([
  'node_modules',
  'dist',
  'build',
  'coverage',
  '.git',
  '.hg',
  '.svn',
]);

export interface DiscoverOptions {
  cwd: string;
  /** Config `ignores`, relative to `baseDirectory`. */
  ignores: readonly string[];
  baseDirectory: string;
  /** `--ignore-pattern` globs, relative to `cwd`; they apply to files named on the command line too. */
  ignorePatterns?: readonly string[];
  /**
   * Told the stat of every folder before it is listed (walked, or searched for a .gitignore)
   * and of every .gitignore before it is read: what the result depends on (discovery-cache.ts).
   */
  onRead?: (file: string, stats: Stats) => void;
}

interface ScopedIgnore {
  directory: string;
  matcher: Ignore;
}

/** A .gitignore in force in a folder being walked, with the folder's path relative to the .gitignore's. */
interface ScopeInWalk {
  scope: ScopedIgnore;
  /** Posix, '' for the .gitignore's own folder. */
  prefix: string;
}

const GLOB_CHARACTERS = /[*?[\]{}!]/;

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

function readGitignore(directory: string, onRead: DiscoverOptions['onRead']): ScopedIgnore | null {
  const file = path.join(directory, '.gitignore');
  if (!existsSync(file)) return null;
  try {
    const read = readRegularFile(file, MAX_GITIGNORE_BYTES, () => 'too large');
    if ('bytes' in read) onRead?.(file, read.stats);
    return 'bytes' in read ? { directory, matcher: ignore().add(read.bytes.toString('utf8')) } : null;
  } catch {
    return null;
  }
}

function isGitIgnored(name: string, isDirectory: boolean, scopes: readonly ScopeInWalk[]): boolean {
  for (const { scope, prefix } of scopes) {
    const relative = prefix ? `${prefix}/${name}` : name;
    if (scope.matcher.ignores(isDirectory ? `${relative}/` : relative)) return true;
  }
  return false;
}

/**
 * Config `ignores` (relative to the config's folder), then `--ignore-pattern`s (relative to the
 * working directory), as ESLint orders them: the last pattern that matches decides, and a `!`
 * pattern takes a path back. A folder is pruned only while no `!` pattern could take back a file in it.
 */
function ignoreMatcher(options: DiscoverOptions): (absolute: string, isDirectory: boolean) => boolean {
  const layers = [
    ...options.ignores.map((glob) => ({ glob, base: options.baseDirectory })),
    ...(options.ignorePatterns ?? []).map((glob) => ({ glob, base: options.cwd })),
  ].map(({ glob, base }) => {
    const negated = glob.startsWith('!');
    const pattern = negated ? glob.slice(1) : glob;
    const patterns = pattern.endsWith('/') ? [`${pattern}**`] : [pattern, `${pattern}/**`];
    return { negated, base, matches: picomatch(patterns, { dot: true }) };
  });
  if (layers.length === 0) return () => false;
  const anyNegated = layers.some((layer) => layer.negated);
  return (absolute, isDirectory) => {
    if (isDirectory && anyNegated) return false;
    let ignored = false;
    for (const layer of layers) {
      const relative = toPosix(path.relative(layer.base, absolute));
      if (relative.startsWith('..')) continue;
      if (layer.matches(relative) || (isDirectory && layer.matches(`${relative}/`))) ignored = !layer.negated;
    }
    return ignored;
  };
}

/** .gitignore files from the working directory down to `directory` (exclusive). */
function ancestorGitignores(cwd: string, directory: string, onRead: DiscoverOptions['onRead']): ScopedIgnore[] {
  const scopes: ScopedIgnore[] = [];
  const relative = path.relative(cwd, directory);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return scopes;
  const read = (folder: string) => {
    // Whether the folder has a .gitignore at all is in its listing, so in its stat.
    if (onRead) onRead(folder, statSync(folder));
    const scope = readGitignore(folder, onRead);
    if (scope) scopes.push(scope);
  };
  let current = cwd;
  read(current);
  for (const part of relative.split(path.sep).filter(Boolean).slice(0, -1)) {
    current = path.join(current, part);
    read(current);
  }
  return scopes;
}

/**
 * Walks `root` depth first. Each folder is listed once and nothing else is asked of the file
 * system on the way: whether it has a .gitignore, or is a folder some language skips, is read
 * from its listing; paths relative to each .gitignore are built as the walk descends (as
 * path.relative, which resolves both paths, they were half of discovery).
 */
function walkDirectory(
  root: string,
  options: DiscoverOptions,
  isIgnored: (absolute: string, isDirectory: boolean) => boolean,
  accept: (file: string) => void,
): void {
  const ancestors = ancestorGitignores(options.cwd, root, options.onRead).map((scope) => ({
    scope,
    prefix: toPosix(path.relative(scope.directory, root)),
  }));
  const stack: { directory: string; name: string | null; scopes: ScopeInWalk[] }[] = [
    { directory: root, name: null, scopes: ancestors },
  ];
  while (stack.length > 0) {
    const { directory, name, scopes: parentScopes } = stack.pop()!;
    let entries;
    try {
      if (options.onRead) options.onRead(directory, statSync(directory));
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    // Two names are looked up per folder: a scan costs less than a set of every name.
    const has = (file: string) => entries.some((entry) => entry.name === file);
    if (name !== null && isSkippedDirectory(directory, name, has)) continue;
    // The root's own .gitignore may already be in force as the working directory's.
    const ownGitignore =
      has('.gitignore') && !parentScopes.some(({ scope, prefix }) => prefix === '' && scope.directory === directory)
        ? readGitignore(directory, options.onRead)
        : null;
    const scopes = ownGitignore ? [...parentScopes, { scope: ownGitignore, prefix: '' }] : parentScopes;
    for (const entry of entries) {
      if (entry.isDirectory()) {
        const absolute = path.join(directory, entry.name);
        if (
          DEFAULT_IGNORED_DIRECTORIES.has(entry.name) ||
          isGitIgnored(entry.name, true, scopes) ||
          isIgnored(absolute, true)
        )
          continue;
        const childScopes = scopes.map(({ scope, prefix }) => ({
          scope,
          prefix: prefix ? `${prefix}/${entry.name}` : entry.name,
        }));
        stack.push({ directory: absolute, name: entry.name, scopes: childScopes });
      } else if (entry.isFile() && isLintableFile(entry.name)) {
        const absolute = path.join(directory, entry.name);
        if (isGitIgnored(entry.name, false, scopes) || isIgnored(absolute, false)) continue;
        accept(absolute);
      }
    }
  }
}

/** The static directory a glob starts from: `src/**\/*.ts` starts from `src`. */
function globBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const base: string[] = [];
  for (const part of parts) {
    if (GLOB_CHARACTERS.test(part)) break;
    base.push(part);
  }
  return base.join('/') || '.';
}

/** Absolute paths of the files to lint, sorted; a missing path or an empty glob is a UsageError. */
export function discoverFiles(
  patterns: readonly string[],
  options: DiscoverOptions,
): { files: string[]; skipped: { filePath: string; reason: string }[] } {
  const found = new Set<string>();
  const skipped: { filePath: string; reason: string }[] = [];
  const isIgnored = ignoreMatcher(options);
  for (const pattern of patterns) {
    const absolute = path.resolve(options.cwd, pattern);
    if (existsSync(absolute)) {
      const stat = statSync(absolute);
      if (stat.isDirectory()) walkDirectory(absolute, options, isIgnored, (file) => found.add(file));
      // Named or not, an ignored file is not linted (as in ESLint): a hook that passes staged files keeps the ignores.
      else if (isIgnored(absolute, false))
        skipped.push({ filePath: absolute, reason: 'ignored by a pattern in ignores or --ignore-pattern' });
      else if (!stat.isFile())
        skipped.push({ filePath: absolute, reason: `not a regular file (${describeFileKind(stat)})` });
      else if (isLintableFile(absolute)) found.add(absolute);
      else skipped.push({ filePath: absolute, reason: 'not a JavaScript, TypeScript or Python file' });
      continue;
    }
    if (!GLOB_CHARACTERS.test(pattern)) throw new UsageError(`No such file or directory: ${pattern}`);
    const base = path.resolve(options.cwd, globBase(pattern));
    const matches = picomatch(toPosix(path.relative(options.cwd, path.resolve(options.cwd, pattern))), { dot: false });
    let matched = 0;
    if (existsSync(base) && statSync(base).isDirectory()) {
      walkDirectory(base, options, isIgnored, (file) => {
        if (matches(toPosix(path.relative(options.cwd, file)))) {
          found.add(file);
          matched++;
        }
      });
    }
    if (matched === 0) throw new UsageError(`No files matching the pattern "${pattern}" were found.`);
  }
  return { files: [...found].sort(), skipped };
}
