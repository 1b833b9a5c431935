/**
 * What the implementations of an interface (or object type) in the file that declares it make of
 * its methods. A method may be declared to return nothing (`send(data): void`) and yet be
 * implemented `async`: TypeScript accepts a promise where `void` is declared, and the caller who
 * trusts the declaration drops a promise whose rejection nobody handles (vite ba821bb6:
 * `this.transport.send(payload)`, where the only object made as a `NormalizedModuleRunnerTransport`
 * has an `async send`). The implementations are read where the type is declared: a function
 * declared to return it whose returns are object literals, a `const` declared with it and given
 * one, a class that `implements` it. Implementations elsewhere (other files, other packages) are
 * not seen, so the answer is "all those of this file", and only when there is at least one.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { namedTypeOf, typeMembers } from './declared-types.js';
import { classMethodOf } from './functions.js';
import type { FactKind, IndexedModule } from './project.js';

/** One object of the type, as the file makes it: an object literal or a class. */
type Implementation = TSESTree.ObjectExpression | TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** The name of the type a `: T` (or `: Promise<T>`, for an async factory) annotation names. */
function annotatedTypeName(annotation: TSESTree.TSTypeAnnotation | null | undefined): string | null {
  return namedTypeOf(annotation?.typeAnnotation)?.type.name ?? null;
}

/** What a function returns when every one of its own returns (or its arrow body) is an object literal; null otherwise. */
function returnedObjects(fn: FunctionNode, sourceCode: SourceCode): TSESTree.ObjectExpression[] | null {
  if (fn.body?.type !== 'BlockStatement') {
    const body = fn.body && skipTypeWrappers(fn.body);
    return body?.type === 'ObjectExpression' ? [body] : null;
  }
  const objects: TSESTree.ObjectExpression[] = [];
  let other = false;
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (other || isFunctionNode(node)) return false;
    if (node.type !== 'ReturnStatement') return undefined;
    const value = node.argument && skipTypeWrappers(node.argument);
    if (value?.type === 'ObjectExpression') objects.push(value);
    else other = true;
    return false;
  });
  return other || objects.length === 0 ? null : objects;
}

/** The objects and classes of a file that are made as a named type, per type name. */
function implementationsIn(sourceCode: SourceCode): Map<string, Implementation[] | null> {
  const found = new Map<string, Implementation[] | null>();
  const add = (name: string | null, objects: Implementation[] | null) => {
    if (name === null || found.get(name) === null) return;
    // A function of the type that returns something else is an implementation not seen.
    found.set(name, objects ? [...(found.get(name) ?? []), ...objects] : null);
  };
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node) && node.returnType) {
      add(annotatedTypeName(node.returnType), returnedObjects(node, sourceCode));
    } else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.typeAnnotation) {
      const value = node.init && skipTypeWrappers(node.init);
      if (value && !isFunctionNode(value))
        add(annotatedTypeName(node.id.typeAnnotation), value.type === 'ObjectExpression' ? [value] : null);
    } else if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      for (const implemented of node.implements ?? [])
        if (implemented.expression.type === 'Identifier') add(implemented.expression.name, [node]);
    }
    return undefined;
  });
  return found;
}

/**
 * Whether an implementation's `name` is declared `async` or to return a promise; null when it does
 * not show it (a spread or an inherited method may give it).
 */
function implementedAsync(implementation: Implementation, name: string): boolean | null {
  let fn: Node | null = null;
  if (implementation.type === 'ObjectExpression') {
    for (const property of implementation.properties) {
      if (property.type === 'SpreadElement') fn = null;
      else if (!property.computed && property.key.type === 'Identifier' && property.key.name === name)
        fn = skipTypeWrappers(property.value);
    }
  } else fn = classMethodOf(implementation, name, 'instance');
  if (!fn || !isFunctionNode(fn)) return null;
  return fn.async && !fn.generator;
}

/**
 * Per type declared in the file and method of it, whether every implementation the file makes of
 * the type has that method `async` (and there is one): keyed `Type.method` by the type's name in
 * the file.
 */
function asyncImplementations(sourceCode: SourceCode, declarations: Iterable<[string, Node]>): Map<string, boolean> {
  const answers = new Map<string, boolean>();
  let implementations: Map<string, Implementation[] | null> | null = null;
  for (const [key, declaration] of declarations) {
    const members = typeMembers(declaration);
    if (members.length === 0) continue;
    implementations ??= implementationsIn(sourceCode);
    const local = (declaration as TSESTree.TSInterfaceDeclaration | TSESTree.TSTypeAliasDeclaration).id.name;
    const made = implementations.get(local);
    if (!made) continue;
    for (const member of members) {
      if (member.type !== 'TSMethodSignature' || member.computed || member.key.type !== 'Identifier') continue;
      const name = member.key.name;
      answers.set(
        `${key}.${name}`,
        made.every((each) => implementedAsync(each, name) === true),
      );
    }
  }
  return answers;
}

/** asyncImplementations for the interfaces and object types a file exports, keyed by export name. */
export const asyncImplementationFacts: FactKind<boolean> = {
  id: 'async-implementations',
  compute: (module: IndexedModule) => asyncImplementations(module.sourceCode, module.exports),
  onlyWhenAsked: true,
};

const localAnswers = new WeakMap<SourceCode, Map<string, boolean>>();

/** Whether every implementation this file makes of its own type `Type` has `method` async (`key` is `Type.method`). */
export function implementedAsyncHere(sourceCode: SourceCode, key: string): boolean {
  let answers = localAnswers.get(sourceCode);
  if (!answers) {
    const declarations: [string, Node][] = [];
    for (const statement of sourceCode.ast.body) {
      const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
      if (declaration?.type === 'TSInterfaceDeclaration' || declaration?.type === 'TSTypeAliasDeclaration')
        declarations.push([declaration.id.name, declaration]);
    }
    answers = asyncImplementations(sourceCode, declarations);
    localAnswers.set(sourceCode, answers);
  }
  return answers.get(key) ?? false;
}
