/**
 * Inline directives, once each language has found them in its comments (JS:
 * `// asynclint-disable-next-line <rules> -- reason`; Python: `# asynclint: disable-next-line ...`
 * and `# noqa: <code>`): which messages they suppress, with the justification kept, and which
 * directives suppressed nothing (`--report-unused-disable-directives`). No syntax tree here.
 */
import type { LintMessage } from './types.js';

export type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

/** 1-based line, 0-based column, as directives' comments are located. */
export interface DirectivePosition {
  line: number;
  column: number;
}

export interface Directive {
  kind: DirectiveKind;
  /** Empty means every rule. */
  ruleIds: string[];
  justification: string;
  /** Where its comment is. */
  loc: { start: DirectivePosition; end: DirectivePosition };
  /** The line a line directive covers. */
  line: number;
  usedRuleIds: Set<string | null>;
  /**
   * Written for another tool (an `eslint-disable` or `# noqa` naming a rule ours replaces):
   * honoured, never reported unused.
   */
  fromUpstream: boolean;
  /** How the directive is written, for the unused-directive message (default `asynclint-<kind>`). */
  label?: string;
}

function covers(directive: Directive, ruleId: string | null): boolean {
  return directive.ruleIds.length === 0 || (ruleId !== null && directive.ruleIds.includes(ruleId));
}

function before(a: DirectivePosition, b: DirectivePosition): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

/** The directive that suppresses a message, if any. */
function suppressingDirective(directives: readonly Directive[], message: LintMessage): Directive | null {
  const position = { line: message.line, column: message.column - 1 };
  let blockDirective: Directive | null = null;
  for (const directive of directives) {
    if (directive.kind === 'disable-line' || directive.kind === 'disable-next-line') {
      if (directive.line === message.line && covers(directive, message.ruleId)) return directive;
      continue;
    }
    if (!before(directive.loc.start, position)) continue;
    if (directive.kind === 'disable' && covers(directive, message.ruleId)) blockDirective = directive;
    if (directive.kind === 'enable' && blockDirective && covers(directive, message.ruleId)) blockDirective = null;
  }
  return blockDirective;
}

export interface DirectiveOutcome {
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
}

export function applyDirectives(
  messages: readonly LintMessage[],
  directives: readonly Directive[],
  reportUnused: 0 | 1 | 2,
): DirectiveOutcome {
  const kept: LintMessage[] = [];
  const suppressed: LintMessage[] = [];
  for (const message of messages) {
    const directive = message.fatal ? null : suppressingDirective(directives, message);
    if (!directive) {
      kept.push(message);
      continue;
    }
    directive.usedRuleIds.add(directive.ruleIds.length === 0 ? null : message.ruleId);
    suppressed.push({ ...message, suppressions: [{ kind: 'directive', justification: directive.justification }] });
  }
  if (reportUnused !== 0) kept.push(...unusedDirectiveMessages(directives, reportUnused));
  return { messages: kept, suppressedMessages: suppressed };
}

function unusedDirectiveMessages(directives: readonly Directive[], severity: 1 | 2): LintMessage[] {
  const found: LintMessage[] = [];
  for (const directive of directives) {
    if (directive.kind === 'enable' || directive.fromUpstream) continue;
    const unusedIds =
      directive.ruleIds.length === 0
        ? directive.usedRuleIds.size === 0
          ? [null]
          : []
        : directive.ruleIds.filter((id) => !directive.usedRuleIds.has(id));
    const label = directive.label ?? `asynclint-${directive.kind}`;
    for (const id of unusedIds) {
      const { start, end } = directive.loc;
      found.push({
        ruleId: null,
        severity,
        message:
          id === null
            ? `Unused ${label} directive (no problems were reported).`
            : `Unused ${label} directive (no problems were reported from '${id}').`,
        line: start.line,
        column: start.column + 1,
        endLine: end.line,
        endColumn: end.column + 1,
        nodeType: null,
      });
    }
  }
  return found;
}

/** `{{ name }}` placeholders of a rule's message filled from a report's data, as ESLint fills them. */
export function interpolate(template: string, data: Record<string, unknown> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, key: string) =>
    key in data ? String(data[key]) : whole,
  );
}
