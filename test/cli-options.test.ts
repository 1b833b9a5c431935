/**
 * The options of issue #13 through main(argv, io): the cache and its strategy, fix dry runs and
 * suggestions, ignore patterns, watch mode, and colour for formatters that are not ours. Watch
 * mode, colour decided at a formatter's first import, and start-up spawn a process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');

type RunOptions = { input?: string; env?: Record<string, string | undefined> };

function run(args: string[], cwd: string, options: RunOptions = {}) {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
  return runCli(args, { cwd, input: options.input, env });
}

function runBinary(args: string[], cwd: string, options: RunOptions = {}) {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, input: options.input, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'asynclint-options-'));
  for (const [relative, text] of Object.entries(files)) write(root, relative, text);
  return root;
}

/** Whole seconds, a minute ago: a time that can be set again exactly (Date keeps no sub-millisecond part). */
const SETTLED_TIME = Math.floor(Date.now() / 1000) - 60;

function write(root: string, relative: string, text: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, SETTLED_TIME, SETTLED_TIME);
  return file;
}

/** Rewrites a file with text of the same length and puts its modification time back. */
function editKeepingSizeAndTime(file: string, text: string): void {
  const before = statSync(file);
  expect(Buffer.byteLength(text)).toBe(before.size);
  writeFileSync(file, text);
  utimesSync(file, SETTLED_TIME, SETTLED_TIME);
  expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
}

const FLOATING = `declare function save(): Promise<void>;
export async function handler() {
  save();
}
`;

const RETURN_IN_TRY = `declare function load(): Promise<number>;
export async function read() {
  try {
    return load();
  } catch {
    return 0;
  }
}
`;

/** Same length: the helper's function is async, or not (then nothing floats in the importer). */
const ASYNC_HELPER = 'export async function save() { await fetch("/save"); }\n';
const SYNC_HELPER = 'export       function save() {       fetch("/save"); }\n';
const IMPORTER = "import { save } from './helper';\nexport async function handler() {\n  save();\n}\n";

const rulesOf = (stdout: string) =>
  (JSON.parse(stdout) as { messages: { ruleId: string }[] }[]).flatMap((result) =>
    result.messages.map((message) => message.ruleId),
  );

