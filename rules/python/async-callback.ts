/**
 * async-callback for Python: a coroutine function handed to a caller that calls it and does not
 * await the result, so the coroutine never runs: `filter`, `sorted(key=)`, `min` / `max` and
 * `functools.reduce` (which also read the coroutine object as the answer), `Thread(target=)`, `run_in_executor`, and the event
 * loop's callbacks (`call_soon`, `call_later`, `add_done_callback`, `add_signal_handler`, signal
 * and exit handlers). A coroutine function is known as floating-promise knows one
 * (src/languages/python/analysis/coroutines.ts); a lambda counts when its body makes a coroutine.
 * `map` is not a caller here: `asyncio.gather(*map(fetch, items))` awaits every coroutine it makes.
 */
import {
  childByField,
  coroutineCallName,
  isCoroutineFunction,
  namedChildren,
  qualifiedName,
  textOf,
  type ScopeModel,
} from '../../src/languages/python/analysis/index.js';
import { createPyRule, type PyNode, type PySourceCode } from '../../src/languages/python/types.js';
import {
  ASYNC_CALLBACK_DEFAULTS,
  ASYNC_CALLBACK_SCHEMA,
  type AsyncCallbackOptions,
} from '../shared/async-callback-options.js';

type MessageIds = 'syncCaller' | 'callbackRunner';
type Options = [AsyncCallbackOptions];

/** Where a caller takes its callback: a position, a keyword, or either. */
interface CallbackSlot {
  position?: number;
  keyword?: string;
  /** A callback of the event loop or the process (`checkListeners`), rather than a value-reading caller. */
  listener?: boolean;
}

/** Functions, by qualified name, that call their callback and use or drop what it returns. */
const FUNCTION_CALLERS = new Map<string, CallbackSlot>([
  ['builtins.filter', { position: 0 }],
  ['builtins.sorted', { keyword: 'key' }],
  ['builtins.min', { keyword: 'key' }],
  ['builtins.max', { keyword: 'key' }],
  ['functools.reduce', { position: 0 }],
  ['threading.Thread', { keyword: 'target' }],
  ['threading.Timer', { position: 1, keyword: 'function' }],
  ['signal.signal', { position: 1, listener: true }],
  ['atexit.register', { position: 0, listener: true }],
]);

/** Methods of the event loop, futures and lists that call their callback and drop what it returns. */
const METHOD_CALLERS = new Map<string, CallbackSlot>([
  ['sort', { keyword: 'key' }],
  ['run_in_executor', { position: 1 }],
  ['call_soon', { position: 0, listener: true }],
  ['call_soon_threadsafe', { position: 0, listener: true }],
  ['call_later', { position: 1, listener: true }],
  ['call_at', { position: 1, listener: true }],
  ['add_done_callback', { position: 0, listener: true }],
  ['add_signal_handler', { position: 1, listener: true }],
]);

/** The caller a call is, by the callee's qualified name or method name, with its callback slot. */
function callerOf(call: PyNode, scopes: ScopeModel, text: string): { name: string; slot: CallbackSlot } | null {
  const callee = childByField(call, 'function');
  if (!callee) return null;
  const qualified = qualifiedName(callee, scopes, text);
  const bySlot = qualified ? FUNCTION_CALLERS.get(qualified) : undefined;
  if (bySlot) return { name: qualified!.replace(/^builtins\./, ''), slot: bySlot };
  if (callee.type !== 'attribute') return null;
  const method = childByField(callee, 'attribute');
  const slot = method ? METHOD_CALLERS.get(textOf(method, text)) : undefined;
  return slot ? { name: textOf(method!, text), slot } : null;
}

/** The argument in a slot: the keyword's value, else the positional argument. */
function argumentIn(call: PyNode, slot: CallbackSlot, text: string): PyNode | undefined {
  const args = childByField(call, 'arguments');
  if (args?.type !== 'argument_list') return undefined;
  const all = namedChildren(args);
  for (const argument of all) {
    const name = argument.type === 'keyword_argument' ? childByField(argument, 'name') : undefined;
    if (name && slot.keyword && textOf(name, text) === slot.keyword) return childByField(argument, 'value');
  }
  if (slot.position === undefined) return undefined;
  const positional = all.filter((argument) => argument.type !== 'keyword_argument' && !argument.type.includes('splat'));
  return positional[slot.position];
}

/** How a callback that makes a coroutine is named (`save`, `self.flush`, `lambda: save(x)`); null otherwise. */
function coroutineCallbackName(callback: PyNode, sourceCode: PySourceCode): string | null {
  const { scopes, text, project } = sourceCode;
  if (callback.type === 'lambda') {
    const body = childByField(callback, 'body');
    return body && coroutineCallName(body, scopes, text, project) ? `lambda: ${textOf(body, text)}` : null;
  }
  return isCoroutineFunction(callback, scopes, text, project) ? textOf(callback, text) : null;
}

export default createPyRule<MessageIds, Options>({
  name: 'async-callback',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Report async functions handed to callers that do not await them: filter, sorted(key=), Thread(target=), run_in_executor and the event loop callbacks.',
      category: 'correctness',
      preset: 'recommended',
      presetSeverity: 'error',
    },
    messages: {
      syncCaller:
        '`{{ caller }}` calls `{{ callback }}` and uses what it returns as a value: a coroutine, never awaited, so its work never runs. Await the calls first (`await asyncio.gather(*(f(x) for x in xs))`), then use the results.',
      callbackRunner:
        '`{{ caller }}` calls `{{ callback }}` and drops the coroutine it returns, so its work never runs. Pass a sync function that starts it as a task you keep (`lambda: tasks.add(asyncio.create_task(f()))`), or await it where it is needed.',
    },
    schema: ASYNC_CALLBACK_SCHEMA,
    defaultOptions: ASYNC_CALLBACK_DEFAULTS,
  },
  shouldRun: (text) => text.includes('async'),
  create(context) {
    const { sourceCode } = context;
    const { checkListeners } = context.options[0];
    return {
      call(call) {
        const caller = callerOf(call, sourceCode.scopes, sourceCode.text);
        if (!caller || (caller.slot.listener && !checkListeners)) return;
        const callback = argumentIn(call, caller.slot, sourceCode.text);
        const name = callback && coroutineCallbackName(callback, sourceCode);
        if (!name) return;
        const readsValue =
          caller.slot.keyword === 'key' || caller.name === 'filter' || caller.name === 'functools.reduce';
        context.report({
          node: callback,
          messageId: readsValue ? 'syncCaller' : 'callbackRunner',
          data: { caller: caller.name, callback: name },
        });
      },
    };
  },
});
