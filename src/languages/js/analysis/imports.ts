/**
 * "Which module export is this expression?" answered through the scope manager and the module's
 * imports and requires, never by name alone: renamed imports, namespace and default imports,
 * `require` (destructured, chained or aliased) and `const read = fs.readFileSync` all resolve;
 * a local function that merely shares a name does not.
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { importedName, skipTypeWrappers } from './ast.js';
import { variableOf } from './scope.js';

export interface ModuleBinding {
  /** The module specifier without a `node:` prefix: `fs`, `timers/promises`, `./helpers.js`. */
  module: string;
  /** Property path below the module namespace: `['readFileSync']`, `['promises', 'readFile']`. */
  path: string[];
}

const MAX_ALIAS_STEPS = 12;

export function normalizeModuleName(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

function stringLiteralValue(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/** `require('x')`, `await import('x')`: the module, or null. */
function moduleOfLoader(node: Node): string | null {
  let current = skipTypeWrappers(node);
  if (current.type === 'AwaitExpression') current = skipTypeWrappers(current.argument);
  if (
    current.type === 'CallExpression' &&
    current.callee.type === 'Identifier' &&
    current.callee.name === 'require' &&
    current.arguments.length === 1
  ) {
    const name = stringLiteralValue(current.arguments[0]);
    return name === null ? null : normalizeModuleName(name);
  }
  if (current.type === 'ImportExpression') {
    const name = stringLiteralValue(current.source);
    return name === null ? null : normalizeModuleName(name);
  }
  return null;
}

/** The property path from a destructuring pattern down to `target`: `{ a: { b: x } }` gives ['a', 'b']. */
function pathInPattern(pattern: Node, target: Node): string[] | null {
  if (pattern === target) return [];
  if (pattern.type === 'ObjectPattern') {
    for (const property of pattern.properties) {
      if (property.type !== 'Property') continue;
      const key = property.computed
        ? stringLiteralValue(property.key)
        : property.key.type === 'Identifier'
          ? property.key.name
          : stringLiteralValue(property.key);
      if (key === null) continue;
      const inner = pathInPattern(
        property.value.type === 'AssignmentPattern' ? property.value.left : property.value,
        target,
      );
      if (inner) return [key, ...inner];
    }
  }
  return null;
}

function isAssignedOnce(variable: NonNullable<ReturnType<typeof variableOf>>): boolean {
  return variable.references.filter((reference) => reference.isWrite()).length <= 1;
}

function resolveIdentifier(
  sourceCode: SourceCode,
  identifier: TSESTree.Identifier,
  steps: number,
): ModuleBinding | null {
  const variable = variableOf(sourceCode, identifier);
  const definition = variable?.defs[0];
  if (!variable || !definition || variable.defs.length !== 1) return null;
  if (definition.type === 'ImportBinding') {
    const specifier = definition.node;
    // TypeScript's import-equals form (`import x = require(specifier)`) binds the module itself, as a require does.
    if (specifier.type === 'TSImportEqualsDeclaration') {
      const reference = specifier.moduleReference;
      const source = reference.type === 'TSExternalModuleReference' ? stringLiteralValue(reference.expression) : null;
      return source === null ? null : { module: normalizeModuleName(source), path: [] };
    }
    const declaration = definition.parent as TSESTree.ImportDeclaration | null;
    const source = declaration?.source?.value;
    if (typeof source !== 'string') return null;
    const module = normalizeModuleName(source);
    if (specifier.type === 'ImportSpecifier') {
      const imported = importedName(specifier);
      return { module, path: imported === 'default' ? [] : [imported] };
    }
    return { module, path: [] };
  }
  if (definition.type === 'Variable' && isAssignedOnce(variable)) {
    const declarator = definition.node as TSESTree.VariableDeclarator;
    if (!declarator.init) return null;
    const base = resolveExpression(sourceCode, declarator.init, steps + 1);
    if (!base) return null;
    const inner = pathInPattern(declarator.id, definition.name);
    return inner ? { module: base.module, path: [...base.path, ...inner] } : null;
  }
  return null;
}

function resolveExpression(sourceCode: SourceCode, expression: Node, steps: number): ModuleBinding | null {
  if (steps > MAX_ALIAS_STEPS) return null;
  const node = skipTypeWrappers(expression);
  const loaded = moduleOfLoader(node);
  if (loaded !== null) return { module: loaded, path: [] };
  if (node.type === 'Identifier') return resolveIdentifier(sourceCode, node, steps);
  if (node.type === 'ChainExpression') return resolveExpression(sourceCode, node.expression, steps);
  if (node.type === 'MemberExpression') {
    const key = node.computed
      ? stringLiteralValue(node.property)
      : node.property.type === 'Identifier'
        ? node.property.name
        : null;
    if (key === null) return null;
    const base = resolveExpression(sourceCode, node.object, steps + 1);
    if (!base) return null;
    // `fs.default.readFileSync` (interop) is `fs.readFileSync`.
    return key === 'default' && base.path.length === 0 ? base : { module: base.module, path: [...base.path, key] };
  }
  return null;
}

/** The module export an expression denotes (`rfs` from `import { readFileSync as rfs } from 'node:fs'`). */
export function resolveModuleBinding(sourceCode: SourceCode, expression: Node): ModuleBinding | null {
  return resolveExpression(sourceCode, expression, 0);
}

/** The module export a call calls, or null: `fs.promises.readFile(...)` gives fs / ['promises', 'readFile']. */
export function resolveCallee(
  sourceCode: SourceCode,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
): ModuleBinding | null {
  return resolveExpression(sourceCode, call.callee, 0);
}
