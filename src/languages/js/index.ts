/** JavaScript and TypeScript behind the Language seam: the only door the shared code uses. */
import { rules } from '../../../rules/index.js';
import type { Language } from '../language.js';
import { classifyFile, relativeModuleCandidates, relativeSpecifiers } from './analysis/index.js';
import { lintSource, type JsLintOptions } from './lint-text.js';
import {
  isLintableFile,
  isOxcParserLoaded,
  LINTABLE_EXTENSIONS,
  loadOxcParser,
  parsesCleanly,
} from './parser/index.js';
import {
  forgetRecentFileVersions,
  packageFactsFor,
  processProject,
  resetProcessProject,
  type SharedFacts,
} from './project/index.js';
import { typeInformation } from './type-program.js';

export type { JsLintOptions } from './lint-text.js';

export const javascript: Language<JsLintOptions> = {
  id: 'js',
  rules,
  extensions: LINTABLE_EXTENSIONS,
  owns: isLintableFile,
  prepare: loadOxcParser,
  isPrepared: isOxcParserLoaded,
  lintText(text, given) {
    // A rule only another language has (Python's nested-event-loop) is not JavaScript's business.
    const options = given.rules.every((entry) => entry.id in rules)
      ? given
      : { ...given, rules: given.rules.filter((entry) => entry.id in rules) };
    if (!options.keepDependencies) return { result: lintSource(text, options), dependencies: [] };
    const project = options.project ?? processProject;
    const { value: result, dependencies } = project.recordDependencies(() => lintSource(text, options));
    // A file's own version is its cache key already.
    dependencies.delete(options.filename);
    return { result, dependencies: [...dependencies] };
  },
  importSpecifiers: relativeSpecifiers,
  moduleCandidates: relativeModuleCandidates,
  parsesCleanly,
  canFix: true,
  facts: {
    startSharing: () => processProject.shareNewFacts(),
    stopSharing: () => processProject.stopSharingFacts(),
    takeNew: () => processProject.takeNewFacts(),
    addShared: (facts) => processProject.addSharedFacts(facts as readonly SharedFacts[]),
  },
  forgetRecentFileVersions,
  resetProcess: resetProcessProject,
  typeInformation,
  describeContext: (filePath, cwd, firstLine) => classifyFile(filePath, cwd, packageFactsFor(filePath), firstLine),
};
