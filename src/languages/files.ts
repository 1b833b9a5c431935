/**
 * Which files each language lints and which folders discovery leaves out, known without loading
 * the languages (index.ts): discovery and a warm run whose every file the result cache answers
 * load no parser, no analysis and no rule.
 */
import { relativeSpecifiers } from './js/analysis/project.js';
import { isLintableFile as isJsFile, LINTABLE_EXTENSIONS } from './js/files.js';
import { EXTENSIONS as PYTHON_EXTENSIONS, isInstalledCodeDirectory, ownsPythonFile } from './python/files.js';
import { pythonImportSpecifiers } from './python/project/packages.js';

export interface LanguageFiles {
  id: string;
  /** The file name endings it owns, for discovery (`.ts`, `.py`). */
  extensions: readonly string[];
  /** Whether it lints this file: an owned ending, less what it never lints (`.d.ts`). */
  owns(filename: string): boolean;
  /**
   * Folders discovery never enters for this language (a Python virtual environment), besides the
   * shared defaults; `has` tells whether the folder holds an entry of that name.
   */
  skipsDirectory?(absolute: string, name: string, has: (entry: string) => boolean): boolean;
  /** Relative specifiers the text imports, found without parsing: enough for a lint order. */
  importSpecifiers(text: string): string[];
}

/** In the registry's order: a file two languages owned would go to the first. */
export const languageFiles: readonly LanguageFiles[] = [
  { id: 'js', extensions: LINTABLE_EXTENSIONS, owns: isJsFile, importSpecifiers: relativeSpecifiers },
  {
    id: 'python',
    extensions: PYTHON_EXTENSIONS,
    owns: ownsPythonFile,
    skipsDirectory: isInstalledCodeDirectory,
    importSpecifiers: pythonImportSpecifiers,
  },
];

/** The language's files a file is, JavaScript's for a name none owns (as the registry's languageFor). */
export function languageFilesFor(filename: string): LanguageFiles {
  return languageFiles.find((language) => language.owns(filename)) ?? languageFiles[0]!;
}

/**
 * Whether discovery leaves a folder out because some language says it holds no code of the
 * project's; `has` answers from the folder's listing.
 */
export function isSkippedDirectory(absolute: string, name: string, has: (entry: string) => boolean): boolean {
  return languageFiles.some((language) => language.skipsDirectory?.(absolute, name, has) ?? false);
}

/** Whether some language lints this file (discovery, --watch and the language server ask). */
export function isLintableFile(filename: string): boolean {
  return languageFiles.some((language) => language.owns(filename));
}

/** Every extension any language owns, for discovery and watching. */
export function lintableExtensions(): string[] {
  return languageFiles.flatMap((language) => language.extensions);
}
