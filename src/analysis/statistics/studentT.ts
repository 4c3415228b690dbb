// Means and differences of means with Student t intervals (SPEC §4: final metrics and rates).
import { studentTCdf, studentTQuantile } from "./distributions.js";
import { mean, sampleStandardDeviation } from "simple-statistics";
import { LEVEL_95, UNBOUNDED, withinRange, type Interval } from "./interval.js";

/** Mean, sample sd and the Student t CI of the mean over n values. */
export interface MeanInterval {
  n: number;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
}

/**
 * Student t CI of a mean: x̄ ± t_{(1+level)/2, n−1} · s/√n. For a quantity with a bounded `range`
 * (an accuracy's [0, 1], a mass's [0, ∞)), the same interval is built on a scale that maps the range
 * onto the whole line and mapped back (delta method): g(x̄) ± t · g′(x̄) · s/√n, with
 * g = logit((x − lo)/(hi − lo)) for [lo, hi] and g = ln(x − lo) for [lo, ∞) (ln(hi − x) for
 * (−∞, hi]). So it stays inside the range, and near a bound it is longer on the side away from it,
 * as the skewed mean of values piled against a bound is (bench/calibration.mjs measures both). Every
 * value on a bound of a finite range gives boundMassInterval (no spread, yet a mean just inside the
 * bound is likely). n = 0 → all NaN; n = 1 → sd 0 and lo = hi = NaN (no spread to estimate). Values
 * must be finite (RangeError otherwise).
 *
 * @example meanInterval([1, 2, 3, 4]) // { n: 4, mean: 2.5, sd: 1.291, lo: 0.4457, hi: 4.5543 } (scipy.stats.t.interval(0.95, 3, 2.5, sem))
 * @example meanInterval([0.2, 0.5, 0.4, 0.3, 0.6], LEVEL_95, { lo: 0, hi: 1 }) // { n: 5, mean: 0.4, sd: 0.1581, lo: 0.2273, hi: 0.6017 } (t alone: [0.2037, 0.5963])
 */
export function meanInterval(values: readonly number[], level: number = LEVEL_95, range: Readonly<Interval> = UNBOUNDED): MeanInterval {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`meanInterval: non-finite value ${v}`);
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, lo: NaN, hi: NaN };
  const m = mean(values);
  if (n === 1) return { n, mean: m, sd: 0, lo: NaN, hi: NaN };
  const sd = sampleStandardDeviation(values);
  if (sd === 0 && (m === range.lo || m === range.hi) && Number.isFinite(range.hi - range.lo)) return { n, mean: m, sd, ...boundMassInterval(m, n, level, range) };
  const spread = studentTQuantile((1 + level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean: m, sd, ...intervalOnScale(m, spread, range) };
}

/**
 * The CI of the mean μ of a quantity in [lo, hi] when all n values sit on one bound, say hi: a value
 * is at hi with probability at most (μ − lo)/(hi − lo) (Markov), so n values all there have
 * probability at most that to the n-th, and μ below lo + (hi − lo)·((1 − level)/2)^{1/n} is rejected
 * at the two-sided level (the Clopper–Pearson limit of n successes in n trials; mirrored at lo).
 * Without it a sample of 10 runs all at accuracy 1 would give the point 1, which a true mean of
 * 0.998 makes likely (bench/calibration.mjs).
 *
 * @example boundMassInterval(1, 10, 0.95, { lo: 0, hi: 1 }) // { lo: 0.6915, hi: 1 } (scipy.stats.beta.ppf(0.025, 10, 1))
 */
export function boundMassInterval(bound: number, n: number, level: number, range: Readonly<Interval>): Interval {
  const reach = (range.hi - range.lo) * Math.pow((1 - level) / 2, 1 / n);
  return bound === range.hi ? { lo: range.lo + reach, hi: bound } : { lo: bound, hi: range.hi - reach };
}

/** m ± spread on the scale of `range` (see meanInterval); the point when m sits on a bound. */
function intervalOnScale(m: number, spread: number, range: Readonly<Interval>): Interval {
  const { lo, hi } = range;
  if (lo === -Infinity && hi === Infinity) return { lo: m - spread, hi: m + spread };
  if (m <= lo || m >= hi) return { lo: m, hi: m };
  if (hi === Infinity) return { lo: lo + (m - lo) * Math.exp(-spread / (m - lo)), hi: lo + (m - lo) * Math.exp(spread / (m - lo)) };
  if (lo === -Infinity) return { lo: hi - (hi - m) * Math.exp(spread / (hi - m)), hi: hi - (hi - m) * Math.exp(-spread / (hi - m)) };
  const width = hi - lo;
  const p = (m - lo) / width;
  const center = Math.log(p / (1 - p));
  const half = spread / (width * p * (1 - p));
  const back = (z: number) => lo + width / (1 + Math.exp(-z));
  return { lo: back(center - half), hi: back(center + half) };
}