describe('--cache and --cache-strategy', () => {
  it('--cache is accepted (it is the default) and answers the second run from the cache', async () => {
    const root = project({ 'src/a.ts': FLOATING });
    expect((await run(['--cache', 'src'], root)).code).toBe(1);
    const second = await run(['--cache', '--stats', 'src'], root);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('cache (1 hits, 0 misses)');
  });

  it('content (the default): an edit that keeps size and time is seen', async () => {
    const root = project({ 'a.ts': FLOATING });
    expect(rulesOf((await run(['-f', 'json', 'a.ts'], root)).stdout)).toEqual(['asynclint/floating-promise']);
    editKeepingSizeAndTime(path.join(root, 'a.ts'), FLOATING.replace('  save();', '//save();'));
    expect(rulesOf((await run(['-f', 'json', '--cache-strategy', 'content', 'a.ts'], root)).stdout)).toEqual([]);
  });

  it('metadata: size and time decide, so the same edit keeps the cached result (as in ESLint)', async () => {
    const root = project({ 'a.ts': FLOATING });
    expect(rulesOf((await run(['-f', 'json', '--cache-strategy', 'metadata', 'a.ts'], root)).stdout)).toEqual([
      'asynclint/floating-promise',
    ]);
    editKeepingSizeAndTime(path.join(root, 'a.ts'), FLOATING.replace('  save();', '//save();'));
    expect(rulesOf((await run(['-f', 'json', '--cache-strategy', 'metadata', 'a.ts'], root)).stdout)).toEqual([
      'asynclint/floating-promise',
    ]);
    // A touch is a change under metadata.
    utimesSync(path.join(root, 'a.ts'), new Date(), new Date(Date.now() + 5000));
    expect(rulesOf((await run(['-f', 'json', '--cache-strategy', 'metadata', 'a.ts'], root)).stdout)).toEqual([]);
  });

  it.each(['content', 'metadata'])(
    '%s: an imported file edited keeping size and time re-lints its importer',
    async (strategy) => {
      const root = project({ 'helper.ts': ASYNC_HELPER, 'main.ts': IMPORTER });
      expect(rulesOf((await run(['-f', 'json', '--cache-strategy', strategy, 'main.ts'], root)).stdout)).toEqual([
        'asynclint/floating-promise',
      ]);
      editKeepingSizeAndTime(path.join(root, 'helper.ts'), SYNC_HELPER);
      expect(rulesOf((await run(['-f', 'json', '--cache-strategy', strategy, 'main.ts'], root)).stdout)).toEqual([]);
    },
  );

  it('an unknown strategy is a usage error', async () => {
    const result = await run(['--cache-strategy', 'mtime', '.'], project({ 'a.ts': FLOATING }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'mtime' is invalid. Allowed choices are metadata, content.");
  });
});

describe('--fix-dry-run and --fix-suggestions', () => {
  it('--fix-dry-run reports the fixed text as json "output" and writes nothing', async () => {
    const root = project({ 'read.ts': RETURN_IN_TRY });
    const result = await run(['-f', 'json', '--fix-dry-run', 'read.ts'], root);
    const [only] = JSON.parse(result.stdout) as { output?: string; messages: unknown[] }[];
    expect(only!.output).toContain('return await load();');
    expect(only!.messages).toEqual([]);
    expect(readFileSync(path.join(root, 'read.ts'), 'utf8')).toBe(RETURN_IN_TRY);
  });

  it('--fix-dry-run works on standard input; --fix and --fix-suggestions, which write, do not', async () => {
    const root = project({});
    const dry = await run(['--stdin', '--stdin-filename', 'read.ts', '-f', 'json', '--fix-dry-run'], root, {
      input: RETURN_IN_TRY,
    });
    expect((JSON.parse(dry.stdout) as { output?: string }[])[0]!.output).toContain('return await load();');
    for (const writing of [['--fix'], ['--fix-suggestions']]) {
      const fix = await run(['--stdin', '--stdin-filename', 'read.ts', ...writing], root, { input: RETURN_IN_TRY });
      expect(fix.code).toBe(2);
      expect(fix.stderr).toContain(`${writing[0]} writes files; it does not apply to --stdin`);
    }
  });

  it('--fix with --fix-dry-run is one line and exit 2', async () => {
    const result = await run(['--fix', '--fix-dry-run', '.'], project({ 'a.ts': FLOATING }));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--fix-suggestions applies the first suggestion where there is no fix: shown with --fix-dry-run, written alone', async () => {
    const root = project({ 'handler.ts': FLOATING });
    const plainDryRun = JSON.parse((await run(['-f', 'json', '--fix-dry-run', 'handler.ts'], root)).stdout) as {
      output?: string;
    }[];
    expect(plainDryRun[0]!.output).toBeUndefined();
    const dry = JSON.parse(
      (await run(['-f', 'json', '--fix-dry-run', '--fix-suggestions', 'handler.ts'], root)).stdout,
    ) as { output?: string }[];
    expect(dry[0]!.output).toContain('  await save();');
    expect(readFileSync(path.join(root, 'handler.ts'), 'utf8')).toBe(FLOATING);
    const written = await run(['--fix-suggestions', 'handler.ts'], root);
    expect(written.code).toBe(0);
    expect(readFileSync(path.join(root, 'handler.ts'), 'utf8')).toContain('  await save();');
  });
});

describe('--ignore-pattern', () => {
  const files = {
    'src/a.ts': FLOATING,
    'src/gen/b.ts': FLOATING,
    'src/gen/keep.ts': FLOATING,
    'legacy/c.ts': FLOATING,
  };
  const linted = (stdout: string, root: string) =>
    (JSON.parse(stdout) as { filePath: string }[]).map((result) => path.relative(root, result.filePath)).sort();

  it('is repeatable, relative to the working directory, and a ! pattern takes files back', async () => {
    const root = project(files);
    const result = await run(
      ['-f', 'json', '--ignore-pattern', 'src/gen/', '--ignore-pattern', 'legacy/**', '.'],
      root,
    );
    expect(linted(result.stdout, root)).toEqual(['src/a.ts']);
    const back = await run(
      ['-f', 'json', '--ignore-pattern', 'src/gen/', '--ignore-pattern', '!src/gen/keep.ts', '.'],
      root,
    );
    expect(linted(back.stdout, root)).toEqual(['legacy/c.ts', 'src/a.ts', 'src/gen/keep.ts']);
  });

  it('a file named on the command line that a pattern ignores is skipped with a warning', async () => {
    const root = project(files);
    const result = await run(['--ignore-pattern', 'legacy/', 'legacy/c.ts'], root);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('asynclint: skipped legacy/c.ts: ignored by a pattern');
  });
});

describe('--watch', () => {
  it('lints, then lints again when files change, including files in a new folder', async () => {
    const root = project({ 'src/loop.ts': FLOATING });
    const child = spawn(process.execPath, [BIN, '--watch', '-f', 'compact', 'src'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    const waiters: (() => void)[] = [];
    const changed = () => waiters.splice(0).forEach((wake) => wake());
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), changed()));
    child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), changed()));
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((wake) => waiters.push(wake));
    };
    try {
      await until(() => stdout.includes('src/loop.ts: line 3') && stderr.includes('watching'));
      write(root, 'src/added/new.ts', FLOATING);
      await until(() => stdout.includes('src/added/new.ts: line 3'));
      const mark = stdout.length;
      write(root, 'src/loop.ts', 'export const fixed = true;\n');
      // The round after the fix lists only the new file.
      await until(() => /src\/added\/new\.ts: line 3.*\n\n1 problem\n/.test(stdout.slice(mark)));
      expect(stdout.slice(mark)).not.toContain('src/loop.ts');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('does not go with --stdin', async () => {
    const result = await run(['--watch', '--stdin'], project({}), { input: '' });
    expect(result.code).toBe(2);
  });
});

