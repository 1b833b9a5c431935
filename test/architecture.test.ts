/** House rules from DESIGN.md that a test can keep. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { parse, type ParsedFile } from '../src/languages/js/parser/index.js';
import { prepareWalk } from '../src/languages/js/walker/traverse.js';
import { rules } from '../rules/index.js';
import type { Node, TSESTree } from '../src/languages/js/types.js';

const JS_ANALYSIS = path.join(ROOT, 'src', 'languages', 'js', 'analysis');
/** The model every language shares (where code runs): it knows no language and reads no disk. */
const SHARED_ANALYSIS = path.join(ROOT, 'src', 'analysis');

const SRC = path.join(ROOT, 'src');
const JS_LANGUAGE = path.join(SRC, 'languages', 'js');
const PYTHON_LANGUAGE = path.join(SRC, 'languages', 'python');
const PYTHON_ANALYSIS = path.join(PYTHON_LANGUAGE, 'analysis');
const RULES = path.join(ROOT, 'rules');
/** Rule code both languages' rules share (one option schema for one id): it knows no language. */
const SHARED_RULE_CODE = path.join(RULES, 'shared');
/** The one module of the shared code that knows which languages exist. */
const REGISTRY = path.join(SRC, 'languages', 'index.ts');
/** Language-neutral: files in, LintResult out; they see languages only through the registry. */
const SHARED_FOLDERS = ['runner', 'config', 'formatters', 'cli', 'lsp'];
const ESTREE_PACKAGES = /^(?:@typescript-eslint\/|oxc-parser$|typescript$|eslint$)/;

function isInside(target: string, folder: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Why shared code must not import a module, or null: it would reach past the language seam. */
function seamBreach(file: string, specifier: string): string | null {
  if (ESTREE_PACKAGES.test(specifier)) return 'knows ESTree or a JS parser';
  if (!specifier.startsWith('.')) return null;
  const target = path.resolve(path.dirname(file), specifier);
  if (isInside(target, JS_LANGUAGE)) return 'reaches into the JS language (the registry is the door)';
  if (isInside(target, path.join(ROOT, 'rules'))) return "reaches the JS rules (the registry lists each language's)";
  return null;
}

/** Why the JS language must not import a module, or null: the shared layers sit above it. */
function layerBreach(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts'));
  if (target === REGISTRY) return 'imports the registry, which imports it';
  for (const folder of ['cli', 'runner', 'formatters', 'lsp'])
    if (isInside(target, path.join(SRC, folder))) return `reaches src/${folder}, which sits above the languages`;
  return null;
}

function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) found.push(full);
  }
  return found;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/import\('([^']+)'\)/g),
  ].map((match) => match[1]!);
}

/** Every module a file names: static, side-effect, type-only and dynamic imports, re-exports, require(). */
function everyModuleNamed(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1]!));
}

/** Why analysis must not import a module, or null: it would read the disk, parse, or walk. */
function impurity(file: string, specifier: string): string | null {
  if (/^(?:node:)?fs(?:\/promises)?$/.test(specifier)) return 'reads the file system';
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(path.join(ROOT, 'src'), path.resolve(path.dirname(file), specifier));
  const [top, , folder] = target.split(path.sep);
  const inJs = top === 'languages' && target.startsWith(path.join('languages', 'js', ''));
  if (inJs && folder === 'parser') return 'parses';
  if (inJs && folder === 'walker') return 'walks (the engine sits above analysis)';
  if (inJs && folder === 'project') return 'reaches the project graph, which reads the disk';
  if (top === 'runner') return 'reaches the runner (the engine sits above analysis)';
  if (target === 'read-file.js') return 'reads the file system';
  return null;
}

/** Rules are short declarations over the shared analysis (issue 16): a `create` of at most this many lines. */
const CREATE_LINE_LIMIT = 45;

/** The lines of a rule file's `create` (the method of the object passed to createRule), or null without one. */
function createLines(file: string): number | null {
  const text = readFileSync(file, 'utf8');
  const parsed = parse(text, file);
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const create = nodes.find(
    (node): node is TSESTree.Property =>
      node.type === 'Property' &&
      node.key.type === 'Identifier' &&
      node.key.name === 'create' &&
      node.parent?.parent?.type === 'CallExpression',
  );
  return create ? text.slice(...create.range).split('\n').length : null;
}

type Initialisers = Map<Node, Node>;

/** Each identifier that reads a variable declared with an initialiser, to that initialiser. */
function initialisers(parsed: ParsedFile): Initialisers {
  const found: Initialisers = new Map();
  for (const scope of parsed.scopeManager.scopes) {
    for (const reference of scope.references) {
      const definition = reference.resolved?.defs[0]?.node;
      if (definition?.type === 'VariableDeclarator' && definition.init)
        found.set(reference.identifier as Node, definition.init);
    }
  }
  return found;
}

