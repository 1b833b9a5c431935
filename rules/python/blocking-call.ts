/**
 * blocking-call for Python: a call that blocks the thread (time.sleep, a sync HTTP request,
 * subprocess, file I/O, input, socket lookups) made directly in an `async def`, where it stalls
 * the event loop and every other task with it. The callee is judged by its qualified name,
 * resolved through the file's imports: `from time import sleep as nap; nap(1)` is time.sleep, a
 * local function named `sleep` is not.
 */
import {
  asyncFunctionOf,
  methodCallsIn,
  awaitableReturningDefOf,
  awaitNeedsParentheses,
  canAwaitAt,
  childByField,
  definedFunction,
  isAsyncFunction,
  isTestSupportModule,
  ownNodes,
  positionAmongLineStarts,
  projectFunction,
  pythonWhereCodeRunsFor,
  methodOfSelf,
  namedChildren,
  oncePerKeyFrom,
  qualifiedName,
  qualifiedNameOfName,
  runsBeforeServing,
  runsBesideStartedWork,
  runsOncePerProcess,
  runsOnlyBelow,
  textOf,
  threadOffloadsOf,
  versionAtMost,
  type RunContext,
  type ThreadOffloads,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type EditInfo, type PyNode, type PySourceCode } from '../../src/languages/python/types.js';
import {
  PYTHON_BLOCKING_CALL_DEFAULTS,
  PYTHON_BLOCKING_CALL_SCHEMA,
  type BlockingCallOptions,
} from '../shared/blocking-call-options.js';
import { PY_BLOCKING_APIS, RUFF_CODES, type PyBlockingApi } from './data/blocking-apis.js';

type MessageIds = 'blockingApi' | 'blockingHelper' | 'blockingHelperThrough' | 'suggestSleep' | 'suggestToThread';
type Options = [BlockingCallOptions];

interface BlockingTable {
  find(qualified: string): PyBlockingApi | undefined;
}

const tables = new WeakMap<BlockingCallOptions, BlockingTable>();

function globPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*');
  return new RegExp(`^${escaped}$`);
}

/** The sleeps of a table alone (`time.sleep`), for code where only a sleep is reported. */
function sleepsOf(table: BlockingTable): BlockingTable {
  return {
    find(qualified) {
      const api = table.find(qualified);
      return api?.rewrite === 'sleep' ? api : undefined;
    },
  };
}

const NO_OFFLOADS: ThreadOffloads = { lineOf: () => null, offloadedBeside: () => false };

/** The built-in APIs by name, then the user's `blockingApis` (`()` is the module called itself), less `allow`. */
function tableFor(options: BlockingCallOptions): BlockingTable {
  let table = tables.get(options);
  if (table) return table;
  const known = new Map(PY_BLOCKING_APIS.map((api) => [api.name, api]));
  const configured = options.blockingApis.map((entry) => ({
    matches: globPattern(entry.name === '()' ? entry.module : `${entry.module}.${entry.name}`),
    api: { name: entry.name, blocks: 'as configured', replacement: entry.replacement, rewrite: null, ruffCode: null },
  }));
  const allowed = new Set(options.allow);
  table = {
    find(qualified) {
      if (allowed.has(labelOf(qualified))) return undefined;
      return configured.find((entry) => entry.matches.test(qualified))?.api ?? known.get(qualified);
    },
  };
  tables.set(options, table);
  return table;
}

/** How findings name an API: builtins by their bare name (`open`), others qualified (`time.sleep`). */
function labelOf(qualified: string): string {
  return qualified.startsWith('builtins.') ? qualified.slice('builtins.'.length) : qualified;
}

/** `time.sleep(1)` to `await asyncio.sleep(1)`, `requests.get(u)` to `await asyncio.to_thread(requests.get, u)`. */
function rewriteOf(call: PyNode, api: PyBlockingApi, sourceCode: PySourceCode): EditInfo | null {
  if (!api.rewrite || !canAwaitAt(call)) return null;
  if (qualifiedNameOfName('asyncio', call, sourceCode.scopes) !== 'asyncio') return null;
  const callee = childByField(call, 'function');
  const args = childByField(call, 'arguments');
  if (!callee || args?.type !== 'argument_list') return null;
  const text = sourceCode.text;
  const inner = text.slice(args.start + 1, args.end - 1).trim();
  const awaited =
    api.rewrite === 'sleep'
      ? `await asyncio.sleep(${inner})`
      : `await asyncio.to_thread(${textOf(callee, text)}${inner ? `, ${inner}` : ''})`;
  return { range: [call.start, call.end], text: awaitNeedsParentheses(call) ? `(${awaited})` : awaited };
}

