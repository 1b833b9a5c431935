/**
 * Reading a tsconfig and building its `ts.Program`, with the TypeScript chosen for it (see
 * typescript.ts). Each program remembers its compiler, so its nodes are only ever walked by the
 * TypeScript that made them (node kinds are numbered differently from one version to the next).
 */
import path from 'node:path';
import type { Diagnostic, DocumentRegistry, ParsedCommandLine, Program, ScriptKind, SourceFile } from 'typescript';
import { UsageError } from '../../../errors.js';
import { chooseTypeScript, describeTypeScript, type ChosenTypeScript, type TypeScriptModule } from './typescript.js';

/** The part of ts.Program the runner touches. */
export interface TypeScriptProgram {
  getSourceFile(fileName: string): unknown;
  getRootFileNames(): readonly string[];
}

/**
 * A tsconfig that TypeScript cannot use: one line with the tsconfig's path, TypeScript's own
 * diagnostic text, and which TypeScript read it (a `lib` that TypeScript 6 knows is unknown to 5.9).
 */
export class TsconfigError extends UsageError {
  constructor(
    readonly tsconfigPath: string,
    /** TypeScript's diagnostic, flattened to one line, with its file:line:column when it has one. */
    readonly diagnostic: string,
    readonly compiler: string,
  ) {
    const where = path.relative(process.cwd(), tsconfigPath) || tsconfigPath;
    // TypeScript's text names the tsconfig itself when the problem has a position in it.
    super(`${diagnostic.startsWith(`${where}:`) ? '' : `${where}: `}${diagnostic} (${compiler})`);
    this.name = 'TsconfigError';
  }
}

/** What typescript-estree sets for a program it builds: never emit, and what no-unused-vars needs. */
const TYPESCRIPT_ESTREE_OPTIONS = { noEmit: true, noUnusedLocals: true, noUnusedParameters: true };

/**
 * How much JSDoc TypeScript parses: only what carries types (all of it in JavaScript files, none
 * in TypeScript files, where a JSDoc tag changes no type), as the editor's project service does. The
 * lib files are mostly JSDoc (lib.dom.d.ts), and rules ask only about types. Undefined for a
 * TypeScript before 5.3, which parses all of it.
 */
export function jsDocParsingModeOf(ts: TypeScriptModule): number | undefined {
  return (ts as { JSDocParsingMode?: { ParseForTypeInfo?: number } }).JSDocParsingMode?.ParseForTypeInfo;
}

/** TS18003: the tsconfig's `include` matches no file. Such a tsconfig covers nothing; it is no error when looking for a file's owner. */
const NO_INPUTS_FOUND = 18003;

/** Files of a program that TypeScript's parser crashed on, with its message: each is that file's fatal error. */
const unparsableFiles = new WeakMap<object, Map<string, string>>();
const compilerOfProgram = new WeakMap<object, TypeScriptModule>();

export function unparsableFileMessage(program: TypeScriptProgram, filename: string): string | undefined {
  return unparsableFiles.get(program)?.get(path.resolve(filename));
}

/** The compiler module that built `program` (for walking its nodes). */
export function compilerOf(program: TypeScriptProgram): TypeScriptModule {
  const ts = compilerOfProgram.get(program);
  if (!ts) throw new Error('not a program built by createTypeScriptProgram');
  return ts;
}

