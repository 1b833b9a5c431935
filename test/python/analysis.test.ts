/** Python's semantic model: scopes, imports to qualified names, async context, coroutines. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPythonParser, parsePython, type PyNode } from '../../src/languages/python/parser/index.js';
import {
  asyncFunctionOf,
  awaitedCallElsewhere,
  buildScopeModel,
  callSitesIn,
  coroutineCallName,
  importedModules,
  isEventLoop,
  isFixtureTeardown,
  iterationNames,
  notifiesElement,
  qualifiedName,
  relativeModuleName,
  runsOnlyBelow,
  threadOffloadsOf,
  trackedCollection,
  versionAtMost,
  writesAroundAwait,
  type ScopeModel,
} from '../../src/languages/python/analysis/index.js';

beforeAll(() => loadPythonParser());

interface Parsed {
  text: string;
  root: PyNode;
  model: ScopeModel;
}

function parse(text: string, packageName: string | null = null): Parsed {
  const { root } = parsePython(text);
  return { text, root, model: buildScopeModel(root, text, { packageName }) };
}

/** The innermost named node of `type` starting at the `occurrence`-th `snippet` (0-based), marked by `^` if given. */
function nodeAt(parsed: Parsed, snippet: string, type: string, occurrence = 0): PyNode {
  let offset = -1;
  for (let count = 0; count <= occurrence; count++) offset = parsed.text.indexOf(snippet, offset + 1);
  if (offset < 0) throw new Error(`no "${snippet}"`);
  let found: PyNode | null = null;
  const visit = (node: PyNode) => {
    if (node.start === offset && node.type === type && node.named) found = node;
    for (const child of node.children) if (child.start <= offset && offset < child.end) visit(child);
  };
  visit(parsed.root);
  if (!found) throw new Error(`no ${type} at "${snippet}"`);
  return found;
}

/** The `occurrence`-th node (0-based) whose text is exactly `snippet`: the whole chain, not its innermost part. */
function expressionAt(parsed: Parsed, snippet: string, occurrence = 0): PyNode {
  const found: PyNode[] = [];
  const visit = (node: PyNode) => {
    if (node.named && parsed.text.slice(node.start, node.end) === snippet) found.push(node);
    else node.children.forEach(visit);
  };
  visit(parsed.root);
  if (!found[occurrence]) throw new Error(`no expression "${snippet}" #${occurrence}`);
  return found[occurrence];
}

/** The identifiers spelled `name`, in document order. */
function identifiers(parsed: Parsed, name: string): PyNode[] {
  const found: PyNode[] = [];
  const visit = (node: PyNode) => {
    if (node.type === 'identifier' && parsed.text.slice(node.start, node.end) === name) found.push(node);
    node.children.forEach(visit);
  };
  visit(parsed.root);
  return found;
}

/** What the `occurrence`-th identifier `name` (0-based, -1 for the last) resolves to: `scope:kinds`. */
function resolvedKind(parsed: Parsed, name: string, occurrence: number): string {
  const all = identifiers(parsed, name);
  const identifier = all.at(occurrence);
  if (!identifier) throw new Error(`no identifier ${name} #${occurrence}`);
  const resolution = parsed.model.resolve(identifier);
  if (resolution.kind !== 'defined') return resolution.kind;
  return `${resolution.scope.kind}:${resolution.definitions.map((definition) => definition.kind).join('+')}`;
}

