/**
 * Issue #13: type-aware mode in real projects. Which TypeScript builds the programs (the
 * project's own, or ours when it has no JS API), which tsconfig each file belongs to, and what a
 * broken tsconfig says. Which tsconfig a file gets runs through main(argv, io) in this process;
 * the rest spawns bin/asynclint.js (built by `npm test` before vitest): a project's own
 * TypeScript is loaded once per process, and its messages name paths from the process's directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TypeScriptProjects } from '../src/languages/js/parser/index.js';
import { ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');

function run(args: string[], cwd: string, nodeOptions: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeOptions, BIN, '--no-cache', '-f', 'compact', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runInProcess(args: string[], cwd: string) {
  return runCli(['--no-cache', '-f', 'compact', ...args], { cwd });
}

function scratch(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'asynclint-projects-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

// A small lib (no DOM) keeps each program quick to build.
const COMPILER_OPTIONS = { strict: true, noEmit: true, types: [], target: 'ES2022', lib: ['ES2022'] };

/** A call that returns a promise only the checker can see: the fast front end cannot flag it. */
const STORE =
  'interface Saves { save(key: string): Promise<void> }\nexport interface Store extends Pick<Saves, "save"> {}\n// `save` comes through `Pick<...>`: only a type checker follows it.\nexport function remember(store: Store) {\n  store.save("a");\n}\n';
const STORE_TEST =
  'import type { Store } from "../src/store";\nexport function check(store: Store) {\n  store.save("b");\n}\n';

/** The layout that lost 91 of 103 findings: `test/` has its own tsconfig, outside the root one's `include`. */
function projectWithSeparateTestTsconfig(extra: Record<string, string> = {}): string {
  return scratch({
    'tsconfig.json': JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['src'] }),
    'test/tsconfig.json': JSON.stringify({ extends: '../tsconfig.json', include: ['.'] }),
    'src/store.ts': STORE,
    'test/store.test.ts': STORE_TEST,
    ...extra,
  });
}

function floatingPromiseLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.endsWith('(floating-promise)'))
    .map((line) => line.slice(0, line.indexOf(',', line.indexOf('line '))));
}

/** A stand-in for TypeScript 7 (the Go port): its package's entry point exports a version and no compiler. */
const TYPESCRIPT_7 = {
  'node_modules/typescript/package.json': JSON.stringify({
    name: 'typescript',
    version: '7.0.0',
    exports: { '.': './lib/version.cjs', './package.json': './package.json' },
  }),
  'node_modules/typescript/lib/version.cjs': 'module.exports = { version: "7.0.0" };\n',
};

