/** The semantic model Python rules share: pure functions of the compact tree, each with its own tests. */
export * from './ast.js';
export {
  asyncFunctionOf,
  awaitableReturningDefOf,
  awaitNeedsParentheses,
  canAwaitAt,
  executingFunction,
  isAsyncFunction,
} from './async-context.js';
export {
  ASYNCIO_AWAITABLES,
  coroutineCallName,
  isCoroutineFunction,
  awaitsWithoutSuspending,
  canSuspend,
  coroutineFunctionNamed,
  classBodyOf,
  decoratorsOf,
  definedFunction,
  isPlainCoroutineFunction,
  isStaticMethod,
  methodOfSelf,
  methodsOf,
  selfClassBody,
  selfMethod,
} from './coroutines.js';
export { isEventLoop, runsBesideStartedWork } from './event-loops.js';
export { threadOffloadsOf, type ThreadOffloads } from './thread-offloads.js';
export { awaitedCallElsewhere, receiverAwaitedElsewhere } from './awaited-elsewhere.js';
export {
  awaitedCall,
  awaitsOfLoop,
  calleeName,
  canLeaveEarly,
  carriesAwaitedValue,
  isAsyncLoop,
  loopTargetNames,
  namesReadIn,
  ownNodes,
  repeatingLoopOf,
} from './loops.js';
export { runsOnlyBelow, versionAtMost } from './versions.js';
export { runsBeforeServing, shutdownHooks, startupHooks } from './startup.js';
export { requestHandlers } from './handlers.js';
export {
  actsOnPartOfElement,
  isFixtureTeardown,
  iterationNames,
  notifiesElement,
  sharesFixtures,
  startsServer,
  trackedCollection,
  writesAroundAwait,
} from './loop-evidence.js';
export { handsOverSharedObject, isReadAfter, matchesOrderedCallee, sharedReceiver } from './ordering.js';
export { moduleFactsOf } from './module-facts.js';
export { onlyYieldsWhenAwaited, yieldGuardsOf } from './yields-only.js';
export {
  callSitesIn,
  importedModules,
  isTestSupportModule,
  onlyHandedOver,
  runsOncePerProcess,
  type PyCallSite,
} from './callers.js';
export { oncePerKeyFrom } from './memoised.js';
export { cannotFail, runsOnlyUnderAsyncioRun, waitsOnTaskEffect } from './task-effects.js';
export { neverRequestedBranch } from './test-requests.js';
export {
  projectFunction,
  type ProjectFunction,
  type PyCallFact,
  type PyFunctionFacts,
  type PyYieldGuard,
  type PyModuleFacts,
  type PyProjectSite,
  type PyProjectSites,
  type PythonProject,
} from './project.js';
export { relativeModuleName, type ImportContext } from './import-bindings.js';
export { qualifiedName, qualifiedNameOfName } from './imports.js';
export { contextsOption } from '../../../analysis/context/file-context.js';
export {
  buildScopeModel,
  type Definition,
  type DefinitionKind,
  type Resolution,
  type Scope,
  type ScopeKind,
  type ScopeModel,
} from './scopes.js';
export {
  isInMainBlock,
  isSkippedCode,
  pythonFileContext,
  pythonWhereCodeRuns,
  pythonWhereCodeRunsFor,
  RUN_CONTEXTS,
  type ContextVerdict,
  type PyWhereCodeRuns,
  type RunContext,
} from './run-context.js';
export { positionAmongLineStarts } from '../../../text-positions.js';
