/**
 * Issue #12: a run or a file is never lost to a crash, a fix or a cache under faults. Through
 * main(argv, io) in this process, and spawning bin/asynclint.js (built by `npm test` before vitest
 * runs) where only a process shows it: its standard output, a signal, a stalled event loop.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from '../src/languages/js/parser/nesting.js';
import { ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runBinary(args: string[], cwd: string, input?: string, stdout: 'pipe' | number = 'pipe'): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    // Not a measurement: a run that hangs (reading a FIFO) fails its test instead of the whole suite.
    timeout: 60_000,
    input,
    stdio: ['pipe', stdout, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const run = (args: string[], cwd: string) => runCli(args, { cwd });

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'asynclint-robust-'));
}

function writeIn(root: string, relative: string, content: string | Buffer): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

interface JsonResult {
  filePath: string;
  messages: { fatal?: boolean; message: string; line: number; column: number; ruleId: string | null }[];
}

const DEEP_FILES: Record<string, string> = {
  'parens.js': `export const x = ${'('.repeat(20000)}1${')'.repeat(20000)};\n`,
  'arrays.js': `export const x = ${'['.repeat(20000)}${']'.repeat(20000)};\n`,
  'binary.js': `const a = 1;\nexport const x = ${Array(100000).fill('a').join(' + ')};\n`,
  'member.js': `export const x = a${'.b'.repeat(200000)};\n`,
  'calls.js': `export const x = f${'()'.repeat(200000)};\n`,
  'template.js': `export const x = ${'`${'.repeat(20000)}1${'}`'.repeat(20000)};\n`,
  'blocks.js': `${'{'.repeat(20000)}${'}'.repeat(20000)}\n`,
  'arrows.js': `export const x = ${'a => '.repeat(30000)}1;\n`,
  'ifs.js': `${'if (a) '.repeat(30000)};\n`,
  'unary.js': `export const x = ${'!'.repeat(200000)}a;\n`,
  'types.ts': `type X = ${'Array<'.repeat(20000)}a${'>'.repeat(20000)};\n`,
  // Found after the fuzz run: a line break before `else` must not end the chain.
  'else-if-lines.js': `if (a) {\n}${'\nelse if (a) {\n}'.repeat(60000)}\n`,
  'elements.jsx': `export const x = ${'<div>'.repeat(20000)}${'</div>'.repeat(20000)};\n`,
};

describe('1. deep nesting is a fatal message for that file, never a crash of the run', () => {
  it('refuses each deeply nested file with line:column and lints the good one beside them', async () => {
    const root = scratch();
    for (const [name, text] of Object.entries(DEEP_FILES)) writeIn(root, `deep/${name}`, text);
    writeIn(
      root,
      'deep/good.ts',
      'export async function f(ids: string[]) {\n  for (const id of ids) await g(id);\n}\n',
    );
    const result = runBinary(['deep', '-f', 'json', '--no-cache'], root);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    const results = JSON.parse(result.stdout) as JsonResult[];
    expect(results).toHaveLength(Object.keys(DEEP_FILES).length + 1);
    for (const fileResult of results) {
      const name = path.basename(fileResult.filePath);
      if (name === 'good.ts') {
        expect(fileResult.messages.map((message) => message.ruleId)).toEqual(['asynclint/await-in-loop']);
        continue;
      }
      expect(fileResult.messages, name).toHaveLength(1);
      expect(fileResult.messages[0]).toMatchObject({
        fatal: true,
        message: expect.stringMatching(/nested too deeply/),
      });
      expect(fileResult.messages[0]!.column).toBeGreaterThan(1);
    }
  });

  it('passes real code: the deepest file of the project and of its dependencies is far below the limit', async () => {
    const realistic = [
      'export const f = async (a) => { if (a) { for (const b of a) { try { await g(b?.c?.[0]); } catch {} } } };',
      'const isWide = (x) => x === 1 || x === 2 || (x >= 3 && x <= 4) || x === 5;',
      'export const App = () => (<div className="a" onClick={() => go(1 < 2)}><p>Don\'t {name}</p><br /></div>);',
      'const re = /[(\\[{]+/g, s = "(((", t = `${`${"[["}`}`; // (((',
      'for (let i = 0; i<n; i++) if (a<b) x = y;',
    ].join('\n');
    expect(findExcessiveNesting(realistic, true)).toBeNull();
    expect(findExcessiveNesting(realistic.repeat(5000), true)).toBeNull();
    expect(MAX_NESTING_DEPTH).toBe(1000);
  });

  it('a misread bracket in a regular expression or a string does not add up over a file', async () => {
    const line = "if (x) /\\(/.test(y);\nconst s = '(\n";
    expect(findExcessiveNesting(line.repeat(20000), false)).toBeNull();
  });
});

/** A pipe whose reader is already gone: writing to it fails with EPIPE, every time. */
function pipeWithoutReader(root: string): number {
  const fifo = path.join(root, 'closed.fifo');
  spawnSync('mkfifo', [fifo]);
  // Open the reader first, so that opening the writer does not block; then close the reader.
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  closeSync(reader);
  return writer;
}

