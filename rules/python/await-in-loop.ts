/**
 * await-in-loop for Python: an `await` that runs once per iteration of a `for` loop whose
 * iterations do not depend on each other, so the loop takes the sum of the waits instead of the
 * longest one. As the JS rule, it asks for evidence first: each iteration's await takes the loop's
 * own element, no iteration can end the loop or pass its result on, the loop is not paced or
 * batched, no outer collection is written on both sides of an await, and nothing awaited is a
 * resource held for a while (`self.conn.execute(...)`, a connection from `async with
 * pool.acquire() as conn` or from an `await`). `async for` and `while` loops (polling, retries,
 * cursors) are sequential by nature and stay silent.
 *
 * A loop that only tells each element of one event (`for trace in traces: await
 * trace.send_request_start(...)`: the call is made on the element, hands it nothing of its own,
 * drops the result) is how signals, startup and shutdown reach their observers, in registration
 * order; it is reported only when the elements are peers the module tracks as they come and go
 * (added in one place, removed in another), or in the teardown of a per-test fixture that a
 * `conftest.py` shares with its directory's test modules. A loop that opens a listening server
 * per socket runs once, at start-up, and a loop in a shutdown hook the file registers (aiohttp's
 * `app.on_shutdown.append(hook)`, Sanic's `after_server_stop`, the apps' `on_shutdown=[...]`)
 * once, as the server stops. The message names the evidence it found.
 */
import {
  actsOnPartOfElement,
  awaitedCall,
  awaitsOfLoop,
  awaitsWithoutSuspending,
  calleeName,
  canLeaveEarly,
  carriesAwaitedValue,
  childByField,
  classBodyOf,
  executingFunction,
  handsOverSharedObject,
  isAsyncLoop,
  isFixtureTeardown,
  iterationNames,
  loopTargetNames,
  matchesOrderedCallee,
  namedChildren,
  namesReadIn,
  notifiesElement,
  onlyHandedOver,
  onlyYieldsWhenAwaited,
  pythonWhereCodeRunsFor,
  repeatingLoopOf,
  requestHandlers,
  sharedReceiver,
  sharesFixtures,
  shutdownHooks,
  startsServer,
  textOf,
  trackedCollection,
  writesAroundAwait,
  type PythonProject,
  type ScopeModel,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode, type PySourceCode } from '../../src/languages/python/types.js';

type PyComment = PySourceCode['comments'][number];
import {
  AWAIT_IN_LOOP_DEFAULTS,
  AWAIT_IN_LOOP_DOCS,
  AWAIT_IN_LOOP_SCHEMA,
  isOperationPattern,
  type AwaitInLoopOptions,
} from '../shared/await-in-loop-options.js';

type MessageIds = 'awaitInLoop' | 'awaitInLoopPeers' | 'awaitInLoopTeardown';
type Options = [AwaitInLoopOptions];

/** Awaiting one of these per iteration already runs a batch at a time, or paces the loop. */
const BATCHING = new Set(['asyncio.gather', 'asyncio.wait', 'asyncio.wait_for', 'asyncio.as_completed']);
const PACING = new Set(['asyncio.sleep', 'anyio.sleep', 'trio.sleep']);

/** One test per delayFunctions list: a name matches itself, then `_`, a capital or a digit (`delay_ms`, `wait2`). */
const delayTests = new WeakMap<readonly string[], RegExp>();

