// `comparisons[].paired`: an event between two conditions seed by seed (the same seed shares its
// initialisation, training stream and test set in both).
import type { RunRecord } from "../../store/runRecord.js";
import { median, medianInterpolatedInterval, signTest, type UnitTime } from "../statistics/index.js";
import type { InfiniteSigns, PairedComparison } from "../summaryTypes.js";
import { horizonOf, timeToEvent } from "./runs.js";
import { finiteOrNull } from "./values.js";

/**
 * Difference b − a of two event steps or medians where +∞ − +∞ = 0 (both unreached within the horizon).
 * @public bench/calibration.mjs computes the paired median Δ with it.
 */
export function stepDifference(a: number, b: number): number {
  return a === b ? 0 : b - a;
}

/** The signs of the infinite ones of diff, lo and hi; undefined when all are finite. */
export function infiniteSigns(c: { diff: number; lo?: number; hi?: number }): InfiniteSigns | undefined {
  const signs: InfiniteSigns = {};
  for (const field of ["diff", "lo", "hi"] as const) {
    const x = c[field];
    if (x === Infinity) signs[field] = 1;
    else if (x === -Infinity) signs[field] = -1;
  }
  return Object.keys(signs).length === 0 ? undefined : signs;
}

/**
 * The seed-paired comparison of `event` from the runs `a` to the runs `b` (see PairedComparison):
 * the median of d with its interpolated order-statistic 95% CI (Hettmansperger–Sheather) and the exact sign test.
 */
export function pairedComparison(a: readonly RunRecord[], b: readonly RunRecord[], event: string): PairedComparison {
  const horizon = Math.min(horizonOf(a), horizonOf(b));
  const units = (runs: readonly RunRecord[]) => runs.map((r) => ({ unit: r.seed, time: timeToEvent(r, event, horizon) }));
  return pairedTimes(units(a), units(b));
}

/**
 * The seed-paired comparison of times to event from `a` to `b` over the units (seeds) both have: per
 * unit d = time(b) − time(a), a censored time counted as +∞ (never reached within the run; ∞ − ∞ = 0).
 */
export function pairedTimes(a: readonly UnitTime[], b: readonly UnitTime[]): PairedComparison {
  const stepOf = (u: UnitTime) => (u.time.observed ? u.time.time : Infinity);
  const byUnit = new Map(b.map((u) => [u.unit, u]));
  const diffs: number[] = [];
  for (const u of [...a].sort((x, y) => x.unit - y.unit)) {
    const other = byUnit.get(u.unit);
    if (other !== undefined) diffs.push(stepDifference(stepOf(u), stepOf(other)));
  }
  if (diffs.length === 0) return { pairs: 0, later: 0, earlier: 0, tied: 0, diff: null, lo: null, hi: null, pValue: null, pHolm: null };
  const later = diffs.filter((d) => d > 0).length;
  const earlier = diffs.filter((d) => d < 0).length;
  const diff = median(diffs);
  const { lo, hi } = medianInterpolatedInterval(diffs);
  const infinite = infiniteSigns({ diff, lo, hi });
  return {
    pairs: diffs.length,
    later,
    earlier,
    tied: diffs.length - later - earlier,
    diff: finiteOrNull(diff),
    lo: finiteOrNull(lo),
    hi: finiteOrNull(hi),
    pValue: signTest(later, earlier),
    pHolm: null, // filled in over the whole study by adjustComparisons
    ...(infinite === undefined ? {} : { infinite }),
  };
}
