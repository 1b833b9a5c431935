/** Imports of a workspace's own packages by their names, and what the answer depends on. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportedTargets,
  resolveProjectImport,
  splitPackageSpecifier,
} from '../src/languages/js/analysis/workspace-imports.js';
import { processProject, resetProcessProject } from '../src/languages/js/project/index.js';

/** Files under a new folder, by relative path. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'asynclint-workspace-imports-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const json = (value: unknown) => JSON.stringify(value);

describe('package specifiers', () => {
  it('splits a scoped or plain name from its subpath', () => {
    expect(splitPackageSpecifier('@sveltejs/kit/node')).toEqual({ name: '@sveltejs/kit', subpath: './node' });
    expect(splitPackageSpecifier('socket.io-adapter')).toEqual({ name: 'socket.io-adapter', subpath: '.' });
    expect(splitPackageSpecifier('lodash/fp/map')).toEqual({ name: 'lodash', subpath: './fp/map' });
    expect(splitPackageSpecifier('./local')).toBeNull();
    expect(splitPackageSpecifier('node:fs')).toBeNull();
    expect(splitPackageSpecifier('@scope')).toBeNull();
  });

  it('takes the first runtime condition of `exports`, a `types` one only after it', () => {
    const exports = {
      '.': { types: './types/index.d.ts', import: './src/index.js' },
      './node': { types: './types/node.d.ts', browser: './src/browser.js', node: { import: './src/node.js' } },
      './only-types': { types: './types/x.d.ts' },
      './features/*': './src/features/*.js',
      './features/internal/*': null,
    };
    expect(exportedTargets(exports, '.')).toEqual(['./src/index.js', './types/index.d.ts']);
    expect(exportedTargets(exports, './node')).toEqual(['./src/node.js', './types/node.d.ts']);
    expect(exportedTargets(exports, './only-types')).toEqual(['./types/x.d.ts']);
    expect(exportedTargets(exports, './features/a')).toEqual(['./src/features/a.js']);
    expect(exportedTargets(exports, './features/internal/a')).toEqual([]);
    expect(exportedTargets(exports, './missing')).toEqual([]);
    expect(exportedTargets('./main.js', '.')).toEqual(['./main.js']);
    expect(exportedTargets({ import: './esm.js', require: './cjs.js' }, '.')).toEqual(['./esm.js']);
  });
});

describe('imports of workspace packages', () => {
  const root = tree({
    'package.json': json({ name: 'root', private: true, workspaces: ['packages/*'] }),
    'packages/kit/package.json': json({
      name: '@acme/kit',
      exports: { '.': { types: './types/index.d.ts', import: './src/index.js' }, './node': './src/node.js' },
    }),
    'packages/kit/src/index.js': 'export async function run() {}\n',
    'packages/kit/src/node.js': 'export async function serve() {}\n',
    // Built to ./dist from ./lib (by `include`), not built yet: the sources answer.
    'packages/adapter/package.json': json({
      name: 'acme-adapter',
      main: './dist/index.js',
      types: './dist/index.d.ts',
    }),
    'packages/adapter/tsconfig.json': json({ compilerOptions: { outDir: './dist' }, include: ['./lib/**/*'] }),
    'packages/adapter/lib/index.ts': 'export class Adapter {}\n',
    'packages/app/package.json': json({ name: 'app' }),
    'packages/app/src/main.ts': '',
  });
  const from = path.join(root, 'packages/app/src/main.ts');

  it("follows a package's name to the file its manifest names, sources for what is not built", () => {
    resetProcessProject();
    expect(resolveProjectImport(processProject, from, '@acme/kit')).toBe(path.join(root, 'packages/kit/src/index.js'));
    expect(resolveProjectImport(processProject, from, '@acme/kit/node')).toBe(
      path.join(root, 'packages/kit/src/node.js'),
    );
    expect(resolveProjectImport(processProject, from, 'acme-adapter')).toBe(
      path.join(root, 'packages/adapter/lib/index.ts'),
    );
    expect(resolveProjectImport(processProject, from, '@acme/kit/missing')).toBeNull();
    expect(resolveProjectImport(processProject, from, 'left-pad')).toBeNull();
    const elsewhere = tree({ 'package.json': json({ name: 'elsewhere' }), 'main.ts': '' });
    expect(resolveProjectImport(processProject, path.join(elsewhere, 'main.ts'), '@acme/kit')).toBeNull();
  });

  it('depends on the listing, the manifest and the tsconfig it read', () => {
    resetProcessProject();
    const { value, dependencies } = processProject.recordDependencies(() =>
      resolveProjectImport(processProject, from, 'acme-adapter'),
    );
    expect(value).not.toBeNull();
    for (const file of ['package.json', 'packages/adapter/package.json', 'packages/adapter/tsconfig.json'])
      expect([...dependencies.keys()]).toContain(path.join(root, file));
    // A name no package has still depends on the listing: a package added under it would answer.
    const missing = processProject.recordDependencies(() => resolveProjectImport(processProject, from, 'left-pad'));
    expect([...missing.dependencies.keys()]).toContain(path.join(root, 'package.json'));
  });
});

describe('declared members of a class itself', () => {
  it('answers `static name()` from static members and `name()` from instance members', async () => {
    const { parseFast } = await import('../src/languages/js/parser/index.js');
    const { declaredMemberType } = await import('../src/languages/js/analysis/declared-types.js');
    const text = [
      'class Loader {',
      '  static async load(): Promise<Config> { return null as any; }',
      '  current(): Session { return null as any; }',
      '  static cache: Store;',
      '}',
    ].join('\n');
    const loader = parseFast(text, 'loader.ts').ast.body[0]!;
    const name = (member: string) => {
      const found = declaredMemberType(loader, member);
      return found && `${found.type.name}${found.promised ? ' (promised)' : ''}`;
    };
    expect(name('static load()')).toBe('Config (promised)');
    expect(name('load()')).toBeNull();
    expect(name('current()')).toBe('Session');
    expect(name('static current()')).toBeNull();
    expect(name('static cache')).toBe('Store');
    expect(name('cache')).toBeNull();
  });
});
