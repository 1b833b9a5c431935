/**
 * Code that runs only in a Vite dev server (dev-server.ts): code in a `configureServer` hook, and
 * code of an exported function that the package calls only in such hooks, found through the
 * package's importers and their re-exports.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../src/languages/js/parser/index.js';
import { createSourceCode } from '../src/languages/js/walker/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import { attachProject, devServerReportsRejection } from '../src/languages/js/analysis/index.js';
import { DiskProject } from '../src/languages/js/project/index.js';
import { writeSettledProject } from './helpers.js';
import type { Node } from '../src/languages/js/types.js';

const PACKAGE: Record<string, string> = {
  'package.json': '{ "name": "p", "main": "./index.js" }',
  'index.js': "import plugin from './plugin.js';\nexport default () => [plugin()];\n",
  'plugin.js': [
    "import { onlyInHooks, alsoInBuild } from './lib/index.js';",
    "import { kept } from './lib/work.js';",
    'const later = kept;',
    'export default () => ({',
    '  configureServer(server) {',
    "    process.on('unhandledRejection', (error) => server.ws.send(String(error)));",
    '    onlyInHooks(server);',
    '    alsoInBuild(server);',
    '  },',
    '  buildStart() { alsoInBuild(this); },',
    '});',
  ].join('\n'),
  'lib/index.js': "export { onlyInHooks, alsoInBuild } from './work.js';\n",
  'lib/work.js': [
    'async function job() {}',
    'export function onlyInHooks(server) { server.ws.send = () => { job(); }; }',
    'export function alsoInBuild(context) { job(); }',
    'export function unused() { job(); }',
    'export function kept() { job(); }',
  ].join('\n'),
};

const writePackage = (changes: Record<string, string> = {}) =>
  writeSettledProject('asynclint-dev-server-', { ...PACKAGE, ...changes });

/** Whether the rejection of `job()` in the named function of lib/work.js reaches the package's listener. */
function reportedIn(root: string, name: string): boolean {
  const file = path.join(root, 'lib/work.js');
  const text = PACKAGE['lib/work.js']!;
  const parsed = parse(text, file, 'fast');
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const sourceCode = createSourceCode(parsed, text);
  attachProject(sourceCode, new DiskProject());
  const statement = [...new Set(nodes)].find(
    (node): node is Node =>
      node.type === 'ExpressionStatement' &&
      sourceCode.getText(node) === 'job();' &&
      sourceCode.getLoc(node).start.line === text.split('\n').findIndex((line) => line.includes(` ${name}(`)) + 1,
  );
  if (!statement) throw new Error(`no job() in ${name}`);
  return devServerReportsRejection(statement, sourceCode, file);
}

describe('code called only in dev-server hooks', () => {
  const root = writePackage();

  it('an export called only in a configureServer hook, through a re-export, runs in the dev server', () => {
    expect(reportedIn(root, 'onlyInHooks')).toBe(true);
  });

  it('not one a build hook calls too, nor one nobody calls, nor one used as a value', () => {
    expect(reportedIn(root, 'alsoInBuild')).toBe(false);
    expect(reportedIn(root, 'unused')).toBe(false);
    expect(reportedIn(root, 'kept')).toBe(false);
  });
});

describe('not when files of the package may be imported by other than a relative specifier', () => {
  it('a tsconfig with paths or baseUrl, or subpath imports that may name the file, may hide callers', () => {
    const aliases = '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["lib/*"] } } }';
    expect(reportedIn(writePackage({ 'tsconfig.json': aliases }), 'onlyInHooks')).toBe(false);
    const imports = '{ "name": "p", "main": "./index.js", "imports": { "#lib/*": "./lib/*" } }';
    expect(reportedIn(writePackage({ 'package.json': imports }), 'onlyInHooks')).toBe(false);
    const other = '{ "name": "p", "main": "./index.js", "imports": { "#ambient": "./lib/ambient.js" } }';
    expect(reportedIn(writePackage({ 'package.json': other }), 'onlyInHooks')).toBe(true);
  });

  it('aliases whose targets cannot be the file hide no caller of it', () => {
    const elsewhere = '{ "compilerOptions": { "paths": { "p/runner": ["./runner"], "@types/*": ["./types/*"] } } }';
    expect(reportedIn(writePackage({ 'tsconfig.json': elsewhere }), 'onlyInHooks')).toBe(true);
    const named = '{ "compilerOptions": { "paths": { "p/work": ["./lib/work"] } } }';
    expect(reportedIn(writePackage({ 'tsconfig.json': named }), 'onlyInHooks')).toBe(false);
    const types = '{ "name": "p", "main": "./index.js", "imports": { "#types/*": "./types/*.d.ts" } }';
    expect(reportedIn(writePackage({ 'package.json': types }), 'onlyInHooks')).toBe(true);
    const built = '{ "name": "p", "main": "./index.js", "imports": { "#work": "./dist/lib/work.js" } }';
    expect(reportedIn(writePackage({ 'package.json': built }), 'onlyInHooks')).toBe(false);
  });
});
