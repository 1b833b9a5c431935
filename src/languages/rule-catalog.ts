/**
 * Every rule's id, name and metadata: what config validation, the cache key, suppressions and the
 * formatters need. Drawn from the registry here; the bundled CLI has this module replaced by the
 * same data as a literal (scripts/bundle-cli.mjs), so that a run knows the rules without loading
 * their code, and loads it only when a file must be linted.
 */
import type { RuleInfo } from '../types.js';
import { rules } from './index.js';

export const ruleCatalog: Readonly<Record<string, RuleInfo>> = Object.fromEntries(
  Object.entries(rules).map(([id, rule]) => [id, { name: rule.name, meta: rule.meta }]),
);
