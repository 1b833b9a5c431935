/** `asynclint <dir>` lints Python files too: discovery, config, directives, formatters, --explain. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { discoverFiles } from '../../src/runner/discover.js';
import { lintText, prepare } from '../../src/index.js';

let project = '';

function write(relative: string, text: string): void {
  const file = path.join(project, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'asynclint-python-'));
  write(
    'asynclint.config.json',
    JSON.stringify({ extends: 'recommended', rules: { 'blocking-call': ['error', { contexts: ['library'] }] } }),
  );
  write('app/__init__.py', '');
  write('app/handlers.py', 'import time\n\n\nasync def handle():\n    time.sleep(1)\n');
  write('app/broken.py', 'def f(:\n    pass\n');
  write('app/web.js', 'export async function f() { return 1; }\n');
  write('tests/test_handlers.py', 'async def test_it(path):\n    with open(path) as f:\n        f.read()\n');
  write('.venv/pyvenv.cfg', 'home = /usr/bin\n');
  write('.venv/lib/python3.12/site-packages/dep/core.py', 'import time\nasync def f():\n    time.sleep(1)\n');
  write('vendor/site-packages/dep.py', 'import time\nasync def f():\n    time.sleep(1)\n');
  write('app/__pycache__/handlers.py', 'x = 1\n');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('Python in the CLI', () => {
  it('discovers .py files but no virtual environment, site-packages or __pycache__', () => {
    const { files } = discoverFiles(['.'], { cwd: project, ignores: [], baseDirectory: project });
    expect(files.map((file) => path.relative(project, file).split(path.sep).join('/'))).toEqual([
      'app/__init__.py',
      'app/broken.py',
      'app/handlers.py',
      'app/web.js',
      'tests/test_handlers.py',
    ]);
  });

  it('reports a blocking call in a coroutine, a syntax error as one fatal message, no file I/O in tests', async () => {
    const run = await runCli(['--no-cache', '-f', 'json', '.'], { cwd: project });
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as {
      filePath: string;
      messages: { ruleId: string | null; line: number; column: number; fatal?: boolean }[];
    }[];
    const found = results.flatMap((result) =>
      result.messages.map((message) => [
        path.relative(project, result.filePath),
        message.line,
        message.column,
        message.ruleId ?? 'fatal',
      ]),
    );
    expect(found).toEqual([
      [path.join('app', 'broken.py'), 1, 7, 'fatal'],
      [path.join('app', 'handlers.py'), 5, 5, 'asynclint/blocking-call'],
    ]);
  });

  it('explains blocking-call as before', async () => {
    const explained = await runCli(['--explain', 'blocking-call'], { cwd: project });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('blocking-call');
  });
});

describe('the API', () => {
  it('lints Python text once prepared', async () => {
    await prepare();
    const result = lintText('import time\nasync def f():\n    time.sleep(1)\n', {
      filePath: path.join(project, 'app', 'x.py'),
      cwd: project,
    });
    expect(result.messages.map((message) => [message.line, message.column, message.ruleId])).toEqual([
      [3, 5, 'blocking-call'],
    ]);
  });
});
