/**
 * `asynclint --lsp`: a language server over standard input and output. Documents are linted as
 * they are opened, changed and saved (the editor's text, not the file on disk); each finding's
 * fix and suggestions are code actions. The config is the one the CLI would use from the
 * workspace folder, read again when the editor reports that a config file changed.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  forgetRecentFileVersions,
  isLintableFile,
  lintTextAs,
  prepareLanguagesFor,
  rules,
} from '../languages/index.js';
import type { LintMessage } from '../types.js';
import { discoverFiles } from '../runner/discover.js';
import { diagnosticFor, editFor, isConfigFile, type LintedDocument } from './convert.js';
import { loadWorkspaceConfig, type WorkspaceConfig } from './workspace.js';

export async function runLanguageServer(cwd: string): Promise<number> {
  // Documents are linted synchronously as they change: every language's parser is loaded first.
  await prepareLanguagesFor();
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const server = new AsynclintServer(connection, cwd);
  server.listen();
  return new Promise((resolve) => connection.onExit(() => resolve(0)));
}

class AsynclintServer {
  private readonly documents = new TextDocuments(TextDocument);
  /** What each open document's last lint found, for code actions on that version. */
  private readonly linted = new Map<string, LintedDocument>();
  private workspace: WorkspaceConfig;
  private root: string;
  private canRegisterWatchers = false;

  constructor(
    private readonly connection: Connection,
    cwd: string,
  ) {
    this.root = cwd;
    this.workspace = loadWorkspaceConfig(cwd);
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      this.reportConfigError();
      if (!this.canRegisterWatchers) return;
      // Editors that let a server ask for file events tell it about config files outside the open ones.
      const watchers = [{ globPattern: '**/{asynclint.config.json,.asynclintrc.json,package.json}' }];
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    });
    documents.onDidChangeContent(({ document }) => this.lint(document));
    documents.onDidSave(({ document }) => this.lint(document));
    documents.onDidClose(({ document }) => {
      this.linted.delete(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    });
    connection.onDidChangeWatchedFiles(({ changes }) => {
      // An imported file may have changed what a document's findings depend on, so all are linted again.
      forgetRecentFileVersions();
      if (changes.some((change) => isConfigFile(change.uri))) {
        this.workspace = loadWorkspaceConfig(this.root);
        this.reportConfigError();
      }
      for (const document of documents.all()) this.lint(document);
    });
    connection.onCodeAction(({ textDocument, range }) => {
      const linted = this.linted.get(textDocument.uri);
      const document = documents.get(textDocument.uri);
      if (!linted || !document || linted.version !== document.version) return [];
      return linted.messages.flatMap((message, index) =>
        overlaps(message, range) ? this.actionsFor(message, index, document) : [],
      );
    });
    documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (folder?.startsWith('file:')) {
      this.root = fileURLToPath(folder);
      this.workspace = loadWorkspaceConfig(this.root);
    }
    this.canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'asynclint' },
    };
  }

  private reportConfigError(): void {
    if (this.workspace.error) void this.connection.window.showErrorMessage(`asynclint: ${this.workspace.error}`);
  }

  private lint(document: TextDocument): void {
    const filePath = document.uri.startsWith('file:')
      ? fileURLToPath(document.uri)
      : path.join(this.root, 'untitled.ts');
    const messages = this.isLinted(filePath) ? this.messagesFor(document.getText(), filePath) : [];
    this.linted.set(document.uri, { version: document.version, messages });
    const diagnostics: Diagnostic[] = messages.map((message, index) =>
      diagnosticFor(message, index, rules[message.ruleId ?? '']?.meta.docs.url),
    );
    void this.connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  }

  /** Not a source file, or one the config or .gitignore-style ignores leave out: the CLI would not lint it either. */
  private isLinted(filePath: string): boolean {
    if (!isLintableFile(filePath)) return false;
    if (!existsSync(filePath)) return true;
    const { config } = this.workspace;
    try {
      return (
        discoverFiles([filePath], { cwd: this.root, ignores: config.ignores, baseDirectory: config.baseDirectory })
          .files.length > 0
      );
    } catch {
      return true;
    }
  }

  private messagesFor(text: string, filePath: string): LintMessage[] {
    const { config, configForFile } = this.workspace;
    const fileConfig = configForFile(config, filePath);
    const result = lintTextAs(text, {
      filename: filePath,
      cwd: this.root,
      frontEnd: 'fast',
      rules: fileConfig.rules,
      settings: fileConfig.settings,
      inlineConfig: true,
    });
    return result.messages;
  }

  private actionsFor(message: LintMessage, index: number, document: TextDocument): CodeAction[] {
    const diagnostic = diagnosticFor(message, index, rules[message.ruleId ?? '']?.meta.docs.url);
    const uri = document.uri;
    const actions: CodeAction[] = [];
    if (message.fix) {
      const title = `Fix: ${message.ruleId ?? 'asynclint'}`;
      actions.push({
        title,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [diagnostic],
        edit: { changes: { [uri]: [editFor(message.fix, document)] } },
      });
    }
    for (const suggestion of message.suggestions ?? []) {
      actions.push({
        title: suggestion.desc,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [uri]: [editFor(suggestion.fix, document)] } },
      });
    }
    return actions;
  }
}

/** The finding's span touches the range the editor asks about (a cursor is an empty range). */
function overlaps(
  message: LintMessage,
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
): boolean {
  const start = { line: message.line - 1, character: message.column - 1 };
  const end = { line: (message.endLine ?? message.line) - 1, character: (message.endColumn ?? message.column) - 1 };
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character < b.character);
  return !before(end, range.start) && !before(range.end, start);
}
