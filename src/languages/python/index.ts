/** Python behind the Language seam: the only door the shared code uses. */
import { pythonRules } from '../../../rules/python/index.js';
import { classifyFile } from '../../analysis/context/file-context.js';
import type { FactExchange, Language } from '../language.js';
import { lintPython, type PythonLintOptions } from './lint-text.js';
import { isPythonParserLoaded, loadPythonParser, parsesCleanly } from './parser/index.js';
import { EXTENSIONS, isInstalledCodeDirectory, ownsPythonFile } from './files.js';
import { forgetPackages, packageNameOf, pythonImportSpecifiers, pythonModuleCandidates } from './project/packages.js';
import { forgetPyprojects, pyprojectFactsFor } from './project/pyproject.js';
import { forgetModuleFacts, pythonProjectFor, type Dependencies } from './project/python-project.js';

export type { PythonLintOptions } from './lint-text.js';

/** A long-lived process forgets what it read of packages and pyproject.toml files, which may have changed. */
function forgetProjectFiles(): void {
  forgetPackages();
  forgetPyprojects();
  forgetModuleFacts();
}

/** No cross-file facts yet: each file is linted on its own. */
const noFacts: FactExchange = {
  startSharing() {},
  stopSharing() {},
  takeNew: () => [],
  addShared() {},
};

export const python: Language<PythonLintOptions> = {
  id: 'python',
  rules: pythonRules,
  extensions: EXTENSIONS,
  owns: ownsPythonFile,
  prepare: loadPythonParser,
  isPrepared: isPythonParserLoaded,
  skipsDirectory: isInstalledCodeDirectory,
  lintText(text, options) {
    const imports = options.imports ?? { packageName: packageNameOf(options.filename) };
    const packageFacts = options.packageFacts ?? pyprojectFactsFor(options.filename);
    // Other modules are read from disk; the files read are this result's dependencies for the cache.
    const dependencies: Dependencies | null = options.keepDependencies ? new Map() : null;
    const pythonProject =
      options.pythonProject === undefined
        ? pythonProjectFor(options.filename, imports.packageName, dependencies)
        : options.pythonProject;
    const result = lintPython(text, { ...options, imports, packageFacts, pythonProject });
    return { result, dependencies: dependencies ? [...dependencies] : [] };
  },
  importSpecifiers: pythonImportSpecifiers,
  moduleCandidates: pythonModuleCandidates,
  parsesCleanly: (text) => parsesCleanly(text),
  canFix: false,
  facts: noFacts,
  forgetRecentFileVersions: forgetProjectFiles,
  resetProcess: forgetProjectFiles,
  describeContext: (filePath, cwd, firstLine) => classifyFile(filePath, cwd, pyprojectFactsFor(filePath), firstLine),
};
