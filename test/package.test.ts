/**
 * What npm users get: package.json metadata and a package that runs no script when installed
 * (npm warns about every install-time script of a tarball or git install). The install itself is
 * checked by `npm run check:package`, which packs and installs into a fresh project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

describe('package.json', () => {
  it('runs no script when it is installed: building happens before packing (prepack)', () => {
    const installTime = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];
    expect(Object.keys(manifest.scripts).filter((name) => installTime.includes(name))).toEqual([]);
    expect(manifest.scripts.prepack).toContain('build');
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

  it('eslint and typescript are optional peers: the CLI needs neither, plugin and --project use the ones installed', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['eslint', 'typescript']);
    expect(manifest.peerDependenciesMeta).toEqual({ eslint: { optional: true }, typescript: { optional: true } });
    for (const name of ['eslint', 'typescript']) expect(manifest.dependencies[name], name).toBeUndefined();
  });
});
