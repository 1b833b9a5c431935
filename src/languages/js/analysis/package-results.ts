/**
 * Objects well-known packages hand back, whose methods return promises by the packages'
 * documentation: rollup's `RollupBuild` (`const bundle = await rollup(options)`; `close()`,
 * `generate()` and `write()` return promises) and tmp-promise's files and folders
 * (`const file = await tmp.file()`; `cleanup()` returns a promise, unlike tmp's callback form).
 */
import type { SourceCode, TSESTree } from '../types.js';
import { skipTypeWrappers } from './ast.js';
import { resolveCallee } from './imports.js';
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

/** `bundle.close()` where `const bundle = await rollup(...)` (from 'rollup'): a documented promise. */
export function isPackageResultPromiseCall(call: TSESTree.CallExpression, sourceCode: SourceCode): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if (!PROMISE_METHOD_RESULTS.some((result) => result.methods.has(method))) return false;
  const receiver = skipTypeWrappers(callee.object);
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
