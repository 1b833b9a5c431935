/**
 * The project-wide view rules need for cross-file facts ("is the imported `loadConfig` a
 * blocking helper?"): relative imports resolved to files, each file parsed at most once per
 * version and cached, its exported functions indexed. Shared by every file of a run (and by
 * every file ESLint lints in one process); an entry is re-read when the file changes on disk.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseFast } from '../parser/index.js';
import { createSourceCode } from '../walker/index.js';
import { prepareWalk } from '../walker/traverse.js';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { timed } from '../timing.js';
import { readRegularFile } from '../read-file.js';

/** Files larger than this are not indexed for cross-file facts. */
const MAX_INDEXED_FILE_SIZE = 2 * 1024 * 1024;

export interface IndexedModule {
  file: string;
  sourceCode: SourceCode;
  /** Exported name (`default` for the default export) to the node that defines it. */
  exports: Map<string, Node>;
}

interface CacheEntry {
  stamp: string;
  module: IndexedModule | null;
}

/**
 * The last few modules parsed: different kinds of facts (blocking chains, promise returns) asked
 * of the same file in a row share one parse, while syntax trees of imported files do not pile up
 * (callers distil small facts from a module and keep those instead).
 */
const RECENT_MODULES = 8;
const recentlyParsed = new Map<string, CacheEntry>();

function rememberRecent(file: string, entry: CacheEntry): void {
  recentlyParsed.delete(file);
  recentlyParsed.set(file, entry);
  if (recentlyParsed.size > RECENT_MODULES) recentlyParsed.delete(recentlyParsed.keys().next().value!);
}
const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./x.js` in TypeScript sources means `./x.ts`. */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'], '.jsx': ['.tsx'] };


// Most candidates of a resolution do not exist: asking without an exception for each is cheaper.
function isFile(candidate: string): boolean {
  try {
    return statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

const RELATIVE_SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*(['"`])(\.{1,2}\/[^'"`\n]*)\1/g;

/**
 * The relative specifiers a file's text imports or requires, by a scan of the text (so comments
 * and strings count too): every relative module the file's imports can resolve to is among them.
 */
export function relativeSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(RELATIVE_SPECIFIER)) found.push(match[2]!);
  return found;
}

/**
 * The facts of a file's current version when some lint or importer has already computed them;
 * undefined when nobody has (asking never parses the file).
 */
export function knownExportFacts<T>(file: string, kind: FactKind<T>): Map<string, T> | undefined {
  // Asking registers the kind: files linted from now on provide it (provideExportFacts).
  if (!kindsAsked.has(kind.id)) kindsAsked.set(kind.id, kind as FactKind<unknown>);
  const stamp = fileStamp(file);
  const known = factsByKind.get(kind.id)?.get(file);
  if (stamp === null || known === undefined || known === 'pending' || known.stamp !== stamp) return undefined;
  recordDependency(file, stamp);
  return known.facts as Map<string, T>;
}

/**
 * Something learnt from a file's text (`look` runs once per version of the file and `key`); the
 * result depends on the file, as it does on its facts. Null when the file cannot be read.
 */
const looksByKey = new WeakMap<object, Map<string, { stamp: string; value: unknown }>>();

export function lookAtText<T>(file: string, key: object, look: (text: string) => T): T | null {
  const stamp = fileStamp(file);
  recordDependency(file, stamp);
  if (stamp === null) return null;
  let perFile = looksByKey.get(key);
  if (!perFile) looksByKey.set(key, (perFile = new Map()));
  const known = perFile.get(file);
  if (known && known.stamp === stamp) return known.value as T;
  let value: T | null;
  try {
    value = look(readFileSync(file, 'utf8'));
  } catch {
    value = null;
  }
  if (value !== null) perFile.set(file, { stamp, value });
  return value;
}

