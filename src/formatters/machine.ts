/** Formats for tools: json, json-with-metadata, compact, github, junit, checkstyle, gitlab. */
import { createHash } from 'node:crypto';
import { eslintShapedContext, eslintShapedResults } from './eslint-shape.js';
import {
  escapeXmlAttribute as attribute,
  oneLine,
  pluralize,
  relativePath,
  sortedResults,
  totals,
  xmlCdata,
  type FormatterContext,
} from './shared.js';
import type { LintResult } from '../types.js';

/**
 * ESLint's result shape exactly, rule ids included (`asynclint/await-in-loop`), so
 * eslint-formatter-* packages and ESLint tooling can read it.
 */
export function formatJson(results: LintResult[]): string {
  return JSON.stringify(eslintShapedResults(sortedResults(results)));
}

/** As ESLint's `json-with-metadata`: the results and what a formatter is told about the run and the rules. */
export function formatJsonWithMetadata(results: LintResult[], context: FormatterContext): string {
  const { cwd, rulesMeta, maxWarningsExceeded } = eslintShapedContext(context);
  const metadata = { cwd, rulesMeta: rulesMeta ?? {}, ...(maxWarningsExceeded ? { maxWarningsExceeded } : {}) };
  return JSON.stringify({ results: eslintShapedResults(sortedResults(results)), metadata });
}

export function formatCompact(results: LintResult[], context: FormatterContext): string {
  const lines: string[] = [];
  for (const result of sortedResults(results)) {
    for (const message of result.messages) {
      const severity = message.severity === 2 ? 'Error' : 'Warning';
      const rule = message.ruleId ? ` (${message.ruleId})` : '';
      lines.push(
        `${relativePath(result.filePath, context.cwd)}: line ${message.line}, col ${message.column}, ${severity} - ${oneLine(message.message)}${rule}`,
      );
    }
  }
  const sum = totals(results);
  if (sum.problems > 0) lines.push('', `${sum.problems} ${pluralize('problem', sum.problems)}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
export function formatGithub(results: LintResult[], context: FormatterContext): string {
  const lines: string[] = [];
  for (const result of sortedResults(results)) {
    for (const message of result.messages) {
      const command = message.severity === 2 ? 'error' : 'warning';
      const properties = [
        `file=${escapeProperty(relativePath(result.filePath, context.cwd))}`,
        `line=${message.line}`,
        `col=${message.column}`,
      ];
      if (message.endLine) properties.push(`endLine=${message.endLine}`);
      if (message.endColumn && message.endLine === message.line) properties.push(`endColumn=${message.endColumn}`);
      properties.push(`title=${escapeProperty(message.ruleId ? `asynclint/${message.ruleId}` : 'asynclint')}`);
      lines.push(`::${command} ${properties.join(',')}::${escapeData(message.message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function formatJunit(results: LintResult[], context: FormatterContext): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<testsuites>'];
  for (const result of sortedResults(results)) {
    const file = attribute(relativePath(result.filePath, context.cwd));
    const count = Math.max(1, result.messages.length);
    out.push(
      `<testsuite package="org.asynclint" time="0" tests="${count}" errors="${result.messages.length}" name="${file}">`,
    );
    if (result.messages.length === 0)
      out.push(`<testcase time="0" name="org.asynclint.unknown" classname="${file}" />`);
    for (const message of result.messages) {
      const severity = message.severity === 2 ? 'Error' : 'Warning';
      const detail = `line ${message.line}, col ${message.column}, ${severity} - ${message.message}${message.ruleId ? ` (${message.ruleId})` : ''}`;
      const failure = `<failure message="${attribute(message.message)}">${xmlCdata(detail)}</failure>`;
      out.push(
        `<testcase time="0" name="org.asynclint.${attribute(message.ruleId ?? 'unknown')}" classname="${file}">${failure}</testcase>`,
      );
    }
    out.push('</testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

export function formatCheckstyle(results: LintResult[], context: FormatterContext): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const result of sortedResults(results)) {
    out.push(`<file name="${attribute(relativePath(result.filePath, context.cwd))}">`);
    for (const message of result.messages) {
      const severity = message.severity === 2 ? 'error' : 'warning';
      const source = message.ruleId ? `asynclint.rules.${message.ruleId}` : '';
      const text = attribute(`${message.message}${message.ruleId ? ` (${message.ruleId})` : ''}`);
      out.push(
        `<error line="${message.line}" column="${message.column}" severity="${severity}" message="${text}" source="${attribute(source)}" />`,
      );
    }
    out.push('</file>');
  }
  out.push('</checkstyle>');
  return `${out.join('\n')}\n`;
}

/** GitLab Code Quality report (a JSON array of issues with stable fingerprints). */
export function formatGitlab(results: LintResult[], context: FormatterContext): string {
  const issues = [];
  for (const result of sortedResults(results)) {
    const file = relativePath(result.filePath, context.cwd);
    for (const message of result.messages) {
      const fingerprint = createHash('md5')
        .update(`${file}:${message.line}:${message.column}:${message.ruleId ?? ''}:${message.message}`)
        .digest('hex');
      issues.push({
        type: 'issue',
        check_name: message.ruleId ?? 'asynclint',
        description: message.message,
        categories: ['Bug Risk'],
        severity: message.fatal ? 'blocker' : message.severity === 2 ? 'major' : 'minor',
        fingerprint,
        location: { path: file, lines: { begin: message.line, end: message.endLine ?? message.line } },
      });
    }
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
