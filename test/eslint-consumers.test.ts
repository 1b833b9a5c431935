/**
 * What tools built for ESLint read from the CLI: `-f json` names rules `asynclint/<id>` with the
 * same message text ESLint gives, for every fixture, and a formatter module gets `rulesMeta`
 * keyed by those ids with each rule's docs URL. Through main(argv, io), in this process.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  LANGUAGE_FIXTURE_FOLDERS,
  lintWithEslint,
  loadFixtures,
  ROOT,
  runCli as runInProcess,
} from './helpers.js';

interface JsonMessage {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
}

interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
}

const describeMessage = (message: JsonMessage) =>
  `${message.line}:${message.column} ${message.ruleId} ${message.message}`;

let copy = '';
const cliMessagesByFile = new Map<string, JsonMessage[]>();
// A copy of the fixtures, so a config file beside them can give each one its rule and options.
const fixtures = loadFixtures();

function runCli(args: string[], cwd: string) {
  return runInProcess(['--no-cache', ...args], { cwd });
}

beforeAll(async () => {
  copy = mkdtempSync(path.join(tmpdir(), 'asynclint-consumers-'));
  cpSync(FIXTURES, copy, { recursive: true });
  const overrides = fixtures.map((fixture) => ({
    files: [path.relative(FIXTURES, fixture.file).split(path.sep).join('/')],
    rules: { [fixture.ruleId]: ['error', ...fixture.options] },
  }));
  // No `extends`: a config file without one starts from no rules, so each file runs its own rule only.
  writeFileSync(path.join(copy, 'asynclint.config.json'), JSON.stringify({ overrides }));
  const run = await runCli(['-f', 'json', '.'], copy);
  if (run.code !== 0 && run.code !== 1) throw new Error(`asynclint exited ${run.code}: ${run.stderr}`);
  for (const result of JSON.parse(run.stdout) as JsonResult[]) {
    const relative = path.relative(copy, result.filePath);
    // Other languages' fixtures are linted too, but ESLint has nothing to compare them with.
    if (LANGUAGE_FIXTURE_FOLDERS.some((folder) => relative.startsWith(`${folder}${path.sep}`))) continue;
    cliMessagesByFile.set(relative, result.messages);
  }
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('CLI json output and ESLint agree on rule ids and message text', () => {
  it('linted every fixture', () => {
    expect([...cliMessagesByFile.keys()].sort()).toEqual(
      fixtures.map((fixture) => path.relative(FIXTURES, fixture.file)).sort(),
    );
  });

  it.each(fixtures.map((fixture) => [path.relative(ROOT, fixture.file), fixture] as const))('%s', (_name, fixture) => {
    const relative = path.relative(FIXTURES, fixture.file);
    // Without --project on our side, ESLint too lints typed fixtures without a TypeScript program.
    const eslint = lintWithEslint(
      fixture.text,
      path.join(copy, relative),
      fixture.ruleId,
      fixture.options,
      null,
      copy,
    ).map(describeMessage);
    const cli = (cliMessagesByFile.get(relative) ?? []).map(describeMessage);
    expect(cli).toEqual(eslint);
    for (const line of cli) expect(line).toMatch(new RegExp(`^\\d+:\\d+ asynclint/${fixture.ruleId} `));
  });
});

describe('a formatter module run by the CLI', () => {
  it('gets prefixed rule ids and rulesMeta with each rule docs URL, as ESLint gives it', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'asynclint-consumers-'));
    writeFileSync(path.join(project, 'package.json'), '{ "name": "demo", "private": true }\n');
    writeFileSync(
      path.join(project, 'server.js'),
      'export async function load(ids) {\n  const out = [];\n  for (const id of ids) out.push(await fetch(id));\n  return out;\n}\n',
    );
    writeFileSync(
      path.join(project, 'links.mjs'),
      `export default (results, context) => results.flatMap((result) => result.messages)
  .map((message) => message.ruleId + ' ' + context.rulesMeta[message.ruleId]?.docs?.url).join('\\n');\n`,
    );
    const run = await runCli(['-f', './links.mjs', 'server.js'], project);
    rmSync(project, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^asynclint\/await-in-loop https:\/\/\S+\/docs\/rules\/await-in-loop\.md$/);
  });
});