/** The paths a relative specifier may name, in the order they are tried; empty for packages. */
export function relativeModuleCandidates(fromFile: string, specifier: string): string[] {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return [];
  const base = path.resolve(path.dirname(fromFile), specifier);
  const extension = path.extname(base);
  const candidates: string[] = [];
  for (const sourceExtension of SOURCE_FOR_OUTPUT[extension] ?? []) candidates.push(base.slice(0, -extension.length) + sourceExtension);
  candidates.push(base);
  for (const candidateExtension of RESOLVE_EXTENSIONS) candidates.push(base + candidateExtension);
  for (const candidateExtension of RESOLVE_EXTENSIONS) candidates.push(path.join(base, `index${candidateExtension}`));
  return candidates;
}

/**
 * Resolutions are reused for a second, as file versions are (fileStamp): a run resolves the same
 * specifiers from the same folder thousands of times, and each miss costs several file-system calls.
 */
const recentResolutions = new Map<string, { file: string | null; at: number }>();

/** The file a relative specifier names, from the importing file; null for packages and misses. */
export function resolveRelativeModule(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const key = `${path.dirname(fromFile)}\0${specifier}`;
  const now = performance.now();
  const recent = recentResolutions.get(key);
  if (recent && now - recent.at < STAMP_REUSE_MS) return recent.file;
  const file = relativeModuleCandidates(fromFile, specifier).find(isFile) ?? null;
  recentResolutions.set(key, { file, at: now });
  return file;
}

/** Exported name (`default` for the default export) to the node defining it: ESM and CommonJS forms. */
export function exportedDefinitions(ast: TSESTree.Program): Map<string, Node> {
  const exports = new Map<string, Node>();
  const localDefinitions = new Map<string, Node>();
  for (const statement of ast.body) {
    if (statement.type === 'FunctionDeclaration' && statement.id) localDefinitions.set(statement.id.name, statement);
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) if (declarator.id.type === 'Identifier' && declarator.init) localDefinitions.set(declarator.id.name, declarator.init);
    }
  }
  for (const statement of ast.body) {
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration;
      if (declaration?.type === 'FunctionDeclaration' && declaration.id) exports.set(declaration.id.name, declaration);
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) if (declarator.id.type === 'Identifier' && declarator.init) exports.set(declarator.id.name, declarator.init);
      }
      for (const specifier of statement.specifiers) {
        if (statement.source) continue;
        const local = specifier.local.type === 'Identifier' ? specifier.local.name : String(specifier.local.value);
        const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value);
        const definition = localDefinitions.get(local);
        if (definition) exports.set(exported, definition);
      }
    }
    if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration;
      const definition = declaration.type === 'Identifier' ? localDefinitions.get(declaration.name) : declaration;
      if (definition) exports.set('default', definition);
    }
    // CommonJS: `module.exports.f = ...`, `exports.f = ...`, `module.exports = { f, g }`.
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const { left, right } = statement.expression;
      if (left.type !== 'MemberExpression') continue;
      const target = left.object;
      const isExportsObject = (target.type === 'Identifier' && target.name === 'exports') || (target.type === 'MemberExpression' && target.object.type === 'Identifier' && target.object.name === 'module' && !target.computed && target.property.type === 'Identifier' && target.property.name === 'exports');
      const isModuleExports = left.object.type === 'Identifier' && left.object.name === 'module' && !left.computed && left.property.type === 'Identifier' && left.property.name === 'exports';
      if (isExportsObject && !left.computed && left.property.type === 'Identifier') {
        exports.set(left.property.name, right.type === 'Identifier' ? (localDefinitions.get(right.name) ?? right) : right);
      } else if (isModuleExports && right.type === 'ObjectExpression') {
        for (const property of right.properties) {
          if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier') continue;
          const value = property.value;
          exports.set(property.key.name, value.type === 'Identifier' ? (localDefinitions.get(value.name) ?? value) : value);
        }
      } else if (isModuleExports) {
        exports.set('default', right.type === 'Identifier' ? (localDefinitions.get(right.name) ?? right) : right);
      }
    }
  }
  return exports;
}

