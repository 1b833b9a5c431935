/**
 * The README's rule table, docs/config.md's option reference and the header bullets of each
 * rule's page, generated from rule metadata (`npm run docs` writes them; tests check that they
 * are current).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';

export function ruleTable(): string {
  const rows = Object.entries(rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, rule]) => {
      const { docs } = rule.meta;
      const extras =
        [rule.meta.hasSuggestions ? 'suggestion' : '', rule.meta.fixable ? 'autofix' : ''].filter(Boolean).join(', ') ||
        '-';
      return `| [\`${id}\`](docs/rules/${id}.md) | ${docs.description} | ${docs.preset} (${docs.presetSeverity}) | ${docs.category} | ${extras} | ${(docs.upstream ?? []).map((name) => `\`${name}\``).join(', ') || '-'} |`;
    });
  return [
    '| Rule | What it reports | Preset | Category | Fixes | Replaces |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

interface OptionSchema {
  type?: string;
  description?: string;
  items?: OptionSchema & { enum?: string[]; anyOf?: OptionSchema[] };
  anyOf?: OptionSchema[];
  minimum?: number;
  maximum?: number;
}

/** A schema's type as a reader writes it: `string[]`, `object[]`, `integer (0-20)`. */
function typeName(schema: OptionSchema): string {
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    if (items.enum) return `(${items.enum.map((value) => `"${value}"`).join(' \\| ')})[]`;
    if (items.anyOf) return `(${items.anyOf.map(typeName).join(' \\| ')})[]`;
    return `${typeName(items)}[]`;
  }
  if (schema.type === 'integer' && schema.minimum !== undefined)
    return `integer (${schema.minimum}-${schema.maximum ?? ''})`;
  return schema.type ?? 'any';
}

/** Long default lists (ordered callees, state-changing verbs) are named by size; the rule page lists them. */
function defaultText(value: unknown, ruleId: string): string {
  if (value === undefined) return '-';
  if (Array.isArray(value) && value.length > 8) return `${value.length} entries ([list](rules/${ruleId}.md#options))`;
  const json = Array.isArray(value)
    ? `[${value.map((item) => JSON.stringify(item)).join(', ')}]`
    : JSON.stringify(value);
  return `\`${json}\``;
}

/** Every option of every rule, from `meta.schema` and `meta.defaultOptions`. */
export function optionsReference(): string {
  const lines: string[] = [];
  for (const [id, rule] of Object.entries(rules).sort(([a], [b]) => a.localeCompare(b))) {
    const schema = rule.meta.schema[0] as { properties?: Record<string, OptionSchema> } | undefined;
    const properties = Object.entries(schema?.properties ?? {});
    lines.push(`### [\`${id}\`](rules/${id}.md)`, '');
    if (properties.length === 0) {
      lines.push('No options.', '');
      continue;
    }
    const defaults = (rule.meta.defaultOptions?.[0] ?? {}) as Record<string, unknown>;
    lines.push('| Option | Type | Default | Meaning |', '| --- | --- | --- | --- |');
    for (const [name, property] of properties) {
      const meaning = (property.description ?? '').replace(/\|/g, '\\|');
      lines.push(`| \`${name}\` | ${typeName(property)} | ${defaultText(defaults[name], id)} | ${meaning} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Who maintains an upstream rule, from its prefix: `n/no-sync` is eslint-plugin-n's. */
function upstreamOwner(name: string): string {
  if (name.startsWith('@typescript-eslint/')) return 'typescript-eslint';
  if (name.startsWith('n/')) return 'eslint-plugin-n';
  if (!name.includes('/')) return 'ESLint';
  throw new Error(`no owner known for the upstream rule ${name}: add its prefix to upstreamOwner`);
}

/** The short name its owner's docs use: `@typescript-eslint/return-await` is `return-await`. */
function upstreamShortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * The bullets under a rule page's title, as every page has them: what the metadata says
 * (preset, category, fixes, the upstream rules it replaces and how to switch those off).
 * What only prose can say (what a suggestion rewrites) follows the list on the page.
 */
export function ruleHeader(ruleId: string): string {
  const { meta } = rules[ruleId]!;
  const { docs } = meta;
  const bullets = [`- Preset: \`${docs.preset}\` (${docs.presetSeverity})`, `- Category: ${docs.category}`];
  if (docs.requiresTypeChecking) bullets.push('- Type information: required (`--project` or `--project-service`)');
  if (meta.fixable) bullets.push('- Autofix: yes');
  if (meta.hasSuggestions) bullets.push('- Suggestions: yes');
  const upstream = docs.upstream ?? [];
  if (upstream.length > 0) {
    const corresponds = upstream.map((name) => `${upstreamOwner(name)} \`${upstreamShortName(name)}\``).join(', ');
    const named = upstream.map((name) => `\`${name}\``).join(' and ');
    bullets.push(
      `- Corresponds to: ${corresponds}`,
      `- Migrating: in ESLint, \`configs['disable-upstream']\` switches ${named} off. ` +
        `The CLI honours \`eslint-disable\` comments naming ${named} for this rule too; ` +
        `ESLint and oxlint do not, so there write \`// eslint-disable-next-line asynclint/${ruleId}\`. ` +
        'Option mapping for each replaced rule: [Migrating](../migrating.md).',
    );
  }
  return `${bullets.join('\n')}\n`;
}

/** The page's first bullet list before its first `##` heading: where ruleHeader's bullets go. */
const HEADER_BULLETS = /^((?:(?!## )[^\n]*\n)*?)((?:- [^\n]*\n)+)/;

export function headerOf(markdown: string): string | null {
  return HEADER_BULLETS.exec(markdown)?.[2] ?? null;
}

/** Writes the header bullets of each rule page that differs from its metadata; the pages it changed. */
export function updateRuleHeaders(docsDirectory: string): string[] {
  const changed: string[] = [];
  for (const ruleId of Object.keys(rules).sort()) {
    const filePath = path.join(docsDirectory, `${ruleId}.md`);
    const text = readFileSync(filePath, 'utf8');
    if (headerOf(text) === null) throw new Error(`${filePath} has no bullet list under its title`);
    const updated = text.replace(HEADER_BULLETS, (_whole, before: string) => `${before}${ruleHeader(ruleId)}`);
    if (updated === text) continue;
    writeFileSync(filePath, updated);
    changed.push(filePath);
  }
  return changed;
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`; true when it changed. */
function replaceBetweenMarkers(filePath: string, name: string, content: string): boolean {
  const text = readFileSync(filePath, 'utf8');
  const markers = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  const updated = text.replace(markers, (_whole, start: string, end: string) => `${start}${content}${end}`);
  if (updated === text) return false;
  writeFileSync(filePath, updated);
  return true;
}

export function updateReadme(readmePath: string): boolean {
  return replaceBetweenMarkers(readmePath, 'rules', ruleTable());
}

export function updateConfigReference(configDocPath: string): boolean {
  return replaceBetweenMarkers(configDocPath, 'options', optionsReference());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const readme = path.join(root, 'README.md');
  console.log(updateReadme(readme) ? 'README.md rule table updated' : 'README.md rule table is current');
  const configDoc = path.join(root, 'docs', 'config.md');
  const changed = updateConfigReference(configDoc);
  console.log(changed ? 'docs/config.md options updated' : 'docs/config.md options are current');
  const pages = updateRuleHeaders(path.join(root, 'docs', 'rules'));
  console.log(
    pages.length > 0
      ? `rule page headers updated: ${pages.map((page) => path.basename(page)).join(', ')}`
      : 'rule page headers are current',
  );
}