describe('each file gets the nearest tsconfig that includes it', () => {
  it('finds the typed floating promise in src/ and in test/, whose tsconfig is separate', async () => {
    const root = projectWithSeparateTestTsconfig();
    const result = await runInProcess(['--project-service', '.'], root);
    expect(result.code).toBe(1);
    expect(floatingPromiseLines(result.stdout)).toEqual(['src/store.ts: line 5', 'test/store.test.ts: line 3']);
    expect(result.stderr).toBe('');
  });

  it('with "projectService": true in the config, as typescript-eslint users set it', async () => {
    const root = projectWithSeparateTestTsconfig({
      'asynclint.config.json': JSON.stringify({ extends: 'recommended', projectService: true }),
    });
    expect(floatingPromiseLines((await runInProcess(['.'], root)).stdout)).toEqual([
      'src/store.ts: line 5',
      'test/store.test.ts: line 3',
    ]);
    // --no-project-service turns the config's off: no types, so neither call is known to be a promise.
    expect(floatingPromiseLines((await runInProcess(['--no-project-service', '.'], root)).stdout)).toEqual([]);
  });

  it('--project <tsconfig> still forces one program, and says how many files it left without types', async () => {
    const root = projectWithSeparateTestTsconfig();
    const result = await runInProcess(['--project', 'tsconfig.json', '.'], root);
    expect(floatingPromiseLines(result.stdout)).toEqual(['src/store.ts: line 5']);
    expect(result.stderr).toMatch(
      /^asynclint: note: 1 file was linted without type information: outside the --project program[^\n]*\n$/,
    );
    expect(await runInProcess(['--project', 'tsconfig.json', '--project-service', '.'], root)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^asynclint: --project [^\n]*choose one\.\n$/),
    });
  });

  it('a tsconfig that does not include the file does not count, however near; nor does one that covers nothing', async () => {
    const root = projectWithSeparateTestTsconfig({
      // Nearer to test/unit/ than test/tsconfig.json, but for other files.
      'test/unit/tsconfig.json': JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['fixtures'] }),
      'test/unit/store.test.ts': STORE_TEST.replace('../src', '../../src'),
      'scripts/tsconfig.json': JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['nothing-here'] }),
    });
    const projects = new TypeScriptProjects();
    expect(projects.tsconfigFor(path.join(root, 'test/unit/store.test.ts'))).toBe(
      path.join(root, 'test/tsconfig.json'),
    );
    expect(projects.tsconfigFor(path.join(root, 'src/store.ts'))).toBe(path.join(root, 'tsconfig.json'));
    expect(projects.tsconfigFor(path.join(root, 'scripts/build.ts'))).toBeUndefined();
  });

  it('programs of one run share the files they have in common (lib files, an imported source) instead of parsing them again', async () => {
    const root = projectWithSeparateTestTsconfig();
    const projects = new TypeScriptProjects();
    type WithSourceFiles = {
      getSourceFiles(): { fileName: string; hasNoDefaultLib: boolean }[];
      getSourceFile(name: string): unknown;
    };
    const main = projects.programFor(path.join(root, 'src/store.ts')) as unknown as WithSourceFiles;
    const tests = projects.programFor(path.join(root, 'test/store.test.ts')) as unknown as WithSourceFiles;
    expect(tests).not.toBe(main);
    const lib = main.getSourceFiles().find((file) => file.hasNoDefaultLib)!;
    expect(tests.getSourceFile(lib.fileName)).toBe(lib);
    const store = path.join(root, 'src/store.ts');
    expect(tests.getSourceFile(store)).toBe(main.getSourceFile(store));
    // A new run reads files afresh.
    expect(new TypeScriptProjects().programFor(store)!.getSourceFile(store)).not.toBe(main.getSourceFile(store));
  });

  it("a planned run lints each tsconfig's files together, and lets a program go once its last file has its program", () => {
    const root = projectWithSeparateTestTsconfig({ 'src/other.ts': 'export const other = 1;\n' });
    const [store, other, test] = ['src/store.ts', 'src/other.ts', 'test/store.test.ts'].map((file) =>
      path.join(root, file),
    );
    const projects = new TypeScriptProjects();
    expect(projects.plan([store!, test!, other!])).toEqual([store, other, test]);
    const main = projects.programFor(store!);
    expect(projects.programFor(other!)).toBe(main);
    // Building the test program lets the finished one go; a file that asks again gets it rebuilt.
    const tests = projects.programFor(test!);
    expect(tests).not.toBe(main);
    const rebuilt = projects.programFor(store!);
    expect(rebuilt).not.toBe(main);
    expect(rebuilt?.getSourceFile(store!)).toBeDefined();
    // Without a plan (an editor, the API), no program is let go.
    const unplanned = new TypeScriptProjects();
    const first = unplanned.programFor(store!);
    unplanned.programFor(test!);
    expect(unplanned.programFor(store!)).toBe(first);
  });

  it('TypeScript parses only the JSDoc that carries types: all of it in JavaScript files, none in TypeScript files', () => {
    const commented = '/** Saves it. @returns {Promise<void>} */\nexport function save() {}\n';
    const root = scratch({
      'tsconfig.json': JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, allowJs: true }, include: ['src'] }),
      'src/typed.ts': commented,
      'src/untyped.js': commented,
    });
    const projects = new TypeScriptProjects();
    const jsDocOf = (file: string) => {
      const program = projects.programFor(path.join(root, file)) as unknown as {
        getSourceFile(name: string): { statements: { jsDoc?: unknown[] }[] };
      };
      return program.getSourceFile(path.join(root, file)).statements[0]!.jsDoc;
    };
    expect(jsDocOf('src/typed.ts')).toBeUndefined();
    expect(jsDocOf('src/untyped.js')).toHaveLength(1);
  });

  it('a solution tsconfig (files: [], references) hands each file to the referenced project that includes it', async () => {
    // The layout Vite's templates write: the tsconfig beside the files includes none of them.
    const root = scratch({
      'tsconfig.json': JSON.stringify({
        files: [],
        references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }],
      }),
      'tsconfig.app.json': JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['src'] }),
      'tsconfig.node.json': JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['server'] }),
      'src/store.ts': STORE,
      'server/store.ts': STORE,
    });
    const projects = new TypeScriptProjects();
    expect(projects.tsconfigFor(path.join(root, 'src/store.ts'))).toBe(path.join(root, 'tsconfig.app.json'));
    expect(projects.tsconfigFor(path.join(root, 'server/store.ts'))).toBe(path.join(root, 'tsconfig.node.json'));
    const result = await runInProcess(['--project-service', '.'], root);
    expect(floatingPromiseLines(result.stdout)).toEqual(['server/store.ts: line 5', 'src/store.ts: line 5']);
    expect(result.stderr).toBe('');
  });

  it('a file no tsconfig covers is linted without types, and a note says so once', async () => {
    const root = projectWithSeparateTestTsconfig({ 'loose.ts': STORE });
    const result = await runInProcess(['--project-service', '.'], root);
    expect(floatingPromiseLines(result.stdout)).toEqual(['src/store.ts: line 5', 'test/store.test.ts: line 3']);
    expect(result.stderr).toBe(
      "asynclint: note: 1 file was linted without type information: in no tsconfig's files, include or references (--debug lists them)\n",
    );
    expect((await runInProcess(['--project-service', '--debug', '.'], root)).stderr).toContain(
      'asynclint: debug: no type information: loose.ts\n',
    );
  });
});

