/**
 * "This file awaits the same call elsewhere": evidence, from the code itself, that a call makes a
 * coroutine when nothing else says so (a method of a connection, of a field, of an object from
 * another package). Its author wrote `await conn.execute('KEYS', ...)` on one line and
 * `conn.execute('FLUSHDB')` on the next; `await self.bot.send(...)` in one method and
 * `self.bot.send(...)` in another. The deviation, not a name, is the evidence, and the finding
 * names the line that shows it (the idea of the JS model, src/languages/js/analysis).
 *
 * Two calls are "the same" when their callees are the same path of plain attributes (`send`,
 * `conn.execute`, `self.bot.send`) from the same root: one variable (two variables of one name,
 * in two functions, are two objects), or the same class for `self` / `cls`. A call through a
 * subscript or a call result (`a().b()`) has no path, so it gets no evidence.
 *
 * Only a call in a coroutine gets evidence: there its author could have written `await`, where
 * in a sync `def` the same path is often the sync twin's (`_re_auth` beside `_re_auth_async`, in
 * a class that serves both kinds of connection). Nor does the very same call (the same
 * arguments) in another branch of the `if` (or `match`) that holds the awaited one:
 * `if is_async_callable(handler): await handler() else: handler()` is the code choosing between
 * two kinds of callee. (`if full: conn.execute('FLUSHDB') else: await conn.execute('KEYS')` is
 * not: two commands of one connection.)
 */
import { childByField, namedChildren, textOf, type PyNode } from './ast.js';
import { asyncFunctionOf } from './async-context.js';
import { definedFunction, selfClassBody } from './coroutines.js';
import type { ScopeModel } from './scopes.js';

interface CallIdentity {
  key: string;
  /** What the path starts from: a variable's bindings, a class body (for `self`), or a name nothing binds. */
  root: object | string;
}

interface AwaitedUse {
  call: PyNode;
  root: CallIdentity['root'];
  argumentCount: number;
  passesFunction: boolean;
}

const usesByFile = new WeakMap<PyNode, Map<string, AwaitedUse[] | null>>();

/** The callee's attribute path and what its root is, or null when the callee is no plain path. */
function callIdentity(call: PyNode, scopes: ScopeModel, text: string): CallIdentity | null {
  const attributes: string[] = [];
  let base = childByField(call, 'function');
  while (base?.type === 'attribute') {
    const attribute = childByField(base, 'attribute');
    if (!attribute) return null;
    attributes.unshift(textOf(attribute, text));
    base = childByField(base, 'object');
  }
  if (base?.type !== 'identifier') return null;
  const classBody = selfClassBody(base, scopes, text);
  // `self.bot.send` and `cls.bot.send` in two methods of one class reach the same attribute.
  if (classBody) return { key: ['<self>', ...attributes].join('.'), root: classBody };
  const name = textOf(base, text);
  const resolution = scopes.resolve(base);
  const root = resolution.kind === 'defined' ? resolution.definitions : `${resolution.kind}:${name}`;
  return { key: [name, ...attributes].join('.'), root };
}

/** The call's arguments (positional, keyword, `*args`, `**kwargs`), comments aside. */
function argumentsOf(call: PyNode): PyNode[] {
  const list = childByField(call, 'arguments');
  if (!list) return [];
  // `f(x for x in xs)`: a lone generator expression is the argument list itself.
  if (list.type === 'generator_expression') return [list];
  return namedChildren(list).filter((argument) => argument.type !== 'comment');
}

/** Whether an argument is a function: a `lambda`, or a name of a `def` of this file. */
function isFunctionArgument(argument: PyNode, scopes: ScopeModel): boolean {
  const value = argument.type === 'keyword_argument' ? childByField(argument, 'value') : argument;
  if (value?.type === 'lambda') return true;
  return value?.type === 'identifier' && definedFunction(value, scopes) !== null;
}

function passesFunction(call: PyNode, scopes: ScopeModel): boolean {
  return argumentsOf(call).some((argument) => isFunctionArgument(argument, scopes));
}

