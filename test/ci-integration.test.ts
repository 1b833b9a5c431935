/**
 * The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml): both files
 * parse, and the commands they run are valid asynclint invocations, run here on a fixture.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { validateSarif } from './sarif-schema.js';

const BIN = path.join(ROOT, 'bin', 'asynclint.js');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
};

interface ActionStep {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  language: string;
  types_or?: string[];
  args?: string[];
}[];

const FLOATING = 'declare function save(): Promise<void>;\nexport function run() {\n  save();\n}\n';
let fixture: string;

beforeAll(() => {
  fixture = mkdtempSync(path.join(tmpdir(), 'asynclint-action-'));
  mkdirSync(path.join(fixture, 'src'));
  writeFileSync(path.join(fixture, 'src', 'floating.ts'), FLOATING);
  writeFileSync(path.join(fixture, 'src', 'clean.ts'), 'export const value = 1;\n');
});

/** `${{ inputs.name }}` with the inputs given, else their defaults; any other expression fails the test. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => {
    expect(action.inputs[name], `input ${name} is declared`).toBeDefined();
    return inputs[name] ?? action.inputs[name]!.default ?? '';
  });
}

/** Runs the action's lint step as the runner would (bash -e), with asynclint from this checkout. */
function runLintStep(inputs: Record<string, string>) {
  const step = action.runs.steps.find((candidate) => candidate.id === 'lint')!;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(step.env ?? {})) {
    env[name] = name === 'ASYNCLINT' ? `${process.execPath} ${BIN} --no-cache` : expand(value, inputs);
  }
  const outputFile = path.join(mkdtempSync(path.join(tmpdir(), 'asynclint-output-')), 'output');
  writeFileSync(outputFile, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: fixture,
    encoding: 'utf8',
    env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile, NO_COLOR: '1' },
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=', 2) as [string, string]),
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs, running asynclint through npx', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['paths', 'format', 'args', 'setup-node', 'node-version', 'sarif-file', 'upload'])
      expect(action.inputs[input]?.description, input).toBeTruthy();
    const lint = action.runs.steps.find((step) => step.id === 'lint')!;
    expect(lint.env!.ASYNCLINT).toMatch(new RegExp(`^npx --yes ${packageJson.name}\\b`));
    expect(Object.keys(packageJson.bin)).toContain('asynclint');
    expect(
      action.runs.steps.some(
        (step) => step.uses?.startsWith('actions/setup-node@') && step.if?.includes("inputs.setup-node == 'true'"),
      ),
    ).toBe(true);
    const upload = action.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.if).toContain("inputs.format == 'sarif'");
    expect(upload.with!.sarif_file).toContain('inputs.sarif-file');
  });

  it('format sarif writes a valid SARIF report for code scanning and does not fail on findings', () => {
    const result = runLintStep({ format: 'sarif', paths: 'src' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'asynclint.sarif' });
    const log = JSON.parse(readFileSync(path.join(fixture, 'asynclint.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[]; tool: { driver: { rules: { help: { markdown: string } }[] } } }[];
    };
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0]!.results.map((finding) => finding.ruleId)).toEqual(['floating-promise']);
    // The CLI hands the rule docs to the formatter: help is the documentation page.
    expect(log.runs[0]!.tool.driver.rules[0]!.help.markdown).toMatch(/^# /);
  });

  it('format annotations prints workflow commands and fails the step on errors', () => {
    const result = runLintStep({ format: 'annotations', paths: 'src', args: '--max-warnings 0' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=src\/floating\.ts,line=3/m);
  });

  it('an unknown format and a usage error fail the step', () => {
    expect(runLintStep({ format: 'xml' }).code).toBe(2);
    expect(runLintStep({ format: 'sarif', paths: 'no-such-folder' }).code).toBe(2);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('defines a node hook whose entry is the package bin', () => {
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    expect(hook).toMatchObject({ id: 'asynclint', language: 'node' });
    expect(hook!.types_or).toEqual(expect.arrayContaining(['javascript', 'ts']));
    expect(packageJson.bin[hook!.entry.split(' ')[0]!]).toBe('bin/asynclint.js');
  });

  it('runs as pre-commit runs it: the entry, its args, then the file names', () => {
    const [hook] = hooks;
    const run = (files: string[]) =>
      spawnSync(
        process.execPath,
        [BIN, '--no-cache', ...hook!.entry.split(' ').slice(1), ...(hook!.args ?? []), ...files],
        { cwd: fixture, encoding: 'utf8' },
      );
    expect(run(['src/clean.ts']).status).toBe(0);
    const flagged = run(['src/clean.ts', 'src/floating.ts']);
    expect(flagged.status).toBe(1);
    expect(flagged.stdout).toContain('floating-promise');
  });
});