describe('which TypeScript builds the programs', () => {
  it('a project with TypeScript 7 (no JS API) does not crash: ours builds them, and --debug says so once', () => {
    const root = projectWithSeparateTestTsconfig(TYPESCRIPT_7);
    const result = run(['--project-service', '.'], root);
    expect(result.code).toBe(1);
    expect(floatingPromiseLines(result.stdout)).toEqual(['src/store.ts: line 5', 'test/store.test.ts: line 3']);
    expect(result.stderr).toBe('');
    const debug = run(['--project-service', '--debug', '.'], root);
    const fallback = debug.stderr.split('\n').filter((line) => line.includes('has no JS API'));
    expect(fallback).toEqual([
      expect.stringMatching(
        /^asynclint: debug: the project's TypeScript 7\.0\.0 at node_modules\/typescript has no JS API \(no createProgram\); type information comes from TypeScript 5\.\d+\.\d+, bundled with asynclint$/,
      ),
    ]);
    expect(run(['--project', 'tsconfig.json', 'src'], root)).toMatchObject({ code: 1, stderr: '' });
  });

  it('a type-aware run loads one TypeScript and nothing that would load another (typescript-estree, ts-api-utils)', () => {
    const root = projectWithSeparateTestTsconfig(TYPESCRIPT_7);
    // Lists, as the process exits, the compilers and TypeScript consumers it loaded.
    const preload = path.join(mkdtempSync(path.join(tmpdir(), 'asynclint-preload-')), 'list-loaded.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((file) => /typescript-estree|ts-api-utils|typescript[\\/\\\\]lib/.test(file)))));\n",
    );
    const result = run(['--project-service', '.'], root, ['--require', preload]);
    expect(floatingPromiseLines(result.stdout)).toEqual(['src/store.ts: line 5', 'test/store.test.ts: line 3']);
    // The project's package entry is loaded only to see that it has no compiler in it.
    expect(JSON.parse(result.stderr)).toEqual([
      path.join(ROOT, 'node_modules', 'typescript', 'lib', 'typescript.js'),
      path.join(root, 'node_modules', 'typescript', 'lib', 'version.cjs'),
    ]);
  });

  it("uses the project's own TypeScript when it has the JS API", () => {
    // A stand-in for the project's TypeScript 6: our compiler under another version number.
    const ours = path.join(ROOT, 'node_modules', 'typescript');
    const root = projectWithSeparateTestTsconfig({
      'node_modules/typescript/package.json': JSON.stringify({
        name: 'typescript',
        version: '6.0.0',
        main: 'index.js',
      }),
      'node_modules/typescript/index.js': `module.exports = { ...require(${JSON.stringify(ours)}), version: '6.0.0' };\n`,
    });
    const result = run(['--project-service', '--debug', '.'], root);
    expect(floatingPromiseLines(result.stdout)).toEqual(['src/store.ts: line 5', 'test/store.test.ts: line 3']);
    expect(result.stderr).toContain(
      "asynclint: debug: program for test/tsconfig.json (TypeScript 6.0.0, the project's)\n",
    );
  });
});

describe("a tsconfig problem is one line with TypeScript's own text", () => {
  it("an unknown lib: the file, the position, TypeScript's message and which TypeScript read it; exit 2", () => {
    const root = projectWithSeparateTestTsconfig({
      'test/tsconfig.json': JSON.stringify({
        extends: '../tsconfig.json',
        compilerOptions: { lib: ['ES2099'] },
        include: ['.'],
      }),
    });
    const result = run(['--project-service', '.'], root);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^asynclint: test\/tsconfig\.json:1:\d+: Argument for '--lib' option must be: 'es5', [^\n]* \(TypeScript 5\.\d+\.\d+, bundled with asynclint\)\n$/,
    );
  });

  it('with --project, and when ours stands in for a TypeScript 7, the line says why ours read it', () => {
    const root = projectWithSeparateTestTsconfig({
      ...TYPESCRIPT_7,
      'tsconfig.json': JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, lib: ['ES2099'] }, include: ['src'] }),
    });
    const result = run(['--project', 'tsconfig.json', 'src', '--debug'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^asynclint: --project tsconfig\.json: tsconfig\.json:1:\d+: Argument for '--lib' option must be: [^\n]*, as the project's TypeScript 7\.0\.0 at node_modules\/typescript has no JS API \(no createProgram\)\)\n$/,
    );
  });
});
