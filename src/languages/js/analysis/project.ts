/**
 * What analysis may know about the rest of the project, and nothing it has to fetch itself.
 * Rules ask cross-file questions ("is the imported `loadConfig` a blocking helper?") through a
 * ProjectFacts provider that the host hands in: the runner (reading, parsing and caching other
 * files, sharing facts between threads) or the ESLint plugin. Analysis never reads the disk,
 * parses or walks: that is what keeps a lint a function of its text and its provider.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import type { PackageFacts } from '../../../analysis/context/file-context.js';

/** Another file of the project, parsed by the provider, with its exports indexed. */
export interface IndexedModule {
  file: string;
  sourceCode: SourceCode;
  /** Exported name (`default` for the default export) to the node that defines it. */
  exports: Map<string, Node>;
}

/**
 * A kind of small fact distilled from a file's exports ("which exports return promises"). The
 * id names it across worker threads: the same id (the same rule options) means the same facts,
 * so facts one worker computes serve every worker.
 */
export interface FactKind<T> {
  id: string;
  compute(module: IndexedModule): Map<string, T>;
  /**
   * Computed only for the files it is asked about, not for every file linted after it was first
   * asked (which suits facts that few files are asked for and that cost a walk of the file).
   */
  onlyWhenAsked?: boolean;
}

/** Files a result depends on, each with the version it was seen at (null: unreadable). */
export type Dependencies = Map<string, string | null>;

export interface ProjectFacts {
  /** The file a relative specifier names from `fromFile`; null for packages and misses. */
  resolveModule(fromFile: string, specifier: string): string | null;
  /**
   * The folder of the package named `name` (`@sveltejs/kit`) among the packages of the workspace
   * `fromFile` belongs to (pnpm-workspace.yaml, or the root package.json's `workspaces`); null
   * outside a workspace and for names no package of it has (those of the registry).
   */
  workspacePackage(fromFile: string, name: string): string | null;
  /**
   * Facts of `kind` about a file's exports. Null when the file cannot be read, or while the
   * file's facts are being computed further up (an import cycle); the answer for a file never
   * depends on which file was linted first.
   */
  exportFacts<T>(file: string, kind: FactKind<T>): Map<string, T> | null;
  /** The facts when they are already known, without parsing anything; undefined otherwise. */
  knownExportFacts<T>(file: string, kind: FactKind<T>): Map<string, T> | undefined;
  /** Something learnt from a file's text, once per version of the file and `key`; null when unreadable. */
  lookAtText<T>(file: string, key: object, look: (text: string) => T): T | null;
  /** The nearest package manifest above a file, distilled; null when there is none. */
  packageFacts(filePath: string): PackageFacts | null;
  /**
   * The files of the file's package (outside its tests) that import it by a relative specifier:
   * where the callers of its exports are. Empty when the provider cannot tell.
   */
  importersOf(file: string): readonly string[];
  /**
   * Runs `work`, collecting the files it depends on. They count for the enclosing collection
   * too, unless `propagate` is false (the caller then decides, with noteDependencies).
   */
  recordDependencies<T>(work: () => T, options?: { propagate?: boolean }): { value: T; dependencies: Dependencies };
  /** Dependencies learnt earlier (an answer reused), counted again for the result being built now. */
  noteDependencies(dependencies: ReadonlyMap<string, string | null>): void;
  /**
   * Names what the provider's answers assume right now: memos of answers that may depend on
   * cross-file facts are kept per scope (inside an import cycle, the scope is the file whose
   * facts are unfinished, and answers found there hold only there).
   */
  memoScope(): object;
}

/** A project of one file: nothing else is known, so no cross-file fact is ever claimed. */
export const SINGLE_FILE_PROJECT: ProjectFacts = {
  resolveModule: () => null,
  workspacePackage: () => null,
  exportFacts: () => null,
  knownExportFacts: () => undefined,
  lookAtText: () => null,
  packageFacts: () => null,
  importersOf: () => [],
  recordDependencies: (work) => ({ value: work(), dependencies: new Map() }),
  noteDependencies: () => {},
  memoScope: () => SINGLE_FILE_PROJECT,
};

const projects = new WeakMap<SourceCode, ProjectFacts>();
let hostDefault: ProjectFacts = SINGLE_FILE_PROJECT;

/** The host says which project a file it is about to lint (or has parsed for facts) belongs to. */
export function attachProject(sourceCode: SourceCode, project: ProjectFacts): void {
  projects.set(sourceCode, project);
}