describe('scopes', () => {
  it('a name assigned anywhere in a function is local to all of it; others come from the module or builtins', () => {
    const parsed = parse('x = 1\ndef f():\n    print(x)\n    y = x\n    return y\n');
    expect(resolvedKind(parsed, 'x', 1)).toBe('module:assignment');
    expect(resolvedKind(parsed, 'y', 1)).toBe('function:assignment');
    expect(resolvedKind(parsed, 'print', 0)).toBe('builtin');
  });

  it('global and nonlocal send a name to the module or the enclosing function', () => {
    const text = [
      'n = 0',
      'def outer():',
      '    n = 1',
      '    def inner():',
      '        nonlocal n',
      '        n = 2',
      '    def other():',
      '        global n',
      '        n = 3',
      '',
    ].join('\n');
    const parsed = parse(text);
    expect(resolvedKind(parsed, 'n', 3)).toBe('function:assignment');
    expect(parsed.model.resolve(nodeAt(parsed, 'n = 2', 'identifier')).kind).toBe('defined');
    const nonlocal = parsed.model.resolve(nodeAt(parsed, 'n = 2', 'identifier'));
    expect(nonlocal.kind === 'defined' && nonlocal.scope.node.start).toBe(text.indexOf('def outer'));
    const global = parsed.model.resolve(nodeAt(parsed, 'n = 3', 'identifier'));
    expect(global.kind === 'defined' && global.scope.kind).toBe('module');
  });

  it("a class body's names are not visible from its methods or its comprehensions", () => {
    const text =
      'size = 1\nclass C:\n    size = 2\n    double = size * 2\n    def m(self):\n        return size\n    xs = [size for _ in range(3)]\n';
    const parsed = parse(text);
    expect(resolvedKind(parsed, 'size', 2)).toBe('class:assignment');
    expect(resolvedKind(parsed, 'size', 3)).toBe('module:assignment');
    expect(resolvedKind(parsed, 'size', 4)).toBe('module:assignment');
  });

  it('lambdas and comprehensions have scopes; a walrus binds outside the comprehension; the first iterable is outside', () => {
    const text =
      'def f(items):\n    g = lambda items: items\n    ys = [last := i for i in items]\n    return last, i\n';
    const parsed = parse(text);
    expect(resolvedKind(parsed, 'items', 2)).toBe('lambda:parameter');
    expect(resolvedKind(parsed, 'items', 3)).toBe('function:parameter');
    expect(resolvedKind(parsed, 'last', 1)).toBe('function:walrus');
    // The comprehension's `i` is not visible after it: a name nothing visible binds is unknown.
    expect(resolvedKind(parsed, 'i', 2)).toBe('unknown');
  });

  it('parameters bind in the function; defaults and decorators are read where the function is defined', () => {
    const text =
      'limit = 5\n@decorate(limit)\ndef f(a, limit=limit, *rest: int, key: str = "k", **options):\n    return a, limit, rest, key, options\n';
    const parsed = parse(text);
    expect(resolvedKind(parsed, 'limit', 1)).toBe('module:assignment');
    expect(resolvedKind(parsed, 'limit', 3)).toBe('module:assignment');
    expect(resolvedKind(parsed, 'limit', 4)).toBe('function:parameter');
    for (const name of ['rest', 'key', 'options']) expect(resolvedKind(parsed, name, 1)).toBe('function:parameter');
  });

  it('with, except, for, match and del bind names', () => {
    const text = [
      'async def f(p):',
      '    async with open_it() as (a, b):',
      '        pass',
      '    try:',
      '        pass',
      '    except E as e:',
      '        pass',
      '    for k, *vs in p:',
      '        pass',
      '    match p:',
      '        case Point(x=px) | [px, *_] if px:',
      '            pass',
      '        case Color.RED:',
      '            pass',
      '    del gone',
      '    return a, b, e, k, vs, px, gone, Color',
      '',
    ].join('\n');
    const parsed = parse(text);
    const last = (name: string) => resolvedKind(parsed, name, -1);
    expect(last('a')).toBe('function:alias');
    expect(last('e')).toBe('function:alias');
    expect(last('vs')).toBe('function:loop');
    expect(last('px')).toBe('function:pattern+pattern');
    expect(last('gone')).toBe('function:delete');
    expect(last('Color')).toBe('unknown');
  });

  it('a wildcard import makes a name not found unknown rather than a builtin', () => {
    const parsed = parse('from helpers import *\nopen("x")\n');
    expect(resolvedKind(parsed, 'open', 0)).toBe('unknown');
  });
});

