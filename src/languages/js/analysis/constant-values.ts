/**
 * Values the code fixes where it writes them: a literal, a fresh object, a `const` bound to one,
 * or a member of a constant table (`Server.errors.BAD_REQUEST`, with `static errors = { BAD_REQUEST:
 * 3 } as const` in a class of this file or one imported from another file of the project, or
 * inherited from a class it extends in its own file). Asked about the arguments of a call, to
 * decide which branch of the callee they take.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { exportFactKinds } from './functions.js';
import { resolveModuleBinding } from './imports.js';
import { projectOf } from './project.js';
import { isGlobalReference, variableOf } from './scope.js';

/** A value known where it is written: a primitive, or `OBJECT` for a fresh object (truthy, never nullish). */
export const OBJECT = Symbol('object');
export type KnownValue = { value: string | number | boolean | bigint | null | undefined | typeof OBJECT };

type Primitive = string | number | boolean | null;

const MAX_DEPTH = 6;
const NO_CONFIG = {};

/** The value of an expression when the code fixes it; null when it may be anything. */
export function knownValue(node: Node, sourceCode: SourceCode, file: string, depth = 0): KnownValue | null {
  if (depth > MAX_DEPTH) return null;
  const expression = skipTypeWrappers(node);
  switch (expression.type) {
    case 'Literal':
      return 'regex' in expression && expression.regex ? { value: OBJECT } : { value: expression.value as Primitive };
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
    case 'ClassExpression':
      return { value: OBJECT };
    case 'UnaryExpression':
      return expression.operator === 'void' ? { value: undefined } : null;
    case 'Identifier': {
      if (expression.name === 'undefined' && isGlobalReference(sourceCode, expression)) return { value: undefined };
      const init = constInitializer(expression, sourceCode);
      return init ? knownValue(init, sourceCode, file, depth + 1) : null;
    }
    case 'MemberExpression': {
      const path = memberNames(expression);
      return path ? memberOfTable(path.root, path.names, sourceCode, file, depth) : null;
    }
  }
  return null;
}

