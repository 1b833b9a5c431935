/**
 * "Which function does this call call?" in the same file (function declarations, arrows
 * assigned once, `this.method()`) or, through a relative import, in another file of the project.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { resolveModuleBinding } from './imports.js';
import { projectOf, type FactKind, type IndexedModule, type ProjectFacts } from './project.js';
import { variableOf } from './scope.js';
import { resolveProjectImport } from './workspace-imports.js';

export interface FunctionTarget {
  fn: FunctionNode;
  name: string;
  sourceCode: SourceCode;
  file: string;
}

export function asFunction(node: Node | undefined | null): FunctionNode | null {
  if (!node) return null;
  const expression = skipTypeWrappers(node);
  return isFunctionNode(expression) ? expression : null;
}

/** The function a call calls in this file (a function, an arrow assigned once, `this.method`); null when unknown. */
export function resolveLocalFunction(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
): FunctionTarget | null {
  const callee = skipTypeWrappers(call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  if (callee.type === 'Identifier') {
    const variable = variableOf(sourceCode, callee);
    const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (definition?.type === 'FunctionName') {
      const fn = asFunction(definition.node as Node);
      if (fn) return { fn, name: callee.name, sourceCode, file };
    }
    if (
      definition?.type === 'Variable' &&
      variable!.references.filter((reference) => reference.isWrite()).length <= 1
    ) {
      const fn = asFunction((definition.node as TSESTree.VariableDeclarator).init);
      if (fn) return { fn, name: callee.name, sourceCode, file };
    }
  }
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'ThisExpression' &&
    !callee.computed &&
    callee.property.type === 'Identifier'
  ) {
    const method = findClassMethod(callee, callee.property.name);
    if (method) return { fn: method, name: callee.property.name, sourceCode, file };
  }
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    !callee.computed &&
    callee.property.type === 'Identifier'
  ) {
    const method = methodOfLocalObject(callee.object, callee.property.name, sourceCode);
    if (method) return { fn: method, name: `${callee.object.name}.${callee.property.name}`, sourceCode, file };
  }
  return null;
}

/**
 * `api.save()` where `const api = { async save() {} }`, `svc.load()` where
 * `const svc = new Service()` and `class Service` is declared in this file, `self.load()` where
 * `const self = this` in a method, or `Service.open()` of a static method. Only `const` bindings: a reassigned variable could hold anything.
 */
function methodOfLocalObject(object: TSESTree.Identifier, name: string, sourceCode: SourceCode): FunctionNode | null {
  const variable = variableOf(sourceCode, object);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  // `Store.fromMap(data)`: a static method of a class declared in this file.
  if (definition?.type === 'ClassName')
    return classMethodOf(definition.node as TSESTree.ClassDeclaration, name, 'static');
  if (definition?.type !== 'Variable' || (definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const')
    return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  if (!init) return null;
  const value = skipTypeWrappers(init);
  // `const self = this` in a method: the instance, whose methods the class declares.
  if (value.type === 'ThisExpression') return isMethodThis(value) ? findClassMethod(value, name) : null;
  if (value.type === 'ObjectExpression') {
    for (const property of value.properties) {
      if (
        property.type === 'Property' &&
        !property.computed &&
        property.key.type === 'Identifier' &&
        property.key.name === name
      )
        return asFunction(property.value);
    }
    return null;
  }
  if (value.type === 'NewExpression' && value.callee.type === 'Identifier') {
    const classDefinition = variableOf(sourceCode, value.callee)?.defs[0];
    const classNode =
      classDefinition?.type === 'ClassName' ? (classDefinition.node as TSESTree.ClassDeclaration) : null;
    if (!classNode) return null;
    return classMethodOf(classNode, name, 'instance');
  }
  return null;
}

/** Whether `this` is the instance of a class method: the nearest function that binds `this` is one. */
function isMethodThis(node: TSESTree.ThisExpression): boolean {
  for (let current: Node | undefined = node.parent; current; current = current.parent) {
    if (current.type === 'ArrowFunctionExpression') continue;
    if (isFunctionNode(current)) return current.parent?.type === 'MethodDefinition' && !current.parent.static;
    if (current.type === 'ClassBody') return false;
  }
  return false;
}

/**
 * The method `name` a class body declares itself (the implementation, not an overload), among
 * its instance or its static methods; inherited methods are not looked for.
 */
export function classMethodOf(
  classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  name: string,
  kind: 'instance' | 'static',
): FunctionNode | null {
  return declaredMethod(classNode.body, name, kind);
}

/** The method `name` a class body declares, of the given kind or of either; overload signatures have no body. */
function declaredMethod(body: TSESTree.ClassBody, name: string, kind?: 'instance' | 'static'): FunctionNode | null {
  for (const member of body.body) {
    if (
      member.type === 'MethodDefinition' &&
      member.kind === 'method' &&
      (kind === undefined || member.static === (kind === 'static')) &&
      !member.computed &&
      member.key.type === 'Identifier' &&
      member.key.name === name &&
      member.value.body
    )
      return member.value as FunctionNode;
  }
  return null;
}

/** A function exported by another file of the project, reached through a relative import. */
export interface ImportedFunction {
  file: string;
  exportName: string;
  /** Named as the caller knows it: the local name of a default import, the property of a namespace. */
  name: string;
  /** The project the import was resolved in, which also answers facts about the file. */
  project: ProjectFacts;
}

export function resolveImportedFunction(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
): ImportedFunction | null {
  const callee = skipTypeWrappers(call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  const binding = resolveModuleBinding(sourceCode, callee);
  if (!binding || binding.path.length > 1) return null;
  const project = projectOf(sourceCode);
  // A package of the same workspace (`@sveltejs/kit/node`) is the project's code too.
  const target = resolveProjectImport(project, file, binding.module);
  if (!target) return null;
  const exportName = binding.path[0] ?? 'default';
  const name =
    callee.type === 'Identifier'
      ? callee.name
      : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier'
        ? callee.property.name
        : exportName;
  return { file: target, exportName, name, project };
}

/** The method `name` of the class whose body encloses `from` (the implementation, not an overload). */
export function findClassMethod(from: Node, name: string): FunctionNode | null {
  for (let current = from.parent; current; current = current.parent)
    if (current.type === 'ClassBody') return declaredMethod(current, name);
  return null;
}

/**
 * Kinds of cross-file facts, one per configuration object: `name` and `configId` name a kind
 * across threads, `compute` distils one file's facts, keyed as the kind keys them.
 */
export function exportFactKinds<Config extends object, T>(
  name: string,
  configId: (config: Config) => string,
  compute: (module: IndexedModule, config: Config) => Map<string, T>,
): (config: Config) => FactKind<T> {
  const kinds = new WeakMap<Config, FactKind<T>>();
  return (config) => {
    let kind = kinds.get(config);
    if (!kind) {
      kind = { id: `${name}:${configId(config)}`, compute: (module) => compute(module, config) };
      kinds.set(config, kind);
    }
    return kind;
  };
}

/** A kind of cross-file fact about each exported function ("returns a promise", "is a blocking helper"). */
export function exportedFunctionFacts<Config extends object, T>(
  name: string,
  configId: (config: Config) => string,
  factOf: (fn: FunctionNode, exportName: string, module: IndexedModule, config: Config) => T,
): (config: Config) => FactKind<T> {
  return exportFactKinds(name, configId, (module, config) => {
    const found = new Map<string, T>();
    for (const [exportName, definition] of module.exports) {
      const fn = asFunction(definition);
      if (fn) found.set(exportName, factOf(fn, exportName, module, config));
    }
    return found;
  });
}
