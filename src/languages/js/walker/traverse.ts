import type { Node } from '../types.js';
import { noteFileWalk } from '../analysis/ast.js';

type VisitorKeys = Record<string, readonly string[] | undefined>;

const NON_CHILD_KEYS = new Set([
  'parent',
  'loc',
  'range',
  'start',
  'end',
  'comments',
  'tokens',
  'leadingComments',
  'trailingComments',
]);

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
 * The walk order as a flat list: each node appears once on entry and once (flagged in `isExit`)
 * on exit. Built iteratively, so a 50,000-deep expression cannot overflow the stack; parents (and
 * `range`, from oxc's `start` and `end`) are set on the way, before any rule runs. Locations are
 * not: `sourceCode.getLoc` computes them for the few nodes asked about.
 */
export interface WalkOrder {
  nodes: Node[];
  isExit: Uint8Array;
}

export function prepareWalk(ast: Node, keys: VisitorKeys): WalkOrder {
  const nodes: Node[] = [];
  const exits: number[] = [];
  // A node is pushed twice: once to enter (flag 0) and, under its children, once to exit (flag 1).
  const stack: Node[] = [ast];
  const leaving: number[] = [0];
  /** A node type the keys do not know was walked by its properties, which analysis does not do. */
  let walksUnknownTypes = false;
  (ast as { parent?: Node }).parent = undefined;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (leaving.pop() === 1) {
      exits.push(nodes.length);
      nodes.push(node);
      continue;
    }
    nodes.push(node);
    stack.push(node);
    leaving.push(1);
    if (!node.range)
      (node as { range: [number, number] }).range = [
        (node as unknown as { start: number }).start,
        (node as unknown as { end: number }).end,
      ];
    const known = keys[node.type];
    if (!known) walksUnknownTypes = true;
    const keysOfNode = known ?? childKeys(node, keys);
    for (let k = keysOfNode.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keysOfNode[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child = value[i];
          if (isNode(child)) {
            (child as { parent?: Node }).parent = node;
            stack.push(child);
            leaving.push(0);
          }
        }
      } else if (isNode(value)) {
        (value as { parent?: Node }).parent = node;
        stack.push(value);
        leaving.push(0);
      }
    }
  }
  const isExit = new Uint8Array(nodes.length);
  for (const index of exits) isExit[index] = 1;
  // Whole-file searches of the analysis read this list instead of walking the tree again.
  if (ast.type === 'Program' && !walksUnknownTypes) noteFileWalk(ast, nodes, isExit, keys);
  return { nodes, isExit };
}
