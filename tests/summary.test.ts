// The summary statistics added for the paper's claims, on hand-made run records whose values are
// computed by hand: event order, the paired rate gap, metrics at checkpoint steps and their change
// since step 0, seed-paired comparisons with the sign test, Welch differences, and grid variants.
import { describe, expect, it } from "vitest";
import {
  bootstrapIndices,
  meanWithSharedBootstrap,
  pairedComparison,
  signTestPValue,
  summarizeStudy,
  summaryValue,
  welchDifference,
  type ValueSummary,
} from "../src/analysis/summary.js";
import { resolveParams } from "../src/config/modelKeys.js";
import { conditionParams, isCheckpointStep, isEvaluatedStep } from "../src/config/studyConfig.js";
import { DEFAULT_EVENTS } from "../src/kernel/events.js";
import { SCALAR_METRICS, type Metrics, type TrajectoryPoint } from "../src/kernel/metricNames.js";
import type { RunRecord } from "../src/store/runRecord.js";

/** A trajectory point where every metric is `fill` except those given. */
function point(step: number, values: Partial<Record<string, number>> = {}, fill = 0.5): TrajectoryPoint {
  const metrics = Object.fromEntries(SCALAR_METRICS.map((m) => [m, values[m] ?? fill])) as Record<string, number>;
  return { step, ...(metrics as Omit<Metrics, "acc">), acc: [1, 1, 1, 1] };
}

function record(opts: {
  condition?: Record<string, unknown>;
  seed: number;
  events?: Record<string, number | null>;
  rates?: { spuriousRate: number | null; signalRate: number | null };
  trajectory?: TrajectoryPoint[];
}): RunRecord {
  const trajectory = opts.trajectory ?? [point(0), point(100)];
  const { step: _step, ...final } = trajectory[trajectory.length - 1];
  const condition = opts.condition ?? { lambda: 1 };
  return {
    condition,
    params: resolveParams({ d: 16, width: 16, steps: 100, seed: opts.seed, ...(conditionParams(condition) as object) }),
    seed: opts.seed,
    events: opts.events ?? { spurious: 10, signal: null },
    rates: opts.rates ?? { spuriousRate: 0.1, signalRate: 0.03 },
    final,
    trajectory,
    diverged: null,
    wallMs: 1,
    engine: { threads: 1, shards: 1, kernel: "bits", version: "0.1.0" },
  };
}

function summarize(records: RunRecord[], grid: Record<string, unknown[]> = { lambda: [1] }) {
  const conditions = Object.entries(grid).reduce<Record<string, unknown>[]>(
    (acc, [key, values]) => acc.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))),
    [{}],
  );
  return summarizeStudy({ name: "t", configHash: "h", events: { ...DEFAULT_EVENTS }, grid, conditions, records });
}

describe("checkpoint steps", () => {
  it("are 0 and the 1-2-5 series", () => {
    for (const step of [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]) expect(isCheckpointStep(step)).toBe(true);
    for (const step of [3, 4, 15, 25, 150, 250, 400, 800, 1500, -1, 2.5, NaN]) expect(isCheckpointStep(step)).toBe(false);
  });

  it("a step is evaluated at 0, every evalEvery, and at the last step", () => {
    const params = { steps: 1500, evalEvery: 25 };
    for (const step of [0, 25, 100, 1000, 1500]) expect(isEvaluatedStep(params, step)).toBe(true);
    for (const step of [10, 1510, 2000]) expect(isEvaluatedStep(params, step)).toBe(false);
  });
});

