/**
 * Python's scopes, as the language defines them: module, class, function, lambda and
 * comprehension scopes; a name bound anywhere in a function is local to all of it unless
 * declared `global` or `nonlocal`; a class body's names are not visible from its methods (or its
 * comprehensions); a walrus in a comprehension binds in the scope around it. Imports are bound
 * with the qualified name they stand for (imports.ts reads them).
 */
import { childByField, isParameterName, scopeNodeOf, textOf, type PyNode } from './ast.js';
import { PYTHON_BUILTINS } from './builtins.js';
import { importDefinitions, type ImportContext } from './import-bindings.js';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

export type DefinitionKind =
  'import' | 'function' | 'class' | 'parameter' | 'assignment' | 'loop' | 'alias' | 'pattern' | 'walrus' | 'delete';

export interface Definition {
  kind: DefinitionKind;
  name: string;
  /** The identifier that binds the name (for an import, the imported or aliased name). */
  node: PyNode;
  /** For an import: the qualified name it binds (`os.path`, `time.sleep`), null when unknowable. */
  importTarget?: string | null;
}

export interface Scope {
  kind: ScopeKind;
  node: PyNode;
  parent: Scope | null;
  children: Scope[];
  definitions: Map<string, Definition[]>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** `from m import *` here: a name not found may come from it. */
  hasWildcardImport: boolean;
}

/** What a name refers to: definitions in a scope, a builtin, or unknown (a wildcard import may bind it, or nothing visible does). */
export type Resolution =
  | { kind: 'defined'; scope: Scope; definitions: readonly Definition[] }
  | { kind: 'builtin'; name: string }
  | { kind: 'unknown' };

export interface ScopeModel {
  module: Scope;
  /** The scope `node` is evaluated in. */
  scopeOf(node: PyNode): Scope;
  /** What an identifier read at its place refers to. */
  resolve(identifier: PyNode): Resolution;
  /** What `name` would refer to if read where `node` is evaluated. */
  resolveName(name: string, node: PyNode): Resolution;
}

const SCOPE_KINDS: Record<string, ScopeKind> = {
  module: 'module',
  class_definition: 'class',
  function_definition: 'function',
  lambda: 'lambda',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

function newScope(kind: ScopeKind, node: PyNode, parent: Scope | null): Scope {
  const scope: Scope = {
    kind,
    node,
    parent,
    children: [],
    definitions: new Map(),
    globals: new Set(),
    nonlocals: new Set(),
    hasWildcardImport: false,
  };
  parent?.children.push(scope);
  return scope;
}

function define(scope: Scope, definition: Definition): void {
  const list = scope.definitions.get(definition.name);
  if (list) list.push(definition);
  else scope.definitions.set(definition.name, [definition]);
}

export function buildScopeModel(root: PyNode, text: string, imports: ImportContext): ScopeModel {
  const scopes = new Map<PyNode, Scope>();
  const module = newScope('module', root, null);
  scopes.set(root, module);
  const scopeOf = (node: PyNode): Scope => scopes.get(scopeNodeOf(node)) ?? module;
  const bind = (identifier: PyNode, kind: DefinitionKind, scope = scopeOf(identifier)) =>
    define(scope, { kind, name: textOf(identifier, text), node: identifier });
  const stack: PyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const kind = SCOPE_KINDS[node.type];
    if (kind && node.named) scopes.set(node, newScope(kind, node, scopeOf(node)));
    recordBindings(node, { text, imports, scopeOf, bind });
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
  }
  return {
    module,
    scopeOf,
    resolve: (identifier) => lookup(scopeOf(identifier), textOf(identifier, text), module),
    resolveName: (name, node) => lookup(scopeOf(node), name, module),
  };
}

interface BindingSite {
  text: string;
  imports: ImportContext;
  scopeOf: (node: PyNode) => Scope;
  bind: (identifier: PyNode, kind: DefinitionKind, scope?: Scope) => void;
}

