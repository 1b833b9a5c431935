/**
 * Memos keyed by what an answer depends on, and safe under recursion.
 *
 * An answer about a node depends on the node, on the rule's compiled options (a policy object)
 * and on what the project currently assumes (its memo scope: inside an import cycle, another
 * file's facts may be unfinished). So memos are kept per policy and per scope.
 *
 * A question may lead back to itself (a function calling itself, two calling each other). The
 * question met again is answered with an assumption (`onCycle`), and every answer computed on
 * that assumption holds only while the question it assumed is still open: it is kept until then
 * (so a cycle is not explored again and again), never as final. An answer whose computation met
 * only itself is final when it was asked with nothing else open, so that which of several
 * mutually recursive functions a rule asks about first never changes any answer.
 */

interface Frame {
  depth: number;
  /** The shallowest open question this computation met; Infinity when none. */
  met: number;
}

/** Questions open now, across every memo: an assumption made in one taints answers in all. */
const open: Frame[] = [];

export class CycleSafeMemo<K extends object, V> {
  private readonly final = new WeakMap<K, V>();
  private readonly outermost = new WeakMap<K, V>();
  private readonly unfinished = new Map<K, Frame>();
  private readonly provisional = new Map<K, { value: V; assumes: number }>();

  answer(key: K, compute: () => V, onCycle: V): V {
    if (this.final.has(key)) return this.final.get(key)!;
    const current = open.at(-1);
    const openFrame = this.unfinished.get(key);
    if (openFrame) {
      if (current) current.met = Math.min(current.met, openFrame.depth);
      return onCycle;
    }
    const provisional = this.provisional.get(key);
    if (provisional) {
      if (current) current.met = Math.min(current.met, provisional.assumes);
      return provisional.value;
    }
    if (open.length === 0 && this.outermost.has(key)) return this.outermost.get(key)!;
    const frame: Frame = { depth: open.length, met: Infinity };
    open.push(frame);
    this.unfinished.set(key, frame);
    let value: V;
    try {
      value = compute();
    } finally {
      open.pop();
      this.unfinished.delete(key);
      forgetAssumptionsOf(frame.depth);
    }
    const caller = open.at(-1);
    if (frame.met === Infinity) this.final.set(key, value);
    else if (frame.met < frame.depth) {
      this.provisional.set(key, { value, assumes: frame.met });
      provisionalMemos.add(this);
      if (caller) caller.met = Math.min(caller.met, frame.met);
    } else if (frame.depth === 0) this.outermost.set(key, value);
    return value;
  }

  /** Drops the answers that assumed a question at `depth` or deeper open. */
  forgetAssumptions(depth: number): void {
    for (const [key, { assumes }] of this.provisional) if (assumes >= depth) this.provisional.delete(key);
    if (this.provisional.size === 0) provisionalMemos.delete(this);
  }
}

/** Memos holding provisional answers: few at any time, so finishing a question stays cheap. */
const provisionalMemos = new Set<CycleSafeMemo<object, unknown>>();

function forgetAssumptionsOf(depth: number): void {
  for (const memo of provisionalMemos) memo.forgetAssumptions(depth);
}

/**
 * One memo per pair of objects an answer depends on (a policy and a project's memo scope);
 * both are held weakly, so a memo goes when its policy or scope does.
 */
export class MemoTable<K extends object, V> {
  private readonly memos = new WeakMap<object, WeakMap<object, CycleSafeMemo<K, V>>>();

  for(policy: object, scope: object): CycleSafeMemo<K, V> {
    let byScope = this.memos.get(policy);
    if (!byScope) this.memos.set(policy, (byScope = new WeakMap()));
    let memo = byScope.get(scope);
    if (!memo) byScope.set(scope, (memo = new CycleSafeMemo()));
    return memo;
  }
}

/**
 * A rule's options compiled once per distinct value: the same options object is found by
 * identity, an equal one (ESLint and our engine build a fresh array per file) by its JSON, among
 * the last few distinct values only, so a process that sees many configs does not keep them all.
 */
export function compiledOptions<O extends object, C extends object>(
  compile: (options: O, key: string) => C,
  limit = 16,
): (options: O) => C {
  const byIdentity = new WeakMap<O, C>();
  const recent = new Map<string, C>();
  return (options) => {
    const known = byIdentity.get(options);
    if (known) return known;
    const key = JSON.stringify(options);
    let compiled = recent.get(key);
    if (compiled) recent.delete(key);
    else compiled = compile(options, key);
    recent.set(key, compiled);
    if (recent.size > limit) recent.delete(recent.keys().next().value!);
    byIdentity.set(options, compiled);
    return compiled;
  };
}
