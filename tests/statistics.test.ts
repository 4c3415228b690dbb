import { describe, expect, it } from "vitest";
import {
  bootstrapMeanCI,
  bootstrapMedianCI,
  compareMedians,
  medianDifference,
  medianWithCensoring,
  percentileBand,
  percentileBootstrapCI,
  quantileSortedType7,
  wilsonInterval,
} from "../src/analysis/statistics.js";

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("wilsonInterval", () => {
  it("k=8, n=10", () => {
    // p̂ = 0.8, z² = 3.841459, z²/n = 0.3841459, denominator = 1.3841459
    // center = (0.8 + 0.1920729) / 1.3841459 = 0.7167293
    // half = 1.959964 · √(0.016 + 0.0096036) / 1.3841459 = 1.959964 · 0.1600114 / 1.3841459 = 0.2265757
    // → [0.4901536, 0.9433050]
    const { lo, hi } = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
  });

  it("k=0 and k=n reach the boundary; the other bound is z²/(n+z²)", () => {
    // k = 0: center = half = (z²/2n)/(1+z²/n) → lo = 0, hi = z²/(n + z²) = 3.841459/13.841459 = 0.2775329
    expect(wilsonInterval(0, 10)).toEqual({ lo: 0, hi: expect.closeTo(0.277533, 6) });
    // k = n: by symmetry lo = n/(n + z²) = 10/13.841459 = 0.7224671, hi = 1
    expect(wilsonInterval(10, 10)).toEqual({ lo: expect.closeTo(0.722467, 6), hi: 1 });
  });

  it("n=0 gives the uninformative [0, 1]", () => {
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
  });

  it("rejects k outside [0, n]", () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
  });
});

