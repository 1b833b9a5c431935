import { paint } from './paint.js';
import {
  docsUrl,
  pluralize,
  relativePath,
  severityName,
  sortedResults,
  totals,
  type FormatterContext,
} from './shared.js';
import type { LintResult } from '../types.js';

/** The default: findings grouped by file, with rule id and docs link, and a summary line. */
export function formatStylish(results: LintResult[], context: FormatterContext): string {
  const c = paint(context);
  const out: string[] = [];
  for (const result of sortedResults(results)) {
    if (result.messages.length === 0) continue;
    out.push(c.underline(relativePath(result.filePath, context.cwd)));
    for (const message of result.messages) {
      const position = `${message.line}:${message.column}`;
      const label = severityName(message).padEnd(7);
      const severity = message.severity === 2 ? c.red(label) : c.yellow(label);
      out.push(
        `  ${c.dim(position.padEnd(7))} ${severity}  ${message.message}  ${c.dim(message.ruleId ?? '')}`.trimEnd(),
      );
      const url = docsUrl(message, context);
      if (url) out.push(`  ${' '.repeat(7)} ${c.dim(`docs: ${url}`)}`);
    }
    out.push('');
  }
  const sum = totals(results);
  if (sum.problems === 0) return '';
  const summary = `✖ ${sum.problems} ${pluralize('problem', sum.problems)} (${sum.errors} ${pluralize('error', sum.errors)}, ${sum.warnings} ${pluralize('warning', sum.warnings)})`;
  out.push(sum.errors > 0 ? c.red.bold(summary) : c.yellow.bold(summary));
  const fixable = sum.fixableErrors + sum.fixableWarnings;
  if (fixable > 0) out.push(c.dim(`  ${fixable} ${pluralize('problem', fixable)} can be fixed automatically.`));
  if (context.maxWarningsExceeded) {
    out.push(c.yellow(`asynclint found too many warnings (maximum: ${context.maxWarningsExceeded.maxWarnings}).`));
  }
  return `${out.join('\n')}\n`;
}