const posix = process.platform !== 'win32';

describe('9. a closed or failing standard output', () => {
  it.runIf(posix)("ends quietly when the reader has gone (EPIPE), with the run's exit code", () => {
    const root = scratch();
    writeIn(root, 'a.ts', 'export async function f(x: string[]) {\n  for (const y of x) await g(y);\n}\n');
    const writer = pipeWithoutReader(root);
    const result = runBinary(['a.ts', '--no-cache', '--rule', 'await-in-loop:error'], root, undefined, writer);
    closeSync(writer);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  const full = '/dev/full';
  it.runIf(existsSync(full) && statSync(full).isCharacterDevice())(
    'a full disk is one line on stderr and exit 2',
    () => {
      const root = scratch();
      writeIn(root, 'a.ts', 'export async function f(x: string[]) {\n  for (const y of x) await g(y);\n}\n');
      const device = openSync(full, 'w');
      const result = runBinary(['a.ts', '--no-cache'], root, undefined, device);
      closeSync(device);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^asynclint: cannot write to standard output: ENOSPC[^\n]*\n$/);
    },
  );
});

const LOOP = 'export async function f(x: string[]) {\n  for (const y of x) await g(y);\n}\n';

describe('6. a cache that cannot be saved', () => {
  it.each([
    ['a file', (root: string) => writeIn(root, 'cache-file', 'not a folder')],
    ['under a file', (root: string) => path.join(writeIn(root, 'plain', 'x'), 'cache')],
    ['a .json path under a file', (root: string) => path.join(writeIn(root, 'plain2', 'x'), 'results.json')],
  ])('at %s: a one-line warning, and the report is printed', async (_name, location) => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    const result = await run(['a.ts', '-f', 'compact', '--cache-location', location(root)], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a.ts: line 2');
    expect(result.stderr).toMatch(
      /^asynclint: warning: the cache could not be saved \([^\n]+\); the next run lints every file again\n$/,
    );
  });
});

describe('7. a cache entry with the right keys but the wrong types', () => {
  const corruptions: [string, (entry: Record<string, unknown>) => void][] = [
    ['messages not an array', (entry) => (entry.messages = 'oops')],
    ['a message line that is an object', (entry) => ((entry.messages as Record<string, unknown>[])[0]!.line = {})],
    ['a message that is null', (entry) => (entry.messages = [null])],
    ['dependencies null', (entry) => (entry.dependencies = null)],
    ['a dependency that names no row of the table', (entry) => (entry.dependencies = [999])],
    ['a dependency that is not an index', (entry) => (entry.dependencies = ['a.ts'])],
  ];
  it.each(corruptions)('%s is a miss: the file is linted again and the run succeeds', async (_name, corrupt) => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    const cacheFile = path.join(root, 'cache.json');
    expect((await run(['a.ts', '--cache-location', cacheFile], root)).code).toBe(0);
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: Record<string, Record<string, unknown>> };
    const entry = Object.values(stored.entries)[0]!;
    expect(entry.messages).toHaveLength(1);
    corrupt(entry);
    writeFileSync(cacheFile, JSON.stringify(stored));
    for (let round = 0; round < 2; round++) {
      const result = await run(['a.ts', '-f', 'compact', '--cache-location', cacheFile], root);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/a\.ts: line 2, col \d+, Warning/);
    }
  });
});

