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

describe('architecture', () => {
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

  it('only src/parser imports the parsers and the TypeScript compiler', () => {
    const parsers = ['oxc-parser', '@typescript-eslint/parser', '@typescript-eslint/typescript-estree', 'typescript'];
    for (const file of [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'rules'))]) {
      const relative = path.relative(ROOT, file);
      if (relative.startsWith(`src${path.sep}parser${path.sep}`)) continue;
      for (const specifier of importsOf(file)) expect(parsers.includes(specifier), `${relative} imports ${specifier}`).toBe(false);
    }
  });

  it('diagnostics, config, runner and formatters are free of ESTree types', () => {
    for (const folder of ['config', 'formatters']) {
      for (const file of sourceFiles(path.join(ROOT, 'src', folder))) {
        expect(readFileSync(file, 'utf8'), path.relative(ROOT, file)).not.toMatch(/TSESTree|@typescript-eslint\/types/);
      }
    }
  });

  it('detection never builds message strings: every report uses a messageId', () => {
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