const NON_BLOCKING_SWITCHES = new Set(['setblocking', 'settimeout']);
const ZERO_OR_FALSE = new Set(['False', '0', '0.0']);

/**
 * `sock.setblocking(False)` (or `settimeout(0)`) in the same coroutine: the socket then raises
 * instead of waiting, so its calls do not block (the code is written for readiness, not for a wait).
 */
function madeNonBlocking(call: PyNode, text: string): boolean {
  const receiver = childByField(childByField(call, 'function')!, 'object');
  const fn = asyncFunctionOf(call);
  if (receiver?.type !== 'identifier' || !fn) return false;
  const name = textOf(receiver, text);
  return methodCallsIn(fn).some(({ call: switching, object, method }) => {
    if (textOf(object, text) !== name || !NON_BLOCKING_SWITCHES.has(textOf(method, text))) return false;
    const [argument] = childByField(switching, 'arguments')?.children.filter((child) => child.named) ?? [];
    return argument !== undefined && ZERO_OR_FALSE.has(textOf(argument, text));
  });
}

/** Wrappers a value passes through unchanged on its way to where it is kept. */
const PASSING = new Set(['parenthesized_expression', 'conditional_expression']);

/**
 * A call that, where it runs, only makes a generator (`Path.iterdir()` under `if sys.version_info
 * < (3, 13)`) and whose value is kept or returned, not iterated on the spot: the disk is read
 * wherever the generator is iterated (anyio hands it to an iterator that reads in a thread).
 */
function madeLazily(call: PyNode, api: PyBlockingApi, sourceCode: PySourceCode): boolean {
  const below = api.lazyBelow && runsOnlyBelow(call, sourceCode.scopes, sourceCode.text);
  if (!below || !versionAtMost(below, api.lazyBelow!)) return false;
  let value = call;
  while (value.parent && PASSING.has(value.parent.type)) value = value.parent;
  const holder = value.parent;
  return holder?.type === 'return_statement' || (holder?.type === 'assignment' && value.field === 'right');
}

/** The names an `except` clause catches: `except (BlockingIOError, OSError) as e` catches two. */
function caughtNames(clause: PyNode): PyNode[] {
  let caught = childByField(clause, 'value');
  if (caught?.type === 'as_pattern') caught = caught.children.find((child) => child.named);
  if (!caught) return [];
  return caught.type === 'tuple' ? caught.children.filter((child) => child.named) : [caught];
}

/**
 * A socket call inside a `try` that catches `BlockingIOError`: the code expects the socket to
 * raise instead of waiting (it was made non-blocking elsewhere, by whoever created it), and
 * handles the retry itself (`loop.add_writer(...)`, then try again).
 */
function expectsNonBlocking(call: PyNode, sourceCode: PySourceCode): boolean {
  let child = call;
  for (let parent = call.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'lambda') return false;
    if (parent.type !== 'try_statement' || child.field !== 'body') continue;
    for (const clause of parent.children)
      if (clause.type === 'except_clause')
        for (const name of caughtNames(clause))
          if (qualifiedName(name, sourceCode.scopes, sourceCode.text) === 'builtins.BlockingIOError') return true;
  }
  return false;
}