describe('qualified names through imports', () => {
  const callee = (parsed: Parsed, snippet: string) =>
    qualifiedName(nodeAt(parsed, snippet, 'call').children[0]!, parsed.model, parsed.text);

  it('resolves import, import as, from-import and from-import as', () => {
    const text = [
      'import time',
      'import os.path',
      'import urllib.request as ur',
      'from subprocess import run as sh, check_output',
      'time.sleep(1)',
      'os.path.exists(p)',
      'ur.urlopen(u)',
      'sh(c)',
      'check_output(c)',
      'open(p)',
      '',
    ].join('\n');
    const parsed = parse(text);
    expect(callee(parsed, 'time.sleep(1)')).toBe('time.sleep');
    expect(callee(parsed, 'os.path.exists')).toBe('os.path.exists');
    expect(callee(parsed, 'ur.urlopen')).toBe('urllib.request.urlopen');
    expect(callee(parsed, 'sh(c)')).toBe('subprocess.run');
    expect(callee(parsed, 'check_output(c)')).toBe('subprocess.check_output');
    expect(callee(parsed, 'open(p)')).toBe('builtins.open');
  });

  it('a local function or variable named like an API has no qualified name; nor do two different imports', () => {
    const text = [
      'from time import sleep',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      'def run():',
      '    def sleep(s): pass',
      '    open = make_opener()',
      '    sleep(1)',
      '    open(p)',
      '    json.loads(s)',
      '',
    ].join('\n');
    const parsed = parse(text);
    expect(callee(parsed, 'sleep(1)')).toBeNull();
    expect(callee(parsed, 'open(p)')).toBeNull();
    expect(callee(parsed, 'json.loads')).toBeNull();
  });

  it('an optional import whose fallback is None is the module wherever it is used; other fallbacks are not', () => {
    const text = [
      'try:',
      '    import ssl',
      'except ImportError:',
      '    ssl = None',
      'try:',
      '    import requests',
      'except ImportError:',
      '    requests = make_stub()',
      'def run():',
      '    ssl.create_default_context()',
      '    requests.get(u)',
      '',
    ].join('\n');
    const parsed = parse(text);
    expect(callee(parsed, 'ssl.create_default_context()')).toBe('ssl.create_default_context');
    expect(callee(parsed, 'requests.get(u)')).toBeNull();
  });

  it('a name bound only to the result of one qualified call stands for an instance of it', () => {
    const text = [
      'import requests, socket',
      'session = requests.Session()',
      'async def f(u, flag):',
      '    with socket.socket() as sock:',
      '        sock.recv(1)',
      '    session.get(u)',
      '    either = requests.Session() if flag else None',
      '    either.get(u)',
      '    twice = requests.Session()',
      '    twice = make()',
      '    twice.get(u)',
      '    loop = loop.next()',
      '    loop.go()',
      '',
    ].join('\n');
    const parsed = parse(text);
    expect(callee(parsed, 'sock.recv')).toBe('socket.socket().recv');
    expect(callee(parsed, 'session.get')).toBe('requests.Session().get');
    expect(callee(parsed, 'either.get')).toBeNull();
    expect(callee(parsed, 'twice.get')).toBeNull();
    expect(callee(parsed, 'loop.go')).toBeNull();
  });

  it('a call in a chain stands for an instance of what it calls', () => {
    const text = [
      'import pathlib, sqlite3',
      'from pathlib import Path',
      'Path(p).read_text()',
      'pathlib.Path(p).open()',
      'sqlite3.connect(db).cursor().execute(q)',
      'cursor = sqlite3.connect(db).cursor()',
      'cursor.fetchall()',
      'make()(x).go()',
      'items[0].read_text()',
      '',
    ].join('\n');
    const parsed = parse(text);
    const attribute = (snippet: string) => qualifiedName(expressionAt(parsed, snippet), parsed.model, text);
    expect(attribute('Path(p).read_text')).toBe('pathlib.Path().read_text');
    expect(attribute('pathlib.Path(p).open')).toBe('pathlib.Path().open');
    expect(attribute('sqlite3.connect(db).cursor().execute')).toBe('sqlite3.connect().cursor().execute');
    expect(attribute('cursor.fetchall')).toBe('sqlite3.connect().cursor().fetchall');
    expect(attribute('make()(x).go')).toBeNull();
    expect(attribute('items[0].read_text')).toBeNull();
  });

  it('self.attr stands for the instance its class assigns it once, from a qualified call', () => {
    const text = [
      'import pathlib, requests',
      'class Store:',
      '    def __init__(self, root, session):',
      '        self._path: pathlib.Path = pathlib.Path(root)',
      '        self._given = session',
      '        self._twice = requests.Session()',
      '        self._counter = requests.Session()',
      '        self._counter += 1',
      '    def reset(self):',
      '        self._twice = requests.Session()',
      '    async def list(self):',
      '        self._path.iterdir()',
      '        self._given.get(u)',
      '        self._twice.get(u)',
      '        self._counter.get(u)',
      '        def inner(self):',
      '            self._path.iterdir()',
      '    @staticmethod',
      '    def free(self):',
      '        self._path.iterdir()',
      '    @property',
      '    def files(this):',
      '        return this._path.glob("*")',
      '',
    ].join('\n');
    const parsed = parse(text);
    const attribute = (snippet: string, occurrence = 0) =>
      qualifiedName(expressionAt(parsed, snippet, occurrence), parsed.model, text);
    expect(attribute('self._path.iterdir')).toBe('pathlib.Path().iterdir');
    expect(attribute('this._path.glob')).toBe('pathlib.Path().glob');
    expect(attribute('self._given.get')).toBeNull();
    expect(attribute('self._twice.get')).toBeNull();
    expect(attribute('self._counter.get')).toBeNull();
    // `inner`'s own `self` is not the instance; nor is a static method's first parameter.
    expect(attribute('self._path.iterdir', 1)).toBeNull();
    expect(attribute('self._path.iterdir', 2)).toBeNull();
  });

  it('relative imports resolve against the package the host names, or keep their dots', () => {
    const text = 'from . import models\nfrom .utils import fetch\nfrom ..core import Base as B\nfetch(models, B)\n';
    expect(callee(parse(text, 'app.api'), 'fetch(')).toBe('app.api.utils.fetch');
    const inPackage = parse(text, 'app.api');
    expect(qualifiedName(nodeAt(inPackage, 'models, B', 'identifier'), inPackage.model, text)).toBe('app.api.models');
    expect(qualifiedName(nodeAt(inPackage, 'B)', 'identifier'), inPackage.model, text)).toBe('app.core.Base');
    expect(callee(parse(text, null), 'fetch(')).toBe('.utils.fetch');
    expect(relativeModuleName(3, 'x', { packageName: 'a' })).toBeNull();
    expect(relativeModuleName(1, '', { packageName: '' })).toBe('');
  });
});

