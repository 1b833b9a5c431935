/**
 * Python text in, messages out. A syntax error, a file nested too deeply for the analysis, or a
 * rule crash becomes one fatal message for the file, as in the JS language, so one bad file
 * never stops the others.
 */
import { pythonRules } from '../../../rules/python/index.js';
import { buildResult } from '../../lint-result.js';
import { collectPhases, timed } from '../../timing.js';
import type { LintMessage, LintResult } from '../../types.js';
import type { LintTextOptions } from '../language.js';
import type { ImportContext, PythonProject } from './analysis/index.js';
import type { PackageFacts } from '../../analysis/context/file-context.js';
import { parsePython, parsesCleanly, PythonParseError } from './parser/index.js';
import type { ConfiguredPyRule } from './types.js';
import { PyRuleCrash, runPythonRules } from './walker/index.js';

export interface PythonLintOptions {
  /** The package relative imports resolve against (see project/packages.ts). */
  imports?: ImportContext;
  /** What the project's pyproject.toml says about where files run (see project/pyproject.ts). */
  packageFacts?: PackageFacts | null;
  /** The project's other modules (see project/python-project.ts); null: none, as for a text with no file. */
  pythonProject?: PythonProject | null;
}

function fatalMessage(message: string, line: number, column: number, ruleId: string | null = null): LintMessage {
  return { ruleId, fatal: true, severity: 2, message, line, column, nodeType: null };
}

/** The configured rules Python has: a rule only the JS language knows is not Python's business. */
function pythonRulesOf(rules: LintTextOptions['rules']): ConfiguredPyRule[] {
  return rules.flatMap((entry) => {
    const rule = pythonRules[entry.id];
    return rule ? [{ id: entry.id, rule, severity: entry.severity, options: entry.options }] : [];
  });
}

/** Suggestions whose edit would leave the file unparsable are dropped: a suggestion never corrupts a file. */
function dropBrokenSuggestions(messages: LintMessage[], text: string): void {
  for (const message of messages) {
    if (!message.suggestions) continue;
    message.suggestions = message.suggestions.filter(({ fix }) =>
      parsesCleanly(text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1])),
    );
    if (message.suggestions.length === 0) delete message.suggestions;
  }
}

function failure(error: unknown): LintMessage | null {
  if (error instanceof PythonParseError)
    return fatalMessage(`Parsing error: ${error.message}`, error.line, error.column + 1);
  if (error instanceof RangeError)
    return fatalMessage(`File is nested too deeply to analyse (${error.message}); it was not linted.`, 1, 1);
  if (error instanceof PyRuleCrash) {
    if (error.original instanceof RangeError)
      return fatalMessage(`File is nested too deeply for rule "${error.ruleId}"; it was not linted.`, 1, 1);
    const message = `Internal error: ${error.message}. Please report it with this file.`;
    return fatalMessage(message, error.node.line, error.node.column + 1, error.ruleId);
  }
  return null;
}

export function lintPython(text: string, options: LintTextOptions & PythonLintOptions): LintResult {
  const { filename, stats } = options;
  if (stats) stats.files++;
  return collectPhases(stats?.phases, () => {
    try {
      const parsed = timed('parse', () => parsePython(text));
      const outcome = timed('rules', () =>
        runPythonRules(parsed, {
          filename,
          cwd: options.cwd,
          settings: options.settings,
          rules: pythonRulesOf(options.rules),
          inlineConfig: options.inlineConfig,
          reportUnusedDisableDirectives: options.reportUnusedDisableDirectives,
          ruleTimings: stats?.rules,
          imports: options.imports ?? { packageName: null },
          packageFacts: options.packageFacts ?? null,
          project: options.pythonProject ?? null,
        }),
      );
      dropBrokenSuggestions(outcome.messages, text);
      if (stats && outcome.walked) stats.walked++;
      for (const message of outcome.messages)
        if (stats && message.ruleId) stats.findings.set(message.ruleId, (stats.findings.get(message.ruleId) ?? 0) + 1);
      return buildResult(filename, outcome.messages, outcome.suppressedMessages, text);
    } catch (error) {
      const fatal = failure(error);
      if (!fatal) throw error;
      return buildResult(filename, [fatal], [], text);
    }
  });
}
