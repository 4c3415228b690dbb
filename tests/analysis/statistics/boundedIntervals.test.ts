// Intervals of bounded quantities stay inside their bounds: means of metrics with a range (logit or
// log scale, see meanInterval), differences (clamped to ±the range's width), restricted means [0, τ].
import { describe, expect, it } from "vitest";
import {
  boundMassInterval,
  differenceRange,
  LEVEL_95,
  meanInterval,
  pairedDifference,
  restrictedMean,
  restrictedMeanDifference,
  timesToEvent,
  welchDifference,
  withinRange,
} from "../../../src/analysis/statistics/index.js";
import { studentTQuantile } from "../../../src/analysis/statistics/distributions.js";
import { metricRange, SCALAR_METRICS } from "../../../src/kernel/metricNames.js";

const UNIT = { lo: 0, hi: 1 };

describe("metric ranges", () => {
  it("accuracies, wga and signAlign are in [0, 1], spuriousGap in [−1, 1], loss and masses ≥ 0, the rest unbounded", () => {
    for (const m of ["accMajority", "accMinority", "accAvg", "wga", "signAlign"] as const) expect(metricRange(m)).toEqual(UNIT);
    expect(metricRange("spuriousGap")).toEqual({ lo: -1, hi: 1 });
    for (const m of ["trainLoss", "massSpurious", "massSignal", "massNoise"] as const) expect(metricRange(m)).toEqual({ lo: 0, hi: Infinity });
    for (const m of ["marginMajority", "marginMinority", "coefSpurious", "coefSignal"] as const) expect(metricRange(m)).toEqual({ lo: -Infinity, hi: Infinity });
    expect(SCALAR_METRICS.length).toBe(14); // a new metric needs its range decided here
  });
  it("differenceRange: ±the width; unbounded stays unbounded", () => {
    expect(differenceRange(UNIT)).toEqual({ lo: -1, hi: 1 });
    expect(differenceRange({ lo: -1, hi: 1 })).toEqual({ lo: -2, hi: 2 });
    expect(differenceRange({ lo: 0, hi: Infinity })).toEqual({ lo: -Infinity, hi: Infinity });
  });
  it("withinRange clamps, keeps NaN and other fields", () => {
    expect(withinRange({ lo: 0.93, hi: 1.04, n: 3 }, UNIT)).toEqual({ lo: 0.93, hi: 1, n: 3 });
    expect(withinRange({ lo: NaN, hi: -0.2 }, UNIT)).toEqual({ lo: NaN, hi: 0 });
  });
});

