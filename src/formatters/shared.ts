import path from 'node:path';
import type { LintMessage, LintResult, RuleMeta } from '../types.js';

/** What every formatter receives besides the results. ESLint formatters read `cwd` and `rulesMeta`. */
export interface FormatterContext {
  cwd: string;
  rulesMeta?: Record<string, RuleMeta<string>>;
  /** Each rule's documentation (Markdown), for formats that carry it (SARIF help); read by the CLI. */
  ruleDocs?: Record<string, string>;
  /** Colour is decided by the CLI (`--color` / `--no-color` / the terminal), never inside a formatter. */
  color?: boolean;
  maxWarningsExceeded?: { maxWarnings: number; foundWarnings: number };
}

export type Formatter = (results: LintResult[], context: FormatterContext) => string | Promise<string>;

function comparePaths(a: LintResult, b: LintResult): number {
  return a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0;
}

function isSorted<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let index = 1; index < list.length; index++) if (compare(list[index - 1]!, list[index]!) > 0) return false;
  return true;
}

/**
 * Results sorted by path, messages by position: output never depends on the order files finished
 * in. A result whose messages are in order already is not copied (most have none), nor sorted a
 * list in order: a warm run formats thousands of results.
 */
export function sortedResults(results: readonly LintResult[]): LintResult[] {
  const byPath = isSorted(results, comparePaths) ? [...results] : [...results].sort(comparePaths);
  return byPath.map((result) =>
    isSorted(result.messages, compareMessages)
      ? result
      : { ...result, messages: [...result.messages].sort(compareMessages) },
  );
}

/**
 * Rule ids (lowercase letters, digits, hyphens) sort the same by code units as by localeCompare,
 * without the collator's start-up cost; messages, rarely compared, keep localeCompare.
 */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareMessages(a: LintMessage, b: LintMessage): number {
  return (
    a.line - b.line ||
    a.column - b.column ||
    compareCodeUnits(a.ruleId ?? '', b.ruleId ?? '') ||
    a.message.localeCompare(b.message)
  );
}

export function relativePath(filePath: string, cwd: string): string {
  if (!path.isAbsolute(filePath)) return filePath.split(path.sep).join('/');
  const relative = path.relative(cwd, filePath);
  return (relative && !relative.startsWith('..') ? relative : filePath).split(path.sep).join('/');
}

export function severityName(message: LintMessage): 'error' | 'warning' {
  return message.severity === 2 ? 'error' : 'warning';
}

export function pluralize(word: string, count: number): string {
  return count === 1 ? word : `${word}s`;
}

export function totals(results: readonly LintResult[]) {
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const result of results) {
    errors += result.errorCount;
    warnings += result.warningCount;
    fixableErrors += result.fixableErrorCount;
    fixableWarnings += result.fixableWarningCount;
  }
  return { errors, warnings, problems: errors + warnings, fixableErrors, fixableWarnings };
}

export function docsUrl(message: LintMessage, context: FormatterContext): string | undefined {
  return message.ruleId ? context.rulesMeta?.[message.ruleId]?.docs?.url : undefined;
}

/** Line breaks and the spaces around them become one space: a finding on one line stays one line. */
export function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])[ \t]*/g, ' ');
}

/** Characters XML 1.0 cannot hold at all, even escaped: most control characters, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/[<>&"']/g, (character) => XML_ENTITIES[character]!);
}

/**
 * For attribute values: a parser turns a literal line break or tab in an attribute into a space
 * (attribute-value normalisation), so they are written as character references to survive.
 */
export function escapeXmlAttribute(value: string): string {
  return escapeXml(value).replace(/[\n\r\t]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** CDATA text: what XML cannot hold is replaced, and `]]>` is split across two sections. */
export function xmlCdata(value: string): string {
  return `<![CDATA[${value.replace(NOT_XML, '\uFFFD').replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}
