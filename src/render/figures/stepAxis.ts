// The step axis of trajectory and time-to-event figures. Phase 1 (the spurious feature) takes the
// first tens of steps of runs of thousands, so a long horizon is drawn on a symmetric-log scale
// (x ↦ sign(x)·log(1 + |x|), defined at step 0) with ticks at 0, 1, 2, 5, 10, 20, 50, …

/** A horizon at least this many steps long is drawn on a symlog axis; shorter ones stay linear. */
const SYMLOG_FROM_STEPS = 100;

export interface StepScale {
  scale: { type: "symlog"; constant: number; domain: [number, number]; nice: false } | { type: "linear"; domain: [number, number]; nice: false };
  axis: { title: string; values?: number[]; labelFlush: boolean; format: string; labelOverlap: boolean };
  symlog: boolean;
}

/** 0, 1, 2, 5, 10, 20, 50, … up to `max`, with `max` itself when it is not crowded by the last tick. */
export function symlogTicks(max: number): number[] {
  const ticks = [0];
  for (let decade = 1; decade <= max; decade *= 10) {
    for (const m of [1, 2, 5]) if (m * decade <= max) ticks.push(m * decade);
  }
  const last = ticks[ticks.length - 1];
  if (max > last * 1.5) ticks.push(max);
  return ticks;
}

/** The x scale and axis for steps 0 … maxStep; `linear` keeps a long horizon linear too (for spans that do not start at step 0, e.g. gaps). */
export function stepScale(maxStep: number, what = "step", opts: { linear?: boolean } = {}): StepScale {
  const max = Math.max(1, maxStep);
  if (max < SYMLOG_FROM_STEPS || opts.linear === true) {
    return { scale: { type: "linear", domain: [0, max], nice: false }, axis: { title: what, labelFlush: true, format: "d", labelOverlap: true }, symlog: false };
  }
  return {
    scale: { type: "symlog", constant: 1, domain: [0, max], nice: false },
    axis: { title: `${what} (symlog scale: early steps stretched)`, values: symlogTicks(max), labelFlush: true, format: "d", labelOverlap: false },
    symlog: true,
  };
}
