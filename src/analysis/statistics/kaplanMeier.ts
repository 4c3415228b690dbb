// Time-to-event statistics of event steps, right-censored at the horizon (SPEC §4): the
// Kaplan–Meier curve, its median with the Brookmeyer–Crowley CI, and the restricted mean.
import { studentTQuantile } from "./distributions.js";
import { normalQuantileTwoSided } from "./binomial.js";
import { LEVEL_95 } from "./interval.js";
import { pairedDifference, satterthwaiteInterval, type Difference } from "./studentT.js";

/** One run's time to an event: the step it happened at (`observed`), or the horizon it was censored at. */
export interface TimeToEvent {
  time: number;
  observed: boolean;
}

/**
 * Event steps as time-to-event data: a step → observed at that step; null (never reached within the
 * run) → censored at `horizon` (the run's last step).
 *
 * @example timesToEvent([120, null], 1000) // [{ time: 120, observed: true }, { time: 1000, observed: false }]
 */
export function timesToEvent(steps: readonly (number | null)[], horizon: number): TimeToEvent[] {
  return steps.map((s) => (s === null ? { time: horizon, observed: false } : { time: s, observed: true }));
}

/** The Kaplan–Meier curve at one event time. */
export interface SurvivalPoint {
  time: number;
  /** Runs at risk just before `time` (time ≥ this time), events at `time`. */
  atRisk: number;
  events: number;
  /** Ŝ(time) = Π_{tⱼ ≤ time} (1 − dⱼ/nⱼ). */
  survival: number;
  /** Greenwood's sum Σ_{tⱼ ≤ time} dⱼ / (nⱼ(nⱼ − dⱼ)): Var Ŝ = Ŝ²·this (∞ once Ŝ = 0). */
  greenwood: number;
}

/**
 * Kaplan–Meier estimate Ŝ(t) = Π_{tⱼ ≤ t} (1 − dⱼ/nⱼ) at each distinct event time tⱼ, ascending,
 * with Greenwood's sum. Censored at tⱼ counts as at risk at tⱼ (censoring after events at a tie).
 *
 * @example kaplanMeier([{ time: 1, observed: true }, { time: 2, observed: false }, { time: 3, observed: true }])
 * // [{ time: 1, atRisk: 3, events: 1, survival: 2/3, greenwood: 1/6 }, { time: 3, atRisk: 1, events: 1, survival: 0, greenwood: Infinity }]
 */
export function kaplanMeier(data: readonly TimeToEvent[]): SurvivalPoint[] {
  const sorted = [...data].sort((a, b) => a.time - b.time);
  const curve: SurvivalPoint[] = [];
  let atRisk = sorted.length;
  let survival = 1;
  let greenwood = 0;
  for (let i = 0; i < sorted.length; ) {
    const time = sorted[i].time;
    let events = 0;
    let leaving = 0;
    for (; i < sorted.length && sorted[i].time === time; i++) {
      leaving++;
      if (sorted[i].observed) events++;
    }
    if (events > 0) {
      survival *= 1 - events / atRisk;
      greenwood += atRisk === events ? Infinity : events / (atRisk * (atRisk - events));
      curve.push({ time, atRisk, events, survival, greenwood });
    }
    atRisk -= leaving;
  }
  return curve;
}

/** How the pointwise CI of Ŝ(t) is built before it is inverted into a CI of the median. */
export type SurvivalTransform = "loglog" | "log" | "plain";

/**
 * Pointwise CI of Ŝ(t) from Greenwood's sum g:
 * loglog (Kalbfleisch–Prentice): Ŝ^exp(±z·√g / ln Ŝ); log: Ŝ·exp(∓z·√g) capped at 1;
 * plain: Ŝ ± z·Ŝ·√g clamped to [0, 1]. Ŝ = 0 → [0, 0]; Ŝ = 1 → [1, 1].
 *
 * @example survivalInterval({ survival: 0.5, greenwood: 0.05 }, 1.96, "loglog") // { lo: 0.2195, hi: 0.7289 }
 */
export function survivalInterval(point: Pick<SurvivalPoint, "survival" | "greenwood">, z: number, transform: SurvivalTransform): { lo: number; hi: number } {
  const s = point.survival;
  if (s <= 0) return { lo: 0, hi: 0 };
  if (s >= 1) return { lo: 1, hi: 1 };
  const root = Math.sqrt(point.greenwood);
  switch (transform) {
    case "loglog": {
      const spread = (z * root) / Math.log(s); // negative: ln s < 0
      return { lo: Math.pow(s, Math.exp(-spread)), hi: Math.pow(s, Math.exp(spread)) };
    }
    case "log":
      return { lo: s * Math.exp(-z * root), hi: Math.min(1, s * Math.exp(z * root)) };
    case "plain":
      return { lo: Math.max(0, s - z * s * root), hi: Math.min(1, s + z * s * root) };
  }
}

/** The Kaplan–Meier median with its CI; +∞ = not reached by half the runs within the horizon. */
export interface MedianInterval {
  median: number;
  lo: number;
  hi: number;
}

/**
 * Kaplan–Meier median, the smallest event time with Ŝ(t) ≤ 1/2 (+∞ if none), with the
 * Brookmeyer–Crowley CI {t : L(t) ≤ 1/2 ≤ U(t)}, L and U the pointwise bands of `survivalInterval`:
 * lo = the first event time with L ≤ 1/2, hi = the first with U ≤ 1/2 (+∞ if none). Empty → NaN.
 * Default bands: "log" (R survfit's default), the best calibrated of the three on many-seed studies
 * (bench/calibration.mjs --transform, reports/statistics.md).
 *
 * @example kaplanMeierMedian(timesToEvent([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 20)) // { median: 5, lo: 3, hi: 10 }
 */
