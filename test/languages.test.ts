/** The registry answers which language owns a file; the runner asks nothing else about languages. */
import { describe, expect, it } from 'vitest';
import { isLintableFile, languageFor, lintableExtensions, owningLanguage, rules } from '../src/languages/index.js';
import { rules as jsRules } from '../rules/index.js';

describe('the language registry', () => {
  it('gives each file to the language that owns its extension, and none to what no language lints', () => {
    expect(owningLanguage('/p/a.ts')?.id).toBe('js');
    expect(owningLanguage('/p/a.mjs')?.id).toBe('js');
    expect(owningLanguage('/p/a.d.ts')).toBeUndefined();
    expect(owningLanguage('/p/a.py')).toBeUndefined();
    expect(isLintableFile('/p/notes.md')).toBe(false);
    expect(lintableExtensions()).toEqual(expect.arrayContaining(['.js', '.cjs', '.tsx']));
  });

  it('lints a text whose name no language owns as JavaScript, as before there were languages', () => {
    expect(languageFor('/p/<stdin>').id).toBe('js');
  });

  it("lists every language's rules, by id", () => {
    expect(Object.keys(rules)).toEqual(Object.keys(jsRules));
  });
});