/** The initial value of a `const` that is never written again. */
function constInitializer(identifier: TSESTree.Identifier, sourceCode: SourceCode): Node | null {
  const definition = variableOf(sourceCode, identifier)?.defs[0];
  if (definition?.type !== 'Variable') return null;
  if ((definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') return null;
  return (definition.node as TSESTree.VariableDeclarator).init ?? null;
}

/** `Server.errors.BAD_REQUEST`: the root `Server` and the names `errors`, `BAD_REQUEST`. */
function memberNames(member: TSESTree.MemberExpression): { root: TSESTree.Identifier; names: string[] } | null {
  const names: string[] = [];
  let current: Node = member;
  while (current.type === 'MemberExpression') {
    if (current.computed || current.property.type !== 'Identifier') return null;
    names.unshift(current.property.name);
    current = skipTypeWrappers(current.object);
  }
  return current.type === 'Identifier' ? { root: current, names } : null;
}

function memberOfTable(
  root: TSESTree.Identifier,
  names: string[],
  sourceCode: SourceCode,
  file: string,
  depth: number,
): KnownValue | null {
  const binding = resolveModuleBinding(sourceCode, root);
  if (binding) {
    if (!binding.module.startsWith('./') && !binding.module.startsWith('../')) return null;
    const project = projectOf(sourceCode);
    const target = project.resolveModule(file, binding.module);
    if (!target) return null;
    const exportPath = binding.path.length > 0 ? binding.path : ['default'];
    const key = [...exportPath, ...names].join('.');
    const facts = project.exportFacts(target, constantMembersKind(NO_CONFIG));
    if (!facts?.has(key)) return null;
    return { value: facts.get(key) as Primitive };
  }
  const variable = variableOf(sourceCode, root);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  let holder: Node | null = null;
  if (definition?.type === 'ClassName') holder = definition.node as Node;
  else if (definition?.type === 'Variable') holder = constInitializer(root, sourceCode);
  if (!holder) return null;
  const value = memberValue(holder, names, sourceCode, depth);
  return value ? knownValue(value, sourceCode, file, depth + 1) : null;
}

/** The node a path of names leads to inside an object literal or a class's static members. */
function memberValue(holder: Node, names: string[], sourceCode: SourceCode, depth: number): Node | null {
  let current: Node | null = skipTypeWrappers(holder);
  for (const name of names) {
    if (!current) return null;
    current = ownMember(current, name, sourceCode, depth);
    if (current) current = skipTypeWrappers(current);
  }
  return current;
}

function ownMember(holder: Node, name: string, sourceCode: SourceCode, depth: number): Node | null {
  if (holder.type === 'ObjectExpression') {
    let found: Node | null = null;
    for (const property of holder.properties) {
      // A spread may overwrite what comes before it: the table is no longer known.
      if (property.type === 'SpreadElement') found = null;
      else if (!property.computed && property.kind === 'init' && keyName(property.key) === name) found = property.value;
    }
    return found;
  }
  if (holder.type === 'ClassDeclaration' || holder.type === 'ClassExpression') {
    for (const member of holder.body.body)
      if (member.type === 'PropertyDefinition' && member.static && !member.computed && keyName(member.key) === name)
        return member.value ?? null;
    // A static member of the class it extends, when that class is declared in the same file.
    const base = holder.superClass;
    if (base?.type === 'Identifier' && depth < MAX_DEPTH) {
      const definition = variableOf(sourceCode, base)?.defs[0];
      if (definition?.type === 'ClassName') return ownMember(definition.node as Node, name, sourceCode, depth + 1);
    }
  }
  return null;
}

function keyName(key: Node): string | null {
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number'))
    return String(key.value);
  return null;
}

/**
 * Per file: the primitive leaves of the constant tables its exported classes (static members,
 * inherited from a class of the same file too) and objects hold, keyed by their path from the
 * export (`Server.errors.BAD_REQUEST` -> 3).
 */
const constantMembersKind = exportFactKinds(
  'constant-members',
  () => '',
  (module) => {
    const found = new Map<string, Primitive>();
    for (const [exportName, definition] of module.exports) collectLeaves(definition, [exportName], module, found, 0);
    return found;
  },
);

function collectLeaves(
  holder: Node,
  path: string[],
  module: { sourceCode: SourceCode },
  found: Map<string, Primitive>,
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  const node = skipTypeWrappers(holder);
  if (node.type === 'Literal' && !('regex' in node && node.regex) && typeof node.value !== 'bigint') {
    if (path.length > 1) found.set(path.join('.'), node.value as Primitive);
    return;
  }
  const names = new Set<string>();
  if (node.type === 'ObjectExpression') {
    if (node.properties.some((property) => property.type === 'SpreadElement')) return;
    for (const property of node.properties)
      if (property.type === 'Property' && !property.computed && property.kind === 'init') {
        const name = keyName(property.key);
        if (name) names.add(name);
      }
  } else if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
    for (let current: Node | null = node, hops = 0; current && hops < MAX_DEPTH; hops++) {
      if (current.type !== 'ClassDeclaration' && current.type !== 'ClassExpression') break;
      for (const member of current.body.body)
        if (member.type === 'PropertyDefinition' && member.static && !member.computed) {
          const name = keyName(member.key);
          if (name) names.add(name);
        }
      const base: Node | null = current.superClass;
      const definition: { type: string; node: unknown } | undefined =
        base?.type === 'Identifier' ? variableOf(module.sourceCode, base)?.defs[0] : undefined;
      current = definition?.type === 'ClassName' ? (definition.node as Node) : null;
    }
  } else return;
  for (const name of names) {
    const value = ownMember(node, name, module.sourceCode, 0);
    if (value) collectLeaves(value, [...path, name], module, found, depth + 1);
  }
}
