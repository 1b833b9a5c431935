/**
 * The only module that imports oxc-parser, @typescript-eslint/parser and typescript.
 *
 * Two front ends yield the same TSESTree shape: the fast one (oxc-parser + scope-manager, the CLI
 * default) and the typed one (typescript-estree, for type-aware mode, and what ESLint users run).
 * The parity tests keep them interchangeable for every rule.
 */
import type * as OxcParser from 'oxc-parser';
import type { ScopeManager } from '@typescript-eslint/scope-manager';
import { createRequire } from 'node:module';
import type { Comment, ParserServices, TSESTree } from '../types.js';
import { LineIndex } from './line-index.js';
import { timed } from '../../../timing.js';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from './nesting.js';
import { compilerOf, unparsableFileMessage, type TypeScriptProgram } from './program.js';

export { createTypeScriptProgram, readTsconfig, TsconfigError, type TypeScriptProgram } from './program.js';
export { TypeScriptProjects, type TypeScriptProjectsOptions } from './projects.js';
export { describeTypeScript, TypeScriptUnavailableError, type ChosenTypeScript } from './typescript.js';

export { LineIndex };

export type FrontEnd = 'fast' | 'typed';

export interface ParsedFile {
  ast: TSESTree.Program;
  scopeManager: ScopeManager;
  visitorKeys: Record<string, readonly string[] | undefined>;
  comments: Comment[];
  lineIndex: LineIndex;
  services?: Partial<ParserServices>;
}

/** A syntax error in the user's file: reported as one fatal message, never thrown past the runner. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

/**
 * A file nested too deeply for the native parser, whose stack overflow would kill the process:
 * refused before parsing (see nesting.ts), reported as one fatal message.
 */
export class NestingError extends ParseError {
  constructor(
    line: number,
    column: number,
    readonly limit: number,
  ) {
    super(
      `File is nested too deeply to parse safely (more than ${limit} levels, estimated); it was not linted`,
      line,
      column,
    );
    this.name = 'NestingError';
  }
}

function refuseExcessiveNesting(text: string, language: Language, lineIndex: LineIndex, limit: number): void {
  const excess = findExcessiveNesting(text, language.lang === 'jsx' || language.lang === 'tsx', limit);
  if (!excess) return;
  const position = lineIndex.positionAt(excess.offset);
  throw new NestingError(position.line, position.column, excess.limit);
}

export { isLintableFile, LINTABLE_EXTENSIONS } from '../files.js';

// Every package here loads when it is first used: `--version`, `--help` and a run over Python
// files alone load none of them. The typed front end loads TypeScript (hundreds of
// milliseconds), so only when it is used.
const requireLazily = createRequire(import.meta.url);

/**
 * oxc-parser is a native addon and an ES module: the runner imports it (loadOxcParser, the
 * language's prepare) before it lints JavaScript. A synchronous caller that did not (the API's
 * lintText, ESLint running the plugin) gets it through require, which Node 20.19+ allows for
 * an ES module without top-level await. The scope analysis is imported with it: as an import,
 * the bundled CLI (scripts/bundle-cli.mjs) carries it as one file, where the package is 572.
 */
let oxcParser: typeof OxcParser | undefined;
export async function loadOxcParser(): Promise<void> {
  const [parser, scopes] = await Promise.all([import('oxc-parser'), import('@typescript-eslint/scope-manager')]);
  oxcParser ??= parser;
  scopeManagerModule ??= scopes;
}
export function isOxcParserLoaded(): boolean {
  return oxcParser !== undefined && scopeManagerModule !== undefined;
}
function parseSync(...args: Parameters<typeof OxcParser.parseSync>): ReturnType<typeof OxcParser.parseSync> {
  oxcParser ??= requireLazily('oxc-parser') as typeof OxcParser;
  return oxcParser.parseSync(...args);
}

let visitorKeys: Record<string, readonly string[] | undefined> | undefined;
function typescriptVisitorKeys(): Record<string, readonly string[] | undefined> {
  return (visitorKeys ??= (
    requireLazily('@typescript-eslint/visitor-keys') as typeof import('@typescript-eslint/visitor-keys')
  ).visitorKeys);
}

export interface Language {
  lang: 'js' | 'jsx' | 'ts' | 'tsx';
  /** What the scope analysis and ESLint's `languageOptions.sourceType` use. */
  sourceType: 'module' | 'commonjs';
}

export function languageOf(filename: string): Language {
  const extension = /\.[^./\\]+$/.exec(filename)?.[0] ?? '.js';
  const commonjs = extension === '.cjs' || extension === '.cts';
  const lang =
    extension === '.tsx' ? 'tsx' : extension === '.jsx' ? 'jsx' : /^\.[cm]?ts$/.test(extension) ? 'ts' : 'js';
  return { lang, sourceType: commonjs ? 'commonjs' : 'module' };
}

function scopeOptions(language: Language) {
  return language.sourceType === 'commonjs'
    ? ({ sourceType: 'script', globalReturn: true } as const)
    : ({ sourceType: 'module', globalReturn: false } as const);
}

