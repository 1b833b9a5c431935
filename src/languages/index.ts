/**
 * The registry of languages: the one module of the shared code that knows which languages
 * exist. The runner asks it which language owns a file; discovery lints the union of their
 * extensions.
 */
import type { LintResult, RuleInfo } from '../types.js';
import type { FactExchange, Language, LintTextOptions, TypeInformation, TypeInformationRequest } from './language.js';
import { javascript, type JsLintOptions } from './js/index.js';
import { python, type PythonLintOptions } from './python/index.js';
import { onFreshRun } from './fresh-run.js';

export { isLintableFile, isSkippedDirectory, lintableExtensions } from './files.js';

export type {
  CompilerInfo,
  FactExchange,
  Language,
  LintedText,
  LintStats,
  LintTextOptions,
  TypeInformation,
  TypeInformationRequest,
} from './language.js';
export { createStats } from './language.js';

/** What any language may be told beyond LintTextOptions: each language's own options, together. */
export type LanguageOptions = JsLintOptions & PythonLintOptions;

export const languages: readonly Language<LanguageOptions>[] = [javascript, python];

/**
 * Every rule of every language, by id (what config validates and formatters describe). An id two
 * languages share is one pitfall with one schema (a test keeps them equal): the first language's
 * metadata stands for both.
 */
export const rules: Readonly<Record<string, RuleInfo>> = Object.fromEntries(
  languages
    .flatMap((language) => Object.entries(language.rules))
    .filter(([id], index, all) => all.findIndex(([other]) => other === id) === index),
);

/**
 * Gets ready every language that owns one of `files` (all of them when not given): a language
 * whose parser loads asynchronously loads it now, once per thread, so that linting stays synchronous.
 */
export async function prepareLanguagesFor(files?: readonly string[]): Promise<void> {
  const needed = languages.filter(
    (language) => language.prepare && !language.isPrepared?.() && (!files || files.some((file) => language.owns(file))),
  );
  await Promise.all(needed.map((language) => language.prepare!()));
}

/** The language that lints a file, or undefined when none owns it. */
export function owningLanguage(filename: string): Language<LanguageOptions> | undefined {
  return languages.find((language) => language.owns(filename));
}

/**
 * The language for a text whose name no language owns (`--stdin-filename notes.txt`, an API
 * caller's made-up name): JavaScript, as before there were languages.
 */
export function languageFor(filename: string): Language<LanguageOptions> {
  return owningLanguage(filename) ?? javascript;
}

export function forgetRecentFileVersions(): void {
  for (const language of languages) language.forgetRecentFileVersions();
}

export function resetLanguages(): void {
  for (const language of languages) language.resetProcess();
}

// A run in this process that finds the languages loaded makes them forget an earlier run's files.
onFreshRun(resetLanguages);

/** Every language's cross-file facts, tagged with its id, so the worker pool passes them on as one. */
export const sharedFacts: FactExchange = {
  startSharing: () => languages.forEach((language) => language.facts.startSharing()),
  stopSharing: () => languages.forEach((language) => language.facts.stopSharing()),
  takeNew: () => languages.flatMap((language) => language.facts.takeNew().map((facts) => [language.id, facts])),
  addShared(tagged) {
    for (const language of languages) {
      const own = (tagged as [string, unknown][]).filter(([id]) => id === language.id).map(([, facts]) => facts);
      if (own.length > 0) language.facts.addShared(own);
    }
  },
};

/** Lints a text with the language of its file name: the one-file path (stdin, an editor buffer, the API). */
export function lintTextAs(text: string, options: LintTextOptions & LanguageOptions): LintResult {
  return languageFor(options.filename).lintText(text, options).result;
}

/** Type information from every language that has a checker, as one; undefined when none was asked. */
export function typeInformationFor(request: TypeInformationRequest): TypeInformation<LanguageOptions> | undefined {
  const found = languages.flatMap((language) => language.typeInformation?.(request) ?? []);
  if (found.length === 0) return undefined;
  return {
    options: Object.assign({}, ...found.map((information) => information.options)) as Partial<LanguageOptions>,
    assign: (files) => found.reduce((order, information) => information.assign(order), files),
    filesWithoutTypes: () => new Set(found.flatMap((information) => [...information.filesWithoutTypes()])),
  };
}

/** Where a file's code runs and why (`--print-config`), as the file's language judges it. */
export function describeContext(filePath: string, cwd: string, firstLine: string): { context: string; reason: string } {
  const language = languageFor(filePath);
  return (
    language.describeContext?.(filePath, cwd, firstLine) ?? {
      context: 'unknown',
      reason: `${language.id} does not say`,
    }
  );
}
