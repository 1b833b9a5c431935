/** Each rule's documentation has the fixed headings, and its code examples are linted. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { resolveConfig } from '../src/config/index.js';
import { DOC_HEADINGS, lintWithEngine, ROOT } from './helpers.js';
import { pythonRules } from '../rules/python/index.js';
import { python } from '../src/languages/python/index.js';
import { headerOf, ruleHeader, ruleTable } from '../scripts/rule-table.js';

const HEADINGS = DOC_HEADINGS;
const CLEAN_SECTIONS = new Set(['Use instead', 'When it is fine']);

interface CodeBlock {
  section: string;
  language: string;
  code: string;
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let section = '';
  let fence: { language: string; lines: string[] } | null = null;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (line.startsWith('```')) {
        blocks.push({ section, language: fence.language, code: fence.lines.join('\n') });
        fence = null;
      } else fence.lines.push(line);
      continue;
    }
    const heading = /^## (.*)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    const open = /^```(\S*)/.exec(line);
    if (open) fence = { language: open[1]!, lines: [] };
  }
  return blocks;
}

describe.each(Object.keys(rules))('docs/rules/%s.md', (ruleId) => {
  const file = path.join(ROOT, 'docs', 'rules', `${ruleId}.md`);
  const markdown = existsSync(file) ? readFileSync(file, 'utf8') : '';

  it('exists with the fixed headings in order', () => {
    expect(markdown, `${file} is missing`).not.toBe('');
    const headings = [...markdown.matchAll(/^## (.*)$/gm)].map((match) => match[1]!.trim());
    expect(headings).toEqual(HEADINGS);
    expect(markdown.startsWith(`# ${ruleId}\n`)).toBe(true);
  });

  it('has the header bullets its metadata gives (npm run docs regenerates them)', () => {
    expect(headerOf(markdown)).toBe(ruleHeader(ruleId));
  });

  const blocks = codeBlocks(markdown);
  const lintable = blocks.filter((block) => ['ts', 'js', 'tsx', 'jsx'].includes(block.language));

  it('has an incorrect and a correct example', () => {
    expect(lintable.some((block) => block.section === 'Example')).toBe(true);
    expect(lintable.some((block) => block.section === 'Use instead')).toBe(true);
  });

  it.each(lintable.map((block, index) => [`${block.section} #${index + 1}`, block] as const))(
    '%s gives the documented findings',
    (_name, block) => {
      const messages = lintWithEngine(block.code, path.join(ROOT, `example.${block.language}`), ruleId, [], 'fast');
      expect(messages.filter((message) => message.fatal)).toEqual([]);
      if (block.section === 'Example') expect(messages.map((message) => message.ruleId)).toEqual([ruleId]);
      else if (CLEAN_SECTIONS.has(block.section)) expect(messages).toEqual([]);
    },
  );

  // A rule Python has too shows it in `python` blocks, linted by the Python rule of the same id.
  const pythonBlocks = blocks.filter((block) => block.language === 'python');
  if (pythonRules[ruleId] && pythonBlocks.length > 0) {
    beforeAll(() => python.prepare!());
    it.each(pythonBlocks.map((block, index) => [`${block.section} #${index + 1}`, block] as const))(
      '%s (Python) gives the documented findings',
      (_name, block) => {
        const { messages } = python.lintText(block.code, {
          filename: path.join(ROOT, 'example.py'),
          cwd: ROOT,
          rules: [{ id: ruleId, rule: pythonRules[ruleId]!, severity: 2, options: [] }],
        }).result;
        expect(messages.filter((message) => message.fatal)).toEqual([]);
        if (block.section === 'Example') expect(messages.map((message) => message.ruleId)).toEqual([ruleId]);
        else if (CLEAN_SECTIONS.has(block.section)) expect(messages).toEqual([]);
      },
    );
  }

  it('documents options that the config accepts', () => {
    for (const block of blocks.filter(
      (candidate) => candidate.section === 'Options' && candidate.language === 'json',
    )) {
      const config = JSON.parse(block.code) as { rules: Record<string, never> };
      expect(() => resolveConfig({ config, filePath: null }, rules)).not.toThrow();
    }
  });

  it('documents every option in the schema', () => {
    const schema = rules[ruleId]!.meta.schema[0] as
      { properties?: Record<string, { description?: string }> } | undefined;
    for (const [name, property] of Object.entries(schema?.properties ?? {})) {
      expect(property.description, `${ruleId}.${name} has no description`).toBeTruthy();
      expect(markdown).toContain(`\`${name}\``);
    }
  });
});

describe('README', () => {
  it('has the current rule table (npm run docs regenerates it)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const between = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme);
    expect(between, 'README has no rules:start / rules:end markers').not.toBeNull();
    expect(between![1]).toBe(ruleTable());
  });
});
