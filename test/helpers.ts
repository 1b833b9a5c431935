import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import plugin from '../src/languages/js/eslint-plugin/index.js';
import {
  createTypeScriptProgram,
  isLintableFile,
  type FrontEnd,
  type TypeScriptProgram,
} from '../src/languages/js/parser/index.js';
import { lintSource } from '../src/languages/js/lint-text.js';
import { rules } from '../rules/index.js';
import type { LintMessage } from '../src/types.js';
import { SILENCE_LISTENER_SETTING, type SilenceListener } from '../src/languages/js/analysis/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');

export interface Fixture {
  ruleId: string;
  file: string;
  text: string;
  /** `line:column:ruleId` for every `// expect: <rule-id>@<column>` marker (column 1-based). */
  expected: string[];
  /** `line -> reasons` for every `// expect-silent: <reason>[, <reason>]` marker, reasons sorted. */
  silent: Map<number, string[]>;
  /** The file says it has no diagnostics. */
  declaredClean: boolean;
  options: unknown[];
  /** The fixture folder's tsconfig.json: such fixtures are linted with type information. */
  tsconfig: string | null;
}

/** A fixture's markers, written in its language's line comments (`//` for JS/TS, `#` for Python). */
function markers(comment: string) {
  const lead = comment.replace(/[/]/g, '\\/');
  return {
    expect: new RegExp(`${lead}\\s*expect:\\s*([\\w@-]+(?:\\s*,\\s*[\\w@-]+)*)\\s*$`),
    silent: new RegExp(`${lead}\\s*expect-silent:\\s*([\\w-]+(?:\\s*,\\s*[\\w-]+)*)\\s*$`),
    options: new RegExp(`^${lead}\\s*options:\\s*(.*)$`, 'm'),
    clean: new RegExp(`^${lead} no diagnostics`),
  };
}
/** `await-in-loop@5`: the rule and the column its finding starts at, as LintMessage counts it. */
const EXPECTED_FINDING = /^([\w-]+)@(\d+)$/;

export function parseFixture(ruleId: string, file: string, text: string, comment = '//'): Fixture {
  const marker = markers(comment);
  const expected: string[] = [];
  const silent = new Map<number, string[]>();
  text.split('\n').forEach((line, index) => {
    const match = marker.expect.exec(line);
    for (const finding of match ? match[1]!.split(',') : []) {
      // A marker without its column would let a finding drift along the line unnoticed.
      const parts = EXPECTED_FINDING.exec(finding.trim());
      if (!parts)
        throw new Error(`${file}:${index + 1}: write the marker as <rule-id>@<column>, not "${finding.trim()}"`);
      expected.push(`${index + 1}:${parts[2]}:${parts[1]}`);
    }
    const silence = marker.silent.exec(line);
    if (silence)
      silent.set(
        index + 1,
        silence[1]!
          .split(',')
          .map((reason) => reason.trim())
          .sort(),
      );
  });
  const optionsMatch = marker.options.exec(text.split('\n').slice(0, 3).join('\n'));
  return {
    ruleId,
    file,
    text,
    expected,
    silent,
    declaredClean: marker.clean.test(text),
    options: optionsMatch ? (JSON.parse(optionsMatch[1]!) as unknown[]) : [],
    tsconfig: existsSync(path.join(path.dirname(file), 'tsconfig.json'))
      ? path.join(path.dirname(file), 'tsconfig.json')
      : null,
  };
}

/** Fixture folders of languages other than JS/TS (`fixtures/python/<rule-id>/`); JS/TS's sit at the top. */
export const LANGUAGE_FIXTURE_FOLDERS = ['python'];

export function loadFixtures(
  root = FIXTURES,
  isFixtureFile: (name: string) => boolean = isLintableFile,
  comment = '//',
): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const ruleId of readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !(root === FIXTURES && LANGUAGE_FIXTURE_FOLDERS.includes(entry.name)))
    .map((entry) => entry.name)
    .sort()) {
    const directory = path.join(root, ruleId);
    const stack = [directory];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else if (isFixtureFile(entry.name))
          fixtures.push(parseFixture(ruleId, full, readFileSync(full, 'utf8'), comment));
      }
    }
  }
  return fixtures.sort((a, b) => a.file.localeCompare(b.file));
}

const programs = new Map<string, TypeScriptProgram>();

/** One program per tsconfig for the whole test run, as the CLI does per run. */
export function programFor(tsconfig: string): TypeScriptProgram {
  let program = programs.get(tsconfig);
  if (!program) programs.set(tsconfig, (program = createTypeScriptProgram(tsconfig)));
  return program;
}

