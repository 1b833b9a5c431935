/**
 * Every language's kinds of derived dependency (facts drawn from many files, such as a file's
 * importers), registered on import: the result cache imports this to check its entries' dependencies
 * before any language is loaded (file-stamp.ts's registerDerivedDependency).
 */
import { onFreshRun } from './fresh-run.js';
import { forgetImporters } from './js/project/importers.js';

// The walks of packages it remembers are a run's: a new run in this process walks again.
onFreshRun(forgetImporters);
