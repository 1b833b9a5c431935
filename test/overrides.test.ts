/** Config overrides, JSON with comments and --print-config, through the CLI in this process. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/index.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'asynclint-overrides-'));
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  }
  return root;
}

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'asynclint', '--no-cache', ...args], {
    cwd,
    stdout: { write: (text: string) => ((stdout += text), true) } as NodeJS.WritableStream,
    stderr: { write: (text: string) => ((stderr += text), true) } as NodeJS.WritableStream,
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

const BLOCKING =
  "import { readFileSync } from 'node:fs';\nprocess.on('message', async (p) => {\n  return readFileSync(p, 'utf8');\n});\n";

describe('overrides', () => {
  it('a context override makes a script folder request code, and rules change per file', async () => {
    const root = project({
      'asynclint.config.json': `{
        // scripts/serve.js is a dev server, not a one-shot script
        "extends": "recommended",
        "overrides": [
          { "files": ["scripts/serve.js"], "context": "request" },
          { "files": ["src/legacy/**"], "rules": { "blocking-call": "off" } },
        ],
      }`,
      'scripts/serve.js': BLOCKING,
      'scripts/release.js': BLOCKING,
      'src/legacy/old.js': BLOCKING,
      'src/new.js': BLOCKING,
    });
    const result = await run(['-f', 'json', '.'], root);
    const reported = (JSON.parse(result.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[])
      .map((file) => ({
        ...file,
        messages: file.messages.filter((message) => message.ruleId === 'asynclint/blocking-call'),
      }))
      .filter((file) => file.messages.length > 0)
      .map(
        (file) =>
          `${path.relative(root, file.filePath)}:${file.messages.map((m) => `${m.line}:${m.ruleId}`).join(',')}`,
      );
    expect(reported.sort()).toEqual([
      'scripts/serve.js:3:asynclint/blocking-call',
      'src/new.js:3:asynclint/blocking-call',
    ]);
  });

  it('a bad override is one line naming the key, exit 2', async () => {
    const root = project({
      'asynclint.config.json': '{ "overrides": [{ "files": ["a/**"], "context": "server" }] }',
      'a/x.js': '',
    });
    const result = await run(['.'], root);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/overrides\[0\]\.context.*request, one-shot, tooling, bench, test/);
  });

  it('an unknown rule in an override is named', async () => {
    const root = project({
      'asynclint.config.json': '{ "overrides": [{ "files": ["a/**"], "rules": { "toString": "error" } }] }',
      'a/x.js': '',
    });
    const result = await run(['.'], root);
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toMatch(/unknown rule "toString"/);
  });
});

describe('--print-config', () => {
  it('shows the file context with its reason, and the rules after overrides', async () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'x', bin: { x: 'dist/cli.js' } }),
      'asynclint.config.json':
        '{ "extends": "recommended", "overrides": [{ "files": ["src/cli.ts"], "rules": { "await-in-loop": "off" } }] }',
      'src/cli.ts': 'export {};\n',
    });
    const result = await run(['--print-config', 'src/cli.ts'], root);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      context: { context: string; reason: string };
      rules: Record<string, unknown[]>;
    };
    expect(printed.context).toEqual({ context: 'one-shot', reason: 'package.json "bin" runs it as a command' });
    expect(printed.rules['await-in-loop']).toBeUndefined();
    expect(printed.rules['blocking-call']).toEqual(['error', expect.objectContaining({ contexts: ['request'] })]);
  });

  it('shows a file no package publishes as tooling, and why', async () => {
    const root = project({
      'package.json': JSON.stringify({ name: 'monorepo', private: true }),
      'asynclint.config.json': '{ "extends": "recommended" }',
      'scripts/release.mjs': 'export {};\n',
      'packages/cli/package.json': JSON.stringify({ name: 'cli', files: ['dist'] }),
      'packages/cli/docs/gen.mjs': '',
    });
    const printed = JSON.parse((await run(['--print-config', 'scripts/release.mjs'], root)).stdout) as {
      context: { context: string; reason: string };
      rules: Record<string, unknown[]>;
    };
    expect(printed.context).toEqual({
      context: 'tooling',
      reason: 'its package is private and it is under a "scripts" folder',
    });
    expect(printed.rules['await-in-loop']).toEqual([
      'warn',
      expect.objectContaining({ contexts: ['request', 'library', 'one-shot'] }),
    ]);
    const nested = JSON.parse((await run(['--print-config', 'packages/cli/docs/gen.mjs'], root)).stdout) as {
      context: { reason: string };
    };
    expect(nested.context.reason).toBe('its package\'s "files" leaves it out and it is under a "docs" folder');
  });

  it('accepts tooling as a context an override states', async () => {
    const root = project({
      'asynclint.config.json': '{ "overrides": [{ "files": ["ci/**"], "context": "tooling" }] }',
      'ci/merge.js': '',
    });
    const printed = JSON.parse((await run(['--print-config', 'ci/merge.js'], root)).stdout) as {
      context: { context: string };
    };
    expect(printed.context.context).toBe('tooling');
  });

  it('shows a context stated by the config', async () => {
    const root = project({
      'asynclint.config.json': '{ "overrides": [{ "files": ["test/**"], "context": "request" }] }',
      'test/server.js': '',
    });
    const printed = JSON.parse((await run(['--print-config', 'test/server.js'], root)).stdout) as {
      context: { context: string };
    };
    expect(printed.context.context).toBe('request');
  });
});
