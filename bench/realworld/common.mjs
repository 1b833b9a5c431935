// Shared by materialize.mjs and run.mjs: where things live, the repository list, the data files
// (ledger, bug-fix cases) and the file filter. Node built-ins only.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
export const MIRRORS = process.env.ASYNCLINT_MIRRORS || '/work/.mirror';
export const SCRATCH = path.resolve(process.env.ASYNCLINT_REALWORLD || '/work/realworld');
// The ledger/ and bugfixes/ folders; overridable so the scripts can be tried on made-up data.
export const DATA = path.resolve(process.env.ASYNCLINT_REALWORLD_DATA || HERE);

/** `owner/name` -> `owner+name`, the folder name used everywhere (mirrors, scratch, data files). */
export const slug = (repo) => repo.replace('/', '+');
export const mirrorDir = (repo) => path.join(MIRRORS, slug(repo), 'repo');
export const repoDir = (repo) => path.join(SCRATCH, slug(repo));
export const fixDir = (repo, fix) => path.join(SCRATCH, 'fixes', slug(repo), fix.slice(0, 12));

/** What asynclint lints; everything else is only kept when a linter or resolver reads it. */
const LINTED = /\.(?:js|mjs|cjs|jsx|ts|mts|cts|tsx)$/;
// Test-runner configs come in any extension (.json, .yml, .cjs ...); tsconfig and package.json
// let asynclint resolve imports and package facts; pnpm-workspace.yaml lists a workspace's packages
// (which of them only commands use); .gitignore decides what a folder walk skips.
const KEPT_NAMES = new RegExp(
  String.raw`^(?:package\.json|pnpm-workspace\.yaml|tsconfig.*\.json|\.gitignore|(?:vitest|jest|mocha)\.(?:config|workspace)\b.*` +
    String.raw`|\.mocharc.*|mocha\.opts)$`,
);

/**
 * Which version of keepFile's choice a materialised tree holds: raised whenever keepFile keeps more
 * (2: pnpm-workspace.yaml), so that trees extracted before are extracted again.
 */
export const KEPT_FILES_VERSION = 2;

/** Whether a repository-relative posix path belongs in a materialised tree. */
export function keepFile(file) {
  const parts = file.split('/');
  if (parts.includes('node_modules')) return false;
  const base = parts[parts.length - 1];
  return LINTED.test(base) || KEPT_NAMES.test(base);
}

/** A bare mirror's git, as text; throws with git's own message on failure. */
export function git(repo, args, options = {}) {
  return execFileSync('git', [`--git-dir=${mirrorDir(repo)}`, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

export function hasMirror(repo) {
  return existsSync(path.join(mirrorDir(repo), 'HEAD'));
}

/** One JSON object a line; an absent file is empty, a bad line is reported and skipped. */
export function readJsonl(file) {
  if (!existsSync(file)) return [];
  const rows = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line));
      } catch (error) {
        console.warn(`  ${path.relative(ROOT, file)}:${index + 1}: not JSON, skipped (${error.message})`);
      }
    });
  return rows;
}

export const loadLedger = (repo) => readJsonl(path.join(DATA, 'ledger', `${slug(repo)}.jsonl`));

/** Bug-fix cases with the defaults filled in: `afterPath` is `path`, `before` is the fix's parent. */
export function loadBugfixes(repo) {
  const cases = [];
  for (const row of readJsonl(path.join(DATA, 'bugfixes', `${slug(repo)}.jsonl`))) {
    if (!/^[0-9a-f]{7,40}$/i.test(row.fix ?? '') || typeof row.path !== 'string') {
      console.warn(`  ${repo}: bug-fix case without a fix sha or path, skipped: ${JSON.stringify(row).slice(0, 100)}`);
      continue;
    }
    cases.push({ ...row, before: row.before || `${row.fix}^`, afterPath: row.afterPath || row.path });
  }
  return cases;
}

/**
 * Whether a case's fix reached the repository's default branch (the mirror's HEAD), for recall
 * counts only fixes the maintainers kept: `ancestor` when the fix commit is on it; otherwise the
 * case's own record, checked by hand because a squash or a cherry-pick makes a new commit:
 * `merged` (`"merged": true`) or `not merged` (`"merged": false`); `unchecked` without a record.
 */
export function mergeStatus(repo, fix) {
  try {
    git(repo, ['merge-base', '--is-ancestor', fix.fix, 'HEAD']);
    return 'ancestor';
  } catch {
    // Exit 1 is "not an ancestor"; a commit the mirror lacks falls back to the record too.
  }
  if (fix.merged === true) return 'merged';
  // A maintainer's own fix on a branch whose code was rewritten before the merge still says,
  // in the maintainer's words, that the shape was a defect.
  if (fix.merged === false && fix.maintainerFix) return 'maintainer';
  if (fix.merged === false) return 'not merged';
  return 'unchecked';
}

/** The entries of repos.json, narrowed to `selected` (owner/name, case-insensitive) when given. */
export function loadRepos(selected = []) {
  const all = JSON.parse(readFileSync(path.join(HERE, 'repos.json'), 'utf8'));
  if (selected.length === 0) return all;
  const wanted = new Map(selected.map((name) => [name.toLowerCase(), name]));
  const picked = all.filter((entry) => wanted.delete(entry.repo.toLowerCase()));
  for (const name of wanted.values()) console.warn(`not in repos.json, skipped: ${name}`);
  return picked;
}

/** `--flag value` (repeatable ones collect into arrays) and bare `--switch`es; unknown ones are an error. */
export function parseArgs(argv, { values = [], switches = [] }) {
  const options = Object.fromEntries([...values.map((v) => [v, []]), ...switches.map((s) => [s, false])]);
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (values.includes(name) && i + 1 < argv.length) options[name].push(argv[++i]);
    else if (switches.includes(name)) options[name] = true;
    else {
      const known = [...values, ...switches].map((o) => `--${o}`).join(' ');
      throw new Error(`unknown argument ${argv[i]}; options: ${known}`);
    }
  }
  return options;
}
