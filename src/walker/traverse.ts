import type { Node } from '../types.js';
import type { LineIndex } from '../parser/line-index.js';

type VisitorKeys = Record<string, readonly string[] | undefined>;

const NON_CHILD_KEYS = new Set(['parent', 'loc', 'range', 'start', 'end', 'comments', 'tokens', 'leadingComments', 'trailingComments']);

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function childKeys(node: Node, keys: VisitorKeys): readonly string[] {
  const known = keys[node.type];
  if (known) return known;
  // A node type the visitor keys do not know (a newer syntax): walk every node-valued property.
  return Object.keys(node).filter((key) => !NON_CHILD_KEYS.has(key));
}

/**
 * The walk order as a flat list: each node appears once on entry and once (negated index in
 * `isExit`) on exit. Built iteratively, so a 50,000-deep expression cannot overflow the stack;
 * parents (and, for the fast front end, locations) are set on the way, before any rule runs.
 */
export interface WalkOrder {
  nodes: Node[];
  isExit: Uint8Array;
}

export function prepareWalk(ast: Node, keys: VisitorKeys, lineIndex: LineIndex | null): WalkOrder {
  const nodes: Node[] = [];
  const exits: number[] = [];
  const stack: (Node | { exit: Node })[] = [ast];
  (ast as { parent?: Node }).parent = undefined;
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if ('exit' in entry) {
      exits.push(nodes.length);
      nodes.push(entry.exit);
      continue;
    }
    const node = entry;
    if (lineIndex && !node.loc) {
      (node as { loc: unknown }).loc = { start: lineIndex.positionAt(node.range[0]), end: lineIndex.positionAt(node.range[1]) };
    }
    nodes.push(node);
    stack.push({ exit: node });
    const keysOfNode = childKeys(node, keys);
    for (let k = keysOfNode.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keysOfNode[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child = value[i];
          if (isNode(child)) {
            (child as { parent?: Node }).parent = node;
            stack.push(child);
          }
        }
      } else if (isNode(value)) {
        (value as { parent?: Node }).parent = node;
        stack.push(value);
      }
    }
  }
  const isExit = new Uint8Array(nodes.length);
  for (const index of exits) isExit[index] = 1;
  return { nodes, isExit };
}
