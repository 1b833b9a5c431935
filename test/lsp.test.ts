/**
 * The language server end to end: `node bin/asynclint.js --lsp` spawned, spoken to over stdio by
 * a real JSON-RPC client (vscode-jsonrpc), as an editor would. No timing: each step waits for the
 * notification it expects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { ROOT } from './helpers.js';

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code?: string;
  source: string;
  message: string;
}

interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

interface CodeAction {
  title: string;
  kind: string;
  edit: { changes: Record<string, { range: Diagnostic['range']; newText: string }[]> };
}

const FLOATING = `declare function save(): Promise<void>;
export async function handler() {
  save();
}
`;

let workspace: string;
let server: ChildProcess;
let connection: MessageConnection;
const published: Published[] = [];
const waiting: { test: (item: Published) => boolean; resolve: (item: Published) => void }[] = [];

/** The next diagnostics published for `uri` that satisfy `test` (already received ones count). */
function diagnosticsFor(uri: string, test: (item: Published) => boolean = () => true): Promise<Published> {
  const match = (item: Published) => item.uri === uri && test(item);
  const seen = published.find(match);
  if (seen) {
    published.splice(published.indexOf(seen), 1);
    return Promise.resolve(seen);
  }
  return new Promise((resolve) => waiting.push({ test: match, resolve }));
}

function open(file: string, text: string): string {
  const uri = pathToFileURL(file).href;
  void connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'typescript', version: 1, text },
  });
  return uri;
}

beforeAll(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'asynclint-lsp-'));
  writeFileSync(path.join(workspace, 'asynclint.config.json'), JSON.stringify({ extends: 'recommended' }));
  server = spawn(process.execPath, [path.join(ROOT, 'bin', 'asynclint.js'), '--lsp'], {
    cwd: workspace,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', (params: Published) => {
    const waiter = waiting.find((entry) => entry.test(params));
    if (waiter) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(params);
    } else published.push(params);
  });
  connection.onNotification('window/showMessage', () => {});
  connection.listen();
  const initialized = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
  })) as { capabilities: { codeActionProvider?: unknown; textDocumentSync?: unknown } };
  expect(initialized.capabilities.codeActionProvider).toBeTruthy();
  await connection.sendNotification('initialized', {});
});

afterAll(async () => {
  await connection.sendRequest('shutdown').catch(() => {});
  await connection.sendNotification('exit').catch(() => {});
  connection.dispose();
  server.kill();
});

describe('asynclint --lsp', () => {
  it('publishes a floating promise on open, and offers its suggestions as code actions', async () => {
    const uri = open(path.join(workspace, 'handler.ts'), FLOATING);
    const { diagnostics } = await diagnosticsFor(uri);
    expect(diagnostics).toHaveLength(1);
    const [finding] = diagnostics;
    expect(finding).toMatchObject({
      code: 'floating-promise',
      source: 'asynclint',
      severity: 1,
      range: { start: { line: 2, character: 2 } },
    });

    const actions = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: finding!.range,
      context: { diagnostics },
    })) as CodeAction[];
    const addAwait = actions.find((action) => action.title === 'Add `await`.');
    expect(addAwait?.kind).toBe('quickfix');
    expect(addAwait?.edit.changes[uri]).toEqual([
      { range: { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } }, newText: 'await save()' },
    ]);
  });

  it('lints the edited text on change, and offers an autofix as the preferred action', async () => {
    const uri = open(path.join(workspace, 'edited.ts'), 'export const value = 1;\n');
    expect((await diagnosticsFor(uri)).diagnostics).toEqual([]);
    const text = `declare function load(): Promise<number>;
export async function read() {
  try {
    return load();
  } catch {
    return 0;
  }
}
`;
    void connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text }],
    });
    const { diagnostics } = await diagnosticsFor(uri, (item) => item.version === 2);
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['return-await-in-try']);
    const actions = (await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    })) as (CodeAction & { isPreferred?: boolean })[];
    const fix = actions.find((action) => action.isPreferred);
    expect(fix?.edit.changes[uri]?.[0]?.newText).toContain('await');
  });

  it('reads the config again when the editor reports that it changed', async () => {
    const file = path.join(workspace, 'config-change.ts');
    const uri = open(file, FLOATING);
    expect((await diagnosticsFor(uri)).diagnostics[0]?.severity).toBe(1);
    writeFileSync(
      path.join(workspace, 'asynclint.config.json'),
      JSON.stringify({ extends: 'recommended', rules: { 'floating-promise': 'warn' } }),
    );
    void connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(path.join(workspace, 'asynclint.config.json')).href, type: 2 }],
    });
    const again = await diagnosticsFor(uri);
    expect(again.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity])).toEqual([
      ['floating-promise', 2],
    ]);
  });

  it('lints again on save', async () => {
    const uri = open(path.join(workspace, 'saved.ts'), FLOATING);
    await diagnosticsFor(uri);
    void connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    expect((await diagnosticsFor(uri)).diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['floating-promise']);
  });
});