function childrenOf(node: Node, visitorKeys: ParsedFile['visitorKeys']): Node[] {
  const children: Node[] = [];
  for (const key of visitorKeys[node.type] ?? []) {
    const value = (node as unknown as Record<string, unknown>)[key];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof (child as Node).type === 'string') children.push(child as Node);
    }
  }
  return children;
}

/**
 * Message text that reaches a report's `data`, directly or through the variables it reads: a
 * string with a space (`', and reads it as true'`), a template with words (`through ${name}`),
 * or a concatenation. Names, keywords and values computed by calls are data; prose belongs in
 * `meta.messages`, one messageId per variant. Also any report that passes `message:` itself.
 */
function messageTextInReports(file: string): { reports: number; text: string[] } {
  const text = readFileSync(file, 'utf8');
  const parsed = parse(text, file);
  // Parents first: the fast front end's scopes are built from a tree that has them.
  const { nodes } = prepareWalk(parsed.ast, parsed.visitorKeys);
  const resolve = initialisers(parsed);
  const found: string[] = [];
  let reports = 0;

  const proseIn = (root: Node, seen: Set<Node>): void => {
    if (seen.has(root)) return;
    seen.add(root);
    const node = root;
    if (node.type === 'Literal' && typeof node.value === 'string' && /\s/.test(node.value))
      found.push(text.slice(...node.range));
    if (node.type === 'TemplateLiteral' && node.quasis.some((quasi) => /[\sA-Za-z]/.test(quasi.value.raw)))
      found.push(text.slice(...node.range));
    const isText = (operand: Node) =>
      operand.type === 'TemplateLiteral' || (operand.type === 'Literal' && typeof operand.value === 'string');
    if (node.type === 'BinaryExpression' && node.operator === '+' && (isText(node.left) || isText(node.right)))
      found.push(text.slice(...node.range));
    const initialiser = node.type === 'Identifier' ? resolve.get(node) : undefined;
    if (initialiser) proseIn(initialiser, seen);
    for (const child of childrenOf(node, parsed.visitorKeys)) proseIn(child, seen);
  };

  const checkDescriptor = (descriptor: TSESTree.ObjectExpression): void => {
    for (const property of descriptor.properties) {
      if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
      if (property.key.name === 'message') found.push(text.slice(...property.range));
      if (property.key.name === 'data') proseIn(property.value, new Set());
      // Suggestions are descriptors too, however the list is put together.
      if (property.key.name === 'suggest')
        forEachNode(property.value, (node) => node.type === 'ObjectExpression' && checkDescriptor(node));
    }
  };

  const forEachNode = (root: Node, visit: (node: Node) => void): void => {
    visit(root);
    for (const child of childrenOf(root, parsed.visitorKeys)) forEachNode(child, visit);
  };

  for (const node of new Set(nodes)) {
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') continue;
    const method = node.callee.property;
    let descriptor = node.arguments[0];
    while (descriptor?.type === 'TSAsExpression' || descriptor?.type === 'TSSatisfiesExpression')
      descriptor = descriptor.expression;
    if (method.type !== 'Identifier' || method.name !== 'report' || descriptor?.type !== 'ObjectExpression') continue;
    reports++;
    checkDescriptor(descriptor);
  }
  return { reports, text: found };
}

