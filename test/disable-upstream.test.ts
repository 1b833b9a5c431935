/**
 * `configs['disable-upstream']` in an ESLint flat config with typescript-eslint's typed preset,
 * eslint-plugin-n and ESLint's core rules: each shape ours replaces is reported once, by us;
 * without it, the same lines are reported twice or more. And it is harmless where those plugins are not loaded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tsPlugin from '@typescript-eslint/eslint-plugin';
import { ESLint, Linter } from 'eslint';
import nodePlugin from 'eslint-plugin-n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/languages/js/eslint-plugin/index.js';
import { rules } from '../rules/index.js';

/** One line per shape, each marked with the upstream rule that reports it too. */
const SERVER = `import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

async function save(id: string): Promise<void> {
  await fetch(\`https://example.test/save/\${id}\`);
}

async function isAdmin(id: string): Promise<boolean> {
  return id === 'root';
}

createServer(async (request, response) => {
  const ids: string[] = String(request.url).split(',');
  const saved: void[] = [];
  for (const id of ids) saved.push(await save(id)); // no-await-in-loop
  save('audit'); // @typescript-eslint/no-floating-promises
  ids.forEach(async (id) => { await save(id); }); // @typescript-eslint/no-misused-promises
  if (isAdmin('guest')) response.statusCode = 403; // @typescript-eslint/no-misused-promises
  const page = readFileSync('page.html', 'utf8'); // n/no-sync
  response.end(page + String(saved.length));
});

export function later(): Promise<void> {
  return new Promise(async (resolve) => { // no-async-promise-executor
    await save('later');
    resolve();
  });
}

export async function guarded(): Promise<void> {
  try {
    return save('guarded'); // @typescript-eslint/return-await
  } catch {
    return undefined;
  }
}
`;

const UPSTREAM = Object.keys(plugin.configs['disable-upstream'].rules);
const SHAPES = SERVER.split('\n').flatMap((text, index) => (/\/\/ (\S+)$/.test(text) ? [index + 1] : []));

let project = '';

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'asynclint-upstream-'));
  writeFileSync(path.join(project, 'package.json'), '{ "name": "shop", "private": true, "type": "module" }\n');
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', types: [] },
      include: ['*.ts'],
    }),
  );
  writeFileSync(path.join(project, 'server.ts'), SERVER);
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** The user's config: typescript-eslint typed, eslint-plugin-n, core rules, then ours (and perhaps disable-upstream). */
function userConfig(extra: Linter.Config[]): Linter.Config[] {
  return [
    ...(tsPlugin.configs['flat/recommended-type-checked'] as Linter.Config[]),
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: project } },
      plugins: { n: nodePlugin },
      rules: {
        'no-await-in-loop': 'error',
        'no-async-promise-executor': 'error',
        'n/no-sync': 'error',
        '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      },
    },
    ...(plugin.configs.recommended as Linter.Config[]),
    ...extra,
  ];
}

/** `line rule` for the rules that concern us: ours and the upstream ones. */
async function findings(config: Linter.Config[]): Promise<string[]> {
  const eslint = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: config });
  const [result] = await eslint.lintFiles(['server.ts']);
  expect(result!.messages.filter((message) => message.fatal)).toEqual([]);
  return result!.messages
    .filter(
      (message) => message.ruleId && (message.ruleId.startsWith('asynclint/') || UPSTREAM.includes(message.ruleId)),
    )
    .map((message) => `${message.line} ${message.ruleId}`);
}

const linesOf = (list: string[]) => list.map((finding) => Number(finding.split(' ')[0]));

describe("configs['disable-upstream']", () => {
  it('switches off exactly the upstream rules our rules name in their docs meta', () => {
    const named = new Set(Object.values(rules).flatMap((rule) => rule.meta.docs.upstream ?? []));
    expect(new Set(UPSTREAM)).toEqual(named);
    expect(UPSTREAM).toEqual(
      expect.arrayContaining([
        'no-await-in-loop',
        'no-async-promise-executor',
        '@typescript-eslint/no-floating-promises',
        '@typescript-eslint/no-misused-promises',
        '@typescript-eslint/return-await',
        'n/no-sync',
      ]),
    );
    expect(Object.values(plugin.configs['disable-upstream'].rules).every((severity) => severity === 'off')).toBe(true);
  });

  it('without it, each shape is reported twice or more: by us and by the rules we replace', async () => {
    const both = await findings(userConfig([]));
    expect([...new Set(linesOf(both))].sort((a, b) => a - b)).toEqual(SHAPES);
    for (const line of SHAPES) {
      const here = both.filter((finding) => finding.startsWith(`${line} `));
      expect(
        here.filter((finding) => finding.includes(' asynclint/')),
        `line ${line}`,
      ).toHaveLength(1);
      // The async executor is reported by no-async-promise-executor and no-misused-promises alike.
      expect(here.length, `line ${line}: ${here.join(', ')}`).toBeGreaterThanOrEqual(2);
    }
  });

  it('with it, each shape is reported once, by asynclint', async () => {
    const once = await findings(userConfig([plugin.configs['disable-upstream']]));
    expect(linesOf(once)).toEqual(SHAPES);
    for (const finding of once) expect(finding).toMatch(/^\d+ asynclint\//);
  });

  it('is harmless where typescript-eslint and eslint-plugin-n are not loaded', () => {
    const linter = new Linter();
    const config = [
      ...(plugin.configs.recommended as Linter.Config[]),
      plugin.configs['disable-upstream'],
    ] as Linter.Config[];
    const messages = linter.verify(
      'export async function f(ids) {\n  for (const id of ids) await fetch(id);\n}\n',
      config,
      { filename: 'plain.js' },
    );
    expect(messages.map((message) => message.ruleId)).toEqual(['asynclint/await-in-loop']);
  });
});
