/**
 * Callables the file itself runs in a worker thread: `await asyncio.to_thread(self.lookup_path, p)`,
 * `await loop.run_in_executor(None, fobj.read, n)`, `await run_in_threadpool(render, page)`. The
 * author who sends a function to a thread has said that it blocks; the same function called
 * directly in a coroutine of the same file (or from a sync helper the coroutine calls) blocks
 * the event loop, whatever its name and wherever it is defined (an inherited method of a base
 * class in another package, say).
 *
 * A callable is known by what it refers to: the `def` of this file a name or `self.method`
 * resolves to, its qualified name through the imports (`os.stat`), or for `self.attr` that no
 * method of the class defines (inherited) the attribute of that same class.
 */
import { callsIn, childByField, textOf, type PyNode } from './ast.js';
import { executingFunction } from './async-context.js';
import { definedFunction, methodOfSelf, selfClassBody } from './coroutines.js';
import { qualifiedName } from './imports.js';
import type { ScopeModel } from './scopes.js';

/** Thread-offloading APIs by qualified name, with the position of the callable among their arguments. */
const OFFLOADS = new Map<string, number>([
  ['asyncio.to_thread', 0],
  ['anyio.to_thread.run_sync', 0],
  ['trio.to_thread.run_sync', 0],
  ['starlette.concurrency.run_in_threadpool', 0],
  ['fastapi.concurrency.run_in_threadpool', 0],
  ['asgiref.sync.sync_to_async', 0],
]);
/** `loop.run_in_executor(executor, fn, *args)`: a method only an event loop has. */
const EXECUTOR_METHOD = 'run_in_executor';

/** Where the file runs each callable in a thread. */
export interface ThreadOffloads {
  /**
   * The line (1-based) of the first call that runs `callee`'s callable in a thread, or null. A
   * function that both offloads the callable and calls it directly chooses per call (`if
   * len(data) > limit: return await loop.run_in_executor(None, work, data)`, then `return
   * work(data)` for small inputs): its direct call is that choice, not an oversight.
   */
  lineOf(callee: PyNode): number | null;
  /**
   * Whether the function `callee` runs in also sends the same expression to a thread
   * (`self.file.read` in `return await run_in_threadpool(self.file.read, n)`): the same choice
   * per call, for a method of an instance, which `lineOf` does not follow from one to another.
   */
  offloadedBeside(callee: PyNode): boolean;
}

/** What a callee expression refers to, as a string two mentions of the same callable share; null if unknowable. */
export function callableIdentity(callee: PyNode, scopes: ScopeModel, text: string): string | null {
  if (callee.type === 'identifier') {
    const fn = definedFunction(callee, scopes);
    if (fn) return `def#${node(fn)}`;
  }
  if (callee.type === 'attribute') {
    const method = methodOfSelf(callee, scopes, text);
    if (method) return `def#${node(method)}`;
    const object = childByField(callee, 'object');
    const attribute = childByField(callee, 'attribute');
    const classBody = object?.type === 'identifier' ? selfClassBody(object, scopes, text) : null;
    if (classBody && attribute) return `self#${node(classBody)}.${textOf(attribute, text)}`;
  }
  // A method of an instance (`socket.socket().bind`) is not one callable: a thread for a UNIX
  // socket's `bind`, which creates a file, says nothing of a TCP socket's.
  const qualified = qualifiedName(callee, scopes, text);
  return qualified === null || qualified.includes('()') ? null : `name#${qualified}`;
}

/** A number per definition node, so that two mentions of one `def` or class share an identity. */
const nodeNumbers = new WeakMap<PyNode, number>();
let nextNodeNumber = 0;
function node(target: PyNode): number {
  let number = nodeNumbers.get(target);
  if (number === undefined) nodeNumbers.set(target, (number = nextNodeNumber++));
  return number;
}

/** `functools.partial(fn, ...)` hands `fn` on. */
function unwrapPartial(argument: PyNode, scopes: ScopeModel, text: string): PyNode {
  if (argument.type !== 'call') return argument;
  const callee = childByField(argument, 'function');
  if (!callee || qualifiedName(callee, scopes, text) !== 'functools.partial') return argument;
  const first = childByField(argument, 'arguments')?.children.find((child) => child.named);
  return first && first.type !== 'keyword_argument' ? first : argument;
}

/** The callable a call sends to a thread, or null when the call offloads nothing. */
function offloadedCallable(call: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const callee = childByField(call, 'function');
  if (!callee) return null;
  const method = callee.type === 'attribute' ? childByField(callee, 'attribute') : undefined;
  const position =
    method && textOf(method, text) === EXECUTOR_METHOD ? 1 : OFFLOADS.get(qualifiedName(callee, scopes, text) ?? '');
  if (position === undefined) return null;
  const positional = (childByField(call, 'arguments')?.children ?? []).filter(
    (child) => child.named && child.type !== 'keyword_argument' && child.type !== 'comment',
  );
  const argument = positional[position];
  if (!argument || (argument.type !== 'identifier' && argument.type !== 'attribute' && argument.type !== 'call'))
    return null;
  const callable = unwrapPartial(argument, scopes, text);
  return callable.type === 'identifier' || callable.type === 'attribute' ? callable : null;
}

/**
 * Whether the text can offload anything: every way to reach these APIs names them somewhere in the
 * file (an alias is made by an import that spells the original), so a file without any of these
 * words has no offloads, and its calls need not be resolved at all.
 */
const OFFLOAD_WORDS = /\b(?:to_thread|run_sync|run_in_threadpool|sync_to_async|run_in_executor)\b/;

/** Every callable the file runs in a thread, found in one pass over its calls. */
export function threadOffloadsOf(
  root: PyNode,
  scopes: ScopeModel,
  text: string,
  lineOfOffset: (offset: number) => number,
): ThreadOffloads {
  const lines = new Map<string, number>();
  const offloadingFunctions = new Map<string, Set<PyNode | null>>();
  const offloaded = new Set<PyNode>();
  const textsByFunction = new Map<PyNode | null, Set<string>>();
  for (const call of OFFLOAD_WORDS.test(text) ? callsIn(root) : []) {
    const callable = offloadedCallable(call, scopes, text);
    if (!callable) continue;
    offloaded.add(callable);
    const fn = executingFunction(call);
    textsByFunction.set(fn, (textsByFunction.get(fn) ?? new Set()).add(textOf(callable, text)));
    const identity = callableIdentity(callable, scopes, text);
    if (identity === null) continue;
    if (!lines.has(identity)) lines.set(identity, lineOfOffset(call.start));
    const functions = offloadingFunctions.get(identity) ?? new Set();
    offloadingFunctions.set(identity, functions.add(executingFunction(call)));
  }
  return {
    lineOf(callee) {
      if (lines.size === 0 || offloaded.has(callee)) return null;
      const identity = callableIdentity(callee, scopes, text);
      if (identity === null || offloadingFunctions.get(identity)?.has(executingFunction(callee))) return null;
      return lines.get(identity) ?? null;
    },
    offloadedBeside(callee) {
      return textsByFunction.get(executingFunction(callee))?.has(textOf(callee, text)) ?? false;
    },
  };
}
