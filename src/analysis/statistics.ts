// Pure statistics for study summaries (SPEC §4): binomial intervals, medians with censoring,
// percentile bootstrap CIs, percentile bands and a permutation test. One function per idea, in the
// style of simple-statistics, which is used wherever it has the function.
//
// Conventions shared by every function here:
// - Censored event steps (`null`: the event was never reached) count as +Infinity, so a median or a
//   CI bound may be Infinity. JSON.stringify writes Infinity (and NaN) as `null`; callers that
//   serialise these numbers must keep that in mind.
// - Quantiles are the R type-7 / numpy "linear" rule: for sorted x of length n, position
//   h = (n − 1)·p, result x[⌊h⌋] + (h − ⌊h⌋)·(x[⌈h⌉] − x[⌊h⌋]). simple-statistics' quantileSorted
//   implements exactly this rule for finite values; `quantileSortedType7` adds the rules for
//   infinite neighbours (see there), so no quantile here is NaN because of an Infinity.
// - All randomness comes from StreamRandom(seed, Stream.bootstrap) for bootstrap draws and
//   StreamRandom(seed, Stream.permutation) for permutation draws: a result is a pure function of
//   its inputs and the seed.

import { mean, quantileSorted, sampleStandardDeviation } from "simple-statistics";
import { Stream, StreamRandom } from "../kernel/prng.js";

/** A two-sided interval; either bound may be ±Infinity or NaN where the function says so. */
export interface Interval {
  lo: number;
  hi: number;
}

/** z for a two-sided 95% normal interval: Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/** Numeric ascending comparator that treats equal infinities as equal (x − y would give NaN). */
function ascending(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Censored step (null) → +Infinity; reached step → itself. */
export function censoredToInfinity(steps: readonly (number | null)[]): number[] {
  return steps.map((s) => (s === null ? Infinity : s));
}

/**
 * Wilson score interval for k successes in n trials:
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), clamped to [0, 1]; n = 0 → {lo: 0, hi: 1}.
 * Throws RangeError unless n and k are integers with 0 ≤ k ≤ n.
 */
export function wilsonInterval(k: number, n: number, z: number = Z_95): Interval {
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 0 || k < 0 || k > n) {
    throw new RangeError(`wilsonInterval: need integers 0 <= k <= n, got k=${k}, n=${n}`);
  }
  if (n === 0) return { lo: 0, hi: 1 };
  const pHat = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (pHat + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((pHat * (1 - pHat)) / n + z2 / (4 * n * n))) / denominator;
  // At k = 0 (or k = n) center − halfWidth is 0 (or 1) up to rounding; clamp the rounding away.
  return {
    lo: k === 0 ? 0 : Math.max(0, center - halfWidth),
    hi: k === n ? 1 : Math.min(1, center + halfWidth),
  };
}

/**
 * Type-7 quantile of an ascending array that may hold ±Infinity (no NaN): linear interpolation
 * between the neighbouring order statistics, as simple-statistics' quantileSorted, where an
 * infinite neighbour with positive weight wins (finite→+∞ gives +∞, −∞→finite gives −∞, ∞ and ∞
 * gives ∞), and −∞→+∞ gives the nearer neighbour (the upper one at exactly half way).
 * Returns NaN for an empty array or if a neighbour is NaN; throws RangeError unless 0 ≤ p ≤ 1.
 */