describe("meanInterval of a bounded quantity", () => {
  it("is the plain Student t interval when unbounded", () => {
    const r = meanInterval([1, 2, 3, 4]);
    expect(r.lo).toBeCloseTo(0.44573974, 7);
    expect(r.hi).toBeCloseTo(4.55426026, 7);
  });
  it("[0, 1]: the t interval on the logit scale (delta method), by hand", () => {
    // x̄ = 0.4, s = 0.15811, t₄ = 2.7764: logit 0.4 ± t·s/√5 / (0.4·0.6) = −0.405465 ± 0.818069
    const r = meanInterval([0.2, 0.5, 0.4, 0.3, 0.6], LEVEL_95, UNIT);
    const half = (studentTQuantile(0.975, 4) * r.sd) / Math.sqrt(5) / 0.24;
    const expit = (z: number) => 1 / (1 + Math.exp(-z));
    expect(r.lo).toBeCloseTo(expit(Math.log(0.4 / 0.6) - half), 12);
    expect(r.hi).toBeCloseTo(expit(Math.log(0.4 / 0.6) + half), 12);
    expect(r.lo).toBeCloseTo(0.2273, 4);
    expect(r.hi).toBeCloseTo(0.6017, 4);
  });
  it("stays inside [0, 1] where the t interval leaves it (9 runs at wga 1, one at 0.2)", () => {
    const values = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.2];
    const t = meanInterval(values);
    expect(t.hi).toBeGreaterThan(1); // what the summary printed before
    const r = meanInterval(values, LEVEL_95, UNIT);
    expect(r.mean).toBeCloseTo(0.92, 12);
    expect(r.lo).toBeGreaterThan(0);
    expect(r.hi).toBeLessThan(1);
    expect(r.lo).toBeLessThan(r.mean);
    expect(r.hi).toBeGreaterThan(r.mean);
  });
  it("[−1, 1] (spuriousGap) and [0, ∞) (masses, loss) likewise", () => {
    const gap = meanInterval([-1, -1, -0.9, -1, -0.2], LEVEL_95, { lo: -1, hi: 1 });
    expect(gap.lo).toBeGreaterThan(-1);
    expect(meanInterval([-1, -1, -0.9, -1, -0.2]).lo).toBeLessThan(-1);
    const mass = meanInterval([0.01, 0.02, 3, 0.01], LEVEL_95, { lo: 0, hi: Infinity });
    expect(mass.lo).toBeGreaterThan(0);
    expect(meanInterval([0.01, 0.02, 3, 0.01]).lo).toBeLessThan(0);
    // log scale: x̄·exp(±t·s/(√n·x̄))
    const spread = (studentTQuantile(0.975, 3) * mass.sd) / 2;
    expect(mass.lo).toBeCloseTo(mass.mean * Math.exp(-spread / mass.mean), 12);
    expect(meanInterval([0.5], LEVEL_95, UNIT).lo).toBeNaN();
  });
  it("every value on a bound: the Clopper–Pearson-like limit ((1 − level)/2)^{1/n}, not the point", () => {
    // scipy.stats.beta.ppf(0.025, 10, 1) = 0.6915028921812392; beta.ppf(0.025, 3, 1) = 0.2924017738212866
    expect(meanInterval(Array(10).fill(1), LEVEL_95, UNIT)).toMatchObject({ n: 10, mean: 1, sd: 0, hi: 1 });
    expect(meanInterval(Array(10).fill(1), LEVEL_95, UNIT).lo).toBeCloseTo(0.6915028921812392, 14);
    expect(boundMassInterval(1, 3, LEVEL_95, UNIT).lo).toBeCloseTo(0.2924017738212866, 14);
    // mirrored at the lower bound, and on the range's own scale ([−1, 1]: twice as long)
    expect(meanInterval(Array(10).fill(0), LEVEL_95, UNIT)).toMatchObject({ lo: 0 });
    expect(meanInterval(Array(10).fill(0), LEVEL_95, UNIT).hi).toBeCloseTo(1 - 0.6915028921812392, 14);
    expect(meanInterval(Array(10).fill(-1), LEVEL_95, { lo: -1, hi: 1 }).hi).toBeCloseTo(-1 + 2 * (1 - 0.6915028921812392), 14);
    // a constant inside the range, or on the bound of a one-sided range, is still the point
    expect(meanInterval([0.5, 0.5, 0.5], LEVEL_95, UNIT)).toEqual({ n: 3, mean: 0.5, sd: 0, lo: 0.5, hi: 0.5 });
    expect(meanInterval([0, 0, 0], LEVEL_95, { lo: 0, hi: Infinity })).toEqual({ n: 3, mean: 0, sd: 0, lo: 0, hi: 0 });
  });
  it("covers a mean just inside the bound that most samples never show (95% ± 1.5 points over 4000 draws)", () => {
    // accuracy 1 with probability 0.95, else uniform on [0.95, 1): μ = 0.99875; P(all 10 at 1) = 0.60,
    // so the point would cover at most 40% of the time
    let state = 7;
    const uniform = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const mu = 0.95 + 0.05 * 0.975;
    let covered = 0;
    for (let draw = 0; draw < 4000; draw++) {
      const values = Array.from({ length: 10 }, () => (uniform() < 0.95 ? 1 : 1 - 0.05 * uniform()));
      const ci = meanInterval(values, LEVEL_95, UNIT);
      if (ci.lo <= mu && mu <= ci.hi) covered++;
    }
    expect(covered / 4000).toBeGreaterThan(0.935);
    expect(covered / 4000).toBeLessThan(0.975);
  });
});

describe("differences and restricted means stay inside their ranges", () => {
  it("paired and Welch differences of accuracies within [−1, 1]", () => {
    const d = pairedDifference([-1, -1, -1, -0.1], LEVEL_95, differenceRange(UNIT))!;
    expect(pairedDifference([-1, -1, -1, -0.1])!.lo).toBeLessThan(-1);
    expect(d.lo).toBe(-1);
    const w = welchDifference({ n: 3, mean: 0.95, sd: 0.08 }, { n: 3, mean: 0.05, sd: 0.08 }, LEVEL_95, differenceRange(UNIT))!;
    expect(welchDifference({ n: 3, mean: 0.95, sd: 0.08 }, { n: 3, mean: 0.05, sd: 0.08 })!.lo).toBeLessThan(-1);
    expect(w.lo).toBe(-1);
  });
  it("restricted mean within [0, τ] and its difference within [−τ, τ]", () => {
    // 9 of 10 censored at τ = 1000: μ = 901 ± 2.262·99 reached past τ
    const r = restrictedMean(timesToEvent([10, ...Array(9).fill(null)], 1000), 1000);
    expect(r.rmst).toBe(901);
    expect(r.hi).toBe(1000);
    expect(r.lo).toBeCloseTo(901 - studentTQuantile(0.975, 9) * 99, 9);
    const units = (xs: (number | null)[]) => xs.map((t, unit) => ({ unit, time: t === null ? { time: 100, observed: false } : { time: t, observed: true } }));
    const d = restrictedMeanDifference(units([1, 1, 1, 2]), units([null, null, null, 1]), 100)!;
    expect(d.diff).toBe(74);
    expect(d.hi).toBe(100);
  });
});
