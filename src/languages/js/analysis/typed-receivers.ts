/**
 * The method a call `receiver.method()` reaches when the receiver's class is declared in the code:
 * a parameter or variable annotated with a class (`environment: DevEnvironment`, or
 * `Session | undefined`; a `let` once it is given something), a field declared with one
 * (`private store: Store`, a constructor parameter property), a `const` made with `new Store()`,
 * or `super` (the class this one extends). The class is one of this file or a class another file
 * of the project exports; its own methods are found, then those it inherits from the classes it
 * extends (of this file or another, followed through files that re-export them), and methods
 * named by a symbol (`session[PERSIST]()` for `async [PERSIST]() {}`). This is what a type
 * checker would tell, read from the declarations alone: a subclass could override the method, as
 * it could under the checker's answer too.
 */
import type { Variable } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { classMethodOf, exportFactKinds, resolveLocalFunction } from './functions.js';
import {
  STATIC_PREFIX,
  declaredMemberType,
  declaredMemberTypesKind,
  namedTypeOf,
  typeMembers,
  type ExportedType,
} from './declared-types.js';
import { resolveModuleBinding } from './imports.js';
import { projectOf, type FactKind, type IndexedModule, type ProjectFacts } from './project.js';
import { variableOf } from './scope.js';
import { resolveProjectImport } from './workspace-imports.js';

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

/**
 * `T` of a `: T` annotation (generic arguments aside), when it names a class by an identifier;
 * `T | undefined` (or `| null`) too: where the value is there at all, it is a `T`.
 */
function annotatedClassName(annotation: TSESTree.TSTypeAnnotation | undefined): TSESTree.Identifier | null {
  let type = annotation?.typeAnnotation;
  if (type?.type === 'TSUnionType') {
    const present = type.types.filter((each) => each.type !== 'TSUndefinedKeyword' && each.type !== 'TSNullKeyword');
    type = present.length === 1 ? present[0] : undefined;
  }
  if (type?.type !== 'TSTypeReference' || type.typeName.type !== 'Identifier') return null;
  return type.typeName;
}

/**
 * How a call names its method: `store.save()` by the name, `session[PERSIST]()` by the variable
 * its computed key reads (a symbol, as a class declares `async [PERSIST]() {}`).
 */
type MethodName = { name: string; symbol: null } | { name: string; symbol: TSESTree.Identifier };

function calledMethodName(callee: TSESTree.MemberExpression): MethodName | null {
  if (!callee.computed && callee.property.type === 'Identifier') return { name: callee.property.name, symbol: null };
  if (callee.computed && callee.property.type === 'Identifier')
    return { name: `[${callee.property.name}]`, symbol: callee.property };
  return null;
}

/**
 * The instance method of a class declared in this file that a call by `method` reaches: its
 * own, or one it inherits from a class it extends (of this file, or another file's export).
 */
function classMethodFor(
  classNode: ClassNode,
  method: MethodName,
  sourceCode: SourceCode,
  file: string,
  depth = 0,
): ReceiverMethod | null {
  const own = method.symbol
    ? symbolMethodOf(classNode, variableOf(sourceCode, method.symbol), sourceCode)
    : classMethodOf(classNode, method.name, 'instance');
  const className = classNode.id?.name ?? 'class';
  if (own) return { kind: 'local', fn: own, name: `${className}.${method.name}` };
  const base = classNode.superClass;
  if (base?.type !== 'Identifier' || depth > MAX_BASE_CLASSES) return null;
  const definition = variableOf(sourceCode, base)?.defs[0];
  if (definition?.type === 'ClassName')
    return classMethodFor(definition.node as ClassNode, method, sourceCode, file, depth + 1);
  // A symbol key names a variable of this file, which another file's class cannot read.
  return method.symbol ? null : importedClassMethod(base, method, sourceCode, file);
}

/** Classes extending classes extending classes: a chain longer than this is not followed. */
const MAX_BASE_CLASSES = 8;