describe('colour for eslint-formatter-* packages', () => {
  /** A formatter package colouring with the chalk this project has (linked in, so it may be the same instance). */
  function withChalkFormatter(): string {
    const root = project({
      'a.ts': FLOATING,
      'node_modules/eslint-formatter-chalky/package.json': JSON.stringify({
        name: 'eslint-formatter-chalky',
        type: 'module',
        main: 'index.js',
      }),
      'node_modules/eslint-formatter-chalky/index.js':
        "import chalk from 'chalk';\nexport default (results) => chalk.red(`${results.length} result`) + '\\n';\n",
    });
    symlinkSync(path.join(ROOT, 'node_modules', 'chalk'), path.join(root, 'node_modules', 'chalk'), 'dir');
    return root;
  }
  const ESCAPE = '\u001b[';

  it('--color reaches the formatter through a pipe; --no-color and NO_COLOR turn it off', async () => {
    const root = withChalkFormatter();
    expect((await run(['-f', 'chalky', '--color', 'a.ts'], root, { env: { NO_COLOR: undefined } })).stdout).toContain(
      `${ESCAPE}31m1 result`,
    );
    expect(
      (await run(['-f', 'chalky', '--no-color', 'a.ts'], root, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }))
        .stdout,
    ).toBe('1 result\n');
    expect((await run(['-f', 'chalky', 'a.ts'], root, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).stdout).toBe(
      '1 result\n',
    );
  });

  it("the binary: the formatter's chalk, first imported in the run, gets the decision through FORCE_COLOR", () => {
    const root = withChalkFormatter();
    expect(runBinary(['-f', 'chalky', '--color', 'a.ts'], root, { env: { NO_COLOR: undefined } }).stdout).toContain(
      `${ESCAPE}31m1 result`,
    );
    expect(runBinary(['-f', 'chalky', 'a.ts'], root, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).toBe(
      '1 result\n',
    );
  });

  it('a report written with -o has no colour, whatever FORCE_COLOR says', async () => {
    const root = withChalkFormatter();
    await run(['-f', 'chalky', '-o', 'report.txt', 'a.ts'], root, { env: { NO_COLOR: undefined, FORCE_COLOR: '3' } });
    expect(readFileSync(path.join(root, 'report.txt'), 'utf8')).toBe('1 result\n');
  });
});

describe('start-up', () => {
  it('a lint run loads neither the language server nor the watcher', async () => {
    const root = project({ 'a.ts': FLOATING });
    const script = `
      import { createRequire } from 'node:module';
      import { main } from ${JSON.stringify(path.join(ROOT, 'dist', 'src', 'cli', 'index.js'))};
      await main(['node', 'asynclint', '--no-cache', 'a.ts'], { stdout: { write() {} }, stderr: { write() {} } });
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(JSON.stringify(loaded.filter((file) => /vscode-|[\\\\/]lsp[\\\\/]|watch\\.js/.test(file))));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
    // The check sees CommonJS modules, imported from ESM too: the language server library is one.
    const importServer =
      "import { createRequire } from 'node:module'; await import('vscode-languageserver/node'); console.log(Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('vscode-languageserver')))";
    const loadsServer = spawnSync(process.execPath, ['--input-type=module', '-e', importServer], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(loadsServer.stdout.trim()).toBe('true');
  });
});
