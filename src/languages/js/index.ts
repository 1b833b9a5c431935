/** JavaScript and TypeScript behind the Language seam: the only door the shared code uses. */
import { rules } from '../../../rules/index.js';
import type { ConfiguredRule } from '../../types.js';
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

/** The configured rules JavaScript has, each with the registry's rule object. */
function ownRules(configured: readonly ConfiguredRule[]): ConfiguredRule[] {
  return configured.flatMap((entry) => {
    const rule = Object.hasOwn(rules, entry.id) ? rules[entry.id] : undefined;
    return rule ? [{ ...entry, rule }] : [];
  });
}

export const javascript: Language<JsLintOptions> = {
  id: 'js',
  rules,
  extensions: LINTABLE_EXTENSIONS,
  owns: isLintableFile,
  prepare: loadOxcParser,
  isPrepared: isOxcParserLoaded,
  lintText(text, given) {
    // A rule only another language has (Python's nested-event-loop) is not JavaScript's business;
    // config may hand over a rule's metadata alone (the CLI's rule catalog): the code is the registry's.
    const options = given.rules.every((entry) => rules[entry.id] === entry.rule)
      ? given
      : { ...given, rules: ownRules(given.rules) };
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
