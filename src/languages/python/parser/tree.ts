/**
 * The compact tree rules and analysis read: small plain objects built in one TreeCursor pass,
 * after which the WebAssembly tree is deleted. Reading nodes through web-tree-sitter's node
 * objects costs a call into WebAssembly per property (ten times slower over a file); the cursor
 * pass asks each node four questions and nothing crosses the boundary afterwards.
 *
 * Punctuation (`(`, `,`, `:` ...) is left out: nothing is decided by it, and it is a third of
 * the nodes. Keywords and operators stay, as anonymous nodes (`async`, `not`, `+=`), since
 * `async def` and `a + b` are told apart by them. Comments are collected apart, for directives.
 */
import type { GrammarTables, Tree } from './runtime.js';

export interface PyNode {
  /** The grammar's type (`call`, `identifier`); an anonymous token's type is its text (`async`). */
  type: string;
  named: boolean;
  /** The field this node fills in its parent (`function`, `arguments`), or null. */
  field: string | null;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** 1-based line and 0-based column of the start. */
  line: number;
  column: number;
  parent: PyNode | null;
  children: PyNode[];
}

export interface PyComment {
  /** The text after `#`. */
  value: string;
  start: number;
  end: number;
  line: number;
  column: number;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '->', '@', '=', '\\']);

type Kind = 'keep' | 'skip' | 'comment';

const kindsByTables = new WeakMap<GrammarTables, Kind[]>();

function kindsOf(tables: GrammarTables): Kind[] {
  let kinds = kindsByTables.get(tables);
  if (!kinds) {
    kinds = tables.typeNames.map((name, id) =>
      name === 'comment' && tables.named[id] ? 'comment' : !tables.named[id] && PUNCTUATION.has(name) ? 'skip' : 'keep',
    );
    kindsByTables.set(tables, kinds);
  }
  return kinds;
}

/** Walks the tree once with a cursor; starts arrive in document order, so lines advance without a search. */
export function buildCompactTree(
  tree: Tree,
  tables: GrammarTables,
  text: string,
  lineStarts: readonly number[],
): { root: PyNode; comments: PyComment[] } {
  const kinds = kindsOf(tables);
  const comments: PyComment[] = [];
  const cursor = tree.walk();
  let line = 0;
  const lineOf = (offset: number) => {
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return line;
  };
  const makeNode = (typeId: number, parent: PyNode | null): PyNode => {
    const start = cursor.startIndex;
    const row = lineOf(start);
    return {
      type: tables.typeNames[typeId] ?? 'ERROR',
      named: tables.named[typeId] ?? true,
      field: tables.fieldNames[cursor.currentFieldId] ?? null,
      start,
      end: cursor.endIndex,
      line: row + 1,
      column: start - lineStarts[row]!,
      parent,
      children: [],
    };
  };
  const root = makeNode(cursor.nodeTypeId, null);
  let parent = root;
  try {
    if (!cursor.gotoFirstChild()) return { root, comments };
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const kind = kinds[typeId] ?? 'keep';
      if (kind === 'comment') {
        const start = cursor.startIndex;
        const row = lineOf(start);
        const end = cursor.endIndex;
        comments.push({
          value: text.slice(start + 1, end),
          start,
          end,
          line: row + 1,
          column: start - lineStarts[row]!,
        });
      } else if (kind === 'keep') {
        const node = makeNode(typeId, parent);
        parent.children.push(node);
        if (cursor.gotoFirstChild()) {
          parent = node;
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || parent === root) return { root, comments };
        parent = parent.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}