export function quantileSortedType7(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (n - 1) * p;
  const lowerIndex = Math.floor(position);
  const upperIndex = Math.ceil(position);
  const fraction = position - lowerIndex;
  const lower = sorted[lowerIndex];
  const upper = sorted[upperIndex];
  if (Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (fraction === 0 || lower === upper) return lower;
  if (Number.isFinite(lower) && Number.isFinite(upper)) return quantileSorted(sorted, p);
  if (lower === -Infinity && upper === Infinity) return fraction < 0.5 ? lower : upper;
  if (lower === -Infinity) return -Infinity;
  return Infinity; // upper === +Infinity, lower finite
}

/** Median of an ascending array (type 7: mean of the two middle values for an even count), ∞-safe. */
function medianOfSorted(sorted: readonly number[]): number {
  return quantileSortedType7(sorted, 0.5);
}

/** Sorts `xs` in place and returns its median; the bootstrap statistic for medians. */
function medianInPlace(xs: number[]): number {
  xs.sort(ascending);
  return medianOfSorted(xs);
}

/**
 * Median of event steps where null (censored) counts as +Infinity; an even count gives the mean of
 * the two middle values, Infinity if either is. Empty input → NaN.
 */
export function medianWithCensoring(steps: readonly (number | null)[]): number {
  return medianInPlace(censoredToInfinity(steps));
}

/** Options of `percentileBootstrapCI`. */
export interface BootstrapOptions {
  /** Seed of the bootstrap stream (StreamRandom(seed, Stream.bootstrap)). */
  seed: number;
  /** Number of bootstrap resamples, a positive integer; default 2000. */
  resamples?: number;
  /** Two-sided confidence level in (0, 1); default 0.95. */
  level?: number;
}

function checkResamples(name: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${count}`);
  }
}

/** Fills `buffer` (same length as `values`) with a with-replacement resample of `values`. */
function resampleInto(values: readonly number[], buffer: number[], rng: StreamRandom): void {
  const n = values.length;
  for (let i = 0; i < n; i++) buffer[i] = values[rng.int(n)];
}

/**
 * Percentile bootstrap CI of `statistic`: draw `resamples` with-replacement resamples of `values`
 * from StreamRandom(seed, Stream.bootstrap), and return the type-7 quantiles (1 − level)/2 and
 * (1 + level)/2 of the statistic's values. `statistic` is called on ONE reused buffer: it may
 * reorder it but must not keep it. Empty `values` → {lo: NaN, hi: NaN}.
 */
export function percentileBootstrapCI(
  values: readonly number[],
  statistic: (xs: number[]) => number,
  opts: BootstrapOptions,
): Interval {
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  checkResamples("percentileBootstrapCI: resamples", resamples);
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`percentileBootstrapCI: level must be in (0, 1), got ${level}`);
  }
  if (values.length === 0) return { lo: NaN, hi: NaN };
  const rng = new StreamRandom(opts.seed, Stream.bootstrap);
  const buffer = new Array<number>(values.length).fill(0);
  const estimates = new Array<number>(resamples).fill(0);
  for (let r = 0; r < resamples; r++) {
    resampleInto(values, buffer, rng);
    estimates[r] = statistic(buffer);
  }
  estimates.sort(ascending);
  const alpha = 1 - level;
  return {
    lo: quantileSortedType7(estimates, alpha / 2),
    hi: quantileSortedType7(estimates, 1 - alpha / 2),
  };
}

/** Median event step with a 95% percentile bootstrap CI; the median and either bound may be Infinity. */
export interface MedianCI {
  median: number;
  lo: number;
  hi: number;
}

/**
 * Median of event steps (null = censored = +Infinity) with its 95% percentile bootstrap CI from
 * `resamples` resamples seeded by `seed`. Empty input → all NaN.
 */
export function bootstrapMedianCI(
  steps: readonly (number | null)[],
  seed: number,
  resamples: number = 2000,
): MedianCI {
  const values = censoredToInfinity(steps);
  const { lo, hi } = percentileBootstrapCI(values, medianInPlace, { seed, resamples });
  return { median: medianWithCensoring(steps), lo, hi };
}

/** Mean, sample sd and 95% bootstrap CI of the mean, with the count used. */
export interface MeanCI {
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Mean, sample standard deviation (0 when n = 1) and 95% percentile bootstrap CI of the mean.
 * n = 0 → {mean, sd, lo, hi all NaN, n: 0}. Values must be finite (callers filter out NaN/∞ and
 * report how many they dropped); a non-finite value throws a RangeError.
 */
export function bootstrapMeanCI(values: readonly number[], seed: number, resamples: number = 2000): MeanCI {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`bootstrapMeanCI: non-finite value ${v}`);
  }
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, lo: NaN, hi: NaN, n: 0 };
  const sd = n < 2 ? 0 : sampleStandardDeviation(values);
  const { lo, hi } = percentileBootstrapCI(values, mean, { seed, resamples });
  return { mean: mean(values), sd, lo, hi, n };
}

/** Median and 10th/90th percentiles of one quantity across seeds. */
export interface PercentileBand {
  median: number;
  p10: number;
  p90: number;
}

/**
 * Median, 10th and 90th percentiles (type 7: linear between order statistics, position (n − 1)·p)
 * of `values`, e.g. one trajectory step across seeds. ±Infinity is allowed; NaN throws a RangeError
 * (callers drop diverged runs first). Empty input → all NaN.
 */
export function percentileBand(values: readonly number[]): PercentileBand {
  for (const v of values) {
    if (Number.isNaN(v)) throw new RangeError("percentileBand: NaN value");
  }
  const sorted = [...values].sort(ascending);
  return {
    median: quantileSortedType7(sorted, 0.5),
    p10: quantileSortedType7(sorted, 0.1),
    p90: quantileSortedType7(sorted, 0.9),
  };
}

/**
 * Difference of two medians, later − earlier, where +∞ − +∞ is defined as 0: both medians censored
 * means no difference is observable within the horizon. Finite vs +∞ gives ±Infinity.
 */
export function medianDifference(medianA: number, medianB: number): number {
  if (medianA === medianB) return 0; // also covers Infinity − Infinity
  return medianB - medianA;
}

/** Options of `compareMedians`. */
export interface CompareOptions {
  /** Bootstrap resamples for the CI of the difference; default 2000. */
  resamples?: number;
  /** Random relabelings for the permutation test; default 2000. */
  permutations?: number;
}

/** Difference of median event steps b − a with a 95% bootstrap CI and a permutation p-value. */
export interface MedianComparison {
  diff: number;
  lo: number;
  hi: number;
  pValue: number;
}

/**
 * Compares median event steps of two groups (null = censored = +Infinity).
 * diff = median(b) − median(a) via `medianDifference` (∞ − ∞ = 0; finite vs censored = ±∞).
 * CI: 95% percentile CI of the difference over `resamples` pairs of independent resamples of a
 * and b (Stream.bootstrap). pValue: two-sided permutation test on |diff| with `permutations` random
 * relabelings of the pooled steps (Stream.permutation), censored steps taken as one past the largest
 * reached step: p = (1 + #{|perm diff| ≥ |diff|}) / (1 + permutations), so p > 0 always and p = 1
 * when diff = 0. Either group empty → all NaN.
 */
export function compareMedians(
  a: readonly (number | null)[],
  b: readonly (number | null)[],
  seed: number,
  opts: CompareOptions = {},
): MedianComparison {
  const resamples = opts.resamples ?? 2000;
  const permutations = opts.permutations ?? 2000;
  checkResamples("compareMedians: resamples", resamples);
  checkResamples("compareMedians: permutations", permutations);
  if (a.length === 0 || b.length === 0) return { diff: NaN, lo: NaN, hi: NaN, pValue: NaN };

  const valuesA = censoredToInfinity(a);
  const valuesB = censoredToInfinity(b);
  const diff = medianDifference(medianWithCensoring(a), medianWithCensoring(b));
  const bufferA = new Array<number>(valuesA.length).fill(0);
  const bufferB = new Array<number>(valuesB.length).fill(0);

  // Bootstrap: resample a and b independently, r-th resample of a paired with r-th of b.
  const bootRng = new StreamRandom(seed, Stream.bootstrap);
  const diffs = new Array<number>(resamples).fill(0);
  for (let r = 0; r < resamples; r++) {
    resampleInto(valuesA, bufferA, bootRng);
    resampleInto(valuesB, bufferB, bootRng);
    diffs[r] = medianDifference(medianInPlace(bufferA), medianInPlace(bufferB));
  }
  diffs.sort(ascending);

  // Permutation test: a partial Fisher–Yates shuffle puts a uniformly random subset of size |a|
  // of the pooled steps first; those are relabeled "a", the rest "b". Starting each shuffle from
  // the previous arrangement is fine: a uniform shuffle of any arrangement is uniform.
  // Censored runs (+∞) enter the test statistic as one step past the largest reached step: the same
  // order, but finite, so a relabeling that mixes censored and reached runs scores a smaller |Δ|
  // than a complete separation (with ∞ itself, almost every relabeling would tie at |Δ| = ∞).
  const permRng = new StreamRandom(seed, Stream.permutation);
  const finiteSteps = [...valuesA, ...valuesB].filter(Number.isFinite);
  const censoredAs = finiteSteps.length === 0 ? 0 : Math.max(...finiteSteps) + 1;
  const pooled = [...valuesA, ...valuesB].map((v) => (v === Infinity ? censoredAs : v));
  const nA = valuesA.length;
  for (let i = 0; i < nA; i++) bufferA[i] = pooled[i];
  for (let i = 0; i < bufferB.length; i++) bufferB[i] = pooled[nA + i];
  const observed = Math.abs(medianDifference(medianInPlace(bufferA), medianInPlace(bufferB)));
  let atLeastAsExtreme = 0;
  for (let r = 0; r < permutations; r++) {
    for (let i = 0; i < nA; i++) {
      const j = i + permRng.int(pooled.length - i);
      const swap = pooled[i];
      pooled[i] = pooled[j];
      pooled[j] = swap;
    }
    for (let i = 0; i < nA; i++) bufferA[i] = pooled[i];
    for (let i = 0; i < bufferB.length; i++) bufferB[i] = pooled[nA + i];
    const permuted = Math.abs(medianDifference(medianInPlace(bufferA), medianInPlace(bufferB)));
    if (isAtLeast(permuted, observed)) atLeastAsExtreme++;
  }

  return {
    diff,
    lo: quantileSortedType7(diffs, 0.025),
    hi: quantileSortedType7(diffs, 0.975),
    pValue: (1 + atLeastAsExtreme) / (1 + permutations),
  };
}

/**
 * permuted ≥ observed for non-negative statistics, with a relative tolerance of 1e-9 so that equal
 * medians computed along different rounding paths still count as ties; Infinity only ties Infinity.
 */
function isAtLeast(permuted: number, observed: number): boolean {
  if (observed === Infinity) return permuted === Infinity;
  return permuted >= observed * (1 - 1e-9);
}