function parseWithOxc(text: string, filename: string, language: Language) {
  // Plain `.js` files are ESM or CommonJS in the wild; oxc decides which from the syntax.
  const oxcSourceType =
    language.sourceType === 'commonjs'
      ? 'commonjs'
      : language.lang === 'js' || language.lang === 'jsx'
        ? 'unambiguous'
        : 'module';
  return parseSync(filename, text, {
    lang: language.lang,
    astType: 'ts',
    // No `range` arrays in the JSON: reading them back was a fifth of the deserialisation. Every
    // node has `start` and `end`; the walker's pre-pass gives it its `range` from them.
    range: false,
    preserveParens: false,
    sourceType: oxcSourceType,
  });
}

/**
 * A `.js` file that does not parse as plain JavaScript may still be valid where it runs: JSX in
 * `.js` (React and docs sites), or a CommonJS module with a top-level `return` (Node allows it).
 * Tried only after a failure, so files that parse pay nothing.
 */
function parseJavaScriptLeniently(text: string, filename: string, language: Language) {
  const first = parseWithOxc(text, filename, language);
  if (first.errors.length === 0 || language.lang !== 'js') return { result: first, language };
  for (const alternative of [
    { lang: 'jsx', sourceType: language.sourceType },
    { lang: 'js', sourceType: 'commonjs' },
    { lang: 'jsx', sourceType: 'commonjs' },
  ] as const) {
    if (alternative.sourceType === language.sourceType && alternative.lang === language.lang) continue;
    const retried = parseWithOxc(text, filename, alternative);
    if (retried.errors.length === 0) return { result: retried, language: alternative };
  }
  return { result: first, language };
}

/** `maxNesting` is for tests that need a deeper tree than the CLI would parse. */
export function parseFast(text: string, filename: string, maxNesting = MAX_NESTING_DEPTH): ParsedFile {
  const lineIndex = new LineIndex(text);
  refuseExcessiveNesting(text, languageOf(filename), lineIndex, maxNesting);
  const parsed = parseJavaScriptLeniently(text, filename, languageOf(filename));
  const { result, language } = parsed;
  const firstError = result.errors[0];
  if (firstError) {
    const start = firstError.labels?.[0]?.start ?? 0;
    const position = lineIndex.positionAt(start);
    throw new ParseError(firstError.message, position.line, position.column);
  }
  // Comments, too, only when asked for (directives, and rules that read them).
  let comments: Comment[] | undefined;
  const readComments = (): Comment[] =>
    (comments ??= result.comments.map((comment) => ({
      type: comment.type,
      value: comment.value,
      range: [comment.start, comment.end],
      loc: { start: lineIndex.positionAt(comment.start), end: lineIndex.positionAt(comment.end) },
    })));
  // The tree and its scopes are built when first asked for: when no rule has anything to look for
  // in a file (no `await` for await-in-loop, no async code for blocking-call), neither is.
  let ast: TSESTree.Program | undefined;
  let scopeManager: ScopeManager | undefined;
  return {
    get ast() {
      if (!ast) {
        ast = timed('parse', () => result.program as unknown as TSESTree.Program);
        (ast as { comments?: Comment[] }).comments = readComments();
      }
      return ast;
    },
    get scopeManager() {
      // No lib globals: declaring hundreds of them per file is a tenth of the scope analysis, and rules
      // treat an unresolved global (`Promise`, `setTimeout`) as they treat a declared one (isGlobalReference).
      return (scopeManager ??= timed('scope', () =>
        loadScopeManager().analyze(this.ast, { ...scopeOptions(language), lib: [], jsxPragma: 'React' }),
      ));
    },
    visitorKeys: typescriptVisitorKeys(),
    get comments() {
      return readComments();
    },
    lineIndex,
    services: { program: null },
  };
}

export interface TypedParseOptions {
  /** Enables type information: typescript-estree's project service (tsconfig lookup per file). */
  projectService?: boolean;
  tsconfigRootDir?: string;
  /** Pre-built `ts.Program`s shared across files, so a program is never built per file. */
  programs?: unknown[];
  /** The program for each file (a TypeScriptProjects): `--project` and `--project-service` runs. */
  projects?: { programFor(filePath: string): TypeScriptProgram | undefined };
}

// Set by loadOxcParser, or required by a synchronous caller that did not call it.
let scopeManagerModule: typeof import('@typescript-eslint/scope-manager') | undefined;
function loadScopeManager(): typeof import('@typescript-eslint/scope-manager') {
  return (scopeManagerModule ??= requireLazily(
    '@typescript-eslint/scope-manager',
  ) as typeof import('@typescript-eslint/scope-manager'));
}
let typescriptEslintParser: typeof import('@typescript-eslint/parser') | undefined;
function loadTypescriptEslintParser(): typeof import('@typescript-eslint/parser') {
  return (typescriptEslintParser ??= requireLazily(
    '@typescript-eslint/parser',
  ) as typeof import('@typescript-eslint/parser'));
}

interface TsEstreeError extends Error {
  lineNumber?: number;
  column?: number;
}

