/**
 * Python's directive comments: `# asynclint: disable-next-line <rules> -- reason`,
 * `# asynclint: disable-line ...`, `# asynclint: disable` / `# asynclint: enable`, and ruff's
 * `# noqa: ASYNC251` for the codes a rule of ours replaces (each rule lists them in
 * `meta.docs.upstream`): the author's intent toward ruff holds for our rule too. A bare `# noqa`
 * (every code) is ruff's business and is ignored, as a bare `eslint-disable` is for JS.
 */
import type { Directive, DirectiveKind } from '../../../directives.js';
import type { PyComment } from '../parser/index.js';

const DIRECTIVE = /^\s*asynclint:\s*(disable-next-line|disable-line|disable|enable)(?=\s|$)(.*)$/;
const NOQA = /(?:^|[\s#])noqa\s*:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)/i;

function locOf(comment: PyComment): Directive['loc'] {
  return {
    start: { line: comment.line, column: comment.column },
    end: { line: comment.line, column: comment.column + comment.end - comment.start },
  };
}

function asynclintDirective(comment: PyComment, match: RegExpExecArray): Directive {
  const kind = match[1] as DirectiveKind;
  const [ruleText = '', ...reason] = match[2]!.split(/\s--\s|\s--$/);
  const ruleIds = ruleText
    .split(',')
    .map((id) => id.trim().replace(/^asynclint\//, ''))
    .filter(Boolean);
  return {
    kind,
    ruleIds,
    justification: reason.join(' -- ').trim(),
    loc: locOf(comment),
    line: kind === 'disable-next-line' ? comment.line + 1 : comment.line,
    usedRuleIds: new Set(),
    fromUpstream: false,
    label: `asynclint: ${kind}`,
  };
}

/** `upstream` maps a ruff code (`ASYNC251`) to the rules of ours that replace it. */
export function parsePythonDirectives(
  comments: readonly PyComment[],
  upstream: ReadonlyMap<string, readonly string[]>,
): Directive[] {
  const directives: Directive[] = [];
  for (const comment of comments) {
    const match = DIRECTIVE.exec(comment.value);
    if (match) {
      directives.push(asynclintDirective(comment, match));
      continue;
    }
    const noqa = NOQA.exec(comment.value);
    if (!noqa) continue;
    const codes = noqa[1]!.split(/[\s,]+/).map((code) => code.toUpperCase());
    const ruleIds = [...new Set(codes.flatMap((code) => upstream.get(code) ?? []))];
    if (ruleIds.length === 0) continue;
    directives.push({
      kind: 'disable-line',
      ruleIds,
      justification: `# noqa: ${codes.join(', ')}`,
      loc: locOf(comment),
      line: comment.line,
      usedRuleIds: new Set(),
      fromUpstream: true,
    });
  }
  return directives;
}
