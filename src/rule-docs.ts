/** The rules' documentation as shipped in the package (`docs/rules/<id>.md`). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from './version.js';

export function ruleDocsPath(ruleId: string): string {
  return path.join(PACKAGE_ROOT, 'docs', 'rules', `${ruleId}.md`);
}

/** Markdown per rule id; a rule whose page is missing is left out (formats fall back to its description). */
export async function readRuleDocs(ruleIds: readonly string[]): Promise<Record<string, string>> {
  const pages = await Promise.all(ruleIds.map((id) => readFile(ruleDocsPath(id), 'utf8').catch(() => null)));
  const docs: Record<string, string> = {};
  ruleIds.forEach((id, index) => {
    if (pages[index] !== null) docs[id] = pages[index]!;
  });
  return docs;
}
