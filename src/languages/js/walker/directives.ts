/**
 * Inline directives: `asynclint-disable-next-line <rules> -- reason`, `asynclint-disable-line`,
 * block `asynclint-disable` / `asynclint-enable`, and a bare `asynclint-disable` for the rest of
 * the file. Rule names may carry the plugin prefix (`asynclint/await-in-loop`) so a comment
 * written for ESLint plugin mode also works in the CLI.
 */
import type { Comment } from '../types.js';
import type { Directive, DirectiveKind } from '../../../directives.js';

export { applyDirectives, type Directive, type DirectiveOutcome } from '../../../directives.js';

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
      loc: comment.loc,
      line,
      usedRuleIds: new Set(),
      // Written for ESLint, naming an upstream rule ours replaces: honoured, never reported unused.
      fromUpstream: fromEslint,
    });
  }
  return directives;
}
