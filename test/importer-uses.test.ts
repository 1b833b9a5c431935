/**
 * How a package uses a function its files export (importer-uses.ts): each importer's calls, of
 * the kinds dev-server.ts and made-functions.ts count, followed through re-exports; null where
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

  it('not where a tsconfig alias may name the file: its importers by the alias are not seen', () => {
    const aliases = '{ "compilerOptions": { "paths": { "@lib/*": ["./lib/*"] } } }';
    expect(callsIn(writePackage({ 'tsconfig.json': aliases }), ['makeResolver'], 'awaits-what-it-makes')).toBeNull();
  });
});
