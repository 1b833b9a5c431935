/** Between asynclint's findings (ESLint's shapes: 1-based lines and columns) and the protocol's (0-based). */
import path from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAMES } from '../config/index.js';
import type { EditInfo, LintMessage } from '../types.js';

export interface LintedDocument {
  version: number;
  messages: LintMessage[];
}

export function diagnosticFor(message: LintMessage, index: number, docsUrl: string | undefined): Diagnostic {
  const start = { line: message.line - 1, character: Math.max(0, message.column - 1) };
  const end =
    message.endLine === undefined
      ? start
      : { line: message.endLine - 1, character: Math.max(0, (message.endColumn ?? message.column) - 1) };
  return {
    range: { start, end },
    severity: message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'asynclint',
    message: message.message,
    ...(message.ruleId ? { code: message.ruleId } : {}),
    ...(docsUrl ? { codeDescription: { href: docsUrl } } : {}),
    data: { index },
  };
}

/** Fix ranges are offsets into the linted text, which is the document's text at that version. */
export function editFor(edit: EditInfo, document: TextDocument): TextEdit {
  return {
    range: { start: document.positionAt(edit.range[0]), end: document.positionAt(edit.range[1]) },
    newText: edit.text,
  };
}

/** A change to one of these can change the config (package.json: its "asynclint" key). */
export function isConfigFile(uri: string): boolean {
  const name = path.posix.basename(decodeURIComponent(uri));
  return CONFIG_FILE_NAMES.includes(name) || name === 'package.json';
}