describe("order of events", () => {
  // spurious/signal: 10/100 before; 50/40 after; 30/30 tie (not before); 20/— only spurious;
  // —/30 only signal; —/— neither.
  const records = [
    record({ seed: 0, events: { spurious: 10, signal: 100 } }),
    record({ seed: 1, events: { spurious: 50, signal: 40 } }),
    record({ seed: 2, events: { spurious: 30, signal: 30 } }),
    record({ seed: 3, events: { spurious: 20, signal: null } }),
    record({ seed: 4, events: { spurious: null, signal: 30 } }),
    record({ seed: 5, events: { spurious: null, signal: null } }),
  ];
  const condition = summarize(records).conditions[0];

  it("counts runs with both events and those where the first came strictly earlier, with a Wilson CI", () => {
    const o = condition.order.spurious.signal;
    expect(o).toMatchObject({ n: 6, both: 3, before: 1, onlyFirst: 1, onlySecond: 1, neither: 1 });
    expect(o.fraction).toBeCloseTo(1 / 3, 12);
    // Wilson 95% for 1 of 3: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)
    expect(o.lo).toBeCloseTo(0.06149194472039621, 12);
    expect(o.hi).toBeCloseTo(0.7923403991979522, 12);
    const reverse = condition.order.signal.spurious;
    expect(reverse).toMatchObject({ n: 6, both: 3, before: 1, onlyFirst: 1, onlySecond: 1, neither: 1 });
  });

  it("is read by order.<first>.<second>.<field> paths", () => {
    expect(summaryValue(condition, "order.spurious.signal.both")).toBe(3);
    expect(summaryValue(condition, "order.signal.spurious.onlyFirst")).toBe(1);
  });

  it("has no fraction (and the CI [0, 1]) when no run reached both", () => {
    const none = summarize([record({ seed: 0, events: { spurious: 10, signal: null } })]).conditions[0].order.spurious.signal;
    expect(none).toMatchObject({ both: 0, before: 0, fraction: null, lo: 0, hi: 1, onlyFirst: 1 });
  });
});

describe("rateGap", () => {
  it("is spuriousRate − signalRate of each run that has both", () => {
    const records = [
      record({ seed: 0, rates: { spuriousRate: 0.1, signalRate: 0.03 } }),
      record({ seed: 1, rates: { spuriousRate: 0.2, signalRate: 0.05 } }),
      record({ seed: 2, rates: { spuriousRate: 0.15, signalRate: null } }),
    ];
    const gap = summarize(records).conditions[0].rates.rateGap;
    // gaps 0.07 and 0.15: mean 0.11, sd √((0.04² + 0.04²)/1)
    expect(gap.n).toBe(2);
    expect(gap.mean).toBeCloseTo(0.11, 12);
    expect(gap.sd).toBeCloseTo(0.05656854249492379, 12);
    expect(gap.lo!).toBeGreaterThanOrEqual(0.07 - 1e-12);
    expect(gap.hi!).toBeLessThanOrEqual(0.15 + 1e-12);
    expect(summaryValue(summarize(records).conditions[0], "rates.rateGap.n")).toBe(2);
  });
});

