#!/usr/bin/env node
// Extracts the pinned commit of each repository in repos.json from its bare mirror into the
// scratch folder, and the before/after packages of each bug-fix case, keeping only what
// asynclint reads (see keepFile). Idempotent: a stamp file names what a folder holds.
//
//   node bench/realworld/materialize.mjs [--repo owner/name]... [--force]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  fixDir,
  git,
  hasMirror,
  keepFile,
  KEPT_FILES_VERSION,
  loadBugfixes,
  loadRepos,
  mirrorDir,
  parseArgs,
  repoDir,
  SCRATCH,
} from './common.mjs';

const STAMP = '.asynclint-materialized';

/** Blobs under `subdir` ('' = the whole tree) at `commit` that pass the filter; symlinks are left out. */
function listFiles(repo, commit, subdir) {
  const out = git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit, ...(subdir ? ['--', subdir] : [])]);
  const files = [];
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha] = entry.slice(0, tab).split(' ');
    // 120000 is a symlink: it can point out of the tree or loop, and the linter would follow it.
    if (type !== 'blob' || mode === '120000') continue;
    const file = entry.slice(tab + 1);
    if (keepFile(file)) files.push({ file, sha });
  }
  return files;
}

/** The files whose blobs the mirror lacks (a mirror may leave its largest files out). */
function missingBlobs(repo, files) {
  if (files.length === 0) return new Set();
  const out = git(repo, ['cat-file', '--batch-check'], { input: files.map((f) => f.sha).join('\n') });
  const lines = out.split('\n').filter((line) => line.endsWith(' missing'));
  const missing = new Set(lines.map((line) => line.split(' ')[0]));
  return new Set(files.filter((f) => missing.has(f.sha)).map((f) => f.file));
}

