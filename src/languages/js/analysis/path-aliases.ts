/**
 * tsconfig `paths`: with `"baseUrl": "."` and `"paths": { "@src/*": ["src/*"] }`, the import
 * `from '@src/classes'` names the project's own `src/classes`, as TypeScript (and the test
 * runner's alias plugin) resolve it. A file's imports of its own classes by such an alias are
 * then followed as relative ones are (bullmq's tests import `Queue` from '@src/classes').
 *
 * The configuration is the nearest `tsconfig.json` above the file, with the files it `extends`
 * by a relative path: `paths` and `baseUrl` come from the nearest one of the chain that sets
 * them (`baseUrl` relative to the file that sets it; without one, `paths` are relative to the
 * file that sets them). Every file looked at is a dependency of the answer.
 */
import path from 'node:path';
import { stripJsonComments } from '../../../json-comments.js';
import type { ProjectFacts } from './project.js';

/** What one tsconfig file says about aliases: its own settings, folders made absolute. */
export interface AliasSettings {
  /** Pattern to targets, absolute (relative to `pathsBase`), when this file sets `paths`. */
  paths: [pattern: string, targets: string[]][] | null;
  /** The folder `paths` are relative to when no file of the chain sets `baseUrl`. */
  pathsBase: string;
  baseUrl: string | null;
  extends: string | null;
  /** Where the build writes its output (`outDir`), absolute; null when this file does not say. */
  outDir: string | null;
  /**
   * The folder of the sources it is built from, absolute: `rootDir`, or the one folder `include`
   * names (`"include": ["./lib/**\/*"]`); null when this file says neither.
   */
  rootDir: string | null;
}

const SETTINGS_LOOK = {};

/** Folders walked up from a file looking for its tsconfig.json. */
const MAX_FOLDERS_UP = 12;
/** Files of an `extends` chain followed. */
const MAX_EXTENDS = 4;

function settingsOf(text: string, file: string): AliasSettings {
  const folder = path.dirname(file);
  let json: {
    extends?: unknown;
    include?: unknown;
    compilerOptions?: { paths?: unknown; baseUrl?: unknown; outDir?: unknown; rootDir?: unknown };
  } = {};
  try {
    json = JSON.parse(stripJsonComments(text)) ?? {};
  } catch {
    // An unreadable configuration aliases nothing, and still is the nearest one.
  }
  const options = json.compilerOptions ?? {};
  const paths =
    options.paths && typeof options.paths === 'object'
      ? Object.entries(options.paths as Record<string, unknown>).map(([pattern, targets]): [string, string[]] => [
          pattern,
          Array.isArray(targets) ? targets.filter((target): target is string => typeof target === 'string') : [],
        ])
      : null;
  const extended = typeof json.extends === 'string' && json.extends.startsWith('.') ? json.extends : null;
  return {
    paths,
    pathsBase: folder,
    baseUrl: typeof options.baseUrl === 'string' ? path.resolve(folder, options.baseUrl) : null,
    extends: extended && path.resolve(folder, extended.endsWith('.json') ? extended : `${extended}.json`),
    outDir: typeof options.outDir === 'string' ? path.resolve(folder, options.outDir) : null,
    rootDir:
      typeof options.rootDir === 'string'
        ? path.resolve(folder, options.rootDir)
        : includedFolder(json.include, folder),
  };
}

