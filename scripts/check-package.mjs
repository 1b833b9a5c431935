#!/usr/bin/env node
/**
 * What a user sees installing asynclint: packs this checkout (`npm pack` builds it through
 * `prepack`, which also leaves `prepare` out of the packed manifest), installs the tarball into
 * a fresh project, and fails when npm warns about anything (install scripts above all), when
 * packing did not give package.json back unchanged, or when the installed CLI and plugin do
 * not work.
 *
 *   npm run check:package            uses npm's cache first, the registry for what is missing
 *   npm run check:package -- --offline
 *
 * Not part of `npm test`: it installs about a hundred packages and may need the registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheMode = process.argv.includes('--offline') ? '--offline' : '--prefer-offline';
const work = mkdtempSync(path.join(tmpdir(), 'asynclint-package-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(message) {
  console.error(`check-package: ${message}`);
  process.exitCode = 1;
}

try {
  const manifestBefore = readFileSync(path.join(root, 'package.json'), 'utf8');
  execFileSync(npm, ['pack', '--silent', '--pack-destination', work], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  if (readFileSync(path.join(root, 'package.json'), 'utf8') !== manifestBefore)
    fail('package.json changed in packing (postpack did not restore it)');
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'fresh-project', version: '1.0.0', private: true, type: 'module' }),
  );
  const install = spawnSync(npm, ['install', cacheMode, '--no-audit', '--no-fund', path.join(work, tarball)], {
    cwd: app,
    encoding: 'utf8',
  });
  const said = `${install.stdout}${install.stderr}`;
  console.log(said.trim());
  if (install.status !== 0) throw new Error(`npm install failed (exit ${install.status})`);
  const warnings = said.split('\n').filter((line) => /^npm (warn|WARN)/.test(line));
  if (warnings.length > 0) fail(`npm warned while installing the tarball:\n${warnings.join('\n')}`);

  writeFileSync(
    path.join(app, 'handler.ts'),
    'declare function save(): Promise<void>;\nexport async function handler() {\n  save();\n}\n',
  );
  const bin = path.join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'asynclint.cmd' : 'asynclint');
  const lint = spawnSync(bin, ['-f', 'compact', 'handler.ts'], { cwd: app, encoding: 'utf8' });
  if (lint.status !== 1 || !lint.stdout.includes('(floating-promise)'))
    fail(`the installed CLI did not report the floating promise (exit ${lint.status}):\n${lint.stdout}${lint.stderr}`);
  const plugin = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const p = (await import('asynclint/eslint-plugin')).default; if (!p.rules['floating-promise']) process.exit(1);",
    ],
    { cwd: app, encoding: 'utf8' },
  );
  if (plugin.status !== 0) fail(`asynclint/eslint-plugin did not load:\n${plugin.stderr}`);
  if (!process.exitCode)
    console.log('check-package: the tarball installs without warnings; CLI and ESLint plugin work');
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  rmSync(work, { recursive: true, force: true });
}
