/**
 * What npm users get: package.json metadata, a fresh clone that `npm install` builds (`prepare`),
 * and no install script for registry installs. The install itself is
 * checked by `npm run check:package`, which packs and installs into a fresh project.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

describe('package.json', () => {
  it("builds on a fresh clone's npm install (prepare), and runs no script when installed from the registry", () => {
    expect(manifest.scripts.prepare).toContain('build');
    const registryInstallTime = ['preinstall', 'install', 'postinstall'];
    expect(Object.keys(manifest.scripts).filter((name) => registryInstallTime.includes(name))).toEqual([]);
  });

  it('packs a manifest without prepare (npm 11 warns about it in tarball installs), and keeps it here', () => {
    expect(manifest.scripts.prepack).toMatch(/build && node scripts\/pack-manifest\.mjs strip$/);
    expect(manifest.scripts.postpack).toBe('node scripts/pack-manifest.mjs restore');
    expect(
      existsSync(path.join(ROOT, 'package.json.before-pack')),
      'a pack died: postpack never restored package.json',
    ).toBe(false);
  });

  it('pack-manifest strips prepare, restores the original byte for byte, and survives a pack that died', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'asynclint-pack-manifest-'));
    const run = (command: string) =>
      spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'pack-manifest.mjs'), command, folder], {
        encoding: 'utf8',
      });
    const original = '{\n    "name": "x",\n    "scripts": { "prepare": "npm run build", "build": "tsc" }\n}\n';
    const manifestPath = path.join(folder, 'package.json');
    try {
      writeFileSync(manifestPath, original);
      expect(run('strip').status).toBe(0);
      expect(JSON.parse(readFileSync(manifestPath, 'utf8'))).toEqual({ name: 'x', scripts: { build: 'tsc' } });
      // A second strip without a restore in between (the last pack was killed) starts from the original.
      expect(run('strip').status).toBe(0);
      expect(run('restore').status).toBe(0);
      expect(readFileSync(manifestPath, 'utf8')).toBe(original);
      expect(run('restore').status).toBe(0);
      expect(readFileSync(manifestPath, 'utf8')).toBe(original);
      expect(run('unpack').status).toBe(2);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
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
