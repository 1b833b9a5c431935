/**
 * The CLI through main(argv, io), in this process; the few tests named "the binary" spawn
 * bin/asynclint.js (built by `npm test` before vitest runs) for what only a process shows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');

const run = runCli;

function runBinary(args: string[], options: { cwd: string; input?: string }) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const INDEPENDENT = `declare function get(id: string): Promise<string>;
export async function all(ids: string[]) {
  const out: string[] = [];
  for (const id of ids) {
    out.push(await get(id));
  }
  return out;
}
`;

let project: string;

function write(relative: string, content: string | Buffer): string {
  const file = path.join(project, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'asynclint-cli-'));
  write('clean/ok.ts', 'export const answer = 42;\n');
  write('warn/loop.ts', INDEPENDENT);
});

describe('exit codes and output', () => {
  it('exits 0 with no output for clean code', async () => {
    const result = await run(['clean'], { cwd: project });
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('prints stylish findings with a summary; warnings alone exit 0', async () => {
    const result = await run(['warn'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('warn/loop.ts');
    expect(result.stdout).toMatch(/5:14\s+warning\s+Each iteration waits for the previous one/);
    expect(result.stdout).toContain('await-in-loop');
    expect(result.stdout).toContain('docs/rules/await-in-loop.md');
    expect(result.stdout).toContain('✖ 1 problem (0 errors, 1 warning)');
  });

  it('exits 1 when an error-level rule finds something', async () => {
    const result = await run(['warn', '--rule', 'await-in-loop:error'], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 error');
  });

  it('--max-warnings turns too many warnings into exit 1', async () => {
    expect((await run(['warn', '--max-warnings', '1'], { cwd: project })).code).toBe(0);
    const over = await run(['warn', '--max-warnings', '0'], { cwd: project });
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('too many warnings (maximum: 0, found: 1)');
  });

  it('--quiet drops warnings', async () => {
    expect(await run(['warn', '--quiet'], { cwd: project })).toMatchObject({ code: 0, stdout: '' });
  });

  it('lints standard input as the named file', async () => {
    const result = await run(['--stdin', '--stdin-filename', 'piped.ts', '-f', 'json'], {
      cwd: project,
      input: INDEPENDENT,
    });
    expect(result.code).toBe(0);
    const [only] = JSON.parse(result.stdout);
    expect(only.filePath).toBe(path.join(project, 'piped.ts'));
    expect(
      only.messages.map((message: { ruleId: string; line: number }) => `${message.line}:${message.ruleId}`),
    ).toEqual(['5:asynclint/await-in-loop']);
  });

  it('writes the report with -o', async () => {
    const result = await run(['warn', '-f', 'json', '-o', 'out/report.json'], { cwd: project });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(path.join(project, 'out/report.json'), 'utf8'))[0].warningCount).toBe(1);
  });

  it('honours inline directives and reports unused ones on request', async () => {
    write(
      'directives/a.ts',
      INDEPENDENT.replace(
        '    out.push(await get(id));',
        '    // asynclint-disable-next-line await-in-loop -- ordered on purpose\n    out.push(await get(id));',
      ) + '// asynclint-disable-line await-in-loop\n',
    );
    expect(await run(['directives'], { cwd: project })).toMatchObject({ code: 0, stdout: '' });
    const unused = await run(['directives', '--report-unused-disable-directives', '-f', 'compact'], { cwd: project });
    expect(unused.code).toBe(1);
    expect(unused.stdout).toContain(
      "line 10, col 1, Error - Unused asynclint-disable-line directive (no problems were reported from 'await-in-loop').",
    );
    const ignored = await run(['directives', '--no-inline-config', '-f', 'compact'], { cwd: project });
    expect(ignored.stdout).toContain('line 6, col 14, Warning');
  });

  it('lists rules and explains one with the fixed headings', async () => {
    expect((await run(['--list-rules'], { cwd: project })).stdout).toMatch(/await-in-loop\s+recommended\s+warn\s+perf/);
    const explained = await run(['--explain', 'await-in-loop'], { cwd: project });
    expect(explained.code).toBe(0);
    for (const heading of ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Options', 'When it is fine'])
      expect(explained.stdout).toContain(heading);
  });

  it('--init writes a starter config once', async () => {
    const directory = path.join(project, 'init');
    mkdirSync(directory);
    expect((await run(['--init'], { cwd: directory })).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(directory, 'asynclint.config.json'), 'utf8')).extends).toBe('recommended');
    const again = await run(['--init'], { cwd: directory });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('--stats reports phases and rules on stderr', async () => {
    const result = await run(['warn', '--stats'], { cwd: project });
    expect(result.stderr).toMatch(/files: 1, trees built: 1/);
    for (const phase of ['read', 'parse', 'scope', 'rules', 'format'])
      expect(result.stderr).toMatch(new RegExp(`\\n  ${phase}\\s+[\\d.]+ ms`));
    expect(result.stderr).toMatch(/await-in-loop\s+[\d.]+ ms\s+1/);
  });

  it('--project finds promises only types reveal, and --stats shows the program and checker time', async () => {
    write(
      'typed/tsconfig.json',
      JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', noEmit: true, types: [] },
        include: ['*.ts'],
      }),
    );
    write(
      'typed/store.ts',
      'interface Saves { save(key: string): Promise<void> }\nexport interface Store extends Saves {}\n// `save` is inherited: only a type checker follows `extends`.\nexport function remember(store: Store, key: string) {\n  store.save(key);\n}\n',
    );
    const untyped = await run(['typed', '-f', 'compact'], { cwd: project });
    expect(untyped.code).toBe(0);
    const typed = await run(['typed', '--project', 'typed/tsconfig.json', '-f', 'compact', '--stats'], {
      cwd: project,
    });
    expect(typed.stdout).toContain('store.ts: line 5, col 3, Error');
    expect(typed.stdout).toContain('(floating-promise)');
    for (const phase of ['type program', 'type checker'])
      expect(typed.stderr).toMatch(new RegExp(`\\n  ${phase}\\s+[\\d.]+ ms`));
  });

  it('--help shows examples and --version the version', async () => {
    expect((await run(['--help'], { cwd: project })).stdout).toContain('Examples:');
    expect((await run(['--version'], { cwd: project })).stdout.trim()).toBe(
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    );
  });
});

describe('the binary', () => {
  it("exits with main's code: 0 clean, 1 on an error, 2 on a usage error", () => {
    expect(runBinary(['clean'], { cwd: project })).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const failing = runBinary(['warn', '--rule', 'await-in-loop:error', '-f', 'compact'], { cwd: project });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('warn/loop.ts: line 5, col 14, Error');
    expect(runBinary(['--frobnicate'], { cwd: project }).code).toBe(2);
  });

  it('reads piped standard input', () => {
    const result = runBinary(['--stdin', '--stdin-filename', 'piped.ts', '-f', 'compact'], {
      cwd: project,
      input: INDEPENDENT,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^piped\.ts: line 5, col 14, Warning/);
  });

  it('prints its version', () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(runBinary(['--version'], { cwd: project })).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});

describe('main in this process leaves the process as it found it', () => {
  it('colour handed to a formatter module, exit code, working directory and listeners are put back', async () => {
    // A formatter module that colours with the chalk this process loaded, as eslint-formatter-* do.
    const chalkEntry = JSON.stringify(
      pathToFileURL(path.join(ROOT, 'node_modules', 'chalk', 'source', 'index.js')).href,
    );
    write(
      'chalky.mjs',
      `import chalk from ${chalkEntry};\nexport default (results) => chalk.red(String(results.length)) + '\\n';\n`,
    );
    const { default: chalk } = await import('chalk');
    const before = { level: chalk.level, forceColor: process.env.FORCE_COLOR, cwd: process.cwd() };
    const listeners = process.listenerCount('beforeExit');
    const colored = await run(['warn', '-f', './chalky.mjs', '--color'], { cwd: project });
    expect(colored).toMatchObject({ code: 0, stdout: '\u001b[31m1\u001b[39m\n' });
    expect({ level: chalk.level, forceColor: process.env.FORCE_COLOR, cwd: process.cwd() }).toEqual(before);
    expect(process.listenerCount('beforeExit')).toBe(listeners);
    expect(process.exitCode).toBeUndefined();
    // The next run decides colour afresh, not from the one before.
    expect(await run(['warn', '-f', './chalky.mjs', '--no-color'], { cwd: project })).toMatchObject({
      code: 0,
      stdout: '1\n',
    });
    expect(chalk.level).toBe(before.level);
  });

  it('a file changed between two runs is read again, however soon', async () => {
    const blocking =
      "import { readFileSync } from 'node:fs';\nexport function load(path: string) {\n  return readFileSync(path, 'utf8');\n}\n";
    const helper = write('fresh/helper.ts', blocking);
    write(
      'fresh/server.ts',
      "import { load } from './helper.js';\nprocess.on('message', async () => {\n  load('config.json');\n});\n",
    );
    const first = await run(['fresh', '--no-cache', '-f', 'compact'], { cwd: project });
    expect(first.stdout).toContain('server.ts: line 3, col 3, Error - `load()` blocks the event loop');
    writeFileSync(helper, blocking.replace('export function', 'export async function'));
    const after = await run(['fresh', '--no-cache', '-f', 'compact'], { cwd: project });
    expect(after.stdout).not.toContain('blocks the event loop');
    expect(after.stdout).toContain('server.ts: line 3, col 3, Error - This promise is not awaited');
  });
});

describe('configuration', () => {
  it('applies the config found by walking up', async () => {
    const directory = path.join(project, 'configured');
    write(
      'configured/asynclint.config.json',
      JSON.stringify({ extends: 'recommended', rules: { 'await-in-loop': 'error' } }),
    );
    write('configured/src/loop.ts', INDEPENDENT);
    const result = await run(['.'], { cwd: path.join(directory, 'src') });
    expect(result.code).toBe(1);
  });

  it('reads the "asynclint" key of package.json, and config ignores', async () => {
    write(
      'pkg/package.json',
      JSON.stringify({ name: 'x', asynclint: { extends: 'recommended', ignores: ['generated/**'] } }),
    );
    write('pkg/generated/loop.ts', INDEPENDENT);
    write('pkg/src/loop.ts', INDEPENDENT);
    const result = await run(['.', '-f', 'compact'], { cwd: path.join(project, 'pkg') });
    expect(result.stdout).toContain('src/loop.ts');
    expect(result.stdout).not.toContain('generated/loop.ts');
  });

  it.each([
    [{ rules: { 'no-such-rule': 'error' } }, 'rules["no-such-rule"]: unknown rule "no-such-rule"'],
    [{ rules: { 'await-in-loop': 'loud' } }, 'rules["await-in-loop"]: bad severity "loud"'],
    [
      { rules: { 'await-in-loop': ['warn', { delayFunction: [] }] } },
      'rules["await-in-loop"]: bad options: [0]: unknown option "delayFunction"',
    ],
    [
      { rules: { 'await-in-loop': ['warn', { delayFunctions: 'sleep' }] } },
      'rules["await-in-loop"]: bad options: [0].delayFunctions must be array',
    ],
    [{ extends: 'everything' }, 'extends: unknown preset "everything"'],
    [{ rulez: {} }, 'rulez: unknown key'],
  ])('a bad config is one line naming the file and key, exit 2: %j', async (config, expected) => {
    const file = write('bad.json', JSON.stringify(config));
    const result = await run(['clean', '-c', file], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("a bad config is named from the run's working directory, not the process's", async () => {
    write('configs/bad-key.json', JSON.stringify({ rulez: {} }));
    const result = await run(['clean', '-c', 'configs/bad-key.json'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asynclint: configs\/bad-key\.json: rulez: unknown key/);
  });

  it('a config that is not JSON is one line, exit 2', async () => {
    const file = write('broken.json', '{ "rules": ');
    const result = await run(['clean', '-c', file], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asynclint: .*broken\.json: not valid JSON/);
  });

  it('a bad --rule flag is exit 2', async () => {
    const result = await run(['clean', '--rule', 'await-in-loop'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected <rule-id>:<off|warn|error>');
  });
});

describe('bad input never crashes', () => {
  it('a path that does not exist is one line, exit 2', async () => {
    const result = await run(['no/such/dir'], { cwd: project });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe('asynclint: No such file or directory: no/such/dir\n');
  });

  it('a glob that matches nothing is one line, exit 2', async () => {
    const result = await run(['clean/**/*.mts'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('asynclint: No files matching the pattern "clean/**/*.mts" were found.\n');
  });

  it('an unknown option or formatter is exit 2', async () => {
    expect((await run(['--frobnicate'], { cwd: project })).code).toBe(2);
    const formatter = await run(['clean', '-f', 'no-such-format'], { cwd: project });
    expect(formatter.code).toBe(2);
    expect(formatter.stderr).toContain('Unknown formatter "no-such-format"');
  });

  it('an unparsable file is one fatal message with line and column; other files are still linted', async () => {
    write('mixed/broken.ts', 'export const ok = 1;\nconst = 2;\n');
    write('mixed/loop.ts', INDEPENDENT);
    const result = await run(['mixed', '-f', 'compact'], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('mixed/broken.ts: line 2, col 7, Error - Parsing error:');
    expect(result.stdout).toContain('mixed/loop.ts: line 5, col 14, Warning');
  });

  it('binary, non-UTF-8 and oversized files are skipped with a warning', async () => {
    write('skips/binary.js', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
    write('skips/latin1.js', Buffer.from('const s = "caf\xe9";\n', 'latin1'));
    write('skips/big.ts', `export const big = "${'x'.repeat(5000)}";\n`);
    write('skips/loop.ts', INDEPENDENT);
    const result = await run(['skips', '--max-file-size', '4000', '-f', 'compact'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('skipped skips/binary.js: binary file');
    expect(result.stderr).toContain('skipped skips/latin1.js: not UTF-8 text');
    expect(result.stderr).toContain('skipped skips/big.ts: larger than the size limit');
    expect(result.stdout).toContain('skips/loop.ts: line 5');
  });

  it('10,000 nested parentheses and a 50,000-term chain are linted or reported, never a RangeError', async () => {
    write('deep/parens.js', `export const x = ${'('.repeat(10000)}1${')'.repeat(10000)};\n`);
    write('deep/chain.js', `const a = 1;\nexport const x = ${Array(50000).fill('a').join(' + ')};\n`);
    write('deep/arrays.js', `export const x = ${'['.repeat(10000)}${']'.repeat(10000)};\n`);
    const result = await run(['deep', '-f', 'json'], { cwd: project });
    expect(result.stderr).not.toMatch(/RangeError|Maximum call stack/);
    expect([0, 1]).toContain(result.code);
    const results = JSON.parse(result.stdout) as {
      filePath: string;
      messages: { fatal?: boolean; message: string }[];
    }[];
    expect(results).toHaveLength(3);
    for (const fileResult of results)
      for (const message of fileResult.messages) expect(message.message).not.toMatch(/^RangeError/);
  });

  it('an existing output file is replaced whole', async () => {
    write('report.txt', 'old content that is much longer than the new report '.repeat(100));
    await run(['clean', '-o', 'report.txt'], { cwd: project });
    expect(existsSync(path.join(project, 'report.txt'))).toBe(true);
    expect(readFileSync(path.join(project, 'report.txt'), 'utf8')).toBe('');
  });
});

describe('--fix', () => {
  it('applies autofixes atomically and reports what is left', async () => {
    const file = write(
      'fix/load.ts',
      "import { readFile } from 'node:fs/promises';\nexport async function load(p: string) {\n  try {\n    return readFile(p, 'utf8');\n  } catch {\n    return '';\n  }\n}\n",
    );
    const result = await run(['fix', '--fix', '-f', 'compact'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toContain("return await readFile(p, 'utf8');");
  });

  it('is refused with --stdin', async () => {
    const result = await run(['--stdin', '--fix'], { cwd: project, input: 'x;' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--fix writes files');
  });
});

describe('result cache', () => {
  it('reuses results for unchanged files, and re-lints an importer when an imported helper changes', async () => {
    const helper = write(
      'cached/helper.ts',
      "import { readFileSync } from 'node:fs';\nexport function loadConfig(path: string) {\n  return readFileSync(path, 'utf8');\n}\n",
    );
    write(
      'cached/server.ts',
      "import { loadConfig } from './helper.js';\nprocess.on('message', async () => {\n  loadConfig('config.json');\n});\n",
    );
    const first = await run(['cached', '-f', 'compact', '--stats'], { cwd: project });
    expect(first.stdout).toContain('server.ts: line 3, col 3, Error - `loadConfig()` blocks the event loop');
    expect(first.stderr).toContain('cache (0 hits, 2 misses)');

    const warm = await run(['cached', '-f', 'compact', '--stats'], { cwd: project });
    expect(warm.stdout).toBe(first.stdout);
    expect(warm.stderr).toContain('cache (2 hits, 0 misses)');

    // The helper becomes async: server.ts is unchanged, but its findings must change.
    writeFileSync(
      helper,
      "import { readFile } from 'node:fs/promises';\nexport async function loadConfig(path: string): Promise<string> {\n  return readFile(path, 'utf8');\n}\n",
    );
    const after = await run(['cached', '-f', 'compact', '--stats'], { cwd: project });
    expect(after.stdout).not.toContain('blocks the event loop');
    expect(after.stdout).toContain('server.ts: line 3, col 3, Error - This promise is not awaited');
    expect(after.stderr).toContain('cache (0 hits, 2 misses)');

    const uncached = await run(['cached', '-f', 'compact', '--stats', '--no-cache'], { cwd: project });
    expect(uncached.stdout).toBe(after.stdout);
    expect(uncached.stderr).not.toContain('cache (');
  });

  it('re-lints a file skipped for having no promise in sight when a file it imports becomes async', async () => {
    const store = write('skipped/store.ts', 'export function save(key: string) {\n  return key.length;\n}\n');
    write(
      'skipped/caller.ts',
      "import { save } from './store.js';\nexport function remember(key: string) {\n  save(key);\n}\n",
    );
    const first = await run(['skipped', '-f', 'compact', '--stats'], { cwd: project });
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain('trees built: 0');
    expect((await run(['skipped', '-f', 'compact', '--stats'], { cwd: project })).stderr).toContain(
      'cache (2 hits, 0 misses)',
    );

    writeFileSync(store, 'export async function save(key: string) {\n  return key.length;\n}\n');
    const after = await run(['skipped', '-f', 'compact', '--stats'], { cwd: project });
    expect(after.stdout).toContain('caller.ts: line 3, col 3, Error - This promise is not awaited');
    expect(after.stderr).toContain('cache (0 hits, 2 misses)');
  });
});

describe('result cache and package manifests', () => {
  it('re-lints a file when its package.json changes where its code runs (a private package published)', async () => {
    const manifest = write('tooling/package.json', '{ "name": "tools", "private": true }\n');
    write(
      'tooling/scripts/clean.mjs',
      "import { rm } from 'node:fs/promises';\nfor (const file of process.argv.slice(2)) {\n  await rm(file);\n}\n",
    );
    const first = await run(['tooling', '-f', 'compact', '--stats'], { cwd: project });
    expect(first.stdout).toBe('');
    expect((await run(['tooling', '-f', 'compact', '--stats'], { cwd: project })).stderr).toContain(
      'cache (1 hits, 0 misses)',
    );

    writeFileSync(manifest, '{ "name": "tools" }\n');
    const after = await run(['tooling', '-f', 'compact', '--stats'], { cwd: project });
    expect(after.stdout).toContain('clean.mjs: line 3, col 3, Warning - Each iteration waits');
    expect(after.stderr).toContain('cache (0 hits, 1 misses)');
  });
});

describe('threads', () => {
  it('finds the same problems on two threads as on one, cross-file facts included', async () => {
    const directory = path.join(project, 'many');
    // 1,100 files, enough for two threads; each importer's async helper may be linted on the other thread.
    for (let index = 0; index < 50; index++) {
      write(
        `many/jobs/job${index}.js`,
        `export async function run${index}() {\n  await fetch('/job');\n  return ${index};\n}\n`,
      );
      write(
        `many/callers/caller${index}.js`,
        `import { run${index} } from '../jobs/job${index}.js';\nexport function start() {\n  run${index}();\n}\n`,
      );
    }
    for (let index = 0; index < 1000; index++)
      write(`many/plain/file${index}.js`, `export function add${index}(a, b) {\n  return a + b + ${index};\n}\n`);
    // Spawned: workers load the built worker script, which a run from the sources has not.
    const one = runBinary(['many', '-f', 'json', '--no-cache', '-j', '1', '--stats'], { cwd: project });
    const two = runBinary(['many', '-f', 'json', '--no-cache', '-j', '2', '--stats'], { cwd: project });
    const findings = (stdout: string) =>
      (JSON.parse(stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[]).flatMap((result) =>
        result.messages.map(
          (message) => `${path.relative(directory, result.filePath)}:${message.line} ${message.ruleId}`,
        ),
      );
    expect(findings(one.stdout)).toHaveLength(50);
    expect(findings(two.stdout)).toEqual(findings(one.stdout));
    expect(two.stderr).toContain('files: 1100');
  });
});
