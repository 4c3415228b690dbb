// Time-to-event statistics of event steps, right-censored at the horizon (SPEC §4): the
// Kaplan–Meier curve, its median with the Brookmeyer–Crowley CI, and the restricted mean.
import { studentTQuantile } from "./distributions.js";
import { normalQuantileTwoSided } from "./binomial.js";
import { differenceRange, LEVEL_95, withinRange } from "./interval.js";
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
 * plain: Ŝ ± z·Ŝ·√g clamped to [0, 1]. Ŝ = 1 → [1, 1]. Ŝ = 0 → [NaN, NaN]: Greenwood's variance is
 * infinite there and R's survfit leaves the band out (NA), so it takes no part in a median's CI.
 *
 * @example survivalInterval({ survival: 0.5, greenwood: 0.05 }, 1.96, "loglog") // { lo: 0.2195, hi: 0.7289 }
 */
export function survivalInterval(point: Pick<SurvivalPoint, "survival" | "greenwood">, z: number, transform: SurvivalTransform): { lo: number; hi: number } {
  const s = point.survival;
  if (s <= 0) return { lo: NaN, hi: NaN };
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

/**
 * The Kaplan–Meier median with its CI. +∞ = not reached: fewer than half the runs reached the event
 * within the horizon (the median), or the band never fell to ½ while Ŝ > 0 (a limit; R prints NA).
 * lo is NaN (R: NA) when the median is finite but the lower band never fell to ½: see kaplanMeierMedian.
 */
export interface MedianInterval {
  median: number;
  lo: number;
  hi: number;
}

/**
 * R's tolerance for "a curve is at ½" (survival's survmean: .Machine$double.eps^0.5): Ŝ is a product
 * of fractions, so a curve that is ½ in exact arithmetic may be 0.5000000000000001 in floats.
 */
const HALF_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * Where a curve y (Ŝ or one of its bands, at the event times) first falls to ½, as R's survfit prints
 * it (print.survfit → survmean's minmin): the first tⱼ with yⱼ < ½ + tol; when that yⱼ is ½ within
 * tol and the curve later falls below it, the midpoint of tⱼ and the first tₖ with yₖ < yⱼ (the middle
 * of the plateau at ½). NaN values are skipped; +∞ if no value falls to ½.
 * (R's quantile.survfit differs only when the curve ends on a plateau at ½: it then takes the midpoint
 * with the last censoring time, where print.survfit, and this, keep the plateau's start.)
 */
function firstAtHalf(times: readonly number[], values: readonly number[]): number {
  const j = values.findIndex((y) => y < 0.5 + HALF_TOLERANCE);
  if (j < 0) return Infinity;
  if (Math.abs(values[j] - 0.5) >= HALF_TOLERANCE) return times[j];
  const k = values.findIndex((y, i) => i > j && y < values[j]);
  return k < 0 ? times[j] : (times[j] + times[k]) / 2;
}

/**
 * Kaplan–Meier median with the Brookmeyer–Crowley CI {t : L(t) ≤ 1/2 ≤ U(t)}, L and U the pointwise
 * bands of `survivalInterval`, each read as R's survfit prints them (`firstAtHalf`): the median where
 * Ŝ falls to ½, lo where L does, hi where U does (+∞ where one never does). A band is undefined
 * where Ŝ = 0, so when every run left at risk reaches the event the upper limit is +∞ (U never fell
 * to ½; R prints NA); when Ŝ falls from above ½ straight to 0 (e.g. every run reached the event at
 * one step) L never fell to ½ either, and lo is NaN: a lower limit above a finite median would be no
 * limit (R prints NA). Empty → NaN.
 * Default bands: "log" (R survfit's default conf.type), the best calibrated of the three on many-seed
 * studies (bench/calibration.mjs --transform, reports/statistics.md).
 *
 * @example kaplanMeierMedian(timesToEvent([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 20)) // { median: 5.5, lo: 3, hi: Infinity } (R: summary(survfit(Surv(1:10, rep(1, 10)) ~ 1))$table)
 */
export function kaplanMeierMedian(
  data: readonly TimeToEvent[],
  opts: { level?: number; transform?: SurvivalTransform } = {},
): MedianInterval {
  if (data.length === 0) return { median: NaN, lo: NaN, hi: NaN };
  const z = normalQuantileTwoSided(opts.level ?? LEVEL_95);
  const transform = opts.transform ?? "log";
  const curve = kaplanMeier(data);
  const times = curve.map((p) => p.time);
  const bands = curve.map((p) => survivalInterval(p, z, transform));
  const median = firstAtHalf(times, curve.map((p) => p.survival));
  const lo = firstAtHalf(times, bands.map((b) => b.lo));
  return {
    median,
    lo: lo === Infinity && median < Infinity ? NaN : lo,
    hi: firstAtHalf(times, bands.map((b) => b.hi)),
  };
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
 * μ ± t_{(1+level)/2, n−1}·√Var, kept within [0, τ] where μ lies (see withinRange). Without
 * censoring this is exactly the Student t CI of the mean of min(T, τ) (the factor and the t quantile
 * make it so). n < 2 → lo = hi = NaN.
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
  return withinRange({ horizon, rmst, variance, df: n - 1, lo: rmst - halfWidth, hi: rmst + halfWidth }, { lo: 0, hi: horizon });
}

/** One unit's time to an event, with the unit it belongs to (a seed), for paired comparisons. */
export interface UnitTime {
  unit: number;
  time: TimeToEvent;
}

/**
 * The difference b − a of restricted mean times to event up to `horizon` τ. When both sides hold the
 * same units and no unit is censored before τ (so each restricted mean is exactly the mean of
 * min(T, τ)): the paired t of the per-unit differences of min(T, τ) (a unit's two times are
 * correlated, and the unpaired interval would overstate the spread). Otherwise — other units, or
 * censoring before τ, as for the lead between two events, whose follow-up varies per run —
 * Welch–Satterthwaite from the two restricted means and their variances. The CI is kept within
 * [−τ, τ]. Null with fewer than 2 per side.
 *
 * @example restrictedMeanDifference([{ unit: 0, time: { time: 30, observed: true } }, { unit: 1, time: { time: 40, observed: true } }], [{ unit: 0, time: { time: 35, observed: true } }, { unit: 1, time: { time: 60, observed: true } }], 1000) // { diff: 12.5, lo: -82.797, hi: 107.797, pValue: 0.3440, paired: true } (scipy.stats.ttest_1samp([5, 20], 0))
 */
export function restrictedMeanDifference(
  a: readonly UnitTime[],
  b: readonly UnitTime[],
  horizon: number,
): (Difference & { paired: boolean }) | null {
  const restricted = (x: UnitTime) => Math.min(x.time.time, horizon);
  const censoredBeforeHorizon = (x: UnitTime) => !x.time.observed && x.time.time < horizon;
  const bByUnit = new Map(b.map((x) => [x.unit, x]));
  const sameUnits = a.length === b.length && a.every((x) => bByUnit.has(x.unit));
  if (sameUnits && !a.some(censoredBeforeHorizon) && !b.some(censoredBeforeHorizon)) {
    const d = pairedDifference(a.map((x) => restricted(bByUnit.get(x.unit)!) - restricted(x)), LEVEL_95, differenceRange({ lo: 0, hi: horizon }));
    return d === null ? null : { ...d, paired: true };
  }
  const ra = restrictedMean(a.map((x) => x.time), horizon);
  const rb = restrictedMean(b.map((x) => x.time), horizon);
  if (ra.df === 0 || rb.df === 0) return null;
  const parts = [{ variance: ra.variance, df: ra.df }, { variance: rb.variance, df: rb.df }];
  return { ...withinRange(satterthwaiteInterval(rb.rmst - ra.rmst, parts), differenceRange({ lo: 0, hi: horizon })), paired: false };
}
