/**
 * Inline directives: `asynclint-disable-next-line <rules> -- reason`, `asynclint-disable-line`,
 * block `asynclint-disable` / `asynclint-enable`, and a bare `asynclint-disable` for the rest of
 * the file. Rule names may carry the plugin prefix (`asynclint/await-in-loop`) so a comment
 * written for ESLint plugin mode also works in the CLI.
 */
import type { Comment, LintMessage, Position } from '../types.js';

type DirectiveKind = 'disable' | 'enable' | 'disable-line' | 'disable-next-line';

export interface Directive {
  kind: DirectiveKind;
  /** Empty means every rule. */
  ruleIds: string[];
  justification: string;
  comment: Comment;
  /** The line a line directive covers. */
  line: number;
  usedRuleIds: Set<string | null>;
  /** Written for ESLint, naming an upstream rule ours replaces: honoured, never reported unused. */
  fromEslint: boolean;
}

const DIRECTIVE = /^\s*(asynclint|eslint)-(disable-next-line|disable-line|disable|enable)(?=\s|$)([\s\S]*)$/;

/**
 * `upstream` maps a peer rule's name (`@typescript-eslint/no-floating-promises`) to the rules
 * that replace it: an `eslint-disable` comment naming it states the author's intent for ours too.
 * Other eslint comments, and bare `eslint-disable`, are ESLint's business and are ignored.
 */
export function parseDirectives(
  comments: readonly Comment[],
  upstream: ReadonlyMap<string, readonly string[]> = new Map(),
): Directive[] {
  const directives: Directive[] = [];
  for (const comment of comments) {
    if (comment.type === 'Shebang') continue;
    const match = DIRECTIVE.exec(comment.value);
    if (!match) continue;
    const fromEslint = match[1] === 'eslint';
    const kind = match[2] as DirectiveKind;
    const [ruleText = '', ...reason] = match[3]!.split(/\s--\s|\s--$/);
    const names = ruleText
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const ruleIds = fromEslint
      ? names.flatMap(
          (name) => upstream.get(name) ?? (name.startsWith('asynclint/') ? [name.slice('asynclint/'.length)] : []),
        )
      : names.map((id) => id.replace(/^asynclint\//, ''));
    if (fromEslint && ruleIds.length === 0) continue;
    const line = kind === 'disable-next-line' ? comment.loc.end.line + 1 : comment.loc.start.line;
    directives.push({
      kind,
      ruleIds,
      justification: reason.join(' -- ').trim(),
      comment,
      line,
      usedRuleIds: new Set(),
      fromEslint,
    });
  }
  return directives;
}

function covers(directive: Directive, ruleId: string | null): boolean {
  return directive.ruleIds.length === 0 || (ruleId !== null && directive.ruleIds.includes(ruleId));
}

function before(a: Position, b: Position): boolean {
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
    if (!before(directive.comment.loc.start, position)) continue;
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
  if (reportUnused !== 0) {
    for (const directive of directives) {
      if (directive.kind === 'enable' || directive.fromEslint) continue;
      const unusedIds =
        directive.ruleIds.length === 0
          ? directive.usedRuleIds.size === 0
            ? [null]
            : []
          : directive.ruleIds.filter((id) => !directive.usedRuleIds.has(id));
      for (const id of unusedIds) {
        const { start, end } = directive.comment.loc;
        kept.push({
          ruleId: null,
          severity: reportUnused,
          message:
            id === null
              ? `Unused asynclint-${directive.kind} directive (no problems were reported).`
              : `Unused asynclint-${directive.kind} directive (no problems were reported from '${id}').`,
          line: start.line,
          column: start.column + 1,
          endLine: end.line,
          endColumn: end.column + 1,
          nodeType: null,
        });
      }
    }
  }
  return { messages: kept, suppressedMessages: suppressed };
}
