#!/usr/bin/env node
// The real-world benchmark: lints the pinned repositories of repos.json and the bug-fix cases of
// bugfixes/ with this checkout's CLI, then prints precision (against ledger/), recall on the
// bug fixes (with ESLint's no-await-in-loop beside it), what asynclint says on lines the
// maintainers suppressed, lost true findings, and writes the unlabelled findings for review.
//
//   npm run bench:realworld -- [--repo owner/name]... [--skip-lint] [--markdown]
//
// Progress goes to stderr, the tables to stdout (so `--markdown > note.md` is just the tables).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadLedger, loadRepos, mergeStatus, parseArgs, ROOT, SCRATCH, slug } from './common.mjs';
import { materializeAll } from './materialize.mjs';

// Set in Main to a snapshot of this checkout's bin/ and dist/ (see snapshotCli).
let CLI = path.join(ROOT, 'bin', 'asynclint.js');
const OUT = path.join(SCRATCH, 'out');
const LINT_FLAGS = ['--no-config', '--no-cache', '--rule', 'sequential-await:warn', '-f', 'json', '-j', '2'];

/** The README's families, in the order the tables list them; a rule not named here goes to `other`. */
const FAMILIES = {
  sequential: ['await-in-loop', 'sequential-await'],
  blocking: ['blocking-call', 'busy-wait'],
  floating: ['floating-promise'],
  misuse: ['async-callback', 'promise-in-condition', 'async-executor', 'return-await-in-try'],
};
const RULE_ORDER = Object.values(FAMILIES).flat();
const familyOf = (rule) => Object.keys(FAMILIES).find((family) => FAMILIES[family].includes(rule)) ?? 'other';

/**
 * Upstream rules whose disable comments state that a shape is intended, and the asynclint rules
 * that judge the same shape. An await in a loop that a maintainer kept sequential on purpose is
 * intended for sequential-await too, so no-await-in-loop covers both sequential rules.
 */
const UPSTREAM = {
  'no-await-in-loop': ['await-in-loop', 'sequential-await'],
  '@typescript-eslint/no-floating-promises': ['floating-promise'],
  '@typescript-eslint/no-misused-promises': ['async-callback', 'promise-in-condition'],
  'n/no-sync': ['blocking-call'],
  'node/no-sync': ['blocking-call'],
  'no-async-promise-executor': ['async-executor'],
  '@typescript-eslint/return-await': ['return-await-in-try'],
};
const OWN = 'asynclint (own)';

const options = parseArgs(process.argv.slice(2), {
  values: ['repo', 'config'],
  switches: ['skip-lint', 'markdown'],
});
const log = (line) => process.stderr.write(`${line}\n`);
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Linting

/**
 * One CLI run whose JSON report ends up in `out` (written to a temporary name first, so a
 * crashed run never leaves a report that --skip-lint would take for a good one).
 * Returns { results } or { error }.
 */
function lint(cwd, targets, out, extra = []) {
  if (options['skip-lint']) {
    if (!existsSync(out)) return { error: `no earlier report ${path.relative(SCRATCH, out)}; run without --skip-lint` };
    try {
      return { results: JSON.parse(readFileSync(out, 'utf8')), ms: 0 };
    } catch (error) {
      return { error: `unreadable earlier report ${path.relative(SCRATCH, out)}: ${error.message}` };
    }
  }
  mkdirSync(path.dirname(out), { recursive: true });
  const temporary = `${out}.${process.pid}.tmp`;
  const begun = Date.now();
  // --config <file> lints with that config instead of the recommended rules (an experiment, such
  // as a rule widened to more contexts); point ASYNCLINT_REALWORLD at another scratch folder then,
  // so the reports of the default run are kept.
  const config = options.config.at(-1);
  const flags = config
    ? LINT_FLAGS.flatMap((flag) => (flag === '--no-config' ? ['-c', path.resolve(config)] : [flag]))
    : LINT_FLAGS;
  const child = spawnSync(process.execPath, [CLI, ...targets, ...flags, '-o', temporary, ...extra], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: 60 * 60 * 1000,
  });
  const ms = Date.now() - begun;
  // Exit 0 is clean and 1 means findings at error level; anything else is a failure of the run.
  const stderr = `${child.stderr ?? ''}${child.error ? child.error.message : ''}`;
  const tail = stderr.trim().split('\n').slice(-3).join(' | ');
  if ((child.status !== 0 && child.status !== 1) || !existsSync(temporary)) {
    rmSync(temporary, { force: true });
    return { error: `exit ${child.status ?? child.signal}: ${tail || 'no message'}`.slice(0, 400) };
  }
  try {
    const results = JSON.parse(readFileSync(temporary, 'utf8'));
    renameSync(temporary, out);
    return { results, ms };
  } catch (error) {
    rmSync(temporary, { force: true });
    return { error: `unreadable report: ${error.message}` };
  }
}