describe('annotated parameters', () => {
  const callee = (parsed: Parsed, snippet: string) =>
    qualifiedName(nodeAt(parsed, snippet, 'call').children[0]!, parsed.model, parsed.text);

  it('a parameter annotated with a class stands for an instance of it; Optional[X] for an X', () => {
    const text = [
      'import typing, requests',
      'from typing import IO, Optional',
      'def f(a: IO[bytes], b: typing.BinaryIO, c: Optional[requests.Session] = None, d: "IO", e: int | IO, g):',
      '    a.read(1)',
      '    b.write(x)',
      '    c.get(u)',
      '    d.read(2)',
      '    e.read(3)',
      '    g.read(4)',
      '',
    ].join('\n');
    const parsed = parse(text);
    expect(callee(parsed, 'a.read')).toBe('typing.IO().read');
    expect(callee(parsed, 'b.write')).toBe('typing.BinaryIO().write');
    expect(callee(parsed, 'c.get')).toBe('requests.Session().get');
    // A string annotation, a union and no annotation name no one class.
    expect(callee(parsed, 'd.read')).toBeNull();
    expect(callee(parsed, 'e.read')).toBeNull();
    expect(callee(parsed, 'g.read')).toBeNull();
  });
});

describe('thread offloads', () => {
  it('knows the callables a file runs in a thread, but not in the function that also calls them directly', () => {
    const text = [
      'import asyncio, functools, os',
      'class C:',
      '    def helper(self): self.lookup(1)',
      '    async def a(self): await asyncio.to_thread(self.lookup, 1)',
      '    async def b(self, loop): await loop.run_in_executor(None, functools.partial(os.stat, p))',
      '    async def c(self): return os.stat(p)',
      '    async def d(self, loop):',
      '        if big: return await loop.run_in_executor(None, work, x)',
      '        return work(x)',
      '    async def e(self, sock): await asyncio.to_thread(sock.bind, p)',
      'import socket',
      'def work(x): return x',
      '',
    ].join('\n');
    const parsed = parse(text);
    const offloads = threadOffloadsOf(
      parsed.root,
      parsed.model,
      text,
      (offset) => text.slice(0, offset).split('\n').length,
    );
    const lineOf = (snippet: string) => offloads.lineOf(nodeAt(parsed, snippet, 'call').children[0]!);
    expect(lineOf('self.lookup(1)')).toBe(4);
    expect(lineOf('os.stat(p)')).toBe(5);
    expect(lineOf('work(x)')).toBeNull();
  });
});

