/**
 * What the declarations say a member holds: `preferences: Prefs` in `interface Settings`, the
 * `Settings` a method `getSettings(): Settings` returns, or the `Prefs` its `Promise<Prefs>`
 * resolves to. Read from type annotations alone, as a type checker would read them, so that a
 * chain like `pipeline.getSettings().preferences.get(key)` reaches the declared `get`.
 *
 * Only names are followed: a member whose type is a class, an interface or an object type the
 * declaring file has (or imports by a relative path). Generics, unions of several types,
 * intersections, mapped and indexed types say nothing here.
 */
import type { Node, TSESTree } from '../types.js';
import type { FactKind, IndexedModule, ProjectFacts } from './project.js';
import { projectOf } from './project.js';
import { resolveProjectImport } from './workspace-imports.js';
import { importedName } from './ast.js';

/** A type another file of the project exports: that file and the name it exports it by. */
export interface ExportedType {
  file: string;
  name: string;
}

/** What a member's declared type names: a type (identifier) of the declaring file, and whether it is a promise of it. */
export interface DeclaredMemberType {
  type: TSESTree.Identifier;
  /** `Promise<T>`: what an `await` of the member gives is `T`, the member itself is not a `T`. */
  promised: boolean;
}

/** `T` of `T`, `T | undefined`, `T | null`, `T<Args>`, and of `Promise<T>` (marked promised). */
export function namedTypeOf(type: TSESTree.TypeNode | undefined): DeclaredMemberType | null {
  if (type?.type === 'TSUnionType') {
    const present = type.types.filter((each) => each.type !== 'TSUndefinedKeyword' && each.type !== 'TSNullKeyword');
    type = present.length === 1 ? present[0] : undefined;
  }
  if (type?.type !== 'TSTypeReference' || type.typeName.type !== 'Identifier') return null;
  // `Readonly<Settings>` has the members of `Settings`, with the same types.
  if (SAME_MEMBERS.has(type.typeName.name)) return namedTypeOf(type.typeArguments?.params[0]);
  if (type.typeName.name === 'Promise' || type.typeName.name === 'PromiseLike') {
    const inner = namedTypeOf(type.typeArguments?.params[0]);
    return inner && !inner.promised ? { type: inner.type, promised: true } : null;
  }
  return { type: type.typeName, promised: false };
}

/** The members of an interface or of an object type (`type T = { ... }`); none for other types. */
export function typeMembers(declaration: Node): TSESTree.TypeElement[] {
  if (declaration.type === 'TSInterfaceDeclaration') return declaration.body.body;
  if (declaration.type === 'TSTypeAliasDeclaration' && declaration.typeAnnotation.type === 'TSTypeLiteral')
    return declaration.typeAnnotation.members;
  return [];
}

/** TypeScript's utility types whose members have the types of their argument's members. */
const SAME_MEMBERS = new Set(['Readonly', 'Required', 'Partial', 'NonNullable']);

type TypeDeclaration =
  | TSESTree.ClassDeclaration
  | TSESTree.ClassExpression
  | TSESTree.TSInterfaceDeclaration
  | TSESTree.TSTypeAliasDeclaration;

function isTypeDeclaration(node: Node | null | undefined): node is TypeDeclaration {
  return (
    node?.type === 'ClassDeclaration' ||
    node?.type === 'ClassExpression' ||
    node?.type === 'TSInterfaceDeclaration' ||
    node?.type === 'TSTypeAliasDeclaration'
  );
}

function keyName(key: TSESTree.Node, computed: boolean): string | null {
  if (computed) return null;
  if (key.type === 'Identifier') return key.name;
  return key.type === 'Literal' && typeof key.value === 'string' ? key.value : null;
}

/** Prefixes the member keys of a class's static side: `static getConfiguration()`. */
export const STATIC_PREFIX = 'static ';

/**
 * The declared type of member `name` of a class, interface or object type: a property or field
 * (`preferences: Prefs`, `private store = new Store()`, a constructor parameter property), keyed
 * `name`; or what a method or getter returns, keyed `name()`.
 */
