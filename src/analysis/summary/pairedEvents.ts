// `comparisons[].paired`: an event between two conditions seed by seed (the same seed shares its
// initialisation, training stream and test set in both).
import type { RunRecord } from "../../store/runRecord.js";
import { median, medianInterpolatedInterval, signTest } from "../statistics/index.js";
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
  const stepOf = (r: RunRecord) => {
    const t = timeToEvent(r, event, horizon);
    return t.observed ? t.time : Infinity;
  };
  const bySeed = new Map(b.map((r) => [r.seed, r]));
  const diffs: number[] = [];
  for (const r of [...a].sort((x, y) => x.seed - y.seed)) {
    const other = bySeed.get(r.seed);
    if (other !== undefined) diffs.push(stepDifference(stepOf(r), stepOf(other)));
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
