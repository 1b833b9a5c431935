/**
 * Cross-module facts: what a module tells others (its coroutine functions, the calls of each
 * function by qualified name, what it re-exports), how a qualified name finds its function
 * through re-exports, and that a finding which follows a helper into another module depends on
 * that module's file for the result cache.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPythonParser, parsePython } from '../../src/languages/python/parser/index.js';
import {
  buildScopeModel,
  moduleFactsOf,
  projectFunction,
  type PyModuleFacts,
  type PythonProject,
} from '../../src/languages/python/analysis/index.js';
import { python } from '../../src/languages/python/index.js';
import { pythonRules } from '../../rules/python/index.js';

beforeAll(() => loadPythonParser());

function factsOf(text: string, moduleName: string, packageName: string): PyModuleFacts {
  const { root } = parsePython(text);
  return moduleFactsOf(root, text, buildScopeModel(root, text, { packageName }), moduleName);
}

const HELPERS = `import time
from .io import read_all as read


def pause():
    time.sleep(1)


def load(path):
    return read(path)


class Store:
    def flush(self):
        self.write()

    def write(self):
        pause()

    async def save(self):
        pass

    async def send(self, conn):
        async with conn.lock:
            await conn.write(b"")


@cached
async def decorated():
    pass
`;

describe('moduleFactsOf', () => {
  let facts: PyModuleFacts;
  beforeAll(() => {
    facts = factsOf(HELPERS, 'pkg.helpers', 'pkg');
  });

  it('records each function and method with the calls of its own body, by qualified name', () => {
    expect(facts.functions.get('pause')).toEqual({
      async: false,
      coroutine: false,
      suspends: false,
      calls: [{ callee: 'time.sleep', line: 6 }],
    });
    expect(facts.functions.get('load')?.calls).toEqual([{ callee: 'pkg.io.read_all', line: 10 }]);
    expect(facts.functions.get('Store.flush')?.calls).toEqual([{ callee: 'pkg.helpers.Store.write', line: 15 }]);
    expect(facts.functions.get('Store.write')?.calls).toEqual([{ callee: 'pkg.helpers.pause', line: 18 }]);
  });

  it('knows an undecorated async def makes a coroutine, and a decorated one is async but unknown', () => {
    expect(facts.functions.get('Store.save')).toMatchObject({ async: true, coroutine: true });
    expect(facts.functions.get('decorated')).toMatchObject({ async: true, coroutine: false });
  });

  it('knows whether a function can suspend, by its own await, async for or async with', () => {
    expect(facts.functions.get('Store.save')?.suspends).toBe(false);
    expect(facts.functions.get('Store.send')?.suspends).toBe(true);
  });

  it('knows which flags a coroutine must be left without for it to do no more than yield', () => {
    const router = factsOf(
      `import asyncio


class Router:
    async def dispatch(self, event, wait=None, *, inline: bool = False):
        if inline:
            return await self.run(event)
        if wait:
            await wait
        task = asyncio.create_task(self.run(event))
        await asyncio.sleep(0)
        return task

    async def run(self, event):
        await asyncio.sleep(1)
`,
      'pkg.router',
      'pkg',
    );
    expect(router.functions.get('Router.dispatch')?.yieldsOnlyUnless).toEqual([
      { name: 'inline', position: null },
      { name: 'wait', position: 1 },
    ]);
    // A wait of a second is a wait, whatever it is given.
    expect(router.functions.get('Router.run')?.yieldsOnlyUnless).toBeUndefined();
  });

  it('marks the calls a function makes only on a miss of the cache it keeps by key', () => {
    const cached = factsOf(
      `import inspect

_lines = {}


def line_of(func):
    inspect.getsourcefile(func)
    if func in _lines:
        return _lines[func]
    _lines[func] = inspect.getsourcelines(func)[1]
    return _lines[func]
`,
      'pkg.cached',
      'pkg',
    );
    expect(cached.functions.get('line_of')?.calls).toEqual([
      { callee: 'inspect.getsourcefile', line: 7 },
      { callee: 'inspect.getsourcelines', line: 10, oncePerKey: true },
    ]);
  });

  it('records what the module imports, for re-exports', () => {
    expect(facts.imported.get('read')).toBe('pkg.io.read_all');
    expect(facts.imported.get('time')).toBe('time');
  });
});

describe('projectFunction', () => {
  const modules = new Map<string, PyModuleFacts>();
  const project: PythonProject = { moduleFacts: (name) => modules.get(name) ?? null };
  beforeAll(() => {
    modules.set('pkg', factsOf('from .helpers import pause\nfrom .loop import again\n', 'pkg', 'pkg'));
    modules.set('pkg.helpers', factsOf(HELPERS, 'pkg.helpers', 'pkg'));
    modules.set('pkg.loop', factsOf('from . import again\n', 'pkg.loop', 'pkg'));
  });

  it('finds a function, a method, and a name re-exported by a package', () => {
    expect(projectFunction('pkg.helpers.pause', project)?.facts.calls[0]?.callee).toBe('time.sleep');
    expect(projectFunction('pkg.helpers.Store.save', project)?.facts.coroutine).toBe(true);
    expect(projectFunction('pkg.pause', project)?.qualified).toBe('pkg.helpers.pause');
  });

  it('answers null for names outside the project and for re-exports that go round in a circle', () => {
    expect(projectFunction('time.sleep', project)).toBeNull();
    expect(projectFunction('pkg.helpers.missing', project)).toBeNull();
    expect(projectFunction('pkg.again', project)).toBeNull();
  });
});

describe('a finding through another module', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'asynclint-py-facts-'));
    mkdirSync(path.join(folder, 'app'));
    writeFileSync(path.join(folder, 'app', '__init__.py'), '');
    writeFileSync(path.join(folder, 'app', 'helpers.py'), 'import time\n\n\ndef pause():\n    time.sleep(1)\n');
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** blocking-call on app/handlers.py, whose handler calls `pause` imported from `module`. */
  function lintHandlerImporting(module: string) {
    const text = `from .${module} import pause\n\n\nasync def handle():\n    pause()\n`;
    return python.lintText(text, {
      filename: path.join(folder, 'app', 'handlers.py'),
      cwd: folder,
      rules: [{ id: 'blocking-call', rule: pythonRules['blocking-call']!, severity: 2, options: [] }],
      keepDependencies: true,
    });
  }

  it('is reported with the module and line of the blocking call, and depends on that module', () => {
    const { result, dependencies } = lintHandlerImporting('helpers');
    expect(result.messages.map((message) => message.message)).toEqual([
      expect.stringContaining('it calls `time.sleep` (app.helpers, line 5)'),
    ]);
    const helpers = dependencies.find(([file]) => file === path.join(folder, 'app', 'helpers.py'));
    expect(helpers?.[1]).toMatch(/^\d+:[0-9a-f]{40}$/);
    // Whether any module of the project calls `handle` only at start-up was asked too: the
    // project's folders (a module added) and modules count.
    expect(dependencies.map(([file]) => file)).toContain(path.join(folder, 'app'));
  });

  it('depends on the folders a module that is not there would be written to', () => {
    const { result, dependencies } = lintHandlerImporting('later');
    expect(result.messages).toEqual([]);
    // app/later.py or app/later/__init__.py: the listing of app (its stamp) and of app/later (missing).
    expect(Object.fromEntries(dependencies)).toMatchObject({
      [path.join(folder, 'app')]: expect.stringMatching(/^[\d.]+:\d+$/),
      [path.join(folder, 'app', 'later')]: null,
    });
  });
});
