/** Unit tests for the engine pieces: walker semantics, directives, option merging, fixes. */
import { describe, expect, it } from 'vitest';
import { parse, parseFast } from '../src/languages/js/parser/index.js';
import { runRules, mergeOptions, resolveFix, type ConfiguredRule } from '../src/languages/js/walker/index.js';
import { createRule, type FileToLint, type Node, type RuleModule } from '../src/languages/js/types.js';
import { Linter } from 'eslint';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rules } from '../rules/index.js';
import { collectPhases, timed } from '../src/timing.js';
import { lintSource } from '../src/languages/js/lint-text.js';
import { createStats } from '../src/languages/index.js';
import { importOrder } from '../src/runner/import-order.js';
import { javascript } from '../src/languages/js/index.js';
import { ROOT } from './helpers.js';

/** A test rule that reports every identifier named `bad` and records the walk order. */
function probeRule(order: string[] = []) {
  return createRule<'bad' | 'withData', [{ word: string }]>({
    name: 'probe',
    meta: {
      type: 'problem',
      docs: { description: 'probe', category: 'correctness', preset: 'recommended', presetSeverity: 'error' },
      messages: { bad: 'Found {{ name }}.', withData: 'Missing {{ nothing }} stays.' },
      schema: [{ type: 'object', properties: { word: { type: 'string' } }, additionalProperties: false }],
      defaultOptions: [{ word: 'bad' }],
    },
    create(context) {
      return {
        Program: () => order.push('Program'),
        'Program:exit': () => order.push('Program:exit'),
        'FunctionDeclaration, ArrowFunctionExpression': (node: Node) => order.push(node.type),
        Identifier(node: Node & { name: string }) {
          if (node.name === context.options[0].word)
            context.report({ node, messageId: 'bad', data: { name: node.name } });
        },
      };
    },
  }) as unknown as RuleModule;
}

function lint(
  text: string,
  rule: RuleModule,
  options: unknown[] = [],
  extra: { inlineConfig?: boolean; reportUnused?: 0 | 1 | 2 } = {},
) {
  return lintSource(text, {
    filename: `${ROOT}/probe.ts`,
    cwd: ROOT,
    rules: [{ id: 'probe', rule, severity: 2, options }],
    inlineConfig: extra.inlineConfig,
    reportUnusedDisableDirectives: extra.reportUnused,
  });
}

describe('walker', () => {
  it('dispatches enter, comma lists and :exit in ESLint order, with parents set first', () => {
    const order: string[] = [];
    lint('function f() { return () => 1; }', probeRule(order));
    expect(order).toEqual(['Program', 'FunctionDeclaration', 'ArrowFunctionExpression', 'Program:exit']);
  });

  it('interpolates data and leaves unknown placeholders', () => {
    const result = lint('const bad = 1;', probeRule());
    expect(result.messages).toMatchObject([
      { ruleId: 'probe', message: 'Found bad.', line: 1, column: 7, endColumn: 10, severity: 2 },
    ]);
  });

  it('merges defaultOptions under user options as ESLint does', () => {
    expect(lint('const worse = 1;', probeRule(), [{ word: 'worse' }]).messages).toMatchObject([
      { ruleId: 'probe', line: 1, column: 7 },
    ]);
    expect(mergeOptions([{ a: 1, b: { c: 2 } }], [{ b: { d: 3 } }])).toEqual([{ a: 1, b: { c: 2, d: 3 } }]);
    expect(mergeOptions([{ list: [1, 2] }], [{ list: [3] }])).toEqual([{ list: [3] }]);
    expect(mergeOptions(undefined, ['x'])).toEqual(['x']);
  });

  it('walks a 50,000-deep tree without recursion', () => {
    const text = `let a = 1;\nconst x = ${Array(50000).fill('a').join(' + ')};`;
    // Deeper than the CLI parses (see nesting.ts): the walker itself must not recurse. If parsing
    // throws, the test fails rather than passing without having walked anything.
    const parsed = parseFast(text, 'deep.ts', Infinity);
    const probe = { id: 'probe', rule: probeRule(), severity: 2 as const, options: [{ word: 'a' }] };
    const outcome = runRules(parsed, text, { filename: 'deep.ts', cwd: ROOT, rules: [probe] });
    // One finding per `a`: the declaration and all 50,000 reads, so the walk reached the bottom.
    expect(outcome.messages).toHaveLength(50001);
    expect(outcome.messages.at(-1)).toMatchObject({ line: 2, column: text.length - text.indexOf('\n') - 2 });
  });

  it('rejects selectors the engine does not implement, so a rule cannot silently not run', () => {
    const rule = { ...probeRule(), create: () => ({ 'CallExpression > Identifier': () => {} }) } as RuleModule;
    expect(() => lint('f();', rule)).toThrow(/supports node types/);
  });
});

