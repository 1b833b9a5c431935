/**
 * Which runtime a file's code is written for, from what it reads: a file that uses the DOM
 * (`document`, `window`, `customElements`, ...) and nothing of Node's (no `node:` or builtin
 * module import, no `process`, `require`, `__dirname`) is browser code. In a browser an unhandled
 * rejection is reported in the console, as a thrown error is, and ends nothing; in Node it ends
 * the process. Rules whose harm is "the process ends" ask this before they report.
 *
 * A feature test (`typeof window !== 'undefined'`) is not a use: universal code tests for the
 * DOM precisely because it also runs in Node.
 */
import { builtinModules } from 'node:module';
import type { Reference } from '@typescript-eslint/scope-manager';
import type { Node, SourceCode } from '../../types.js';

export type Runtime = 'browser' | 'node' | 'unknown';

/** Globals only a browser (or a web worker: `self`, `importScripts`) defines. */
const BROWSER_GLOBALS = new Set([
  'document',
  'window',
  'self',
  'importScripts',
  'navigator',
  'location',
  'customElements',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'requestAnimationFrame',
  'requestIdleCallback',
  'matchMedia',
  'IntersectionObserver',
]);
/** Globals only Node defines (CommonJS wrappers and the process object). */
const NODE_GLOBALS = new Set(['process', 'require', '__dirname', '__filename', 'module', 'Buffer']);
const NODE_BUILTINS = new Set(builtinModules);

function isFeatureTest(reference: Reference): boolean {
  const parent = (reference.identifier as Node).parent;
  return parent?.type === 'UnaryExpression' && parent.operator === 'typeof';
}

function importsNodeBuiltin(sourceCode: SourceCode): boolean {
  for (const statement of sourceCode.ast.body) {
    const source =
      statement.type === 'ImportDeclaration' ||
      statement.type === 'ExportAllDeclaration' ||
      statement.type === 'ExportNamedDeclaration'
        ? statement.source?.value
        : null;
    if (typeof source === 'string' && (source.startsWith('node:') || NODE_BUILTINS.has(source))) return true;
  }
  return false;
}

const memo = new WeakMap<object, Runtime>();

/** The runtime the file is written for, from the globals and modules it uses. */
export function runtimeOf(sourceCode: SourceCode): Runtime {
  const key = sourceCode.ast;
  const known = memo.get(key);
  if (known) return known;
  let browser = false;
  let node = importsNodeBuiltin(sourceCode);
  // Undeclared globals reach the global scope's `through`; globals a config declares (ESLint's
  // `languageOptions.globals`) are variables without definitions there.
  const globalScope = sourceCode.scopeManager?.globalScope;
  const references: Reference[] = [...(globalScope?.through ?? [])];
  for (const variable of globalScope?.variables ?? [])
    if (variable.defs.length === 0) references.push(...variable.references);
  for (const reference of references) {
    if (node) break;
    const name = reference.identifier.name;
    if (isFeatureTest(reference)) continue;
    if (NODE_GLOBALS.has(name)) node = true;
    else if (BROWSER_GLOBALS.has(name)) browser = true;
  }
  const runtime: Runtime = node ? 'node' : browser ? 'browser' : 'unknown';
  memo.set(key, runtime);
  return runtime;
}
