/** The README's rule table, generated from rule metadata (`npm run docs` writes it; a test checks it). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';

export function ruleTable(): string {
  const rows = Object.entries(rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, rule]) => {
      const { docs } = rule.meta;
      const extras = [rule.meta.hasSuggestions ? 'suggestion' : '', rule.meta.fixable ? 'autofix' : ''].filter(Boolean).join(', ') || '-';
      return `| [\`${id}\`](docs/rules/${id}.md) | ${docs.description} | ${docs.preset} (${docs.presetSeverity}) | ${docs.category} | ${extras} | ${(docs.upstream ?? []).map((name) => `\`${name}\``).join(', ') || '-'} |`;
    });
  return ['| Rule | What it reports | Preset | Category | Fixes | Replaces |', '| --- | --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}

export function updateReadme(readmePath: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  const updated = readme.replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${ruleTable()}$2`);
  if (updated === readme) return false;
  writeFileSync(readmePath, updated);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');
  console.log(updateReadme(readme) ? 'README.md rule table updated' : 'README.md rule table is current');
}
