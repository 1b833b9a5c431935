/** Small structural questions about TSESTree nodes that several rules ask. */
import type { Node, TSESTree } from '../types.js';

export type FunctionNode =
  TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
export type LoopNode =
  | TSESTree.ForStatement
  | TSESTree.ForInStatement
  | TSESTree.ForOfStatement
  | TSESTree.WhileStatement
  | TSESTree.DoWhileStatement;

export function isFunctionNode(node: Node | null | undefined): node is FunctionNode {
  return (
    !!node &&
    (node.type === 'FunctionDeclaration' ||
      node.type === 'FunctionExpression' ||
      node.type === 'ArrowFunctionExpression')
  );
}

export function isLoopNode(node: Node | null | undefined): node is LoopNode {
  return (
    !!node &&
    (node.type === 'ForStatement' ||
      node.type === 'ForInStatement' ||
      node.type === 'ForOfStatement' ||
      node.type === 'WhileStatement' ||
      node.type === 'DoWhileStatement')
  );
}

/** Whether `child` (a direct child of `loop`) is evaluated again on every iteration. */
export function isRepeatedPartOfLoop(child: Node, loop: LoopNode): boolean {
  switch (loop.type) {
    case 'ForStatement':
      return child === loop.test || child === loop.update || child === loop.body;
    case 'ForInStatement':
    case 'ForOfStatement':
      return child === loop.body;
    case 'WhileStatement':
    case 'DoWhileStatement':
      return child === loop.test || child === loop.body;
  }
  return false;
}

export function contains(
  outer: { range: readonly [number, number] },
  inner: { range: readonly [number, number] },
): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

type VisitorKeys = Record<string, readonly string[] | undefined>;

/**
 * A whole file's nodes in walk order, as the walker's pre-pass listed them (each node once on
 * entry and once, flagged in `isExit`, on exit), with the visitor keys it walked by. Analysis
 * searches whole files many times (every call used as a promise, every assigned member): reading
 * this list costs a fifth of walking the tree again.
 */
interface FileWalk {
  nodes: readonly Node[];
  isExit: Uint8Array;
  keys: VisitorKeys;
  /** For each entry, the index of its exit: what skipping a node's children jumps to. */
  exits?: Int32Array;
}

const fileWalks = new WeakMap<Node, FileWalk>();

/**
 * Notes the walk order of a file's tree (see FileWalk), listed by the same keys and rule for
 * children as forEachDescendant (only nodes of known types), so reading it visits what walking
 * would, in the same order.
 */
export function noteFileWalk(program: Node, nodes: readonly Node[], isExit: Uint8Array, keys: VisitorKeys): void {
  fileWalks.set(program, { nodes, isExit, keys });
}

function exitsOf(walk: FileWalk): Int32Array {
  if (walk.exits) return walk.exits;
  const exits = new Int32Array(walk.nodes.length);
  const open: number[] = [];
  for (let index = 0; index < walk.nodes.length; index++) {
    if (walk.isExit[index]) exits[open.pop()!] = index;
    else open.push(index);
  }
  return (walk.exits = exits);
}

/**
 * Visits `root` and its descendants in source order without recursion. Return `false` from
 * `visit` to skip a node's children.
 */
export function forEachDescendant(root: Node, keys: VisitorKeys, visit: (node: Node) => boolean | void): void {
  const walk = root.type === 'Program' ? fileWalks.get(root) : undefined;
  if (walk && walk.keys === keys) {
    const { nodes, isExit } = walk;
    for (let index = 0; index < nodes.length; index++) {
      if (isExit[index]) continue;
      if (visit(nodes[index]!) === false) index = exitsOf(walk)[index]!;
    }
    return;
  }
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const nodeKeys = keys[node.type] ?? [];
    for (let k = nodeKeys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[nodeKeys[k]!];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--)
          if (value[i] && typeof value[i].type === 'string') stack.push(value[i]);
      } else if (value && typeof (value as Node).type === 'string') stack.push(value as Node);
    }
  }
}

/** `a.b.c` as ['a', 'b', 'c'] for a chain of non-computed members (and `this`); null otherwise. */
export function memberPath(node: Node): string[] | null {
  const path: string[] = [];
  let current: Node = node;
  for (;;) {
    if (current.type === 'ChainExpression') current = current.expression;
    else if (current.type === 'TSNonNullExpression') current = current.expression;
    else if (current.type === 'MemberExpression') {
      if (current.computed) {
        if (current.property.type !== 'Literal' || typeof current.property.value !== 'string') return null;
        path.unshift(current.property.value);
      } else if (current.property.type === 'Identifier') path.unshift(current.property.name);
      else return null;
      current = current.object;
    } else if (current.type === 'Identifier') {
      path.unshift(current.name);
      return path;
    } else if (current.type === 'ThisExpression') {
      path.unshift('this');
      return path;
    } else return null;
  }
}

/** The name a call is known by: `f` for `f()`, `write` for `a.b.write()`. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | null {
  let callee: Node = call.callee;
  if (callee.type === 'ChainExpression') callee = callee.expression;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier')
    return callee.property.name;
  return null;
}

/** Strips wrappers that do not change an expression's value: `x!`, `x as T`, `<T>x`, `x satisfies T`. */
export function skipTypeWrappers(node: Node): Node {
  let current = node;
  while (
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSAsExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'TSSatisfiesExpression'
  ) {
    current = current.expression;
  }
  return current;
}

/** Strips type wrappers and optional chains: the call in `a?.b()!`, the promise in `(p as Promise<T>)`. */
export function skipWrappersAndChains(node: Node): Node {
  let current = skipTypeWrappers(node);
  while (current.type === 'ChainExpression') current = skipTypeWrappers(current.expression);
  return current;
}

/**
 * The declaration a named function is known by: the function declaration itself, or the
 * `const f = async () => ...` declarator whose value it is; null for an anonymous function.
 */
export function functionHolder(fn: Node): TSESTree.FunctionDeclaration | TSESTree.VariableDeclarator | null {
  if (fn.type === 'FunctionDeclaration') return fn;
  return fn.parent?.type === 'VariableDeclarator' && fn.parent.init === fn ? fn.parent : null;
}

/** The name an import specifier takes from its module: `default` for a default import (`import x from`). */
export function importedName(specifier: TSESTree.ImportSpecifier | TSESTree.ImportDefaultSpecifier): string {
  if (specifier.type === 'ImportDefaultSpecifier') return 'default';
  return specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
}

/** Whether a node is an object literal that sets `key` to the literal `value`: `{ async: true }`, `{ concurrency: 1 }`. */
export function setsOption(node: Node | undefined, key: string, value: string | number | boolean): boolean {
  return (
    node?.type === 'ObjectExpression' &&
    node.properties.some(
      (property) =>
        property.type === 'Property' &&
        !property.computed &&
        property.key.type === 'Identifier' &&
        property.key.name === key &&
        property.value.type === 'Literal' &&
        property.value.value === value,
    )
  );
}
