/**
 * Finds, loads and validates asynclint configuration. Every rule's options are checked against
 * its `meta.schema` (as ESLint does), and every problem is one message naming the file and key.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import picomatch from 'picomatch';
import { readRegularFile } from '../read-file.js';
import { stripJsonComments } from '../json-comments.js';
import type { ConfiguredRule, PresetName, RuleInfo } from '../types.js';
import { PRESET_NAMES, presetRules } from './presets.js';

/**
 * Rule ids in code-unit order: the same order as localeCompare for ids of lowercase letters,
 * digits and hyphens, without the collator, whose first use costs a start-up tens of milliseconds.
 */
function byRuleId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export { presetRules, PRESET_NAMES };

export type RuleEntry = 'off' | 'warn' | 'error' | 0 | 1 | 2 | ['off' | 'warn' | 'error' | 0 | 1 | 2, ...unknown[]];

export interface UserConfig {
  extends?: PresetName | PresetName[];
  rules?: Record<string, RuleEntry>;
  ignores?: string[];
  settings?: Record<string, unknown>;
  /** Files larger than this many bytes are skipped with a warning. */
  maxFileSize?: number;
  /** Per-file changes, applied in order to the files their globs match (ESLint's `files` blocks). */
  overrides?: UserOverride[];
  /** Type-aware mode with each file's nearest tsconfig, as typescript-eslint's `parserOptions.projectService`. */
  projectService?: boolean;
}

/** Where code runs, as a user states it for files the model cannot judge (see src/languages/js/analysis/run-context.ts). */
export type ConfiguredContext = 'request' | 'one-shot' | 'tooling' | 'bench' | 'test';
const CONTEXTS: readonly ConfiguredContext[] = ['request', 'one-shot', 'tooling', 'bench', 'test'];

export interface UserOverride {
  /** Globs relative to the config file's folder (`scripts/**`, `**\/*.e2e.ts`). */
  files: string[];
  rules?: Record<string, RuleEntry>;
  /** Where the code in these files runs; rules that report only in some contexts follow it. */
  context?: ConfiguredContext;
}

/** An override, validated: its rule entries are applied to the base rules of each file it matches. */
export interface ResolvedOverride {
  files: string[];
  matches(relativePath: string): boolean;
  rules: Map<string, ConfiguredRule | null>;
  context?: ConfiguredContext;
}

/** The rules and settings that apply to one file. */
export interface FileConfig {
  rules: ConfiguredRule[];
  settings: Record<string, unknown>;
  /** Which overrides matched, as a key: files with the same key share one config object. */
  key: string;
}

export interface ResolvedConfig {
  rules: ConfiguredRule[];
  ignores: string[];
  settings: Record<string, unknown>;
  maxFileSize: number;
  /** Type-aware mode with each file's nearest tsconfig (`--project <tsconfig>` still forces one). */
  projectService: boolean;
  /** Where `ignores` globs are relative to. */
  baseDirectory: string;
  /** The config file, or null when defaults apply. */
  filePath: string | null;
  overrides: ResolvedOverride[];
  /** The rules before overrides (command-line `--rule` entries are applied after them). */
  baseRules: Map<string, ConfiguredRule | null>;
  commandLineRules: Map<string, ConfiguredRule | null>;
}

/** A config (or package.json) beyond this is not one a person wrote; it is refused, not read. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const CONFIG_FILE_NAMES = ['asynclint.config.json', '.asynclintrc.json'];
export const CONFIG_KEYS = new Set([
  'extends',
  'rules',
  'ignores',
  'settings',
  'maxFileSize',
  'overrides',
  'projectService',
  '$schema',
]);
export const OVERRIDE_KEYS = new Set(['files', 'rules', 'context']);

export interface ConfigSource {
  config: UserConfig;
  filePath: string | null;
}

/** JSON text without the byte order mark some editors write (JSON.parse rejects it). */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Walks up from `cwd` to the first asynclint config file, or `package.json` with an "asynclint"
 * key. A package.json on the way that is not valid JSON might hold the config: `warn` says so.
 */
export function findConfigFile(cwd: string, warn: (message: string) => void = () => {}): string | null {
  for (let directory = path.resolve(cwd); ;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    const packageJson = path.join(directory, 'package.json');
    if (existsSync(packageJson)) {
      try {
        const read = readRegularFile(packageJson, MAX_CONFIG_BYTES, () => 'too large');
        if ('bytes' in read && JSON.parse(withoutBom(read.bytes.toString('utf8')))?.asynclint !== undefined)
          return packageJson;
      } catch (error) {
        warn(`${packageJson} is not valid JSON (${(error as Error).message}); an "asynclint" key in it is not read`);
      }
    }
    // A Python project's pyproject.toml with a [tool.asynclint] table, as ruff reads [tool.ruff].
    const pyproject = path.join(directory, 'pyproject.toml');
    if (existsSync(pyproject)) {
      const read = readRegularFile(pyproject, MAX_CONFIG_BYTES, () => 'too large');
      if ('bytes' in read && TOOL_TABLE.test(read.bytes.toString('utf8'))) return pyproject;
    }
    const parent = path.dirname(directory);
    if (parent === directory) return null;
    directory = parent;
  }
}

