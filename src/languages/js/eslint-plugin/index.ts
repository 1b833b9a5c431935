/**
 * ESLint plugin mode: the same rule objects, for flat config.
 *   import asynclint from 'asynclint/eslint-plugin';
 *   export default [...asynclint.configs.recommended];
 */
import { setDefaultProject } from '../analysis/index.js';
import { typescriptEslintParser } from '../parser/eslint-parser.js';
import { processProject } from '../project/index.js';
import { rules } from '../../../../rules/index.js';
import { presetRules } from '../../../config/presets.js';
import { VERSION } from '../../../version.js';
import type { PresetName } from '../types.js';

// ESLint builds each file's SourceCode itself, so cross-file facts come from the project the
// plugin names here: the files on disk, as the CLI sees them.
setDefaultProject(processProject);

const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

interface FlatConfig {
  name: string;
  rules: Record<string, 'off'>;
}

const plugin = {
  meta: { name: 'asynclint', version: VERSION },
  rules,
  configs: {} as Record<PresetName, object[]> & { 'disable-upstream': FlatConfig },
};

function preset(name: PresetName): object[] {
  const presetEntries = Object.entries(presetRules(name, rules)).map(([id, severity]) => [`asynclint/${id}`, severity]);
  return [
    { name: `asynclint/${name}`, plugins: { asynclint: plugin }, rules: Object.fromEntries(presetEntries) },
    {
      name: 'asynclint/typescript-parser',
      files: TYPESCRIPT_FILES,
      languageOptions: { parser: typescriptEslintParser },
    },
  ];
}

/**
 * The ESLint core, typescript-eslint and eslint-plugin-n rules ours replace, switched off: each
 * rule's `meta.docs.upstream`, the same list by which the CLI honours their disable comments.
 * One object, to place after the configs that turn them on. Not part of the presets: ESLint 10
 * accepts "off" for rules of plugins that are not loaded, but a preset that silently switched
 * off rules configured elsewhere would depend on the order of the user's configs, and it would
 * leave their `eslint-disable` comments for those rules unused.
 */
function disableUpstream(): FlatConfig {
  const upstream = [...new Set(Object.values(rules).flatMap((rule) => rule.meta.docs.upstream ?? []))].sort();
  return {
    name: 'asynclint/disable-upstream',
    rules: Object.fromEntries(upstream.map((name) => [name, 'off' as const])),
  };
}

plugin.configs.recommended = preset('recommended');
plugin.configs.strict = preset('strict');
plugin.configs['disable-upstream'] = disableUpstream();

export default plugin;
export { rules };
