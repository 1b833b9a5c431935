/**
 * One walk over the compact tree runs every enabled Python rule: listeners by node type, and
 * `type:exit` after a node's children, on named nodes in document order; then directives.
 */
import { mergeOptions } from '../../../config/rule-options.js';
import { applyDirectives, interpolate } from '../../../directives.js';
import type { LintMessage, SuggestionResult } from '../../../types.js';
import type { PackageFacts } from '../../../analysis/context/file-context.js';
import { buildScopeModel, type ImportContext, type PythonProject, type ScopeModel } from '../analysis/index.js';
import { positionAt, type ParsedPython, type PyNode } from '../parser/index.js';
import type { ConfiguredPyRule, PyReportDescriptor, PyRuleContext, PySourceCode } from '../types.js';
import { parsePythonDirectives } from './directives.js';

export interface RunPythonRulesOptions {
  filename: string;
  cwd: string;
  settings?: Record<string, unknown>;
  rules: readonly ConfiguredPyRule[];
  inlineConfig?: boolean;
  reportUnusedDisableDirectives?: 0 | 1 | 2;
  ruleTimings?: Map<string, number>;
  imports: ImportContext;
  packageFacts: PackageFacts | null;
  project?: PythonProject | null;
}

/** A rule threw while linting a file; the language reports it for that file and goes on. */
export class PyRuleCrash extends Error {
  constructor(
    readonly ruleId: string,
    readonly node: PyNode,
    readonly original: unknown,
  ) {
    super(
      `rule "${ruleId}" failed at line ${node.line}: ${original instanceof Error ? original.message : String(original)}`,
    );
    this.name = 'PyRuleCrash';
  }
}

type Handler = { ruleId: string; listener: (node: PyNode) => void };

export function createPySourceCode(
  parsed: ParsedPython,
  imports: ImportContext,
  packageFacts: PackageFacts | null,
  project: PythonProject | null = null,
): PySourceCode {
  let scopes: ScopeModel | undefined;
  return {
    packageFacts,
    project,
    text: parsed.text,
    root: parsed.root,
    comments: parsed.comments,
    lineStarts: parsed.lineStarts,
    imports,
    get scopes() {
      return (scopes ??= buildScopeModel(parsed.root, parsed.text, imports));
    },
  };
}

function toMessage(
  configured: ConfiguredPyRule,
  descriptor: PyReportDescriptor<string>,
  sourceCode: PySourceCode,
): LintMessage {
  const { id, rule, severity } = configured;
  const template = rule.meta.messages[descriptor.messageId];
  if (template === undefined) throw new Error(`rule "${id}" reported unknown messageId "${descriptor.messageId}"`);
  const { node } = descriptor;
  const end = positionAt(sourceCode.lineStarts, node.end);
  const message: LintMessage = {
    ruleId: id,
    severity,
    message: interpolate(template, descriptor.data),
    line: node.line,
    column: node.column + 1,
    endLine: end.line,
    endColumn: end.column + 1,
    messageId: descriptor.messageId,
    nodeType: node.type,
  };
  const suggestions: SuggestionResult[] = (descriptor.suggest ?? []).flatMap((suggestion) => {
    const desc = rule.meta.messages[suggestion.messageId];
    return desc === undefined
      ? []
      : [{ desc: interpolate(desc, suggestion.data), messageId: suggestion.messageId, fix: suggestion.fix }];
  });
  if (suggestions.length > 0) {
    if (!rule.meta.hasSuggestions)
      throw new Error(`rule "${id}" offers suggestions but does not set meta.hasSuggestions`);
    message.suggestions = suggestions;
  }
  return message;
}

/** Each rule's listeners by node type, for entering and for leaving; rules with nothing to look for are left out. */
function createListeners(sourceCode: PySourceCode, options: RunPythonRulesOptions, messages: LintMessage[]) {
  const enter = new Map<string, Handler[]>();
  const exit = new Map<string, Handler[]>();
  for (const configured of options.rules) {
    const { id, rule } = configured;
    if (rule.shouldRun && !rule.shouldRun(sourceCode.text)) continue;
    const context: PyRuleContext<string, readonly unknown[]> = {
      id,
      options: mergeOptions(rule.meta.defaultOptions, configured.options),
      settings: options.settings ?? {},
      filename: options.filename,
      cwd: options.cwd,
      sourceCode,
      report: (descriptor) => messages.push(toMessage(configured, descriptor, sourceCode)),
    };
    for (const [key, listener] of Object.entries(rule.create(context))) {
      if (!listener) continue;
      const leaving = key.endsWith(':exit');
      const table = leaving ? exit : enter;
      const type = leaving ? key.slice(0, -':exit'.length) : key;
      table.set(type, [...(table.get(type) ?? []), { ruleId: id, listener }]);
    }
  }
  return { enter, exit };
}

/** Named nodes in document order, each entered before its children and left after them; no recursion, no allocation per node. */
function walk(root: PyNode, visit: (node: PyNode, leaving: boolean) => void): void {
  const nodes: PyNode[] = [root];
  const leaving: boolean[] = [false];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const isLeaving = leaving.pop()!;
    visit(node, isLeaving);
    if (isLeaving) continue;
    nodes.push(node);
    leaving.push(true);
    for (let index = node.children.length - 1; index >= 0; index--) {
      const child = node.children[index]!;
      if (!child.named) continue;
      nodes.push(child);
      leaving.push(false);
    }
  }
}

export function runPythonRules(
  parsed: ParsedPython,
  options: RunPythonRulesOptions,
): { messages: LintMessage[]; suppressedMessages: LintMessage[]; walked: boolean } {
  const sourceCode = createPySourceCode(parsed, options.imports, options.packageFacts, options.project ?? null);
  const messages: LintMessage[] = [];
  const { enter, exit } = createListeners(sourceCode, options, messages);
  const timings = options.ruleTimings;
  const walked = enter.size + exit.size > 0;
  if (walked)
    walk(parsed.root, (node, leaving) => {
      for (const { ruleId, listener } of (leaving ? exit : enter).get(node.type) ?? []) {
        const started = timings ? performance.now() : 0;
        try {
          listener(node);
        } catch (error) {
          throw new PyRuleCrash(ruleId, node, error);
        }
        if (timings) timings.set(ruleId, (timings.get(ruleId) ?? 0) + performance.now() - started);
      }
    });
  const sorted = messages.sort((a, b) => a.line - b.line || a.column - b.column);
  const text = parsed.text;
  if (options.inlineConfig === false || (!text.includes('asynclint') && !/noqa/i.test(text)))
    return { messages: sorted, suppressedMessages: [], walked };
  const upstream = new Map<string, string[]>();
  for (const { id, rule } of options.rules)
    for (const code of rule.meta.docs.upstream ?? []) upstream.set(code, [...(upstream.get(code) ?? []), id]);
  const directives = parsePythonDirectives(parsed.comments, upstream);
  if (directives.length === 0) return { messages: sorted, suppressedMessages: [], walked };
  const outcome = applyDirectives(sorted, directives, options.reportUnusedDisableDirectives ?? 0);
  outcome.messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ...outcome, walked };
}
