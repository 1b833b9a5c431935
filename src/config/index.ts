/**
 * Finds, loads and validates asynclint configuration. Every rule's options are checked against
 * its `meta.schema` (as ESLint does), and every problem is one message naming the file and key.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { readRegularFile } from '../read-file.js';
import type { ConfiguredRule } from '../walker/index.js';
import type { PresetName, RuleModule } from '../types.js';
import { PRESET_NAMES, presetRules } from './presets.js';

export { presetRules, PRESET_NAMES };

export type RuleEntry = 'off' | 'warn' | 'error' | 0 | 1 | 2 | [('off' | 'warn' | 'error' | 0 | 1 | 2), ...unknown[]];

export interface UserConfig {
  extends?: PresetName | PresetName[];
  rules?: Record<string, RuleEntry>;
  ignores?: string[];
  settings?: Record<string, unknown>;
  /** Files larger than this many bytes are skipped with a warning. */
  maxFileSize?: number;
}

export interface ResolvedConfig {
  rules: ConfiguredRule[];
  ignores: string[];
  settings: Record<string, unknown>;
  maxFileSize: number;
  /** Where `ignores` globs are relative to. */
  baseDirectory: string;
  /** The config file, or null when defaults apply. */
  filePath: string | null;
}

/** A config (or package.json) beyond this is not one a person wrote; it is refused, not read. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const CONFIG_FILE_NAMES = ['asynclint.config.json', '.asynclintrc.json'];
const CONFIG_KEYS = new Set(['extends', 'rules', 'ignores', 'settings', 'maxFileSize', '$schema']);

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
  for (let directory = path.resolve(cwd); ; ) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    const packageJson = path.join(directory, 'package.json');
    if (existsSync(packageJson)) {
      try {
        const read = readRegularFile(packageJson, MAX_CONFIG_BYTES, () => 'too large');
        if ('bytes' in read && JSON.parse(withoutBom(read.bytes.toString('utf8')))?.asynclint !== undefined) return packageJson;
      } catch (error) {
        warn(`${packageJson} is not valid JSON (${(error as Error).message}); an "asynclint" key in it is not read`);
      }
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
  try {
    parsed = JSON.parse(withoutBom(read.bytes.toString('utf8')));
  } catch (error) {
    throw new ConfigError(filePath, '', `not valid JSON (${(error as Error).message})`);
  }
  if (path.basename(absolute) === 'package.json') {
    parsed = (parsed as { asynclint?: unknown } | null)?.asynclint;
    if (parsed === undefined) throw new ConfigError(filePath, 'asynclint', 'package.json has no "asynclint" key');
  }
  return { config: parsed as UserConfig, filePath: absolute };
}

const SEVERITIES: Record<string, 0 | 1 | 2> = { off: 0, warn: 1, error: 2, '0': 0, '1': 1, '2': 2 };

// Loaded when a rule's options are first checked: a run with default options never needs it.
let ajv: AjvInstance | undefined;
function validatorCompiler(): AjvInstance {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return (ajv ??= new Ajv({ allErrors: false, strict: false, useDefaults: false }));
}
const validators = new WeakMap<RuleModule, ValidateFunction>();

function validatorFor(rule: RuleModule): ValidateFunction {
  let validate = validators.get(rule);
  if (!validate) {
    // ESLint treats an array schema as positional options.
    validate = validatorCompiler().compile({ type: 'array', items: rule.meta.schema, minItems: 0, maxItems: rule.meta.schema.length });
    validators.set(rule, validate);
  }
  return validate;
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.replace(/^\/(\d+)/, '[$1]').replace(/\//g, '.') : '';
  if (error.keyword === 'additionalProperties') return `${where ? `${where}: ` : ''}unknown option "${String(error.params.additionalProperty)}"`;
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
}

/** Validates a user config and turns it into the list of rules to run, with severities and options. */
export function resolveConfig(source: ConfigSource, available: Record<string, RuleModule>, options: ResolveOptions = {}): ResolvedConfig {
  const file = source.filePath ? path.relative(process.cwd(), source.filePath) || source.filePath : '<config>';
  const config = source.config;
  if (!isPlainObject(config)) throw new ConfigError(file, '', 'the config must be a JSON object');
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.has(key)) throw new ConfigError(file, key, `unknown key (expected one of: ${[...CONFIG_KEYS].filter((k) => k !== '$schema').join(', ')})`);
  }
  const presets = config.extends === undefined ? (source.filePath ? [] : ['recommended']) : Array.isArray(config.extends) ? config.extends : [config.extends];
  const merged: Record<string, RuleEntry> = {};
  for (const preset of presets) {
    if (!PRESET_NAMES.includes(preset as PresetName)) throw new ConfigError(file, 'extends', `unknown preset "${String(preset)}" (expected "recommended" or "strict")`);
    Object.assign(merged, presetRules(preset as PresetName, available));
  }
  if (config.rules !== undefined && !isPlainObject(config.rules)) throw new ConfigError(file, 'rules', 'must be an object of rule ids');
  const explicit: [string, RuleEntry, string][] = [
    ...Object.entries(config.rules ?? {}).map(([id, entry]) => [id, entry, file] as [string, RuleEntry, string]),
    ...Object.entries(options.ruleOverrides ?? {}).map(([id, entry]) => [id, entry, '--rule'] as [string, RuleEntry, string]),
  ];
  const configured = new Map<string, ConfiguredRule | null>();
  for (const [id, entry] of Object.entries(merged)) configured.set(id, { id, rule: available[id]!, severity: SEVERITIES[String(entry)] as 1 | 2, options: [] });
  for (const [rawId, entry, origin] of explicit) {
    const id = rawId.replace(/^asynclint\//, '');
    const key = origin === '--rule' ? `--rule ${rawId}` : `rules["${rawId}"]`;
    const where = origin === '--rule' ? 'command line' : origin;
    // Own keys only: `constructor` or `__proto__` is not a rule because every object has one.
    const rule = Object.hasOwn(available, id) ? available[id] : undefined;
    if (!rule) throw new ConfigError(where, key, `unknown rule "${rawId}" (asynclint --list-rules shows the rules)`);
    const [severityValue, ...ruleOptions] = Array.isArray(entry) ? entry : [entry];
    const severity = SEVERITIES[String(severityValue)];
    if (severity === undefined || (typeof severityValue !== 'string' && typeof severityValue !== 'number')) {
      throw new ConfigError(where, key, `bad severity ${JSON.stringify(severityValue)} (expected "off", "warn" or "error")`);
    }
    if (ruleOptions.length > 0) {
      const validate = validatorFor(rule);
      if (!validate(ruleOptions)) throw new ConfigError(where, key, `bad options: ${describeAjvError(validate.errors![0]!)}`);
    }
    configured.set(id, severity === 0 ? null : { id, rule, severity: severity as 1 | 2, options: ruleOptions });
  }
  if (config.ignores !== undefined && (!Array.isArray(config.ignores) || config.ignores.some((glob) => typeof glob !== 'string'))) {
    throw new ConfigError(file, 'ignores', 'must be an array of glob strings');
  }
  if (config.settings !== undefined && !isPlainObject(config.settings)) throw new ConfigError(file, 'settings', 'must be an object');
  if (config.maxFileSize !== undefined && (typeof config.maxFileSize !== 'number' || !(config.maxFileSize > 0))) {
    throw new ConfigError(file, 'maxFileSize', 'must be a positive number of bytes');
  }
  return {
    rules: [...configured.values()].filter((rule): rule is ConfiguredRule => rule !== null).sort((a, b) => a.id.localeCompare(b.id)),
    ignores: config.ignores ?? [],
    settings: config.settings ?? {},
    maxFileSize: config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    baseDirectory: options.baseDirectory ?? (source.filePath ? path.dirname(source.filePath) : process.cwd()),
    filePath: source.filePath,
  };
}

/** The config that applies when none is given: `recommended`. */
export const DEFAULT_CONFIG_SOURCE: ConfigSource = { config: {}, filePath: null };

export const STARTER_CONFIG = {
  extends: 'recommended',
  rules: {},
  ignores: [],
};
