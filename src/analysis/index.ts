export * from './ast.js';
export * from './scope.js';
export * from './imports.js';
export * from './callee-patterns.js';
export * from './loops.js';
export * from './ordering.js';
export * from './async-context.js';
export * from './blocking.js';
export { resetProjectIndex, resolveRelativeModule, loadIndexedModule, type IndexedModule } from './project-index.js';