function describeDiagnostic(ts: TypeScriptModule, diagnostic: Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return text;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${path.relative(process.cwd(), diagnostic.file.fileName) || diagnostic.file.fileName}:${line + 1}:${character + 1}: ${text}`;
}

export interface ReadTsconfig {
  tsconfigPath: string;
  parsed: ParsedCommandLine;
  typescript: ChosenTypeScript;
}

/**
 * A tsconfig as TypeScript reads it. One it rejects, or one that is not even whole JSON
 * (TypeScript reads a truncated one without complaint), is a TsconfigError. `coversNothingIsFine`:
 * a tsconfig whose `include` matches no file is no error (when looking for a file's tsconfig, it
 * simply does not cover the file).
 */
export function readTsconfig(
  tsconfigPath: string,
  options: { coversNothingIsFine?: boolean; typescript?: ChosenTypeScript } = {},
): ReadTsconfig {
  const absolute = path.resolve(tsconfigPath);
  const typescript = options.typescript ?? chooseTypeScript(path.dirname(absolute));
  const { ts } = typescript;
  // When the project's own TypeScript could not be used, say why: it explains an option ours rejects.
  const compiler = `${describeTypeScript(typescript)}${typescript.fallbackReason ? `, as ${typescript.fallbackReason}` : ''}`;
  const fail = (diagnostic: string) => new TsconfigError(absolute, diagnostic, compiler);
  const text = ts.sys.readFile(absolute);
  if (text === undefined) throw fail(`cannot read ${tsconfigPath}`);
  const json = ts.parseJsonText(absolute, text);
  const syntaxErrors = (json as unknown as { parseDiagnostics?: Diagnostic[] }).parseDiagnostics ?? [];
  if (syntaxErrors.length > 0) throw fail(describeDiagnostic(ts, syntaxErrors[0]!));
  const parsed = ts.parseJsonSourceFileConfigFileContent(
    json,
    ts.sys,
    path.dirname(absolute),
    TYPESCRIPT_ESTREE_OPTIONS,
    absolute,
  );
  const errors = options.coversNothingIsFine
    ? parsed.errors.filter((error) => error.code !== NO_INPUTS_FOUND)
    : parsed.errors;
  if (errors.length > 0) throw fail(describeDiagnostic(ts, errors[0]!));
  return { tsconfigPath: absolute, parsed, typescript };
}

/**
 * One `ts.Program` for a tsconfig, built once and shared by every file under it (type-aware mode
 * never builds a program per file), with the options typescript-estree uses. A file on which
 * TypeScript's parser throws (a "Debug Failure") stands in the program as an empty file and is
 * reported as that file's fatal error, so one file cannot abort the run.
 */
export function createTypeScriptProgram(
  tsconfig: string | ReadTsconfig,
  options: { documents?: DocumentRegistry } = {},
): TypeScriptProgram {
  const { parsed, typescript } = typeof tsconfig === 'string' ? readTsconfig(tsconfig) : tsconfig;
  const { ts } = typescript;
  const host = ts.createCompilerHost(parsed.options, true);
  // The document registry checks that its mode is the host's (TypeScriptProjects creates it so).
  host.jsDocParsingMode = jsDocParsingModeOf(ts);
  const crashed = new Map<string, string>();
  const { documents } = options;
  // Programs of one run share what they have in common (the lib files, node_modules types, the
  // sources a test tsconfig imports): a document registry, as the editor's project service does,
  // keys each file by the options that change how it parses, so it is parsed once, not once per program.
  const getSourceFile: typeof host.getSourceFile = documents
    ? (fileName, languageVersion, onError) => {
        const text = host.readFile(fileName);
        if (text === undefined) {
          onError?.(`cannot read ${fileName}`);
          return undefined;
        }
        return documents.acquireDocument(
          fileName,
          parsed.options,
          ts.ScriptSnapshot.fromString(text),
          '0',
          undefined,
          languageVersion,
        );
      }
    : host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    try {
      return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    } catch (error) {
      crashed.set(path.resolve(fileName), (error as Error).message.split('\n')[0] ?? 'unknown error');
      return ts.createSourceFile(fileName, '', languageVersion, true);
    }
  };
  // No projectReferences: with them, an import of a referenced project resolves to its built
  // .d.ts (absent until `tsc -b` runs, so its types would be lost); without, to its source.
  const program = ts.createProgram(parsed.fileNames, parsed.options, host);
  unparsableFiles.set(program, crashed);
  compilerOfProgram.set(program, ts);
  return program as unknown as TypeScriptProgram;
}

/** The script kind the registry keyed the file by (internal to TypeScript's SourceFile). */
function scriptKindOf(file: SourceFile): ScriptKind {
  return (file as unknown as { scriptKind: ScriptKind }).scriptKind;
}

/**
 * Gives back to the registry the files of a program that is let go (TypeScriptProjects), so that
 * its sources go with it once no other program holds them. Lib files and packages' types are
 * kept: the next program almost always needs them, and would parse them again.
 */
export function releaseDocuments(program: TypeScriptProgram, documents: DocumentRegistry): void {
  const built = program as unknown as Program;
  const options = built.getCompilerOptions();
  const crashed = unparsableFiles.get(program);
  for (const file of built.getSourceFiles()) {
    const shared = built.isSourceFileDefaultLibrary(file) || built.isSourceFileFromExternalLibrary(file);
    // A file TypeScript's parser crashed on stands in the program without being in the registry.
    if (shared || file.fileName.includes('/node_modules/') || crashed?.has(path.resolve(file.fileName))) continue;
    documents.releaseDocument(file.fileName, options, scriptKindOf(file), file.impliedNodeFormat);
  }
}
