// Intervals and tests built on the binomial distribution: the reached fraction and the sign test.
import { binomialCdf, normalQuantile } from "./distributions.js";
import { LEVEL_95, type Interval } from "./interval.js";

/**
 * z for a two-sided normal interval at `level`: Φ⁻¹((1 + level)/2).
 *
 * @example normalQuantileTwoSided(0.95) // 1.959964 (scipy.stats.norm.ppf(0.975))
 */
export function normalQuantileTwoSided(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  return normalQuantile((1 + level) / 2, 0, 1);
}

/**
 * Wilson score interval for k successes in n trials, p̂ = k/n:
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n); n = 0 → [0, 1].
 * RangeError unless k and n are integers with 0 ≤ k ≤ n.
 *
 * @example wilsonInterval(8, 10) // { lo: 0.4902, hi: 0.9433 } (scipy.stats.binomtest(8, 10).proportion_ci(0.95, "wilson"))
 */
export function wilsonInterval(k: number, n: number, level: number = LEVEL_95): Interval {
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 0 || k < 0 || k > n) {
    throw new RangeError(`wilsonInterval: need integers 0 <= k <= n, got k=${k}, n=${n}`);
  }
  if (n === 0) return { lo: 0, hi: 1 };
  const z = normalQuantileTwoSided(level);
  const pHat = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (pHat + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((pHat * (1 - pHat)) / n + z2 / (4 * n * n))) / denominator;
  // At k = 0 (or n) center − halfWidth is 0 (or 1) up to rounding; clamp the rounding away.
  return { lo: k === 0 ? 0 : Math.max(0, center - halfWidth), hi: k === n ? 1 : Math.min(1, center + halfWidth) };
}

/**
 * Two-sided exact sign test of `up` positive against `down` negative differences (ties dropped):
 * p = min(1, 2·P(X ≤ min(up, down))), X ~ Binomial(up + down, 1/2); 1 when up + down = 0.
 *
 * @example signTest(7, 1) // 0.0703125 (scipy.stats.binomtest(1, 8).pvalue)
 */
export function signTest(up: number, down: number): number {
  const m = up + down;
  if (m === 0) return 1;
  return Math.min(1, 2 * binomialCdf(Math.min(up, down), m, 0.5));
}

/**
 * One-sided exact sign test that positive differences are more likely: p = P(X ≥ up),
 * X ~ Binomial(up + down, 1/2); 1 when up + down = 0.
 *
 * @example signTestGreater(7, 1) // 0.03515625 (scipy.stats.binomtest(7, 8, alternative="greater").pvalue)
 */
export function signTestGreater(up: number, down: number): number {
  const m = up + down;
  if (m === 0) return 1;
  return up === 0 ? 1 : 1 - binomialCdf(up - 1, m, 0.5);
}

/**
 * Distribution-free CI of a median from order statistics: [x₍ₖ₎, x₍ₙ₊₁₋ₖ₎] (1-based, ascending) with
 * the largest k such that P(X < k) ≤ (1 − level)/2, X ~ Binomial(n, 1/2); its coverage is at least
 * `level` for any continuous distribution. ±∞ allowed (a censored difference); n too small for any
 * k ≥ 1 (n ≤ 5 at 95%) → [−∞, +∞].
 *
 * @example medianOrderStatisticInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) // { lo: 2, hi: 9 } (coverage 1 − 2·P(X ≤ 1) = 97.9%)
 */
export function medianOrderStatisticInterval(values: readonly number[], level: number = LEVEL_95): Interval {
  const n = values.length;
  if (n === 0) return { lo: NaN, hi: NaN };
  const tail = (1 - level) / 2;
  let k = 0;
  while (k + 1 <= n && binomialCdf(k, n, 0.5) <= tail) k++; // P(X ≤ k) = P(X < k + 1) ≤ tail → k + 1 works
  if (k === 0) return { lo: -Infinity, hi: Infinity };
  const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { lo: sorted[k - 1], hi: sorted[n - k] };
}

/**
 * Hettmansperger–Sheather interpolated CI of a median: with [x₍ₖ₎, x₍ₙ₊₁₋ₖ₎] the order-statistic
 * interval of coverage γₖ = 1 − 2·P(X ≤ k − 1) ≥ level and γₖ₊₁ < level (X ~ Binomial(n, 1/2)),
 * I = (γₖ − level)/(γₖ − γₖ₊₁), λ = (n − k)·I / (k + (n − 2k)·I), and
 * [(1 − λ)·x₍ₖ₎ + λ·x₍ₖ₊₁₎, (1 − λ)·x₍ₙ₊₁₋ₖ₎ + λ·x₍ₙ₋ₖ₎]: close to `level` where the plain interval
 * is conservative (97.9% at n = 10). An infinite neighbour keeps the outer bound. n too small → [−∞, +∞].
 *
 * @example medianInterpolatedInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) // { lo: 2.657, hi: 8.343 } (λ = 0.657)
 */
export function medianInterpolatedInterval(values: readonly number[], level: number = LEVEL_95): Interval {
  const n = values.length;
  if (n === 0) return { lo: NaN, hi: NaN };
  const tail = (1 - level) / 2;
  let k = 0;
  while (k + 1 <= n && binomialCdf(k, n, 0.5) <= tail) k++;
  if (k === 0) return { lo: -Infinity, hi: Infinity };
  const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const outer = { lo: sorted[k - 1], hi: sorted[n - k] };
  if (2 * k >= n) return outer; // no inner neighbour to interpolate towards
  const coverage = (j: number) => 1 - 2 * binomialCdf(j - 1, n, 0.5);
  const share = (coverage(k) - level) / (coverage(k) - coverage(k + 1));
  const lambda = ((n - k) * share) / (k + (n - 2 * k) * share);
  const between = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? (1 - lambda) * a + lambda * b : a);
  return { lo: between(sorted[k - 1], sorted[k]), hi: between(sorted[n - k], sorted[n - k - 1]) };
}