/**
 * A file's version, or null when it cannot be read: its size and a hash of its content. Not its
 * modification time: a file can change and keep its size and time (a copy that keeps times, an
 * edit within the file system's time resolution), and a result cached across runs would then
 * be stale. A file too large to index keeps the cheaper time-and-size stamp: no facts come from
 * it. Answers are reused for a second: a run asks about the same imported files thousands of
 * times, while an editor's edits are still seen almost at once.
 */
const STAMP_REUSE_MS = 1000;
const recentStamps = new Map<string, { stamp: string | null; at: number }>();

export function fileStamp(file: string): string | null {
  const now = performance.now();
  const recent = recentStamps.get(file);
  if (recent && now - recent.at < STAMP_REUSE_MS) return recent.stamp;
  let stamp: string | null;
  try {
    const read = readRegularFile(file, MAX_INDEXED_FILE_SIZE, () => 'too large');
    if ('bytes' in read) stamp = `${read.bytes.length}:${createHash('sha1').update(read.bytes).digest('hex')}`;
    else {
      const stat = statSync(file, { throwIfNoEntry: false });
      stamp = stat ? `${stat.mtimeMs}:${stat.size}` : null;
    }
  } catch {
    stamp = null;
  }
  recentStamps.set(file, { stamp, at: now });
  return stamp;
}

/**
 * A long-lived process (--watch, the language server) asks again after a file changed: versions
 * and resolutions it saw within the last second may already be stale.
 */
export function forgetRecentFileVersions(): void {
  recentStamps.clear();
  recentResolutions.clear();
  recentlyParsed.clear();
}

/**
 * Everything this module has learnt, forgotten: a run of the CLI called in-process (tests, API
 * users) starts as a new process would, with no facts and no kinds asked by an earlier run, so
 * its findings cannot depend on what ran before it.
 */
export function resetProjectIndex(): void {
  forgetRecentFileVersions();
  factsByKind.clear();
  kindsAsked.clear();
  newFacts = null;
  dependencyRecorder = null;
}

function parseModule(file: string): IndexedModule | null {
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = parseFast(text, file);
    prepareWalk(parsed.ast, parsed.visitorKeys);
    const sourceCode = createSourceCode(parsed, text);
    return { file, sourceCode, exports: exportedDefinitions(parsed.ast) };
  } catch {
    return null;
  }
}

