// src/analysis/statistics/ against hand-computed values and SciPy (where python3 has it; those
// cases skip cleanly otherwise).
import { describe, expect, it } from "vitest";
import { binomialCdf, chisquareCdf, hypergeometricPmf, normalQuantile, studentTCdf, studentTQuantile } from "../../../src/analysis/statistics/distributions.js";
import {
  binomialCoefficient,
  fisherExactTest,
  holmAdjust,
  kaplanMeier,
  kaplanMeierMedian,
  logRankScore,
  logRankTest,
  meanInterval,
  median,
  medianInterpolatedInterval,
  medianOrderStatisticInterval,
  percentileBand,
  normalQuantileTwoSided,
  poolTimes,
  quantileSortedType7,
  restrictedMean,
  restrictedMeanDifference,
  satterthwaiteInterval,
  signFlipPermutationTest,
  signTest,
  signTestGreater,
  subsetPermutationTest,
  survivalInterval,
  timesToEvent,
  pairedDifference,
  welchDifference,
  wilsonInterval,
} from "../../../src/analysis/statistics/index.js";
import { scipyBatch } from "../../support/scipyReference.js";

// Inputs of the SciPy references, computed in one python3 process before the tests (see scipyReference.ts).
const SIGN_CASES = [[7, 1], [12, 3], [40, 55], [0, 9]];
const T_A = [0.12, 0.5, 0.33, 0.91, 0.27, 0.64, 0.05, 0.44];
const T_B = [0.8, 1.4, 0.95, 0.61, 1.9, 1.02, 0.77, 1.3, 0.99, 1.15, 0.58];
const FISHER_CASES = [[1, 8, 6, 8], [3, 10, 9, 12], [7, 7, 2, 9], [0, 20, 1, 20], [12, 40, 25, 40]];
const KM_DATA = timesToEvent([130, 95, null, 300, 150, 80, 210, 175, 133, null, 260, 141, 150, 99], 400);
const RMST_DATA = timesToEvent([130, 95, null, 300, 150, 80, 210, null, 133, 99], 400);
const LR_A = timesToEvent([130, 95, null, 300, 150, 80, 210, 175, 133, null], 400);
const LR_B = timesToEvent([230, 195, null, 330, 250, null, 310, 275, 233, 99, null], 400);
const REFERENCE = scipyBatch({
  sign: {
    code: "out = [[stats.binomtest(min(u, d), u + d).pvalue, stats.binomtest(u, u + d, alternative='greater').pvalue] for u, d in data]",
    data: SIGN_CASES,
  },
  studentT: {
    code: `a, b = np.array(data[0]), np.array(data[1])
lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
r = stats.ttest_ind(b, a, equal_var=False)
ci = r.confidence_interval(0.95)
out = dict(lo=lo, hi=hi, p=r.pvalue, wlo=ci.low, whi=ci.high)`,
    data: [T_A, T_B],
  },
  fisher: {
    code: "out = [stats.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue for ka, na, kb, nb in data]",
    data: FISHER_CASES,
  },
  kaplanMeier: {
    code: `t = np.array([d['time'] for d in data], float); e = np.array([d['observed'] for d in data])
res = stats.ecdf(stats.CensoredData(uncensored=t[e], right=t[~e])).sf
ci = res.confidence_interval(0.95, method='log-log')
q = np.unique(t[e])
out = dict(t=q.tolist(), s=res.evaluate(q).tolist(), lo=ci.low.evaluate(q).tolist(), hi=ci.high.evaluate(q).tolist())`,
    data: KM_DATA,
  },
  rmst: {
    code: `t = np.array([d['time'] for d in data], float); e = np.array([d['observed'] for d in data])
sf = stats.ecdf(stats.CensoredData(uncensored=t[e], right=t[~e])).sf
grid = np.arange(0, 400)
out = float(sf.evaluate(grid).sum())`,
    data: RMST_DATA,
  },
  logRank: {
    code: `def cd(g):
    t = np.array([d['time'] for d in g], float); e = np.array([d['observed'] for d in g])
    return stats.CensoredData(uncensored=t[e], right=t[~e])
r = stats.logrank(cd(data[1]), cd(data[0]))
out = dict(z=r.statistic, p=r.pvalue)`,
    data: [LR_A, LR_B],
  },
});
const hasScipy = REFERENCE !== null;
const reference = <T>(name: string): T => REFERENCE![name] as T;

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("quantiles", () => {
  it("type 7, never NaN from infinities", () => {
    expect(quantileSortedType7([1, 3], 0.5)).toBe(2); // 1 + 0.5·(3 − 1)
    expect(quantileSortedType7([1, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSortedType7([Infinity, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSortedType7([-Infinity, 4], 0.5)).toBe(-Infinity);
    expect(quantileSortedType7([1, 2, Infinity], 0.5)).toBe(2);
    expect(quantileSortedType7([-Infinity, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSortedType7([], 0.5)).toBeNaN();
    expect(() => quantileSortedType7([1], 1.5)).toThrow(RangeError);
  });
  it("median does not modify its input; even counts average the middle two", () => {
    const xs = [3, 1, 2, 10];
    expect(median(xs)).toBe(2.5);
    expect(xs).toEqual([3, 1, 2, 10]);
    expect(median([1, 2, 3, Infinity])).toBe(2.5);
    expect(median([1, Infinity])).toBe(Infinity);
  });
  it("percentileBand matches numpy's linear quantiles", () => {
    expect(percentileBand(range(0, 10))).toEqual({ median: 5, p10: 1, p90: 9 });
    // np.quantile([1, 2, 4, 8], [0.1, 0.5, 0.9]) = [1.3, 3.0, 6.8]
    const band = percentileBand([8, 1, 4, 2]);
    expect(band.p10).toBeCloseTo(1.3, 12);
    expect(band.median).toBe(3);
    expect(band.p90).toBeCloseTo(6.8, 12);
    expect(() => percentileBand([1, NaN])).toThrow(RangeError);
  });
});

describe("wilsonInterval", () => {
  it("k=8, n=10 by hand", () => {
    // p̂ = 0.8, z²/n = 0.3841459, center = 0.9920729/1.3841459 = 0.7167401, half = 0.2265777
    // (scipy.stats.binomtest(8, 10).proportion_ci(0.95, "wilson") = [0.4901625, 0.9433178])
    const { lo, hi } = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4901625, 7);
    expect(hi).toBeCloseTo(0.9433178, 7);
  });
  it("boundaries: k = 0 → [0, z²/(n+z²)], k = n → [n/(n+z²), 1], n = 0 → [0, 1]", () => {
    expect(wilsonInterval(0, 10)).toEqual({ lo: 0, hi: expect.closeTo(0.277533, 6) });
    expect(wilsonInterval(10, 10)).toEqual({ lo: expect.closeTo(0.722467, 6), hi: 1 });
    expect(wilsonInterval(0, 0)).toEqual({ lo: 0, hi: 1 });
  });
  it("rejects k outside [0, n] and non-integers", () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });
});

describe("sign test and the order-statistic CI of a median", () => {
  it("exact binomial tails", () => {
    expect(signTest(7, 1)).toBeCloseTo(18 / 256, 14); // 2·(1 + 8)/2⁸
    expect(signTest(4, 0)).toBeCloseTo(0.125, 14); // 2·(1/2)⁴
    expect(signTest(3, 3)).toBe(1);
    expect(signTest(0, 0)).toBe(1);
    expect(signTestGreater(7, 1)).toBeCloseTo(9 / 256, 14);
    expect(signTestGreater(0, 5)).toBe(1);
    expect(signTestGreater(0, 0)).toBe(1);
  });
  it("picks the largest k with P(X < k) ≤ 2.5%", () => {
    // n = 10: P(X ≤ 1) = 11/1024 ≤ 0.025 < P(X ≤ 2) = 56/1024 → k = 2: [x₍₂₎, x₍₉₎]
    expect(medianOrderStatisticInterval(range(1, 10))).toEqual({ lo: 2, hi: 9 });
    // n = 20: P(X ≤ 5) = 0.0207 ≤ 0.025 < P(X ≤ 6) = 0.0577 → k = 6: [x₍₆₎, x₍₁₅₎]
    expect(medianOrderStatisticInterval(range(1, 20).reverse())).toEqual({ lo: 6, hi: 15 });
    // n = 5: P(X ≤ 0) = 1/32 > 0.025 → no k: unbounded
    expect(medianOrderStatisticInterval([1, 2, 3, 4, 5])).toEqual({ lo: -Infinity, hi: Infinity });
    expect(medianOrderStatisticInterval([1, 2, 3, 4, 5, 6, Infinity, Infinity]).hi).toBe(Infinity);
    expect(medianOrderStatisticInterval([]).lo).toBeNaN();
  });
  it("Hettmansperger–Sheather interpolates towards the inner order statistics", () => {
    // n = 10: γ₂ = 1 − 2·11/1024 = 0.978516, γ₃ = 1 − 2·56/1024 = 0.890625, I = 0.028516/0.087891 = 0.324444,
    // λ = 8·I/(2 + 6·I) = 0.657658: lo = 0.342342·2 + 0.657658·3, hi = 0.342342·9 + 0.657658·8
    const ci = medianInterpolatedInterval(range(1, 10));
    expect(ci.lo).toBeCloseTo(2.6576577, 6);
    expect(ci.hi).toBeCloseTo(8.3423423, 6);
    // an infinite neighbour keeps the outer bound; too few values: unbounded
    expect(medianInterpolatedInterval([1, 2, 3, 4, 5, 6, 7, 8, Infinity, Infinity]).hi).toBe(Infinity);
    expect(medianInterpolatedInterval([-Infinity, -Infinity, 3, 4, 5, 6, 7, 8, 9, 10]).lo).toBe(-Infinity);
    expect(medianInterpolatedInterval([1, 2, 3])).toEqual({ lo: -Infinity, hi: Infinity });
    expect(medianInterpolatedInterval([]).lo).toBeNaN();
  });
  it.skipIf(!hasScipy)("sign tests agree with scipy.stats.binomtest", () => {
    const cases = SIGN_CASES;
    const ref = reference<number[][]>("sign");
    cases.forEach(([u, d], i) => {
      expect(signTest(u, d)).toBeCloseTo(ref[i][0], 12);
      expect(signTestGreater(u, d)).toBeCloseTo(ref[i][1], 12);
    });
  });
});

describe("Student t", () => {
  it("meanInterval by hand: [1, 2, 3, 4]", () => {
    // x̄ = 2.5, s = √(5/3) = 1.2909944, t_{0.975, 3} = 3.1824463, half = 3.1824463·1.2909944/2 = 2.0542603
    const ci = meanInterval([1, 2, 3, 4]);
    expect(ci.mean).toBe(2.5);
    expect(ci.sd).toBeCloseTo(1.2909944, 7);
    expect(ci.lo).toBeCloseTo(0.4457397, 6);
    expect(ci.hi).toBeCloseTo(4.5542603, 6);
  });
  it("n = 0, n = 1 and non-finite input", () => {
    expect(meanInterval([]).mean).toBeNaN();
    expect(meanInterval([3])).toEqual({ n: 1, mean: 3, sd: 0, lo: NaN, hi: NaN });
    expect(() => meanInterval([1, Infinity])).toThrow(RangeError);
  });
  it("Welch by hand: equal variances and sizes give ν = 2(n − 1)", () => {
    // a = 1…5, b = 3…7: diff 2, se² = 2.5/5 + 2.5/5 = 1, ν = 1/(0.25/4 + 0.25/4) = 8, t_{0.975,8} = 2.3060041
    const d = welchDifference({ n: 5, mean: 3, sd: Math.sqrt(2.5) }, { n: 5, mean: 5, sd: Math.sqrt(2.5) })!;
    expect(d.diff).toBe(2);
    expect(d.lo).toBeCloseTo(2 - 2.3060041, 6);
    expect(d.hi).toBeCloseTo(2 + 2.3060041, 6);
    expect(d.pValue).toBeCloseTo(0.0805, 4); // 2·P(T₈ > 2)
    expect(welchDifference({ n: 1, mean: 1, sd: 0 }, { n: 5, mean: 1, sd: 1 })).toBeNull();
    expect(welchDifference({ n: 3, mean: 1, sd: 0 }, { n: 3, mean: 1, sd: 0 })).toEqual({ diff: 0, lo: 0, hi: 0, pValue: 1 });
    expect(satterthwaiteInterval(2, [{ variance: 0, df: 3 }])).toEqual({ diff: 2, lo: 2, hi: 2, pValue: 0 });
  });
  it("pairedDifference: the Student t of the per-unit differences", () => {
    // d = 5, 20, 0, 30: mean 13.75, s = 13.7689, half = t_{0.975,3}·s/2 = 21.9094
    // (scipy.stats.ttest_1samp([5, 20, 0, 30], 0): p = 0.1396977, CI [-8.1594344, 35.6594344])
    const d = pairedDifference([5, 20, 0, 30])!;
    expect(d.diff).toBe(13.75);
    expect(d.lo).toBeCloseTo(-8.1594344, 6);
    expect(d.hi).toBeCloseTo(35.6594344, 6);
    expect(d.pValue).toBeCloseTo(0.1396977, 6);
    expect(pairedDifference([2])).toBeNull();
    expect(pairedDifference([3, 3])).toEqual({ diff: 3, lo: 3, hi: 3, pValue: 0 });
  });
  it.skipIf(!hasScipy)("agrees with scipy.stats.t and ttest_ind(equal_var=False)", () => {
    const [a, b] = [T_A, T_B];
    const ref = reference<{ lo: number; hi: number; p: number; wlo: number; whi: number }>("studentT");
    const ci = meanInterval(a);
    expect(ci.lo).toBeCloseTo(ref.lo, 10);
    expect(ci.hi).toBeCloseTo(ref.hi, 10);
    const mb = meanInterval(b);
    const d = welchDifference(ci, mb)!;
    expect(d.pValue).toBeCloseTo(ref.p, 10);
    expect(d.lo).toBeCloseTo(ref.wlo, 10);
    expect(d.hi).toBeCloseTo(ref.whi, 10);
  });
});

describe("Fisher's exact test", () => {
  it("by hand: 0/10 vs 10/10 is 2/C(20, 10)", () => {
    expect(fisherExactTest(0, 10, 10, 10)).toBeCloseTo(2 / 184756, 15);
    expect(fisherExactTest(5, 10, 5, 10)).toBeCloseTo(1, 12);
    expect(fisherExactTest(0, 0, 3, 5)).toBe(1);
    expect(() => fisherExactTest(4, 3, 1, 2)).toThrow(RangeError);
  });
  it.skipIf(!hasScipy)("agrees with scipy.stats.fisher_exact", () => {
    const cases = FISHER_CASES;
    const ref = reference<number[]>("fisher");
    cases.forEach(([ka, na, kb, nb], i) => expect(fisherExactTest(ka, na, kb, nb)).toBeCloseTo(ref[i], 12));
  });
});

describe("holmAdjust", () => {
  it("by hand, with nulls left out of the family", () => {
    // sorted 0.01, 0.03, 0.04: 3·0.01 = 0.03, 2·0.03 = 0.06, max(0.06, 1·0.04) = 0.06
    const adjusted = holmAdjust([0.01, 0.04, null, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 15);
    expect(adjusted[1]).toBeCloseTo(0.06, 15);
    expect(adjusted[2]).toBeNull();
    expect(adjusted[3]).toBeCloseTo(0.06, 15);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});

describe("Kaplan–Meier", () => {
  it("the curve and Greenwood's sum by hand", () => {
    // times 1, 2+, 3 (+ = censored): n = 3, d = 1 at 1 → Ŝ = 2/3, g = 1/(3·2); at 3: n = 1, d = 1 → Ŝ = 0
    const data = [{ time: 1, observed: true }, { time: 2, observed: false }, { time: 3, observed: true }];
    const curve = kaplanMeier(data);
    expect(curve).toHaveLength(2);
    expect(curve[0]).toMatchObject({ time: 1, atRisk: 3, events: 1 });
    expect(curve[0].survival).toBeCloseTo(2 / 3, 15);
    expect(curve[0].greenwood).toBeCloseTo(1 / 6, 15);
    expect(curve[1]).toMatchObject({ time: 3, atRisk: 1, events: 1, survival: 0, greenwood: Infinity });
  });
  it("censoring at a tie comes after the events", () => {
    // 5, 5+, 5+, 7: at 5, n = 4 and d = 1 → Ŝ = 3/4; at 7, n = 1 → Ŝ = 0
    const curve = kaplanMeier([{ time: 5, observed: true }, { time: 5, observed: false }, { time: 5, observed: false }, { time: 7, observed: true }]);
    expect(curve.map((p) => [p.time, p.atRisk, p.survival])).toEqual([[5, 4, 0.75], [7, 1, 0]]);
  });
  it("timesToEvent censors never-reached events at the horizon", () => {
    expect(timesToEvent([120, null], 1000)).toEqual([{ time: 120, observed: true }, { time: 1000, observed: false }]);
  });
  it("survivalInterval: loglog by hand, and the edges", () => {
    // Ŝ = 0.5, g = 0.05: spread = 1.959964·√0.05/ln 0.5 = −0.632243; lo = 0.5^e^{0.632243} = 0.5^1.881827 = 0.271…
    const band = survivalInterval({ survival: 0.5, greenwood: 0.05 }, 1.959963984540054, "loglog");
    const spread = (1.959963984540054 * Math.sqrt(0.05)) / Math.log(0.5);
    expect(band.lo).toBeCloseTo(Math.pow(0.5, Math.exp(-spread)), 14);
    expect(band.hi).toBeCloseTo(Math.pow(0.5, Math.exp(spread)), 14);
    expect(band.lo).toBeLessThan(0.5);
    expect(band.hi).toBeGreaterThan(0.5);
    expect(survivalInterval({ survival: 0, greenwood: Infinity }, 1.96, "loglog")).toEqual({ lo: NaN, hi: NaN }); // R: NA
    expect(survivalInterval({ survival: 1, greenwood: 0 }, 1.96, "plain")).toEqual({ lo: 1, hi: 1 });
    expect(survivalInterval({ survival: 0.5, greenwood: 0.05 }, 1.96, "plain").lo).toBeCloseTo(0.5 - 1.96 * 0.5 * Math.sqrt(0.05), 14);
    expect(survivalInterval({ survival: 0.9, greenwood: 0.05 }, 1.96, "log").hi).toBe(1);
  });
  it("median CI from log bands by hand: 1 … 10, all reached", () => {
    // Ŝ(t) = 1 − t/10, g(t) = Σ_{j ≤ t} 1/((11 − j)(10 − j)) = t/(10(10 − t)). Ŝ = 1/2 on [5, 6): the median is the
    // plateau's midpoint 5.5. L(t) = Ŝ·e^{−1.96√g} ≤ 1/2 first at t = 3 (L(2) = 0.8·e^{−1.96·√(1/40)} = 0.587,
    // L(3) = 0.7·e^{−1.96·√(3/70)} = 0.467); U(t) = Ŝ·e^{1.96√g} stays above 1/2 through t = 9
    // (U(9) = 0.1·e^{1.96·√0.9} = 0.642) and is undefined at t = 10, where Ŝ = 0: hi = ∞ (R prints NA)
    expect(kaplanMeierMedian(timesToEvent(range(1, 10), 20))).toEqual({ median: 5.5, lo: 3, hi: Infinity });
  });
  it("median: where Ŝ falls to 1/2 (a plateau at 1/2: its midpoint); ∞ when fewer than half reach it", () => {
    expect(kaplanMeierMedian(timesToEvent(range(1, 10), 20)).median).toBe(5.5); // Ŝ = 0.5 on [5, 6)
    expect(kaplanMeierMedian(timesToEvent(range(1, 9), 20)).median).toBe(5); // Ŝ(5) = 4/9 < 0.5
    const censored = kaplanMeierMedian(timesToEvent([10, 20, null, null, null], 100));
    // Ŝ = 0.8, 0.6; L(10) = 0.8·e^{−1.96·√(1/20)} = 0.516 > 1/2, L(20) = 0.6·e^{−1.96·√(1/20 + 1/12)} = 0.293
    expect(censored).toEqual({ median: Infinity, lo: 20, hi: Infinity });
    expect(kaplanMeierMedian([]).median).toBeNaN();
  });
  it.skipIf(!hasScipy)("curve, bands and median CI agree with scipy.stats.ecdf (log-log)", () => {
    const data = KM_DATA;
    const ref = reference<{ t: number[]; s: number[]; lo: number[]; hi: number[] }>("kaplanMeier");
    const curve = kaplanMeier(data);
    expect(curve.map((p) => p.time)).toEqual(ref.t);
    curve.forEach((p, i) => {
      expect(p.survival).toBeCloseTo(ref.s[i], 12);
      const band = survivalInterval(p, 1.959963984540054, "loglog");
      if (p.survival > 0) {
        expect(band.lo).toBeCloseTo(ref.lo[i], 10);
        expect(band.hi).toBeCloseTo(ref.hi[i], 10);
      }
    });
    // The median CI is read off the bands: the first time each crosses 1/2.
    const first = (xs: number[]) => { const i = xs.findIndex((x) => x <= 0.5); return i < 0 ? Infinity : ref.t[i]; };
    expect(kaplanMeierMedian(data, { transform: "loglog" })).toEqual({ median: first(ref.s), lo: first(ref.lo), hi: first(ref.hi) });
  });
});

describe("restrictedMean", () => {
  it("by hand: 2, 4, 10+ with τ = 10 is the mean of min(T, τ) with the Student t CI", () => {
    // RMST = 1·2 + (2/3)·2 + (1/3)·6 = 16/3; Var = 1.5·(A₄²·1/(2·1) + A₂²·1/(3·2)) with A₄ = 2, A₂ = 10/3
    // = 1.5·(2 + 100/54) = 5.7778 = s²/n of (2, 4, 10)
    const r = restrictedMean(timesToEvent([2, 4, null], 10), 10);
    expect(r.rmst).toBeCloseTo(16 / 3, 12);
    expect(r.variance).toBeCloseTo(1.5 * (2 + 100 / 54), 12);
    const t = meanInterval([2, 4, 10]); // [−4.99, 15.66], kept within [0, τ]
    expect(r.lo).toBe(0);
    expect(r.hi).toBe(10);
    expect(t.lo).toBeLessThan(0);
    expect(t.hi).toBeGreaterThan(10);
    const moreRuns = restrictedMean(timesToEvent([2, 4, 5, 3, 6, null], 10), 10); // inside [0, τ]: the t CI itself
    expect(moreRuns.lo).toBeCloseTo(meanInterval([2, 4, 5, 3, 6, 10]).lo, 10);
    expect(moreRuns.hi).toBeCloseTo(meanInterval([2, 4, 5, 3, 6, 10]).hi, 10);
  });
  it("all censored: τ exactly; one run: no interval; empty: NaN", () => {
    expect(restrictedMean(timesToEvent([null, null], 50), 50)).toMatchObject({ rmst: 50, variance: 0, lo: 50, hi: 50 });
    expect(restrictedMean(timesToEvent([7], 50), 50)).toMatchObject({ rmst: 7, lo: NaN });
    expect(restrictedMean([], 50).rmst).toBeNaN();
  });
  it.skipIf(!hasScipy)("the area agrees with integrating scipy's Kaplan–Meier curve", () => {
    const data = RMST_DATA;
    const ref = reference<number>("rmst");
    expect(restrictedMean(data, 400).rmst).toBeCloseTo(ref, 9); // integer event times: the step sum is exact
  });
});

describe("distributions (@stdlib, loaded on first use), against scipy.stats", () => {
  it("t, normal, binomial, χ² and hypergeometric", () => {
    expect(studentTCdf(-2.776, 4)).toBeCloseTo(0.02501138915998821, 12); // t.cdf(-2.776, 4)
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764451051977934, 10); // t.ppf(0.975, 4)
    expect(normalQuantile(0.975, 0, 1)).toBeCloseTo(1.959963984540054, 12); // norm.ppf(0.975)
    expect(binomialCdf(1, 10, 0.5)).toBeCloseTo(0.0107421875, 14); // binom.cdf(1, 10, 0.5) = 11/1024
    expect(chisquareCdf(3.841, 1)).toBeCloseTo(0.9499863162360432, 12); // chi2.cdf(3.841, 1)
    expect(hypergeometricPmf(4, 8, 6, 4)).toBeCloseTo(15 / 70, 14); // hypergeom.pmf(4, 8, 6, 4)
  });
});

describe("restrictedMeanDifference", () => {
  const times = (steps: number[]) => steps.map((time, unit) => ({ unit, time: { time, observed: true } }));
  it("is the paired t of the per-unit differences when both sides hold the same units", () => {
    // differences 5, 15: scipy.stats.ttest_1samp([5, 20], 0) for 30 → 35 and 40 → 60
    expect(restrictedMeanDifference(times([30, 40]), times([35, 60]), 1000)).toMatchObject({
      paired: true,
      diff: 12.5,
      lo: expect.closeTo(-82.7965355213102, 9),
      hi: expect.closeTo(107.7965355213102, 9),
      pValue: expect.closeTo(0.34404173924526144, 9),
    });
  });
  it("is Welch–Satterthwaite from the two restricted means on different units", () => {
    const other = times([35, 60]).map((x) => ({ ...x, unit: x.unit + 10 }));
    const a = restrictedMean(times([30, 40]).map((x) => x.time), 1000);
    const b = restrictedMean(other.map((x) => x.time), 1000);
    const expected = satterthwaiteInterval(b.rmst - a.rmst, [{ variance: a.variance, df: a.df }, { variance: b.variance, df: b.df }]);
    expect(restrictedMeanDifference(times([30, 40]), other, 1000)).toEqual({ ...expected, paired: false });
    expect(restrictedMeanDifference(times([30]), times([35, 60]).map((x) => ({ ...x, unit: 5 + x.unit })), 1000)).toBeNull();
  });
});

describe("normal quantile", () => {
  it("two-sided 95%: 1.959964 (scipy.stats.norm.ppf(0.975)); refuses a level outside (0, 1)", () => {
    expect(normalQuantileTwoSided(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(() => normalQuantileTwoSided(1)).toThrow(RangeError);
  });
});

describe("log-rank", () => {
  it("pools times in ascending order, remembering where each came from", () => {
    const pooled = poolTimes([{ time: 9, observed: true }, { time: 4, observed: false }]);
    expect([...pooled.time]).toEqual([4, 9]);
    expect([...pooled.observed]).toEqual([0, 1]);
    expect([...pooled.origin]).toEqual([1, 0]);
  });
  it("the score by hand", () => {
    // times 1 (label 1), 2 (label 0): at 1, n = 2, n₁ = 1, d = 1 → U = 1 − 1/2, V = 1·½·½·1/1
    expect(logRankScore(poolTimes([{ time: 1, observed: true }, { time: 2, observed: true }]), Uint8Array.of(1, 0))).toEqual({ u: 0.5, v: 0.25 });
  });
  it("0/10 vs 10/10 reached: an exact permutation p near 1e-5, not 0.37", () => {
    const none = timesToEvent(Array(10).fill(null), 1000);
    const all = timesToEvent(range(101, 110), 1000);
    const test = logRankTest(none, all, 7);
    expect(test.z).toBeGreaterThan(0); // b's events come earlier
    expect(test.exact).toBe(false); // C(20, 10) = 184756 > 20 000: seeded Monte Carlo
    expect(test.pValue).toBe(1 / 10000); // no relabelling is as extreme: (1 + 0)/(1 + 9999)
    expect(logRankTest(none, all, 7)).toEqual(test); // reproducible
    expect(logRankTest([], all, 7).pValue).toBeNaN();
  });
  it("an exact test when the relabelings are few", () => {
    // 3 vs 3, completely separated: the observed split and its mirror are the two most extreme of C(6, 3) = 20
    const test = logRankTest(timesToEvent([1, 2, 3], 10), timesToEvent([4, 5, 6], 10), 1);
    expect(test.exact).toBe(true);
    expect(test.pValue).toBeCloseTo(2 / 20, 14);
    const tied = logRankTest(timesToEvent([5, 5], 10), timesToEvent([5, 5], 10), 1);
    expect(tied.z).toBe(0);
    expect(tied.pValue).toBe(1);
  });
  it.skipIf(!hasScipy)("Z and the asymptotic p agree with scipy.stats.logrank", () => {
    const [a, b] = [LR_A, LR_B];
    const ref = reference<{ z: number; p: number }>("logRank");
    const test = logRankTest(a, b, 3);
    // scipy's statistic is (O − E)/√V of its first sample, as ours of b: b's events come later, so < 0
    expect(test.z).toBeLessThan(0);
    expect(test.z).toBeCloseTo(ref.z, 10);
    expect(test.pAsymptotic).toBeCloseTo(ref.p, 10);
  });
});

describe("relabelings", () => {
  it("binomial coefficients", () => {
    expect(binomialCoefficient(16, 8)).toBe(12870);
    expect(binomialCoefficient(20, 10)).toBe(184756);
    expect(binomialCoefficient(5, 7)).toBe(0);
  });
  it("exact subset and sign-flip tests count the observed labelling", () => {
    expect(subsetPermutationTest(Uint8Array.of(1, 1, 0, 0), (l) => l[0] + l[1], 1)).toEqual({ pValue: 1 / 6, relabelings: 6, exact: true, atFloor: false });
    expect(signFlipPermutationTest(3, (f) => 3 - f[0] - f[1] - f[2], 1)).toEqual({ pValue: 1 / 8, relabelings: 8, exact: true, atFloor: false });
  });
  it("random relabelings are seeded", () => {
    const stat = (f: Uint8Array) => f.reduce((s, x, i) => s + x * (i % 3), 0);
    const a = signFlipPermutationTest(20, stat, 11);
    expect(a.exact).toBe(false);
    expect(signFlipPermutationTest(20, stat, 11)).toEqual(a);
  });
});
