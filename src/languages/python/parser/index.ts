/**
 * Python text to the compact tree (tree.ts). A text tree-sitter could not parse whole (an ERROR
 * node, or a MISSING token it invented to recover) is a ParseError at the first such place, which
 * the language reports as one fatal message, as the JS front end reports a syntax error: a tree
 * rebuilt around an error would make findings about code the author did not write.
 */
import { lineStartsOf, positionAt, type Position } from './lines.js';
import { parseToTree, type SyntaxNode } from './runtime.js';
import { buildCompactTree, type PyComment, type PyNode } from './tree.js';

export { isPythonParserLoaded, loadPythonParser, PythonParserNotLoadedError } from './runtime.js';
export { lineStartsOf, positionAt, type Position } from './lines.js';
export type { PyComment, PyNode } from './tree.js';

export interface ParsedPython {
  text: string;
  root: PyNode;
  comments: PyComment[];
  lineStarts: number[];
}

export class PythonParseError extends Error {
  constructor(
    message: string,
    /** 1-based. */
    readonly line: number,
    /** 0-based. */
    readonly column: number,
  ) {
    super(message);
    this.name = 'PythonParseError';
  }
}

/** The first ERROR or MISSING node in document order: only subtrees that have an error are entered. */
function firstErrorNode(root: SyntaxNode): SyntaxNode | null {
  let node: SyntaxNode | null = root;
  while (node) {
    if (node.isMissing || node.isError) return node;
    let next: SyntaxNode | null = null;
    for (const child of node.children) {
      if (child?.hasError || child?.isMissing) {
        next = child;
        break;
      }
    }
    if (!next) return node === root ? null : node;
    node = next;
  }
  return null;
}

function describeError(node: SyntaxNode): string {
  if (node.isMissing) return `missing ${node.isNamed ? node.type : `"${node.type}"`}`;
  const text = node.text.split(/\r?\n|\r/)[0]!.trim();
  const shown = text.length > 30 ? `${text.slice(0, 30)}...` : text;
  return shown ? `invalid syntax near "${shown}"` : 'invalid syntax';
}

function errorOf(tree: { rootNode: SyntaxNode }, lineStarts: readonly number[]): PythonParseError | null {
  if (!tree.rootNode.hasError) return null;
  const node = firstErrorNode(tree.rootNode) ?? tree.rootNode;
  const position: Position = positionAt(lineStarts, node.startIndex);
  return new PythonParseError(describeError(node), position.line, position.column);
}

/** Parses `text`; throws PythonParseError when it is not valid Python, PythonParserNotLoadedError before loading. */
export function parsePython(text: string): ParsedPython {
  const { tree, tables } = parseToTree(text);
  try {
    const lineStarts = lineStartsOf(text);
    const error = errorOf(tree, lineStarts);
    if (error) throw error;
    const { root, comments } = buildCompactTree(tree, tables, text, lineStarts);
    return { text, root, comments, lineStarts };
  } finally {
    tree.delete();
  }
}

/** Whether a text (a suggestion applied, say) is valid Python. */
export function parsesCleanly(text: string): boolean {
  const { tree } = parseToTree(text);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}
