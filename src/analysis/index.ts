export * from './ast.js';
export * from './scope.js';
export * from './imports.js';
export * from './callee-patterns.js';
export * from './loops.js';
export * from './ordering.js';
export * from './async-context.js';
export * from './blocking.js';
export { resolveRelativeModule, loadIndexedModule, type IndexedModule } from './project-index.js';
export * from './functions.js';
export { addSharedFacts, exportFacts, fileStamp, forgetRecentFileVersions, provideExportFacts, recordDependencies, relativeModuleCandidates, relativeSpecifiers, shareNewFacts, stopSharingFacts, takeNewFacts, type FactKind, type SharedFacts } from './project-index.js';
export * from './promises.js';
export * from './type-aware.js';
export * from './run-context.js';
export * from './independence.js';
export * from './read-pairs.js';
// What an in-process CLI run forgets first, so that it starts as a new process would.
export { resetProjectIndex } from './project-index.js';
export { forgetPackageFacts } from './context/package-facts.js';
