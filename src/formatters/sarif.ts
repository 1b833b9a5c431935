import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { relativePath, sortedResults, type FormatterContext } from './shared.js';
import type { LintMessage, LintResult, RuleMeta } from '../types.js';
import { VERSION } from '../version.js';

/**
 * SARIF 2.1.0 for code-scanning upload (GitHub code scanning reads it): one reportingDescriptor
 * per rule with its documentation as help, relative percent-encoded artifact URIs, and a
 * fingerprint per result so an alert survives lines being added above it.
 */
export function formatSarif(results: LintResult[], context: FormatterContext): string {
  const rulesMeta = context.rulesMeta ?? {};
  const ruleIds = Object.keys(rulesMeta).sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const sarifResults = [];
  const invocationNotifications = [];
  for (const result of sortedResults(results)) {
    const artifactLocation = artifactLocationFor(result.filePath, context.cwd);
    const fingerprints = lineFingerprints(result);
    for (const message of result.messages) {
      const location = { physicalLocation: { artifactLocation, region: regionOf(message) } };
      if (message.ruleId === null) {
        // Parse errors and unused directives are about the run, not a rule.
        invocationNotifications.push({
          level: levelOf(message),
          message: { text: message.message },
          locations: [location],
        });
        continue;
      }
      const fingerprint = fingerprints.get(message);
      sarifResults.push({
        ruleId: message.ruleId,
        ...(ruleIndex.has(message.ruleId) ? { ruleIndex: ruleIndex.get(message.ruleId) } : {}),
        level: levelOf(message),
        message: { text: message.message },
        locations: [location],
        ...(fingerprint ? { partialFingerprints: { primaryLocationLineHash: fingerprint } } : {}),
      });
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'asynclint',
            version: VERSION,
            informationUri: 'https://github.com/asynclint/asynclint',
            rules: ruleIds.map((id) => reportingDescriptor(id, rulesMeta[id]!, context.ruleDocs?.[id])),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(context.cwd).href.replace(/\/?$/, '/')}` } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: invocationNotifications }],
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function levelOf(message: LintMessage): 'error' | 'warning' {
  return message.severity === 2 ? 'error' : 'warning';
}

function regionOf(message: LintMessage) {
  return {
    startLine: message.line,
    // SARIF columns start at 1; a parser may report column 0 for the start of a line.
    startColumn: Math.max(1, message.column),
    ...(message.endLine ? { endLine: message.endLine } : {}),
    ...(message.endColumn ? { endColumn: Math.max(1, message.endColumn) } : {}),
  };
}

/**
 * A file under the working directory is a relative reference against %SRCROOT%, each segment
 * percent-encoded: `#` and `?` would otherwise start a fragment or a query, and spaces and
 * non-ASCII characters are not allowed in a URI. Anything else is an absolute file URL.
 */
export function artifactLocationFor(filePath: string, cwd: string): { uri: string; uriBaseId?: string } {
  const relative = relativePath(filePath, cwd);
  if (path.isAbsolute(relative)) return { uri: pathToFileURL(filePath).href };
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * `primaryLocationLineHash`-style fingerprints: a hash of the rule id and the finding's line with
 * its whitespace normalised, then `:n` for the n-th such finding in the file. Lines added or
 * removed elsewhere, and re-indenting, keep the fingerprint; editing the line itself does not.
 * Without the source text (a result built without it) there is nothing to hash.
 */
function lineFingerprints(result: LintResult): Map<LintMessage, string> {
  const fingerprints = new Map<LintMessage, string>();
  if (result.source === undefined) return fingerprints;
  const lines = result.source.split(/\r\n|\r|\n/);
  const occurrences = new Map<string, number>();
  for (const message of result.messages) {
    if (message.ruleId === null) continue;
    const lineText = (lines[message.line - 1] ?? '').trim().replace(/\s+/g, ' ');
    const hash = createHash('sha256').update(`${message.ruleId}\0${lineText}`).digest('hex').slice(0, 16);
    const occurrence = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, occurrence);
    fingerprints.set(message, `${hash}:${occurrence}`);
  }
  return fingerprints;
}

function reportingDescriptor(id: string, meta: RuleMeta<string>, docsMarkdown: string | undefined) {
  const fullDescription = docsMarkdown ? firstParagraph(docsMarkdown) : meta.docs.description;
  const helpMarkdown = docsMarkdown ?? `${meta.docs.description}\n\n[Documentation](${meta.docs.url})`;
  return {
    id,
    shortDescription: { text: meta.docs.description },
    fullDescription: { text: fullDescription },
    help: { text: markdownToText(helpMarkdown), markdown: helpMarkdown },
    helpUri: meta.docs.url,
    defaultConfiguration: { level: meta.docs.presetSeverity === 'error' ? 'error' : 'warning' },
    properties: { category: meta.docs.category, tags: [meta.docs.category, 'concurrency'] },
  };
}

/** The paragraph after the title: what the rule reports, in one breath. */
function firstParagraph(markdown: string): string {
  const paragraphs = markdown.split(/\n\s*\n/).map((block) => block.trim());
  const first = paragraphs.find((block) => block !== '' && !block.startsWith('#'));
  return markdownToText(first ?? markdown).trim();
}

/** Plain text for viewers that do not render Markdown: no fences, heading marks, emphasis or link syntax. */
export function markdownToText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !line.startsWith('```'))
    .map((line) => line.replace(/^#+\s+/, ''))
    .join('\n')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
}