export function parseTyped(text: string, filename: string, options: TypedParseOptions = {}): ParsedFile {
  const language = languageOf(filename);
  const lineIndex = new LineIndex(text);
  // TypeScript's parser overflows as a catchable RangeError, but its program may take oxc's path too.
  refuseExcessiveNesting(text, language, lineIndex, MAX_NESTING_DEPTH);
  const { parseForESLint } = loadTypescriptEslintParser();
  let result: ReturnType<typeof parseForESLint>;
  try {
    result = parseForESLint(text, {
      filePath: filename,
      ecmaVersion: 'latest',
      sourceType: scopeOptions(language).sourceType,
      ecmaFeatures: {
        jsx: language.lang === 'jsx' || language.lang === 'tsx',
        globalReturn: scopeOptions(language).globalReturn,
      },
      range: true,
      loc: true,
      comment: true,
      tokens: false,
      lib: ['esnext'],
      ...(options.projectService ? { projectService: true, tsconfigRootDir: options.tsconfigRootDir } : {}),
      ...(options.programs ? { programs: options.programs as never } : {}),
    });
  } catch (error) {
    const parseError = error as TsEstreeError;
    if (typeof parseError.lineNumber === 'number') {
      throw new ParseError(
        parseError.message.split('\n')[0] ?? 'Parsing error',
        parseError.lineNumber,
        parseError.column ?? 0,
      );
    }
    throw error;
  }
  const ast = result.ast as unknown as TSESTree.Program;
  const comments = ((ast as { comments?: Comment[] }).comments ?? []) as Comment[];
  return {
    ast,
    scopeManager: result.scopeManager as unknown as ScopeManager,
    visitorKeys: result.visitorKeys as Record<string, readonly string[]>,
    comments,
    lineIndex,
    services: result.services as unknown as Partial<ParserServices>,
  };
}

export function parse(
  text: string,
  filename: string,
  frontEnd: FrontEnd = 'fast',
  typedOptions?: TypedParseOptions,
): ParsedFile {
  if (frontEnd === 'fast') return parseFast(text, filename);
  if (typedOptions?.projects || typedOptions?.programs) {
    const program = typedOptions.projects
      ? typedOptions.projects.programFor(filename)
      : (typedOptions.programs as TypeScriptProgram[]).find((candidate) => candidate.getSourceFile(filename));
    // A file outside every program has no type information: lint it on syntax alone.
    if (!program) return parseFast(text, filename);
    const crash = unparsableFileMessage(program, filename);
    if (crash !== undefined) throw new ParseError(`TypeScript's parser failed on this file (${crash})`, 1, 0);
    return parseWithProgram(text, filename, program);
  }
  return parseTyped(text, filename, typedOptions);
}

interface TsNodeLike {
  pos: number;
  end: number;
  getStart(sourceFile?: unknown): number;
}

/**
 * Type-aware mode without converting the file to ESTree through typescript-estree: the tree
 * comes from oxc (as in fast mode), and a node is mapped to the program's TypeScript node by its
 * source range only when a rule asks the checker about it. Same answers, measured on the typed
 * parity fixtures against ESLint with parserOptions.project.
 */
export function parseWithProgram(text: string, filename: string, program: TypeScriptProgram): ParsedFile {
  const parsed = parseFast(text, filename);
  const sourceFile = program.getSourceFile(filename) as TsNodeLike & { text: string };
  // The program read the file from disk; if the text linted differs (an editor buffer), no types.
  if (sourceFile.text !== text) return parsed;
  // The compiler that built the program: node kinds differ between TypeScript versions.
  const ts = compilerOf(program) as unknown as {
    forEachChild<T>(node: unknown, visit: (child: TsNodeLike) => T | undefined): T | undefined;
  };
  /**
   * The deepest TypeScript node with exactly the span `start:end`, found by descending from the
   * file through the children that contain the span: a few dozen steps per question, and no
   * index of every node (building one per file cost more than all the questions asked of it).
   */
  function nodeWithSpan(start: number, end: number): unknown {
    let found: unknown;
    let current: TsNodeLike | undefined = sourceFile;
    while (current) {
      if (current.end === end && current.getStart(sourceFile) === start) found = current;
      current = ts.forEachChild(current, (child) =>
        child.pos <= start && end <= child.end && child.end > child.pos ? child : undefined,
      );
    }
    return found;
  }
  const esTreeNodeToTSNodeMap = {
    get(node: TSESTree.Node): unknown {
      return nodeWithSpan(node.range[0], node.range[1]);
    },
  };
  // Set, not spread: spreading would build the lazily built tree and scopes now.
  parsed.services = { program, esTreeNodeToTSNodeMap };
  return parsed;
}

/** Whether a fixed-up text still parses: fixes and suggestions that would break a file are refused. */
export function parsesCleanly(text: string, filename: string): boolean {
  const language = languageOf(filename);
  if (findExcessiveNesting(text, language.lang === 'jsx' || language.lang === 'tsx')) return false;
  const result = parseSync(filename, text, {
    lang: language.lang,
    astType: 'ts',
    sourceType: language.sourceType === 'commonjs' ? 'commonjs' : 'unambiguous',
  });
  return result.errors.length === 0;
}
