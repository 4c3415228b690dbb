// How the samples to an event grow with d (claim 3 at scale, issue 21 item 6): per d the Kaplan–Meier
// median of the event step times that d's batch; the exponent b of samples ∝ d^b over the whole range
// and over its upper half, the local exponent of each doubling, and the fit of samples ∝ d·(ln d)^k
// for k = 0, 1, 2 (Glasgow's d·polylog d) — each with a percentile bootstrap over the seeds of each d.
// A d where any run diverged is shown but left out of every fit: a run that blew up did not learn
// slowly, and its censored event step would read as a slower one.
import { linearRegression } from "simple-statistics";
import { kaplanMeierMedian, percentileBootstrap, type TimeToEvent } from "../analysis/statistics/index.js";
import { timeToEvent } from "../analysis/summary.js";
import type { RunRecord } from "../store/runRecord.js";

/** The bootstrap's seed: fixed, so the page is a pure function of the runs. */
const SCALING_SEED = 20261206;
/** The powers of ln d tried in samples ∝ d·(ln d)^k. */
const POLYLOG_POWERS = [0, 1, 2] as const;

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

interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

interface PolylogFit {
  k: number;
  /** ln C of samples ≈ C·d·(ln d)^k, least squares on the log scale. */
  lnC: number;
  /** Residual sum of squares of ln samples. */
  rss: number;
  /** Share of bootstrap resamples in which this k had the smallest residuals. */
  bestShare: number;
}

export interface ScalingAnalysis {
  event: string;
  points: ScalingPoint[];
  /** The d used by the fits: finite medians and no diverged run. */
  fitted: number[];
  /** Exponent b of samples ∝ d^b over `fitted`, and over its upper half (null with fewer than 2 d). */
  whole: (Estimate & { intercept: number }) | null;
  upperHalf: (Estimate & { ds: number[] }) | null;
  /** The exponent between each pair of neighbouring fitted d. */
  local: (Estimate & { from: number; to: number })[];
  polylog: PolylogFit[];
}

interface Group {
  d: number;
  batch: number;
  horizon: number;
  times: TimeToEvent[];
}

const lnMedianSamples = (g: Group, times: readonly TimeToEvent[]): number => Math.log(kaplanMeierMedian(times).median * g.batch);

function slope(points: readonly [number, number][]): number {
  return points.length < 2 || !points.every(([, y]) => Number.isFinite(y)) ? NaN : linearRegression(points as [number, number][]).m;
}

/** Residual sum of squares of ln samples − ln d − k·ln ln d around its mean, and that mean (ln C). */
function polylogResiduals(ds: readonly number[], lnSamples: readonly number[], k: number): { lnC: number; rss: number } {
  const rest = ds.map((d, i) => lnSamples[i] - Math.log(d) - k * Math.log(Math.log(d)));
  const lnC = rest.reduce((a, b) => a + b, 0) / rest.length;
  return { lnC, rss: rest.reduce((sum, r) => sum + (r - lnC) ** 2, 0) };
}

/**
 * The scaling of `event`'s samples with d over the runs of one λ (records of other λ are ignored);
 * `resamples` per bootstrap (fewer only in tests).
 */
export function analyzeScaling(records: readonly RunRecord[], lambda: number, event = "signal", resamples = 2000): ScalingAnalysis {
  const runs = records.filter((r) => Number(r.condition.lambda) === lambda);
  const ds = [...new Set(runs.map((r) => r.params.d))].sort((a, b) => a - b);
  const groups: Group[] = ds.map((d) => {
    // by seed: the bootstrap resamples positions, which must not depend on the order runs finished in
    const here = runs.filter((r) => r.params.d === d).sort((a, b) => a.seed - b.seed);
    const horizon = Math.min(...here.map((r) => r.params.steps));
    return { d, batch: here[0].params.batch, horizon, times: here.map((r) => timeToEvent(r, event, horizon)) };
  });
  const points: ScalingPoint[] = groups.map((g, i) => {
    const here = runs.filter((r) => r.params.d === ds[i]);
    const km = kaplanMeierMedian(g.times);
    const times = (x: number) => (Number.isFinite(x) ? x * g.batch : null);
    return {
      d: g.d,
      batch: g.batch,
      runs: g.times.length,
      reached: g.times.filter((t) => t.observed).length,
      diverged: here.filter((r) => r.diverged !== null).length,
      samples: times(km.median),
      samplesLo: times(km.lo),
      samplesHi: times(km.hi),
      horizonSamples: g.horizon * g.batch,
    };
  });
  const usable = groups.filter((_, i) => points[i].diverged === 0 && points[i].samples !== null);
  const fitted = usable.map((g) => g.d);
  const lnD = usable.map((g) => Math.log(g.d));
  const exponentOver = (from: number, to: number) => (resampled: readonly (readonly TimeToEvent[])[]): number =>
    slope(usable.slice(from, to).map((g, i) => [lnD[from + i], lnMedianSamples(g, resampled[from + i])]));
  const estimate = (statistic: (resampled: TimeToEvent[][]) => number): Estimate => {
    const ci = percentileBootstrap(usable.map((g) => g.times), statistic, SCALING_SEED, { resamples });
    return { value: statistic(usable.map((g) => g.times)), lo: ci.lo, hi: ci.hi };
  };

  const n = usable.length;
  const lnSamples = usable.map((g) => lnMedianSamples(g, g.times));
  const whole = n < 2 ? null : { ...estimate(exponentOver(0, n)), intercept: linearRegression(lnD.map((x, i) => [x, lnSamples[i]])).b };
  const half = Math.floor(n / 2);
  const upperHalf = n - half < 2 ? null : { ...estimate(exponentOver(half, n)), ds: fitted.slice(half) };
  const local = usable.slice(1).map((g, i) => ({ from: usable[i].d, to: g.d, ...estimate(exponentOver(i, i + 2)) }));

  // which k fits best, in the data and in each bootstrap resample
  const wins = POLYLOG_POWERS.map(() => 0);
  if (n >= 2) {
    percentileBootstrap(usable.map((g) => g.times), (resampled) => {
      const ln = usable.map((g, i) => lnMedianSamples(g, resampled[i]));
      if (!ln.every(Number.isFinite)) return NaN;
      const rss = POLYLOG_POWERS.map((k) => polylogResiduals(fitted, ln, k).rss);
      wins[rss.indexOf(Math.min(...rss))]++;
      return 0;
    }, SCALING_SEED, { resamples });
  }
  const counted = wins.reduce((a, b) => a + b, 0);
  const polylog = n < 2 ? [] : POLYLOG_POWERS.map((k, j) => ({ k, ...polylogResiduals(fitted, lnSamples, k), bestShare: counted > 0 ? wins[j] / counted : NaN }));
  return { event, points, fitted, whole, upperHalf, local, polylog };
}
