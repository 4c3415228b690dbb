// Claim 3's exponents, all from the one scaling-exponent model (analysis/scalingExponents.ts: the
// coefficient of log(d) in a Weibull accelerated-failure-time model of the signal step, censored at
// each run's horizon, with its Wald CI; local exponents from the same model with d as levels):
// - the page's claim-3 exponent: the samples to learn XOR alone grow like d^b over the λ = 0 runs
//   of maximal-correlation (one batch size, so samples and steps share the exponent);
// - claim 3 at scale (issue 21 item 6): samples = step × batch against d over the whole range and
//   its upper half, the local exponent of each doubling, and the laws samples ∝ d·(ln d)^k for
//   k = 0, 1, 2 (Glasgow's d·polylog d) against the free power, by their likelihood.
// A d where any run diverged is shown but left out of every fit: a run that blew up did not learn
// slowly, and its censored event step would read as a slower one. So is a d where no run reached the
// event (nothing there to place a median or a level's coefficient).
import { polylogComparison, scalingExponent, type LocalExponent, type PolylogComparison, type ScalingExponent } from "../analysis/scalingExponents.js";
import { kaplanMeierMedian } from "../analysis/statistics/index.js";
import { timeToEvent } from "../analysis/summary.js";
import type { RunRecord } from "../store/runRecord.js";
import type { ExponentFit } from "../render/figures/paperFigures.js";

/** The exponent of d, its local exponents, the ds and the R call that refits it; see ExponentFit. */
export type SampleExponent = ExponentFit & { ds: number[]; local: LocalExponent[]; formula: string };

/** The fit over the λ = 0 runs of each d (null with fewer than two d, or when it cannot be fitted). */
export function fitSampleExponent(records: readonly RunRecord[], event = "signal"): SampleExponent | null {
  const fit = scalingExponent(records, { key: "d", event, where: { lambda: 0 } });
  if (fit.exponent === null || fit.medianIntercept === null) return null;
  return { slope: fit.exponent.estimate, intercept: fit.medianIntercept, lo: fit.exponent.lo, hi: fit.exponent.hi, ds: fit.values, local: fit.local, formula: fit.formula };
}

/** One d of claim 3 at scale: its runs and the Kaplan–Meier median samples to the event. */
export interface ScalingPoint {
  d: number;
  batch: number;
  runs: number;
  reached: number;
  diverged: number;
  /** Kaplan–Meier median of the event step × batch, with its 95% CI (null: not bounded within the horizon). */
  samples: number | null;
  samplesLo: number | null;
  samplesHi: number | null;
  /** The runs' horizon × batch: the samples a run that never reached the event saw. */
  horizonSamples: number;
}

export interface ScalingAnalysis {
  event: string;
  points: ScalingPoint[];
  /** The d used by the fits: no diverged run, and some run reached the event. */
  fitted: number[];
  /** The exponent of samples in d over `fitted`, with the local exponents (null with fewer than 2 d). */
  whole: ScalingExponent | null;
  /** The same over the upper half of `fitted` (null with fewer than 2 d there). */
  upperHalf: ScalingExponent | null;
  /** samples ∝ d·(ln d)^k, k = 0, 1, 2, against the free power, over `fitted`. */
  polylog: PolylogComparison | null;
}

/** The scaling of `event`'s samples with d over the runs of one λ (records of other λ are ignored). */
export function analyzeScaling(records: readonly RunRecord[], lambda: number, event = "signal"): ScalingAnalysis {
  const runs = records.filter((r) => Number(r.condition.lambda) === lambda);
  const ds = [...new Set(runs.map((r) => r.params.d))].sort((a, b) => a - b);
  const points: ScalingPoint[] = ds.map((d) => {
    const here = runs.filter((r) => r.params.d === d);
    const horizon = Math.min(...here.map((r) => r.params.steps));
    const batch = here[0].params.batch;
    const times = here.map((r) => timeToEvent(r, event, horizon));
    const km = kaplanMeierMedian(times);
    const samples = (x: number) => (Number.isFinite(x) ? x * batch : null);
    return {
      d,
      batch,
      runs: here.length,
      reached: times.filter((t) => t.observed).length,
      diverged: here.filter((r) => r.diverged !== null).length,
      samples: samples(km.median),
      samplesLo: samples(km.lo),
      samplesHi: samples(km.hi),
      horizonSamples: horizon * batch,
    };
  });
  const fitted = points.filter((p) => p.diverged === 0 && p.reached > 0).map((p) => p.d);
  const over = (values: number[]) => ({ key: "d", event, response: "samples" as const, where: { lambda }, values });
  const fit = (values: number[]) => (values.length < 2 ? null : scalingExponent(runs, over(values)));
  const upper = fitted.slice(Math.floor(fitted.length / 2));
  return { event, points, fitted, whole: fit(fitted), upperHalf: fit(upper), polylog: fitted.length < 2 ? null : polylogComparison(runs, over(fitted)) };
}
