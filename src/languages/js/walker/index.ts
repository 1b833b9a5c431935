/**
 * One walk runs every enabled rule with ESLint's semantics: parents set before rules run,
 * `Type` and `Type:exit` listeners (also comma-separated lists and `*`), and the `RuleContext`
 * subset declared in `src/languages/js/types.ts`.
 */
import type { Scope } from '@typescript-eslint/scope-manager';
import type { ParsedFile } from '../parser/index.js';
import type {
  LintMessage,
  Node,
  Position,
  ReportDescriptor,
  RuleContext,
  ConfiguredJsRule,
  SourceCode,
  SourceLocation,
  SuggestionResult,
} from '../types.js';
import { fileToLint } from '../types.js';
import { prepareWalk } from './traverse.js';
import { resolveFix } from './fixer.js';
import { applyDirectives, parseDirectives } from './directives.js';
import { mergeOptions } from '../../../config/rule-options.js';
import { interpolate } from '../../../directives.js';

export { applyEdit, resolveFix } from './fixer.js';
export { mergeOptions } from '../../../config/rule-options.js';

export type ConfiguredRule = ConfiguredJsRule;

export interface RunRulesOptions {
  filename: string;
  physicalFilename?: string;
  cwd: string;
  settings?: Record<string, unknown>;
  rules: readonly ConfiguredRule[];
  inlineConfig?: boolean;
  reportUnusedDisableDirectives?: 0 | 1 | 2;
  /** When given, milliseconds spent in each rule's listeners are added here (for `--stats`). */
  ruleTimings?: Map<string, number>;
  /** Called with the file's SourceCode before any rule is created (the host attaches what rules may ask). */
  beforeRules?: (sourceCode: SourceCode) => void;
  /**
   * Called with the file's SourceCode once every rule has run over its tree (the runner distils
   * cross-file facts from it); not called when no rule had anything to look for.
   */
  afterRules?: (sourceCode: SourceCode) => void;
}

export interface RuleRunOutcome {
  messages: LintMessage[];
  suppressedMessages: LintMessage[];
}

/** A rule threw while linting a file; the runner reports it for that file and goes on. */
export class RuleCrash extends Error {
  constructor(
    readonly ruleId: string,
    /** Where the rule was when it failed. */
    readonly position: Position | null,
    readonly original: unknown,
  ) {
    super(
      `rule "${ruleId}" failed${position ? ` at line ${position.line}` : ''}: ${original instanceof Error ? original.message : String(original)}`,
    );
    this.name = 'RuleCrash';
  }
}

const SIMPLE_SELECTOR = /^(\*|[A-Za-z]+)(:exit)?$/;

export function createSourceCode(parsed: ParsedFile, text: string): SourceCode {
  const { visitorKeys, lineIndex } = parsed;
  let lines: string[] | undefined;
  return {
    text,
    // Read through: the fast front end builds the tree and the scopes when first asked for.
    get ast() {
      return parsed.ast;
    },
    get lines() {
      return (lines ??= lineIndex.lines());
    },
    get scopeManager() {
      return parsed.scopeManager;
    },
    parserServices: parsed.services ?? { program: null },
    visitorKeys,
    getText(node, beforeCount = 0, afterCount = 0) {
      if (!node) return text;
      return text.slice(Math.max(0, node.range[0] - beforeCount), node.range[1] + afterCount);
    },
    getScope(node: Node): Scope {
      const scopeManager = parsed.scopeManager;
      const inner = node.type !== 'Program';
      for (let current: Node | undefined = node; current; current = current.parent) {
        const scope = scopeManager.acquire(current, inner);
        if (scope) return scope.type === 'function-expression-name' ? scope.childScopes[0]! : scope;
      }
      return scopeManager.scopes[0]!;
    },
    getAllComments: () => parsed.comments,
    getLoc: (node) =>
      (node as { loc?: SourceLocation }).loc ?? {
        start: lineIndex.positionAt(node.range[0]),
        end: lineIndex.positionAt(node.range[1]),
      },
    getLocFromIndex: (index: number) => lineIndex.positionAt(index),
    getIndexFromLoc: (position: Position) => lineIndex.offsetAt(position),
  };
}

function toLocation(descriptor: ReportDescriptor<string>, sourceCode: SourceCode): SourceLocation {
  if (descriptor.loc) {
    return 'start' in descriptor.loc ? descriptor.loc : { start: descriptor.loc, end: descriptor.loc };
  }
  if (descriptor.node) return sourceCode.getLoc(descriptor.node);
  throw new Error('Node must be provided when reporting error if location is not provided');
}