/** The method a class declares with a computed key that reads `symbol` (`async [PERSIST]() {}`). */
function symbolMethodOf(classNode: ClassNode, symbol: Variable | null, sourceCode: SourceCode): FunctionNode | null {
  if (!symbol) return null;
  for (const member of classNode.body.body) {
    if (
      member.type === 'MethodDefinition' &&
      member.kind === 'method' &&
      !member.static &&
      member.computed &&
      member.key.type === 'Identifier' &&
      member.value.body &&
      variableOf(sourceCode, member.key) === symbol
    )
      return member.value as FunctionNode;
  }
  return null;
}

/**
 * `Class.method` of a class another file of the project exports, where `className` is imported
 * (`session[PERSIST]()` only when the symbol comes from that file too: `Class.[PERSIST]`).
 * Imported from a file that only re-exports it (an `index.ts` of `export *`), the class is
 * followed to the file that defines it (floating-promise leaves a test's `worker.run()`, a loop
 * until `close()`, to service-loops.ts).
 */
function importedClassMethod(
  className: TSESTree.Identifier,
  method: MethodName,
  sourceCode: SourceCode,
  file: string,
): ReceiverMethod | null {
  const project = projectOf(sourceCode);
  const defined = importedDefinition(className, sourceCode, file, project, true);
  if (!defined) return null;
  let key = `${defined.name}.${method.name}`;
  if (method.symbol) {
    const symbol = importedDefinition(method.symbol, sourceCode, file, project, false);
    if (!symbol || symbol.file !== defined.file) return null;
    key = `${defined.name}.[${symbol.name}]`;
  }
  return { kind: 'imported', file: defined.file, key, name: `${className.name}.${method.name}`, project };
}

/** Where a name is exported from: a file of the project and the name that file exports it by. */
interface ExportedName {
  file: string;
  name: string;
}

/**
 * The file that defines what an imported name names, and its name there: through a relative
 * import, and (`throughReexports`) on through the files that re-export it
 * (`export * from './queue-events'` in an `index.ts`, `export { Queue as Q } from './queue'`,
 * `module.exports.Agent = require('./agent')`).
 */
function importedDefinition(
  identifier: TSESTree.Identifier,
  sourceCode: SourceCode,
  file: string,
  project: ProjectFacts,
  throughReexports: boolean,
): ExportedName | null {
  const binding = resolveModuleBinding(sourceCode, identifier);
  if (!binding || binding.path.length > 1) return null;
  // A tsconfig `paths` alias of the project's own folder (`@src/classes`), or a package of the
  // same workspace (`@mikro-orm/core`), is followed as the relative import it stands for.
  const target = resolveProjectImport(project, file, binding.module);
  if (!target) return null;
  const imported = { file: target, name: binding.path[0] ?? 'default' };
  return throughReexports ? definingModule(project, imported, 0) : imported;
}

/** `require('./agent')` (its `module.exports`) or `require('./agents').Agent`: the file and name it reads. */
function requiredExport(definition: Node, file: string, project: ProjectFacts): ExportedName | null {
  const member = definition.type === 'MemberExpression' && !definition.computed ? definition : null;
  const call = member ? member.object : definition;
  if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== 'require')
    return null;
  const specifier = call.arguments[0];
  if (specifier?.type !== 'Literal' || typeof specifier.value !== 'string') return null;
  const target = project.resolveModule(file, relativeSpecifier(specifier.value));
  if (!target) return null;
  if (!member) return { file: target, name: 'default' };
  return member.property.type === 'Identifier' ? { file: target, name: member.property.name } : null;
}

/** `require('..')` and `require('.')` name a folder as `'../'` and `'./'` do. */
function relativeSpecifier(specifier: string): string {
  return specifier === '..' || specifier === '.' ? `${specifier}/` : specifier;
}

/** Re-exporting files in a row: a longer chain (or a cycle) is not followed. */
const MAX_REEXPORTS = 6;