export function loadConfigFile(filePath: string): ConfigSource {
  const absolute = path.resolve(filePath);
  if (!existsSync(absolute)) throw new ConfigError(filePath, '', 'config file not found');
  let parsed: unknown;
  const read = readRegularFile(absolute, MAX_CONFIG_BYTES, (size) => `too large for a config file (${size} bytes)`);
  if ('reason' in read) throw new ConfigError(filePath, '', read.reason);
  const text = withoutBom(read.bytes.toString('utf8'));
  if (path.basename(absolute) === 'pyproject.toml') return { config: toolTableOf(filePath, text), filePath: absolute };
  try {
    parsed = JSON.parse(path.basename(absolute) === 'package.json' ? text : stripJsonComments(text));
  } catch (error) {
    throw new ConfigError(filePath, '', `not valid JSON (${(error as Error).message})`);
  }
  if (path.basename(absolute) === 'package.json') {
    parsed = (parsed as { asynclint?: unknown } | null)?.asynclint;
    if (parsed === undefined) throw new ConfigError(filePath, 'asynclint', 'package.json has no "asynclint" key');
  }
  return { config: parsed as UserConfig, filePath: absolute };
}

/** `[tool.asynclint]`, `[tool.asynclint.rules]` or `[[tool.asynclint.overrides]]` at the start of a line. */
const TOOL_TABLE = /^\s*\[\[?\s*tool\.asynclint\s*[\].]/m;

/**
 * The `[tool.asynclint]` table of a pyproject.toml, as the same object a JSON config holds:
 * `rules = { "await-in-loop" = "warn" }` or a `[tool.asynclint.rules]` table, `overrides` as an
 * array of tables. A TOML error is one line with the parser's line and column.
 */
function toolTableOf(filePath: string, text: string): UserConfig {
  let document: Record<string, unknown>;
  // Loaded for a pyproject.toml config alone (smol-toml ships CommonJS, so require is enough).
  const { parse: parseToml } = createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml');
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const { line, column } = error as { line?: number; column?: number };
    const where = line ? ` at ${line}:${column ?? 1}` : '';
    const reason = (error as Error).message.split('\n')[0];
    throw new ConfigError(filePath, '', `not valid TOML${where} (${reason})`);
  }
  const tool = document.tool as Record<string, unknown> | undefined;
  const table = tool?.asynclint;
  if (table === undefined)
    throw new ConfigError(filePath, 'tool.asynclint', 'pyproject.toml has no [tool.asynclint] table');
  return table as UserConfig;
}

const SEVERITIES: Record<string, 0 | 1 | 2> = { off: 0, warn: 1, error: 2, '0': 0, '1': 1, '2': 2 };

// Loaded when a rule's options are first checked: a run with default options never needs it.
let ajv: AjvInstance | undefined;
function validatorCompiler(): AjvInstance {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return (ajv ??= new Ajv({ allErrors: false, strict: false, useDefaults: false }));
}
const validators = new WeakMap<RuleInfo, ValidateFunction>();