export function lintWithEngine(
  text: string,
  filename: string,
  ruleId: string,
  options: unknown[],
  frontEnd: FrontEnd,
  tsconfig: string | null = null,
  settings?: Record<string, unknown>,
): LintMessage[] {
  const rule = rules[ruleId];
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const typed = tsconfig ? { programs: [programFor(tsconfig)] } : undefined;
  const frontEndUsed = tsconfig ? 'typed' : frontEnd;
  const configured = [{ id: ruleId, rule, severity: 2 as const, options }];
  return lintSource(text, { filename, cwd: FIXTURES, frontEnd: frontEndUsed, typed, settings, rules: configured })
    .messages;
}

/**
 * Lints like `lintWithEngine` and also collects why the rule stayed silent (src/languages/js/analysis/silence.ts):
 * `line -> reasons`, sorted, where `reported` stands for a node the rule reported about instead.
 * A whole-file silence (given on the Program node) is line 1's: the header line carries its marker.
 */
export function lintWithSilences(
  text: string,
  filename: string,
  ruleId: string,
  options: unknown[],
  frontEnd: FrontEnd,
  tsconfig: string | null = null,
): { messages: LintMessage[]; silences: Map<number, string[]> } {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineOf = (offset: number) => lineStarts.filter((start) => start <= offset).length;
  const found = new Map<number, Set<string>>();
  const listener: SilenceListener = (node, reason) => {
    const line = node.type === 'Program' ? 1 : lineOf(node.range[0]);
    found.set(line, (found.get(line) ?? new Set()).add(reason ?? 'reported'));
  };
  const settings = { [SILENCE_LISTENER_SETTING]: listener };
  const messages = lintWithEngine(text, filename, ruleId, options, frontEnd, tsconfig, settings);
  const silences = new Map([...found].sort(([a], [b]) => a - b).map(([line, reasons]) => [line, [...reasons].sort()]));
  return { messages, silences };
}

export function lintWithEslint(
  text: string,
  filename: string,
  ruleId: string,
  options: unknown[],
  tsconfig: string | null = null,
  cwd = FIXTURES,
): Linter.LintMessage[] {
  const linter = new Linter({ cwd });
  const config = [
    ...(plugin.configs.recommended as Linter.Config[]),
    ...(tsconfig
      ? [
          {
            files: ['**/*.ts'],
            languageOptions: { parserOptions: { project: tsconfig, tsconfigRootDir: path.dirname(tsconfig) } },
          },
        ]
      : []),
    { files: ['**/*.jsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    { rules: Object.fromEntries(Object.keys(rules).map((id) => [`asynclint/${id}`, 'off'])) },
    { files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'], rules: { [`asynclint/${ruleId}`]: ['error', ...options] } },
  ] as Linter.Config[];
  return linter.verify(text, config, { filename });
}

/** What parity compares: rule, position and text of each finding. */
export function comparable(
  messages: readonly { ruleId: string | null; line: number; column: number; message: string; fatal?: boolean }[],
): string[] {
  return messages.map(
    (message) =>
      `${message.line}:${message.column} ${message.ruleId?.replace(/^asynclint\//, '') ?? (message.fatal ? 'FATAL' : '-')} ${message.message}`,
  );
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd: string;
  /** Standard input, for `--stdin` (empty when not given, as a closed pipe). */
  input?: string;
  /** Defaults to this process's environment without colour, as the spawned runs had it. */
  env?: NodeJS.ProcessEnv;
  /** Whether standard output and error look like a terminal (colour, progress bar). */
  isTTY?: boolean;
}

/**
 * The CLI run in this process: `main(argv, io)` as bin/asynclint.js calls it, with its output
 * captured. A spawned run costs a Node start and the loading of every module; this costs
 * neither. End-to-end behaviour of the real binary (exit status, pipes, signals) keeps a few
 * spawned tests of its own.
 */
export async function runCli(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  // Loaded on first use, so that test files without CLI tests do not load the CLI.
  const { main } = await import('../src/cli/index.js');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture = (into: string[]) => ({
    isTTY: options.isTTY ?? false,
    write(text: string) {
      into.push(text);
      return true;
    },
  });
  const code = await main(['node', 'asynclint', ...args], {
    stdout: capture(stdout),
    stderr: capture(stderr),
    cwd: options.cwd,
    env: options.env ?? { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    readStdin: () => Promise.resolve(options.input ?? ''),
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** The fixed headings of every rule's docs page, in order (docs.test.ts, and Python's in python/fixtures.test.ts). */
export const DOC_HEADINGS = [
  'What it does',
  'Why is this bad?',
  'Example',
  'Use instead',
  'Where it reports',
  'Options',
  'When it is fine',
];

/** Whole seconds, a minute ago: a time that can be set again exactly, past any "just written" window. */
export const SETTLED_TIME = Math.floor(Date.now() / 1000) - 60;

/** A folder under the system's temporary one with these files, each dated SETTLED_TIME. */
export function writeSettledProject(prefix: string, files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    utimesSync(file, SETTLED_TIME, SETTLED_TIME);
  }
  return root;
}
