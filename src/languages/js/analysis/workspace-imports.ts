/**
 * Imports of the project's own code by a package name: `from '@sveltejs/kit/node'` in
 * packages/adapter-node names packages/kit when a package of the same workspace is called
 * `@sveltejs/kit` (what the workspace's node_modules links do once installed), and its manifest
 * says which file: `exports` (`"./node": { "types": ..., "import": "./src/exports/node/index.js" }`,
 * the first condition Node would take, a `types` one only when there is no other), else `main`
 * (`types` without one). A target in the build's output folder that is not there (nothing built)
 * or that has sources is read from its source: the package's tsconfig says where each is
 * (`outDir` `./dist`, `rootDir` `./src` or the folder `include` names), as a type checker
 * reading the workspace's sources would. tsconfig `paths` come first, as TypeScript takes them.
 *
 * Every file looked at is a dependency of the answer: the workspace listing, the manifest, the
 * tsconfig files, and the folders the resolution looked in.
 */
import path from 'node:path';
import type { ProjectFacts } from './project.js';
import { aliasedSpecifiers, configurationChain, relativeSpecifierOf } from './path-aliases.js';

/** What a manifest says about its entry points. */
interface Entries {
  exports: unknown;
  main: string | null;
  types: string | null;
}

const MANIFEST_LOOK = {};

function entriesOf(text: string): Entries | null {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object') return null;
  const named = (value: unknown) => (typeof value === 'string' ? value : null);
  return { exports: json.exports, main: named(json.main), types: named(json.types) ?? named(json.typings) };
}

/** `@scope/name/sub/path` as the package name and the subpath its `exports` key (`./sub/path`). */
export function splitPackageSpecifier(specifier: string): { name: string; subpath: string } | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return null;
  const parts = specifier.split('/');
  const nameParts = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < nameParts || parts.slice(0, nameParts).some((part) => part === '')) return null;
  const rest = parts.slice(nameParts).join('/');
  return { name: parts.slice(0, nameParts).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/** The conditions Node matches when it runs a file: the first of these an `exports` object lists wins. */
const RUNTIME_CONDITIONS = new Set(['node', 'import', 'require', 'module', 'default']);

/** The targets a conditional value names: the runtime one first, then a `types` one. */
function conditionalTargets(value: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((each) => conditionalTargets(each, depth + 1));
  if (!value || typeof value !== 'object') return [];
  const types: string[] = [];
  for (const [condition, inner] of Object.entries(value)) {
    if (RUNTIME_CONDITIONS.has(condition)) return [...conditionalTargets(inner, depth + 1), ...types];
    if (condition === 'types') types.push(...conditionalTargets(inner, depth + 1));
  }
  return types;
}

/**
 * The targets `exports` gives a subpath (`.`, `./node`), in the order to try them: an exact key,
 * else the pattern (`./*`) with the longest prefix before its `*`; empty when it exports none.
 */
export function exportedTargets(exports: unknown, subpath: string): string[] {
  const isMap =
    exports !== null &&
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((key) => key.startsWith('.'));
  const map = (isMap ? exports : { '.': exports }) as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return conditionalTargets(map[subpath]);
  let best: { prefix: number; targets: string[] } | null = null;
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (!subpath.startsWith(prefix) || !subpath.endsWith(suffix) || subpath.length < key.length - 1) continue;
    if (best && best.prefix >= prefix.length) continue;
    const matched = subpath.slice(prefix.length, subpath.length - suffix.length);
    best = { prefix: prefix.length, targets: conditionalTargets(value).map((target) => target.replace('*', matched)) };
  }
  return best?.targets ?? [];
}

/** A declaration file's JavaScript twin (`index.d.ts`: `index.js`), whose source resolution finds. */
function runtimeName(target: string): string {
  return target.replace(/\.d\.([mc]?)ts$/, '.$1js');
}

/**
 * Where the package's sources of a built file are: the file under `rootDir` at the place it has
 * under `outDir`, by the package's tsconfig.json or tsconfig.build.json; null when neither says.
 */
function sourceOfBuilt(project: ProjectFacts, directory: string, built: string): string | null {
  const manifest = path.join(directory, 'package.json');
  for (const name of ['tsconfig.json', 'tsconfig.build.json']) {
    const chain = configurationChain(project, manifest, name, 0);
    const outDir = chain.find((settings) => settings.outDir !== null)?.outDir;
    const rootDir = chain.find((settings) => settings.rootDir !== null)?.rootDir;
    if (!outDir || !rootDir) continue;
    const inside = path.relative(outDir, built);
    if (inside.startsWith('..') || path.isAbsolute(inside)) continue;
    return path.join(rootDir, inside);
  }
  return null;
}

/** The files a specifier of a workspace package may name, absolute, in the order to try them. */
function workspaceTargets(project: ProjectFacts, file: string, specifier: string): string[] {
  const parts = splitPackageSpecifier(specifier);
  if (!parts) return [];
  const directory = project.workspacePackage(file, parts.name);
  if (directory === null) return [];
  const entries = project.lookAtText(path.join(directory, 'package.json'), MANIFEST_LOOK, entriesOf);
  if (!entries) return [];
  let targets: string[];
  if (entries.exports !== undefined) targets = exportedTargets(entries.exports, parts.subpath);
  else if (parts.subpath !== '.') targets = [parts.subpath];
  else targets = [entries.main ?? entries.types ?? './index.js'];
  const found: string[] = [];
  for (const target of targets) {
    const built = path.resolve(directory, runtimeName(target));
    // A file outside its own package is not what a package may export.
    if (path.relative(directory, built).startsWith('..')) continue;
    const source = sourceOfBuilt(project, directory, built);
    if (source) found.push(source);
    found.push(built);
  }
  return found;
}

/**
 * The file of the project an import names: a relative specifier, or the project's own code by a
 * package name (a tsconfig `paths` alias, else a package of the workspace); null for packages
 * of the registry and for misses.
 */
export function resolveProjectImport(project: ProjectFacts, file: string, specifier: string): string | null {
  const relative = specifier === '.' || specifier === '..' ? `${specifier}/` : specifier;
  if (relative.startsWith('./') || relative.startsWith('../')) return project.resolveModule(file, relative);
  if (path.isAbsolute(specifier)) return null;
  for (const each of aliasedSpecifiers(project, file, specifier)) {
    const target = project.resolveModule(file, each);
    if (target) return target;
  }
  // Only when no alias leads anywhere: TypeScript too falls back to the packages then.
  for (const each of workspaceTargets(project, file, specifier)) {
    const target = project.resolveModule(file, relativeSpecifierOf(file, each));
    if (target) return target;
  }
  return null;
}