function validatorFor(rule: RuleInfo): ValidateFunction {
  let validate = validators.get(rule);
  if (!validate) {
    // ESLint treats an array schema as positional options.
    validate = validatorCompiler().compile({
      type: 'array',
      items: rule.meta.schema,
      minItems: 0,
      maxItems: rule.meta.schema.length,
    });
    validators.set(rule, validate);
  }
  return validate;
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.replace(/^\/(\d+)/, '[$1]').replace(/\//g, '.') : '';
  if (error.keyword === 'additionalProperties')
    return `${where ? `${where}: ` : ''}unknown option "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'maxItems') return `takes at most ${String(error.params.limit)} option object(s)`;
  return `${where ? `${where} ` : ''}${error.message ?? 'is invalid'}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ResolveOptions {
  /** `--rule id:severity` entries: they win over the config. */
  ruleOverrides?: Record<string, RuleEntry>;
  baseDirectory?: string;
  /** What the config file's name in messages is relative to (default: the process's). */
  cwd?: string;
}

/** Validates a user config and turns it into the list of rules to run, with severities and options. */
export function resolveConfig(
  source: ConfigSource,
  available: Record<string, RuleInfo>,
  options: ResolveOptions = {},
): ResolvedConfig {
  const file = source.filePath
    ? path.relative(options.cwd ?? process.cwd(), source.filePath) || source.filePath
    : '<config>';
  const config = source.config;
  if (!isPlainObject(config)) throw new ConfigError(file, '', 'the config must be a JSON object');
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.has(key))
      throw new ConfigError(
        file,
        key,
        `unknown key (expected one of: ${[...CONFIG_KEYS].filter((k) => k !== '$schema').join(', ')})`,
      );
  }
  const presets =
    config.extends === undefined
      ? source.filePath
        ? []
        : ['recommended']
      : Array.isArray(config.extends)
        ? config.extends
        : [config.extends];
  const merged: Record<string, RuleEntry> = {};
  for (const preset of presets) {
    if (!PRESET_NAMES.includes(preset as PresetName))
      throw new ConfigError(file, 'extends', `unknown preset "${String(preset)}" (expected "recommended" or "strict")`);
    Object.assign(merged, presetRules(preset as PresetName, available));
  }
  if (config.rules !== undefined && !isPlainObject(config.rules))
    throw new ConfigError(file, 'rules', 'must be an object of rule ids');
  const explicit: [string, RuleEntry, string][] = [
    ...Object.entries(config.rules ?? {}).map(([id, entry]) => [id, entry, file] as [string, RuleEntry, string]),
    ...Object.entries(options.ruleOverrides ?? {}).map(
      ([id, entry]) => [id, entry, '--rule'] as [string, RuleEntry, string],
    ),
  ];
  const baseRules = new Map<string, ConfiguredRule | null>();
  for (const [id, entry] of Object.entries(merged))
    baseRules.set(id, { id, rule: available[id]!, severity: SEVERITIES[String(entry)] as 1 | 2, options: [] });
  for (const [rawId, entry, origin] of explicit) {
    if (origin === '--rule') continue;
    const resolved = resolveRuleEntry(rawId, entry, origin, `rules["${rawId}"]`, available);
    baseRules.set(resolved.id, resolved.configured);
  }
  const commandLineRules = new Map<string, ConfiguredRule | null>();
  for (const [rawId, entry] of Object.entries(options.ruleOverrides ?? {})) {
    const resolved = resolveRuleEntry(rawId, entry, 'command line', `--rule ${rawId}`, available);
    commandLineRules.set(resolved.id, resolved.configured);
  }
  const configured = new Map([...baseRules, ...commandLineRules]);
  const baseDirectory = options.baseDirectory ?? (source.filePath ? path.dirname(source.filePath) : process.cwd());
  const overrides = resolveOverrides(config.overrides, file, available);
  if (
    config.ignores !== undefined &&
    (!Array.isArray(config.ignores) || config.ignores.some((glob) => typeof glob !== 'string'))
  ) {
    throw new ConfigError(file, 'ignores', 'must be an array of glob strings');
  }
  if (config.settings !== undefined && !isPlainObject(config.settings))
    throw new ConfigError(file, 'settings', 'must be an object');
  if (config.maxFileSize !== undefined && (typeof config.maxFileSize !== 'number' || !(config.maxFileSize > 0))) {
    throw new ConfigError(file, 'maxFileSize', 'must be a positive number of bytes');
  }
  if (config.projectService !== undefined && typeof config.projectService !== 'boolean')
    throw new ConfigError(file, 'projectService', 'must be true or false');
  return {
    rules: [...configured.values()].filter((rule): rule is ConfiguredRule => rule !== null).sort(byRuleId),
    ignores: config.ignores ?? [],
    settings: config.settings ?? {},
    maxFileSize: config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    projectService: config.projectService ?? false,
    baseDirectory,
    filePath: source.filePath,
    overrides,
    baseRules,
    commandLineRules,
  };
}

/** Own properties only: `constructor` or `__proto__` is not a rule because every object has one. */
function ownRule(available: Record<string, RuleInfo>, id: string): RuleInfo | undefined {
  return Object.hasOwn(available, id) ? available[id] : undefined;
}

