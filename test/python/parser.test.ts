/** The Python front end: one cursor pass to a compact tree; an unparsable text is one error with its place. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  loadPythonParser,
  parsePython,
  parsesCleanly,
  PythonParseError,
  type PyNode,
} from '../../src/languages/python/parser/index.js';

function find(node: PyNode, type: string): PyNode | undefined {
  if (node.type === type && node.named) return node;
  for (const child of node.children) {
    const found = find(child, type);
    if (found) return found;
  }
  return undefined;
}

describe('before the grammar is loaded', () => {
  it('parsing says what to await instead of failing obscurely', async () => {
    // A fresh copy of the module: the suite shares one module registry, where another file may have loaded it.
    vi.resetModules();
    const fresh = await import('../../src/languages/python/parser/index.js');
    expect(() => fresh.parsePython('x = 1\n')).toThrow(fresh.PythonParserNotLoadedError);
  });
});

describe('the compact tree', () => {
  beforeAll(() => loadPythonParser());

  it('keeps types, fields, offsets and positions, keywords but not punctuation', () => {
    const text = 'import time\n\nasync def f(a):\n    time.sleep(a)  # noqa: ASYNC251\n';
    const { root, comments } = parsePython(text);
    expect(root.type).toBe('module');
    const fn = find(root, 'function_definition')!;
    expect(fn.children.map((child) => [child.type, child.named, child.field])).toEqual([
      ['async', false, null],
      ['def', false, null],
      ['identifier', true, 'name'],
      ['parameters', true, 'parameters'],
      ['block', true, 'body'],
    ]);
    const call = find(root, 'call')!;
    expect([call.line, call.column, text.slice(call.start, call.end)]).toEqual([4, 4, 'time.sleep(a)']);
    expect(call.children.map((child) => child.field)).toEqual(['function', 'arguments']);
    expect(find(call, 'argument_list')!.children.map((child) => child.type)).toEqual(['identifier']);
    expect(call.parent?.type).toBe('expression_statement');
    expect(comments).toEqual([{ value: ' noqa: ASYNC251', start: 48, end: 64, line: 4, column: 19 }]);
  });

  it('counts columns in UTF-16 code units, as the text is indexed, and lines ended by \\r\\n', () => {
    const text = 's = "😀"\r\ny = 1\r\nz = 2\n';
    const { root } = parsePython(text);
    const identifiers: PyNode[] = [];
    const collect = (node: PyNode) => {
      if (node.type === 'identifier') identifiers.push(node);
      node.children.forEach(collect);
    };
    collect(root);
    expect(identifiers.map((node) => [text.slice(node.start, node.end), node.line, node.column])).toEqual([
      ['s', 1, 0],
      ['y', 2, 0],
      ['z', 3, 0],
    ]);
    expect(find(root, 'string_content')!.end - find(root, 'string_content')!.start).toBe(2);
  });

  it('parses the syntax of Python 3.12 without error: match, type aliases, f-strings, async comprehensions', () => {
    const text = [
      'type Pair[T] = tuple[T, T]',
      'async def f(xs):',
      '    match xs:',
      '        case [first, *rest] if first:',
      '            return [y async for y in rest]',
      '        case {"k": v, **others}:',
      '            return f"{v!r:>{10}} {others}"',
      '    async with a() as b, c() as d:',
      '        await b',
      'def g[T](x: T) -> T: return (y := x)',
      '',
    ].join('\n');
    expect(() => parsePython(text)).not.toThrow();
    expect(parsesCleanly(text)).toBe(true);
  });

  it('reports the first ERROR node with its line and column', () => {
    const error = (() => {
      try {
        parsePython('x = 1\ndef f(:\n    pass\n');
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(PythonParseError);
    expect(error).toMatchObject({ line: 2 });
    expect((error as PythonParseError).message).toMatch(/invalid syntax|missing/);
  });

  it('reports a token the parser had to invent (MISSING) by what is missing', () => {
    try {
      parsePython('print((1, 2)\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PythonParseError);
      expect((error as PythonParseError).message).toMatch(/missing|invalid syntax/);
      expect((error as PythonParseError).line).toBe(1);
    }
    expect(parsesCleanly('print((1, 2)\n')).toBe(false);
  });
});