export function kaplanMeierMedian(
  data: readonly TimeToEvent[],
  opts: { level?: number; transform?: SurvivalTransform } = {},
): MedianInterval {
  if (data.length === 0) return { median: NaN, lo: NaN, hi: NaN };
  const z = normalQuantileTwoSided(opts.level ?? LEVEL_95);
  const transform = opts.transform ?? "log";
  let median = Infinity;
  let lo = Infinity;
  let hi = Infinity;
  for (const point of kaplanMeier(data)) {
    const band = survivalInterval(point, z, transform);
    if (median === Infinity && point.survival <= 0.5) median = point.time;
    if (lo === Infinity && band.lo <= 0.5) lo = point.time;
    if (hi === Infinity && band.hi <= 0.5) hi = point.time;
  }
  return { median, lo, hi };
}

/** The restricted mean time to event with its CI. */
export interface RestrictedMean {
  /** The horizon τ the mean is restricted to. */
  horizon: number;
  rmst: number;
  /** The estimated variance of rmst, with the small-sample factor n/(n − 1). */
  variance: number;
  /** Degrees of freedom of the t quantile: n − 1. */
  df: number;
  lo: number;
  hi: number;
}

/**
 * Restricted mean time to event μ(τ) = ∫₀^τ Ŝ(t) dt, with
 * Var = n/(n−1) · Σ_{tⱼ ≤ τ} Aⱼ² dⱼ / (nⱼ(nⱼ − dⱼ)), Aⱼ = ∫_{tⱼ}^τ Ŝ(t) dt, and the CI
 * μ ± t_{(1+level)/2, n−1}·√Var. Without censoring this is exactly the Student t CI of the mean of
 * min(T, τ) (the factor and the t quantile make it so). n < 2 → lo = hi = NaN.
 *
 * @example restrictedMean(timesToEvent([2, 4, null], 10), 10) // { rmst: 5.333…, … } (= mean(2, 4, 10))
 */
export function restrictedMean(data: readonly TimeToEvent[], horizon: number, level: number = LEVEL_95): RestrictedMean {
  const n = data.length;
  if (n === 0) return { horizon, rmst: NaN, variance: NaN, df: 0, lo: NaN, hi: NaN };
  const curve = kaplanMeier(data).filter((p) => p.time <= horizon);
  // Areas between consecutive event times: Ŝ is 1 before the first and Ŝ(tⱼ) on [tⱼ, tⱼ₊₁).
  const times = [0, ...curve.map((p) => Math.max(0, p.time)), horizon];
  const levels = [1, ...curve.map((p) => p.survival)];
  const pieces = levels.map((s, j) => s * (times[j + 1] - times[j]));
  const rmst = pieces.reduce((sum, x) => sum + x, 0);
  let tail = 0; // Aⱼ, accumulated from the horizon backwards
  let sum = 0;
  for (let j = curve.length - 1; j >= 0; j--) {
    tail += pieces[j + 1];
    const { atRisk, events } = curve[j];
    if (tail > 0 && atRisk > events) sum += (tail * tail * events) / (atRisk * (atRisk - events));
  }
  if (n < 2) return { horizon, rmst, variance: NaN, df: 0, lo: NaN, hi: NaN };
  const variance = (sum * n) / (n - 1);
  const halfWidth = studentTQuantile((1 + level) / 2, n - 1) * Math.sqrt(variance);
  return { horizon, rmst, variance, df: n - 1, lo: rmst - halfWidth, hi: rmst + halfWidth };
}

/** One unit's time to an event, with the unit it belongs to (a seed), for paired comparisons. */
export interface UnitTime {
  unit: number;
  time: TimeToEvent;
}

/**
 * The difference b − a of restricted mean times to event up to `horizon`, for data censored only at
 * the horizon (so each restricted mean is the mean of min(T, τ)): when both sides hold the same
 * units, the paired t of the per-unit differences (a unit's two times are correlated, and the
 * unpaired interval would overstate the spread); else Welch–Satterthwaite from the two restricted
 * means and their variances. Null with fewer than 2 per side.
 *
 * @example restrictedMeanDifference([{ unit: 0, time: { time: 30, observed: true } }, { unit: 1, time: { time: 40, observed: true } }], [{ unit: 0, time: { time: 35, observed: true } }, { unit: 1, time: { time: 60, observed: true } }], 1000) // { diff: 12.5, lo: -82.797, hi: 107.797, pValue: 0.3440, paired: true } (scipy.stats.ttest_1samp([5, 20], 0))
 */
export function restrictedMeanDifference(
  a: readonly UnitTime[],
  b: readonly UnitTime[],
  horizon: number,
): (Difference & { paired: boolean }) | null {
  const bByUnit = new Map(b.map((x) => [x.unit, x.time.time]));
  if (a.length === b.length && a.every((x) => bByUnit.has(x.unit))) {
    const d = pairedDifference(a.map((x) => bByUnit.get(x.unit)! - x.time.time));
    return d === null ? null : { ...d, paired: true };
  }
  const ra = restrictedMean(a.map((x) => x.time), horizon);
  const rb = restrictedMean(b.map((x) => x.time), horizon);
  if (ra.df === 0 || rb.df === 0) return null;
  return { ...satterthwaiteInterval(rb.rmst - ra.rmst, [{ variance: ra.variance, df: ra.df }, { variance: rb.variance, df: rb.df }]), paired: false };
}