/** Runs `git archive <commit> -- files | tar -x -C dest`; rejects with both tools' messages. */
async function archiveInto(repo, commit, files, dest) {
  // --literal-pathspecs: a file named `[id].ts` is a name, not a glob. --worktree-attributes: in a
  // bare mirror that means no attributes, so the tree's export-ignore/export-subst change nothing.
  const archive = spawn(
    'git',
    [
      '--literal-pathspecs',
      '--git-dir',
      mirrorDir(repo),
      'archive',
      '--worktree-attributes',
      '--format=tar',
      commit,
      '--',
      ...files,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tar = spawn('tar', ['-x', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
  archive.stdout.pipe(tar.stdin);
  const errors = [];
  archive.stderr.on('data', (chunk) => errors.push(String(chunk)));
  tar.stderr.on('data', (chunk) => errors.push(String(chunk)));
  const exited = (child) => new Promise((resolve) => child.on('close', resolve));
  const codes = await Promise.all([exited(archive), exited(tar)]);
  if (codes.some((code) => code !== 0)) throw new Error(`git archive | tar: ${errors.join('').trim().slice(0, 300)}`);
}

/** The filtered files under `subdir` at `commit` into `dest`: { count, missing }. */
async function extract(repo, commit, subdir, dest) {
  const listed = listFiles(repo, commit, subdir);
  const missing = missingBlobs(repo, listed);
  const files = listed.map((f) => f.file).filter((file) => !missing.has(file));
  mkdirSync(dest, { recursive: true });
  // The paths go on the command line (git archive would fail on any absent blob of a whole
  // tree), in chunks that stay well under the kernel's argument limit.
  for (let i = 0; i < files.length;) {
    const chunk = [];
    for (let size = 0; i < files.length && size < 100_000; i++) {
      chunk.push(files[i]);
      size += files[i].length + 1;
    }
    await archiveInto(repo, commit, chunk, dest);
  }
  return { count: files.length, missing: [...missing] };
}

/**
 * The repository at its pinned commit in repoDir(repo). Extracted into a `.part` folder that is
 * renamed at the end, so an interrupted run never leaves a folder that looks complete.
 */
export async function materializeRepo(entry, { force = false } = {}) {
  const dest = repoDir(entry.repo);
  const stamp = path.join(dest, STAMP);
  const stampText = `${entry.commit}\nkept ${KEPT_FILES_VERSION}\n`;
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === stampText) return { dest, fresh: false };
  const part = `${dest}.part`;
  rmSync(part, { recursive: true, force: true });
  const { count, missing } = await extract(entry.repo, entry.commit, '', part);
  writeFileSync(path.join(part, STAMP), stampText);
  rmSync(dest, { recursive: true, force: true });
  renameSync(part, dest);
  return { dest, fresh: true, count, missing };
}

/** The nearest folder at or above `file`'s folder with a package.json at `commit` ('' = repository root). */
function packageDir(repo, commit, file) {
  const parts = file.split('/').slice(0, -1);
  const candidates = parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
  const manifests = candidates.map((dir) => `${dir}/package.json`);
  const present = new Set(git(repo, ['ls-tree', '--name-only', '--full-tree', commit, '--', ...manifests]).split('\n'));
  return candidates.find((dir) => present.has(`${dir}/package.json`)) ?? '';
}

/** Whether `dir` is `other` or inside it ('' holds everything). */
const within = (dir, other) => other === '' || dir === other || dir.startsWith(`${other}/`);

/**
 * One side of a bug-fix case: the package around `file` at `commit`, at its repository-relative
 * place under `sideDir`. The stamp lists the packages already there, one `commit package` a line.
 */
async function materializeSide(repo, commit, file, sideDir) {
  let sha;
  try {
    sha = git(repo, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]).trim();
  } catch {
    throw new Error(`commit ${commit} is not in the mirror`);
  }
  try {
    git(repo, ['cat-file', '-e', `${sha}:${file}`]);
  } catch {
    throw new Error(`${file} is not in commit ${sha.slice(0, 12)}`);
  }
  const pkg = packageDir(repo, sha, file);
  const stamp = path.join(sideDir, STAMP);
  const done = () => (existsSync(stamp) ? readFileSync(stamp, 'utf8').split('\n').filter(Boolean) : []);
  const has = (dir) =>
    done().some((line) => {
      const [stampSha, stamped = ''] = line.split(' ');
      return stampSha === sha && within(dir, stamped);
    });
  const have = has(pkg);
  if (!have) {
    await extract(repo, sha, pkg, sideDir);
    addStampLine(stamp, `${sha} ${pkg}`);
  }
  // A real clone has the workspace around the package: its root listing, manifest and tsconfig,
  // and the packages of the workspace the package depends on (imported by their names).
  let fresh = !have;
  if (pkg !== '') {
    const workspace = workspaceAt(repo, sha);
    if (workspace && !done().includes(`${sha} :root`)) {
      await extractFiles(repo, sha, workspace.rootFiles, sideDir);
      addStampLine(stamp, `${sha} :root`);
      fresh = true;
    }
    for (const dependency of workspace ? workspaceDependencies(repo, sha, pkg, workspace) : []) {
      if (has(dependency)) continue;
      await extract(repo, sha, dependency, sideDir);
      addStampLine(stamp, `${sha} ${dependency}`);
      fresh = true;
    }
  }
  const inside = pkg ? file.slice(pkg.length + 1) : file;
  return { commit: sha, pkg, cwd: path.join(sideDir, pkg), file: inside, fresh };
}

/**
 * Adds a line to a stamp file by writing a new file: a scratch copy made with hard links
 * (`cp -al`) must not change the stamp of the tree it was copied from.
 */
function addStampLine(stamp, line) {
  const text = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  rmSync(stamp, { force: true });
  writeFileSync(stamp, `${text}${line}\n`);
}

/** Some files of the tree (kept by keepFile, present in the mirror) into `dest`. */
async function extractFiles(repo, commit, files, dest) {
  const listed = files.flatMap((file) => listFiles(repo, commit, file).filter((found) => found.file === file));
  const missing = missingBlobs(repo, listed);
  const present = listed.map((found) => found.file).filter((file) => !missing.has(file));
  if (present.length > 0) await archiveInto(repo, commit, present, dest);
}

function showJson(repo, commit, file) {
  try {
    return JSON.parse(git(repo, ['show', `${commit}:${file}`]));
  } catch {
    return null;
  }
}

/** The workspace listing at the root of the tree (pnpm-workspace.yaml, or package.json `workspaces`), or null. */
function workspaceAt(repo, commit) {
  const root = git(repo, ['ls-tree', '--name-only', commit]).split('\n').filter(Boolean);
  let patterns = null;
  if (root.includes('pnpm-workspace.yaml')) {
    const yaml = git(repo, ['show', `${commit}:pnpm-workspace.yaml`]);
    patterns = [...yaml.matchAll(/^\s+-\s+['"]?([^'"#\s]+)['"]?/gm)].map((match) => match[1]);
  } else if (root.includes('package.json')) {
    const field = showJson(repo, commit, 'package.json')?.workspaces;
    const list = Array.isArray(field) ? field : field?.packages;
    if (Array.isArray(list)) patterns = list.filter((item) => typeof item === 'string');
  }
  if (!patterns) return null;
  const rootFiles = root.filter((name) => /^(?:package\.json|pnpm-workspace\.yaml|tsconfig.*\.json)$/.test(name));
  return { patterns, rootFiles };
}

/** A workspace pattern (`packages/*`) as a test of a folder path; `!` patterns exclude. */
function patternTest(pattern) {
  const source = pattern
    .replace(/^\.\//, '')
    .split('/')
    .map((part) => (part === '**' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The folders of the workspace packages that the package in `pkg` lists among its dependencies
 * (any kind), found by the `name` of the manifests in folders the workspace patterns name.
 */
function workspaceDependencies(repo, commit, pkg, workspace) {
  const manifest = showJson(repo, commit, `${pkg}/package.json`);
  if (!manifest) return [];
  const fields = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
  const wanted = new Set(fields.flatMap((field) => Object.keys(manifest[field] ?? {})));
  if (wanted.size === 0) return [];
  const includes = workspace.patterns.filter((pattern) => !pattern.startsWith('!')).map(patternTest);
  const excludes = workspace.patterns.filter((pattern) => pattern.startsWith('!')).map((p) => patternTest(p.slice(1)));
  const folders = git(repo, ['ls-tree', '-r', '--name-only', commit])
    .split('\n')
    .filter((file) => file.endsWith('/package.json') && !file.split('/').includes('node_modules'))
    .map((file) => file.slice(0, -'/package.json'.length))
    .filter((dir) => includes.some((test) => test.test(dir)) && !excludes.some((test) => test.test(dir)));
  // Read only the manifests whose folder could hold a wanted name (`packages/kit` for `@sveltejs/kit`).
  const lastSegments = new Set([...wanted].map((name) => name.split('/').pop()));
  const found = [];
  for (const dir of folders) {
    if (dir === pkg || !lastSegments.has(dir.split('/').pop())) continue;
    const name = showJson(repo, commit, `${dir}/package.json`)?.name;
    if (typeof name === 'string' && wanted.has(name)) found.push(dir);
  }
  return found;
}

/**
 * Every bug-fix case of the repository, each with `before` and `after` sides ({ cwd, file }), or
 * an `error` when a commit or file is not in the mirror.
 */
export async function materializeFixes(entry) {
  const cases = [];
  for (const fix of loadBugfixes(entry.repo)) {
    const dir = fixDir(entry.repo, fix.fix);
    try {
      const before = await materializeSide(entry.repo, fix.before, fix.path, path.join(dir, 'before'));
      const after = await materializeSide(entry.repo, fix.fix, fix.afterPath, path.join(dir, 'after'));
      cases.push({ ...fix, sides: { before, after } });
    } catch (error) {
      cases.push({ ...fix, error: `${fix.fix.slice(0, 12)} ${fix.path}: ${String(error.message).split('\n')[0]}` });
    }
  }
  return cases;
}

/** Both of the above for each entry; a repository without a mirror is skipped with a line. */
export async function materializeAll(entries, { force = false, log = console.log } = {}) {
  const ready = [];
  for (const entry of entries) {
    if (!hasMirror(entry.repo)) {
      log(`  ${entry.repo}: no mirror at ${mirrorDir(entry.repo)}, skipped`);
      continue;
    }
    try {
      const started = Date.now();
      const tree = await materializeRepo(entry, { force });
      const fixes = await materializeFixes(entry);
      const fresh = fixes.filter((fix) => fix.sides && (fix.sides.before.fresh || fix.sides.after.fresh)).length;
      if (tree.fresh || fresh > 0) {
        const absent = tree.missing?.length ? ` (${tree.missing.length} absent from the mirror)` : '';
        const what = tree.fresh ? `${tree.count} files${absent}` : 'tree up to date';
        log(`  ${entry.repo}: ${what}, ${fixes.length} bug-fix cases (${fresh} new), ${Date.now() - started} ms`);
      }
      for (const fix of fixes) if (fix.error) log(`  ${entry.repo}: bug-fix case skipped: ${fix.error}`);
      ready.push({ ...entry, dir: tree.dest, fixes });
    } catch (error) {
      log(`  ${entry.repo}: materialising failed, skipped: ${String(error.message).split('\n')[0]}`);
    }
  }
  return ready;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseArgs(process.argv.slice(2), { values: ['repo'], switches: ['force'] });
  console.log(`materialising into ${SCRATCH}`);
  const ready = await materializeAll(loadRepos(options.repo), { force: options.force });
  console.log(`${ready.length} repositories ready`);
}
