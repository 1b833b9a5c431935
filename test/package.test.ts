/**
 * What npm users get: package.json metadata, a fresh clone that `npm install` builds (`prepare`),
 * and no install script for registry installs. The install itself is
 * checked by `npm run check:package`, which packs and installs into a fresh project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

describe('package.json', () => {
  it('builds on a fresh clone\'s npm install (prepare), and runs no script when installed from the registry', () => {
    expect(manifest.scripts.prepare).toContain('build');
    const registryInstallTime = ['preinstall', 'install', 'postinstall'];
    expect(Object.keys(manifest.scripts).filter((name) => registryInstallTime.includes(name))).toEqual([]);
  });

  it('ships an MIT LICENSE file, as the license field says', () => {
    expect(manifest.license).toBe('MIT');
    expect(manifest.files).toContain('LICENSE');
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
  });

  it('names the repository, its issues and its home page', () => {
    expect(manifest.repository).toEqual({ type: 'git', url: 'git+https://github.com/asynclint/asynclint.git' });
    expect(manifest.bugs).toEqual({ url: 'https://github.com/asynclint/asynclint/issues' });
    expect(manifest.homepage).toBe('https://github.com/asynclint/asynclint#readme');
  });

  it('eslint is an optional peer; typescript is a dependency, the fallback when a project has none with a JS API', () => {
    expect(Object.keys(manifest.peerDependencies)).toEqual(['eslint']);
    expect(manifest.peerDependenciesMeta).toEqual({ eslint: { optional: true } });
    expect(manifest.dependencies.typescript).toBeDefined();
    expect(manifest.dependencies.eslint).toBeUndefined();
  });
});
