/**
 * The seam between what is shared and what knows a language. The runner, config, formatters and
 * CLI see only this: which files a language owns, text and config in, a LintResult out, and
 * what the run needs besides (import specifiers for the lint order, cross-file facts to pass
 * between threads). No syntax tree crosses it.
 */
import type { ConfiguredRule, LintResult, RuleInfo } from '../types.js';

/** Where time went, for `--stats`. */
export interface LintStats {
  phases: Map<string, number>;
  rules: Map<string, number>;
  findings: Map<string, number>;
  files: number;
  /** Files whose syntax tree was built and walked: in the others, no rule had anything to look for. */
  walked: number;
}

export function createStats(): LintStats {
  return { phases: new Map(), rules: new Map(), findings: new Map(), files: 0, walked: 0 };
}

/** What every language is told about a file it lints, besides its text. */
export interface LintTextOptions {
  filename: string;
  cwd: string;
  /** The rules on for this file; a language runs those it has a rule for (the same id, the same pitfall). */
  rules: readonly ConfiguredRule[];
  settings?: Record<string, unknown>;
  inlineConfig?: boolean;
  reportUnusedDisableDirectives?: 0 | 1 | 2;
  stats?: LintStats;
  /**
   * The text is the file on disk: after linting, its cross-file facts are kept for the files
   * that import it (an editor buffer must not stand in for the file).
   */
  provideFacts?: boolean;
  /** The runner has a result cache, so each result's cross-file dependencies are collected for it. */
  keepDependencies?: boolean;
}

/** A lint's result and the other files (with their versions) its findings depend on. */
export interface LintedText {
  result: LintResult;
  /** Files other than this one, with the version read (null: unreadable); empty unless asked. */
  dependencies: [string, string | null][];
}

/**
 * Cross-file facts a language learns while linting (which exports are async, say), passed
 * between threads as plain data so that each file is indexed once per run.
 */
export interface FactExchange {
  /** From now on, keep the facts learnt here for takeNew. */
  startSharing(): void;
  stopSharing(): void;
  takeNew(): unknown[];
  addShared(facts: readonly unknown[]): void;
}

export interface Language<Options extends object = object> {
  id: string;
  /** Its rules by id: the same id in two languages is the same pitfall, so one config line speaks of both. */
  rules: Readonly<Record<string, RuleInfo>>;
  /** The file name endings it owns, for discovery (`.ts`, `.py`). */
  extensions: readonly string[];
  /** Whether it lints this file: an owned ending, less what it never lints (`.d.ts`). */
  owns(filename: string): boolean;
  /**
   * Loads what linting needs but cannot load synchronously (Python's parser is WebAssembly,
   * whose instantiation is asynchronous), or had better not load before a file needs it (the JS
   * parser is a native addon that a run over Python files never uses), once per thread. `lintText` stays synchronous, as the
   * cache, the worker pool and editor integrations need: the runner, each worker and the API
   * await this before linting a file the language owns.
   */
  prepare?(): Promise<void>;
  /** Whether `prepare` has completed on this thread (a language without it is always ready). */
  isPrepared?(): boolean;
  /**
   * Folders discovery never enters for this language (a Python virtual environment), besides the
   * shared defaults; `has` tells whether the folder holds an entry of that name (from the listing
   * discovery has read anyway).
   */
  skipsDirectory?(absolute: string, name: string, has: (entry: string) => boolean): boolean;
  lintText(text: string, options: LintTextOptions & Options): LintedText;
  /** Relative specifiers the text imports, found without parsing: enough for a lint order. */
  importSpecifiers(text: string): string[];
  /** The files a relative specifier may name, most likely first. */
  moduleCandidates(fromFile: string, specifier: string): string[];
  /** Whether a fixed text is still valid: a fix is never written when it is not. */
  parsesCleanly(text: string, filename: string): boolean;
  canFix: boolean;
  facts: FactExchange;
  /** A long-lived process asks again after a file changed: forget versions seen a moment ago. */
  forgetRecentFileVersions(): void;
  /** Forget all the process has learnt, so an in-process run starts afresh. */
  resetProcess(): void;
  /** Type information for a run, when asked; a language without a type checker leaves this out. */
  typeInformation?(request: TypeInformationRequest): TypeInformation<Options> | undefined;
  /**
   * Where a file's code runs (request handler, one-shot script, test) and why, as `--print-config`
   * shows it, judged from its name, its package and its first line.
   */
  describeContext?(filePath: string, cwd: string, firstLine: string): { context: string; reason: string };
}

/** A run's request for type information (`--project`, `--project-service`), as the CLI words it. */
export interface TypeInformationRequest {
  cwd: string;
  /** One configuration for every file (true: the default file name). */
  project?: string | true;
  /** Each file's nearest configuration. */
  projectService?: boolean;
  /** `--debug`: each checker as it is built, from which configuration, with which compiler. */
  onChecker?: (configPath: string, compiler: CompilerInfo) => void;
}

export interface CompilerInfo {
  version: string;
  /** The compiler in a sentence ("TypeScript 5.9.3, the project's"). */
  description: string;
  /** Why the project's own compiler was not used, when it was not. */
  fallbackReason?: string;
}

/** Type information a language set up for a run. */
export interface TypeInformation<Options extends object = object> {
  /** Merged into every file's lint options. */
  options: Partial<Options>;
  /**
   * Files to be linted, told before linting: which checker covers each is settled up front.
   * Returns them in the order to lint them (each checker's files together, so that a checker can
   * be let go of when its last file is done); the results keep the order given.
   */
  assign(files: readonly string[]): readonly string[];
  /** Files no checker covered, so they were linted without type information. */
  filesWithoutTypes(): ReadonlySet<string>;
}
