/**
 * The packages of an npm / pnpm / yarn workspace, and which of them only commands use.
 *
 * A package of a monorepo is library code by its manifest (it has `main` / `exports`), yet when
 * the only packages of the workspace that depend on it are commands (a `bin` and nothing else to
 * import: pnpm's CLI over its `@pnpm/*.commands` packages), or packages that only commands use in
 * turn, its code runs inside those commands: once per run of a process, not per request of a
 * long-lived one. This is the import graph's answer to "only reachable from a CLI entry", read
 * from the manifests' dependency lists rather than from every import of every file.
 *
 * A package that nothing in the workspace depends on, or that one package depends on that is not
 * a command (a library, a playground, a server), keeps the verdict of its own manifest.
 *
 * The answer comes with the files it was drawn from, for the result cache: the workspace listing,
 * the lockfile beside it (adding a dependency to any manifest changes it, once installed) and the
 * manifests of the users it looked at. Not every manifest: checking them all would read the whole
 * workspace on every warm run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFactsFromManifest } from '../../../analysis/context/package-facts.js';

/** What a workspace listing says: where it is, and the folders of its packages. */
interface Workspace {
  root: string;
  /** The file that lists the packages (`pnpm-workspace.yaml`, or the root `package.json`). */
  listing: string;
  packages: WorkspacePackage[];
  /** Per package name, the packages that depend on it (dev dependencies apart). */
  dependents: Map<string, { dependent: WorkspacePackage; development: boolean }[]>;
  /** The lockfiles the root may have: a dependency added to any manifest and installed changes them. */
  lockfiles: string[];
  onlyCommands: Map<string, CommandUsers>;
}

/** The commands that are the only users of a package (null: not only commands), and the manifests read to say so. */
interface CommandUsers {
  commands: string | null;
  manifests: Set<string>;
}

interface WorkspacePackage {
  directory: string;
  manifest: string;
  name: string;
  commandOnly: boolean;
}

const LOCKFILES = ['pnpm-lock.yaml', 'package-lock.json', 'yarn.lock', 'bun.lock', 'npm-shrinkwrap.json'];