/** `sleep`, `delay_ms`, `wait2`: a delay name as delayFunctions defines it, in Python's snake case too. */
function isDelayName(name: string, delayFunctions: readonly string[]): boolean {
  let test = delayTests.get(delayFunctions);
  if (!test) {
    const names = delayFunctions.map((delay) => delay.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    test = names.length === 0 ? /(?!)/ : new RegExp(`^(?:${names.join('|')})(?:$|_|[A-Z0-9])`);
    delayTests.set(delayFunctions, test);
  }
  return test.test(name.split('.').at(-1) ?? name);
}

/**
 * The async context-manager and async-close protocols (`__aenter__`, `__aexit__`, `aclose`): a
 * loop there, or one that awaits them on each element, sets up or tears down the members of a
 * resource, in an order that mirrors setup (as `AsyncExitStack` does, one at a time, on purpose).
 */
const LIFECYCLE_PROTOCOL = new Set(['__aenter__', '__aexit__', 'aclose']);

function isLifecycleStep(call: PyNode, loop: PyNode, text: string): boolean {
  const callee = childByField(call, 'function');
  const method = callee?.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
  if (method && LIFECYCLE_PROTOCOL.has(textOf(method, text))) return true;
  const fn = executingFunction(loop);
  const name = fn && childByField(fn, 'name');
  return !!name && LIFECYCLE_PROTOCOL.has(textOf(name, text));
}

/**
 * The file protocol's position calls (`io.IOBase.seek` / `tell`): the kernel moves an offset and
 * waits for no device; an async file object (starlette's `UploadFile`, aiofiles) runs the same
 * call, at most in a worker thread.
 */
const FILE_POSITION = new Set(['seek', 'tell']);

function movesFilePosition(call: PyNode, text: string): boolean {
  const callee = childByField(call, 'function');
  const method = callee?.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
  return !!method && FILE_POSITION.has(textOf(method, text));
}

/** `for hook in hooks: await hook(request)`: each iteration runs the element's own code, in turn on purpose. */
function callsTheElement(call: PyNode, elements: ReadonlySet<string>, text: string): boolean {
  const callee = childByField(call, 'function');
  return callee?.type === 'identifier' && elements.has(textOf(callee, text));
}

/** The name a call is made on, at the root of its callee (`conn` of `conn.cursor().execute`). */
function receiverRoot(call: PyNode): PyNode | undefined {
  let node = childByField(call, 'function');
  while (node?.type === 'attribute' || node?.type === 'call')
    node = childByField(node, node.type === 'attribute' ? 'object' : 'function');
  return node;
}

/** `request.close()`, `session.conn.close()`: a call made on (or through) the element itself. */
function madeOnElement(call: PyNode, elements: ReadonlySet<string>, text: string): boolean {
  const root = receiverRoot(call);
  return root?.type === 'identifier' && root !== childByField(call, 'function') && elements.has(textOf(root, text));
}

/**
 * An orderedCallees call orders the iterations when they share what it is made on; made on the
 * iteration's own element (`for conn in conns: await conn.close()`), each iteration has its own
 * connection or lock, and a pattern for such a receiver (`conn.*`) orders nothing across them
 * (one for the operation itself, `*.sync`, still does).
 * An element unpacked from pairs is not evidently its own (`for part, chunk in writes` may
 * write several chunks to one part, in order).
 */
function isOrderedForEveryIteration(call: PyNode, loop: PyNode, options: AwaitInLoopOptions, text: string): boolean {
  const root = receiverRoot(call);
  // The whole element, not one part of it: in `for part, chunk in writes` a part may come again.
  const target = childByField(loop, 'left');
  const onElement =
    root?.type === 'identifier' && target?.type === 'identifier' && textOf(root, text) === textOf(target, text);
  if (onElement && root !== childByField(call, 'function'))
    return matchesOrderedCallee(call, operationPatterns(options.orderedCallees), text);
  return matchesOrderedCallee(call, options.orderedCallees, text);
}

const operationLists = new WeakMap<readonly string[], string[]>();

/** The operation patterns of an orderedCallees list, filtered once per list. */
function operationPatterns(patterns: readonly string[]): string[] {
  let found = operationLists.get(patterns);
  if (!found) operationLists.set(patterns, (found = patterns.filter(isOperationPattern)));
  return found;
}

/** The name at the root of an expression (`cmd` of `cmd.args`, `cmd.call.kwargs`). */
function rootName(node: PyNode | undefined, text: string): string | null {
  while (node?.type === 'attribute' || node?.type === 'subscript')
    node = childByField(node, node.type === 'attribute' ? 'object' : 'value');
  return node?.type === 'identifier' ? textOf(node, text) : null;
}

/**
 * `await client.execute_command(*cmd.args, **cmd.kwargs)`: the iteration replays a call the
 * element recorded, positional and keyword arguments spread from it, so the loop replays a
 * queue of commands in the order they were issued (a pipeline's retries, a transaction).
 */
function replaysRecordedCall(call: PyNode, elements: ReadonlySet<string>, text: string): boolean {
  const args = childByField(call, 'arguments');
  const spreadFromElement = (type: string) =>
    (args ? namedChildren(args) : []).some((argument) => {
      const value = argument.type === type ? namedChildren(argument)[0] : undefined;
      const root = rootName(value, text);
      return root !== null && elements.has(root);
    });
  return spreadFromElement('list_splat') && spreadFromElement('dictionary_splat');
}

/**
 * What an author writes at a loop kept sequential on purpose: why not `gather`, or that the
 * order or one-at-a-time matters (aiohttp's runner: an exception in `gather()` would leave its
 * sites in an unknown state). Read in the comments just above the loop and in its body.
 */
const SEQUENTIAL_ON_PURPOSE =
  /\b(?:gather|concurren(?:t|tly|cy)|parallel(?:ly|ism)?|sequential(?:ly)?|one (?:at a time|by one|after another)|in (?:turn|order))\b/i;

function explainedAsSequential(loop: PyNode, comments: readonly PyComment[], text: string): boolean {
  const said = (comment: PyComment) => SEQUENTIAL_ON_PURPOSE.test(comment.value);
  if (comments.some((comment) => comment.start >= loop.start && comment.end <= loop.end && said(comment))) return true;
  // The block of comment lines right above the loop, each alone on its line.
  const aloneOnLine = (comment: PyComment) =>
    text.slice(text.lastIndexOf('\n', comment.start - 1) + 1, comment.start).trim() === '';
  let line = loop.line - 1;
  for (let index = comments.length - 1; index >= 0; index--) {
    const comment = comments[index]!;
    if (comment.line >= loop.line) continue;
    if (comment.line !== line || !aloneOnLine(comment)) break;
    if (said(comment)) return true;
    line--;
  }
  return false;
}

/**
 * A private method (`_re_auth`, not its class's API) that the project never calls, and only
 * hands as an argument to calls (`credential_provider.on_next(self._re_auth)`), runs when what
 * it was handed to calls it back (a token renewal, an event), in a task of its own: no call the
 * library makes waits on its loop. Unless the loop holds something (a `with` around it, such
 * as a lock that requests take too) or the file registers the method as a request handler.
 */
function runsOnlyAsCallback(
  fn: PyNode,
  loop: PyNode,
  root: PyNode,
  scopes: ScopeModel,
  text: string,
  project: PythonProject | null,
): boolean {
  const name = childByField(fn, 'name');
  const label = name ? textOf(name, text) : '';
  if (!project || !classBodyOf(fn) || !label.startsWith('_') || /^__.*__$/.test(label)) return false;
  for (let up = loop.parent; up && up !== fn; up = up.parent) if (up.type === 'with_statement') return false;
  return !requestHandlers(root, scopes, text).has(fn) && onlyHandedOver(label, project);
}

/** What shows that a loop's iterations are independent: the message that names it, and its data. */
interface Evidence {
  messageId: MessageIds;
  data: Record<string, string>;
}

/**
 * Whether the loop is one to report, by the evidence above, and which evidence: each iteration
 * takes its own element as input; or, when each only notifies its element, the elements are
 * peers the module tracks as they come and go; or the loop is a per-test fixture's teardown.
 */
function independenceEvidence(
  loop: PyNode,
  root: PyNode,
  scopes: ScopeModel,
  text: string,
  options: AwaitInLoopOptions,
  where: { inTeardown: boolean; inContext: boolean },
  project: PythonProject | null,
): Evidence | null {
  if (loop.type !== 'for_statement' || isAsyncLoop(loop) || canLeaveEarly(loop)) return null;
  const iterable = childByField(loop, 'right');
  const ordering = iterable?.type === 'call' ? calleeName(iterable, scopes, text) : '';
  if (ordering === 'builtins.sorted' || ordering === 'builtins.reversed') return null;
  const awaits = awaitsOfLoop(loop);
  const calls = awaits.map(awaitedCall);
  if (calls.length === 0 || calls.some((call) => call === null)) return null;
  // Coroutines that never suspend run to their end when awaited, and ones that only yield for the
  // arguments given (their work started as a task) return at once: there is no wait to overlap.
  const noWait = (call: PyNode) =>
    awaitsWithoutSuspending(call, scopes, text, project) || onlyYieldsWhenAwaited(call, scopes, text, project);
  if ((calls as PyNode[]).every(noWait)) return null;
  // Moving a file's position waits for no device: nothing to overlap either.
  if ((calls as PyNode[]).every((call) => movesFilePosition(call, text))) return null;
  const elements = loopTargetNames(loop, text);
  const own = iterationNames(loop, elements, text);
  for (const call of calls as PyNode[]) {
    const name = calleeName(call, scopes, text);
    if (BATCHING.has(name) || PACING.has(name) || isDelayName(name, options.delayFunctions)) return null;
    if (isOrderedForEveryIteration(call, loop, options, text) || isLifecycleStep(call, loop, text)) return null;
    if (callsTheElement(call, elements, text) || sharedReceiver(call, scopes, text)) return null;
    if (replaysRecordedCall(call, elements, text)) return null;
    // Iterations that act on parts cut from their elements may act on one target, in turn.
    if (actsOnPartOfElement(call, loop, elements, scopes, text)) return null;
    if (startsServer(call, scopes, text) || handsOverSharedObject(call, own, scopes, text)) return null;
  }
  if (carriesAwaitedValue(loop, text) || writesAroundAwait(loop, awaits, elements, text)) return null;
  const element = [...elements].find((name) => (calls as PyNode[]).some((call) => namesReadIn(call, text).has(name)));
  if (!element) return null;
  // A teardown's evidence is that it acts on each thing the fixture made, not through one shared client.
  if (where.inTeardown && (calls as PyNode[]).every((call) => madeOnElement(call, elements, text)))
    return { messageId: 'awaitInLoopTeardown', data: { element } };
  if (!where.inContext) return null;
  if (awaits.every((node, i) => notifiesElement(node, calls[i]!, elements, own, text))) {
    const collection = trackedCollection(loop, root, scopes, text);
    return collection ? { messageId: 'awaitInLoopPeers', data: { element, collection } } : null;
  }
  return { messageId: 'awaitInLoop', data: { element } };
}

export default createPyRule<MessageIds, Options>({
  name: 'await-in-loop',
  meta: {
    type: 'suggestion',
    docs: AWAIT_IN_LOOP_DOCS,
    messages: {
      awaitInLoop:
        'Each iteration waits for the previous one, although each works on its own `{{ element }}` and shares no session or state with the others, so the loop takes the sum of the waits. Start them together: `await asyncio.gather(*(f(x) for x in xs))` or an `asyncio.TaskGroup` (with a semaphore to bound a large collection).',
      awaitInLoopPeers:
        'Each iteration waits for the previous one, although each `{{ element }}` is a member of its own, which this module adds to `{{ collection }}` when it comes and removes when it goes (a connection, a subscriber), so one slow member holds up all the others. Start them together: `await asyncio.gather(*(f(x) for x in xs), return_exceptions=True)` or an `asyncio.TaskGroup`.',
      awaitInLoopTeardown:
        "This fixture's teardown waits for each `{{ element }}` it made in turn, after every test that uses it, so the waits add up over the whole suite. Start them together: `await asyncio.gather(*(f(x) for x in xs))`.",
    },
    schema: AWAIT_IN_LOOP_SCHEMA,
    defaultOptions: AWAIT_IN_LOOP_DEFAULTS,
  },
  shouldRun: (text) => text.includes('await'),
  create(context) {
    const { sourceCode } = context;
    const options = context.options[0];
    const where = pythonWhereCodeRunsFor(context);
    // A per-test fixture's teardown repeats as a request handler does, in test files too, when
    // the fixture serves a directory of test modules.
    const teardowns =
      options.contexts.includes('request') && sourceCode.text.includes('fixture') && sharesFixtures(context.filename);
    if (!where.mayReport(options.contexts) && !teardowns) return {};
    const looked = new WeakSet<PyNode>();
    return {
      await(node) {
        if (!node.named) return; // the `await` keyword token is typed `await` too
        const loop = repeatingLoopOf(node);
        if (!loop || looked.has(loop)) return;
        looked.add(loop);
        const { root, scopes, text } = sourceCode;
        const inTeardown = teardowns && isFixtureTeardown(loop, scopes, text);
        // A shutdown hook runs once, as the server stops: no request waits on its loop.
        const fn = executingFunction(loop);
        const atShutdown = fn !== null && shutdownHooks(root, scopes, text).has(fn);
        const inContext = where.reports(loop, options.contexts) && !atShutdown;
        if (!inTeardown && !inContext) return;
        // The author says at the loop why it is sequential.
        if (explainedAsSequential(loop, sourceCode.comments, text)) return;
        const evidence = independenceEvidence(
          loop,
          root,
          scopes,
          text,
          options,
          { inTeardown, inContext },
          sourceCode.project,
        );
        if (!evidence) return;
        // Asked last: it reads the project's other modules for the method's callers.
        const callback = evidence.messageId !== 'awaitInLoopTeardown' && fn !== null;
        if (callback && runsOnlyAsCallback(fn, loop, root, scopes, text, sourceCode.project)) return;
        context.report({ node, ...evidence });
      },
    };
  },
});