describe("quantileSortedType7", () => {
  it("interpolates linearly and never produces NaN from infinities", () => {
    // [1, 3] at p = 0.5: position 0.5 → 1 + 0.5·(3 − 1) = 2
    expect(quantileSortedType7([1, 3], 0.5)).toBe(2);
    // finite → ∞ with positive weight on ∞ is ∞; ∞ and ∞ is ∞ (plain interpolation would give NaN)
    expect(quantileSortedType7([1, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSortedType7([Infinity, Infinity], 0.5)).toBe(Infinity);
    // −∞ → finite with positive weight on −∞ is −∞
    expect(quantileSortedType7([-Infinity, 4], 0.5)).toBe(-Infinity);
    // exactly on an order statistic: the finite one, even next to ∞ ([1, 2, ∞], p = 0.5 → x[1] = 2)
    expect(quantileSortedType7([1, 2, Infinity], 0.5)).toBe(2);
  });
});

describe("medianWithCensoring", () => {
  it("counts null as +Infinity", () => {
    // [3, ∞, 1] sorted [1, 3, ∞] → middle 3
    expect(medianWithCensoring([3, null, 1])).toBe(3);
    // [1, ∞] → mean of 1 and ∞ = ∞
    expect(medianWithCensoring([1, null])).toBe(Infinity);
    // [1, 2, ∞, ∞] → mean of 2 and ∞ = ∞
    expect(medianWithCensoring([1, 2, null, null])).toBe(Infinity);
    // [1, 2, 3, ∞] → mean of 2 and 3 = 2.5
    expect(medianWithCensoring([1, 2, 3, null])).toBe(2.5);
  });
});

describe("bootstrapMedianCI", () => {
  it("is reproducible for a seed and changes with the seed", () => {
    const steps = [120, 95, null, 300, 150, 80, 210, 175, 133, 99, 260, 141];
    const first = bootstrapMedianCI(steps, 42);
    expect(bootstrapMedianCI(steps, 42)).toEqual(first);
    // the mean CI of a continuous-valued sample: interpolated bounds differ between seeds
    const xs = range(1, 40).map((i) => Math.sqrt(i));
    const meanA = bootstrapMeanCI(xs, 1);
    const meanB = bootstrapMeanCI(xs, 2);
    expect(bootstrapMeanCI(xs, 1)).toEqual(meanA);
    expect([meanB.lo, meanB.hi]).not.toEqual([meanA.lo, meanA.hi]);
  });

  it("a degenerate sample gives exactly [5, 5]", () => {
    // every resample is [5, 5, 5, 5], median 5
    expect(bootstrapMedianCI([5, 5, 5, 5], 7)).toEqual({ median: 5, lo: 5, hi: 5 });
  });

  it("all censored gives [Infinity, Infinity]", () => {
    expect(bootstrapMedianCI([null, null, null], 7)).toEqual({ median: Infinity, lo: Infinity, hi: Infinity });
  });

  it("more than half censored: the median and upper bound are Infinity, the lower bound finite", () => {
    // [1, 2, ∞, ∞, ∞]: a resample's median is finite iff ≥ 3 of 5 draws are finite (p = 0.4):
    // 10·0.4³·0.6² + 5·0.4⁴·0.6 + 0.4⁵ = 0.2304 + 0.0768 + 0.01024 = 0.317.
    // So ~68% of resample medians are ∞ (→ the 97.5% quantile is ∞) and ~32% are in {1, 2}
    // (→ the 2.5% quantile is 1, as > 2.5% of medians are 1: needs ≥ 3 draws of the value 1,
    // probability 10·0.2³·0.8² + 5·0.2⁴·0.8 + 0.2⁵ = 0.05792).
    const ci = bootstrapMedianCI([1, 2, null, null, null], 11);
    expect(ci.median).toBe(Infinity);
    expect(ci.hi).toBe(Infinity);
    expect(ci.lo).toBe(1);
  });
});

describe("bootstrapMeanCI", () => {
  it("for 0..999 contains the mean and has the normal-theory width within 15%", () => {
    // mean = 499.5; sample variance of 0..N−1 is N(N+1)/12 = 1000·1001/12 = 83416.67 → sd = 288.819
    // normal-theory width 2·1.96·sd/√n = 3.92·288.819/31.623 = 35.80
    const values = range(0, 999);
    const ci = bootstrapMeanCI(values, 3);
    expect(ci.n).toBe(1000);
    expect(ci.mean).toBe(499.5);
    expect(ci.sd).toBeCloseTo(Math.sqrt((1000 * 1001) / 12), 9);
    expect(ci.lo).toBeLessThan(499.5);
    expect(ci.hi).toBeGreaterThan(499.5);
    const expectedWidth = (2 * 1.96 * ci.sd) / Math.sqrt(1000);
    expect(Math.abs(ci.hi - ci.lo - expectedWidth) / expectedWidth).toBeLessThan(0.15);
  });

  it("degenerate, single and empty samples", () => {
    expect(bootstrapMeanCI([5, 5, 5, 5], 1)).toEqual({ mean: 5, sd: 0, lo: 5, hi: 5, n: 4 });
    expect(bootstrapMeanCI([2.5], 1)).toEqual({ mean: 2.5, sd: 0, lo: 2.5, hi: 2.5, n: 1 });
    expect(bootstrapMeanCI([], 1)).toEqual({ mean: NaN, sd: NaN, lo: NaN, hi: NaN, n: 0 });
  });

  it("rejects non-finite values", () => {
    expect(() => bootstrapMeanCI([1, NaN], 1)).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, Infinity], 1)).toThrow(RangeError);
  });
});

describe("percentileBootstrapCI", () => {
  it("a wider level gives a wider interval on the same draws", () => {
    // same seed → same resamples; the 99% quantiles lie outside the 80% ones
    const xs = range(1, 30).map((i) => (i * 37) % 11);
    const sum = (ys: number[]) => ys.reduce((s, y) => s + y, 0);
    const narrow = percentileBootstrapCI(xs, sum, { seed: 5, level: 0.8 });
    const wide = percentileBootstrapCI(xs, sum, { seed: 5, level: 0.99 });
    expect(wide.lo).toBeLessThan(narrow.lo);
    expect(wide.hi).toBeGreaterThan(narrow.hi);
  });
});