describe("metrics at checkpoints and their change since step 0", () => {
  // Evaluated at 0, 5, 10, 15, 20: checkpoints 0, 5, 10, 20 (15 is not one). signAlign per run:
  // run 0: 0.5 → 0.9 at 10; run 1: 0.4 → 0.8; run 2 diverged after step 10 (no points later).
  const traj = (start: number, at10: number, last = 20) =>
    [0, 5, 10, 15, 20].filter((s) => s <= last).map((s) => point(s, { signAlign: s === 0 ? start : s >= 10 ? at10 : (start + at10) / 2 }));
  const records = [
    record({ seed: 0, trajectory: traj(0.5, 0.9) }),
    record({ seed: 1, trajectory: traj(0.4, 0.8) }),
    record({ seed: 2, trajectory: traj(0.6, 0.6, 10) }),
  ];
  const condition = summarize(records).conditions[0];

  it("keeps only checkpoint steps", () => {
    expect(Object.keys(condition.at)).toEqual(["0", "5", "10", "20"]);
    expect(Object.keys(condition.change)).toEqual(["5", "10", "20"]);
  });

  it("means across the runs that have the step, with sd and a bootstrap CI", () => {
    const at10 = condition.at["10"].signAlign;
    expect(at10.n).toBe(3);
    expect(at10.mean).toBeCloseTo((0.9 + 0.8 + 0.6) / 3, 12);
    expect(at10.lo!).toBeGreaterThanOrEqual(0.6 - 1e-12);
    expect(at10.hi!).toBeLessThanOrEqual(0.9 + 1e-12);
    const at20 = condition.at["20"].signAlign; // the diverged run has no point at 20
    expect(at20.n).toBe(2);
    expect(at20.mean).toBeCloseTo(0.85, 12);
  });

  it("change<step> is the per-run difference from step 0", () => {
    const change10 = condition.change["10"].signAlign;
    // 0.4, 0.4, 0: mean 0.8/3, sd √(((0.4−m)²·2 + m²)/2)
    const m = 0.8 / 3;
    expect(change10.n).toBe(3);
    expect(change10.mean).toBeCloseTo(m, 12);
    expect(change10.sd).toBeCloseTo(Math.sqrt((2 * (0.4 - m) ** 2 + m ** 2) / 2), 12);
    expect(summaryValue(condition, "change10.signAlign.mean")).toBeCloseTo(m, 12);
    expect(summaryValue(condition, "at20.signAlign.n")).toBe(2);
    expect(summaryValue(condition, "at15.signAlign.n")).toBeUndefined();
  });

  it("the shared-draw bootstrap gives the percentile CI of the mean: [0, 1] for the values 0 and 1", () => {
    // Resampled means of {0, 1} are 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4: the 2.5% and
    // 97.5% quantiles of 2000 of them are 0 and 1.
    const summary = meanWithSharedBootstrap([0, 1], bootstrapIndices(2, 7));
    expect(summary).toEqual({ n: 2, mean: 0.5, sd: Math.SQRT1_2, lo: 0, hi: 1 });
    const constant = meanWithSharedBootstrap([3, 3, 3], bootstrapIndices(3, 7));
    expect(constant).toEqual({ n: 3, mean: 3, sd: 0, lo: 3, hi: 3 });
    expect(meanWithSharedBootstrap([], new Int32Array(0))).toEqual({ n: 0, mean: null, sd: null, lo: null, hi: null });
  });

  it("does not depend on the order of the records", () => {
    const shuffled = summarize([records[2], records[0], records[1]]).conditions[0];
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(condition));
  });
});

describe("sign test", () => {
  it("is the two-sided exact binomial test on later vs earlier", () => {
    expect(signTestPValue(0, 0)).toBe(1);
    expect(signTestPValue(1, 1)).toBe(1); // 2·(1 + 2)/4 > 1
    expect(signTestPValue(3, 0)).toBeCloseTo(2 / 8, 14);
    expect(signTestPValue(5, 1)).toBeCloseTo((2 * 7) / 64, 14); // P(X ≤ 1) = (1 + 6)/64
    expect(signTestPValue(1, 5)).toBe(signTestPValue(5, 1));
    expect(signTestPValue(10, 0)).toBeCloseTo(2 / 1024, 14);
    // 2000 pairs: no underflow; 1000 vs 1000 is p = 1, 1100 vs 900 about 8e-6
    expect(signTestPValue(1000, 1000)).toBe(1);
    const p = signTestPValue(1100, 900);
    expect(p).toBeGreaterThan(5e-6);
    expect(p).toBeLessThan(1.2e-5);
  });
});

