/**
 * blocking-call: a synchronous, blocking call (file system, child process, compression, key
 * derivation, ...) that runs on the event loop as part of async code, directly or through sync
 * helpers in this file or in files it imports.
 */
import {
  compiledOptions,
  asyncContextOf,
  blockingHelperCall,
  repeatsWithin,
  runsSynchronously,
  isMemoisedCall,
  isOnErrorPath,
  whereCodeRunsFor,
  mayRunAsync,
  describeLocation,
  directBlockingApi,
  innermostFunction,
  resolveModuleBinding,
  type BlockingApiEntry,
  type BlockingTable,
} from '../src/languages/js/analysis/index.js';
import { createRule, type RuleFix, type RuleFixer, type SourceCode, type TSESTree } from '../src/languages/js/types.js';
import { BLOCKING_APIS, CONFIGURED_API_BLOCKS } from './data/blocking-apis.js';
import {
  BLOCKING_CALL_DEFAULTS,
  BLOCKING_CALL_SCHEMA,
  type BlockingCallOptions,
} from './shared/blocking-call-options.js';

type MessageIds = 'blockingApi' | 'blockingHelper' | 'blockingHelperThrough' | 'suggestPromises';
type Options = [BlockingCallOptions];

/** One table per distinct options value: analysis memos are kept per table object. */
const tableFor = compiledOptions((options: Options[0], key): BlockingTable => {
  const extra: BlockingApiEntry[] = options.blockingApis.map((entry) => ({
    modules: [entry.module.replace(/^node:/, '')],
    name: entry.name,
    blocks: CONFIGURED_API_BLOCKS,
    replacement: entry.replacement,
  }));
  const allowed = new Set(options.allow.map((label) => label.replace(/^node:/, '')));
  return { id: key, entries: [...extra, ...BLOCKING_APIS], isAllowed: (label) => allowed.has(label) };
});

/** The helpers between the call and the blocking API, as the `{{ chain }}` placeholder shows them. */
function callChain(helpers: readonly string[]): string {
  return helpers.map((name) => `${name}()`).join(' and ');
}

/** `fs.readFileSync(...)` to `fs.promises.readFile(...)`: the promise API of `node:fs` mirrors these names. */
const FS_PROMISE_EQUIVALENTS = new Set([
  'readFileSync',
  'writeFileSync',
  'appendFileSync',
  'readdirSync',
  'statSync',
  'lstatSync',
  'mkdirSync',
  'rmSync',
  'rmdirSync',
  'unlinkSync',
  'renameSync',
  'copyFileSync',
  'accessSync',
  'readlinkSync',
  'realpathSync',
  'mkdtempSync',
  'chmodSync',
  'chownSync',
  'utimesSync',
  'symlinkSync',
  'truncateSync',
]);

/**
 * Whether a call in async code runs once per element of something: in a loop, or in a callback
 * an array method calls per element. A metadata call (`existsSync`) costs microseconds once, and
 * only adds up when repeated over data.
 */
function runsPerElement(call: TSESTree.CallExpression): boolean {
  const fn = innermostFunction(call);
  return repeatsWithin(call, fn) || (fn !== null && runsSynchronously(fn));
}

function needsParentheses(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  return (
    (parent.type === 'MemberExpression' && parent.object === node) ||
    (parent.type === 'CallExpression' && parent.callee === node) ||
    parent.type === 'TaggedTemplateExpression' ||
    (parent.type === 'BinaryExpression' && parent.operator === '**' && parent.left === node)
  );
}

/**
 * `fs.readFileSync(p, 'utf8')` directly inside an async function becomes
 * `await fs.promises.readFile(p, 'utf8')`; a named import `readFileSync(p)` becomes
 * `await readFile(p)` with `import { readFile } from 'node:fs/promises'` added.
 */