describe("percentileBand", () => {
  it("type 7 on 1..11", () => {
    // n = 11: positions (n−1)·p = 1, 5, 9 → x[1] = 2, x[5] = 6, x[9] = 10
    expect(percentileBand(range(1, 11))).toEqual({ median: 6, p10: 2, p90: 10 });
  });

  it("interpolates between order statistics and is order-independent", () => {
    // [4, 1, 3, 2] sorted [1, 2, 3, 4]: positions 0.3, 1.5, 2.7 → 1.3, 2.5, 3.7
    const band = percentileBand([4, 1, 3, 2]);
    expect(band.p10).toBeCloseTo(1.3, 12);
    expect(band.median).toBe(2.5);
    expect(band.p90).toBeCloseTo(3.7, 12);
  });
});

describe("compareMedians", () => {
  it("clearly separated samples: p < 0.01 and a CI excluding 0", () => {
    // diff = median(100..109) − median(10..19) = 104.5 − 14.5 = 90.
    // Enumerating all C(20,10) = 184756 relabelings, 140 reach |diff| ≥ 90 (probability 7.6e-4),
    // so of 2000 random ones ≈ 1.5 do: p ≈ 2.5/2001, far below 0.01.
    // Every bootstrap median of b is in [100, 109] and of a in [10, 19], so every diff is ≥ 81.
    const a = range(10, 19);
    const b = range(100, 109);
    const result = compareMedians(a, b, 17);
    expect(result.diff).toBe(90);
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.lo).toBeGreaterThanOrEqual(81);
    expect(result.hi).toBeLessThanOrEqual(99);
    // swapping the groups flips the sign of the difference
    expect(compareMedians(b, a, 17).diff).toBe(-90);
  });

  it("identical samples: diff 0 and p = 1", () => {
    // observed |diff| = 0 and every permuted |diff| ≥ 0, so p = (1 + 2000)/(1 + 2000) = 1
    const a = range(1, 10);
    const result = compareMedians(a, [...a], 23);
    expect(result.diff).toBe(0);
    expect(result.pValue).toBe(1);
    expect(result.lo).toBeLessThanOrEqual(0);
    expect(result.hi).toBeGreaterThanOrEqual(0);
  });

  it("censoring: both censored is no difference, reached vs censored is infinite", () => {
    // ∞ − ∞ := 0, and every permutation is again all ∞ → p = 1
    expect(compareMedians([null, null], [null, null, null], 1)).toEqual({ diff: 0, lo: 0, hi: 0, pValue: 1 });
    expect(medianDifference(Infinity, Infinity)).toBe(0);
    const reachedVsCensored = compareMedians([10, 12, 11], [null, null, null], 1);
    expect(reachedVsCensored.diff).toBe(Infinity);
    expect(reachedVsCensored.hi).toBe(Infinity);
  });

  it("is reproducible for a seed", () => {
    const a = [50, 60, null, 55, 70];
    const b = [65, 80, 75, null, null];
    expect(compareMedians(a, b, 99)).toEqual(compareMedians(a, b, 99));
  });
});

describe("compareMedians with censored runs", () => {
  it("spread reached steps against all censored: significant", () => {
    // censored runs enter the permutation statistic as step 81 (one past the largest reached step),
    // so relabelings that mix the groups score a smaller |Δ| than the observed 81 − 45 = 36
    const c = compareMedians([10, 20, 30, 40, 50, 60, 70, 80], Array(8).fill(null), 3);
    expect(c.diff).toBe(Infinity);
    expect(c.pValue).toBeLessThan(0.05);
  });

  it("all at one step against all censored: the median statistic is coarse, as computed by hand", () => {
    // pooled: 8 × 10 and 8 × 11 (censored). A relabeling with k tens in group a gives medians
    // (10 | 10.5 | 11) for k (≥5 | 4 | ≤3), so |Δ| = 1 except when k = 4, which has probability
    // C(8,4)² / C(16,8) = 4900 / 12870 = 0.381: p ≈ 1 − 0.381 = 0.619.
    const c = compareMedians(Array(8).fill(10), Array(8).fill(null), 3);
    expect(Math.abs(c.pValue - 0.619)).toBeLessThan(0.03);
  });
});
