/**
 * What every language shares: diagnostics (`LintMessage`, `LintResult`, ESLint's shapes, so any
 * ESLint formatter can read them), rule metadata and the configured-rule shape. Nothing here
 * knows a syntax tree: the runner, config, formatters and CLI import only this; each language's
 * own contract (for JS, ESTree's RuleModule and RuleContext) lives in src/languages/<id>/types.ts.
 */

// ---------------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------------

export type SeverityName = 'off' | 'warn' | 'error';
export type SeverityLevel = 0 | 1 | 2;

export interface EditInfo {
  range: [number, number];
  text: string;
}

export interface SuggestionResult {
  desc: string;
  messageId?: string;
  fix: EditInfo;
}

export interface LintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based, as ESLint reports it. */
  column: number;
  endLine?: number;
  endColumn?: number;
  messageId?: string;
  nodeType?: string | null;
  fatal?: boolean;
  fix?: EditInfo;
  suggestions?: SuggestionResult[];
  /** 'directive': an inline disable comment; 'file': the bulk suppressions file (as ESLint marks them). */
  suppressions?: { kind: 'directive' | 'file'; justification: string }[];
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  usedDeprecatedRules: { ruleId: string; replacedBy: string[] }[];
  source?: string;
  output?: string;
}

// ---------------------------------------------------------------------------------------------
// Rule metadata (the same id means the same pitfall in every language)
// ---------------------------------------------------------------------------------------------

export type RuleCategory = 'correctness' | 'suspicious' | 'perf' | 'style';
export type PresetName = 'recommended' | 'strict';

export interface RuleDocs {
  description: string;
  url: string;
  category: RuleCategory;
  /** The smallest preset that turns the rule on, and at what severity. */
  preset: PresetName;
  presetSeverity: Exclude<SeverityName, 'off'>;
  /** The upstream rules this one corresponds to (what users switch off to use ours). */
  upstream?: string[];
  requiresTypeChecking?: boolean;
}

/** A JSON schema, as ESLint accepts in `meta.schema`. */
export type JSONSchema = Record<string, unknown>;

export interface RuleMeta<MessageIds extends string> {
  type: 'problem' | 'suggestion' | 'layout';
  docs: RuleDocs;
  messages: Record<MessageIds, string>;
  schema: JSONSchema[];
  /** Merged under the user's options, by ESLint's rules and by ours alike. */
  defaultOptions?: unknown[];
  fixable?: 'code' | 'whitespace';
  hasSuggestions?: boolean;
}

/** What the config, presets and formatters need of a rule: its name and metadata, not its code. */
export interface RuleInfo {
  name: string;
  meta: RuleMeta<string>;
}

/** A rule turned on by the config, with its severity and options (defaults merged in). */
export interface ConfiguredRule<Rule extends RuleInfo = RuleInfo> {
  id: string;
  rule: Rule;
  severity: 1 | 2;
  options: readonly unknown[];
}

/** Where each rule's documentation lives; findings link here. */
export const DOCS_BASE_URL = 'https://github.com/asynclint/asynclint/blob/main/docs/rules/';

/** The schema of an option that is a list of distinct names or patterns (most list options are). */
export function stringListOption(description: string): JSONSchema {
  return { type: 'array', items: { type: 'string' }, uniqueItems: true, description };
}