function promisesRewrite(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
): ((fixer: RuleFixer) => RuleFix[]) | null {
  const fn = innermostFunction(call);
  if (!fn?.async) return null;
  const binding = resolveModuleBinding(sourceCode, call.callee);
  if (!binding || binding.module !== 'fs' || binding.path.length !== 1) return null;
  const syncName = binding.path[0]!;
  if (!FS_PROMISE_EQUIVALENTS.has(syncName)) return null;
  const promiseName = syncName.slice(0, -'Sync'.length);
  const argumentsText = sourceCode.text.slice(call.callee.range[1], call.range[1]);
  const wrap = (text: string) => (needsParentheses(call) ? `(${text})` : text);
  const callee = call.callee;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier') {
    const replacement = wrap(`await ${callee.object.name}.promises.${promiseName}${argumentsText}`);
    return (fixer) => [fixer.replaceText(call, replacement)];
  }
  if (callee.type !== 'Identifier') return null;
  const program = sourceCode.ast;
  const imports = program.body.filter(
    (statement): statement is TSESTree.ImportDeclaration => statement.type === 'ImportDeclaration',
  );
  if (imports.length === 0) return null;
  // Only when `readFile` is free here, so the new import cannot capture or shadow anything.
  const scope = sourceCode.getScope(call);
  for (let current: typeof scope | null = scope; current; current = current.upper)
    if (current.set.has(promiseName)) return null;
  if (
    program.body.some(
      (statement) => statement.type === 'ImportDeclaration' && statement.source.value === 'node:fs/promises',
    )
  )
    return null;
  const replacement = wrap(`await ${promiseName}${argumentsText}`);
  const lastImport = imports[imports.length - 1]!;
  return (fixer) => [
    fixer.insertTextAfter(lastImport, `\nimport { ${promiseName} } from 'node:fs/promises';`),
    fixer.replaceText(call, replacement),
  ];
}

export default createRule<MessageIds, Options>({
  name: 'blocking-call',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report blocking calls (sync file system, child process, compression, key derivation) that run on the event loop from async code, directly or through sync helpers.',
      category: 'perf',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: ['n/no-sync'],
    },
    hasSuggestions: true,
    messages: {
      blockingApi:
        '`{{ api }}` blocks the event loop ({{ blocks }}) while this async code runs, so every other request, timer and socket waits. Use {{ replacement }}; move CPU-heavy work to a worker thread.',
      blockingHelper:
        '`{{ helper }}()` blocks the event loop: it calls `{{ api }}` ({{ location }}), {{ blocks }}. Make the helper async and use {{ replacement }}, or do this work once at startup.',
      blockingHelperThrough:
        '`{{ helper }}()` blocks the event loop: through {{ chain }} it calls `{{ api }}` ({{ location }}), {{ blocks }}. Make the helper async and use {{ replacement }}, or do this work once at startup.',
      suggestPromises: 'Use the promise API with `await`.',
    },
    schema: BLOCKING_CALL_SCHEMA,
    defaultOptions: BLOCKING_CALL_DEFAULTS,
  },
  // Calls block async work only where there is some: without it, the engine skips the file's tree.
  shouldRun: (file) => mayRunAsync(file.text),
  create(context) {
    const sourceCode = context.sourceCode;
    const { contexts } = context.options[0];
    const where = whereCodeRunsFor(context);
    if (!where.mayReport(contexts)) return {};
    const table = tableFor(context.options[0]);
    const { helperDepth, metadataCalls } = context.options[0];
    const cheapOnce = (metadataOnly: boolean, call: TSESTree.CallExpression) =>
      metadataOnly && metadataCalls === 'in-loops' && !runsPerElement(call);
    const file = context.physicalFilename;

    return {
      CallExpression(call: TSESTree.CallExpression) {
        if (
          !asyncContextOf(call) ||
          !where.reports(call, contexts) ||
          isMemoisedCall(call, sourceCode) ||
          isOnErrorPath(call)
        )
          return;
        const direct = directBlockingApi(call, sourceCode, table);
        if (direct) {
          if (cheapOnce(direct.api.cost === 'metadata', call)) return;
          const rewrite = promisesRewrite(call, sourceCode);
          context.report({
            node: call,
            messageId: 'blockingApi',
            data: { api: direct.label, blocks: direct.api.blocks, replacement: direct.api.replacement },
            suggest: rewrite ? [{ messageId: 'suggestPromises', fix: rewrite }] : null,
          });
          return;
        }
        if (helperDepth === 0) return;
        const helper = blockingHelperCall(call, sourceCode, file, table);
        if (!helper || helper.chain.helpers.length + 1 > helperDepth) return;
        if (cheapOnce(helper.chain.metadataOnly, call)) return;
        const { chain } = helper;
        const location = describeLocation(chain.file, chain.line, context.cwd);
        context.report({
          node: call,
          messageId: chain.helpers.length > 0 ? 'blockingHelperThrough' : 'blockingHelper',
          data: {
            helper: helper.name,
            chain: callChain(chain.helpers),
            api: chain.match.label,
            location,
            blocks: chain.match.api.blocks,
            replacement: chain.match.api.replacement,
          },
        });
      },
    };
  },
});
