/**
 * How a package uses a function its files export (importer-uses.ts): each importer's calls, of
 * the kinds dev-server.ts, made-functions.ts and unwaited-functions.ts count, followed through re-exports; null where
 * some use is of another kind or the package may have callers not seen.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callsOfExports, type CallKind } from '../src/languages/js/analysis/index.js';
import { DiskProject } from '../src/languages/js/project/index.js';
import { writeSettledProject } from './helpers.js';

const PACKAGE: Record<string, string> = {
  'package.json': '{ "name": "p", "main": "./index.js" }',
  'index.js': "import plugin from './plugin.js';\nexport default () => [plugin()];\n",
  'plugin.js': [
    "import { hooked } from './lib/index.js';",
    'export default () => ({ configureServer(server) { hooked(server); } });',
  ].join('\n'),
  'optimizer.js': [
    "import makeLoader, { makeResolver } from './lib/index.js';",
    'export async function optimize(ids) {',
    '  const resolve = makeResolver(".");',
    '  const load = makeLoader(".");',
    '  for (const id of ids) await load(await resolve(id));',
    '}',
  ].join('\n'),
  'lib/index.js': "export { hooked, makeResolver, default } from './work.js';\n",
  'lib/work.js': [
    'export function hooked(server) {}',
    'export function makeResolver(root) { return async (id) => root + id; }',
    'export default function makeLoader(root) { return async (id) => root + id; }',
  ].join('\n'),
};

const writePackage = (changes: Record<string, string> = {}) =>
  writeSettledProject('asynclint-importer-uses-', { ...PACKAGE, ...changes });

const callsIn = (root: string, names: string[], kind: CallKind, file = 'lib/work.js') =>
  callsOfExports(new DiskProject(), path.join(root, file), names, kind);

describe('callsOfExports', () => {
  const root = writePackage();

  it('counts the calls of a kind through a re-export, default exports too', () => {
    expect(callsIn(root, ['hooked'], 'in-dev-server-hook')).toBe(1);
    expect(callsIn(root, ['makeResolver'], 'awaits-what-it-makes')).toBe(1);
    expect(callsIn(root, ['default'], 'awaits-what-it-makes')).toBe(1);
  });

  it('not where a call is of another kind', () => {
    expect(callsIn(root, ['hooked'], 'awaits-what-it-makes')).toBeNull();
    expect(callsIn(root, ['makeResolver'], 'in-dev-server-hook')).toBeNull();
  });

  it('not where an importer takes the whole module, or the file is an entry point', () => {
    const namespace = "import * as work from './lib/work.js';\nexport const all = work;\n";
    expect(callsIn(writePackage({ 'all.js': namespace }), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
    const required = "const work = require('./lib/work.js');\nmodule.exports = work;\n";
    expect(callsIn(writePackage({ 'all.js': required }), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
    const entry = '{ "name": "p", "main": "./lib/work.js" }';
    expect(callsIn(writePackage({ 'package.json': entry }), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
  });

  it('counts calls that drop the promise: a statement, a timer callback; not an awaited one', () => {
    const clean = 'export async function clean(dirs) { for (const d of dirs) await rm(d); }\n';
    const starter = [
      "import { clean } from './lib/clean.js';",
      'export function start(dirs) { clean(dirs); setTimeout(() => clean(dirs), 0).unref(); }',
    ].join('\n');
    const fired = writePackage({ 'lib/clean.js': clean, 'start.js': starter });
    expect(callsIn(fired, ['clean'], 'nobody-waits', 'lib/clean.js')).toBe(2);
    const awaited = "import { clean } from './lib/clean.js';\nexport const stop = async (d) => { await clean(d); };\n";
    const waited = writePackage({ 'lib/clean.js': clean, 'start.js': starter, 'stop.js': awaited });
    expect(callsIn(waited, ['clean'], 'nobody-waits', 'lib/clean.js')).toBeNull();
  });

  it('follows the names a dynamic import takes at once, not the module object handed on', () => {
    const lazy = (...lines: string[]) => ({
      'lazy.js': ['export async function load(id) {', ...lines, '}'].join('\n'),
    });
    const taken = lazy("  const { makeResolver: make } = await import('./lib/work.js');", '  return make(id);');
    expect(callsIn(writePackage(taken), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
    const awaited = lazy(
      "  const { makeResolver } = await import('./lib/work.js');",
      '  const resolve = makeResolver(id);',
      '  await resolve(id);',
    );
    expect(callsIn(writePackage(awaited), ['makeResolver'], 'awaits-what-it-makes')).toBe(2);
    const whole = lazy("  const work = await import('./lib/work.js');", '  return work;');
    expect(callsIn(writePackage(whole), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
  });

  it('not where a tsconfig alias may name the file: its importers by the alias are not seen', () => {
    const aliases = '{ "compilerOptions": { "paths": { "@lib/*": ["./lib/*"] } } }';
    expect(callsIn(writePackage({ 'tsconfig.json': aliases }), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
  });
});