function resolveRuleEntry(
  rawId: string,
  entry: RuleEntry,
  where: string,
  key: string,
  available: Record<string, RuleInfo>,
) {
  const id = rawId.replace(/^asynclint\//, '');
  const rule = ownRule(available, id);
  if (!rule) throw new ConfigError(where, key, `unknown rule "${rawId}" (asynclint --list-rules shows the rules)`);
  const [severityValue, ...ruleOptions] = Array.isArray(entry) ? entry : [entry];
  const severity = SEVERITIES[String(severityValue)];
  if (severity === undefined || (typeof severityValue !== 'string' && typeof severityValue !== 'number')) {
    throw new ConfigError(
      where,
      key,
      `bad severity ${JSON.stringify(severityValue)} (expected "off", "warn" or "error")`,
    );
  }
  if (ruleOptions.length > 0) {
    const validate = validatorFor(rule);
    if (!validate(ruleOptions))
      throw new ConfigError(where, key, `bad options: ${describeAjvError(validate.errors![0]!)}`);
  }
  const configured: ConfiguredRule | null =
    severity === 0 ? null : { id, rule, severity: severity as 1 | 2, options: ruleOptions };
  return { id, configured };
}

function resolveOverrides(value: unknown, file: string, available: Record<string, RuleInfo>): ResolvedOverride[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new ConfigError(file, 'overrides', 'must be an array of { files, rules, context } objects');
  return value.map((override: unknown, index) => {
    const where = `overrides[${index}]`;
    if (!isPlainObject(override)) throw new ConfigError(file, where, 'must be an object with "files"');
    for (const key of Object.keys(override)) {
      if (!OVERRIDE_KEYS.has(key))
        throw new ConfigError(file, `${where}.${key}`, 'unknown key (expected one of: files, rules, context)');
    }
    const files = override.files;
    if (!Array.isArray(files) || files.length === 0 || files.some((glob) => typeof glob !== 'string')) {
      throw new ConfigError(file, `${where}.files`, 'must be a non-empty array of glob strings');
    }
    if (override.rules !== undefined && !isPlainObject(override.rules))
      throw new ConfigError(file, `${where}.rules`, 'must be an object of rule ids');
    const context = override.context;
    if (context !== undefined && !CONTEXTS.includes(context as ConfiguredContext)) {
      throw new ConfigError(file, `${where}.context`, `must be one of: ${CONTEXTS.join(', ')}`);
    }
    const rules = new Map<string, ConfiguredRule | null>();
    for (const [rawId, entry] of Object.entries((override.rules ?? {}) as Record<string, RuleEntry>)) {
      const resolved = resolveRuleEntry(rawId, entry, file, `${where}.rules["${rawId}"]`, available);
      rules.set(resolved.id, resolved.configured);
    }
    const patterns = (files as string[]).flatMap((glob) => (glob.endsWith('/') ? [`${glob}**`] : [glob, `${glob}/**`]));
    const matches = picomatch(patterns, { dot: true });
    return {
      files: files as string[],
      matches: (relative: string) => matches(relative),
      rules,
      ...(context ? { context: context as ConfiguredContext } : {}),
    };
  });
}

const fileConfigs = new WeakMap<ResolvedConfig, Map<string, FileConfig>>();

/** The rules and settings for one file: the base config, then each matching override in order, then `--rule`. */
function overridesMatching(config: ResolvedConfig, filePath: string): ResolvedOverride[] {
  const relative = path.relative(config.baseDirectory, filePath).split(path.sep).join('/');
  return relative.startsWith('..') ? [] : config.overrides.filter((override) => override.matches(relative));
}

export function configForFile(config: ResolvedConfig, filePath: string): FileConfig {
  // Asked for every file of a run: without overrides, no path is worked out.
  const matched = config.overrides.length === 0 ? [] : overridesMatching(config, filePath);
  const key = matched.map((override) => config.overrides.indexOf(override)).join(',');
  let known = fileConfigs.get(config);
  if (!known) fileConfigs.set(config, (known = new Map()));
  const cached = known.get(key);
  if (cached) return cached;
  const rules = new Map(config.baseRules);
  let context: ConfiguredContext | undefined;
  for (const override of matched) {
    for (const [id, rule] of override.rules) rules.set(id, rule);
    context = override.context ?? context;
  }
  for (const [id, rule] of config.commandLineRules) rules.set(id, rule);
  const ours = isPlainObject(config.settings.asynclint) ? config.settings.asynclint : {};
  const settings = context ? { ...config.settings, asynclint: { ...ours, context } } : config.settings;
  const activeRules = [...rules.values()].filter((rule): rule is ConfiguredRule => rule !== null).sort(byRuleId);
  const fileConfig = { rules: key === '' ? config.rules : activeRules, settings, key };
  known.set(key, fileConfig);
  return fileConfig;
}

/** The config that applies when none is given: `recommended`. */
export const DEFAULT_CONFIG_SOURCE: ConfigSource = { config: {}, filePath: null };

export const STARTER_CONFIG = {
  extends: 'recommended',
  rules: {},
  ignores: [],
};
