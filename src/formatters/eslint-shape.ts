/**
 * Results and formatter context as ESLint hands them to tools: rule ids carry the plugin prefix
 * (`asynclint/await-in-loop`), and `rulesMeta` is keyed by those ids. Tools built for ESLint
 * (`eslint-formatter-*` packages, readers of `--format json`) take an id without a prefix for
 * one of ESLint's core rules: they link `await-in-loop` to ESLint's own docs, or find no such
 * rule. With the prefix they read the rule's `meta.docs.url`, as they do for any plugin.
 */
import type { LintMessage, LintResult, RuleMeta } from '../types.js';
import type { FormatterContext } from './shared.js';

export const PLUGIN_PREFIX = 'asynclint/';

/** `await-in-loop` -> `asynclint/await-in-loop`; an id that already names its plugin stays as it is. */
export function eslintRuleId(ruleId: string): string {
  return ruleId.includes('/') ? ruleId : `${PLUGIN_PREFIX}${ruleId}`;
}

function eslintShapedMessage(message: LintMessage): LintMessage {
  return message.ruleId === null ? message : { ...message, ruleId: eslintRuleId(message.ruleId) };
}

/** The results with every rule id as ESLint names it; messages without a rule (parse errors, unused directives) keep `null`. */
export function eslintShapedResults(results: readonly LintResult[]): LintResult[] {
  return results.map((result) =>
    // Most results have no message: nothing to rename, so no copy.
    result.messages.length === 0 && result.suppressedMessages.length === 0
      ? result
      : {
          ...result,
          messages: result.messages.map(eslintShapedMessage),
          suppressedMessages: result.suppressedMessages.map(eslintShapedMessage),
        },
  );
}

export function eslintShapedRulesMeta(rulesMeta: Record<string, RuleMeta<string>>): Record<string, RuleMeta<string>> {
  return Object.fromEntries(Object.entries(rulesMeta).map(([id, meta]) => [eslintRuleId(id), meta]));
}

/** What ESLint passes a formatter besides the results: `cwd`, `rulesMeta` and `maxWarningsExceeded`. */
export function eslintShapedContext(context: FormatterContext): FormatterContext {
  return { ...context, ...(context.rulesMeta ? { rulesMeta: eslintShapedRulesMeta(context.rulesMeta) } : {}) };
}
