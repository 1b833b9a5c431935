/**
 * Golden tests: each formatter's output for a fixed set of results is compared with a reviewed
 * file in test/golden/. Regenerate with UPDATE_GOLDEN=1 after an intended change, and read the diff.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinFormatters, loadFormatter } from '../src/formatters/index.js';
import { BUILTIN_FORMATTER_NAMES, loadBuiltinFormatter } from '../src/formatters/builtin.js';
import { buildResult } from '../src/lint-result.js';
import { rules } from '../rules/index.js';
import type { LintResult, RuleMeta } from '../src/types.js';
import { ROOT } from './helpers.js';

const CWD = '/project';
const SOURCE = `async function load(ids) {
  const out = [];
  for (const id of ids) {
    out.push(await get(id));
  }
  return out;
}
`;

const loopMessage = rules['await-in-loop']!.meta.messages.awaitInLoop;

/** Deliberately unsorted, with a warning, an error, a fatal parse error, and characters to escape. */
function sampleResults(): LintResult[] {
  return [
    buildResult('/project/src/z-last.ts', [fatal()], [], 'const = 1;\n'),
    buildResult(
      '/project/src/loader.js',
      [
        {
          ruleId: 'await-in-loop',
          severity: 2,
          message: 'Second: <tag> & "quotes", 100% done\nnext line',
          line: 6,
          column: 10,
          endLine: 6,
          endColumn: 15,
          messageId: 'awaitInLoop',
          nodeType: 'AwaitExpression',
        },
        {
          ruleId: 'await-in-loop',
          severity: 1,
          message: loopMessage,
          line: 4,
          column: 14,
          endLine: 4,
          endColumn: 19,
          messageId: 'awaitInLoop',
          nodeType: 'AwaitExpression',
        },
      ],
      [],
      SOURCE,
    ),
    buildResult('/project/src/clean.ts', []),
  ];
}

function fatal() {
  return {
    ruleId: null,
    fatal: true,
    severity: 2 as const,
    message: 'Parsing error: Unexpected token',
    line: 1,
    column: 7,
    nodeType: null,
  };
}

const rulesMeta = Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.meta])) as Record<
  string,
  RuleMeta<string>
>;

function checkGolden(name: string, output: string): void {
  const file = path.join(ROOT, 'test', 'golden', name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, output);
  expect(existsSync(file), `${name} has no golden file (run with UPDATE_GOLDEN=1 and review it)`).toBe(true);
  expect(output).toBe(readFileSync(file, 'utf8'));
}

it('the CLI knows the same built-in formatters as the API, and no other name', () => {
  expect(BUILTIN_FORMATTER_NAMES).toEqual(Object.keys(builtinFormatters));
  expect(loadBuiltinFormatter('constructor')).toBeUndefined();
});

describe.each(Object.keys(builtinFormatters))('formatter %s', (name) => {
  it('matches its golden file', async () => {
    const output = await builtinFormatters[name]!(sampleResults(), { cwd: CWD, rulesMeta, color: false });
    checkGolden(`${name}.txt`, output);
  });

  it('is the one the CLI loads on its own (formatters/builtin.ts)', async () => {
    expect(await loadBuiltinFormatter(name)).toBe(builtinFormatters[name]);
  });

  it('is deterministic whatever order the results arrive in', async () => {
    const format = builtinFormatters[name]!;
    const forward = await format(sampleResults(), { cwd: CWD, rulesMeta, color: false });
    const backward = await format(sampleResults().reverse(), { cwd: CWD, rulesMeta, color: false });
    expect(backward).toBe(forward);
  });
});

describe.each(['stylish', 'codeframe', 'compact', 'github'])('human-facing formatter %s', (name) => {
  it('prints nothing for clean results', async () => {
    const output = await builtinFormatters[name]!([buildResult('/project/a.ts', [])], {
      cwd: CWD,
      rulesMeta,
      color: false,
    });
    expect(output).toBe('');
  });
});

