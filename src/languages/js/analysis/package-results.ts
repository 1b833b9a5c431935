/**
 * Objects well-known packages hand back, whose methods return promises by the packages'
 * documentation: rollup's `RollupBuild` (`const bundle = await rollup(options)`; `close()`,
 * `generate()` and `write()` return promises), tmp-promise's files and folders
 * (`const file = await tmp.file()`; `cleanup()` returns a promise, unlike tmp's callback form),
 * and sass's `AsyncCompiler` wherever a declaration names that type
 * (`let compiler: Promise<Sass.AsyncCompiler>`; `(await compiler).dispose()` returns a promise,
 * unlike the sync `Compiler`'s).
 */
import type { Node, SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { resolveCallee, resolveModuleBinding, type ModuleBinding } from './imports.js';
import { variableOf } from './scope.js';

interface PromiseMethodResult {
  module: string;
  /** The export that makes the object. */
  name: string;
  /** Its methods that return promises. */
  methods: ReadonlySet<string>;
}

const PROMISE_METHOD_RESULTS: readonly PromiseMethodResult[] = [
  { module: 'rollup', name: 'rollup', methods: new Set(['close', 'generate', 'write']) },
  { module: 'tmp-promise', name: 'file', methods: new Set(['cleanup']) },
  { module: 'tmp-promise', name: 'dir', methods: new Set(['cleanup']) },
];

/** A type a package exports, whose methods return promises by its documentation. */
interface PromiseMethodType {
  modules: ReadonlySet<string>;
  type: string;
  methods: ReadonlySet<string>;
}

const PROMISE_METHOD_TYPES: readonly PromiseMethodType[] = [
  {
    modules: new Set(['sass', 'sass-embedded']),
    type: 'AsyncCompiler',
    methods: new Set(['dispose', 'compileAsync', 'compileStringAsync']),
  },
];

/** `bundle.close()` where `const bundle = await rollup(...)` (from 'rollup'): a documented promise. */
export function isPackageResultPromiseCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if (![...PROMISE_METHOD_RESULTS, ...PROMISE_METHOD_TYPES].some((result) => result.methods.has(method))) return false;
  const receiver = skipTypeWrappers(callee.object);
  if (
    PROMISE_METHOD_TYPES.some((type) => type.methods.has(method)) &&
    isDeclaredPackageType(receiver, method, sourceCode)
  )
    return true;
  if (receiver.type !== 'Identifier') return false;
  const variable = variableOf(sourceCode, receiver);
  const definition = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || definition?.type !== 'Variable') return false;
  const declarator = definition.node as TSESTree.VariableDeclarator;
  // A `let` may be given something else later.
  if (declarator.parent.kind !== 'const' || declarator.id.type !== 'Identifier' || !declarator.init) return false;
  const init = skipTypeWrappers(declarator.init);
  const made = init.type === 'AwaitExpression' ? skipTypeWrappers(init.argument) : null;
  if (made?.type !== 'CallExpression') return false;
  const binding = resolveCallee(sourceCode, made);
  const exportName = binding?.path.join('.');
  return PROMISE_METHOD_RESULTS.some(
    (result) => result.module === binding?.module && result.name === exportName && result.methods.has(method),
  );
}

/**
 * Whether a receiver is declared as a package type whose `method` returns a promise: a name
 * annotated with it (`compiler: Sass.AsyncCompiler`), or an `await` of a name annotated with a
 * promise of it (`(await compilerPromise)` for `let compilerPromise: Promise<Sass.AsyncCompiler>`).
 */
function isDeclaredPackageType(receiver: Node, method: string, sourceCode: SourceCode): boolean {
  const awaited = receiver.type === 'AwaitExpression';
  const name = awaited ? skipTypeWrappers(receiver.argument) : receiver;
  if (name.type !== 'Identifier') return false;
  const definition = variableOf(sourceCode, name)?.defs[0];
  if (definition?.type !== 'Variable' && definition?.type !== 'Parameter') return false;
  let type = presentType((definition.name as TSESTree.Identifier).typeAnnotation?.typeAnnotation);
  if (awaited) {
    const promise = type?.type === 'TSTypeReference' ? type : null;
    const isPromise = promise?.typeName.type === 'Identifier' && promise.typeName.name === 'Promise';
    type = isPromise ? presentType(promise.typeArguments?.params[0]) : undefined;
  }
  if (type?.type !== 'TSTypeReference') return false;
  const binding = typeBinding(type.typeName, sourceCode);
  return PROMISE_METHOD_TYPES.some(
    (known) =>
      known.methods.has(method) &&
      binding !== null &&
      known.modules.has(binding.module) &&
      binding.path.join('.') === known.type,
  );
}

/** `T` of `T`, `T | undefined` or `T | null`: where the value is there at all, it is a `T`. */
function presentType(type: TSESTree.TypeNode | undefined): TSESTree.TypeNode | undefined {
  if (type?.type !== 'TSUnionType') return type;
  const present = type.types.filter((each) => each.type !== 'TSUndefinedKeyword' && each.type !== 'TSNullKeyword');
  return present.length === 1 ? present[0] : undefined;
}

/** The module export a type name names: `AsyncCompiler` imported from 'sass', or `Sass.AsyncCompiler` of `import * as Sass`. */
function typeBinding(name: TSESTree.EntityName, sourceCode: SourceCode): ModuleBinding | null {
  if (name.type === 'Identifier') return resolveModuleBinding(sourceCode, name);
  if (name.type !== 'TSQualifiedName' || name.left.type !== 'Identifier') return null;
  const base = resolveModuleBinding(sourceCode, name.left);
  return base && { module: base.module, path: [...base.path, name.right.name] };
}
