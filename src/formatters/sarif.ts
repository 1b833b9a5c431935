import { pathToFileURL } from 'node:url';
import { relativePath, sortedResults, type FormatterContext } from './shared.js';
import type { LintResult } from '../types.js';
import { VERSION } from '../version.js';

/** SARIF 2.1.0 for code-scanning upload: one reportingDescriptor per rule, relative artifact URIs. */
export function formatSarif(results: LintResult[], context: FormatterContext): string {
  const rulesMeta = context.rulesMeta ?? {};
  const ruleIds = Object.keys(rulesMeta).sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const sarifResults = [];
  const invocationNotifications = [];
  for (const result of sortedResults(results)) {
    const uri = relativePath(result.filePath, context.cwd);
    for (const message of result.messages) {
      const location = {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(uri), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: message.line,
            startColumn: message.column,
            ...(message.endLine ? { endLine: message.endLine } : {}),
            ...(message.endColumn ? { endColumn: message.endColumn } : {}),
          },
        },
      };
      if (message.ruleId === null) {
        // Parse errors and unused directives are about the run, not a rule.
        invocationNotifications.push({ level: message.severity === 2 ? 'error' : 'warning', message: { text: message.message }, locations: [location] });
        continue;
      }
      sarifResults.push({
        ruleId: message.ruleId,
        ...(ruleIndex.has(message.ruleId) ? { ruleIndex: ruleIndex.get(message.ruleId) } : {}),
        level: message.severity === 2 ? 'error' : 'warning',
        message: { text: message.message },
        locations: [location],
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
            rules: ruleIds.map((id) => {
              const meta = rulesMeta[id]!;
              return {
                id,
                shortDescription: { text: meta.docs.description },
                helpUri: meta.docs.url,
                defaultConfiguration: { level: meta.docs.presetSeverity === 'error' ? 'error' : 'warning' },
                properties: { category: meta.docs.category, tags: [meta.docs.category, 'concurrency'] },
              };
            }),
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
