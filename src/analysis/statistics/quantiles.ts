// Quantiles and medians of samples that may hold ±Infinity (a never-reached event counts as +∞).
// One rule everywhere: R type 7 / numpy "linear", as simple-statistics' quantileSorted.
import { quantileSorted } from "simple-statistics";

/** Ascending comparator for numbers that treats equal infinities as equal (x − y would give NaN). */
function ascending(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Type-7 quantile of an ascending array that may hold ±∞ (no NaN):
 * h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌈h⌉] − x[⌊h⌋]); an infinite neighbour with positive weight
 * wins (finite→+∞ gives +∞, −∞→finite gives −∞) and −∞→+∞ gives the nearer one (+∞ at half way).
 * NaN for an empty array or a NaN neighbour; RangeError unless 0 ≤ p ≤ 1.
 *
 * @example quantileSortedType7([1, 2, 3, 4], 0.5) // 2.5
 * @example quantileSortedType7([1, 2, Infinity], 0.75) // Infinity
 */
export function quantileSortedType7(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = (n - 1) * p;
  const lower = sorted[Math.floor(position)];
  const upper = sorted[Math.ceil(position)];
  const fraction = position - Math.floor(position);
  if (Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (fraction === 0 || lower === upper) return lower;
  if (Number.isFinite(lower) && Number.isFinite(upper)) return quantileSorted(sorted, p);
  if (lower === -Infinity && upper === Infinity) return fraction < 0.5 ? lower : upper;
  return lower === -Infinity ? -Infinity : Infinity;
}

/**
 * Median of a sample (type 7: the mean of the two middle values for an even count), ±∞ allowed;
 * the input is not modified. NaN for an empty sample.
 *
 * @example median([3, 1, 2, 10]) // 2.5
 * @example median([5, Infinity, Infinity]) // Infinity
 */
export function median(values: readonly number[]): number {
  return quantileSortedType7([...values].sort(ascending), 0.5);
}

/** Median and 10th/90th percentiles of one quantity across seeds. */
export interface PercentileBand {
  median: number;
  p10: number;
  p90: number;
}

/**
 * Median, 10th and 90th type-7 percentiles of `values` (e.g. one trajectory step across seeds).
 * ±∞ allowed; NaN throws a RangeError. Empty input → all NaN.
 *
 * @example percentileBand([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) // { median: 5, p10: 1, p90: 9 }
 */
export function percentileBand(values: readonly number[]): PercentileBand {
  for (const v of values) if (Number.isNaN(v)) throw new RangeError("percentileBand: NaN value");
  const sorted = [...values].sort(ascending);
  return {
    median: quantileSortedType7(sorted, 0.5),
    p10: quantileSortedType7(sorted, 0.1),
    p90: quantileSortedType7(sorted, 0.9),
  };
}