/** Records what `node` binds, and where. */
function recordBindings(node: PyNode, site: BindingSite): void {
  const { bind } = site;
  switch (node.type) {
    case 'function_definition':
    case 'class_definition': {
      const name = childByField(node, 'name');
      if (name) bind(name, node.type === 'class_definition' ? 'class' : 'function');
      return;
    }
    case 'identifier':
      if (isParameterName(node)) bind(node, 'parameter');
      return;
    case 'assignment':
    case 'augmented_assignment':
      return bindTargets(childByField(node, 'left'), 'assignment', bind);
    case 'for_statement':
    case 'for_in_clause':
      return bindTargets(childByField(node, 'left'), 'loop', bind);
    case 'as_pattern_target':
      return bindTargets(node.children[0], 'alias', bind);
    case 'named_expression': {
      const name = childByField(node, 'name');
      if (!name) return;
      let scope = site.scopeOf(node);
      while (scope.kind === 'comprehension' && scope.parent) scope = scope.parent;
      return bind(name, 'walrus', scope);
    }
    case 'delete_statement':
      return node.children.forEach((target) => bindTargets(target, 'delete', bind));
    case 'case_clause':
      return node.children
        .filter((child) => child.type === 'case_pattern')
        .forEach((pattern) => patternCaptures(pattern).forEach((capture) => bind(capture, 'pattern')));
    default:
      return recordDeclarationsAndImports(node, site);
  }
}

function recordDeclarationsAndImports(node: PyNode, site: BindingSite): void {
  if (node.type === 'global_statement' || node.type === 'nonlocal_statement') {
    const scope = site.scopeOf(node);
    const names = node.type === 'global_statement' ? scope.globals : scope.nonlocals;
    for (const child of node.children) if (child.type === 'identifier') names.add(textOf(child, site.text));
    return;
  }
  if (node.type !== 'import_statement' && node.type !== 'import_from_statement') return;
  const scope = site.scopeOf(node);
  const found = importDefinitions(node, site.text, site.imports);
  if (found.wildcard) scope.hasWildcardImport = true;
  for (const definition of found.definitions) define(scope, definition);
}

/** Nodes that hold several assignment targets (`a, (b, *c) = ...`): a target is any of their leaves. */
export const TARGET_CONTAINERS: ReadonlySet<string> = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'expression_list',
  'parenthesized_expression',
  'list_splat_pattern',
  'list_splat',
]);

/** The names an assignment target binds: `a`, `a, (b, *c)`; not `a.b` or `a[i]`, which bind nothing. */
function bindTargets(target: PyNode | undefined, kind: DefinitionKind, bind: BindingSite['bind']): void {
  if (!target) return;
  if (target.type === 'identifier') return bind(target, kind);
  if (TARGET_CONTAINERS.has(target.type)) for (const child of target.children) bindTargets(child, kind, bind);
}

/**
 * The names a `case` pattern captures: bare names (`case x`, `[a, *rest]`, `{"k": v, **others}`,
 * `Point(x=a)`, `... as name`), not dotted value patterns (`Color.RED`), class names or keywords.
 */
function patternCaptures(pattern: PyNode): PyNode[] {
  const found: PyNode[] = [];
  const stack = [pattern];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const parent = node.parent;
    if (node.type === 'identifier' && parent) {
      const bareName = parent.type === 'dotted_name' && parent.children.length === 1 && !isClassPatternName(parent);
      const splatOrAlias = parent.type === 'splat_pattern' || parent.type === 'as_pattern';
      if (bareName || splatOrAlias) found.push(node);
      continue;
    }
    if (node.type === 'keyword_pattern') {
      stack.push(...node.children.slice(1));
      continue;
    }
    stack.push(...node.children);
  }
  return found;
}

function isClassPatternName(dotted: PyNode): boolean {
  return dotted.parent?.type === 'class_pattern' && dotted.parent.children[0] === dotted;
}

/** Python's lookup: local, then enclosing function scopes (never a class's), then the module, then builtins. */
function lookup(scope: Scope, name: string, module: Scope): Resolution {
  const inModule = (): Resolution => {
    const definitions = module.definitions.get(name);
    if (definitions) return { kind: 'defined', scope: module, definitions };
    return module.hasWildcardImport || !PYTHON_BUILTINS.has(name) ? { kind: 'unknown' } : { kind: 'builtin', name };
  };
  if (scope.globals.has(name)) return inModule();
  const own = scope.definitions.get(name);
  if (own && !scope.nonlocals.has(name)) return { kind: 'defined', scope, definitions: own };
  for (let current = scope.parent; current && current !== module; current = current.parent) {
    if (current.kind === 'class') continue;
    if (current.globals.has(name)) return inModule();
    const definitions = current.definitions.get(name);
    if (definitions && !current.nonlocals.has(name)) return { kind: 'defined', scope: current, definitions };
  }
  return inModule();
}