/** `localhost` and numeric addresses: the resolver answers them without a DNS query (RFC 6761, 6.3). */
const LOCAL_HOST = /^(?:localhost|[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/i;

function isLocalHostLiteral(node: PyNode | undefined, text: string): boolean {
  const match = node?.type === 'string' ? /^(['"])(.*)\1$/s.exec(textOf(node, text)) : null;
  return match !== null && LOCAL_HOST.test(match[2]!);
}

/** `host == "localhost"`, or `host in ("localhost", "127.0.0.1")`, about the name `host`. */
function comparesToLocalHost(condition: PyNode | undefined, host: string, text: string): boolean {
  if (condition?.type === 'parenthesized_expression')
    return comparesToLocalHost(namedChildren(condition)[0], host, text);
  if (condition?.type === 'boolean_operator' && condition.children.some((child) => child.type === 'and'))
    return condition.children.some((child) => child.named && comparesToLocalHost(child, host, text));
  if (condition?.type !== 'comparison_operator') return false;
  const operands = condition.children.filter((child) => child.named);
  const operator = condition.children.find((child) => !child.named)?.type;
  if (operands.length !== 2 || operands[0]!.type !== 'identifier' || textOf(operands[0]!, text) !== host) return false;
  const [, other] = operands;
  if (operator === '==') return isLocalHostLiteral(other, text);
  const listed = operator === 'in' && ['tuple', 'list', 'set'].includes(other!.type) ? namedChildren(other!) : [];
  return listed.length > 0 && listed.every((item) => isLocalHostLiteral(item, text));
}

/**
 * A host lookup of `localhost` or of an address (`socket.gethostbyname("localhost")`), or of a
 * name the enclosing `if` has just found to be one (`if host == "localhost":`): answered from
 * `/etc/hosts` or the address itself, it waits for no network.
 */
function looksUpLocalHost(call: PyNode, api: PyBlockingApi, text: string): boolean {
  if (!api.hostArgument) return false;
  const [host] = childByField(call, 'arguments')?.children.filter((child) => child.named) ?? [];
  if (isLocalHostLiteral(host, text)) return true;
  if (host?.type !== 'identifier') return false;
  const name = textOf(host, text);
  let child = call;
  for (let parent = call.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'lambda') return false;
    const guarded = (parent.type === 'if_statement' || parent.type === 'elif_clause') && child.field === 'consequence';
    if (guarded && comparesToLocalHost(childByField(parent, 'condition'), name, text)) return true;
  }
  return false;
}

/** `stat` tests of file types that hold no data: a socket, a FIFO, a symbolic link. */
const DATALESS_TYPE_TESTS = new Set(['stat.S_ISSOCK', 'stat.S_ISFIFO', 'stat.S_ISLNK']);

/**
 * A removal (`os.unlink(path)`) under an `if` that has just found the file to be a socket, a FIFO
 * or a link (`if stat.S_ISSOCK(st.st_mode):`): such a file has no data to free, so removing it
 * changes one directory entry, as cheap as the `os.stat` that found it, which is not reported.
 */
function removesDatalessFile(call: PyNode, api: PyBlockingApi, sourceCode: PySourceCode): boolean {
  if (!api.removesEntry) return false;
  let child = call;
  for (let parent = call.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'function_definition' || parent.type === 'lambda') return false;
    const guarded = (parent.type === 'if_statement' || parent.type === 'elif_clause') && child.field === 'consequence';
    const condition = guarded ? childByField(parent, 'condition') : undefined;
    if (!condition) continue;
    for (const node of [condition, ...ownNodes(condition)]) {
      const callee = node.type === 'call' ? childByField(node, 'function') : undefined;
      const tested = callee ? qualifiedName(callee, sourceCode.scopes, sourceCode.text) : null;
      if (tested && DATALESS_TYPE_TESTS.has(tested)) return true;
    }
  }
  return false;
}

const IN_MEMORY_BUFFERS = new Set(['io.BytesIO', 'io.StringIO']);

/** Every node under `root`, in the functions nested in it too. */
function descendantsOf(root: PyNode): PyNode[] {
  const found: PyNode[] = [];
  const stack = [...root.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    found.push(node);
    stack.push(...node.children);
  }
  return found;
}

/** The `class` whose body defines `fn` directly, or null. */
function classOfMethod(fn: PyNode): PyNode | null {
  const definition = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const block = definition.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : null;
}

/** The argument a call hands to parameter `name` at `index` (counting `self` / `cls`), or undefined. */
function argumentFor(call: PyNode, name: string, index: number, text: string): PyNode | undefined {
  const args = childByField(call, 'arguments');
  const given = args ? namedChildren(args) : [];
  const keyword = given.find((argument) => {
    const key = argument.type === 'keyword_argument' ? childByField(argument, 'name') : undefined;
    return key !== undefined && textOf(key, text) === name;
  });
  if (keyword) return childByField(keyword, 'value');
  const positional = given.filter((argument) => argument.type !== 'keyword_argument');
  return positional[index - 1];
}

/** Whether `value` is, or is a name its function binds to, `io.BytesIO()` / `io.StringIO()`. */
function mayBeInMemory(value: PyNode | undefined, sourceCode: PySourceCode): boolean {
  const { scopes, text } = sourceCode;
  const isBuffer = (node: PyNode | undefined) => {
    const callee = node?.type === 'call' ? childByField(node, 'function') : undefined;
    return callee !== undefined && IN_MEMORY_BUFFERS.has(qualifiedName(callee, scopes, text) ?? '');
  };
  if (isBuffer(value)) return true;
  const resolution = value?.type === 'identifier' ? scopes.resolve(value) : null;
  if (resolution?.kind !== 'defined') return false;
  return resolution.definitions.some((definition) => {
    const assignment = definition.node.parent;
    return (
      definition.kind === 'assignment' &&
      assignment?.type === 'assignment' &&
      isBuffer(childByField(assignment, 'right'))
    );
  });
}

/**
 * A file-object call (`destination.write(chunk)`) on a parameter of a private method (`__name`,
 * which only its own class can call) to which one of the class's calls may hand an in-memory
 * buffer (`destination = io.BytesIO()` when the caller gave none): the annotation says any
 * stream, and the code passes one that is not a file, so the call is not known to wait for a disk.
 */
function fedInMemoryBuffer(call: PyNode, sourceCode: PySourceCode): boolean {
  const { scopes, text } = sourceCode;
  const receiver = childByField(childByField(call, 'function')!, 'object');
  const resolution = receiver?.type === 'identifier' ? scopes.resolve(receiver) : null;
  if (resolution?.kind !== 'defined' || resolution.definitions.some((d) => d.kind !== 'parameter')) return false;
  const fn = resolution.scope.node;
  const name = fn.type === 'function_definition' ? childByField(fn, 'name') : undefined;
  const spelled = name ? textOf(name, text) : '';
  const owner = classOfMethod(fn);
  if (!owner || !spelled.startsWith('__') || spelled.endsWith('__')) return false;
  const parameters = namedChildren(childByField(fn, 'parameters')!);
  const parameterName = textOf(receiver!, text);
  const index = parameters.findIndex((parameter) =>
    [parameter, ...ownNodes(parameter)].some(
      (node) => node.type === 'identifier' && node.field !== 'type' && textOf(node, text) === parameterName,
    ),
  );
  return descendantsOf(owner).some((node) => {
    const callee = node.type === 'call' ? childByField(node, 'function') : undefined;
    const method = callee?.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
    return (
      !!method &&
      textOf(method, text) === spelled &&
      mayBeInMemory(argumentFor(node, parameterName, index, text), sourceCode)
    );
  });
}

/** What a sync helper reaches: the blocking API, where it is called, and the helpers in between. */
interface HelperChain {
  api: PyBlockingApi;
  qualified: string;
  /** Where the blocking call is: `line 12` in this file, `aiohttp.helpers, line 12` in another module. */
  where: string;
  through: string[];
}

/** The helpers followed for one file: this file's by their `def`, other modules' by qualified name. */
interface ChainSearch {
  table: BlockingTable;
  /** Whether helpers imported from other modules of the project are followed. */
  followImports: boolean;
  /** The callables this file runs in a worker thread somewhere: calling one directly blocks. */
  offloads: () => ThreadOffloads;
  sourceCode: PySourceCode;
  local: Map<PyNode, HelperChain | null>;
  imported: Map<string, HelperChain | null>;
}

/** The sync `def` a call calls in this file (`helper()`, `self.helper()`), or null. */
function syncHelperOf(call: PyNode, sourceCode: PySourceCode): PyNode | null {
  // An awaited call of a `def` was made awaitable by its decorator (it runs in a thread, say).
  if (call.parent?.type === 'await') return null;
  const callee = childByField(call, 'function');
  const fn =
    callee?.type === 'identifier'
      ? definedFunction(callee, sourceCode.scopes)
      : callee?.type === 'attribute'
        ? methodOfSelf(callee, sourceCode.scopes, sourceCode.text)
        : null;
  return fn && !isAsyncFunction(fn) ? fn : null;
}

/** A callable the file runs in a worker thread on `line`, as an API the table would hold. */
function offloadedApi(label: string, line: number): PyBlockingApi {
  return {
    name: label,
    blocks: `this file runs it in a worker thread on line ${line}, so it blocks`,
    replacement: `a worker thread here too (\`await asyncio.to_thread(${label}, ...)\`, as on line ${line})`,
    rewrite: 'to-thread',
    ruffCode: null,
  };
}

/** The helpers between the call and the blocking API, as the `{{ chain }}` placeholder shows them. */
function callChain(helpers: readonly string[]): string {
  return helpers.map((name) => `\`${name}()\``).join(', ');
}

/**
 * The first blocking API a sync helper of this file calls in its own body, directly or through
 * helpers of its own or of other modules of the project, at most `depth` helpers deep; memoised
 * per helper (and table), a cycle counts as none.
 */
function blockingChainOf(fn: PyNode, depth: number, search: ChainSearch): HelperChain | null {
  const { sourceCode, table, local } = search;
  if (local.has(fn)) return local.get(fn)!;
  local.set(fn, null);
  let found: HelperChain | null = null;
  const body = childByField(fn, 'body');
  // A helper that caches its result by key blocks on a miss only: once per key, like start-up.
  const cachedFrom = oncePerKeyFrom(fn, sourceCode.scopes, sourceCode.text) ?? Infinity;
  for (const node of body ? ownNodes(body) : []) {
    if (node.type !== 'call' || node.start >= cachedFrom) continue;
    const callee = childByField(node, 'function');
    const qualified = callee ? qualifiedName(callee, sourceCode.scopes, sourceCode.text) : null;
    const api = qualified ? table.find(qualified) : undefined;
    if (api && looksUpLocalHost(node, api, sourceCode.text)) continue;
    if (api && qualified) {
      const { line } = positionAmongLineStarts(sourceCode.lineStarts, node.start);
      found = { api, qualified, where: `line ${line}`, through: [] };
      break;
    }
    const offloadedAt = callee && node.parent?.type !== 'await' ? search.offloads().lineOf(callee) : null;
    if (offloadedAt !== null) {
      const { line } = positionAmongLineStarts(sourceCode.lineStarts, node.start);
      const label = textOf(callee!, sourceCode.text);
      found = { api: offloadedApi(label, offloadedAt), qualified: label, where: `line ${line}`, through: [] };
      break;
    }
    if (depth <= 1) continue;
    const helper = syncHelperOf(node, sourceCode);
    const deeper = helper
      ? blockingChainOf(helper, depth - 1, search)
      : qualified
        ? importedChainOf(qualified, depth - 1, search)
        : null;
    if (deeper) {
      found = { ...deeper, through: [textOf(callee!, sourceCode.text), ...deeper.through] };
      break;
    }
  }
  local.set(fn, found);
  return found;
}

/** The chain a call of a sync helper (of this file, or imported from the project) reaches, or null. */
function helperChainOf(call: PyNode, qualified: string | null, depth: number, search: ChainSearch): HelperChain | null {
  const helper = syncHelperOf(call, search.sourceCode);
  if (helper) return blockingChainOf(helper, depth, search);
  return qualified ? importedChainOf(qualified, depth, search) : null;
}

/**
 * The same for a sync function of another module of the project (`netrc_from_env` imported from
 * `.helpers`), through that module's facts: the calls it makes, by qualified name.
 */
function importedChainOf(qualified: string, depth: number, search: ChainSearch): HelperChain | null {
  const project = search.sourceCode.project;
  if (!project || !search.followImports) return null;
  if (search.imported.has(qualified)) return search.imported.get(qualified)!;
  search.imported.set(qualified, null);
  const target = projectFunction(qualified, project);
  let found: HelperChain | null = null;
  const moduleOf = (name: string) => name.slice(0, name.lastIndexOf('.'));
  // An `async def` is not a sync helper: its own blocking calls are reported in its own module.
  for (const call of target && !target.facts.async ? target.facts.calls : []) {
    if (call.oncePerKey) continue;
    const api = search.table.find(call.callee);
    if (api) {
      found = { api, qualified: call.callee, where: `${moduleOf(target!.qualified)}, line ${call.line}`, through: [] };
      break;
    }
    const deeper = depth > 1 ? importedChainOf(call.callee, depth - 1, search) : null;
    if (deeper) {
      found = { ...deeper, through: [call.callee.split('.').at(-1)!, ...deeper.through] };
      break;
    }
  }
  search.imported.set(qualified, found);
  return found;
}

/** The module a file is, by its package and name (`asyncpg.cluster`), or null outside any package. */
function moduleOfFile(filename: string, sourceCode: PySourceCode): string | null {
  const { packageName } = sourceCode.imports;
  if (packageName === null) return null;
  const base = filename
    .replace(/\\/g, '/')
    .split('/')
    .at(-1)!
    .replace(/\.pyi?$/, '');
  if (base === '__init__') return packageName || null;
  return packageName ? `${packageName}.${base}` : base;
}

/**
 * Where the rest of the project shows a library coroutine runs, or null when it shows nothing:
 * in tests when its module is test support (only tests and their helpers import it), once per
 * process when every caller the project has runs at start-up (in a start-up hook, before
 * serving, under `run_until_complete`), directly or through the functions it is called in.
 */
function contextFromProject(fn: PyNode, filename: string, sourceCode: PySourceCode): RunContext | null {
  const { project } = sourceCode;
  if (!project?.sites) return null;
  // A file in no package is a script among others: no module imports it by name.
  if (!sourceCode.imports.packageName) return null;
  const module = moduleOfFile(filename, sourceCode);
  if (module !== null && isTestSupportModule(module, project)) return 'test';
  const name = childByField(fn, 'name');
  return name && runsOncePerProcess(textOf(name, sourceCode.text), project) ? 'one-shot' : null;
}

export default createPyRule<MessageIds, Options>({
  name: 'blocking-call',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report blocking calls (time.sleep, sync HTTP, subprocess, file I/O, input, sockets) made directly in an async def, where they stall the event loop.',
      category: 'perf',
      preset: 'recommended',
      presetSeverity: 'error',
      upstream: RUFF_CODES,
    },
    hasSuggestions: true,
    messages: {
      blockingApi:
        '`{{ api }}` blocks the event loop ({{ blocks }}) while this coroutine runs, so every other task waits. Use {{ replacement }}.',
      blockingHelper:
        '`{{ helper }}()` blocks the event loop: it calls `{{ api }}` ({{ where }}), {{ blocks }}. Make the helper async and use {{ replacement }}, or run it in a thread: `await asyncio.to_thread({{ helper }}, ...)`.',
      blockingHelperThrough:
        '`{{ helper }}()` blocks the event loop: through {{ chain }} it calls `{{ api }}` ({{ where }}), {{ blocks }}. Make the helpers async and use {{ replacement }}, or run it in a thread: `await asyncio.to_thread({{ helper }}, ...)`.',
      suggestSleep: 'Sleep without blocking: `await asyncio.sleep(...)`.',
      suggestToThread: 'Run it in a worker thread: `await asyncio.to_thread({{ callee }}, ...)`.',
    },
    schema: PYTHON_BLOCKING_CALL_SCHEMA,
    defaultOptions: PYTHON_BLOCKING_CALL_DEFAULTS,
  },
  // Without `async` in the text there is no coroutine to block.
  shouldRun: (text) => text.includes('async'),
  create(context) {
    const options = context.options[0];
    const { sourceCode } = context;
    const where = pythonWhereCodeRunsFor(context);
    // A sleep in a test's coroutine stops the server or client under test, which share its event
    // loop, for as long as the test meant to wait for them: reported in tests whatever `contexts`,
    // where the test holds one open (`async with`) or started a task or server before the sleep.
    const sleepsOnly = !where.mayReport(options.contexts);
    if (sleepsOnly && (!where.mayReport(['test']) || !sourceCode.text.includes('sleep'))) return {};
    // Where only sleeps count, only they are looked for, and only through this file's helpers: a
    // test file need not distil the modules it imports to find what it cannot report.
    const table = sleepsOnly ? sleepsOf(tableFor(options)) : tableFor(options);
    let offloads: ThreadOffloads | undefined;
    const offloadsOfFile = () =>
      (offloads ??= threadOffloadsOf(
        sourceCode.root,
        sourceCode.scopes,
        sourceCode.text,
        (offset) => positionAmongLineStarts(sourceCode.lineStarts, offset).line,
      ));
    const search: ChainSearch = {
      table,
      offloads: sleepsOnly ? () => NO_OFFLOADS : offloadsOfFile,
      followImports: !sleepsOnly,
      sourceCode,
      local: new Map(),
      imported: new Map(),
    };
    const fromProject = new Map<PyNode, RunContext | null>();
    // Asked last, of a finding about to be reported in library code: it reads the whole project.
    const excludedByProject = (call: PyNode, fn: PyNode) => {
      if (!where.reports(call, ['library']) || where.reports(call, ['request'])) return false;
      if (!fromProject.has(fn)) fromProject.set(fn, contextFromProject(fn, context.filename, sourceCode));
      const found = fromProject.get(fn)!;
      return found !== null && !options.contexts.includes(found);
    };
    return {
      call(call) {
        const runsOnLoop =
          asyncFunctionOf(call) ??
          awaitableReturningDefOf(call, (name) => qualifiedName(name, sourceCode.scopes, sourceCode.text));
        if (!runsOnLoop) return;
        // Start-up code (a start-up hook, or what a coroutine does before it starts serving)
        // runs once, before anything waits on the loop: one-shot, wherever its file stands.
        const inContexts =
          !sleepsOnly &&
          where.reports(call, options.contexts) &&
          (options.contexts.includes('one-shot') ||
            !runsBeforeServing(call, sourceCode.root, sourceCode.scopes, sourceCode.text));
        if (!inContexts && !where.reports(call, ['test'])) return;
        // In a test, a sleep stops only what the test started beside it on its loop.
        if (!inContexts && !runsBesideStartedWork(call, runsOnLoop, sourceCode.text)) return;
        const reportable = (found: PyBlockingApi) => inContexts || found.rewrite === 'sleep';
        const callee = childByField(call, 'function');
        const qualified = callee ? qualifiedName(callee, sourceCode.scopes, sourceCode.text) : null;
        let api = qualified ? table.find(qualified) : undefined;
        let label = qualified ? labelOf(qualified) : null;
        const offloadedAt = api || !callee || call.parent?.type === 'await' ? null : offloadsOfFile().lineOf(callee);
        if (offloadedAt !== null) {
          label = textOf(callee!, sourceCode.text);
          api = offloadedApi(label, offloadedAt);
        }
        if (!api || !label) {
          const chain = options.helperDepth > 0 ? helperChainOf(call, qualified, options.helperDepth, search) : null;
          if (!chain || !reportable(chain.api)) return;
          if (inContexts && excludedByProject(call, runsOnLoop)) return;
          context.report({
            node: call,
            messageId: chain.through.length > 0 ? 'blockingHelperThrough' : 'blockingHelper',
            data: {
              helper: textOf(callee!, sourceCode.text),
              chain: callChain(chain.through),
              api: labelOf(chain.qualified),
              where: chain.where,
              blocks: chain.api.blocks,
              replacement: chain.api.replacement,
            },
          });
          return;
        }
        if (!reportable(api)) return;
        if (api.socketMethod && (madeNonBlocking(call, sourceCode.text) || expectsNonBlocking(call, sourceCode)))
          return;
        if (madeLazily(call, api, sourceCode) || looksUpLocalHost(call, api, sourceCode.text)) return;
        if (removesDatalessFile(call, api, sourceCode)) return;
        if (api.fileObject && fedInMemoryBuffer(call, sourceCode)) return;
        // The coroutine sends the same call to a thread elsewhere (a file on disk), and makes it
        // here on purpose (the same file while it is still in memory).
        if (offloadsOfFile().offloadedBeside(callee!)) return;
        if (inContexts && excludedByProject(call, runsOnLoop)) return;
        const rewrite = rewriteOf(call, api, sourceCode);
        const suggestion = api.rewrite === 'sleep' ? 'suggestSleep' : 'suggestToThread';
        context.report({
          node: call,
          messageId: 'blockingApi',
          data: { api: label, blocks: api.blocks, replacement: api.replacement },
          suggest: rewrite ? [{ messageId: suggestion, data: { callee: label }, fix: rewrite }] : [],
        });
      },
    };
  },
});