/**
 * The project for files nobody attached one to: ESLint builds its own SourceCode, so the plugin
 * names the provider once, when it is loaded.
 */
export function setDefaultProject(project: ProjectFacts): void {
  hostDefault = project;
}

export function projectOf(sourceCode: SourceCode): ProjectFacts {
  return projects.get(sourceCode) ?? hostDefault;
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

const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./x.js` in TypeScript sources means `./x.ts`. */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

/** The paths a relative specifier may name, in the order they are tried; empty for packages. */
export function relativeModuleCandidates(fromFile: string, specifier: string): string[] {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return [];
  const base = path.resolve(path.dirname(fromFile), specifier);
  const extension = path.extname(base);
  const candidates: string[] = [];
  for (const sourceExtension of SOURCE_FOR_OUTPUT[extension] ?? [])
    candidates.push(base.slice(0, -extension.length) + sourceExtension);
  candidates.push(base);
  for (const candidateExtension of RESOLVE_EXTENSIONS) candidates.push(base + candidateExtension);
  // `base` is resolved (no `..`, no trailing separator but at a root): joining is appending, and
  // a run asks for these candidates of every specifier of every file (path.join was a tenth of
  // all allocation on a cold run of astro).
  const folder = base.endsWith(path.sep) ? base : base + path.sep;
  for (const candidateExtension of RESOLVE_EXTENSIONS) candidates.push(`${folder}index${candidateExtension}`);
  return candidates;
}
type NamedDeclaration = (
  | TSESTree.FunctionDeclaration
  | TSESTree.ClassDeclaration
  | TSESTree.TSInterfaceDeclaration
  | TSESTree.TSTypeAliasDeclaration
) & { id: TSESTree.Identifier };

/** A function or class, or an interface or type whose method signatures declare what they return. */
function isNamedDeclaration(node: Node): node is NamedDeclaration {
  return (
    (node.type === 'FunctionDeclaration' ||
      node.type === 'ClassDeclaration' ||
      node.type === 'TSInterfaceDeclaration' ||
      node.type === 'TSTypeAliasDeclaration') &&
    node.id != null
  );
}

/**
 * Exported name (`default` for the default export) to the node defining it: ESM and CommonJS
 * forms, and exported interfaces and types (whose method signatures say what the methods return).
 */
export function exportedDefinitions(ast: TSESTree.Program): Map<string, Node> {
  const exports = new Map<string, Node>();
  const localDefinitions = new Map<string, Node>();
  for (const statement of ast.body) {
    if (isNamedDeclaration(statement)) localDefinitions.set(statement.id.name, statement);
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations)
        if (declarator.id.type === 'Identifier' && declarator.init)
          localDefinitions.set(declarator.id.name, declarator.init);
    }
  }
  for (const statement of ast.body) {
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration;
      if (declaration && isNamedDeclaration(declaration)) exports.set(declaration.id.name, declaration);
      if (declaration?.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations)
          if (declarator.id.type === 'Identifier' && declarator.init) exports.set(declarator.id.name, declarator.init);
      }
      for (const specifier of statement.specifiers) {
        if (statement.source) continue;
        const local = specifier.local.type === 'Identifier' ? specifier.local.name : String(specifier.local.value);
        const exported =
          specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value);
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
      const isExportsObject =
        (target.type === 'Identifier' && target.name === 'exports') ||
        (target.type === 'MemberExpression' &&
          target.object.type === 'Identifier' &&
          target.object.name === 'module' &&
          !target.computed &&
          target.property.type === 'Identifier' &&
          target.property.name === 'exports');
      const isModuleExports =
        left.object.type === 'Identifier' &&
        left.object.name === 'module' &&
        !left.computed &&
        left.property.type === 'Identifier' &&
        left.property.name === 'exports';
      if (isExportsObject && !left.computed && left.property.type === 'Identifier') {
        exports.set(
          left.property.name,
          right.type === 'Identifier' ? (localDefinitions.get(right.name) ?? right) : right,
        );
      } else if (isModuleExports && right.type === 'ObjectExpression') {
        for (const property of right.properties) {
          if (property.type !== 'Property' || property.computed || property.key.type !== 'Identifier') continue;
          const value = property.value;
          exports.set(
            property.key.name,
            value.type === 'Identifier' ? (localDefinitions.get(value.name) ?? value) : value,
          );
        }
      } else if (isModuleExports) {
        exports.set('default', right.type === 'Identifier' ? (localDefinitions.get(right.name) ?? right) : right);
      }
    }
  }
  return exports;
}