describe('async context', () => {
  it('the nearest def decides; a nested def or lambda resets it; class bodies and comprehensions keep it', () => {
    const text = [
      'async def handler(x=block()):',
      '    a()',
      '    def helper():',
      '        b()',
      '    f = lambda: c()',
      '    ys = [d() for _ in x]',
      '    class Local:',
      '        value = e()',
      'def sync():',
      '    g()',
      'h()',
      '',
    ].join('\n');
    const parsed = parse(text);
    const inCoroutine = (snippet: string) => asyncFunctionOf(nodeAt(parsed, snippet, 'call')) !== null;
    expect(inCoroutine('a()')).toBe(true);
    expect(inCoroutine('b()')).toBe(false);
    expect(inCoroutine('c()')).toBe(false);
    expect(inCoroutine('d()')).toBe(true);
    expect(inCoroutine('e()')).toBe(true);
    expect(inCoroutine('g()')).toBe(false);
    expect(inCoroutine('h()')).toBe(false);
    expect(inCoroutine('block()')).toBe(false);
  });
});

describe('coroutine functions', () => {
  it('classmethod and staticmethod keep an async def a coroutine function; other decorators may not', () => {
    const text = [
      'import functools',
      'class A:',
      '    @classmethod',
      '    async def made(cls): ...',
      '    @staticmethod',
      '    @classmethod',
      '    async def stacked(x): ...',
      '    @functools.cache',
      '    async def wrapped(self): ...',
      '    async def run(self):',
      '        self.made()',
      '        self.stacked()',
      '        self.wrapped()',
      '    @staticmethod',
      '    def helper(other):',
      '        other.made()',
      'def make():',
      '    def classmethod(fn): return fn',
      '    class B:',
      '        @classmethod',
      '        async def shadowed(cls): ...',
      '        async def run(self):',
      '            self.shadowed()',
      '',
    ].join('\n');
    const parsed = parse(text);
    const named = (snippet: string) => coroutineCallName(nodeAt(parsed, snippet, 'call'), parsed.model, text);
    expect(named('self.made()')).toBe('self.made');
    expect(named('self.stacked()')).toBe('self.stacked');
    expect(named('self.wrapped()')).toBeNull();
    // A static method's first parameter is no instance of its class.
    expect(named('other.made()')).toBeNull();
    // A local `classmethod` is not the builtin.
    expect(named('self.shadowed()')).toBeNull();
  });
});

describe('event loops', () => {
  it('a loop getter, a fallback to one, or a name or self attribute the code uses as a loop', () => {
    const text = [
      'import asyncio',
      'class P:',
      '    def __init__(self, loop=None, group=None, conn=None):',
      '        self.loop = loop or asyncio.get_event_loop()',
      '        self._io = conn',
      '        self._group = group',
      '    def on_data(self):',
      '        self.loop.create_task(a())',
      '        self._io.create_task(b())',
      '        self._group.create_task(c())',
      '    def later(self, cb):',
      '        self._io.call_later(1, cb)',
      'def run(loop, other):',
      '    loop.create_task(d())',
      '    other.create_task(e())',
      '    loop.call_soon(print)',
      'async def grouped():',
      '    async with asyncio.TaskGroup() as tg:',
      '        tg.create_task(f())',
      '',
    ].join('\n');
    const parsed = parse(text);
    const receiverIsLoop = (snippet: string) => {
      const callee = nodeAt(parsed, snippet, 'call').children.find((child) => child.field === 'function')!;
      return isEventLoop(
        callee.children.find((child) => child.field === 'object'),
        parsed.model,
        text,
      );
    };
    expect(receiverIsLoop('self.loop.create_task')).toBe(true);
    expect(receiverIsLoop('self._io.create_task')).toBe(true);
    expect(receiverIsLoop('self._group.create_task')).toBe(false);
    expect(receiverIsLoop('loop.create_task(d())')).toBe(true);
    expect(receiverIsLoop('other.create_task')).toBe(false);
    expect(receiverIsLoop('tg.create_task')).toBe(false);
  });
});

