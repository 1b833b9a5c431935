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

const CONTEXT_LINES = 2;

/** Stylish plus the source lines around each finding, with the span underlined. */
export function formatCodeframe(results: LintResult[], context: FormatterContext): string {
  const c = paint(context);
  const out: string[] = [];
  for (const result of sortedResults(results)) {
    const lines = result.source?.split(/\r\n|[\n\r\u2028\u2029]/) ?? [];
    for (const message of result.messages) {
      const label = message.severity === 2 ? c.red.bold(severityName(message)) : c.yellow.bold(severityName(message));
      out.push(`${label}: ${message.message}${message.ruleId ? ` ${c.dim(`(${message.ruleId})`)}` : ''}`);
      out.push(`  ${c.dim('at')} ${relativePath(result.filePath, context.cwd)}:${message.line}:${message.column}`);
      if (lines.length > 0) {
        const first = Math.max(1, message.line - CONTEXT_LINES);
        const last = Math.min(lines.length, message.line + CONTEXT_LINES);
        const width = String(last).length;
        for (let line = first; line <= last; line++) {
          const marker = line === message.line ? c.red.bold('>') : ' ';
          out.push(`${marker} ${c.dim(`${String(line).padStart(width)} |`)} ${lines[line - 1] ?? ''}`.trimEnd());
          if (line === message.line) {
            const end = message.endLine === message.line && message.endColumn ? message.endColumn : message.column + 1;
            const underline = '^'.repeat(Math.max(1, end - message.column));
            out.push(`  ${' '.repeat(width)} ${c.dim('|')} ${' '.repeat(message.column - 1)}${c.red.bold(underline)}`);
          }
        }
      }
      const url = docsUrl(message, context);
      if (url) out.push(`  ${c.dim(`docs: ${url}`)}`);
      out.push('');
    }
  }
  const sum = totals(results);
  if (sum.problems === 0) return '';
  const summary = `✖ ${sum.problems} ${pluralize('problem', sum.problems)} (${sum.errors} ${pluralize('error', sum.errors)}, ${sum.warnings} ${pluralize('warning', sum.warnings)})`;
  out.push(sum.errors > 0 ? c.red.bold(summary) : c.yellow.bold(summary));
  return `${out.join('\n')}\n`;
}
