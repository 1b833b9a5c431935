/**
 * ESLint plugin mode: the same rule objects, for flat config.
 *   import asynclint from 'asynclint/eslint-plugin';
 *   export default [...asynclint.configs.recommended];
 */
import { typescriptEslintParser } from '../parser/eslint-parser.js';
import { rules } from '../../rules/index.js';
import { presetRules } from '../config/presets.js';
import { VERSION } from '../version.js';
import type { PresetName } from '../types.js';

const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

const plugin = {
  meta: { name: 'asynclint', version: VERSION },
  rules,
  configs: {} as Record<PresetName, object[]>,
};

function preset(name: PresetName): object[] {
  const presetEntries = Object.entries(presetRules(name, rules)).map(([id, severity]) => [`asynclint/${id}`, severity]);
  return [
    { name: `asynclint/${name}`, plugins: { asynclint: plugin }, rules: Object.fromEntries(presetEntries) },
    { name: 'asynclint/typescript-parser', files: TYPESCRIPT_FILES, languageOptions: { parser: typescriptEslintParser } },
  ];
}

plugin.configs.recommended = preset('recommended');
plugin.configs.strict = preset('strict');

export default plugin;
export { rules };
