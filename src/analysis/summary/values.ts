// The numbers every summary family writes: JSON-safe (no ±∞, no NaN) and the mean, sd and 95% CI of
// a set of per-run values.
import { meanInterval } from "../statistics/index.js";
import type { ValueSummary } from "../summaryTypes.js";

/** JSON has no ±∞: infinite and NaN values are written as null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Mean, sd and Student t 95% CI of the finite values (non-finite ones, e.g. after divergence, are left out). */
export function summarizeValues(values: readonly number[]): ValueSummary {
  const ci = meanInterval(values.filter(Number.isFinite));
  return { n: ci.n, mean: finiteOrNull(ci.mean), sd: finiteOrNull(ci.sd), lo: finiteOrNull(ci.lo), hi: finiteOrNull(ci.hi) };
}