describe('awaited elsewhere', () => {
  it('the same path from the same variable or class, in a coroutine, is the same call', () => {
    const text = [
      'class S:',
      '    async def a(self, conn):',
      '        await conn.execute("KEYS", "*")',
      '        conn.execute("DEL")',
      '        conn.execute("DEL", "x", "y")',
      '        await self.bot.send(1)',
      '    async def b(self, conn):',
      '        conn.execute("DEL")',
      '        self.bot.send(2)',
      '    def c(self):',
      '        self.bot.send(3)',
      '',
    ].join('\n');
    const parsed = parse(text);
    const evidenceLine = (snippet: string, occurrence = 0) => {
      const call = nodeAt(parsed, snippet, 'call', occurrence);
      const awaited = awaitedCallElsewhere(call, parsed.root, parsed.model, text);
      return awaited && text.slice(0, awaited.start).split('\n').length;
    };
    expect(evidenceLine('conn.execute("DEL")')).toBe(3);
    // More arguments than any awaited call: another form of the call.
    expect(evidenceLine('conn.execute("DEL", "x", "y")')).toBeNull();
    // Another function's `conn` is another variable.
    expect(evidenceLine('conn.execute("DEL")', 1)).toBeNull();
    expect(evidenceLine('self.bot.send(2)')).toBe(6);
    // In a sync method, the same path may be a sync twin's.
    expect(evidenceLine('self.bot.send(3)')).toBeNull();
  });
});

describe('loop evidence', () => {
  const loopAt = (parsed: Parsed, snippet: string) => nodeAt(parsed, snippet, 'for_statement');
  const awaitsIn = (loop: PyNode): PyNode[] => {
    const found: PyNode[] = [];
    const visit = (node: PyNode) => {
      if (node.type === 'await' && node.named) found.push(node);
      node.children.forEach(visit);
    };
    visit(loop);
    return found;
  };

  it('a call on the element that hands it nothing of its own and drops the result notifies it', () => {
    const text = [
      'async def f(traces, nodes, url):',
      '    for trace in traces:',
      '        await trace.send_start(url)',
      '    for node in nodes:',
      '        await node.run(node.name)',
      '    for node in nodes:',
      '        out = await node.run(url)',
      '    for node in nodes:',
      '        await node.session.close()',
      '    for node in nodes:',
      '        data = build(node)',
      '        await node.save(data)',
      '',
    ].join('\n');
    const parsed = parse(text);
    const notifies = (element: string, occurrence = 0) => {
      const loop = nodeAt(parsed, `for ${element} in`, 'for_statement', occurrence);
      const [node] = awaitsIn(loop);
      const call = node!.children.find((child) => child.type === 'call')!;
      const elements = new Set([element]);
      return notifiesElement(node!, call, elements, iterationNames(loop, elements, text), text);
    };
    expect(notifies('trace')).toBe(true);
    // Its own name or what the body made of it as an argument, a result kept, a call on a member: not a notification.
    expect([0, 1, 2, 3].map((occurrence) => notifies('node', occurrence))).toEqual([false, false, false, false]);
  });

  it('a collection the module adds to and removes from is tracked, through a copy or a view too', () => {
    const text = [
      'clients = set()',
      'class Manager:',
      '    def join(self, ws, key):',
      '        clients.add(ws)',
      '        self.peers.append(ws)',
      '        self.by_key[key] = ws',
      '        self.observers.append(ws)',
      '    def leave(self, ws, key):',
      '        clients.discard(ws)',
      '        self.peers.remove(ws)',
      '        del self.by_key[key]',
      '    async def send(self, m):',
      '        for a in clients: pass',
      '        for b in list(self.peers): pass',
      '        for c in self.by_key.values(): pass',
      '        for d in self.observers: pass',
      '        for e in sorted(self.peers): pass',
      '',
    ].join('\n');
    const parsed = parse(text);
    const tracked = (snippet: string) => trackedCollection(loopAt(parsed, snippet), parsed.root, parsed.model, text);
    expect(tracked('for a in')).toBe('clients');
    expect(tracked('for b in')).toBe('self.peers');
    expect(tracked('for c in')).toBe('self.by_key');
    expect(tracked('for d in')).toBeNull();
    expect(tracked('for e in')).toBeNull();
  });

  it('a per-test fixture after its yield, over a collection it made, is a teardown', () => {
    const text = [
      'import pytest',
      '@pytest.fixture',
      'async def a(pool):',
      '    made = []',
      '    yield made',
      '    for x in made: await x.close()',
      '    for y in pool: await y.close()',
      '@pytest.fixture(scope="session")',
      'async def b():',
      '    made = []',
      '    yield made',
      '    for z in made: await z.close()',
      'async def c():',
      '    made = []',
      '    yield made',
      '    for w in made: await w.close()',
      '',
    ].join('\n');
    const parsed = parse(text);
    const teardown = (snippet: string) => isFixtureTeardown(loopAt(parsed, snippet), parsed.model, text);
    expect(teardown('for x in')).toBe(true);
    expect(teardown('for y in')).toBe(false);
    expect(teardown('for z in')).toBe(false);
    expect(teardown('for w in')).toBe(false);
  });

  it('writes to one outer collection on both sides of an await keep the loop in order', () => {
    const text = [
      'async def f(parts, out):',
      '    for p in parts:',
      '        out.append(1)',
      '        out.append(await p.read())',
      '    for q in parts:',
      '        out.append(await q.read())',
      '    for r in parts:',
      '        mine = []',
      '        mine.append(1)',
      '        mine.append(await r.read())',
      '',
    ].join('\n');
    const parsed = parse(text);
    const around = (snippet: string, element: string) => {
      const loop = loopAt(parsed, snippet);
      return writesAroundAwait(loop, awaitsIn(loop), new Set([element]), text);
    };
    expect(around('for p in', 'p')).toBe(true);
    expect(around('for q in', 'q')).toBe(false);
    expect(around('for r in', 'r')).toBe(false);
  });
});

