/**
 * Where time went, for `--stats`. Phases nest (rules ask the project index to parse an imported
 * file, which runs a scope analysis), so each phase is timed exclusively: time spent in an inner
 * phase is counted there and not again in the phase around it. The numbers add up to the work.
 */

let sink: Map<string, number> | null = null;
let now: () => number = () => performance.now();
/** Start times of the open phases, innermost last, and the inner time to subtract from each. */
const open: { started: number; inner: number }[] = [];

/**
 * Sends phase timings to `phases` while `work` runs (nothing is timed without a sink). `clock`
 * is for tests, which drive time by hand instead of measuring it.
 */
export function collectPhases<T>(phases: Map<string, number> | undefined, work: () => T, clock?: () => number): T {
  if (!phases) return work();
  const outer = { sink, now };
  sink = phases;
  if (clock) now = clock;
  try {
    return work();
  } finally {
    ({ sink, now } = outer);
  }
}

export function timed<T>(phase: string, work: () => T): T {
  if (!sink) return work();
  const phases = sink;
  const frame = { started: now(), inner: 0 };
  open.push(frame);
  try {
    return work();
  } finally {
    open.pop();
    const elapsed = now() - frame.started;
    phases.set(phase, (phases.get(phase) ?? 0) + elapsed - frame.inner);
    const enclosing = open[open.length - 1];
    if (enclosing) enclosing.inner += elapsed;
  }
}
