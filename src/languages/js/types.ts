/**
 * The contract between rules, the engine and ESLint, for JavaScript and TypeScript.
 *
 * Rules are ESLint `RuleModule`s over TSESTree that use only the part of `RuleContext` declared
 * here; our walker implements exactly this subset, so the same rule object runs in the asynclint
 * engine and inside ESLint. What every language shares (diagnostics, rule metadata, config shapes)
 * is in src/types.ts and re-exported here, so a rule imports one module.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { Scope, ScopeManager } from '@typescript-eslint/scope-manager';
import { DOCS_BASE_URL, type ConfiguredRule, type RuleDocs, type RuleMeta } from '../../types.js';

export type * from '../../types.js';
export { DOCS_BASE_URL, stringListOption } from '../../types.js';
export type { TSESTree };
export type Node = TSESTree.Node;

/** A configured rule as the JS engine runs it: the rule object is an ESTree RuleModule. */
export type ConfiguredJsRule = ConfiguredRule<RuleModule>;

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

export interface Position {
  /** 1-based. */
  line: number;
  /** 0-based, as in ESTree. */
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

export interface RuleFix {
  range: readonly [number, number];
  text: string;
}

export interface RuleFixer {
  insertTextAfter(nodeOrToken: { range: readonly [number, number] }, text: string): RuleFix;
  insertTextBefore(nodeOrToken: { range: readonly [number, number] }, text: string): RuleFix;
  insertTextAfterRange(range: readonly [number, number], text: string): RuleFix;
  insertTextBeforeRange(range: readonly [number, number], text: string): RuleFix;
  remove(nodeOrToken: { range: readonly [number, number] }): RuleFix;
  removeRange(range: readonly [number, number]): RuleFix;
  replaceText(nodeOrToken: { range: readonly [number, number] }, text: string): RuleFix;
  replaceTextRange(range: readonly [number, number], text: string): RuleFix;
}

export type ReportFixFunction = (fixer: RuleFixer) => RuleFix | readonly RuleFix[] | IterableIterator<RuleFix> | null;

export interface SuggestionDescriptor<MessageIds extends string> {
  messageId: MessageIds;
  data?: Record<string, unknown>;
  fix: ReportFixFunction;
}

export interface ReportDescriptor<MessageIds extends string> {
  node?: { range: readonly [number, number]; loc: SourceLocation; type?: string };
  loc?: SourceLocation | Position;
  messageId: MessageIds;
  data?: Record<string, unknown>;
  fix?: ReportFixFunction | null;
  suggest?: SuggestionDescriptor<MessageIds>[] | null;
}

export interface Comment {
  type: 'Line' | 'Block' | 'Shebang';
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

/** What a type-aware front end gives rules (typescript-eslint's `parserServices`, narrowed). */
export interface ParserServices {
  program: unknown | null;
  esTreeNodeToTSNodeMap?: { get(node: Node): unknown };
  tsNodeToESTreeNodeMap?: { get(node: unknown): Node | undefined };
  [key: string]: unknown;
}

export interface SourceCode {
  text: string;
  ast: TSESTree.Program;
  lines: string[];
  scopeManager: ScopeManager | null;
  parserServices?: Partial<ParserServices>;
  visitorKeys: Record<string, readonly string[] | undefined>;
  getText(node?: { range: readonly [number, number] }, beforeCount?: number, afterCount?: number): string;
  getScope(node: Node): Scope;
  getAllComments(): Comment[];
  /**
   * Where a node is, as lines and columns. Rules ask this instead of reading `node.loc`: the fast
   * front end computes locations only for the nodes asked about (most never are).
   */
  getLoc(node: { range: readonly [number, number] }): SourceLocation;
  getLocFromIndex(index: number): Position;
  getIndexFromLoc(loc: Position): number;
}

export interface RuleContext<MessageIds extends string, Options extends readonly unknown[]> {
  id: string;
  options: Options;
  settings: Record<string, unknown>;
  filename: string;
  physicalFilename: string;
  cwd: string;
  sourceCode: SourceCode;
  report(descriptor: ReportDescriptor<MessageIds>): void;
}

export type RuleListener = Record<string, ((node: never) => void) | undefined>;

/**
 * What a rule's `shouldRun` may read: the file's text and name, the rule's options and whether
 * the front end knows types. No tree and no scopes: answering must cost no more than a text search.
 */
export interface FileToLint<Options extends readonly unknown[] = readonly unknown[]> {
  text: string;
  /**
   * The file's SourceCode, before any rule walks it: for what the host attached to it (the
   * project whose facts say whether an imported function returns a promise), not its tree.
   */
  sourceCode: SourceCode;
  physicalFilename: string;
  options: Options;
  parserServices?: Partial<ParserServices>;
}

export interface RuleModule<
  MessageIds extends string = string,
  Options extends readonly unknown[] = readonly unknown[],
> {
  name: string;
  meta: RuleMeta<MessageIds>;
  /**
   * Whether this file may have anything for the rule (oxc's `should_run`). Our engine asks before
   * it creates the rule, and walks no tree when no rule of a file should run; never false where
   * the rule would report.
   */
  shouldRun?(file: FileToLint<Options>): boolean;
  create(context: RuleContext<MessageIds, Options>): RuleListener;
}

/** The question shouldRun answers, from a rule's context: the same in our engine and in ESLint. */
export function fileToLint<Options extends readonly unknown[]>(
  context: RuleContext<string, Options>,
): FileToLint<Options> {
  const { sourceCode } = context;
  return {
    text: sourceCode.text,
    sourceCode,
    physicalFilename: context.physicalFilename,
    options: context.options,
    parserServices: sourceCode.parserServices,
  };
}

/**
 * Declares a rule. The docs URL is derived from the name so that it cannot drift, and
 * `meta.defaultOptions` is where option defaults live (ESLint merges it the same way we do).
 */
export function createRule<MessageIds extends string, Options extends readonly unknown[]>(rule: {
  name: string;
  meta: Omit<RuleMeta<MessageIds>, 'docs'> & { docs: Omit<RuleDocs, 'url'> };
  shouldRun?(file: FileToLint<Options>): boolean;
  create(context: RuleContext<MessageIds, Options>): RuleListener;
}): RuleModule<MessageIds, Options> {
  const { shouldRun, create } = rule;
  return {
    name: rule.name,
    meta: { ...rule.meta, docs: { ...rule.meta.docs, url: `${DOCS_BASE_URL}${rule.name}.md` } },
    ...(shouldRun ? { shouldRun } : {}),
    // ESLint knows no shouldRun: create asks it, so the rule skips the same files in ESLint.
    create: shouldRun ? (context) => (shouldRun(fileToLint(context)) ? create(context) : {}) : create,
  };
}
