/** The programmatic API gets what the CLI has: lintFiles' result cache, --fix and type-aware mode. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStats, lintFiles } from '../src/index.js';

const LOOP = 'export async function all(ids: string[]) {\n'.concat('  for (const id of ids) await fetch(id);\n}\n');

function cachePhase(stats: ReturnType<typeof createStats>): string[] {
  return [...stats.phases.keys()].filter((phase) => phase.startsWith('cache'));
}

describe('lintFiles', () => {
  it('keeps results of unchanged files in the cache it is given, and lints a changed file again', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'asynclint-api-'));
    writeFileSync(path.join(cwd, 'loop.ts'), LOOP);
    const lint = async () => {
      const stats = createStats();
      const { results } = await lintFiles(['.'], { cwd, cache: 'lint-cache', stats });
      return { rules: results.flatMap((result) => result.messages.map((message) => message.ruleId)), stats };
    };
    const first = await lint();
    expect(first.rules).toEqual(['await-in-loop']);
    expect(cachePhase(first.stats)).toEqual(['cache (0 hits, 1 misses)']);
    expect(existsSync(path.join(cwd, 'lint-cache'))).toBe(true);

    const second = await lint();
    expect(second.rules).toEqual(['await-in-loop']);
    expect(cachePhase(second.stats)).toEqual(['cache (1 hits, 0 misses)']);

    writeFileSync(path.join(cwd, 'loop.ts'), `${LOOP}// changed\n`);
    expect(cachePhase((await lint()).stats)).toEqual(['cache (0 hits, 1 misses)']);
  });

  it('writes no cache unless asked', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'asynclint-api-'));
    writeFileSync(path.join(cwd, 'loop.ts'), LOOP);
    const stats = createStats();
    const { results } = await lintFiles(['.'], { cwd, stats });
    expect(results).toHaveLength(1);
    expect(cachePhase(stats)).toEqual([]);
    expect(existsSync(path.join(cwd, 'node_modules'))).toBe(false);
  });

  it('writes autofixes when asked, and reports what is left with the fixed text', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'asynclint-api-'));
    const file = path.join(cwd, 'load.ts');
    const text = [
      "import { readFile } from 'node:fs/promises';",
      'export async function load(path: string) {',
      "  try {\n    return readFile(path, 'utf8');\n  } catch {\n    return '';\n  }",
      '}\n',
    ].join('\n');
    writeFileSync(file, text);
    const before = await lintFiles(['.'], { cwd });
    expect(before.results[0]!.messages.map((message) => message.ruleId)).toEqual(['return-await-in-try']);
    expect(readFileSync(file, 'utf8')).toBe(text);

    const { results } = await lintFiles(['.'], { cwd, fix: true });
    expect(readFileSync(file, 'utf8')).toContain("return await readFile(path, 'utf8');");
    expect(results[0]!.messages).toEqual([]);
    expect(results[0]!.output).toBe(readFileSync(file, 'utf8'));
  });

  it('is type-aware with projectService: a promise only the checker sees is flagged', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'asynclint-api-'));
    const compilerOptions = { strict: true, noEmit: true, types: [], target: 'ES2022', lib: ['ES2022'] };
    writeFileSync(path.join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['.'] }));
    writeFileSync(
      path.join(cwd, 'store.ts'),
      'interface Saves { save(key: string): Promise<void> }\nexport interface Store extends Saves {}\n// `save` is inherited: only a type checker follows `extends`.\n'.concat(
        'export function remember(store: Store) {\n  store.save("a");\n}\n',
      ),
    );
    const rulesOf = (results: { messages: { ruleId: string | null }[] }[]) =>
      results.flatMap((result) => result.messages.map((message) => message.ruleId));
    expect(rulesOf((await lintFiles(['.'], { cwd })).results)).toEqual([]);
    expect(rulesOf((await lintFiles(['.'], { cwd, projectService: true })).results)).toEqual(['floating-promise']);
  });
});
