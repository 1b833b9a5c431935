/**
 * The project graph of a run: files on disk, their versions, parses of imported files, facts
 * about their exports. Analysis asks through the ProjectFacts interface; this is the runner's
 * answer (and the ESLint plugin's, which reads the disk too).
 */
import { DiskProject } from './disk-project.js';
import { forgetRecentStampsAndResolutions } from './file-versions.js';
import { forgetImporters } from './importers.js';
import { forgetRecentModules } from './modules.js';
import { forgetPackageManifests } from './package-manifests.js';

export { DiskProject, type SharedFacts } from './disk-project.js';
export { fileStamp, resolveRelativeModule } from './file-versions.js';
export { loadIndexedModule } from './modules.js';
export { packageFactsFor } from './package-manifests.js';

/**
 * The project every file of this process is linted in, unless a caller hands in another: shared
 * by the files of a run (and by every file ESLint lints in one process), so an imported file is
 * parsed once, not once per importer.
 */
export const processProject = new DiskProject();

/**
 * A long-lived process (--watch, the language server) asks again after a file changed: versions
 * and resolutions it saw within the last second may already be stale.
 */
export function forgetRecentFileVersions(): void {
  forgetRecentStampsAndResolutions();
  forgetRecentModules();
  forgetImporters();
}

/** Everything the process project has learnt, forgotten: an in-process CLI run starts afresh. */
export function resetProcessProject(): void {
  forgetRecentFileVersions();
  forgetPackageManifests();
  processProject.forgetEverything();
}
