/**
 * A Python project configures asynclint where it configures ruff: a `[tool.asynclint]` table in
 * pyproject.toml, found on the same walk up as asynclint.config.json and package.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { python } from '../src/languages/python/index.js';

const LOOP = 'async def load(ids, client):\n    for i in ids:\n        await client.get(i)\n';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'asynclint-pyproject-'));
  for (const [relative, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), content);
  }
  return root;
}

beforeAll(() => python.prepare!());

describe('[tool.asynclint] in pyproject.toml', () => {
  it('is the config: rules as an inline table, overrides as an array of tables', async () => {
    const root = project({
      'pyproject.toml': [
        '[project]',
        'name = "demo"',
        '',
        '[tool.asynclint]',
        'rules = { "await-in-loop" = "error" }',
        '',
        '[[tool.asynclint.overrides]]',
        'files = ["legacy/**"]',
        'rules = { "await-in-loop" = "off" }',
        '',
      ].join('\n'),
      'app/load.py': LOOP,
      'legacy/load.py': LOOP,
    });
    const result = await runCli(['.', '-f', 'compact'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/app[/\\]load\.py: line 3, col 9, Error - [^\n]*\(await-in-loop\)/);
    expect(result.stdout).not.toContain('legacy');
  });

  it('takes a [tool.asynclint.rules] table, and --print-config names the file', async () => {
    const root = project({
      'pyproject.toml': '[tool.asynclint.rules]\n"await-in-loop" = ["warn", { contexts = ["request"] }]\n',
      'load.py': LOOP,
    });
    const printed = await runCli(['--print-config', 'load.py'], { cwd: root });
    expect(JSON.parse(printed.stdout).configFile).toBe('pyproject.toml');
    const result = await runCli(['.', '-f', 'compact'], { cwd: root });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('is not a config without the table, and a TOML error is one line, exit 2', async () => {
    const plain = project({ 'pyproject.toml': '[tool.ruff]\nline-length = 100\n', 'load.py': LOOP });
    expect(JSON.parse((await runCli(['--print-config', 'load.py'], { cwd: plain })).stdout).configFile).not.toBe(
      'pyproject.toml',
    );
    const broken = project({ 'pyproject.toml': '[tool.asynclint]\nrules = { "await-in-loop" = }\n', 'load.py': LOOP });
    const result = await runCli(['.'], { cwd: broken });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asynclint: [^\n]*pyproject\.toml[^\n]*not valid TOML at 2:\d+[^\n]*\n$/);
  });
});
