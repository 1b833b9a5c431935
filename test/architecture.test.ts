/** House rules from DESIGN.md that a test can keep. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) found.push(full);
  }
  return found;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map((match) => match[1]!);
}

/** Every module a file names: static, side-effect, type-only and dynamic imports, re-exports, require(). */
function everyModuleNamed(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const patterns = [/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

/** Why analysis must not import a module, or null: it would read the disk, parse, or walk. */
function impurity(file: string, specifier: string): string | null {
  if (/^(?:node:)?fs(?:\/promises)?$/.test(specifier)) return 'reads the file system';
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(file), specifier));
  const top = target.split(path.sep)[0];
  if (top === 'parser') return 'parses';
  if (top === 'walker') return 'walks (the engine sits above analysis)';
  if (top === 'runner') return 'reaches the runner (the engine sits above analysis)';
  if (target === 'read-file.js') return 'reads the file system';
  return null;
}

describe('architecture', () => {
  it('src/analysis imports neither node:fs nor src/parser, src/walker or src/runner', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src', 'analysis'))) {
      for (const specifier of everyModuleNamed(file)) {
        const why = impurity(file, specifier);
        if (why) offending.push(`${path.relative(ROOT, file)} imports ${specifier}: it ${why}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the purity check catches every form of import it bans', () => {
    const file = path.join(ROOT, 'src', 'analysis', 'x.ts');
    expect(impurity(file, 'node:fs')).not.toBeNull();
    expect(impurity(file, 'fs/promises')).not.toBeNull();
    expect(impurity(file, '../parser/index.js')).not.toBeNull();
    expect(impurity(file, '../walker/traverse.js')).not.toBeNull();
    expect(impurity(path.join(ROOT, 'src', 'analysis', 'context', 'x.ts'), '../../runner/project/index.js')).not.toBeNull();
    expect(impurity(file, './project.js')).toBeNull();
    expect(impurity(file, 'node:path')).toBeNull();
  });

  it('rules import only src/types and src/analysis (and their own data)', () => {
    for (const file of sourceFiles(path.join(ROOT, 'rules'))) {
      for (const specifier of importsOf(file)) {
        const allowed =
          specifier === '../src/types.js' ||
          specifier === '../../src/types.js' ||
          /^(\.\.\/)+src\/analysis\/index\.js$/.test(specifier) ||
          specifier.startsWith('./');
        expect(allowed, `${path.relative(ROOT, file)} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('outside src/parser, no file of src or rules imports the parsers or the TypeScript compiler', () => {
    const parsers = ['oxc-parser', '@typescript-eslint/parser', '@typescript-eslint/typescript-estree', 'typescript'];
    for (const file of [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'rules'))]) {
      const relative = path.relative(ROOT, file);
      if (relative.startsWith(`src${path.sep}parser${path.sep}`)) continue;
      for (const specifier of importsOf(file)) expect(parsers.includes(specifier), `${relative} imports ${specifier}`).toBe(false);
    }
  });

  it('config and formatters are free of ESTree types', () => {
    for (const folder of ['config', 'formatters']) {
      for (const file of sourceFiles(path.join(ROOT, 'src', folder))) {
        expect(readFileSync(file, 'utf8'), path.relative(ROOT, file)).not.toMatch(/TSESTree|@typescript-eslint\/types/);
      }
    }
  });

  it('no report in rules passes a literal `message:` (reports name a messageId)', () => {
    for (const file of sourceFiles(path.join(ROOT, 'rules'))) {
      expect(readFileSync(file, 'utf8'), path.relative(ROOT, file)).not.toMatch(/report\(\{[^}]*\bmessage:/);
    }
  });

  it('rules and analyses ask sourceCode.getLoc instead of reading node.loc, which the fast front end leaves unset', () => {
    for (const file of [...sourceFiles(path.join(ROOT, 'rules')), ...sourceFiles(path.join(ROOT, 'src', 'analysis'))]) {
      const reads = readFileSync(file, 'utf8').match(/\.loc\b(?!\w)/g) ?? [];
      expect(reads, path.relative(ROOT, file)).toEqual([]);
    }
  });
});