/** Findings of a report, paths relative to `base`: { findings, files, fatal }. */
function readFindings(results, base) {
  const findings = [];
  const fatal = [];
  // The CLI reports real paths: a scratch folder whose repositories are symlinks (or that is
  // itself one) must be judged from its real path, or no finding matches the ledger.
  const realBase = realpathSync(base);
  const relative = (filePath) => {
    const from = filePath.startsWith(realBase + path.sep) ? realBase : base;
    return path.relative(from, filePath).split(path.sep).join('/');
  };
  for (const result of results) {
    const file = relative(result.filePath);
    for (const message of result.messages) {
      const { line } = message;
      // The ledger names our rules without the plugin prefix that `-f json` gives them, as ESLint does.
      const rule = message.ruleId?.replace(/^asynclint\//, '') ?? null;
      if (rule) findings.push({ path: file, line, rule, message: message.message });
      else if (message.fatal) fatal.push({ path: file, line: message.line, message: message.message });
    }
  }
  return { findings, files: results.map((r) => relative(r.filePath)), fatal };
}

const keyOf = (finding) => `${finding.path}:${finding.line}:${finding.rule}`;

// ---------------------------------------------------------------------------------------------
// Areas and maintainers' disable comments

const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'e2e', 'fixtures', '__mocks__']);
const CLI_DIRS = new Set([
  'scripts',
  'script',
  'bin',
  'tools',
  'bench',
  'benchmark',
  'benchmarks',
  'build',
  'docs',
  'examples',
  'playground',
]);

/** The README's areas from the path alone: test before cli, so a test under scripts/ is a test. */
function areaOf(file) {
  const parts = file.toLowerCase().split('/');
  const base = parts.pop();
  if (parts.some((dir) => TEST_DIRS.has(dir)) || /\.(test|spec)\./.test(base)) return 'test';
  if (parts.some((dir) => CLI_DIRS.has(dir)) || /\.config\./.test(base)) return 'cli';
  return 'library';
}

const require = createRequire(path.join(ROOT, 'package.json'));
const tsParser = require('@typescript-eslint/parser');

/** Comments of a file, from a real parse; when that fails, `//` and one-line `/* *\/` comments by pattern. */
function commentsOf(text, file) {
  const jsx = !/\.[cm]?ts$/.test(file);
  try {
    const parserOptions = { comment: true, loc: true, range: true, jsx, filePath: file, sourceType: 'module' };
    const ast = tsParser.parse(text, parserOptions);
    return ast.comments.map((c) => ({ value: c.value, start: c.loc.start.line, end: c.loc.end.line }));
  } catch {
    const comments = [];
    text.split('\n').forEach((line, index) => {
      const match = /\/\/(.*)$|\/\*(.*?)\*\//.exec(line);
      if (match) comments.push({ value: match[1] ?? match[2], start: index + 1, end: index + 1 });
    });
    return comments;
  }
}

const DIRECTIVE = /^\s*(asynclint|eslint)-(disable-next-line|disable-line|disable|enable)(?=\s|$)([\s\S]*)$/;

/**
 * The disable comments of a file that speak for asynclint rules: ESLint ones naming an UPSTREAM
 * rule (or `asynclint/<rule>`), and asynclint's own. Each covers lines `from`..`to` for `rules`
 * (null: every rule); a block disable runs to its matching enable or the end of the file.
 */
