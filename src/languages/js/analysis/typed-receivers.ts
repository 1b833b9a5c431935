/**
 * The method a call `receiver.method()` reaches when the receiver's class is declared in the code:
 * a parameter or variable annotated with a class (`environment: DevEnvironment`), a field
 * declared with one (`private store: Store`, a constructor parameter property), a `const`
 * made with `new Store()`, or `super` (the class this one extends). The class is one of this
 * file or a class another file of the project exports; its own methods are found (not inherited ones). This is what a type checker would
 * tell, read from the declarations alone: a subclass could override the method, as it could
 * under the checker's answer too.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { classMethodOf, exportFactKinds, resolveLocalFunction } from './functions.js';
import { resolveModuleBinding } from './imports.js';
import { projectOf, type FactKind, type IndexedModule, type ProjectFacts } from './project.js';
import { variableOf } from './scope.js';

/**
 * A method found in this file, a method signature of an interface or object type of this file
 * (with whether its declared result may be a promise), or named `Class.method` (`Type.method`)
 * among another file's exports.
 */
export type ReceiverMethod =
  | { kind: 'local'; fn: FunctionNode; name: string }
  | { kind: 'signature'; returnsPromise: boolean; alwaysPromise: boolean; name: string }
  | { kind: 'imported'; file: string; key: string; name: string; project: ProjectFacts };

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** `T` of a `: T` annotation (generic arguments aside), when it names a class by an identifier. */
function annotatedClassName(annotation: TSESTree.TSTypeAnnotation | undefined): TSESTree.Identifier | null {
  const type = annotation?.typeAnnotation;
  if (type?.type !== 'TSTypeReference' || type.typeName.type !== 'Identifier') return null;
  return type.typeName;
}

function enclosingClass(from: Node): ClassNode | null {
  for (let current = from.parent; current; current = current.parent)
    if (current.type === 'ClassDeclaration' || current.type === 'ClassExpression') return current;
  return null;
}

/** The identifier naming the class of `this.field`, from the field's declaration in the enclosing class. */
function fieldClassName(member: TSESTree.MemberExpression): TSESTree.Identifier | null {
  if (member.computed || member.property.type !== 'Identifier') return null;
  const field = member.property.name;
  const classNode = enclosingClass(member);
  if (!classNode) return null;
  for (const element of classNode.body.body) {
    if (
      element.type === 'PropertyDefinition' &&
      !element.static &&
      !element.computed &&
      element.key.type === 'Identifier' &&
      element.key.name === field
    ) {
      const value = element.value && skipTypeWrappers(element.value);
      if (value?.type === 'NewExpression' && value.callee.type === 'Identifier') return value.callee;
      return annotatedClassName(element.typeAnnotation ?? undefined);
    }
    if (element.type === 'MethodDefinition' && element.kind === 'constructor') {
      for (const parameter of element.value.params) {
        if (parameter.type !== 'TSParameterProperty') continue;
        const binding = parameter.parameter;
        if (binding.type === 'Identifier' && binding.name === field) return annotatedClassName(binding.typeAnnotation);
      }
    }
  }
  return null;
}