const rootOfDirectory = new Map<string, string | null>();
const workspaces = new Map<string, Workspace | null>();

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The `packages:` list of a pnpm-workspace.yaml: one `- pattern` item a line, quoted or not. */
export function pnpmWorkspacePatterns(yaml: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inPackages = /^packages\s*:\s*$/.test(line);
      continue;
    }
    const item = inPackages ? /^\s+-\s+(.+?)\s*(?:#.*)?$/.exec(line) : null;
    if (item) patterns.push(item[1]!.replace(/^(['"])(.*)\1$/, '$2'));
  }
  return patterns;
}

/** The package patterns of a root manifest's `workspaces` (an array, or yarn's `{ packages: [...] }`). */
function manifestWorkspacePatterns(manifest: Record<string, unknown> | null): string[] | null {
  const field = manifest?.workspaces;
  const list = Array.isArray(field) ? field : (field as { packages?: unknown } | undefined)?.packages;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : null;
}

interface Listing {
  root: string;
  listing: string;
  patterns: string[];
}

/**
 * The listing found above each folder asked about in this run, and above each folder passed on
 * the way up (they share it): every bare import of every file asks, and reading the manifests of
 * each folder up to the root again each time was most of a cold run's time in a monorepo.
 * Cleared with the workspaces (`forgetWorkspaces`), as a new run may see other manifests.
 */
const listingOfDirectory = new Map<string, Listing | null>();

/** Where `directory`'s workspace is listed, walking up; null outside any workspace. */
function listingAbove(directory: string): Listing | null {
  const passed: string[] = [];
  const settle = (found: Listing | null) => {
    for (const folder of passed) listingOfDirectory.set(folder, found);
    return found;
  };
  for (let current = directory; ;) {
    const known = listingOfDirectory.get(current);
    if (known !== undefined) return settle(known);
    if (rootOfDirectory.get(current) === null) return settle(null);
    passed.push(current);
    const yaml = readText(path.join(current, 'pnpm-workspace.yaml'));
    if (yaml !== null)
      return settle({
        root: current,
        listing: path.join(current, 'pnpm-workspace.yaml'),
        patterns: pnpmWorkspacePatterns(yaml),
      });
    const patterns = manifestWorkspacePatterns(parseObject(readText(path.join(current, 'package.json'))));
    if (patterns) return settle({ root: current, listing: path.join(current, 'package.json'), patterns });
    const parent = path.dirname(current);
    if (parent === current) return settle(null);
    current = parent;
  }
}

function subfolders(directory: string): string[] {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** A glob segment (`*`, `pkg-*`) as a regular expression of one folder name. */
function segmentSource(segment: string): string {
  if (segment === '*') return '[^/]+';
  return segment
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
}

/**
 * A workspace pattern (`packages/*`, `apps/**`) as a test of a folder path
 * relative to the root. A trailing `/**` takes the folder itself too.
 */
export function workspacePatternTest(pattern: string): (relative: string) => boolean {
  const parts = pattern.replace(/^\.\//, '').split('/').filter(Boolean);
  let source = '';
  let joined = true;
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    if (part === '**') {
      source += last ? (index === 0 ? '.*' : '(?:/.*)?') : `${joined ? '' : '/'}(?:[^/]+/)*`;
      joined = true;
      return;
    }
    source += `${joined ? '' : '/'}${segmentSource(part)}`;
    joined = false;
  });
  const expression = new RegExp(`^${source}$`);
  return (relative) => expression.test(relative);
}

/**
 * The folders under `root` that a pattern names: a walk from the pattern's literal start, as deep
 * as its segments reach (without end under `**`), past `node_modules` and dot folders unless the
 * pattern names them.
 */
function expandPattern(root: string, pattern: string): string[] {
  const parts = pattern.replace(/^\.\//, '').split('/').filter(Boolean);
  const literal = parts.findIndex((part) => part.includes('*'));
  if (literal === -1) return [path.join(root, ...parts)];
  const start = path.join(root, ...parts.slice(0, literal));
  const depth = parts.includes('**') ? Infinity : parts.length - literal;
  const matches = workspacePatternTest(pattern);
  const found: string[] = [];
  const walk = (directory: string, level: number) => {
    if (level > 0 && matches(path.relative(root, directory).split(path.sep).join('/'))) found.push(directory);
    if (level < depth)
      for (const name of subfolders(directory)) if (!name.startsWith('.')) walk(path.join(directory, name), level + 1);
  };
  walk(start, 0);
  return found;
}

function dependencyNames(manifest: Record<string, unknown>, field: string): string[] {
  const value = manifest[field];
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

function loadWorkspace(listed: { root: string; listing: string; patterns: string[] }): Workspace {
  const included = new Set<string>([listed.root]);
  const exclusions: ((relative: string) => boolean)[] = [];
  for (const pattern of listed.patterns) {
    if (pattern.startsWith('!')) exclusions.push(workspacePatternTest(pattern.slice(1)));
    else for (const directory of expandPattern(listed.root, pattern)) included.add(directory);
  }
  const excluded = (directory: string) => {
    const relative = path.relative(listed.root, directory).split(path.sep).join('/');
    return relative !== '' && exclusions.some((test) => test(relative));
  };
  const packages: WorkspacePackage[] = [];
  const manifests = new Map<WorkspacePackage, Record<string, unknown>>();
  for (const directory of [...included].filter((directory) => !excluded(directory)).sort()) {
    const manifestFile = path.join(directory, 'package.json');
    const manifest = parseObject(readText(manifestFile));
    if (!manifest || typeof manifest.name !== 'string') continue;
    const found = {
      directory,
      manifest: manifestFile,
      name: manifest.name,
      commandOnly: packageFactsFromManifest(directory, manifest).commandOnly,
    };
    packages.push(found);
    manifests.set(found, manifest);
  }
  const names = new Set(packages.map((found) => found.name));
  const dependents: Workspace['dependents'] = new Map();
  for (const [dependent, manifest] of manifests) {
    const add = (name: string, development: boolean) => {
      if (!names.has(name) || name === dependent.name) return;
      let list = dependents.get(name);
      if (!list) dependents.set(name, (list = []));
      list.push({ dependent, development });
    };
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'])
      for (const name of dependencyNames(manifest, field)) add(name, false);
    for (const name of dependencyNames(manifest, 'devDependencies')) add(name, true);
  }
  // Missing ones too: the first install writes one.
  const lockfiles = LOCKFILES.map((name) => path.join(listed.root, name));
  return { ...listed, packages, dependents, lockfiles, onlyCommands: new Map() };
}

/**
 * The commands that are the only users of package `name`, directly or through packages only they
 * use; null when some user is not a command, when no command uses it, or around a cycle. A
 * command counts whichever list names the package: a bundled CLI lists what it bundles under
 * `devDependencies`. Any other package's dev dependency is used by its tests and build, which
 * are no request either, so it does not count against the answer.
 */
function onlyCommandsUsing(workspace: Workspace, name: string, visiting = new Set<string>()): CommandUsers {
  const known = workspace.onlyCommands.get(name);
  if (known !== undefined) return known;
  if (visiting.has(name)) return { commands: null, manifests: new Set() };
  visiting.add(name);
  const commands = new Set<string>();
  const manifests = new Set<string>();
  let someUserIsNoCommand = false;
  for (const { dependent, development } of workspace.dependents.get(name) ?? []) {
    if (dependent.commandOnly) {
      commands.add(dependent.name);
      manifests.add(dependent.manifest);
    } else if (!development) {
      const through = onlyCommandsUsing(workspace, dependent.name, visiting);
      manifests.add(dependent.manifest);
      for (const manifest of through.manifests) manifests.add(manifest);
      if (through.commands === null) {
        // One user that is no command decides it: the answer rests on its manifests alone.
        someUserIsNoCommand = true;
        manifests.clear();
        manifests.add(dependent.manifest);
        for (const manifest of through.manifests) manifests.add(manifest);
        break;
      }
      for (const command of through.commands.split(', ')) commands.add(command);
    } else manifests.add(dependent.manifest);
  }
  const answer: CommandUsers = {
    commands: someUserIsNoCommand || commands.size === 0 ? null : [...commands].sort().join(', '),
    manifests,
  };
  visiting.delete(name);
  // Answers found inside a cycle may rest on the cycle's guess: keep only the outermost one.
  if (visiting.size === 0 || answer.commands === null) workspace.onlyCommands.set(name, answer);
  return answer;
}

function workspaceAt(directory: string): Workspace | null {
  const listed = listingAbove(directory);
  if (!listed) {
    rootOfDirectory.set(directory, null);
    return null;
  }
  let workspace = workspaces.get(listed.root);
  if (workspace === undefined) workspaces.set(listed.root, (workspace = loadWorkspace(listed)));
  return workspace;
}

/**
 * For the package in `directory` named `name`: the commands that are the only users of it in its
 * workspace (`"pnpm"`), or null; and the files that answer was drawn from, for the result cache
 * (none outside a workspace).
 */
export function workspaceUsers(directory: string, name: string): { onlyCommands: string | null; drawnFrom: string[] } {
  const workspace = workspaceAt(directory);
  const own = workspace?.packages.find((found) => found.directory === directory);
  if (!workspace || !own) return { onlyCommands: null, drawnFrom: [] };
  const users = onlyCommandsUsing(workspace, name);
  return {
    onlyCommands: users.commands,
    drawnFrom: [workspace.listing, ...workspace.lockfiles, own.manifest, ...users.manifests],
  };
}

/**
 * The folder of the package named `name` in the workspace `directory` is in (a bare specifier
 * `@scope/name/sub` names its package so, as the workspace's links in node_modules would), and
 * the files that answer was drawn from: the listing and the lockfiles (a package added, removed
 * or renamed, once installed, changes them), and the manifest of the package found.
 */
export function workspacePackageNamed(
  directory: string,
  name: string,
): { directory: string | null; drawnFrom: string[] } {
  const workspace = workspaceAt(directory);
  if (!workspace) return { directory: null, drawnFrom: [] };
  const found = workspace.packages.find((each) => each.name === name);
  const drawnFrom = [workspace.listing, ...workspace.lockfiles];
  if (found) drawnFrom.push(found.manifest);
  return { directory: found?.directory ?? null, drawnFrom };
}

/** A new run in the same process reads the workspace again: a manifest may have changed since. */
export function forgetWorkspaces(): void {
  rootOfDirectory.clear();
  listingOfDirectory.clear();
  workspaces.clear();
}