describe('architecture', () => {
  it('the JS analysis imports neither node:fs nor the parser, the walker, the project graph or the runner', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(JS_ANALYSIS)) {
      for (const specifier of everyModuleNamed(file)) {
        const why = impurity(file, specifier);
        if (why) offending.push(`${path.relative(ROOT, file)} imports ${specifier}: it ${why}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the shared analysis is pure and knows no language: no node:fs, no parser, no language folder', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(SHARED_ANALYSIS)) {
      for (const specifier of everyModuleNamed(file)) {
        const why = impurity(file, specifier) ?? seamBreach(file, specifier);
        const target = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : '';
        const language = isInside(target, path.join(SRC, 'languages')) ? 'reaches a language' : null;
        if (why ?? language) offending.push(`${path.relative(ROOT, file)} imports ${specifier}: it ${why ?? language}`);
      }
    }
    expect(sourceFiles(SHARED_ANALYSIS).length).toBeGreaterThan(0);
    expect(offending).toEqual([]);
  });

  it('the purity check catches every form of import it bans', () => {
    const file = path.join(JS_ANALYSIS, 'x.ts');
    expect(impurity(file, 'node:fs')).not.toBeNull();
    expect(impurity(file, 'fs/promises')).not.toBeNull();
    expect(impurity(file, '../parser/index.js')).not.toBeNull();
    expect(impurity(file, '../walker/traverse.js')).not.toBeNull();
    expect(impurity(path.join(JS_ANALYSIS, 'context', 'x.ts'), '../../project/index.js')).not.toBeNull();
    expect(impurity(file, '../../../runner/lint-files.js')).not.toBeNull();
    expect(impurity(file, '../../../read-file.js')).not.toBeNull();
    expect(impurity(file, './project.js')).toBeNull();
    expect(impurity(file, 'node:path')).toBeNull();
  });

  it("rules import only their language's types and analysis (and their own data, and the shared rule code)", () => {
    const contracts: { folder: string; allowed: string[] }[] = [
      { folder: SHARED_RULE_CODE, allowed: [path.join(SRC, 'types.js'), SHARED_ANALYSIS] },
      {
        folder: path.join(RULES, 'python'),
        allowed: [path.join(PYTHON_LANGUAGE, 'types.js'), path.join(PYTHON_ANALYSIS, 'index.js'), SHARED_RULE_CODE],
      },
      {
        folder: RULES,
        allowed: [path.join(JS_LANGUAGE, 'types.js'), path.join(JS_LANGUAGE, 'analysis', 'index.js'), SHARED_RULE_CODE],
      },
    ];
    for (const file of sourceFiles(RULES)) {
      const { folder, allowed } = contracts.find((contract) => isInside(file, contract.folder))!;
      for (const specifier of importsOf(file)) {
        const target = path.resolve(path.dirname(file), specifier);
        const permitted =
          allowed.some((entry) => target === entry || isInside(target, entry)) ||
          (specifier.startsWith('./') && isInside(target, folder));
        expect(permitted, `${path.relative(ROOT, file)} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('the Python language reaches neither the JS language nor the JS rules, the registry or the layers above', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(PYTHON_LANGUAGE)) {
      for (const specifier of everyModuleNamed(file)) {
        const target = path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts'));
        const why =
          layerBreach(file, specifier) ??
          (ESTREE_PACKAGES.test(specifier) ? 'knows ESTree or a JS parser' : null) ??
          (specifier.startsWith('.') && isInside(target, JS_LANGUAGE) ? 'reaches into the JS language' : null) ??
          (specifier.startsWith('.') && isInside(target, RULES) && !isInside(target, path.join(RULES, 'python'))
            ? 'reaches the JS rules'
            : null);
        if (why) offending.push(`${path.relative(ROOT, file)} imports ${specifier}: it ${why}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the Python analysis reads no disk and runs no parser: it imports the parser for its types only', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(PYTHON_ANALYSIS)) {
      const text = readFileSync(file, 'utf8');
      for (const specifier of everyModuleNamed(file)) {
        if (/^(?:node:)?fs(?:\/promises)?$|^web-tree-sitter$/.test(specifier)) offending.push(`${file}: ${specifier}`);
        const target = path.resolve(path.dirname(file), specifier);
        const reachesParser = isInside(target, path.join(PYTHON_LANGUAGE, 'parser'));
        const typeOnly = new RegExp(`import type [^;]*from '${specifier.replace(/[.]/g, '\\.')}'`).test(text);
        if (reachesParser && !typeOnly)
          offending.push(`${path.relative(ROOT, file)} imports ${specifier} for more than types`);
        if (
          isInside(target, path.join(PYTHON_LANGUAGE, 'walker')) ||
          isInside(target, path.join(PYTHON_LANGUAGE, 'project'))
        )
          offending.push(
            `${path.relative(ROOT, file)} imports ${specifier}: the engine and the disk sit above analysis`,
          );
      }
    }
    expect(sourceFiles(PYTHON_ANALYSIS).length).toBeGreaterThan(0);
    expect(offending).toEqual([]);
  });

  it('outside the JS parser folder, no file of src or rules imports the parsers or the TypeScript compiler', () => {
    const parsers = ['oxc-parser', '@typescript-eslint/parser', '@typescript-eslint/typescript-estree', 'typescript'];
    for (const file of [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'rules'))]) {
      const relative = path.relative(ROOT, file);
      if (relative.startsWith(path.join('src', 'languages', 'js', 'parser', ''))) continue;
      for (const specifier of importsOf(file))
        expect(parsers.includes(specifier), `${relative} imports ${specifier}`).toBe(false);
    }
  });

  it('the runner, config, formatters, CLI and language server know no ESTree type', () => {
    for (const folder of SHARED_FOLDERS) {
      for (const file of sourceFiles(path.join(SRC, folder))) {
        expect(readFileSync(file, 'utf8'), path.relative(ROOT, file)).not.toMatch(
          /TSESTree|@typescript-eslint\/types|\bRuleModule\b|\bRuleContext\b|\bScopeManager\b/,
        );
      }
    }
  });

  it('shared code reaches the JS language only through the registry (and the public entry, for its types)', () => {
    const breaching = new Set<string>();
    const offending: string[] = [];
    for (const file of sourceFiles(SRC)) {
      // Each language folder is checked by its own test; only the Python language reaches its rules.
      if (isInside(file, JS_LANGUAGE) || isInside(file, PYTHON_LANGUAGE)) continue;
      for (const specifier of everyModuleNamed(file)) {
        const why = seamBreach(file, specifier);
        if (!why) continue;
        breaching.add(path.relative(ROOT, file));
        const shared = SHARED_FOLDERS.some((folder) => isInside(file, path.join(SRC, folder)));
        if (shared) offending.push(`${path.relative(ROOT, file)} imports ${specifier}: it ${why}`);
      }
    }
    expect(offending).toEqual([]);
    // The registry, and what it knows without loading the languages (which files each owns, the
    // kinds of derived dependency the cache checks): a warm run loads those alone.
    expect([...breaching].sort()).toEqual([
      path.join('src', 'index.ts'),
      path.join('src', 'languages', 'dependencies.ts'),
      path.join('src', 'languages', 'files.ts'),
      path.join('src', 'languages', 'index.ts'),
    ]);
  });

  it('the JS language imports neither the registry nor the CLI, runner, formatters or language server', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(JS_LANGUAGE)) {
      for (const specifier of everyModuleNamed(file)) {
        const why = layerBreach(file, specifier);
        if (why) offending.push(`${path.relative(ROOT, file)} imports ${specifier}: it ${why}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the seam checks catch what they ban', () => {
    const runnerFile = path.join(SRC, 'runner', 'x.ts');
    expect(seamBreach(runnerFile, '../languages/js/parser/index.js')).not.toBeNull();
    expect(seamBreach(path.join(SRC, 'cli', 'x.ts'), '../../rules/index.js')).not.toBeNull();
    expect(seamBreach(runnerFile, '@typescript-eslint/types')).not.toBeNull();
    expect(seamBreach(runnerFile, 'typescript')).not.toBeNull();
    expect(seamBreach(runnerFile, '../languages/index.js')).toBeNull();
    expect(seamBreach(runnerFile, '../languages/language.js')).toBeNull();
    expect(seamBreach(runnerFile, '../types.js')).toBeNull();
    const jsFile = path.join(JS_LANGUAGE, 'walker', 'x.ts');
    expect(layerBreach(jsFile, '../../../cli/index.js')).not.toBeNull();
    expect(layerBreach(jsFile, '../../../runner/pool.js')).not.toBeNull();
    expect(layerBreach(jsFile, '../../index.js')).not.toBeNull();
    expect(layerBreach(jsFile, '../../../types.js')).toBeNull();
    expect(layerBreach(jsFile, '../parser/index.js')).toBeNull();
  });

  it('detection never builds message strings: every report uses a messageId, and its data holds values, not text', () => {
    let reports = 0;
    const text: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'rules'))) {
      const found = messageTextInReports(file);
      reports += found.reports;
      text.push(...found.text.map((piece) => `${path.relative(ROOT, file)}: ${piece}`));
    }
    expect(text).toEqual([]);
    // Without reports found, the check above would pass whatever the rules do.
    expect(reports).toBeGreaterThanOrEqual(Object.keys(rules).length);
  });

  it(`every rule's create is at most ${CREATE_LINE_LIMIT} lines: the model lives in the shared analysis`, () => {
    const lengths = Object.fromEntries(
      Object.keys(rules).map((id) => [id, createLines(path.join(ROOT, 'rules', `${id}.ts`))]),
    );
    // Without a create found, the limit would hold whatever the rules do.
    expect(Object.entries(lengths).filter(([, lines]) => lines === null)).toEqual([]);
    expect(Object.entries(lengths).filter(([, lines]) => lines! > CREATE_LINE_LIMIT)).toEqual([]);
  });

  it('a rule asks the whole text in its declared shouldRun, which the engine asks before creating it', () => {
    for (const file of sourceFiles(path.join(ROOT, 'rules'))) {
      const questions = readFileSync(file, 'utf8').match(/\(\s*(?:context\.)?sourceCode\.text\s*[,)]/g) ?? [];
      expect(questions, path.relative(ROOT, file)).toEqual([]);
    }
  });

  it('rules and analyses ask sourceCode.getLoc instead of reading node.loc, which the fast front end leaves unset', () => {
    for (const file of [...sourceFiles(path.join(ROOT, 'rules')), ...sourceFiles(JS_ANALYSIS)]) {
      const reads = readFileSync(file, 'utf8').match(/\.loc\b(?!\w)/g) ?? [];
      expect(reads, path.relative(ROOT, file)).toEqual([]);
    }
  });
});