describe('formatter details', () => {
  it('stylish colours only when the context says so', async () => {
    const coloured = await builtinFormatters.stylish!(sampleResults(), { cwd: CWD, rulesMeta, color: true });
    expect(coloured).toMatch(/\u001b\[/);
    const plain = await builtinFormatters.stylish!(sampleResults(), { cwd: CWD, rulesMeta, color: false });
    expect(plain).not.toMatch(/\u001b\[/);
  });

  it('json is exactly the result shape', async () => {
    const parsed = JSON.parse(await builtinFormatters.json!(sampleResults(), { cwd: CWD })) as LintResult[];
    expect(parsed.map((result) => result.filePath)).toEqual([
      '/project/src/clean.ts',
      '/project/src/loader.js',
      '/project/src/z-last.ts',
    ]);
    expect(Object.keys(parsed[1]!).sort()).toEqual([
      'errorCount',
      'fatalErrorCount',
      'filePath',
      'fixableErrorCount',
      'fixableWarningCount',
      'messages',
      'source',
      'suppressedMessages',
      'usedDeprecatedRules',
      'warningCount',
    ]);
  });

  it('json and json-with-metadata name rules as ESLint does, so ESLint tooling links them to our docs', async () => {
    const parsed = JSON.parse(await builtinFormatters.json!(sampleResults(), { cwd: CWD })) as LintResult[];
    expect(parsed.flatMap((result) => result.messages.map((message) => message.ruleId))).toEqual([
      'asynclint/await-in-loop',
      'asynclint/await-in-loop',
      null,
    ]);
    const withMetadata = JSON.parse(
      await builtinFormatters['json-with-metadata']!(sampleResults(), { cwd: CWD, rulesMeta }),
    ) as {
      results: LintResult[];
      metadata: { cwd: string; rulesMeta: Record<string, RuleMeta<string>> };
    };
    expect(withMetadata.results).toEqual(parsed);
    expect(withMetadata.metadata.cwd).toBe(CWD);
    expect(Object.keys(withMetadata.metadata.rulesMeta).sort()).toEqual(
      Object.keys(rules)
        .map((id) => `asynclint/${id}`)
        .sort(),
    );
    expect(withMetadata.metadata.rulesMeta['asynclint/await-in-loop']!.docs.url).toMatch(
      /docs\/rules\/await-in-loop\.md$/,
    );
  });

  it('a suppressed finding is named with the prefix too', async () => {
    const suppressed = {
      ruleId: 'floating-promise',
      severity: 2 as const,
      message: 'm',
      line: 1,
      column: 1,
      suppressions: [{ kind: 'directive' as const, justification: '' }],
    };
    const [result] = JSON.parse(
      await builtinFormatters.json!([buildResult('/project/a.ts', [], [suppressed])], { cwd: CWD }),
    ) as LintResult[];
    expect(result!.suppressedMessages.map((message) => message.ruleId)).toEqual(['asynclint/floating-promise']);
  });

  it('sarif has one reporting descriptor per rule and relative URIs', async () => {
    const log = JSON.parse(await builtinFormatters.sarif!(sampleResults(), { cwd: CWD, rulesMeta }));
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(Object.keys(rules).sort());
    expect(run.tool.driver.rules[0].helpUri).toMatch(/^https:\/\//);
    expect(
      run.results.map(
        (result: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          result.locations[0]!.physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(['src/loader.js', 'src/loader.js']);
  });

  it('loads a formatter module by path, and eslint-formatter-* packages by short name', async () => {
    const directory = path.join(ROOT, 'test', 'golden');
    const custom = await loadFormatter('./custom-formatter.mjs', directory);
    expect(await custom(sampleResults(), { cwd: CWD })).toBe('3 results');
    await expect(loadFormatter('definitely-not-installed', ROOT)).rejects.toThrow(
      /eslint-formatter-definitely-not-installed/,
    );
  });

  it('finds eslint-formatter-<name> and @scope/eslint-formatter-<name> packages from the working directory', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'asynclint-formatter-'));
    for (const name of ['eslint-formatter-fake', '@acme/eslint-formatter-team']) {
      const folder = path.join(project, 'node_modules', name);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
      writeFileSync(
        path.join(folder, 'index.js'),
        `module.exports = (results, context) => '${name}: ' + results.length + ' in ' + context.cwd;`,
      );
    }
    const fake = await loadFormatter('fake', project);
    expect(await fake(sampleResults(), { cwd: '/x' })).toBe('eslint-formatter-fake: 3 in /x');
    const scoped = await loadFormatter('@acme/team', project);
    expect(await scoped(sampleResults(), { cwd: '/x' })).toBe('@acme/eslint-formatter-team: 3 in /x');
  });

  it('gives a formatter package what ESLint gives it: prefixed rule ids and rulesMeta keyed by them', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'asynclint-formatter-'));
    const folder = path.join(project, 'node_modules', 'eslint-formatter-links');
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({ name: 'eslint-formatter-links', main: 'index.js' }),
    );
    // Links each finding the way eslint-formatter-* packages do: the rule's docs.url, else ESLint's core docs.
    writeFileSync(
      path.join(folder, 'index.js'),
      `module.exports = (results, context) => results.flatMap((result) => result.messages)
        .filter((message) => message.ruleId)
        .map((message) => message.ruleId + ' ' + (context.rulesMeta[message.ruleId]?.docs?.url ?? 'https://eslint.org/docs/rules/' + message.ruleId))
        .join('\\n');`,
    );
    const links = await loadFormatter('links', project);
    const lines = String(await links(sampleResults(), { cwd: CWD, rulesMeta })).split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(/^asynclint\/await-in-loop https:\/\/\S+\/docs\/rules\/await-in-loop\.md$/);
  });
});