export function declaredMemberType(declaration: Node, member: string): DeclaredMemberType | null {
  if (!isTypeDeclaration(declaration)) return null;
  // `static getConfiguration()`: a member of the class itself, not of its instances.
  const statics = member.startsWith(STATIC_PREFIX);
  const key = statics ? member.slice(STATIC_PREFIX.length) : member;
  const wantsCall = key.endsWith('()');
  const name = wantsCall ? key.slice(0, -2) : key;
  if (declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSTypeAliasDeclaration') {
    if (statics) return null;
    for (const each of typeMembers(declaration)) {
      if (each.type === 'TSPropertySignature' && !wantsCall && keyName(each.key, each.computed) === name)
        return namedTypeOf(each.typeAnnotation?.typeAnnotation);
      if (each.type === 'TSMethodSignature' && keyName(each.key, each.computed) === name)
        return wantsCall === (each.kind === 'method') ? namedTypeOf(each.returnType?.typeAnnotation) : null;
    }
    return null;
  }
  for (const each of declaration.body.body) {
    if ((each.type === 'PropertyDefinition' || each.type === 'MethodDefinition') && each.static !== statics) continue;
    if (each.type === 'PropertyDefinition' && !wantsCall && keyName(each.key, each.computed) === name) {
      const value = each.value;
      if (value?.type === 'NewExpression' && value.callee.type === 'Identifier')
        return { type: value.callee, promised: false };
      return namedTypeOf(each.typeAnnotation?.typeAnnotation);
    }
    if (each.type === 'MethodDefinition' && keyName(each.key, each.computed) === name) {
      // A getter is read as a property; a method is called.
      if ((each.kind === 'get') === wantsCall) continue;
      if (each.kind !== 'get' && each.kind !== 'method') continue;
      return namedTypeOf(each.value.returnType?.typeAnnotation);
    }
    if (each.type === 'MethodDefinition' && each.kind === 'constructor' && !wantsCall && !statics) {
      for (const parameter of each.value.params) {
        if (parameter.type !== 'TSParameterProperty') continue;
        const binding = parameter.parameter;
        if (binding.type === 'Identifier' && binding.name === name)
          return namedTypeOf(binding.typeAnnotation?.typeAnnotation);
      }
    }
  }
  return null;
}

/**
 * Where a type a file names at its top level is defined: a class or type the file declares and
 * exports, or one it imports from another file of the project by a relative path (read from the
 * statements, without scope analysis: type names are declared at the top level).
 */
export function topLevelTypeOf(module: IndexedModule, name: string, project: ProjectFacts): ExportedType | null {
  for (const statement of module.sourceCode.ast.body) {
    if (statement.type === 'ImportDeclaration') {
      const source = statement.source.value;
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ImportNamespaceSpecifier' || specifier.local.name !== name) continue;
        // A relative import, or the project's own code by a package name (`@mikro-orm/core`).
        const target = resolveProjectImport(project, module.file, source);
        const imported = importedName(specifier);
        return target ? { file: target, name: imported } : null;
      }
    }
  }
  for (const [exportName, definition] of module.exports)
    if (isTypeDeclaration(definition) && definition.id?.name === name) return { file: module.file, name: exportName };
  return null;
}

/** A member's declared type, as a type another file exports, and whether the member is a promise of it. */
export interface ExportedMemberType extends ExportedType {
  promised: boolean;
}

/**
 * Per exported class, interface and object type, the declared type of each member (keys
 * `Type.member` and `Type.method()`), where it names a type the project exports.
 */
export const declaredMemberTypesKind: FactKind<ExportedMemberType | null> = {
  id: 'declared-member-types',
  compute(module: IndexedModule): Map<string, ExportedMemberType | null> {
    const found = new Map<string, ExportedMemberType | null>();
    const project = projectOf(module.sourceCode);
    for (const [exportName, definition] of module.exports) {
      if (!isTypeDeclaration(definition)) continue;
      for (const member of memberKeys(definition)) {
        const declared = declaredMemberType(definition, member);
        const defined = declared && topLevelTypeOf(module, declared.type.name, project);
        found.set(`${exportName}.${member}`, defined ? { ...defined, promised: declared!.promised } : null);
      }
    }
    return found;
  },
};

/** The keys declaredMemberType answers for a declaration: `name` for properties and getters, `name()` for methods. */
function memberKeys(declaration: TypeDeclaration): string[] {
  const keys: string[] = [];
  if (declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSTypeAliasDeclaration') {
    for (const each of typeMembers(declaration)) {
      if (each.type !== 'TSPropertySignature' && each.type !== 'TSMethodSignature') continue;
      const name = keyName(each.key, each.computed);
      if (name === null) continue;
      keys.push(each.type === 'TSMethodSignature' && each.kind === 'method' ? `${name}()` : name);
    }
    return keys;
  }
  for (const each of declaration.body.body) {
    if (each.type === 'PropertyDefinition') {
      const name = keyName(each.key, each.computed);
      if (name !== null) keys.push(`${each.static ? STATIC_PREFIX : ''}${name}`);
    }
    if (each.type === 'MethodDefinition') {
      const name = keyName(each.key, each.computed);
      if (name === null) continue;
      const prefix = each.static ? STATIC_PREFIX : '';
      if (each.kind === 'method') keys.push(`${prefix}${name}()`);
      if (each.kind === 'get') keys.push(`${prefix}${name}`);
      if (each.kind === 'constructor')
        for (const parameter of each.value.params)
          if (parameter.type === 'TSParameterProperty' && parameter.parameter.type === 'Identifier')
            keys.push(parameter.parameter.name);
    }
  }
  return keys;
}