describe("paired comparison", () => {
  // Seeds 0..4 (seed 5 only in a, seed 6 only in b); from → to steps: 100 → 105 (+5), 110 → 110 (0),
  // 120 → 130 (+10), never → 200 (−∞), 90 → never (+∞). Sorted: −∞, 0, 5, 10, +∞: median 5.
  const a = [100, 110, 120, null, 90, 50].map((signal, seed) => record({ seed, events: { spurious: 1, signal } }));
  const b = [105, 110, 130, 200, null].map((signal, seed) => record({ seed, events: { spurious: 1, signal } }));
  b.push(record({ seed: 6, events: { spurious: 1, signal: 10 } }));
  const paired = pairedComparison(a, b, "signal", "test");

  it("pairs runs by seed and counts later, earlier and tied", () => {
    expect(paired).toMatchObject({ pairs: 5, later: 3, earlier: 1, tied: 1, diff: 5 });
    // sign test 3 vs 1: 2·P(X ≤ 1), X ~ Bin(4, 1/2) = 2·5/16
    expect(paired.pValue).toBeCloseTo(10 / 16, 14);
  });

  it("stores infinite CI bounds as null with their sign", () => {
    // A resample's median is −∞ (or +∞) when ≥ 3 of its 5 draws are: probability ≈ 0.058 > 2.5%.
    expect(paired.lo).toBeNull();
    expect(paired.hi).toBeNull();
    expect(paired.infinite).toEqual({ lo: -1, hi: 1 });
  });

  it("is empty without common seeds", () => {
    expect(pairedComparison(a.slice(5), b.slice(5), "signal", "x")).toEqual({
      pairs: 0, later: 0, earlier: 0, tied: 0, diff: null, lo: null, hi: null, pValue: null,
    });
  });

  it("is part of every neighbour comparison", () => {
    const grid = { lambda: [0, 0.5] };
    const records = [
      ...[100, 110, 120].map((signal, seed) => record({ condition: { lambda: 0 }, seed, events: { spurious: null, signal } })),
      ...[130, 150, 170].map((signal, seed) => record({ condition: { lambda: 0.5 }, seed, events: { spurious: 20, signal } })),
    ];
    const summary = summarize(records, grid);
    const signal = summary.comparisons.find((c) => c.event === "signal")!;
    expect(signal.paired).toMatchObject({ pairs: 3, later: 3, earlier: 0, tied: 0, diff: 40 });
    expect(signal.paired.pValue).toBeCloseTo(0.25, 14); // 2 · (1/2)³
    // spurious: never → reached in all three: −∞ each, stored as null with its sign
    const spurious = summary.comparisons.find((c) => c.event === "spurious")!;
    expect(spurious.diff).toBeNull();
    expect(spurious.infinite).toEqual({ diff: -1, lo: -1, hi: -1 });
    expect(spurious.paired).toMatchObject({ pairs: 3, later: 0, earlier: 3, diff: null, infinite: { diff: -1, lo: -1, hi: -1 } });
  });
});

describe("Welch difference of means", () => {
  const v = (n: number, mean: number, sd: number): ValueSummary => ({ n, mean, sd, lo: null, hi: null });

  it("is mean(b) − mean(a) ± 1.96·√(sd_a²/n_a + sd_b²/n_b) with a normal p-value", () => {
    const d = welchDifference(v(4, 1, 0.5), v(9, 2, 0.3))!;
    // se = √(0.25/4 + 0.09/9) = 0.26925824; z = 3.7139; p = erfc(z/√2)
    expect(d.diff).toBe(1);
    expect(d.lo).toBeCloseTo(0.4722635463601893, 10);
    expect(d.hi).toBeCloseTo(1.5277364536398106, 10);
    expect(d.pValue).toBeCloseTo(0.00020408400998040736, 6);
  });

  it("needs two values per side; a zero se gives the point and p 0 or 1", () => {
    expect(welchDifference(v(1, 1, 0), v(9, 2, 0.3))).toBeNull();
    expect(welchDifference(v(3, 1, 0), v(3, 1, 0))).toEqual({ diff: 0, lo: 0, hi: 0, pValue: 1 });
    expect(welchDifference(v(3, 1, 0), v(3, 2, 0))).toEqual({ diff: 1, lo: 1, hi: 1, pValue: 0 });
  });
});

describe("grid variants", () => {
  it("spread their keys into the condition's params", () => {
    expect(conditionParams({ lambda: 0.5, variant: { activation: "leaky", leakySlope: 0.1 } })).toEqual({
      lambda: 0.5,
      activation: "leaky",
      leakySlope: 0.1,
    });
    expect(conditionParams({ lambda: 0.5, variant: {} })).toEqual({ lambda: 0.5 });
  });

  it("are each compared with the first variant", () => {
    const variants = [{}, { activation: "leaky" }, { labelNoise: 0.1 }];
    const records = variants.flatMap((variant, i) =>
      [0, 1].map((seed) => record({ condition: { variant }, seed, events: { spurious: 10, signal: 100 + 10 * i + seed } })),
    );
    const summary = summarize(records, { variant: variants });
    const signal = summary.comparisons.filter((c) => c.event === "signal");
    expect(signal.map((c) => [c.from, c.to])).toEqual([
      [{ variant: {} }, { variant: { activation: "leaky" } }],
      [{ variant: {} }, { variant: { labelNoise: 0.1 } }],
    ]);
    expect(signal.map((c) => c.paired.diff)).toEqual([10, 20]);
  });
});
