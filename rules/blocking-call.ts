/**
 * blocking-call: a synchronous, blocking call (file system, child process, compression, key
 * derivation, ...) that runs on the event loop as part of async code, directly or through sync
 * helpers in this file or in files it imports.
 */
import {
  addNamedImport,
  asyncContextOf,
  awaitNeedsParentheses,
  blockingCallVerdict,
  compiledOptions,
  describeLocation,
  directBlockingApi,
  fileMayReport,
  importsFrom,
  innermostFunction,
  mayRunAsync,
  repeatedInConcurrentRuns,
  resolveLocalFunction,
  resolveModuleBinding,
  silenceListenerOf,
  whereCodeRunsFor,
  type BlockingApiEntry,
  type BlockingApiMatch,
  type BlockingChain,
  type BlockingCallPolicy,
  type BlockingTable,
  type RunContext,
} from '../src/languages/js/analysis/index.js';
import {
  createRule,
  type RuleContext,
  type RuleFix,
  type RuleFixer,
  type SourceCode,
  type TSESTree,
} from '../src/languages/js/types.js';
import {
  BLOCKING_CALL_DEFAULTS,
  BLOCKING_CALL_SCHEMA,
  type BlockingCallOptions,
} from './shared/blocking-call-options.js';
import { BLOCKING_APIS, CONFIGURED_API_BLOCKS } from './data/blocking-apis.js';

type MessageIds =
  'blockingApi' | 'blockingApiBesideOthers' | 'blockingHelper' | 'blockingHelperThrough' | 'suggestPromises';
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
 * `fs.readFileSync(p, 'utf8')` directly inside an async function becomes
 * `await fs.promises.readFile(p, 'utf8')`; a named import `readFileSync(p)` becomes
 * `await readFile(p)` with `import { readFile } from 'node:fs/promises'` added.
 */
function promisesRewrite(
  call: TSESTree.CallExpression,
  sourceCode: SourceCode,
): ((fixer: RuleFixer) => RuleFix[]) | null {
  if (!innermostFunction(call)?.async) return null;
  const binding = resolveModuleBinding(sourceCode, call.callee);
  if (!binding || binding.module !== 'fs' || binding.path.length !== 1) return null;
  const syncName = binding.path[0]!;
  if (!FS_PROMISE_EQUIVALENTS.has(syncName)) return null;
  const promiseName = syncName.slice(0, -'Sync'.length);
  const argumentsText = sourceCode.text.slice(call.callee.range[1], call.range[1]);
  const wrap = (text: string) => (awaitNeedsParentheses(call) ? `(${text})` : text);
  const callee = call.callee;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier') {
    const replacement = wrap(`await ${callee.object.name}.promises.${promiseName}${argumentsText}`);
    return (fixer) => [fixer.replaceText(call, replacement)];
  }
  // A file that imports from `node:fs/promises` already gets no second import of it.
  if (callee.type !== 'Identifier' || importsFrom(sourceCode, ['node:fs/promises'])) return null;
  const addImport = addNamedImport(sourceCode, call, { module: 'node:fs/promises', imported: promiseName });
  if (!addImport) return null;
  const replacement = wrap(`await ${promiseName}${argumentsText}`);
  return (fixer) => [addImport(fixer), fixer.replaceText(call, replacement)];
}

type Context = RuleContext<MessageIds, Options>;

/**
 * Library code, whose callers are unknown: concurrent runs there show other work waiting. Not
 * one-shot code (scripts, builds, docs), where the runs are all the work there is: on 16
 * repositories, a docs build's concurrent renders were its only such findings, none worth a change.
 */
const OTHER_WORK_MAY_WAIT: RunContext[] = ['library'];

/**
 * A blocking API called directly; for a direct fs call, the promise API as a suggestion. `besideOthers`
 * says why other work waits when the code is not request code: it runs beside other runs of itself.
 */
function reportApi(
  context: Context,
  call: TSESTree.CallExpression,
  { api, label }: BlockingApiMatch,
  besideOthers: string | null,
  serving: string | null,
): void {
  const rewrite = promisesRewrite(call, context.sourceCode);
  context.report({
    node: call,
    messageId: besideOthers ? 'blockingApiBesideOthers' : 'blockingApi',
    data: {
      api: label,
      blocks: api.blocks,
      replacement: api.replacement,
      why: besideOthers ?? '',
      serving: servingNote(serving),
    },
    suggest: rewrite ? [{ messageId: 'suggestPromises', fix: rewrite }] : null,
  });
}

/** A sync helper that reaches a blocking API, through `chain.helpers` when there are any. */
function reportHelper(
  context: Context,
  call: TSESTree.CallExpression,
  name: string,
  chain: BlockingChain,
  serving: string | null,
): void {
  context.report({
    node: call,
    messageId: chain.helpers.length > 0 ? 'blockingHelperThrough' : 'blockingHelper',
    data: {
      helper: name,
      serving: servingNote(serving),
      chain: callChain(chain.helpers),
      api: chain.match.label,
      location: describeLocation(chain.file, chain.line, context.cwd),
      blocks: chain.match.api.blocks,
      replacement: chain.match.api.replacement,
    },
  });
}

