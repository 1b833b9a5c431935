/**
 * Text in, messages out: the core of the engine. It reads no file itself: what rules learn about
 * other files comes from the project it is handed (by default the process's DiskProject). Parse
 * errors, too-deep nesting and rule crashes become one fatal message for this file, so one bad
 * file never stops the others.
 */
import {
  NestingError,
  parse,
  ParseError,
  parsesCleanly,
  type FrontEnd,
  type TypedParseOptions,
} from './parser/index.js';
import { applyEdit, runRules, RuleCrash, type ConfiguredRule } from './walker/index.js';
import type { ConfiguredRule as AnyConfiguredRule, LintMessage, LintResult, RuleModule, SourceCode } from './types.js';
import type { LintTextOptions } from '../language.js';
import { buildResult } from '../../lint-result.js';
import { attachProject } from './analysis/index.js';
import { processProject, type DiskProject } from './project/index.js';
import { collectPhases, timed } from '../../timing.js';

/** What only the JS language is told: which front end parses, the type program, the project graph. */
export interface JsLintOptions {
  frontEnd?: FrontEnd;
  typed?: TypedParseOptions;
  /** Where cross-file facts come from; the process's project when not given. */
  project?: DiskProject;
}

export type LintSourceOptions = LintTextOptions & JsLintOptions;

function fatalMessage(message: string, line: number, column: number, ruleId: string | null = null): LintMessage {
  return { ruleId, fatal: true, severity: 2, message, line, column, nodeType: null };
}

/** The configured rules as ESTree rules: config hands over the rule objects of the registry. */
function asJsRules(rules: readonly AnyConfiguredRule[]): readonly ConfiguredRule[] {
  for (const entry of rules)
    if (typeof (entry.rule as Partial<RuleModule>).create !== 'function')
      throw new TypeError(`Rule "${entry.id}" is not a rule for JavaScript.`);
  return rules as readonly ConfiguredRule[];
}

/** Messages whose fix or suggestion would leave the file unparsable lose that fix: a fix never corrupts a file. */
function dropBrokenEdits(messages: LintMessage[], text: string, filename: string): void {
  for (const message of messages) {
    if (message.fix && !parsesCleanly(applyEdit(text, message.fix), filename)) delete message.fix;
    if (message.suggestions) {
      message.suggestions = message.suggestions.filter((suggestion) =>
        parsesCleanly(applyEdit(text, suggestion.fix), filename),
      );
      if (message.suggestions.length === 0) delete message.suggestions;
    }
  }
}

/** Facts are a shortcut for importers; if distilling them fails, importers parse the file themselves. */
function provideFactsSafely(project: DiskProject, filename: string, sourceCode: SourceCode): void {
  try {
    project.provideExportFacts(filename, sourceCode);
  } catch {
    // Nothing is lost: exportFacts computes them on demand.
  }
}

export function lintSource(text: string, options: LintSourceOptions): LintResult {
  if (options.stats) options.stats.files++;
  return collectPhases(options.stats?.phases, () => lintParsedSource(text, options));
}

function lintParsedSource(text: string, options: LintSourceOptions): LintResult {
  const { filename, stats } = options;
  const project = options.project ?? processProject;
  let parsed;
  try {
    parsed = timed('parse', () => parse(text, filename, options.frontEnd ?? 'fast', options.typed));
  } catch (error) {
    if (error instanceof NestingError)
      return buildResult(filename, [fatalMessage(`${error.message}.`, error.line, error.column + 1)], [], text);
    if (error instanceof ParseError)
      return buildResult(
        filename,
        [fatalMessage(`Parsing error: ${error.message}`, error.line, error.column + 1)],
        [],
        text,
      );
    if (error instanceof RangeError)
      return buildResult(
        filename,
        [fatalMessage(`File is nested too deeply to parse (${error.message}).`, 1, 1)],
        [],
        text,
      );
    throw error;
  }
  let outcome;
  try {
    outcome = timed('rules', () =>
      runRules(parsed, text, {
        filename,
        cwd: options.cwd,
        settings: options.settings,
        rules: asJsRules(options.rules),
        inlineConfig: options.inlineConfig,
        reportUnusedDisableDirectives: options.reportUnusedDisableDirectives,
        ruleTimings: stats?.rules,
        beforeRules: (sourceCode) => attachProject(sourceCode, project),
        afterRules: (sourceCode) => {
          if (stats) stats.walked++;
          if (options.provideFacts) timed('index', () => provideFactsSafely(project, filename, sourceCode));
        },
      }),
    );
  } catch (error) {
    if (error instanceof RangeError)
      return buildResult(
        filename,
        [fatalMessage(`File is nested too deeply to analyse (${error.message}); it was not linted.`, 1, 1)],
        [],
        text,
      );
    if (error instanceof RuleCrash) {
      if (error.original instanceof RangeError)
        return buildResult(
          filename,
          [
            fatalMessage(
              `File is nested too deeply for rule "${error.ruleId}" (${error.original.message}); it was not linted.`,
              1,
              1,
            ),
          ],
          [],
          text,
        );
      const line = error.position?.line ?? 1;
      const column = (error.position?.column ?? 0) + 1;
      return buildResult(
        filename,
        [
          fatalMessage(
            `Internal error: ${error.message}. Please report it with this file.`,
            line,
            column,
            error.ruleId,
          ),
        ],
        [],
        text,
      );
    }
    throw error;
  }
  dropBrokenEdits(outcome.messages, text, filename);
  if (stats)
    for (const message of outcome.messages)
      if (message.ruleId) stats.findings.set(message.ruleId, (stats.findings.get(message.ruleId) ?? 0) + 1);
  return buildResult(filename, outcome.messages, outcome.suppressedMessages, text);
}
