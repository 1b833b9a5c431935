/**
 * What a run loads: bin/asynclint.js (built by `npm test` before vitest runs) is spawned with a
 * module hook that records every module it loads, ES modules through the loader hooks and
 * CommonJS ones from require's cache. Start-up time is measured in bench/startup.mjs, never here;
 * these tests keep the heavy packages out of the runs that do not need them, and the binary on
 * the bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');

const HEAVY = [
  'typescript',
  '@typescript-eslint/parser',
  '@typescript-eslint/typescript-estree',
  '@typescript-eslint/scope-manager',
  '@typescript-eslint/visitor-keys',
  'oxc-parser',
  'web-tree-sitter',
  'ajv',
  'smol-toml',
  'chalk',
  'vscode-languageserver',
];

function scratch(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'asynclint-startup-'));
  writeFileSync(path.join(folder, 'package.json'), '{"name": "fixture", "private": true}\n');
  writeFileSync(
    path.join(folder, 'a.ts'),
    'export async function f(urls: string[]) {\n  for (const url of urls) await fetch(url);\n}\n',
  );
  writeFileSync(path.join(folder, 'a.py'), 'import time\n\nasync def f():\n    time.sleep(1)\n');
  // Off the main thread on Node 20, so the hooks write what they see to a file.
  writeFileSync(
    path.join(folder, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.LOADED_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    path.join(folder, 'record.mjs'),
    `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(${JSON.stringify(pathToFileURL(path.join(folder, 'hooks.mjs')).href)});
process.on('exit', () => {
  const required = Object.keys(createRequire(import.meta.url).cache);
  appendFileSync(process.env.LOADED_LOG, required.map((file) => file + '\\n').join(''));
});
`,
  );
  return folder;
}

/** The packages (by name) a CLI run loaded, and whether it loaded the config and language code. */
function loadedBy(
  args: string[],
  folder = scratch(),
): { packages: string[]; files: string[]; status: number | null; stderr: string } {
  const log = path.join(folder, 'loaded.log');
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', './record.mjs', BIN, ...args], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, LOADED_LOG: log, NO_COLOR: '1' },
  });
  const files = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const packages = new Set<string>();
  for (const file of files) {
    const name = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1];
    if (name) packages.add(name.replace(/\\/g, '/'));
  }
  return { packages: [...packages].sort(), files, status: result.status, stderr: result.stderr };
}

const heavyIn = (packages: string[]) => packages.filter((name) => HEAVY.some((heavy) => name.startsWith(heavy)));

describe('start-up loads what the run needs', () => {
  it('the binary runs the bundled CLI (scripts/bundle-cli.mjs), none of the compiled sources', () => {
    const loaded = loadedBy(['--no-cache', 'a.ts', 'a.py']);
    const bundle = loaded.files.filter((file) => /[\\/]dist[\\/]cli[\\/]/.test(file));
    expect(bundle.some((file) => /[\\/]asynclint\.js$/.test(file))).toBe(true);
    expect(loaded.files.filter((file) => /[\\/]dist[\\/]src[\\/]/.test(file))).toEqual([]);
  });

  it('--version and --help load the command-line parser and nothing of the linter', () => {
    for (const flag of ['--version', '--help']) {
      const loaded = loadedBy([flag]);
      expect(loaded.status, loaded.stderr).toBe(0);
      // The command-line parser is in the bundle (scripts/bundle-cli.mjs): no package is loaded.
      expect(loaded.packages, flag).toEqual([]);
      // Bundled chunks are named after their first module; the formatters' names are part of the help.
      const linterCode = loaded.files.filter((file) =>
        /[\\/]dist[\\/]cli[\\/](?:run|languages|config|discover|pool|stylish|machine)-/.test(file),
      );
      expect(linterCode, flag).toEqual([]);
    }
  });

  it('--print-config loads no parser, no TypeScript, no colours and no schema validator', () => {
    const loaded = loadedBy(['--print-config', 'a.ts']);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(heavyIn(loaded.packages)).toEqual([]);
  });

  it('a warm run whose every file the cache answers loads no language: no parser, no analysis, no rule code', () => {
    const folder = scratch();
    const args = ['-f', 'json', 'a.ts', 'a.py'];
    // The first run adds the cache's folder beside a.py, a change of the listing a.py's result
    // depends on (where its imports lead): the second lints a.py again, the third lints nothing.
    expect(loadedBy(args, folder).status).toBe(1);
    expect(loadedBy(args, folder).status).toBe(1);
    const warm = loadedBy(args, folder);
    expect(warm.status, warm.stderr).toBe(1);
    expect(heavyIn(warm.packages)).toEqual([]);
    const languageCode = warm.files.filter((file) =>
      /[\\/]dist[\\/]cli[\\/](?:languages|pool|scope-manager)-/.test(file),
    );
    expect(languageCode).toEqual([]);
    // The same findings as a cold run's.
    const findings = (run: string[]) =>
      (
        JSON.parse(spawnSync(process.execPath, [BIN, ...run], { cwd: folder, encoding: 'utf8' }).stdout) as {
          messages: { ruleId: string; line: number }[];
        }[]
      ).flatMap((result) => result.messages.map((message) => `${message.ruleId}:${message.line}`));
    expect(findings(args)).toEqual(findings([...args, '--no-cache']));
    expect(findings(args).length).toBeGreaterThan(0);
  });

  it('a run over Python files loads neither the JS parser nor TypeScript', () => {
    const loaded = loadedBy(['--no-cache', '-f', 'json', 'a.py']);
    expect(loaded.status, loaded.stderr).toBe(1);
    expect(heavyIn(loaded.packages)).toEqual(['web-tree-sitter']);
  });

  it('a run over TypeScript files loads the fast front end, not the typed one nor the Python parser', () => {
    const loaded = loadedBy(['--no-cache', '--max-warnings', '0', 'a.ts']);
    expect(loaded.status, loaded.stderr).toBe(1);
    // The scope analysis is in the bundle (scripts/bundle-cli.mjs), not loaded from its package.
    expect(heavyIn(loaded.packages)).toEqual(['@typescript-eslint/visitor-keys', 'chalk', 'oxc-parser']);
    expect(loaded.files.filter((file) => /[\\/]scope-manager-[\w-]+\.js$/.test(file))).toHaveLength(1);
  });
});
