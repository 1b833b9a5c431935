// The bug-fix cases the last run of run.mjs missed, per family: a case is missed when no finding
// of its family sits on a line of its beforeLines. Cases whose fix never reached the default
// branch are skipped, as Table 2 leaves them out. Reads <scratch>/out/bugfixes.jsonl only.
// Usage: node bench/realworld/misses.mjs [family]...
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SCRATCH, readJsonl } from './common.mjs';

const file = path.join(SCRATCH, 'out', 'bugfixes.jsonl');
if (!existsSync(file)) {
  console.error(`${file} does not exist: run run.mjs first (ASYNCLINT_REALWORLD names the scratch folder)`);
  process.exit(2);
}
const wanted = new Set(process.argv.slice(2));
const byFamily = new Map();
for (const row of readJsonl(file)) {
  if (wanted.size > 0 && !wanted.has(row.family)) continue;
  if (!byFamily.has(row.family)) byFamily.set(row.family, []);
  byFamily.get(row.family).push(row);
}
for (const [family, all] of byFamily) {
  // Recall counts only fixes on the default branch or merged to it (run.mjs, Table 2); a report
  // from before that field counts every case.
  const rows = all.filter((row) => row.merge === undefined || ['ancestor', 'merged', 'maintainer'].includes(row.merge));
  const missed = rows.filter((row) => row.error || (row.before ?? []).length === 0);
  const apart = all.length - rows.length;
  const skipped = apart > 0 ? ` (${apart} not merged to the default branch, skipped)` : '';
  console.log(`${family}: ${rows.length - missed.length} of ${rows.length} found, ${missed.length} missed${skipped}`);
  for (const row of missed) {
    const why = row.error ? ` (not linted: ${row.error})` : '';
    console.log(`  ${row.repo} ${row.fix.slice(0, 8)} ${row.path}${why}\n    ${row.reason}`);
  }
}