describe('5. special files named on the command line', () => {
  it.runIf(posix)(
    'a FIFO, a link to /dev/zero and a socket are skipped with a warning; the rest is linted',
    async () => {
      const root = scratch();
      writeIn(root, 'good.ts', LOOP);
      spawnSync('mkfifo', [path.join(root, 'pipe.js')]);
      symlinkSync('/dev/zero', path.join(root, 'zero.js'));
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path.join(root, 'sock.js'), resolve));
      try {
        const result = await run(['good.ts', 'pipe.js', 'zero.js', 'sock.js', '-f', 'compact', '--no-cache'], root);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('good.ts: line 2');
        expect(result.stderr.split('\n').filter(Boolean).sort()).toEqual([
          'asynclint: skipped pipe.js: not a regular file (a FIFO)',
          'asynclint: skipped sock.js: not a regular file (a socket)',
          'asynclint: skipped zero.js: not a regular file (a character device)',
        ]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it.runIf(posix)('a FIFO given as the config file is a config error, not a hang', async () => {
    const root = scratch();
    writeIn(root, 'good.ts', LOOP);
    spawnSync('mkfifo', [path.join(root, 'config.json')]);
    const result = await run(['good.ts', '-c', 'config.json'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asynclint: [^\n]*config\.json: not a regular file \(a FIFO\)\n$/);
  });
});

const FIXABLE =
  "import { readFile } from 'node:fs/promises';\nexport async function load(p: string) {\n  try {\n    return readFile(p, 'utf8');\n  } catch {\n    return '';\n  }\n}\n";
const FIXED_LINE = "return await readFile(p, 'utf8');";

describe('2. --fix keeps the byte order mark', () => {
  it('a fixed file that started with a BOM still does', async () => {
    const root = scratch();
    const file = writeIn(root, 'bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FIXABLE)]));
    expect((await run(['bom.ts', '--fix', '--no-cache'], root)).code).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(FIXABLE.replace("return readFile(p, 'utf8');", FIXED_LINE));
  });
});

describe('3. --fix keeps mode, owner and line endings', () => {
  it.runIf(posix)('a 0664 file stays 0664, and a 0600 one 0600', async () => {
    const root = scratch();
    const shared = writeIn(root, 'shared.ts', FIXABLE);
    const secret = writeIn(root, 'secret.ts', FIXABLE);
    chmodSync(shared, 0o664);
    chmodSync(secret, 0o600);
    expect((await run(['shared.ts', 'secret.ts', '--fix', '--no-cache'], root)).code).toBe(0);
    expect(readFileSync(shared, 'utf8')).toContain(FIXED_LINE);
    expect(statSync(shared).mode & 0o777).toBe(0o664);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix && process.getuid?.() === 0)('the owner is kept (when the writer may set it)', async () => {
    const root = scratch();
    const file = writeIn(root, 'owned.ts', FIXABLE);
    chownSync(file, 4321, 4321);
    expect((await run(['owned.ts', '--fix', '--no-cache'], root)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain(FIXED_LINE);
    expect(statSync(file)).toMatchObject({ uid: 4321, gid: 4321 });
  });

  it('Windows line endings are kept', async () => {
    const root = scratch();
    const file = writeIn(root, 'crlf.ts', FIXABLE.replace(/\n/g, '\r\n'));
    expect((await run(['crlf.ts', '--fix', '--no-cache'], root)).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(FIXED_LINE);
    expect(text).not.toMatch(/[^\r]\n/);
  });
});

describe('4. writing through links, never replacing what is written to', () => {
  it.runIf(posix)('--fix on a symbolic link fixes its target and keeps the link', async () => {
    const root = scratch();
    const target = writeIn(root, 'real/target.ts', FIXABLE);
    symlinkSync('real/target.ts', path.join(root, 'link.ts'));
    expect((await run(['link.ts', '--fix', '--no-cache'], root)).code).toBe(0);
    expect(lstatSync(path.join(root, 'link.ts')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain(FIXED_LINE);
  });

  it.runIf(posix)('--fix on a file with two hard links keeps them one file', async () => {
    const root = scratch();
    const first = writeIn(root, 'first.ts', FIXABLE);
    const second = path.join(root, 'second.ts');
    linkSync(first, second);
    expect((await run(['first.ts', '--fix', '--no-cache'], root)).code).toBe(0);
    expect(readFileSync(second, 'utf8')).toContain(FIXED_LINE);
    expect(statSync(first).ino).toBe(statSync(second).ino);
    expect(statSync(first).nlink).toBe(2);
  });

  it.runIf(posix)('-o through a link to /dev/null writes to the device and keeps the link', async () => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    symlinkSync('/dev/null', path.join(root, 'report'));
    const result = await run(['a.ts', '-f', 'compact', '-o', 'report', '--no-cache'], root);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(lstatSync(path.join(root, 'report')).isSymbolicLink()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it.runIf(posix)('-o through a link to /dev/stdout writes to standard output and keeps the link', async () => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    symlinkSync('/dev/stdout', path.join(root, 'report'));
    const result = runBinary(['a.ts', '-f', 'compact', '-o', 'report', '--no-cache'], root);
    expect(result.code).toBe(0);
    expect(lstatSync(path.join(root, 'report')).isSymbolicLink()).toBe(true);
    expect(result.stdout).toContain('a.ts: line 2');
  });

  it('-o to a folder is one line on stderr and exit 2', async () => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    mkdirSync(path.join(root, 'out'));
    const result = await run(['a.ts', '-o', 'out', '--no-cache'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asynclint: cannot write [^\n]*out: it is a directory, not a regular file\n$/);
  });
});

describe('10. temporary files', () => {
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  it('stale ones of dead processes beside a file being written are removed; none are left behind', async () => {
    const root = scratch();
    writeIn(root, 'src/a.ts', FIXABLE);
    const dead = deadPid();
    const stale = writeIn(root, `src/.a.ts.${dead}.asynclint-tmp`, 'half');
    const staleReport = writeIn(root, `out/.report.txt.${dead}.asynclint-tmp`, 'half');
    // One of a process that still runs (this one) is not touched.
    const live = writeIn(root, `src/.b.ts.${process.pid}.asynclint-tmp`, 'in use');
    expect((await run(['src', '--fix', '-o', 'out/report.txt', '--no-cache'], root)).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(staleReport)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(path.join(root, 'src')).sort()).toEqual([`.b.ts.${process.pid}.asynclint-tmp`, 'a.ts']);
    expect(readdirSync(path.join(root, 'out'))).toEqual(['report.txt']);
  });
});

describe("11. a file that crashes TypeScript's parser in a --project run", () => {
  it("is that file's fatal message; the other files are linted with types", () => {
    const root = scratch();
    writeIn(
      root,
      'tsconfig.json',
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src'] }),
    );
    writeIn(root, 'src/good.ts', `${LOOP}declare function g(s: string): Promise<void>;\n`);
    // TypeScript's parser recurses in JavaScript: this throws inside ts.createProgram.
    writeIn(root, 'src/crash.ts', `export const x = ${'('.repeat(30000)}1${')'.repeat(30000)};\n`);
    const result = runBinary(['--project', 'tsconfig.json', 'src', '-f', 'json'], root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const results = JSON.parse(result.stdout) as JsonResult[];
    const byName = Object.fromEntries(
      results.map((fileResult) => [path.basename(fileResult.filePath), fileResult.messages]),
    );
    expect(byName['crash.ts']).toEqual([
      expect.objectContaining({
        fatal: true,
        message: expect.stringMatching(/TypeScript's parser failed on this file/),
      }),
    ]);
    expect(byName['good.ts']!.map((message) => message.ruleId)).toEqual(['asynclint/await-in-loop']);
  });
});

describe("12. tsconfig problems show TypeScript's own diagnostic", () => {
  it.each([
    ['truncated mid-object', '{"compilerOptions": {"strict": true', /tsconfig\.json:1:36: '}' expected\./],
    ['a missing extends', '{"extends": "./missing.json"}', /Cannot read file '[^']*missing\.json'\./],
    [
      'a bad target',
      '{"compilerOptions": {"target": "es1999"}}',
      /tsconfig\.json:1:32: Argument for '--target' option must be: 'es5'/,
    ],
  ])('%s', async (_name, text, expected) => {
    const root = scratch();
    writeIn(root, 'tsconfig.json', text);
    writeIn(root, 'a.ts', LOOP);
    const result = runBinary(['--project', 'tsconfig.json', 'a.ts'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^asynclint: --project tsconfig\.json: [^\n]+\n$/);
    expect(result.stderr).toMatch(expected);
  });
});

describe('12. smaller: rule ids, config files, formatters, UTF-16', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'rule id %s is an unknown rule, in the config and on the command line',
    async (id) => {
      const root = scratch();
      writeIn(root, 'a.ts', LOOP);
      writeIn(root, 'asynclint.config.json', `{"rules": {"${id}": "error"}}`);
      const fromConfig = await run(['a.ts'], root);
      expect(fromConfig.code).toBe(2);
      expect(fromConfig.stderr).toMatch(new RegExp(`^asynclint: [^\\n]*unknown rule "${id}"[^\\n]*\\n$`));
      const fromFlag = await run(['a.ts', '--no-config', '--rule', `${id}:error`], root);
      expect(fromFlag.code).toBe(2);
      expect(fromFlag.stderr).toMatch(new RegExp(`^asynclint: [^\\n]*unknown rule "${id}"[^\\n]*\\n$`));
      expect((await run(['--explain', id], root)).stderr).toMatch(/^asynclint: Unknown rule/);
    },
  );

  it('an invalid package.json on the config search path is a warning', async () => {
    const root = scratch();
    writeIn(root, 'package.json', '{ "name": "x", "asynclint": { "rules": {} }');
    writeIn(root, 'a.ts', LOOP);
    const result = await run(['a.ts', '-f', 'compact'], root);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^asynclint: warning: [^\n]*package\.json is not valid JSON \([^\n]+\); an "asynclint" key in it is not read\n$/,
    );
    expect(result.stdout).toContain('a.ts: line 2');
  });

  it('a config file with a byte order mark is accepted', async () => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    writeIn(root, 'asynclint.config.json', '\uFEFF{"rules": {"await-in-loop": "error"}}');
    const result = await run(['a.ts', '-f', 'compact'], root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  const formatters: [string, string, RegExp][] = [
    [
      'throws',
      'export default () => { throw new Error("no template"); };',
      /^asynclint: formatter "[^"]*bad\.mjs" failed: no template\n$/,
    ],
    [
      'returns a number',
      'export default () => 42;',
      /^asynclint: formatter "[^"]*bad\.mjs" returned a value of type number, not a string\n$/,
    ],
    [
      'rejects',
      'export default async () => { throw new Error("later"); };',
      /^asynclint: formatter "[^"]*bad\.mjs" failed: later\n$/,
    ],
  ];
  it.each(formatters)('a formatter that %s is named in one line, exit 2', async (_name, source, expected) => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    writeIn(root, 'bad.mjs', source);
    const result = await run(['a.ts', '-f', './bad.mjs', '--no-cache'], root);
    expect(result.stderr).toMatch(expected);
    expect(result.code).toBe(2);
  });

  it('a formatter that never settles is named in one line, exit 2 (the binary: only its event loop can run dry)', () => {
    const root = scratch();
    writeIn(root, 'a.ts', LOOP);
    writeIn(root, 'bad.mjs', 'export default () => new Promise(() => {});');
    const result = runBinary(['a.ts', '-f', './bad.mjs', '--no-cache'], root);
    expect(result.stderr).toMatch(
      /^asynclint: formatter "[^"]*bad\.mjs" never finished: the promise it returned never settled\n$/,
    );
    expect(result.code).toBe(2);
  });

  it('UTF-16 files are skipped as UTF-16, not as binary', async () => {
    const root = scratch();
    writeIn(root, 'le.ts', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LOOP, 'utf16le')]));
    writeIn(root, 'nobom.ts', Buffer.from(LOOP, 'utf16le'));
    const result = await run(['le.ts', 'nobom.ts', '--no-cache'], root);
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'asynclint: skipped le.ts: UTF-16LE text (asynclint reads UTF-8; convert the file to lint it)',
      'asynclint: skipped nobom.ts: UTF-16LE text (asynclint reads UTF-8; convert the file to lint it)',
    ]);
  });
});

describe('8. a dependency that changes but keeps its size and modification time', () => {
  it('invalidates the cached result of the file that used its facts', async () => {
    const root = scratch();
    const blocking =
      "import { readFileSync } from 'node:fs';\nexport function load() { return readFileSync('x', 'utf8'); }\n";
    const harmless =
      "import { readFileSync } from 'node:fs';\nexport function load() { return String(readFileSync ?? 1); }\n";
    expect(Buffer.byteLength(harmless)).toBe(Buffer.byteLength(blocking));
    const helper = writeIn(root, 'src/helper.ts', blocking);
    writeIn(
      root,
      'src/handler.ts',
      "import { load } from './helper.js';\nprocess.on('message', async () => {\n  return load();\n});\n",
    );
    const args = ['src/handler.ts', '-f', 'compact', '--cache-location', path.join(root, 'cache')];
    // A whole second, which every file system stores exactly.
    const time = 1_700_000_000;
    utimesSync(helper, time, time);
    const first = await run(args, root);
    expect(first.stdout).toContain('src/handler.ts: line 3');
    expect(first.stdout).toContain('(blocking-call)');
    writeFileSync(helper, harmless);
    utimesSync(helper, time, time);
    expect(statSync(helper)).toMatchObject({ mtimeMs: time * 1000, size: Buffer.byteLength(blocking) });
    const second = await run(args, root);
    expect(second.stdout).not.toContain('(blocking-call)');
  });
});
