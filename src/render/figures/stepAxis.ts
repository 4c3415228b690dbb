// The step axis of trajectory and time-to-event figures: linear, log or symmetric-log (issue 22;
// `--x`). Phase 1 (the spurious feature) takes the first tens of steps of runs of thousands, so by
// default a horizon of 100 steps or more is drawn symlog, x ↦ sign(x)·log(1 + |x|/C), defined at
// step 0. C is the first evaluated step after 0: below it a trajectory has no points, so a smaller
// C would spend much of the width on a straight segment (C = 1 gave steps 0–25 nearly half of a
// 3000-step axis at evalEvery 25). Ticks are round numbers: 0, 1, 2, 5, 10, 20, 50, …
import type { StepAxisKind } from "../../config/viewOptions.js";

/** A horizon at least this many steps long is drawn on a symlog axis by default; shorter ones linear. */
const SYMLOG_FROM_STEPS = 100;

export interface StepScale {
  scale:
    | { type: "symlog"; constant: number; domain: [number, number]; nice: false }
    | { type: "log"; domain: [number, number]; nice: false }
    | { type: "linear"; domain: [number, number]; nice: false };
  axis: { title: string; values?: number[]; labelFlush: boolean; format: string; labelOverlap: boolean };
  kind: StepAxisKind;
  /** The axis title without its explanation, for panels too narrow for it: "step (symlog)". */
  shortTitle: string;
  /** Where a step sits along the axis, in the scale's own units (for interpolating as drawn). */
  position: (step: number) => number;
}

/** Tick labels closer than this fraction of the axis are thinned (a panel of a faceted figure is ~220 px) (the last step is always kept). */
const MIN_TICK_GAP = 0.16;

/** The ticks kept apart on the axis: the first and the last, and each one far enough from both neighbours kept. */
function spacedTicks(ticks: readonly number[], position: (step: number) => number): number[] {
  if (ticks.length <= 2) return [...ticks];
  const first = position(ticks[0]);
  const span = position(ticks[ticks.length - 1]) - first || 1;
  const at = (t: number) => (position(t) - first) / span;
  const kept = [ticks[0]];
  for (const t of ticks.slice(1, -1)) if (at(t) - at(kept[kept.length - 1]) >= MIN_TICK_GAP && 1 - at(t) >= MIN_TICK_GAP) kept.push(t);
  return [...kept, ticks[ticks.length - 1]];
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

/** The axis kind a figure gets when none is asked for. */
function defaultStepAxis(maxStep: number): StepAxisKind {
  return maxStep < SYMLOG_FROM_STEPS ? "linear" : "symlog";
}

/**
 * The x scale and axis for steps 0 … maxStep; `firstStep` is the first step after 0 that has a
 * point (the symlog constant; a log axis starts there, since it cannot show step 0).
 */
export function stepScale(maxStep: number, options: { kind?: StepAxisKind; firstStep?: number } = {}, what = "step"): StepScale {
  const max = Math.max(1, maxStep);
  const kind = options.kind ?? defaultStepAxis(max);
  const first = Math.min(max, Math.max(1, options.firstStep ?? 1));
  if (kind === "linear") {
    return { scale: { type: "linear", domain: [0, max], nice: false }, axis: { title: what, labelFlush: true, format: "d", labelOverlap: true }, kind, shortTitle: what, position: (step) => step };
  }
  if (kind === "log") {
    const position = (step: number) => Math.log(step);
    return {
      scale: { type: "log", domain: [first, max], nice: false },
      axis: { title: `${what} (log scale; step 0 not shown)`, values: spacedTicks(symlogTicks(max).filter((t) => t >= first), position), labelFlush: true, format: "d", labelOverlap: false },
      kind,
      shortTitle: `${what} (log)`,
      position,
    };
  }
  const position = (step: number) => Math.sign(step) * Math.log1p(Math.abs(step) / first);
  return {
    scale: { type: "symlog", constant: first, domain: [0, max], nice: false },
    axis: { title: `${what} (symlog scale: early steps stretched)`, values: spacedTicks(symlogTicks(max), position), labelFlush: true, format: "d", labelOverlap: false },
    kind,
    shortTitle: `${what} (symlog)`,
    position,
  };
}