function suppressionsOf(text, file) {
  if (!text.includes('eslint-') && !text.includes('asynclint-')) return [];
  const found = [];
  const open = [];
  for (const comment of commentsOf(text, file)) {
    const match = DIRECTIVE.exec(comment.value);
    if (!match) continue;
    const [, tool, kind, rest] = match;
    const names = rest
      .split(/\s--\s|\s--$/)[0]
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (kind === 'enable') {
      for (const entry of open) {
        if (entry.tool === tool && (names.length === 0 || entry.names.some((name) => names.includes(name)))) {
          entry.to = comment.start;
        }
      }
      continue;
    }
    let groups; // the name a comment counts under in Table 3, with the rules it covers
    if (tool === 'asynclint') {
      groups = [{ name: OWN, rules: names.length === 0 ? null : names.map((n) => n.replace(/^asynclint\//, '')) }];
    } else {
      groups = names.flatMap((name) => {
        if (UPSTREAM[name]) return [{ name, rules: UPSTREAM[name] }];
        return name.startsWith('asynclint/') ? [{ name: OWN, rules: [name.slice('asynclint/'.length)] }] : [];
      });
    }
    if (groups.length === 0) continue;
    const line = kind === 'disable-next-line' ? comment.end + 1 : comment.start;
    for (const group of groups) {
      const entry = {
        ...group,
        tool,
        names,
        path: file,
        line: comment.start,
        from: line,
        to: line,
        text: comment.value.trim().replace(/\s+/g, ' ').slice(0, 90),
      };
      if (kind === 'disable') {
        entry.to = Infinity;
        open.push(entry);
      }
      found.push(entry);
    }
  }
  return found;
}

const covers = (entry, finding) =>
  finding.path === entry.path &&
  finding.line >= entry.from &&
  finding.line <= entry.to &&
  (entry.rules === null || entry.rules.includes(finding.rule));

// ---------------------------------------------------------------------------------------------
// One repository

const VERDICTS = new Set(['true', 'false', 'intended']);
/** One object on one line, spaced like the README's ledger example so lines can be moved over as they are. */
const ledgerLine = (row) =>
  `{${Object.entries(row)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`;

/** Lints a repository twice and joins the reports with its ledger; `{ entry, error }` when a run failed. */
function runRepo(entry, index, total) {
  const name = slug(entry.repo);
  const normal = lint(entry.dir, ['.'], path.join(OUT, `${name}.json`));
  const rawOut = path.join(OUT, `${name}.no-inline.json`);
  const raw = normal.error ? normal : lint(entry.dir, ['.'], rawOut, ['--no-inline-config']);
  const head = `[${index}/${total}] ${entry.repo}`;
  if (normal.error || raw.error) {
    log(`${head}: lint failed, left out of the tables: ${normal.error ?? raw.error}`);
    return { entry, error: normal.error ?? raw.error };
  }
  const shown = readFindings(normal.results, entry.dir);
  const all = readFindings(raw.results, entry.dir);
  const shownKeys = new Set(shown.findings.map(keyOf));

  // The maintainers' comments, read from the files the CLI linted.
  const texts = new Map();
  const textOf = (file) => {
    if (!texts.has(file)) {
      const absolute = path.join(entry.dir, file);
      texts.set(file, existsSync(absolute) ? readFileSync(absolute, 'utf8') : '');
    }
    return texts.get(file);
  };
  const suppressions = all.files.flatMap((file) => suppressionsOf(textOf(file), file));

  const ledger = new Map();
  for (const row of loadLedger(entry.repo)) {
    if (!VERDICTS.has(String(row.verdict))) continue; // an empty verdict is a finding nobody triaged yet
    ledger.set(keyOf(row), row);
  }

  // A finding is a (path, line, rule): messages of one rule on one line count once, as a ledger line does.
  const findings = new Map();
  for (const finding of all.findings) {
    const key = keyOf(finding);
    if (findings.has(key)) continue;
    const by = suppressions.filter((s) => covers(s, finding));
    const row = ledger.get(key);
    // The ledger's word wins; otherwise a maintainer's disable comment labels the shape intended.
    const verdict = row ? String(row.verdict) : by.length > 0 ? 'intended' : null;
    findings.set(key, {
      ...finding,
      repo: entry.repo,
      area: areaOf(finding.path),
      shown: shownKeys.has(key),
      verdict,
      auto: !row && by.length > 0,
      by,
    });
  }
  for (const s of suppressions) {
    Object.assign(s, { repo: entry.repo, hits: [...findings.values()].filter((f) => covers(s, f)) });
  }

  const lost = [...ledger.values()]
    .filter((row) => row.verdict === 'true' && !shownKeys.has(keyOf(row)))
    .map((row) => ({ ...row, repo: entry.repo, hidden: findings.has(keyOf(row)) }));
  const gone = [...ledger.values()].filter((row) => !findings.has(keyOf(row)));

  // The unlabelled findings, for a reviewer to fill in and move into the ledger.
  const split = new Map();
  const lines = (file) => split.get(file) ?? split.set(file, textOf(file).split('\n')).get(file);
  const unlabelled = [...findings.values()].filter((f) => f.verdict === null);
  mkdirSync(path.join(SCRATCH, 'unlabelled'), { recursive: true });
  writeFileSync(
    path.join(SCRATCH, 'unlabelled', `${name}.jsonl`),
    unlabelled
      .map(
        (f) =>
          `${ledgerLine({
            path: f.path,
            line: f.line,
            rule: f.rule,
            area: f.area,
            verdict: '',
            reason: '',
            text: (lines(f.path)[f.line - 1] ?? '').trim().slice(0, 200),
          })}\n`,
      )
      .join(''),
  );

  const hidden = [...findings.values()].filter((f) => !f.shown).length;
  const time = options['skip-lint'] ? 'reused reports' : `${seconds(normal.ms)} + ${seconds(raw.ms)}`;
  const unparsed = all.fatal.length ? `, ${all.fatal.length} files did not parse` : '';
  log(
    `${head}: ${all.files.length} files, ${findings.size} findings (${hidden} hidden by comments)${unparsed}, ` + time,
  );
  return {
    entry,
    files: all.files.length,
    fatal: all.fatal,
    findings: [...findings.values()],
    suppressions,
    lost,
    gone,
    unlabelled: unlabelled.length,
    ms: (normal.ms ?? 0) + (raw.ms ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Bug-fix cases

let linter = null;
/** ESLint's no-await-in-loop on one file, in process: the 1-based lines it reports. */
function eslintAwaitInLoop(text, file) {
  if (!linter) linter = new (require('eslint').Linter)();
  const typescript = /\.[cm]?tsx?$/.test(file);
  const attempt = (sourceType) => {
    const languageOptions = typescript
      ? { parser: tsParser, sourceType: 'module' }
      : { ecmaVersion: 'latest', sourceType, parserOptions: { ecmaFeatures: { jsx: true } } };
    // `**/*` would not do: flat config lints a file only when a pattern names its extension.
    const config = [
      {
        files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        languageOptions,
        rules: { 'no-await-in-loop': 'warn' },
      },
    ];
    // A relative name: the flat config matches `files` against paths under the linter's cwd.
    return linter.verify(text, config, file.replace(/^\/+/, ''));
  };
  let messages = attempt(file.endsWith('.cjs') ? 'commonjs' : 'module');
  // Plain .js may be a script (with, octal literals, top-level return): try that before giving up.
  if (messages.some((m) => m.fatal) && !typescript) messages = attempt('commonjs');
  // A message without a rule is a parse error or "no matching configuration": either way, no answer.
  const failure = messages.find((m) => m.fatal || !m.ruleId);
  if (failure) return { error: failure.message };
  return { lines: messages.filter((m) => m.ruleId === 'no-await-in-loop').map((m) => m.line) };
}

/**
 * `beforeLines`/`afterLines` as a set of lines. The data writes them as an inclusive range
 * `[from, to]` (`[890, 890]` is one line); a longer array is read as single lines, and a nested
 * `[from, to]` pair in it as a range.
 */
function lineSet(lines) {
  const set = new Set();
  if (!Array.isArray(lines)) return set;
  const isPair = (item) => Array.isArray(item) && item.length === 2 && item[0] <= item[1];
  const ranges = lines.length === 2 && lines[0] <= lines[1] && !lines.some(Array.isArray) ? [lines] : lines;
  for (const item of ranges) {
    if (isPair(item)) for (let line = Number(item[0]); line <= Number(item[1]); line++) set.add(line);
    else if (Number.isInteger(Number(item))) set.add(Number(item));
  }
  return set;
}

const fixReports = new Map();

/** Both sides of every case: what asynclint (and ESLint, for sequential ones) reports on the lines. */
function runFixes(entry) {
  const rows = [];
  for (const fix of entry.fixes) {
    if (fix.error) continue;
    const row = { repo: entry.repo, fix: fix.fix, path: fix.path, family: fix.family, reason: fix.reason };
    row.merge = mergeStatus(entry.repo, fix);
    const rules = FAMILIES[fix.family];
    if (!rules) {
      rows.push({ ...row, error: `unknown family "${fix.family}"` });
      continue;
    }
    for (const side of ['before', 'after']) {
      const { cwd, file } = fix.sides[side];
      const lines = lineSet(side === 'before' ? fix.beforeLines : fix.afterLines);
      // Named by the repository-relative path: package-relative ones (src/index.ts) repeat across packages.
      const repoPath = side === 'before' ? fix.path : fix.afterPath;
      const report = `${fix.fix.slice(0, 12)}.${side}.${repoPath.replace(/[^\w.-]+/g, '_')}.json`;
      const out = path.join(OUT, 'fixes', slug(entry.repo), report);
      // Several defects of one fix often sit in one file: one run serves them all.
      if (!fixReports.has(out)) fixReports.set(out, lint(cwd, [file], out));
      const linted = fixReports.get(out);
      if (linted.error) {
        row.error = `${side}: ${linted.error}`;
        break;
      }
      const { findings, fatal } = readFindings(linted.results, cwd);
      if (fatal.length) row.error = `${side} does not parse: ${fatal[0].message}`;
      row[side] = findings.filter((f) => f.path === file && lines.has(f.line) && rules.includes(f.rule)).map(keyOf);
      if (fix.family === 'sequential') {
        const eslint = eslintAwaitInLoop(readFileSync(path.join(cwd, file), 'utf8'), file);
        if (eslint.error) row.eslintError = `${side}: ${eslint.error}`;
        row[`eslint${side}`] = (eslint.lines ?? []).filter((line) => lines.has(line));
      }
    }
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** Aligned text, or Markdown with --markdown; columns after the first `left` ones are numbers. */
function printTable(title, headers, rows, left = 1) {
  console.log(options.markdown ? `\n### ${title}\n` : `\n${title}`);
  if (rows.length === 0) {
    console.log(options.markdown ? '_none_' : '  (none)');
    return;
  }
  const cells = rows.map((row) => row.map((cell) => String(cell)));
  if (options.markdown) {
    console.log(`| ${headers.join(' | ')} |`);
    console.log(`|${headers.map((_, i) => (i < left ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const row of cells) console.log(`| ${row.join(' | ')} |`);
    return;
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const format = (row) => `  ${row.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  console.log(format(headers));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of cells) console.log(format(row).trimEnd());
}

const percent = (part, whole) => (whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`);

/** One row of Table 1 for the findings `list`. */
function precisionRow(list) {
  const count = (verdict) => list.filter((f) => f.verdict === verdict).length;
  const labelled = list.filter((f) => f.verdict !== null).length;
  return [
    list.length,
    list.filter((f) => !f.shown).length,
    labelled,
    count('true'),
    count('false'),
    count('intended'),
    list.filter((f) => f.auto).length,
    percent(count('true'), labelled),
    list.length - labelled,
  ];
}
const PRECISION_HEADERS = [
  'findings',
  'hidden',
  'labelled',
  'true',
  'false',
  'intended',
  'by-comment',
  'precision',
  'unlabelled',
];

function precisionTable(title, findings, areas) {
  // Rules without a finding would be rows of zeros: they get one line under the table instead.
  const rules = [...new Set([...RULE_ORDER, ...findings.map((f) => f.rule).sort()])];
  const silent = rules.filter((rule) => !findings.some((f) => f.rule === rule));
  const rows = [];
  for (const rule of [...rules.filter((r) => !silent.includes(r)), 'all']) {
    for (const [area, members] of areas) {
      const list = findings.filter((f) => (rule === 'all' || f.rule === rule) && members.includes(f.area));
      rows.push([rule, area, ...precisionRow(list)]);
    }
  }
  printTable(title, ['rule', 'area', ...PRECISION_HEADERS], rows, 2);
  if (silent.length > 0) console.log(`${options.markdown ? '\n' : '  '}no findings: ${silent.join(', ')}`);
}

/** Whether a case counts in recall: its fix is on the default branch, was merged to it, or is a maintainer's own. */
const counted = (row) => ['ancestor', 'merged', 'maintainer'].includes(row.merge);

function recallTable(rows) {
  const table = [];
  // A fix the maintainers never took (a declined pull request) is an opinion, not a label.
  const complete = rows.filter((row) => !row.error && counted(row));
  for (const family of Object.keys(FAMILIES)) {
    const cases = complete.filter((row) => row.family === family);
    const found = cases.filter((row) => row.before.length > 0);
    const still = cases.filter((row) => row.after.length > 0);
    const gone = found.filter((row) => row.after.length === 0);
    table.push([
      `asynclint ${family}`,
      cases.length,
      found.length,
      percent(found.length, cases.length),
      still.length,
      gone.length,
    ]);
  }
  const sequential = complete.filter((row) => row.family === 'sequential' && !row.eslintError);
  const found = sequential.filter((row) => row.eslintbefore.length > 0);
  table.push([
    'ESLint no-await-in-loop (sequential)',
    sequential.length,
    found.length,
    percent(found.length, sequential.length),
    sequential.filter((row) => row.eslintafter.length > 0).length,
    found.filter((row) => row.eslintafter.length === 0).length,
  ]);
  printTable(
    'Table 2: recall on bug-fix cases (found: a finding of the family on a fixed line of the before-file)',
    ['family', 'cases', 'found', 'recall', 'still in after', 'found and gone'],
    table,
    1,
  );
  for (const row of rows.filter((r) => counted(r) && (r.error || r.eslintError))) {
    const why = row.error ?? `ESLint ${row.eslintError}`;
    console.log(`  not counted: ${row.repo} ${row.fix.slice(0, 12)} ${row.path}: ${why}`);
  }
  apartLines(rows.filter((row) => !counted(row)));
}

/**
 * The cases left out of Table 2 because their fix never reached the default branch (or nobody
 * checked), per family, found and not found apart, so that leaving them out stays visible.
 */
function apartLines(apart) {
  for (const family of Object.keys(FAMILIES)) {
    const cases = apart.filter((row) => row.family === family);
    if (cases.length === 0) continue;
    const found = cases.filter((row) => !row.error && row.before.length > 0);
    const unchecked = cases.filter((row) => row.merge === 'unchecked').length;
    console.log(
      `  ${family}: ${cases.length} not counted (fix not on the default branch` +
        `${unchecked ? `, ${unchecked} unchecked: record "merged"` : ''}): ` +
        `found ${found.length}, not found ${cases.length - found.length}`,
    );
    for (const row of cases) {
      const state = row.error ? 'not linted' : found.includes(row) ? 'found' : 'not found';
      console.log(`    ${state.padEnd(10)} ${row.merge.padEnd(10)} ${row.repo} ${row.fix.slice(0, 8)} ${row.path}`);
    }
  }
}

function suppressionTables(repos) {
  const all = repos.flatMap((r) => r.suppressions);
  const names = [...Object.keys(UPSTREAM), OWN];
  const rows = names.map((name) => {
    const entries = all.filter((e) => e.name === name);
    const reported = entries.filter((e) => e.hits.length > 0);
    return [name, entries.length, reported.length, reported.filter((e) => e.hits.some((h) => h.shown)).length];
  });
  printTable(
    "Table 3: maintainers' disable comments, and those on lines asynclint reports (--no-inline-config)",
    ['comment names', 'comments', 'reported', 'of which shown anyway'],
    rows,
    1,
  );
  const listed = all.filter((e) => e.hits.length > 0);
  if (listed.length === 0) return;
  console.log('');
  for (const e of listed) {
    const hits = e.hits.map((h) => `${h.rule}@${h.line}${h.shown ? ' (shown)' : ''}`).join(', ');
    const where = `${e.repo ?? ''} ${e.path}:${e.line}`;
    console.log(`${options.markdown ? '- ' : '  '}${where}  \`${e.text}\`  -> ${hits}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Main

/** The newest mtime under dist/: the CLI runs from there, and a rebuild mid-run mixes two versions. */
function distBuilt() {
  const dist = path.join(ROOT, 'dist');
  if (!existsSync(dist)) return 0;
  const files = readdirSync(dist, { recursive: true }).map((file) => path.join(dist, String(file)));
  return Math.max(0, ...files.map((file) => statSync(file).mtimeMs));
}

/**
 * A copy of bin/, dist/ and package.json (node_modules linked) to run the CLI from: dist/ is
 * shared with whoever edits src/, and a rebuild in the middle of a ten-minute run would mix two
 * versions of the rules across the repositories. A copy taken while tsc was writing is retaken.
 */
function snapshotCli() {
  const target = path.join(SCRATCH, 'cli');
  for (let attempt = 0; attempt < 5; attempt++) {
    const built = distBuilt();
    if (!built) throw new Error('dist/ is missing: run `npm run build` first');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const part of ['bin', 'dist', 'package.json']) {
      cpSync(path.join(ROOT, part), path.join(target, part), { recursive: true });
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(target, 'node_modules'), 'dir');
    if (distBuilt() === built) return { cli: path.join(target, 'bin', 'asynclint.js'), built };
    sleep(2000);
  }
  throw new Error('dist/ keeps changing (a build in progress?); try again later');
}
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

let builtAt = distBuilt();
if (!options['skip-lint']) ({ cli: CLI, built: builtAt } = snapshotCli());
// dist/ is built from the working tree, so the commit alone may not say what ran.
const gitText = (...args) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
const version = `${gitText('rev-parse', '--short', 'HEAD')}${
  gitText('status', '--porcelain', '--', 'src', 'rules') ? ' + uncommitted changes in src/ or rules/' : ''
}`;

const entries = loadRepos(options.repo);
log(`materialising into ${SCRATCH}`);
const ready = await materializeAll(entries, { log });
const repos = [];
const fixRows = [];
for (const [i, entry] of ready.entries()) {
  const result = runRepo(entry, i + 1, ready.length);
  repos.push(result);
  if (entry.fixes.some((fix) => !fix.error)) {
    const begun = Date.now();
    const rows = runFixes(entry);
    fixRows.push(...rows);
    const time = options['skip-lint'] ? '' : ` in ${seconds(Date.now() - begun)}`;
    log(`  ${entry.repo}: ${rows.length} bug-fix cases linted${time}`);
  }
}
const good = repos.filter((r) => !r.error);
const findings = good.flatMap((r) => r.findings);

const repositories = (n) => `${n} ${n === 1 ? 'repository' : 'repositories'}`;
if (options.markdown) console.log(`## asynclint on ${repositories(good.length)}`);
precisionTable('Table 1: precision by rule and area (library includes cli; precision = true / labelled)', findings, [
  ['library', ['library', 'cli']],
  ['test', ['test']],
]);
precisionTable('Table 1b: the same with cli apart', findings, [
  ['library', ['library']],
  ['cli', ['cli']],
  ['test', ['test']],
]);
recallTable(fixRows);
// Per case, for whoever reviews the recall: which findings (or ESLint lines) each side had.
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'bugfixes.jsonl'), fixRows.map((row) => `${JSON.stringify(row)}\n`).join(''));
suppressionTables(good);

const lost = good.flatMap((r) => r.lost);
printTable(
  'Lost true findings (ledger verdict true, no longer reported)',
  ['repo', 'path:line', 'rule', 'now', 'reason'],
  lost.map((row) => [
    row.repo,
    `${row.path}:${row.line}`,
    row.rule,
    row.hidden ? 'hidden by a comment' : 'gone',
    String(row.reason ?? '').slice(0, 60),
  ]),
  5,
);
const gone = good.flatMap((r) => r.gone);
if (gone.length > 0) {
  const by = (v) => gone.filter((row) => row.verdict === v).length;
  console.log(
    `  ledger entries no longer found at all: ${gone.length} (true ${by('true')}, false ${by('false')}, ` +
      `intended ${by('intended')})`,
  );
}

printTable(
  `Unlabelled findings, written to ${path.join(SCRATCH, 'unlabelled')}/<owner>+<name>.jsonl`,
  ['repo', 'files', 'findings', 'unlabelled', 'unparsed'],
  [
    ...good.map((r) => [r.entry.repo, r.files, r.findings.length, r.unlabelled, r.fatal.length]),
    [
      'all',
      good.reduce((n, r) => n + r.files, 0),
      findings.length,
      good.reduce((n, r) => n + r.unlabelled, 0),
      good.reduce((n, r) => n + r.fatal.length, 0),
    ],
  ],
  1,
);

const failed = repos.filter((r) => r.error);
for (const r of failed) console.log(`  lint failed, not in the tables: ${r.entry.repo}: ${r.error}`);
const skipped = entries.length - ready.length;
console.log(
  `\n${repositories(good.length)}${failed.length ? `, ${failed.length} failed` : ''}${
    skipped ? `, ${skipped} skipped (see stderr)` : ''
  }; ${seconds(Date.now() - started)} in all`,
);
const built = builtAt ? new Date(builtAt).toISOString() : 'never';
console.log(
  options['skip-lint']
    ? `reports reused from an earlier run (checkout now at ${version})`
    : `asynclint at ${version}, run from a copy of dist/ built ${built}`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
