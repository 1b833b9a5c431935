/**
 * "Every method of this name in the package cannot reject": for a call `this.client.release(c)`
 * whose receiver nothing in the code types, the functions the package itself defines under that
 * name (class methods, object methods, `client.release = function () {...}` overrides) are what
 * the call may reach from the package's own objects. When each of them is a promise that cannot
 * reject (`return Promise.resolve()` after sync work, a body that catches everything), so is the
 * call, whichever of them it reaches.
 *
 * The files looked at are those the package's entry points and commands import, directly or not,
 * and the asking file's own imports; a file whose text never names the method defines none.
 * Every file looked at is a dependency of the answer.
 */
import path from 'node:path';
import type { Node, SourceCode, TSESTree } from '../types.js';
import { forEachDescendant, isFunctionNode, skipTypeWrappers, type FunctionNode } from './ast.js';
import { exportFactKinds } from './functions.js';
import { projectOf, relativeSpecifiers, type Dependencies, type FactKind, type ProjectFacts } from './project.js';

/** What the definitions of one name in a file say: each cannot reject, or one may (or is no function). */
export type MemberDefinitions = 'never-rejects' | 'may-reject';

/** The name a definition gives: a plain identifier key or `x.name = ...`; null for computed ones. */
function definedName(key: Node, computed: boolean): string | null {
  return !computed && key.type === 'Identifier' ? key.name : null;
}

/** Each function-valued member the file defines, by name, with its value (null: not a function). */
function forEachMemberDefinition(sourceCode: SourceCode, visit: (name: string, fn: FunctionNode | null) => void): void {
  const valueOf = (value: Node | null | undefined) => {
    const expression = value ? skipTypeWrappers(value) : null;
    return isFunctionNode(expression) ? expression : null;
  };
  forEachDescendant(sourceCode.ast, sourceCode.visitorKeys, (node) => {
    let name: string | null = null;
    let value: Node | null | undefined;
    if (node.type === 'MethodDefinition' && node.kind === 'method') {
      name = definedName(node.key, node.computed);
      value = node.value;
    } else if (
      node.type === 'PropertyDefinition' ||
      // `const { release } = pool` reads a member; it defines none.
      (node.type === 'Property' && node.parent?.type === 'ObjectExpression')
    ) {
      name = definedName(node.key, node.computed);
      value = node.value;
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression') {
      name = definedName(node.left.property, node.left.computed);
      value = node.right;
    }
    if (name !== null) visit(name, valueOf(value));
    return undefined;
  });
}

/** Per file: each member name it defines, and whether every definition of it cannot reject. */
export function memberDefinitionFacts<Config extends object>(
  name: string,
  configId: (config: Config) => string,
  neverRejects: (fn: FunctionNode, sourceCode: SourceCode, file: string, config: Config) => boolean,
) {
  return exportFactKinds(name, configId, (module, config) => {
    const found = new Map<string, MemberDefinitions>();
    forEachMemberDefinition(module.sourceCode, (member, fn) => {
      if (found.get(member) === 'may-reject') return;
      const safe = fn !== null && neverRejects(fn, module.sourceCode, module.file, config);
      found.set(member, safe ? 'never-rejects' : 'may-reject');
    });
    return found;
  });
}

/** One text look per method name: whether the file names it, and what it imports. */
const looksByName = new Map<string, object>();

function lookFor(name: string): object {
  let key = looksByName.get(name);
  if (!key) looksByName.set(name, (key = {}));
  return key;
}

/** 'never-rejects' when the package defines the name and every definition cannot reject. */
function packageDefinitions(
  project: ProjectFacts,
  file: string,
  name: string,
  facts: FactKind<MemberDefinitions>,
): MemberDefinitions | null {
  const manifest = project.packageFacts(file);
  if (!manifest) return null;
  const entries = [...manifest.entryFiles, ...manifest.binFiles].map((entry) => path.join(manifest.directory, entry));
  const pending = [file, ...entries];
  const visited = new Set<string>();
  let found: MemberDefinitions | null = null;
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (visited.has(current)) continue;
    visited.add(current);
    const look = project.lookAtText(current, lookFor(name), (text) => ({
      names: text.includes(name),
      specifiers: relativeSpecifiers(text),
    }));
    if (look === null) continue;
    if (look.names) {
      const definitions = project.exportFacts(current, facts)?.get(name);
      if (definitions === 'may-reject') return 'may-reject';
      if (definitions === 'never-rejects') found = definitions;
    }
    for (const specifier of look.specifiers) {
      const target = project.resolveModule(current, specifier);
      // Only the package's own files: another package's methods are not what this one's objects have.
      if (target !== null && !path.relative(manifest.directory, target).startsWith('..')) pending.push(target);
    }
  }
  return found;
}

interface Answer {
  value: boolean;
  dependencies: Dependencies;
}

const answersByScope = new WeakMap<object, WeakMap<object, Map<string, Answer>>>();

/**
 * Whether a method call `receiver.name(...)` cannot reject because every function the package
 * defines under `name` returns a promise that cannot reject (see the file comment). `facts` is
 * the kind that judges one file's definitions (one per configuration of the caller).
 */
export function everyPackageMethodNeverRejects(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
  file: string,
  facts: FactKind<MemberDefinitions>,
): boolean {
  const callee = skipTypeWrappers(call.callee.type === 'ChainExpression' ? call.callee.expression : call.callee);
  if (callee.type !== 'MemberExpression') return false;
  const name = definedName(callee.property, callee.computed);
  if (name === null) return false;
  const project = projectOf(sourceCode);
  const manifest = project.packageFacts(file);
  if (!manifest) return false;
  let byKind = answersByScope.get(project.memoScope());
  if (!byKind) answersByScope.set(project.memoScope(), (byKind = new WeakMap()));
  let answers = byKind.get(facts);
  if (!answers) byKind.set(facts, (answers = new Map()));
  // The walk starts at the asking file too (its imports may reach what no entry does).
  const key = `${manifest.directory}\0${file}\0${name}`;
  const known = answers.get(key);
  if (known) {
    project.noteDependencies(known.dependencies);
    return known.value;
  }
  const { value, dependencies } = project.recordDependencies(
    () => packageDefinitions(project, file, name, facts) === 'never-rejects',
  );
  answers.set(key, { value, dependencies });
  return value;
}
