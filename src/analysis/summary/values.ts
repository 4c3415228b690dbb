// The numbers every summary family writes: JSON-safe (no ±∞, no NaN) and the mean, sd and 95% CI of
// a set of per-run values.
import { LEVEL_95, meanInterval, UNBOUNDED, type Interval } from "../statistics/index.js";
import type { ValueSummary } from "../summaryTypes.js";

/** JSON has no ±∞: infinite and NaN values are written as null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Mean, sd and Student t 95% CI of the finite values (non-finite ones, e.g. after divergence, are
 * left out), the CI within `range`, the values the quantity can take (see meanInterval).
 */
export function summarizeValues(values: readonly number[], range: Readonly<Interval> = UNBOUNDED): ValueSummary {
  const ci = meanInterval(values.filter(Number.isFinite), LEVEL_95, range);
  return { n: ci.n, mean: finiteOrNull(ci.mean), sd: finiteOrNull(ci.sd), lo: finiteOrNull(ci.lo), hi: finiteOrNull(ci.hi) };
}