/** What a directive test compares: every message left, as `line:column rule`, not just how many. */
function findings(result: { messages: readonly { line: number; column: number; ruleId: string | null }[] }): string[] {
  return result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? '-'}`);
}

describe('shouldRun', () => {
  const wordOf = (options: readonly unknown[]) => (options[0] as { word: string }).word;

  it('a rule whose shouldRun is false is never created for that file, and no tree is walked for it', () => {
    const created: string[] = [];
    const asked: FileToLint[] = [];
    const probe = probeRule();
    // Written by hand, not by createRule: create itself does not ask, so only the engine can.
    const gated: RuleModule = {
      ...probe,
      shouldRun(file) {
        asked.push(file);
        return file.text.includes(wordOf(file.options));
      },
      create(context) {
        created.push(context.sourceCode.text);
        return probe.create(context);
      },
    };
    const run = (text: string, rules: ConfiguredRule[]) => {
      const stats = createStats();
      const { messages } = lintSource(text, { filename: `${ROOT}/gated.ts`, cwd: ROOT, rules, stats });
      return { messages: messages.map((message) => `${message.ruleId}: ${message.message}`), walked: stats.walked };
    };
    const alone = [{ id: 'gated', rule: gated, severity: 2 as const, options: [{ word: 'worse' }] }];
    expect(run('const bad = 1;', alone)).toEqual({ messages: [], walked: 0 });
    expect(created).toEqual([]);
    // It is asked with the options merged as create would see them, and the file's name.
    expect(asked).toMatchObject([
      { text: 'const bad = 1;', physicalFilename: `${ROOT}/gated.ts`, options: [{ word: 'worse' }] },
    ]);
    expect(run('const worse = 1;', alone)).toEqual({ messages: ['gated: Found worse.'], walked: 1 });
    expect(created).toEqual(['const worse = 1;']);
    // Beside a rule that runs, the tree is walked, and still without the rule that should not.
    const withProbe = [...alone, { id: 'probe', rule: probe, severity: 2 as const, options: [] }];
    expect(run('const bad = 1;', withProbe)).toEqual({ messages: ['probe: Found bad.'], walked: 1 });
    expect(created).toEqual(['const worse = 1;']);
  });

  it('createRule asks shouldRun inside create, so ESLint skips the same files', () => {
    const created: string[] = [];
    const probe = probeRule();
    const gated = createRule<'bad' | 'withData', [{ word: string }]>({
      name: 'gated',
      meta: probe.meta,
      shouldRun: (file) => file.text.includes(file.options[0].word),
      create(context) {
        created.push(context.sourceCode.text);
        return probe.create(context as never);
      },
    });
    const linter = new Linter();
    const config = [
      { plugins: { test: { rules: { gated } } }, rules: { 'test/gated': ['error', { word: 'worse' }] } },
    ] as unknown as Linter.Config[];
    expect(linter.verify('const bad = 1;', config)).toEqual([]);
    expect(created).toEqual([]);
    expect(linter.verify('const worse = 1;', config).map((message) => message.message)).toEqual(['Found worse.']);
    expect(created).toEqual(['const worse = 1;']);
  });
});

describe('inline directives', () => {
  const rule = probeRule();
  it.each([
    ['next line', '// asynclint-disable-next-line probe -- reason\nconst bad = 1;', []],
    ['same line', 'const bad = 1; // asynclint-disable-line probe', []],
    ['plugin prefix', 'const bad = 1; // asynclint-disable-line asynclint/probe', []],
    ['other rule', 'const bad = 1; // asynclint-disable-line something-else', ['1:7 probe']],
    // The block ends at the enable comment: only the `bad` read on line 4 is left.
    [
      'block',
      '/* asynclint-disable probe */\nconst bad = 1;\n/* asynclint-enable probe */\nlet bad2 = bad;',
      ['4:12 probe'],
    ],
    ['whole file', '/* asynclint-disable */\nconst bad = 1;\nlet x = bad;', []],
    ['not a directive', '// asynclint-disabled probe\nconst bad = 1;', ['2:7 probe']],
  ])('%s', (_name, text, expected) => {
    expect(findings(lint(text, rule))).toEqual(expected);
  });

  it('honours eslint-disable comments that name the upstream rule ours replaces, and no others', () => {
    const upstreamRule = {
      ...rule,
      meta: { ...rule.meta, docs: { ...rule.meta.docs, upstream: ['peer/no-bad'] } },
    } as RuleModule;
    expect(findings(lint('// eslint-disable-next-line peer/no-bad -- legacy\nconst bad = 1;', upstreamRule))).toEqual(
      [],
    );
    expect(findings(lint('// eslint-disable-next-line asynclint/probe\nconst bad = 1;', upstreamRule))).toEqual([]);
    expect(findings(lint('// eslint-disable-next-line other/rule\nconst bad = 1;', upstreamRule))).toEqual([
      '2:7 probe',
    ]);
    expect(findings(lint('/* eslint-disable */\nconst bad = 1;', upstreamRule))).toEqual(['2:7 probe']);
    const unusedOther = lint('// eslint-disable-next-line peer/no-good\nconst good = 1;', upstreamRule, [], {
      reportUnused: 2,
    });
    expect(findings(unusedOther)).toEqual([]);
  });

  it('keeps suppressed findings with their justification', () => {
    const result = lint('// asynclint-disable-next-line probe -- generated code\nconst bad = 1;', rule);
    expect(result.suppressedMessages).toMatchObject([
      { ruleId: 'probe', suppressions: [{ kind: 'directive', justification: 'generated code' }] },
    ]);
  });

  it('reports unused directives only when asked, and --no-inline-config ignores all', () => {
    const text = '// asynclint-disable-next-line probe\nconst good = 1;';
    expect(lint(text, rule).messages).toEqual([]);
    expect(lint(text, rule, [], { reportUnused: 1 }).messages).toMatchObject([
      {
        ruleId: null,
        severity: 1,
        line: 1,
        message: "Unused asynclint-disable-next-line directive (no problems were reported from 'probe').",
      },
    ]);
    expect(findings(lint('const bad = 1; // asynclint-disable-line probe', rule, [], { inlineConfig: false }))).toEqual(
      ['1:7 probe'],
    );
  });
});

describe('fixes', () => {
  it('merges several edits into one, as ESLint does', () => {
    const text = 'abcdef';
    const fix = resolveFix(
      (fixer) => [fixer.insertTextBeforeRange([0, 1], '<'), fixer.replaceTextRange([2, 3], 'C')],
      text,
    );
    expect(fix).toEqual({ range: [0, 3], text: '<abC' });
  });

  it('refuses overlapping edits', () => {
    expect(() =>
      resolveFix((fixer) => [fixer.replaceTextRange([0, 3], 'x'), fixer.replaceTextRange([2, 4], 'y')], 'abcdef'),
    ).toThrow(/overlapped/);
  });
});

describe('applyFixes', () => {
  it('applies non-overlapping fixes and refuses output that does not parse', async () => {
    const { applyFixes } = await import('../src/runner/fix.js');
    const base = { ruleId: 'x', severity: 2 as const, message: 'm', line: 1, column: 1 };
    const good = applyFixes(
      'a + b;',
      [
        { ...base, fix: { range: [0, 1], text: 'c' } },
        { ...base, fix: { range: [0, 3], text: 'zz' } },
      ],
      'f.js',
    );
    expect(good).toEqual({ output: 'c + b;', applied: 1, refused: false });
    const broken = applyFixes('a + b;', [{ ...base, fix: { range: [0, 1], text: '(' } }], 'f.js');
    expect(broken).toEqual({ output: 'a + b;', applied: 0, refused: true });
  });
});

describe('--stats phase timing', () => {
  it('counts a nested phase once, in the inner phase, so the phases add up to the work', () => {
    const phases = new Map<string, number>();
    let clock = 0;
    collectPhases(
      phases,
      () =>
        timed('rules', () => {
          clock += 20;
          timed('index', () => (clock += 30));
          clock += 5;
        }),
      () => clock,
    );
    expect(Object.fromEntries(phases)).toEqual({ rules: 25, index: 30 });
  });

  it('times nothing without a sink', () => {
    expect(timed('rules', () => 42)).toBe(42);
  });

  it('splits a file into parse, scope and rules, and an imported file into index', () => {
    const stats = createStats();
    const directory = mkdtempSync(path.join(tmpdir(), 'asynclint-stats-'));
    writeFileSync(path.join(directory, 'helper.js'), 'export async function save() { await fetch("/save"); }\n');
    const file = path.join(directory, 'main.js');
    const text = "import { save } from './helper.js';\nexport function run() { save(); }\n";
    writeFileSync(file, text);
    const result = lintSource(text, {
      filename: file,
      cwd: directory,
      rules: [{ id: 'floating-promise', rule: rules['floating-promise']!, severity: 2, options: [] }],
      stats,
    });
    expect(result.messages.map((message) => message.ruleId)).toEqual(['floating-promise']);
    expect([...stats.phases.keys()].sort()).toEqual(['index', 'parse', 'rules', 'scope']);
  });
});

describe('cross-file facts', () => {
  const floatingPromise = [
    { id: 'floating-promise', rule: rules['floating-promise']!, severity: 2 as const, options: [] },
  ];

  it('come from the lint of the imported file itself, so importers never parse it again', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'asynclint-facts-'));
    const write = (name: string, text: string) => {
      writeFileSync(path.join(directory, name), text);
      return { filename: path.join(directory, name), text };
    };
    // A first importer makes the rule ask for promise facts at all.
    const first = write('first.js', "import { a } from './a.js';\nexport function run() { a(); }\n");
    write('a.js', 'export async function a() { await fetch("/a"); }\n');
    lintSource(first.text, { filename: first.filename, cwd: directory, rules: floatingPromise });
    const helper = write('helper.js', 'export async function save() { await fetch("/save"); }\n');
    lintSource(helper.text, { filename: helper.filename, cwd: directory, rules: floatingPromise, provideFacts: true });
    const importer = write('main.js', "import { save } from './helper.js';\nexport function run() { save(); }\n");
    const stats = createStats();
    const result = lintSource(importer.text, {
      filename: importer.filename,
      cwd: directory,
      rules: floatingPromise,
      stats,
    });
    expect(result.messages.map((message) => message.ruleId)).toEqual(['floating-promise']);
    expect(stats.phases.has('index')).toBe(false);
  });

  it('come from the lint of a file with no exports of its own too (a barrel), which is not parsed again', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'asynclint-facts-'));
    const write = (name: string, text: string) => {
      writeFileSync(path.join(directory, name), text);
      return { filename: path.join(directory, name), text };
    };
    // A first importer, through a barrel, makes the rule ask for promise facts and re-exports.
    const first = write('first.js', "import { a } from './a-index.js';\nexport function run() { a(); }\n");
    write('a-index.js', "export { a } from './a.js';\n");
    write('a.js', 'export async function a() { await fetch("/a"); }\n');
    lintSource(first.text, { filename: first.filename, cwd: directory, rules: floatingPromise });
    for (const [name, text] of [
      ['helper.js', 'export async function save() { await fetch("/save"); }\n'],
      ['index.js', "export { save } from './helper.js';\n"],
    ] as const) {
      const file = write(name, text);
      lintSource(file.text, { filename: file.filename, cwd: directory, rules: floatingPromise, provideFacts: true });
    }
    const importer = write('main.js', "import { save } from './index.js';\nexport function run() { save(); }\n");
    const stats = createStats();
    lintSource(importer.text, { filename: importer.filename, cwd: directory, rules: floatingPromise, stats });
    // The importer asks the barrel, whose facts its own lint distilled: nothing is parsed for them.
    expect(stats.phases.has('index')).toBe(false);
  });

  it('are linted in import order: a file before its importers, cycles included', () => {
    const files = [
      { filePath: '/p/main.js', text: "import { a } from './a.js';\nconst b = require('./lib/b');" },
      { filePath: '/p/a.js', text: "export * from './lib/b.js'; import('./main.js');" },
      { filePath: '/p/lib/b.js', text: "import x from 'package'; import y from '../missing.js';" },
      { filePath: '/p/lone.ts', text: "import { a } from './a.js';" },
    ];
    // Through the language seam, as the runner asks.
    const { order, imported } = importOrder(
      files.map(({ filePath, text }) => ({ filePath, specifiers: javascript.importSpecifiers(text) })),
      javascript.moduleCandidates,
    );
    expect(order.map((index) => files[index]!.filePath)).toEqual([
      '/p/lib/b.js',
      '/p/a.js',
      '/p/main.js',
      '/p/lone.ts',
    ]);
    expect([...imported].sort()).toEqual([0, 1, 2]);
  });

  it('skip the tree of a file where no rule has anything to look for, and only then', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'asynclint-walk-'));
    writeFileSync(path.join(directory, 'sync.js'), 'export function add(a, b) { return a + b; }\n');
    writeFileSync(path.join(directory, 'async.js'), 'export async function save() { await fetch("/save"); }\n');
    const recommended = Object.entries(rules)
      .filter(([, rule]) => rule.meta.docs.preset === 'recommended')
      .map(([id, rule]) => ({ id, rule, severity: 2 as const, options: [] }));
    const walked = (name: string, text: string) => {
      const stats = createStats();
      lintSource(text, { filename: path.join(directory, name), cwd: directory, rules: recommended, stats });
      return stats.walked;
    };
    expect(walked('plain.js', "import { add } from './sync.js';\nexport const three = add(1, 2);\n")).toBe(0);
    expect(walked('caller.js', "import { save } from './async.js';\nexport function run() { save(); }\n")).toBe(1);
    expect(walked('awaits.js', 'export async function run(jobs) { for (const job of jobs) await job(); }\n')).toBe(1);
  });
});

describe('lenient JavaScript parsing', () => {
  const floating = { id: 'floating-promise', rule: rules['floating-promise']!, severity: 2 as const, options: [] };
  const lint = (text: string, name: string) =>
    lintSource(text, { filename: path.join(ROOT, name), cwd: ROOT, rules: [floating] }).messages;

  it('parses JSX in a .js file, as React projects write it', () => {
    const messages = lint(
      'const view = <div />;\nexport async function f() { g(); }\nasync function g() { await fetch("/g"); }\n',
      'src/view.js',
    );
    expect(messages.map((message) => `${message.line}:${message.ruleId}`)).toEqual(['2:floating-promise']);
  });

  it('parses a top-level return in a CommonJS .js file, as Node runs it', () => {
    const messages = lint(
      'if (!process.env.CI) return;\nasync function g() { await fetch("/g"); }\nmodule.exports = async function f() { g(); };\n',
      'src/guard.js',
    );
    expect(messages.map((message) => `${message.line}:${message.ruleId}`)).toEqual(['3:floating-promise']);
  });

  it('still reports a real syntax error once, with its position', () => {
    const messages = lint('const x = ;\n', 'src/broken.js');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ fatal: true, line: 1 });
  });
});
