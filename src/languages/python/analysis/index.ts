/** The semantic model Python rules share: pure functions of the compact tree, each with its own tests. */
export * from './ast.js';
export { asyncFunctionOf, executingFunction, isAsyncFunction } from './async-context.js';
export { relativeModuleName, type ImportContext } from './import-bindings.js';
export { qualifiedName } from './imports.js';
export {
  buildScopeModel,
  type Definition,
  type DefinitionKind,
  type Resolution,
  type Scope,
  type ScopeKind,
  type ScopeModel,
} from './scopes.js';
