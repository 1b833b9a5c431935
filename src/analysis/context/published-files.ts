/**
 * Whether a package publishes a file, by npm's rules for what `npm publish` ships: a package
 * marked `"private": true` is never published; a package with `"files"` ships what those patterns
 * match, plus its package.json, README and LICENSE and the files `main` and `bin` name; a package
 * without `"files"` ships everything. Built output ships compiled from its sources: a file under
 * `src/` counts as shipped whenever the package is published (its `dist/` twin is what `"files"`
 * names). `.npmignore` is not read: a package that has one is taken to ship everything.
 *
 * When in doubt a file counts as published: code judged unpublished is code only the
 * repository's maintainers run, and a rule may say less about it.
 */
import picomatch from 'picomatch';
import type { PackageFacts } from './file-context.js';

/** Files npm ships whatever `"files"` says (npm-packlist's always-included list). */
const ALWAYS_SHIPPED = /^(?:package\.json|(?:readme|license|licence|copying)(?:[.-][^/]*)?)$/i;

/** A `"files"` entry as npm reads it: `./lib/` is `lib`; `!*.map` excludes. */
interface FilesEntry {
  exclude: boolean;
  matches(relative: string): boolean;
}

const entriesByPatterns = new WeakMap<readonly string[], FilesEntry[]>();

function filesEntries(files: readonly string[]): FilesEntry[] {
  let known = entriesByPatterns.get(files);
  if (known) return known;
  known = files.flatMap((raw) => {
    const exclude = raw.startsWith('!');
    const pattern = raw
      .slice(exclude ? 1 : 0)
      .replace(/^\.?\//, '')
      .replace(/\/+$/, '');
    if (!pattern) return [];
    // The pattern names the file or a folder holding it (`lib` ships `lib/**`).
    const anchored = picomatch([pattern, `${pattern}/**`], { dot: true });
    // As in .gitignore, a pattern without a slash matches a name at any depth (`!*.map`).
    const anyDepth = pattern.includes('/') ? null : picomatch(pattern, { dot: true });
    const matches = (relative: string) =>
      anchored(relative) || (anyDepth !== null && relative.split('/').some((segment) => anyDepth(segment)));
    return [{ exclude, matches }];
  });
  entriesByPatterns.set(files, known);
  return known;
}

/** Whether `"files"` ships `relative` (a path inside the package, `/`-separated): the last matching entry decides. */
export function filesShip(files: readonly string[], relative: string): boolean {
  let shipped = false;
  for (const entry of filesEntries(files)) if (entry.matches(relative)) shipped = !entry.exclude;
  return shipped;
}

/**
 * Why the package of `facts` does not publish `relative` (a path inside it), in words a user can
 * check (`its package is private`), or null when it does or may.
 */
export function unpublishedReason(relative: string, facts: PackageFacts): string | null {
  if (facts.isPrivate) return 'its package is private';
  const files = facts.files;
  if (!files) return null;
  if (ALWAYS_SHIPPED.test(relative) || facts.binFiles.has(relative) || facts.entryFiles.has(relative)) return null;
  if (relative.split('/')[0] === 'src') return null;
  return filesShip(files, relative) ? null : `its package's "files" leaves it out`;
}