export function runRules(parsed: ParsedFile, text: string, options: RunRulesOptions): RuleRunOutcome {
  const sourceCode = createSourceCode(parsed, text);
  options.beforeRules?.(sourceCode);
  const messages: LintMessage[] = [];
  const enter = new Map<string, { ruleId: string; listener: (node: Node) => void }[]>();
  const exit = new Map<string, { ruleId: string; listener: (node: Node) => void }[]>();

  for (const configured of options.rules) {
    const { id, rule, severity } = configured;
    const context: RuleContext<string, readonly unknown[]> = {
      id,
      options: mergeOptions(rule.meta.defaultOptions, configured.options),
      settings: options.settings ?? {},
      filename: options.filename,
      physicalFilename: options.physicalFilename ?? options.filename,
      cwd: options.cwd,
      sourceCode,
      report(descriptor) {
        const template = rule.meta.messages[descriptor.messageId];
        if (template === undefined)
          throw new Error(`rule "${id}" reported unknown messageId "${descriptor.messageId}"`);
        const location = toLocation(descriptor, sourceCode);
        const message: LintMessage = {
          ruleId: id,
          severity,
          message: interpolate(template, descriptor.data),
          line: location.start.line,
          column: location.start.column + 1,
          endLine: location.end.line,
          endColumn: location.end.column + 1,
          messageId: descriptor.messageId,
          nodeType: descriptor.node?.type ?? null,
        };
        if (descriptor.fix) {
          if (!rule.meta.fixable) throw new Error(`rule "${id}" offers a fix but does not set meta.fixable`);
          const fix = resolveFix(descriptor.fix, text);
          if (fix) message.fix = fix;
        }
        if (descriptor.suggest && descriptor.suggest.length > 0) {
          if (!rule.meta.hasSuggestions)
            throw new Error(`rule "${id}" offers suggestions but does not set meta.hasSuggestions`);
          const suggestions: SuggestionResult[] = [];
          for (const suggestion of descriptor.suggest) {
            const fix = resolveFix(suggestion.fix, text);
            const desc = rule.meta.messages[suggestion.messageId as string];
            if (fix && desc !== undefined)
              suggestions.push({ desc: interpolate(desc, suggestion.data), messageId: suggestion.messageId, fix });
          }
          if (suggestions.length > 0) message.suggestions = suggestions;
        }
        messages.push(message);
      },
    };
    // A rule with nothing to look for in this file is never created and adds nothing to the walk.
    if (rule.shouldRun && !rule.shouldRun(fileToLint(context))) continue;
    const listeners = rule.create(context);
    for (const [selectorList, listener] of Object.entries(listeners)) {
      if (!listener) continue;
      for (const selector of selectorList.split(',').map((part) => part.trim())) {
        const match = SIMPLE_SELECTOR.exec(selector);
        if (!match)
          throw new Error(
            `rule "${id}" uses selector "${selector}"; the asynclint engine supports node types, ":exit" and "*" only`,
          );
        const table = match[2] ? exit : enter;
        const list = table.get(match[1]!) ?? [];
        list.push({ ruleId: id, listener: listener as (node: Node) => void });
        table.set(match[1]!, list);
      }
    }
  }

  const timings = options.ruleTimings;
  // Rules that find nothing to look for in a file's text return no listeners; when none has any,
  // the file's tree is never built (the parser has already reported any syntax error).
  const walks = enter.size + exit.size > 0;
  const { nodes, isExit } = walks
    ? prepareWalk(parsed.ast, parsed.visitorKeys)
    : { nodes: [], isExit: new Uint8Array(0) };
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!;
    const table = isExit[index] ? exit : enter;
    const specific = table.get(node.type);
    const wildcard = table.get('*');
    if (specific) callListeners(specific, node);
    if (wildcard) callListeners(wildcard, node);
  }

  function callListeners(handlers: readonly { ruleId: string; listener: (node: Node) => void }[], node: Node): void {
    for (const { ruleId, listener } of handlers) {
      const started = timings ? performance.now() : 0;
      try {
        listener(node);
      } catch (error) {
        throw new RuleCrash(ruleId, sourceCode.getLoc(node).start, error);
      }
      if (timings) timings.set(ruleId, (timings.get(ruleId) ?? 0) + performance.now() - started);
    }
  }

  if (walks) options.afterRules?.(sourceCode);
  const sorted = messages.sort((a, b) => a.line - b.line || a.column - b.column);
  if (options.inlineConfig === false) return { messages: sorted, suppressedMessages: [] };
  // Every directive names itself in the text; without one, the comments need not be read at all.
  if (!text.includes('asynclint-') && !text.includes('eslint-')) return { messages: sorted, suppressedMessages: [] };
  const upstream = new Map<string, string[]>();
  for (const { id, rule } of options.rules)
    for (const name of rule.meta.docs.upstream ?? []) upstream.set(name, [...(upstream.get(name) ?? []), id]);
  const directives = parseDirectives(parsed.comments, upstream);
  if (directives.length === 0) return { messages: sorted, suppressedMessages: [] };
  const outcome = applyDirectives(sorted, directives, options.reportUnusedDisableDirectives ?? 0);
  outcome.messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return outcome;
}
