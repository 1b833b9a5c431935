/** The registry answers which language owns a file; the runner asks nothing else about languages. */
import { describe, expect, it, vi } from 'vitest';
import {
  isLintableFile,
  languageFor,
  languages,
  lintableExtensions,
  owningLanguage,
  prepareLanguagesFor,
  rules,
} from '../src/languages/index.js';
import { languageFiles, languageFilesFor } from '../src/languages/files.js';
import { ruleCatalog } from '../src/languages/rule-catalog.js';
import type { ConfiguredRule } from '../src/types.js';
import { python } from '../src/languages/python/index.js';
import { rules as jsRules } from '../rules/index.js';
import { pythonRules } from '../rules/python/index.js';

describe('the language registry', () => {
  it('gives each file to the language that owns its extension, and none to what no language lints', () => {
    expect(owningLanguage('/p/a.ts')?.id).toBe('js');
    expect(owningLanguage('/p/a.mjs')?.id).toBe('js');
    expect(owningLanguage('/p/a.d.ts')).toBeUndefined();
    expect(owningLanguage('/p/a.py')?.id).toBe('python');
    expect(owningLanguage('/p/stubs/a.pyi')?.id).toBe('python');
    expect(isLintableFile('/p/notes.md')).toBe(false);
    expect(lintableExtensions()).toEqual(expect.arrayContaining(['.js', '.cjs', '.tsx', '.py', '.pyi']));
  });

  it('lints a text whose name no language owns as JavaScript, as before there were languages', () => {
    expect(languageFor('/p/<stdin>').id).toBe('js');
  });

  it("lists every language's rules, by id: the JS rules, then the ids only Python has", () => {
    const pythonOnly = Object.keys(pythonRules).filter((id) => !(id in jsRules));
    expect(Object.keys(rules)).toEqual([...Object.keys(jsRules), ...pythonOnly]);
    expect(pythonOnly).toEqual(['nested-event-loop']);
  });
});

/**
 * The same options with the same meaning; only where a rule reports by default may differ by
 * language (blocking-call: a Python `async def` runs on an event loop, so its library code
 * counts too), and the `contexts` description names that default.
 */
function withoutContextDefaults(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (key, entry: unknown) => {
    if (key !== 'contexts') return entry;
    if (Array.isArray(entry)) return 'per language';
    const { description, ...rest } = entry as { description?: string };
    return { ...rest, description: description?.replace(/ Default: [^.]*\.$/, '') };
  });
}

describe('what the CLI knows without loading the languages', () => {
  it("which files each language owns, the folders it skips and its import scan are the languages' own", () => {
    expect(languageFiles.map((files) => files.id)).toEqual(languages.map((language) => language.id));
    languageFiles.forEach((files, index) => {
      const language = languages[index]!;
      expect(files.extensions).toEqual(language.extensions);
      expect(files.owns).toBe(language.owns);
      expect(files.skipsDirectory).toBe(language.skipsDirectory);
      expect(files.importSpecifiers).toBe(language.importSpecifiers);
    });
    expect(languageFilesFor('/p/<stdin>').id).toBe(languageFor('/p/<stdin>').id);
  });

  it("every rule's metadata, as plain data (the bundled CLI carries it as a literal)", () => {
    expect(Object.keys(ruleCatalog)).toEqual(Object.keys(rules));
    for (const [id, rule] of Object.entries(rules))
      expect(ruleCatalog[id]).toEqual({ name: rule.name, meta: rule.meta });
    expect(JSON.parse(JSON.stringify(ruleCatalog))).toEqual(ruleCatalog);
  });

  it("a rule configured from the catalog (metadata alone) runs the registry's code in each language", async () => {
    await prepareLanguagesFor();
    const configured = (id: string): ConfiguredRule => ({ id, rule: ruleCatalog[id]!, severity: 2, options: [] });
    const lint = (filename: string, text: string, id: string) =>
      languageFor(filename)
        .lintText(text, { filename, cwd: '/p', rules: [configured(id)] })
        .result.messages.map((message) => message.ruleId);
    const loop = 'export async function f(urls: string[]) {\n  for (const url of urls) await fetch(url);\n}\n';
    expect(lint('/p/a.ts', loop, 'await-in-loop')).toEqual(['await-in-loop']);
    const sleeps = 'import time\n\nasync def f():\n    time.sleep(1)\n';
    expect(lint('/p/a.py', sleeps, 'blocking-call')).toEqual(['blocking-call']);
    expect(lint('/p/a.ts', 'export const a = 1;\n', 'await-in-loop')).toEqual([]);
  });
});

describe('an id two languages share', () => {
  it('has one option schema and one set of defaults, so one config line speaks of both', () => {
    for (const [id, rule] of Object.entries(pythonRules)) {
      const js = jsRules[id];
      if (!js) continue;
      expect(withoutContextDefaults(rule.meta.schema), id).toEqual(withoutContextDefaults(js.meta.schema));
      expect(withoutContextDefaults(rule.meta.defaultOptions), id).toEqual(
        withoutContextDefaults(js.meta.defaultOptions),
      );
      // The registry describes the id by the first language's metadata (the JS docs page, its upstream rule).
      expect(rules[id]).toBe(js);
    }
  });
});

describe('languages that load asynchronously', () => {
  it('are prepared only for the files they own, and then lint synchronously', async () => {
    // Fresh copies of the modules: the suite shares one module registry, where another file may have prepared Python.
    vi.resetModules();
    const { prepareLanguagesFor, lintTextAs } = await import('../src/languages/index.js');
    const { python } = await import('../src/languages/python/index.js');
    await prepareLanguagesFor(['/p/a.ts']);
    expect(python.isPrepared?.()).toBe(false);
    await prepareLanguagesFor(['/p/a.ts', '/p/b.py']);
    expect(python.isPrepared?.()).toBe(true);
    const result = lintTextAs('x = (\n', { filename: '/p/b.py', cwd: '/p', rules: [] });
    expect(result.messages).toMatchObject([{ fatal: true, line: 1, ruleId: null }]);
    expect(result.messages[0]!.message).toMatch(/^Parsing error: /);
  });
});

describe('Python files for the lint order', () => {
  it('finds relative imports without parsing and names the files they may be', () => {
    const text =
      'from . import models, views as v\nfrom .utils import fetch\nfrom ..core.base import (\n    Base,\n)\nimport os\n';
    expect(python.importSpecifiers(text)).toEqual(['.', '.models', '.views', '.utils', '..core.base']);
    expect(python.moduleCandidates('/p/app/api/routes.py', '.utils')).toEqual([
      '/p/app/api/utils.py',
      '/p/app/api/utils.pyi',
      '/p/app/api/utils/__init__.py',
      '/p/app/api/utils/__init__.pyi',
    ]);
    expect(python.moduleCandidates('/p/app/api/routes.py', '..core.base')[0]).toBe('/p/app/core/base.py');
    expect(python.moduleCandidates('/p/app/api/routes.py', '.')[0]).toBe('/p/app/api/__init__.py');
    expect(python.moduleCandidates('/p/app/api/routes.py', 'os')).toEqual([]);
  });
});