/** The folder an `include` of one pattern names before its first wildcard (`./lib/**\/*`: lib). */
function includedFolder(include: unknown, folder: string): string | null {
  if (!Array.isArray(include) || include.length !== 1 || typeof include[0] !== 'string') return null;
  const literal = include[0].split('/').filter((part) => part !== '.' && part !== '');
  const wildcard = literal.findIndex((part) => /[*?{]/.test(part));
  const parts = wildcard === -1 ? literal : literal.slice(0, wildcard);
  return parts.length > 0 && !parts.includes('..') ? path.resolve(folder, ...parts) : null;
}

/**
 * The nearest `name` (tsconfig.json) above `file` and the chain it extends, nearest first;
 * `foldersUp` 0 looks in the file's folder only.
 */
export function configurationChain(
  project: ProjectFacts,
  file: string,
  name = 'tsconfig.json',
  foldersUp = MAX_FOLDERS_UP - 1,
): AliasSettings[] {
  let folder = path.dirname(file);
  for (let step = 0; step <= foldersUp; step++) {
    const candidate = path.join(folder, name);
    const found = project.lookAtText(candidate, SETTINGS_LOOK, (text) => settingsOf(text, candidate));
    if (found) {
      const chain = [found];
      for (let next = found.extends; next && chain.length < MAX_EXTENDS;) {
        const settings = project.lookAtText(next, SETTINGS_LOOK, (text) => settingsOf(text, next!));
        if (!settings) break;
        chain.push(settings);
        next = settings.extends;
      }
      return chain;
    }
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return [];
}

/**
 * Whether code of the package in `directory` may import `file` by other than a relative specifier,
 * so that its importers are not all among the relative ones: the nearest tsconfig's `baseUrl`
 * holds the file (a bare specifier may name any file below it), a target of its `paths` may be
 * the file, or a target of the manifest's `imports` (subpath imports, `#internal/x`) may be.
 */
export function mayBeImportedByAlias(project: ProjectFacts, file: string, directory: string): boolean {
  const stem = packageStem(directory, file);
  const mayName = (target: string) => stemMayBe(packageStem(directory, target), stem);
  const chain = configurationChain(project, file);
  const baseUrl = chain.find((settings) => settings.baseUrl !== null)?.baseUrl ?? null;
  if (baseUrl !== null && !path.relative(baseUrl, file).startsWith('..')) return true;
  const withPaths = chain.find((settings) => settings.paths !== null);
  const base = baseUrl ?? withPaths?.pathsBase ?? directory;
  if (withPaths?.paths!.some(([, targets]) => targets.some((target) => mayName(path.resolve(base, target)))))
    return true;
  const manifest = path.join(directory, 'package.json');
  const imports = project.lookAtText(manifest, IMPORTS_LOOK, importsTargets) ?? ['*'];
  return imports.some((target) => mayName(path.resolve(directory, target)));
}

const IMPORTS_LOOK = {};

/** The targets of the manifest's `imports` field (`"#internal/x": "./dist/x.js"`); `*` when it cannot be read. */
function importsTargets(text: string): string[] {
  let imports: unknown;
  try {
    imports = (JSON.parse(text) as { imports?: unknown }).imports;
  } catch {
    return ['*'];
  }
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') for (const each of Object.values(value)) collect(each);
  };
  collect(imports);
  return targets;
}

/**
 * A file's path in its package without a leading build or source folders and its extension: a
 * target in the build's output (`./dist/x.js`) stands for its source (`src/x.ts`).
 */
function packageStem(directory: string, file: string): string {
  return path
    .relative(directory, file)
    .split(path.sep)
    .join('/')
    .replace(/^(?:(?:src|dist|lib|build|out)\/)+/, '')
    .replace(/(?:\.d)?\.[cm]?[jt]sx?$/, '');
}

/** Whether a target's stem, where `*` stands for any text, may be the stem of a file (or its folder's index). */
function stemMayBe(target: string, stem: string): boolean {
  const star = target.indexOf('*');
  if (star === -1) return stem === target || stem === `${target}/index`;
  const prefix = target.slice(0, star);
  const suffix = target.slice(star + 1);
  return stem.length >= prefix.length + suffix.length && stem.startsWith(prefix) && stem.endsWith(suffix);
}

/**
 * The relative specifiers (from `file`) a package-like specifier stands for under the nearest
 * tsconfig's `paths`, in the order TypeScript tries them: the pattern with the longest prefix
 * wins, and its targets are tried in turn. Empty when no pattern matches.
 */
export function aliasedSpecifiers(project: ProjectFacts, file: string, specifier: string): string[] {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) return [];
  return specifiersOfPaths(project, file, specifier);
}

function specifiersOfPaths(project: ProjectFacts, file: string, specifier: string): string[] {
  const chain = configurationChain(project, file);
  const withPaths = chain.find((settings) => settings.paths !== null);
  if (!withPaths) return [];
  const base = chain.find((settings) => settings.baseUrl !== null)?.baseUrl ?? withPaths.pathsBase;
  let best: { targets: string[]; prefix: number; star: string } | null = null;
  for (const [pattern, targets] of withPaths.paths!) {
    const star = pattern.indexOf('*');
    let matched: string | null = null;
    if (star === -1) matched = pattern === specifier ? '' : null;
    else {
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      const fits =
        specifier.length >= prefix.length + suffix.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
      matched = fits ? specifier.slice(prefix.length, specifier.length - suffix.length) : null;
    }
    const prefixLength = star === -1 ? pattern.length + 1 : star;
    if (matched !== null && (!best || prefixLength > best.prefix))
      best = { targets, prefix: prefixLength, star: matched };
  }
  if (!best) return [];
  return best.targets.map((target) => relativeSpecifierOf(file, path.resolve(base, target.replace('*', best!.star))));
}

/** The relative specifier that names `absolute` from `file` (`./x`, `../`). */
export function relativeSpecifierOf(file: string, absolute: string): string {
  const relative = path.relative(path.dirname(file), absolute).split(path.sep).join('/');
  if (relative === '' || relative === '..') return `${relative || '.'}/`;
  return relative.startsWith('../') ? relative : `./${relative}`;
}