/** A difference b − a with its CI and two-sided p-value. */
export interface Difference {
  diff: number;
  lo: number;
  hi: number;
  pValue: number;
}

/**
 * Welch–Satterthwaite t for a difference of means from summaries alone: diff = x̄_b − x̄_a,
 * se² = s_a²/n_a + s_b²/n_b, ν = se⁴ / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1)),
 * CI diff ± t_{(1+level)/2, ν}·se, p = 2·P(T_ν > |diff|/se). se = 0: the CI is the point and p is
 * 1 if diff = 0, else 0. The CI is kept within `range`, the values the difference can take
 * (differenceRange of the quantity's range). Null when either side has fewer than 2 values.
 *
 * @example welchDifference({ n: 5, mean: 3, sd: 1.5811 }, { n: 5, mean: 5, sd: 1.5811 }) // { diff: 2, lo: -0.306, hi: 4.306, pValue: 0.0805 } (scipy.stats.ttest_ind(…, equal_var=False))
 */
export function welchDifference(
  a: { n: number; mean: number | null; sd: number | null },
  b: { n: number; mean: number | null; sd: number | null },
  level: number = LEVEL_95,
  range: Readonly<Interval> = UNBOUNDED,
): Difference | null {
  if (a.n < 2 || b.n < 2 || a.mean === null || b.mean === null || a.sd === null || b.sd === null) return null;
  const diff = b.mean - a.mean;
  const parts = [
    { variance: (a.sd * a.sd) / a.n, df: a.n - 1 },
    { variance: (b.sd * b.sd) / b.n, df: b.n - 1 },
  ];
  return withinRange(satterthwaiteInterval(diff, parts, level), range);
}

/**
 * A t interval and two-sided p for an estimate that is a sum of independent parts, each with its
 * estimated variance v_i on df_i degrees of freedom: se² = Σ v_i, ν = se⁴ / Σ (v_i²/df_i)
 * (Satterthwaite), CI est ± t_{(1+level)/2, ν}·se, p = 2·P(T_ν > |est|/se).
 *
 * @example satterthwaiteInterval(2, [{ variance: 0.5, df: 4 }, { variance: 0.5, df: 4 }]) // { diff: 2, lo: -0.306, hi: 4.306, pValue: 0.0805 }
 */
export function satterthwaiteInterval(
  estimate: number,
  parts: readonly { variance: number; df: number }[],
  level: number = LEVEL_95,
): Difference {
  const variance = parts.reduce((sum, p) => sum + p.variance, 0);
  if (!(variance > 0)) return { diff: estimate, lo: estimate, hi: estimate, pValue: estimate === 0 ? 1 : 0 };
  const se = Math.sqrt(variance);
  const df = (variance * variance) / parts.reduce((sum, p) => (p.variance > 0 ? sum + (p.variance * p.variance) / p.df : sum), 0);
  const halfWidth = studentTQuantile((1 + level) / 2, df) * se;
  const pValue = Math.min(1, 2 * studentTCdf(-Math.abs(estimate) / se, df));
  return { diff: estimate, lo: estimate - halfWidth, hi: estimate + halfWidth, pValue };
}

/**
 * Paired Student t for a mean difference from per-unit differences dᵢ (e.g. per seed):
 * d̄ ± t_{(1+level)/2, n−1}·s_d/√n, p = 2·P(T_{n−1} > |d̄|/(s_d/√n)). s_d = 0: the CI is the point and p
 * is 1 if d̄ = 0, else 0. The CI is kept within `range`, the values a difference can take.
 * Null with fewer than 2 differences; values must be finite.
 *
 * @example pairedDifference([5, 20, 0, 30]) // { diff: 13.75, lo: -8.1594, hi: 35.6594, pValue: 0.1397 } (scipy.stats.ttest_1samp([5, 20, 0, 30], 0))
 */
export function pairedDifference(differences: readonly number[], level: number = LEVEL_95, range: Readonly<Interval> = UNBOUNDED): Difference | null {
  if (differences.length < 2) return null;
  const d = meanInterval(differences, level);
  return withinRange(satterthwaiteInterval(d.mean, [{ variance: (d.sd * d.sd) / d.n, df: d.n - 1 }], level), range);
}