/** The identifier naming the class a receiver holds, by its declaration; null when nothing declares one. */
function receiverClassName(receiver: Node, sourceCode: SourceCode): TSESTree.Identifier | null {
  // `super.fetchSockets()` calls the method of the class this one extends.
  if (receiver.type === 'Super') {
    const superClass = enclosingClass(receiver)?.superClass;
    return superClass?.type === 'Identifier' ? superClass : null;
  }
  if (receiver.type === 'MemberExpression' && receiver.object.type === 'ThisExpression')
    return fieldClassName(receiver);
  if (receiver.type !== 'Identifier') return null;
  const variable = variableOf(sourceCode, receiver);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!definition) return null;
  const name = definition.name as TSESTree.Identifier;
  if (definition.type === 'Parameter') return annotatedClassName(name.typeAnnotation);
  if (definition.type !== 'Variable') return null;
  // A `let` could be given another object later; a `const` keeps what it was declared with.
  if ((definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const value = init && skipTypeWrappers(init);
  if (value?.type === 'NewExpression' && value.callee.type === 'Identifier') return value.callee;
  return annotatedClassName(name.typeAnnotation);
}

/** The one object literal a function returns (its arrow body, or its only `return`); null otherwise. */
function onlyReturnedObject(fn: FunctionNode, sourceCode: SourceCode): TSESTree.ObjectExpression | null {
  if (fn.body.type !== 'BlockStatement') {
    const body = skipTypeWrappers(fn.body);
    return body.type === 'ObjectExpression' ? body : null;
  }
  const returned: Node[] = [];
  forEachDescendant(fn.body, sourceCode.visitorKeys, (node) => {
    if (isFunctionNode(node)) return false;
    if (node.type === 'ReturnStatement' && node.argument) returned.push(skipTypeWrappers(node.argument));
    return undefined;
  });
  const only = returned.length === 1 ? returned[0]! : null;
  return only?.type === 'ObjectExpression' ? only : null;
}

/**
 * `const p = createPreprocessor(); p.process(code)`: a `const` made by a function of this file that
 * returns one object literal, and the function that literal gives the method.
 */
function factoryObjectMethod(
  receiver: Node,
  method: string,
  sourceCode: SourceCode,
  file: string,
): FunctionNode | null {
  if (receiver.type !== 'Identifier') return null;
  const variable = variableOf(sourceCode, receiver);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type !== 'Variable') return null;
  if ((definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const value = init && skipTypeWrappers(init);
  if (value?.type !== 'CallExpression') return null;
  const factory = resolveLocalFunction(value, sourceCode, file);
  if (!factory || factory.sourceCode !== sourceCode || factory.fn.async || factory.fn.generator) return null;
  const object = onlyReturnedObject(factory.fn, sourceCode);
  for (const property of object?.properties ?? []) {
    if (property.type !== 'Property' || property.computed) continue;
    const key = property.key.type === 'Identifier' ? property.key.name : null;
    const fn = skipTypeWrappers(property.value);
    if (key === method && isFunctionNode(fn)) return fn;
  }
  return null;
}

/**
 * The method `receiver.method(...)` calls, by the receiver's declared class, or by the object
 * literal the factory that made it returns; null when unknown.
 */
export function resolveReceiverMethod(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
): ReceiverMethod | null {
  const callee = skipTypeWrappers(call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return null;
  const method = callee.property.name;
  const receiver = skipTypeWrappers(callee.object);
  const made = factoryObjectMethod(receiver, method, sourceCode, file);
  if (made) return { kind: 'local', fn: made, name: `${sourceCode.getText(receiver)}.${method}` };
  const className = receiverClassName(receiver, sourceCode);
  if (!className) return null;
  const definition = variableOf(sourceCode, className)?.defs[0];
  if (definition?.type === 'ClassName') {
    const fn = classMethodOf(definition.node as ClassNode, method, 'instance');
    return fn ? { kind: 'local', fn, name: `${className.name}.${method}` } : null;
  }
  if (definition?.type === 'Type') {
    const certainty = signaturePromiseReturn(definition.node as Node, method);
    if (certainty === null) return null;
    const name = `${className.name}.${method}`;
    return { kind: 'signature', returnsPromise: certainty !== false, alwaysPromise: certainty === 'always', name };
  }
  const binding = resolveModuleBinding(sourceCode, className);
  if (!binding || !(binding.module.startsWith('./') || binding.module.startsWith('../')) || binding.path.length > 1)
    return null;
  const project = projectOf(sourceCode);
  const target = project.resolveModule(file, binding.module);
  if (!target) return null;
  const key = `${binding.path[0] ?? 'default'}.${method}`;
  return { kind: 'imported', file: target, key, name: `${className.name}.${method}`, project };
}

/**
 * A kind of cross-file fact about the own methods of each exported class, keyed `Class.method`
 * (`default.method` for a default export), one kind per configuration object, as
 * exportedFunctionFacts is for functions.
 */
export function exportedMethodFacts<Config extends object, T>(
  name: string,
  configId: (config: Config) => string,
  factOf: (fn: FunctionNode, module: IndexedModule, config: Config) => T,
): (config: Config) => FactKind<T> {
  return exportFactKinds(name, configId, (module, config) => {
    const found = new Map<string, T>();
    for (const [exportName, definition] of module.exports) {
      if (definition.type !== 'ClassDeclaration' && definition.type !== 'ClassExpression') continue;
      for (const member of definition.body.body) {
        if (
          member.type !== 'MethodDefinition' ||
          member.kind !== 'method' ||
          member.static ||
          member.computed ||
          member.key.type !== 'Identifier' ||
          !member.value.body ||
          !isFunctionNode(member.value)
        )
          continue;
        found.set(`${exportName}.${member.key.name}`, factOf(member.value as FunctionNode, module, config));
      }
    }
    return found;
  });
}

/** The members of an interface or of an object type (`type T = { ... }`); none for other types. */
function typeMembers(declaration: Node): TSESTree.TypeElement[] {
  if (declaration.type === 'TSInterfaceDeclaration') return declaration.body.body;
  if (declaration.type === 'TSTypeAliasDeclaration' && declaration.typeAnnotation.type === 'TSTypeLiteral')
    return declaration.typeAnnotation.members;
  return [];
}

/** `Promise<T>`, `PromiseLike<T>`, or a union with one (`Promise<void> | void`): the caller may get a promise. */
export function mayBePromiseType(type: TSESTree.TypeNode | undefined): boolean {
  if (!type) return false;
  if (type.type === 'TSUnionType') return type.types.some(mayBePromiseType);
  return (
    type.type === 'TSTypeReference' &&
    type.typeName.type === 'Identifier' &&
    (type.typeName.name === 'Promise' || type.typeName.name === 'PromiseLike')
  );
}

/** A declared result type that is a promise always (`Promise<T>`), maybe (`Promise<void> | void`), or not. */
function promiseCertainty(type: TSESTree.TypeNode | undefined): 'always' | 'maybe' | false {
  if (!mayBePromiseType(type)) return false;
  return type!.type === 'TSUnionType' && !type!.types.every(mayBePromiseType) ? 'maybe' : 'always';
}

/**
 * How an interface's (or object type's) method `name` is declared to return a promise, as a
 * method signature (`send?(data): Promise<void> | void`) or a property of function type: always,
 * maybe (a union with other results), not at all, or null when the type declares no such member
 * (it may be inherited, or the type is not an object type).
 */
function signaturePromiseReturn(declaration: Node, name: string): 'always' | 'maybe' | false | null {
  let found: 'always' | 'maybe' | false | null = null;
  for (const member of typeMembers(declaration)) {
    if (
      (member.type !== 'TSMethodSignature' && member.type !== 'TSPropertySignature') ||
      member.computed ||
      member.key.type !== 'Identifier' ||
      member.key.name !== name
    )
      continue;
    const type =
      member.type === 'TSMethodSignature'
        ? member.returnType?.typeAnnotation
        : member.typeAnnotation?.typeAnnotation.type === 'TSFunctionType'
          ? member.typeAnnotation.typeAnnotation.returnType?.typeAnnotation
          : undefined;
    // Overloads: one that may return a promise is enough; all must for 'always'.
    const certainty = promiseCertainty(type);
    found = found === null || found === certainty ? certainty : 'maybe';
  }
  return found;
}

/**
 * Whether an interface's (or object type's) method `name` is declared to return a promise, as a
 * method signature (`send?(data): Promise<void> | void`) or a property of function type; null
 * when the type declares no such member (it may be inherited, or the type is not an object type).
 */
export function signatureReturnsPromise(declaration: Node, name: string): boolean | null {
  const certainty = signaturePromiseReturn(declaration, name);
  return certainty === null ? null : certainty !== false;
}

/**
 * What `judge` says of the declared return of each method signature of a file's exported
 * interfaces and object types, keyed `Type.method` (true when it says so of any overload).
 */
function exportedSignatureFacts(
  module: IndexedModule,
  judge: (definition: Node, name: string) => boolean,
): Map<string, boolean> {
  const found = new Map<string, boolean>();
  for (const [exportName, definition] of module.exports) {
    for (const member of typeMembers(definition)) {
      if (
        (member.type === 'TSMethodSignature' || member.type === 'TSPropertySignature') &&
        !member.computed &&
        member.key.type === 'Identifier'
      ) {
        const key = `${exportName}.${member.key.name}`;
        found.set(key, found.get(key) === true || judge(definition, member.key.name));
      }
    }
  }
  return found;
}

/** Which method signatures of a file's exported interfaces and object types may return a promise, keyed `Type.method`. */
export const declaredSignatureFacts: FactKind<boolean> = {
  id: 'declared-promise-signatures',
  compute: (module: IndexedModule) =>
    exportedSignatureFacts(module, (definition, name) => signatureReturnsPromise(definition, name) === true),
};

/** Which method signatures of a file's exported interfaces and object types are declared to return a promise or something else (`Promise<void> | void`), keyed `Type.method`. */
const declaredMaybePromiseFacts: FactKind<boolean> = {
  id: 'declared-maybe-promise-signatures',
  compute: (module: IndexedModule) =>
    exportedSignatureFacts(module, (definition, name) => signaturePromiseReturn(definition, name) === 'maybe'),
};

/**
 * Whether a call's receiver is declared with a method whose result may be a promise or something
 * else (`send?(data): Promise<void> | void`): the call returns a promise only sometimes.
 */
export function declaredToReturnPromiseOrNot(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
): boolean {
  const method = resolveReceiverMethod(call, sourceCode, file);
  if (method?.kind === 'signature') return method.returnsPromise && !method.alwaysPromise;
  if (method?.kind !== 'imported') return false;
  return method.project.exportFacts(method.file, declaredMaybePromiseFacts)?.get(method.key) ?? false;
}
