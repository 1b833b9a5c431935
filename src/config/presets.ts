/** Presets are derived from rule metadata, so a rule's docs and its preset cannot disagree. */
import type { PresetName, RuleInfo, SeverityName } from '../types.js';

export const PRESET_NAMES: readonly PresetName[] = ['recommended', 'strict'];

export function presetRules(preset: PresetName, rules: Record<string, RuleInfo>): Record<string, SeverityName> {
  const entries: Record<string, SeverityName> = {};
  for (const [id, rule] of Object.entries(rules)) {
    const { preset: rulePreset, presetSeverity } = rule.meta.docs;
    if (rulePreset === 'recommended' || preset === 'strict') entries[id] = presetSeverity;
  }
  return entries;
}
