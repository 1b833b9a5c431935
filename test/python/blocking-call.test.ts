/** blocking-call for Python beyond its fixtures: the suggestions it offers, and where code runs. */
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyFile } from '../../src/analysis/context/file-context.js';
import { python } from '../../src/languages/python/index.js';
import { pythonRules } from '../../rules/python/index.js';
import { factsFromPyproject } from '../../src/languages/python/project/pyproject.js';
import { parsePython, type PyNode } from '../../src/languages/python/parser/index.js';
import { pythonWhereCodeRuns } from '../../src/languages/python/analysis/run-context.js';

beforeAll(() => python.prepare!());

function lint(text: string, filename = '/p/app/service.py') {
  const rule = pythonRules['blocking-call']!;
  const rules = [{ id: 'blocking-call', rule, severity: 2 as const, options: [{ contexts: ['library'] }] }];
  return python.lintText(text, { filename, cwd: '/p', rules, reportUnusedDisableDirectives: 1 }).result.messages;
}

function suggestionsOf(text: string): string[] {
  return lint(text).flatMap((message) =>
    (message.suggestions ?? []).map(({ fix }) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1])),
  );
}

describe('suggestions', () => {
  it('time.sleep becomes await asyncio.sleep, other calls await asyncio.to_thread, parenthesised where needed', () => {
    const text =
      'import asyncio, time, requests\nasync def f(u):\n    time.sleep(1)\n    return requests.get(u, timeout=2).json()\n';
    expect(suggestionsOf(text)).toEqual([
      text.replace('time.sleep(1)', 'await asyncio.sleep(1)'),
      text.replace('requests.get(u, timeout=2).json()', '(await asyncio.to_thread(requests.get, u, timeout=2)).json()'),
    ]);
  });

  it('offers none where `asyncio` is not imported, in a class body, or where await would change the meaning', () => {
    expect(suggestionsOf('import time\nasync def f():\n    time.sleep(1)\n')).toEqual([]);
    const inClass = 'import asyncio, time\nasync def f():\n    class C:\n        x = time.sleep(1)\n';
    expect(suggestionsOf(inClass)).toEqual([]);
    const inGenerator = 'import asyncio, time\nasync def f(xs):\n    return list(time.sleep(x) for x in xs)\n';
    expect(suggestionsOf(inGenerator)).toEqual([]);
    expect(lint(inGenerator)).toHaveLength(1);
  });

  it('reports an unused asynclint directive as it is written', () => {
    const messages = lint('async def f():\n    pass  # asynclint: disable-line blocking-call\n');
    expect(messages.map((message) => message.message)).toEqual([
      "Unused asynclint: disable-line directive (no problems were reported from 'blocking-call').",
    ]);
    expect(lint('import time\nasync def f():\n    pass  # noqa: ASYNC251\n')).toEqual([]);
  });
});

describe('where Python code runs', () => {
  it('a main block runs where its script runs: one-shot in a one-shot file, tooling in a tooling file', () => {
    const text = 'import sys\nif __name__ == "__main__":\n    sys.exit(main())\n';
    const { root } = parsePython(text);
    const calls: PyNode[] = [];
    const visit = (node: PyNode) => {
      if (node.type === 'call') calls.push(node);
      node.children.forEach(visit);
    };
    visit(root);
    const reportsIn = (context: string, contexts: string[]) =>
      pythonWhereCodeRuns({
        filename: '/p/pkg/api.py',
        cwd: '/p',
        settings: { asynclint: { context } },
        text,
      }).reports(calls[0]!, contexts as never);
    expect(reportsIn('tooling', ['tooling'])).toBe(true);
    expect(reportsIn('tooling', ['one-shot'])).toBe(false);
    expect(reportsIn('library', ['one-shot'])).toBe(true);
  });

  it("pytest's files and folders are tests; setup.py runs once; other modules are library code", () => {
    const context = (file: string) => classifyFile(file, '/p', null).context;
    expect(context('/p/tests/api.py')).toBe('test');
    expect(context('/p/pkg/test_api.py')).toBe('test');
    expect(context('/p/pkg/api_test.py')).toBe('test');
    expect(context('/p/pkg/conftest.py')).toBe('test');
    expect(context('/p/setup.py')).toBe('one-shot');
    expect(context('/p/scripts/release.py')).toBe('one-shot');
    expect(context('/p/pkg/api.py')).toBe('library');
    expect(context('/p/pkg/__main__.py')).toBe('one-shot');
  });

  it("pyproject.toml's console scripts name modules that run as commands, flat or under src/", () => {
    const text =
      '[project]\nname = "x"\n[project.scripts]\nx = "x.cli:main"\n"x-admin" = \'x.admin\'\n[tool.other]\ny = "x.not_a_script:main"\n';
    const facts = factsFromPyproject('/p', text);
    expect([...facts.binFiles].sort()).toEqual([
      'src/x/admin.py',
      'src/x/admin/__init__.py',
      'src/x/cli.py',
      'src/x/cli/__init__.py',
      'x/admin.py',
      'x/admin/__init__.py',
      'x/cli.py',
      'x/cli/__init__.py',
    ]);
    expect(classifyFile('/p/src/x/cli.py', '/p', facts)).toEqual({
      context: 'one-shot',
      reason: 'a pyproject.toml console script runs it as a command',
    });
  });
});

describe('robustness', () => {
  it('lints a deeply nested expression and a very long attribute chain without recursing', () => {
    const nested = `${'('.repeat(3000)}time.sleep(1)${')'.repeat(3000)}`;
    const chain = ['time', ...Array.from({ length: 20000 }, () => 'a')].join('.');
    const text = `import time\nasync def f():\n    x = ${nested}\n    y = ${chain}()\n`;
    expect(lint(text).map((message) => [message.line, message.ruleId])).toEqual([[3, 'blocking-call']]);
  });

  it('lints a chain of 3,000 calls and still finds the blocking call at its root', () => {
    const calls = `pathlib.Path(p).read_text()${'.strip()'.repeat(3000)}`;
    const text = `import pathlib\nasync def f(p):\n    return ${calls}\n`;
    expect(lint(text).map((message) => [message.line, message.column])).toEqual([[3, 12]]);
  });
});