function definingModule(project: ProjectFacts, exported: ExportedName, depth: number): ExportedName | null {
  if (depth > MAX_REEXPORTS) return null;
  const links = project.exportFacts(exported.file, reexportsKind);
  if (!links) return null;
  const named = links.get(exported.name);
  if (named) {
    const [link] = named;
    return link!.file === exported.file ? link! : definingModule(project, link!, depth + 1);
  }
  // `export *` passes on every name but `default`; the first file that has it gives it.
  if (exported.name === 'default') return null;
  for (const star of links.get('*') ?? []) {
    const found = definingModule(project, { file: star.file, name: exported.name }, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Per exported name, where it is defined: this file for its own exports, or the file and name a
 * re-export (`export { a as b } from './x'`) hands on; under `*`, the files `export * from` names.
 */
const reexportsKind: FactKind<ExportedName[]> = {
  id: 'reexports',
  compute(module: IndexedModule): Map<string, ExportedName[]> {
    const links = new Map<string, ExportedName[]>();
    const project = projectOf(module.sourceCode);
    for (const [name, definition] of module.exports) {
      // CommonJS: `module.exports.Agent = require('./agent')` (or `= require('./agents').Agent`).
      const required = requiredExport(definition, module.file, project);
      links.set(name, [required ?? { file: module.file, name }]);
    }
    for (const statement of module.sourceCode.ast.body) {
      if (statement.type !== 'ExportNamedDeclaration' && statement.type !== 'ExportAllDeclaration') continue;
      if (!statement.source || statement.exportKind === 'type') continue;
      const target = resolveProjectImport(project, module.file, statement.source.value);
      if (!target) continue;
      if (statement.type === 'ExportAllDeclaration') {
        // `export * as ns from './x'` names a namespace, not the names of './x'.
        if (!statement.exported) links.set('*', [...(links.get('*') ?? []), { file: target, name: '*' }]);
        continue;
      }
      for (const specifier of statement.specifiers) {
        const nameOf = (node: TSESTree.Identifier | TSESTree.StringLiteral) =>
          node.type === 'Identifier' ? node.name : String(node.value);
        if (!links.has(nameOf(specifier.exported)))
          links.set(nameOf(specifier.exported), [{ file: target, name: nameOf(specifier.local) }]);
      }
    }
    return links;
  },
};

/**
 * Whether a file hands on what other files export (`export * from`, `export { a } from`,
 * `module.exports.Agent = require('./agent')`), by its re-export facts; undefined while these are
 * not known (nothing is parsed to tell).
 */
export function handsOnKnownExports(project: ProjectFacts, file: string): boolean | undefined {
  const links = project.knownExportFacts(file, reexportsKind);
  if (!links) return undefined;
  for (const targets of links.values()) if (targets.some((target) => target.file !== file)) return true;
  return false;
}

function enclosingClass(from: Node): ClassNode | null {
  for (let current = from.parent; current; current = current.parent)
    if (current.type === 'ClassDeclaration' || current.type === 'ClassExpression') return current;
  return null;
}

/** The declaration of the instance property `this.field` names, in the enclosing class; null when there is none. */
function ownPropertyDefinition(member: TSESTree.MemberExpression): TSESTree.PropertyDefinition | null {
  if (member.computed || member.property.type !== 'Identifier') return null;
  const field = member.property.name;
  for (const element of enclosingClass(member)?.body.body ?? []) {
    if (
      element.type === 'PropertyDefinition' &&
      !element.static &&
      !element.computed &&
      element.key.type === 'Identifier' &&
      element.key.name === field
    )
      return element;
  }
  return null;
}

/** The identifier naming the class of `this.field`, from the field's declaration in the enclosing class. */
function fieldClassName(member: TSESTree.MemberExpression): TSESTree.Identifier | null {
  if (member.computed || member.property.type !== 'Identifier') return null;
  const field = member.property.name;
  const classNode = enclosingClass(member);
  if (!classNode) return null;
  const property = ownPropertyDefinition(member);
  if (property) {
    const value = property.value && skipTypeWrappers(property.value);
    if (value?.type === 'NewExpression' && value.callee.type === 'Identifier') return value.callee;
    return annotatedClassName(property.typeAnnotation ?? undefined);
  }
  for (const element of classNode.body.body) {
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
  // A `let` could be given another object later; a `const` keeps what it was declared with. A
  // declared type holds for whatever a `let` is given, once it is given something at all.
  if ((definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') {
    const written = variable!.references.some((reference) => reference.isWrite());
    return written ? annotatedClassName(name.typeAnnotation) : null;
  }
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
  if (only?.type === 'ObjectExpression') return only;
  // `const worker = { async stop() {} }; return worker`: the object a `const` of its own holds.
  const definition = only?.type === 'Identifier' ? variableOf(sourceCode, only)?.defs[0] : undefined;
  if (definition?.type !== 'Variable' || (definition.parent as TSESTree.VariableDeclaration).kind !== 'const')
    return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const value = init && skipTypeWrappers(init);
  return value?.type === 'ObjectExpression' ? value : null;
}

/** `f` of a `ReturnType<typeof f>` annotation (or `ReturnType<typeof f> | undefined`). */
function returnTypeOfName(annotation: TSESTree.TSTypeAnnotation | undefined): TSESTree.Identifier | null {
  let type = annotation?.typeAnnotation;
  if (type?.type === 'TSUnionType') {
    const present = type.types.filter((each) => each.type !== 'TSUndefinedKeyword' && each.type !== 'TSNullKeyword');
    type = present.length === 1 ? present[0] : undefined;
  }
  if (type?.type !== 'TSTypeReference' || type.typeName.type !== 'Identifier' || type.typeName.name !== 'ReturnType')
    return null;
  const query = type.typeArguments?.params[0];
  return query?.type === 'TSTypeQuery' && query.exprName.type === 'Identifier' ? query.exprName : null;
}

/**
 * The function of this file that made what a variable holds: the call a `const` is made with
 * (`const p = createPreprocessor()`), or the function a declared `ReturnType<typeof f>` names
 * (a `let` declared so, once it is given something, or a parameter).
 */
function factoryOf(receiver: Node, sourceCode: SourceCode, file: string): FunctionNode | null {
  if (receiver.type !== 'Identifier') return null;
  const variable = variableOf(sourceCode, receiver);
  const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (definition?.type !== 'Variable' && definition?.type !== 'Parameter') return null;
  const declared = returnTypeOfName((definition.name as TSESTree.Identifier).typeAnnotation);
  if (declared) {
    if (definition.type === 'Variable' && !variable!.references.some((reference) => reference.isWrite())) return null;
    const made = variableOf(sourceCode, declared)?.defs[0];
    if (made?.type === 'FunctionName') return asFunctionNode(made.node as Node);
    if (made?.type === 'Variable' && (made.parent as TSESTree.VariableDeclaration).kind === 'const')
      return asFunctionNode((made.node as TSESTree.VariableDeclarator).init);
    return null;
  }
  if (definition.type !== 'Variable') return null;
  if ((definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') return null;
  const init = (definition.node as TSESTree.VariableDeclarator).init;
  const value = init && skipTypeWrappers(init);
  if (value?.type !== 'CallExpression') return null;
  const factory = resolveLocalFunction(value, sourceCode, file);
  return factory && factory.sourceCode === sourceCode ? factory.fn : null;
}

function asFunctionNode(node: Node | null | undefined): FunctionNode | null {
  const value = node && skipTypeWrappers(node);
  return value && isFunctionNode(value) ? value : null;
}

/**
 * `const p = createPreprocessor(); p.process(code)`: a `const` made by a function of this file that
 * returns one object literal (or a variable declared `ReturnType<typeof createPreprocessor>`), and
 * the function that literal gives the method.
 */
function factoryObjectMethod(
  receiver: Node,
  method: string,
  sourceCode: SourceCode,
  file: string,
): FunctionNode | null {
  const factory = factoryOf(receiver, sourceCode, file);
  if (!factory || factory.async || factory.generator) return null;
  const object = onlyReturnedObject(factory, sourceCode);
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
  if (callee.type !== 'MemberExpression') return null;
  const method = calledMethodName(callee);
  if (!method) return null;
  const receiver = skipTypeWrappers(callee.object);
  const made = method.symbol ? null : factoryObjectMethod(receiver, method.name, sourceCode, file);
  if (made) return { kind: 'local', fn: made, name: `${sourceCode.getText(receiver)}.${method.name}` };
  let className = receiverClassName(receiver, sourceCode);
  if (!className && !method.symbol) {
    // `settings.preferences.get(key)`, `pipeline.getSettings().load()`: the type the chain's
    // declarations give the receiver.
    const declared = declaredTypeOf(receiver, sourceCode, file, 0);
    if (declared?.kind === 'exported') {
      const key = `${declared.name}.${method.name}`;
      return { kind: 'imported', file: declared.file, key, name: key, project: projectOf(sourceCode) };
    }
    className = declared?.id ?? null;
  }
  if (!className) return null;
  const definition = variableOf(sourceCode, className)?.defs[0];
  if (definition?.type === 'ClassName') return classMethodFor(definition.node as ClassNode, method, sourceCode, file);
  if (definition?.type === 'Type') {
    const certainty = method.symbol ? null : signaturePromiseReturn(definition.node as Node, method.name);
    if (certainty === null) return null;
    const name = `${className.name}.${method.name}`;
    return { kind: 'signature', returnsPromise: certainty !== false, alwaysPromise: certainty === 'always', name };
  }
  return importedClassMethod(className, method, sourceCode, file);
}

/** A type the declarations give a value: one this file names (its identifier), or one another file exports. */
type DeclaredType = { kind: 'here'; id: TSESTree.Identifier } | { kind: 'exported'; file: string; name: string };

/** Steps of a chain (`a.b.c()`, `const s = a.b()`) followed to its declared type. */
const MAX_DECLARED_STEPS = 6;

/**
 * The type the declarations give an expression that is not a plain receiver: a member of a value
 * of a declared type (`settings.preferences`), what a method of one returns
 * (`pipeline.getSettings()`, `await store.open()` for `open(): Promise<Session>`), and a `const`
 * given one of these.
 */
function declaredTypeOf(node: Node, sourceCode: SourceCode, file: string, depth: number): DeclaredType | null {
  if (depth > MAX_DECLARED_STEPS) return null;
  let value = skipTypeWrappers(node);
  if (value.type === 'ChainExpression') value = value.expression;
  const named = receiverClassName(value, sourceCode);
  if (named) return { kind: 'here', id: named };
  if (value.type === 'Identifier') {
    const variable = variableOf(sourceCode, value);
    const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (definition?.type === 'Parameter')
      return (
        destructuredParameterType(definition.name as Node, sourceCode, file) ??
        iteratedElementType(definition.name as Node, sourceCode)
      );
    if (definition?.type !== 'Variable') return null;
    if ((definition.parent as TSESTree.VariableDeclaration | null)?.kind !== 'const') return null;
    const declarator = definition.node as TSESTree.VariableDeclarator;
    if (declarator.id.type !== 'Identifier' || !declarator.init) return null;
    return declaredTypeOf(declarator.init, sourceCode, file, depth + 1);
  }
  const awaited = value.type === 'AwaitExpression';
  const expression = awaited ? skipTypeWrappers((value as TSESTree.AwaitExpression).argument) : value;
  const call = expression.type === 'CallExpression' ? expression : null;
  let member = skipTypeWrappers(call ? call.callee : expression);
  if (member.type === 'ChainExpression') member = member.expression;
  if (member.type !== 'MemberExpression' || member.computed || member.property.type !== 'Identifier') return null;
  if (awaited && !call) return null;
  const key = call ? `${member.property.name}()` : member.property.name;
  const base = declaredTypeOf(member.object, sourceCode, file, depth + 1);
  if (base) return memberTypeOf(base, key, awaited, sourceCode, file);
  // `CLIHelper.getConfiguration()`: a static member of a class this file declares or imports.
  const classReference = classNamedBy(member.object, sourceCode);
  if (!classReference) return null;
  return memberTypeOf({ kind: 'here', id: classReference }, `${STATIC_PREFIX}${key}`, awaited, sourceCode, file);
}

/** The identifier, when an expression names a class this file declares, or something it imports (a class, maybe). */
function classNamedBy(node: Node, sourceCode: SourceCode): TSESTree.Identifier | null {
  const value = skipTypeWrappers(node);
  if (value.type !== 'Identifier') return null;
  const definition = variableOf(sourceCode, value)?.defs[0];
  const kind = definition?.type;
  return kind === 'ClassName' || (kind === 'ImportBinding' && definition!.node.type !== 'ImportNamespaceSpecifier')
    ? value
    : null;
}

/** Methods of arrays, maps and sets whose callback gets each element (a map's value) first. */
const ELEMENT_CALLBACKS = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findLast']);

/**
 * `nsp` of `this._nsps.forEach((nsp) => ...)` where the field is declared
 * `Map<string, Namespace>` (or `Set<T>`, `T[]`, `Array<T>`): the type of the elements, as
 * the standard library declares the callback's first parameter.
 */
function iteratedElementType(name: Node, sourceCode: SourceCode): DeclaredType | null {
  const fn = name.parent;
  if (!fn || !isFunctionNode(fn) || fn.params[0] !== name) return null;
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== fn) return null;
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return null;
  if (!ELEMENT_CALLBACKS.has(callee.property.name)) return null;
  const element = elementTypeOf(declaredAnnotationOf(skipTypeWrappers(callee.object), sourceCode));
  const named = element && namedTypeOf(element);
  return named && !named.promised ? { kind: 'here', id: named.type } : null;
}

/** The elements' type of `Map<K, V>` (its values), `Set<T>`, `Array<T>`, `T[]` and their read-only forms. */
function elementTypeOf(type: TSESTree.TypeNode | undefined): TSESTree.TypeNode | undefined {
  if (type?.type === 'TSArrayType') return type.elementType;
  if (type?.type === 'TSTypeOperator' && type.operator === 'readonly') return elementTypeOf(type.typeAnnotation);
  if (type?.type !== 'TSTypeReference' || type.typeName.type !== 'Identifier') return undefined;
  const parameters = type.typeArguments?.params ?? [];
  const name = type.typeName.name;
  if (name === 'Map' || name === 'ReadonlyMap') return parameters.length === 2 ? parameters[1] : undefined;
  const listLike = name === 'Set' || name === 'ReadonlySet' || name === 'Array' || name === 'ReadonlyArray';
  return listLike && parameters.length === 1 ? parameters[0] : undefined;
}

/** The type annotation a field of the enclosing class (`this.x`), a parameter or a variable is declared with. */
function declaredAnnotationOf(receiver: Node, sourceCode: SourceCode): TSESTree.TypeNode | undefined {
  if (receiver.type === 'MemberExpression' && receiver.object.type === 'ThisExpression')
    return ownPropertyDefinition(receiver)?.typeAnnotation?.typeAnnotation;
  if (receiver.type !== 'Identifier') return undefined;
  const definition = variableOf(sourceCode, receiver)?.defs;
  if (definition?.length !== 1) return undefined;
  const [only] = definition;
  if (only!.type !== 'Parameter' && only!.type !== 'Variable') return undefined;
  return (only!.name as TSESTree.Identifier).typeAnnotation?.typeAnnotation;
}

/**
 * `pipeline` of `({ pipeline }: Params) => ...`: the type `Params` declares for the member the
 * parameter's pattern takes.
 */
function destructuredParameterType(name: Node, sourceCode: SourceCode, file: string): DeclaredType | null {
  const property = name.parent;
  const pattern = property?.parent;
  if (property?.type !== 'Property' || property.value !== name || pattern?.type !== 'ObjectPattern') return null;
  const key = !property.computed && property.key.type === 'Identifier' ? property.key.name : null;
  const declared = namedTypeOf(pattern.typeAnnotation?.typeAnnotation);
  if (key === null || !declared || declared.promised) return null;
  return memberTypeOf({ kind: 'here', id: declared.type }, key, false, sourceCode, file);
}

/**
 * The declared type of a member of `base`: of a class or type this file declares, or, for one it
 * imports or another file exports, from that file's declarations. An awaited member gives what
 * its promise resolves to; a member declared as a promise is not its resolved type otherwise.
 */
function memberTypeOf(
  base: DeclaredType,
  member: string,
  awaited: boolean,
  sourceCode: SourceCode,
  file: string,
): DeclaredType | null {
  const project = projectOf(sourceCode);
  let exported: ExportedType | null = base.kind === 'exported' ? base : null;
  if (base.kind === 'here') {
    const definition = variableOf(sourceCode, base.id)?.defs[0];
    if (definition?.type === 'ClassName' || definition?.type === 'Type') {
      const declared = declaredMemberType(definition.node as Node, member);
      if (!declared || (declared.promised && !awaited)) return null;
      return { kind: 'here', id: declared.type };
    }
    exported = importedDefinition(base.id, sourceCode, file, project, true);
  }
  if (!exported) return null;
  const fact = project.exportFacts(exported.file, declaredMemberTypesKind)?.get(`${exported.name}.${member}`);
  if (!fact || (fact.promised && !awaited)) return null;
  // A type imported from a file that only re-exports it (`@mikro-orm/core`'s index, `../cache`)
  // is followed to the file that declares it, whose facts say what its members are.
  const defined = definingModule(project, { file: fact.file, name: fact.name }, 0);
  return defined && { kind: 'exported', file: defined.file, name: defined.name };
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
  const kindFor: (config: Config) => FactKind<T> = exportFactKinds(name, configId, (module, config) => {
    const found = new Map<string, T>();
    for (const [exportName, definition] of module.exports) {
      if (definition.type !== 'ClassDeclaration' && definition.type !== 'ClassExpression') continue;
      // Own methods first, then what each class up the chain adds: an override hides its base's method.
      let classNode: ClassNode | null = definition;
      for (let depth = 0; classNode && depth <= MAX_BASE_CLASSES; depth++) {
        for (const member of classNode.body.body) {
          const key = member.type === 'MethodDefinition' ? ownMethodKey(member, module) : null;
          if (key === null || member.type !== 'MethodDefinition' || found.has(`${exportName}.${key}`)) continue;
          found.set(`${exportName}.${key}`, factOf(member.value as FunctionNode, module, config));
        }
        classNode = baseClassOf(classNode, module, (base) => {
          // A class of another file: its facts, its inherited methods included, under its export name.
          const facts = projectOf(module.sourceCode).exportFacts(base.file, kindFor(config));
          const prefix = `${base.exportName}.`;
          for (const [key, fact] of facts ?? []) {
            const inherited = `${exportName}.${key.slice(prefix.length)}`;
            if (key.startsWith(prefix) && !key.startsWith(`${prefix}[`) && !found.has(inherited))
              found.set(inherited, fact);
          }
        });
      }
    }
    return found;
  });
  return kindFor;
}

/** `save` for `async save() {}`, `[PERSIST]` for `async [PERSIST]() {}` when the file exports `PERSIST`; null for others. */
function ownMethodKey(member: TSESTree.MethodDefinition, module: IndexedModule): string | null {
  if (member.kind !== 'method' || member.static || !member.value.body || !isFunctionNode(member.value)) return null;
  if (member.key.type !== 'Identifier') return null;
  if (!member.computed) return member.key.name;
  const declarator = variableOf(module.sourceCode, member.key)?.defs[0]?.node as Node | undefined;
  const value = declarator?.type === 'VariableDeclarator' ? declarator.init : null;
  for (const [exportName, definition] of module.exports) if (value && definition === value) return `[${exportName}]`;
  return null;
}

/**
 * The class a class of `module` extends when this file declares it; a base class another file
 * exports is handed to `imported` (its file and export name) and null is returned.
 */
function baseClassOf(
  classNode: ClassNode,
  module: IndexedModule,
  imported: (base: { file: string; exportName: string }) => void,
): ClassNode | null {
  const base = classNode.superClass;
  if (base?.type !== 'Identifier') return null;
  const definition = variableOf(module.sourceCode, base)?.defs[0];
  if (definition?.type === 'ClassName') return definition.node as ClassNode;
  // A base class is what the class is: followed through re-exports wherever it is defined.
  const defined = importedDefinition(base, module.sourceCode, module.file, projectOf(module.sourceCode), true);
  if (defined) imported({ file: defined.file, exportName: defined.name });
  return null;
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
  return signaturePromiseReturns(declaration).get(name) ?? null;
}

type PromiseCertainty = 'always' | 'maybe' | false;

/**
 * signaturePromiseReturn for every member name of a declaration, in one pass over its members:
 * a client's command interface declares thousands of overloads (ioredis), and scanning every
 * member once per member name was quadratic.
 */
const certaintiesByDeclaration = new WeakMap<Node, Map<string, PromiseCertainty>>();
function signaturePromiseReturns(declaration: Node): Map<string, PromiseCertainty> {
  let found = certaintiesByDeclaration.get(declaration);
  if (found) return found;
  found = new Map();
  for (const member of typeMembers(declaration)) {
    if (
      (member.type !== 'TSMethodSignature' && member.type !== 'TSPropertySignature') ||
      member.computed ||
      member.key.type !== 'Identifier'
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
    const earlier = found.get(member.key.name);
    found.set(member.key.name, earlier === undefined || earlier === certainty ? certainty : 'maybe');
  }
  certaintiesByDeclaration.set(declaration, found);
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
  for (const [exportName, exported] of module.exports) {
    // Its own members, then those of the interfaces of this file it extends that it does not redeclare.
    const own = new Set<string>();
    for (const definition of extendedInterfaces(exported, module)) {
      const declaredHere = new Set<string>();
      for (const member of typeMembers(definition)) {
        if (
          (member.type === 'TSMethodSignature' || member.type === 'TSPropertySignature') &&
          !member.computed &&
          member.key.type === 'Identifier' &&
          !own.has(member.key.name)
        ) {
          const key = `${exportName}.${member.key.name}`;
          declaredHere.add(member.key.name);
          found.set(key, found.get(key) === true || judge(definition, member.key.name));
        }
      }
      for (const name of declaredHere) own.add(name);
    }
  }
  return found;
}

/** Interfaces extending interfaces: a longer chain (or a cycle) is not followed. */
const MAX_EXTENDED_INTERFACES = 6;

/**
 * A declaration, then the interfaces of the same file it extends (`interface SyncCacheAdapter
 * extends CacheAdapter`), and those they extend, nearest first: whose members it has too.
 */
function extendedInterfaces(declaration: Node, module: IndexedModule): Node[] {
  const chain = [declaration];
  for (let index = 0; index < chain.length && chain.length <= MAX_EXTENDED_INTERFACES; index++) {
    const current = chain[index]!;
    if (current.type !== 'TSInterfaceDeclaration') continue;
    for (const heritage of current.extends) {
      if (heritage.expression.type !== 'Identifier') continue;
      const base = topLevelInterface(module, heritage.expression.name);
      if (base && !chain.includes(base)) chain.push(base);
    }
  }
  return chain;
}

/** The interface a file declares at its top level (exported or not) under `name`. */
function topLevelInterface(module: IndexedModule, name: string): TSESTree.TSInterfaceDeclaration | null {
  for (const statement of module.sourceCode.ast.body) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
        ? statement.declaration
        : statement;
    if (declaration?.type === 'TSInterfaceDeclaration' && declaration.id.name === name) return declaration;
  }
  return null;
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
 * How a class's method that is not async declares its result a promise (`close(): Promise<void> |
 * void {}`: maybe): the declaration is what its overrides may do (socket.io's cluster adapters
 * make `close` async), so a caller of a receiver declared with the class may get a promise.
 */
export function overridablePromiseReturn(fn: FunctionNode): PromiseCertainty {
  const parent = fn.parent;
  const isMethod = parent?.type === 'MethodDefinition' && parent.kind === 'method' && parent.value === fn;
  return isMethod && !fn.async ? promiseCertainty(fn.returnType?.typeAnnotation) : false;
}

/** overridablePromiseReturn of each method of a file's exported classes, keyed `Class.method`. */
export const overridablePromiseMethodKind: FactKind<PromiseCertainty> = exportedMethodFacts(
  'overridable-promise-methods',
  () => '',
  (fn): PromiseCertainty => overridablePromiseReturn(fn),
)({});

/**
 * Whether a call's receiver is declared with a method whose result may be a promise or something
 * else (`send?(data): Promise<void> | void`, in an interface or on a class's method): the call
 * returns a promise only sometimes.
 */
export function declaredToReturnPromiseOrNot(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
): boolean {
  const method = resolveReceiverMethod(call, sourceCode, file);
  if (method?.kind === 'signature') return method.returnsPromise && !method.alwaysPromise;
  if (method?.kind === 'local') return overridablePromiseReturn(method.fn) === 'maybe';
  if (method?.kind !== 'imported') return false;
  return (
    (method.project.exportFacts(method.file, declaredMaybePromiseFacts)?.get(method.key) ?? false) ||
    method.project.exportFacts(method.file, overridablePromiseMethodKind)?.get(method.key) === 'maybe'
  );
}