describe('versions', () => {
  it('the version checks around a call bound the versions it runs on', () => {
    const text = [
      'import sys',
      'from sys import version_info',
      'a = one() if sys.version_info < (3, 13) else two()',
      'if version_info >= (3, 11):',
      '    three()',
      'elif other:',
      '    four()',
      'else:',
      '    five()',
      'if sys.version_info > (3, 9):',
      '    six()',
      '',
    ].join('\n');
    const parsed = parse(text);
    const below = (snippet: string) => runsOnlyBelow(nodeAt(parsed, snippet, 'call'), parsed.model, text);
    expect(below('one()')).toEqual([3, 13]);
    expect(below('two()')).toBeNull();
    expect(below('three()')).toBeNull();
    expect(below('four()')).toEqual([3, 11]);
    expect(below('five()')).toEqual([3, 11]);
    expect(below('six()')).toBeNull();
    expect(versionAtMost([3, 12], [3, 13])).toBe(true);
    expect(versionAtMost([3, 13], [3, 13, 0])).toBe(true);
    expect(versionAtMost([3, 14], [3, 13])).toBe(false);
  });
});

describe('callers across the project', () => {
  it('lists the modules an import names, with their parents, relative ones resolved', () => {
    const text = 'import a.b as c, d\nfrom . import fuzzer\nfrom ..kit import (x,\n  y as z)\n';
    expect([...importedModules(text, 'pkg.sub')].sort()).toEqual(
      ['a', 'a.b', 'd', 'pkg', 'pkg.kit', 'pkg.kit.x', 'pkg.kit.y', 'pkg.sub', 'pkg.sub.fuzzer'].sort(),
    );
  });

  it('judges each use of a name: once at start-up, within a function, or handed over', () => {
    const { root, text, model } = parse(
      [
        'import asyncio',
        'from pkg.boot import run',
        'def start(loop, app):',
        '    loop.run_until_complete(app.run())',
        'async def main(server, app):',
        '    await app.run()',
        '    await server.serve_forever()',
        'async def handle(app):',
        '    await app.run()',
        'def later(app, schedule):',
        '    schedule(app.run)',
        '    schedule(callback=app.run)',
        '    stored = app.run',
        'async def __call__(self, message, app):',
        '    if message["type"] == "lifespan.startup":',
        '        await app.run()',
        'def run():',
        '    "run() is documented here"',
        '',
      ].join('\n'),
    );
    expect(callSitesIn(root, text, model, 'run')).toEqual([
      { once: true, within: null },
      { once: true, within: null },
      { once: false, within: 'handle' },
      { once: false, within: null, handedOver: true },
      { once: false, within: null, handedOver: true },
      { once: false, within: null },
      { once: true, within: null },
    ]);
  });
});