/**
 * How a call's result is used: awaited (`await conn.execute(...)`), or the object of an
 * attribute (`query.where(a).order_by(b)`: a builder, which may be awaitable and do nothing until
 * awaited), or neither.
 */
function useOf(call: PyNode): 'awaited' | 'builder' | null {
  let child = call;
  let parent = call.parent;
  while (parent?.type === 'parenthesized_expression') {
    child = parent;
    parent = parent.parent;
  }
  if (parent?.type === 'await') return 'awaited';
  return parent?.type === 'attribute' && child.field === 'object' ? 'builder' : null;
}

/** Two calls with the same arguments, in different branches of one `if` / `match`: the code runs one or the other. */
function isAlternative(awaited: PyNode, call: PyNode, text: string): boolean {
  const argumentsText = (node: PyNode) => textOf(childByField(node, 'arguments') ?? node, text);
  return argumentsText(awaited) === argumentsText(call) && inOtherBranches(awaited, call);
}

/** Whether two nodes stand in different branches of one `if` / `match`: only one of them runs. */
function inOtherBranches(first: PyNode, second: PyNode): boolean {
  const pathOfFirst = new Map<PyNode, PyNode>();
  for (let child = first, parent = first.parent; parent; child = parent, parent = parent.parent)
    pathOfFirst.set(parent, child);
  for (let child = second, parent = second.parent; parent; child = parent, parent = parent.parent) {
    const branchOfFirst = pathOfFirst.get(parent);
    if (branchOfFirst === undefined) continue;
    // The nearest node holding both: its branches are its clauses (for a `match`, its body's cases).
    const branching =
      parent.type === 'if_statement' || (parent.type === 'block' && parent.parent?.type === 'match_statement');
    return branching && branchOfFirst !== child && child.field !== 'condition' && branchOfFirst.field !== 'condition';
  }
  return false;
}

/** Per callee path, the awaited calls; null for a path whose result is also used as a builder. */
function awaitedUses(root: PyNode, scopes: ScopeModel, text: string): Map<string, AwaitedUse[] | null> {
  const known = usesByFile.get(root);
  if (known) return known;
  const uses = new Map<string, AwaitedUse[] | null>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (node.type !== 'call') continue;
    const use = useOf(node);
    const identity = use && callIdentity(node, scopes, text);
    if (!identity) continue;
    const list = uses.get(identity.key);
    if (use === 'builder' || list === null) {
      uses.set(identity.key, null);
      continue;
    }
    const entry = {
      call: node,
      root: identity.root,
      argumentCount: argumentsOf(node).length,
      passesFunction: passesFunction(node, scopes),
    };
    if (list) list.push(entry);
    else uses.set(identity.key, [entry]);
  }
  usesByFile.set(root, uses);
  return uses;
}

/**
 * Another call in this file that is the same call as `call` and is awaited, or null. A call that
 * passes more arguments than any awaited one, or a function where the awaited one passes none,
 * is the callback form of a dual API (`client.request(options, on_response)`), which makes no
 * coroutine, so it gets no evidence from it; nor does a path whose result the file also uses as
 * a builder (`query.where(a).order_by(b)`).
 */
export function awaitedCallElsewhere(call: PyNode, root: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const identity = asyncFunctionOf(call) ? callIdentity(call, scopes, text) : null;
  if (!identity) return null;
  const same = (awaitedUses(root, scopes, text).get(identity.key) ?? []).filter(
    (use) => use.call !== call && use.root === identity.root && !isAlternative(use.call, call, text),
  );
  // A dual API takes its callback as one more argument, whatever it is named or however it is written.
  const argumentCount = argumentsOf(call).length;
  if (same.every((use) => argumentCount > use.argumentCount)) return null;
  const callsBack = passesFunction(call, scopes);
  return same.find((use) => use.passesFunction || !callsBack)?.call ?? null;
}