/**
 * Whether library code runs for request code that calls it, in this file or in a file of the
 * package that imports it: then it runs while the process serves. Asked only of calls this file
 * shows block (a blocking API, a helper declared here), as the answer may read the package's other
 * files: following every imported helper of every library file first doubled the rule's time on astro.
 */
function requestCallersOf(
  call: TSESTree.CallExpression,
  context: Context,
  where: ReturnType<typeof whereCodeRunsFor>,
  verdictOf: (call: TSESTree.CallExpression) => ReturnType<typeof blockingCallVerdict>,
): string | null {
  const { sourceCode, physicalFilename } = context;
  if (
    !directBlockingApi(call, sourceCode, tableFor(context.options[0])) &&
    !resolveLocalFunction(call, sourceCode, physicalFilename)
  )
    return null;
  const verdict = verdictOf(call);
  if (verdict === null || !('found' in verdict)) return null;
  const runs = where.at(call, { callers: true });
  return runs.context === 'request' ? runs.reason : null;
}

/** The `{{ serving }}` part of a message: why library code runs while the process serves, when its callers say so. */
function servingNote(reason: string | null): string {
  return reason ? ` (it runs while the process serves: ${reason})` : '';
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
        '`{{ api }}` blocks the event loop ({{ blocks }}) while this async code runs{{ serving }}, so every other request, timer and socket waits. Use {{ replacement }}; move CPU-heavy work to a worker thread.',
      blockingApiBesideOthers:
        '`{{ api }}` blocks the event loop ({{ blocks }}) once per element, in async code that runs beside other runs of itself ({{ why }}), so they all wait while it runs. Use {{ replacement }}.',
      blockingHelper:
        '`{{ helper }}()` blocks the event loop{{ serving }}: it calls `{{ api }}` ({{ location }}), {{ blocks }}. Make the helper async and use {{ replacement }}, or do this work once at startup.',
      blockingHelperThrough:
        '`{{ helper }}()` blocks the event loop{{ serving }}: through {{ chain }} it calls `{{ api }}` ({{ location }}), {{ blocks }}. Make the helper async and use {{ replacement }}, or do this work once at startup.',
      suggestPromises: 'Use the promise API with `await`.',
    },
    schema: BLOCKING_CALL_SCHEMA,
    defaultOptions: BLOCKING_CALL_DEFAULTS,
  },
  // Calls block async work only where there is some: without it, the engine skips the file's tree.
  shouldRun: (file) => mayRunAsync(file.text),
  create(context) {
    const options = context.options[0];
    const where = whereCodeRunsFor(context);
    // Code that runs beside other runs of itself has other work waiting, as request code has:
    // where request code is reported, so is such code of a library.
    const widensToConcurrentRuns = options.contexts.includes('request');
    const widened: RunContext[] = widensToConcurrentRuns
      ? [...options.contexts, ...OTHER_WORK_MAY_WAIT]
      : options.contexts;
    // Tests ask why a blocking call is silent (src/languages/js/analysis/silence.ts); a normal run has no listener.
    const onSilence = silenceListenerOf(context);
    if (!fileMayReport(where, widened, context.sourceCode.ast, onSilence)) return {};
    const policy = { table: tableFor(options), helperDepth: options.helperDepth, metadataCalls: options.metadataCalls };
    const verdictOf = (call: TSESTree.CallExpression) =>
      blockingCallVerdict(call, context.sourceCode, context.physicalFilename, policy, onSilence !== null);
    /** A listening test hears why a call that reaches a blocking API runs where the rule does not report. */
    const silentWhereItRuns = (call: TSESTree.CallExpression) => {
      if (onSilence && verdictOf(call)) onSilence(call, `runs-in-${where.at(call).context}`);
    };
    return {
      CallExpression(call: TSESTree.CallExpression) {
        if (!asyncContextOf(call)) return;
        const reported = where.reports(call, options.contexts);
        if (!reported && !(widensToConcurrentRuns && where.reports(call, OTHER_WORK_MAY_WAIT)))
          return silentWhereItRuns(call);
        const concurrently = reported ? null : repeatedInConcurrentRuns(call, context.sourceCode);
        const serving =
          reported || concurrently || !widensToConcurrentRuns
            ? null
            : requestCallersOf(call, context, where, verdictOf);
        if (!reported && !concurrently && !serving) return silentWhereItRuns(call);
        const verdict = verdictOf(call);
        if (!verdict) return;
        if ('dismissed' in verdict) return onSilence?.(call, verdict.dismissed);
        onSilence?.(call, null);
        const found = verdict.found;
        if (found.kind === 'api') reportApi(context, call, found.match, concurrently, serving);
        else reportHelper(context, call, found.name, found.chain, serving);
      },
    };
  },
});
