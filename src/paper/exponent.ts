// Claim 3's fitted exponent: samples to learn XOR alone grow like d^b, b the least-squares slope of
// ln(Kaplan–Meier median signal step) against ln d at λ = 0, with a percentile bootstrap CI that
// resamples the seeds of each d.
import { linearRegression } from "simple-statistics";
import { kaplanMeierMedian, percentileBootstrap, timesToEvent } from "../analysis/statistics/index.js";
import type { RunRecord } from "../store/runRecord.js";
import type { ExponentFit } from "../render/figures/paperFigures.js";

/** The bootstrap's seed: fixed, so the page is a pure function of the runs. */
const EXPONENT_SEED = 20260629;

function fit(ds: readonly number[], groups: readonly (readonly (number | null)[])[], horizon: number): { slope: number; intercept: number } {
  const points = ds.map((d, i) => [Math.log(d), Math.log(kaplanMeierMedian(timesToEvent(groups[i], horizon)).median)]);
  if (!points.every(([, y]) => Number.isFinite(y))) return { slope: NaN, intercept: NaN };
  const { m, b } = linearRegression(points);
  return { slope: m, intercept: b };
}

/** The fit over the λ = 0 runs of each d (null with fewer than two d, or a median not reached). */
export function fitSampleExponent(records: readonly RunRecord[], event = "signal"): (ExponentFit & { ds: number[] }) | null {
  const zero = records.filter((r) => Number(r.condition.lambda) === 0);
  const ds = [...new Set(zero.map((r) => Number(r.condition.d)))].sort((a, b) => a - b);
  if (ds.length < 2) return null;
  const horizon = Math.min(...zero.map((r) => r.params.steps));
  // By seed within each d: the bootstrap resamples positions, and the records come in the order the
  // runs finished in, which must not change the fit.
  const groups = ds.map((d) =>
    zero
      .filter((r) => Number(r.condition.d) === d)
      .sort((a, b) => a.seed - b.seed)
      .map((r) => r.events[event] ?? null),
  );
  const estimate = fit(ds, groups, horizon);
  if (!Number.isFinite(estimate.slope)) return null;
  const ci = percentileBootstrap(groups, (resampled) => fit(ds, resampled, horizon).slope, EXPONENT_SEED);
  return { ...estimate, lo: ci.lo, hi: ci.hi, ds };
}