interface ReceiverUses {
  root: CallIdentity['root'];
  awaited: PyNode[];
  methods: Set<string>;
  /** Calls on the receiver that are not awaited (a builder, a statement, a value). */
  others: PyNode[];
}

const receiverUsesByFile = new WeakMap<PyNode, Map<string, ReceiverUses[]>>();

/** The receiver's path of a method call (`self.bot` of `self.bot.send(...)`) and the method, or null. */
function receiverOf(call: PyNode, scopes: ScopeModel, text: string) {
  const identity = callIdentity(call, scopes, text);
  if (!identity) return null;
  // A module's functions (`asyncio.sleep` beside `asyncio.create_task`) are no one object's methods.
  const imported = Array.isArray(identity.root) && identity.root.every((definition) => definition.kind === 'import');
  if (imported) return null;
  const parts = identity.key.split('.');
  // `self.flush()` is a method of the class (coroutines.ts knows it); `helper()` has no receiver.
  const minimum = identity.key.startsWith('<self>.') ? 3 : 2;
  if (parts.length < minimum) return null;
  return { key: parts.slice(0, -1).join('.'), method: parts.at(-1)!, root: identity.root };
}

/** Per receiver path (and root), every call the file makes on it, awaited or not. */
function receiverUses(root: PyNode, scopes: ScopeModel, text: string): Map<string, ReceiverUses[]> {
  const known = receiverUsesByFile.get(root);
  if (known) return known;
  const uses = new Map<string, ReceiverUses[]>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...node.children);
    if (node.type !== 'call') continue;
    const receiver = receiverOf(node, scopes, text);
    if (!receiver) continue;
    const list = uses.get(receiver.key) ?? [];
    let entry = list.find((candidate) => candidate.root === receiver.root);
    if (!entry) {
      entry = { root: receiver.root, awaited: [], methods: new Set(), others: [] };
      list.push(entry);
      uses.set(receiver.key, list);
    }
    if (useOf(node) === 'awaited') {
      entry.awaited.push(node);
      entry.methods.add(receiver.method);
    } else entry.others.push(node);
  }
  receiverUsesByFile.set(root, uses);
  return uses;
}

/** How many awaited calls, of how many methods, make a receiver an async API by the file's own usage. */
const MIN_AWAITED_ON_RECEIVER = 3;
const MIN_METHODS_ON_RECEIVER = 2;

/**
 * `return self.bot.restrict_chat_member(...)` in an `async def` of a file that awaits every other
 * call it makes on `self.bot` (`await self.bot.get_chat(...)`, `await self.bot.leave_chat(...)`):
 * the file uses the receiver as an async API, and this call deviates. Evidence for a returned
 * call only, where the deviation hands a coroutine object to the caller's `await`; a dropped
 * statement gets no evidence from it, since a sync method beside async ones
 * (`writer.write(data)` beside `await writer.drain()`) is an ordinary statement. Any other call
 * on the receiver that is not awaited anywhere in the file, unless it is returned too, withdraws
 * the evidence. Returns an
 * awaited call on the receiver, or null.
 */
export function receiverAwaitedElsewhere(call: PyNode, root: PyNode, scopes: ScopeModel, text: string): PyNode | null {
  const receiver = asyncFunctionOf(call) ? receiverOf(call, scopes, text) : null;
  if (!receiver) return null;
  const uses = receiverUses(root, scopes, text)
    .get(receiver.key)
    ?.find((entry) => entry.root === receiver.root);
  // A returned call is no sync use of the receiver: in a coroutine it is the same deviation
  // (`return self.bot.promote_chat_member(...)`), in a sync `def` a factory handing it on.
  if (!uses || uses.others.some((other) => other !== call && other.parent?.type !== 'return_statement')) return null;
  const enough = uses.awaited.length >= MIN_AWAITED_ON_RECEIVER && uses.methods.size >= MIN_METHODS_ON_RECEIVER;
  if (!enough) return null;
  // The first in the file: the one a reader meets first.
  return uses.awaited.reduce((first, other) => (other.start < first.start ? other : first));
}