/** The indexed module for a file (one of the last few parsed, or parsed now); null when it cannot be read or parsed. */
export function loadIndexedModule(file: string): IndexedModule | null {
  let stamp: string;
  try {
    const stat = statSync(file);
    if (stat.size > MAX_INDEXED_FILE_SIZE) return null;
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
  const cached = recentlyParsed.get(file);
  if (cached && cached.stamp === stamp) return cached.module;
  const module = timed('index', () => parseModule(file));
  rememberRecent(file, { stamp, module });
  return module;
}


/**
 * A kind of small fact distilled from a file's exports ("which exports return promises"). The
 * id names it across worker threads: the same id (the same rule options) means the same facts,
 * so facts one worker computes serve every worker.
 */
export interface FactKind<T> {
  id: string;
  compute(module: IndexedModule): Map<string, T>;
}

type FactEntry = { stamp: string; facts: Map<string, unknown> } | 'pending';
/** Kind id to file to facts: kept while syntax trees are dropped, so memory does not grow with the project. */
const factsByKind = new Map<string, Map<string, FactEntry>>();
const kindsAsked = new Map<string, FactKind<unknown>>();
/** Facts computed on this thread since they were last handed out (see takeNewFacts); null when not shared. */
let newFacts: SharedFacts[] | null = null;

/** Facts in a form that crosses threads: kind id, file, file version, and the facts as entries. */
export type SharedFacts = [kind: string, file: string, stamp: string, facts: [string, unknown][]];

function factsOfKind(id: string): Map<string, FactEntry> {
  let perFile = factsByKind.get(id);
  if (!perFile) factsByKind.set(id, (perFile = new Map()));
  return perFile;
}

function storeFacts(kind: string, file: string, stamp: string, facts: Map<string, unknown>): void {
  factsOfKind(kind).set(file, { stamp, facts });
  newFacts?.push([kind, file, stamp, [...facts]]);
}

/**
 * Facts about a file's exports, computed once per version of the file (parsing it if no lint of
 * it has provided them yet). Null while a cycle is being resolved, or when the file cannot be read.
 */
export function exportFacts<T>(file: string, kind: FactKind<T>): Map<string, T> | null {
  if (!kindsAsked.has(kind.id)) kindsAsked.set(kind.id, kind as FactKind<unknown>);
  const perFile = factsOfKind(kind.id);
  const stamp = fileStamp(file);
  recordDependency(file, stamp);
  if (stamp === null) return null;
  const known = perFile.get(file);
  if (known === 'pending') return null;
  if (known && known.stamp === stamp) return known.facts as Map<string, T>;
  perFile.set(file, 'pending');
  const module = loadIndexedModule(file);
  const facts = module ? kind.compute(module) : new Map<string, T>();
  storeFacts(kind.id, file, stamp, facts);
  return facts;
}

/**
 * A file was just linted from disk: distil its facts for every kind asked so far from the same
 * parse, so files importing it later never parse it again.
 */
export function provideExportFacts(file: string, sourceCode: SourceCode): void {
  if (kindsAsked.size === 0) return;
  const stamp = fileStamp(file);
  if (stamp === null) return;
  let module: IndexedModule | null = null;
  for (const [id, kind] of kindsAsked) {
    const known = factsOfKind(id).get(file);
    if (known !== undefined && (known === 'pending' || known.stamp === stamp)) continue;
    module ??= { file, sourceCode, exports: exportedDefinitions(sourceCode.ast) };
    if (module.exports.size === 0) return;
    factsOfKind(id).set(file, 'pending');
    storeFacts(id, file, stamp, kind.compute(module));
  }
}

/** From now on, facts computed on this thread are kept for takeNewFacts (a worker shares them). */
export function shareNewFacts(): void {
  newFacts ??= [];
}

/** Facts computed from now on are no longer kept for sharing. */
export function stopSharingFacts(): void {
  newFacts = null;
}

/** The facts computed on this thread since the last call, to share with other threads. */
export function takeNewFacts(): SharedFacts[] {
  const taken = newFacts ?? [];
  if (newFacts) newFacts = [];
  return taken;
}

/** Facts another thread computed; a version this thread already knows is kept. */
export function addSharedFacts(shared: readonly SharedFacts[]): void {
  for (const [kind, file, stamp, entries] of shared) {
    const perFile = factsOfKind(kind);
    const known = perFile.get(file);
    if (known === 'pending' || (known && known.stamp === stamp)) continue;
    perFile.set(file, { stamp, facts: new Map(entries) });
  }
}

/**
 * The files whose facts a lint result depends on, so a result cache can tell when an imported
 * helper changed (turning sync into async must re-report its importer).
 */
let dependencyRecorder: Map<string, string | null> | null = null;

function recordDependency(file: string, stamp: string | null): void {
  dependencyRecorder?.set(file, stamp);
}

/** Dependencies learnt earlier (an answer reused), recorded again for the result being built now. */
export function noteDependencies(dependencies: ReadonlyMap<string, string | null>): void {
  if (dependencyRecorder) for (const [file, stamp] of dependencies) dependencyRecorder.set(file, stamp);
}

/**
 * Runs `work`, recording the files it depends on. They count for the result being built around it
 * too, unless `propagate` is false (the caller then decides, with noteDependencies).
 */
export function recordDependencies<T>(work: () => T, { propagate = true }: { propagate?: boolean } = {}): { value: T; dependencies: Map<string, string | null> } {
  const outer = dependencyRecorder;
  const recorded = new Map<string, string | null>();
  dependencyRecorder = recorded;
  try {
    return { value: work(), dependencies: recorded };
  } finally {
    if (outer && propagate) for (const [file, stamp] of recorded) outer.set(file, stamp);
    dependencyRecorder = outer;
  }
}
