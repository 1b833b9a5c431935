import type { EditInfo, ReportFixFunction, RuleFix, RuleFixer } from '../types.js';

type Ranged = { range: readonly [number, number] };

export const ruleFixer: RuleFixer = {
  insertTextAfter: (node: Ranged, text: string) => ({ range: [node.range[1], node.range[1]], text }),
  insertTextBefore: (node: Ranged, text: string) => ({ range: [node.range[0], node.range[0]], text }),
  insertTextAfterRange: (range, text) => ({ range: [range[1], range[1]], text }),
  insertTextBeforeRange: (range, text) => ({ range: [range[0], range[0]], text }),
  remove: (node: Ranged) => ({ range: node.range, text: '' }),
  removeRange: (range) => ({ range, text: '' }),
  replaceText: (node: Ranged, text: string) => ({ range: node.range, text }),
  replaceTextRange: (range, text) => ({ range, text }),
};

/** Runs a fix function and merges its edits into one, as ESLint does; null when it offers none. */
export function resolveFix(fix: ReportFixFunction, sourceText: string): EditInfo | null {
  const produced = fix(ruleFixer);
  if (produced == null) return null;
  const edits: RuleFix[] = isRuleFix(produced) ? [produced] : [...(produced as Iterable<RuleFix>)];
  if (edits.length === 0) return null;
  if (edits.length === 1) return { range: [edits[0]!.range[0], edits[0]!.range[1]], text: edits[0]!.text };
  edits.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const start = edits[0]!.range[0];
  const end = Math.max(...edits.map((edit) => edit.range[1]));
  let text = '';
  let cursor = start;
  for (const edit of edits) {
    if (edit.range[0] < cursor) throw new Error('Fix objects must not be overlapped in a report.');
    text += sourceText.slice(cursor, edit.range[0]) + edit.text;
    cursor = edit.range[1];
  }
  text += sourceText.slice(cursor, end);
  return { range: [start, end], text };
}

function isRuleFix(value: unknown): value is RuleFix {
  return typeof value === 'object' && value !== null && 'range' in value && 'text' in value;
}

export function applyEdit(text: string, edit: EditInfo): string {
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}
