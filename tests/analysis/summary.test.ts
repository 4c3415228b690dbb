// The summary on hand-made run records whose values are computed by hand: time-to-event statistics
// per event, event order, the paired rate gap, metrics at checkpoint steps and their change since
// step 0, comparisons (log-rank, Fisher, restricted means, seed-paired with the sign test, Holm),
// Welch–Satterthwaite differences, and grid variants.
import { describe, expect, it } from "vitest";
import { kaplanMeierMedian, LEVEL_95, meanInterval, pairedDifference, restrictedMean, timesToEvent, welchDifference } from "../../src/analysis/statistics/index.js";
import { pairedComparison, summarizeStudy, summarizeEvent, timeToEvent } from "../../src/analysis/summary.js";
import { isCheckpointStep, isComparePath, validateSummaryPath } from "../../src/analysis/summaryPaths.js";
import { comparisonValue, conditionValue, valueDifference } from "../../src/analysis/summaryPathValues.js";
import type { ConditionSummary } from "../../src/analysis/summaryTypes.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { conditionParams } from "../../src/config/studyConfig.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { SCALAR_METRICS, type Metrics, type TrajectoryPoint } from "../../src/kernel/metricNames.js";
import type { RunRecord } from "../../src/store/runRecord.js";

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
    params: resolveParams({ d: 16, width: 16, steps: 1000, seed: opts.seed, ...(conditionParams(condition) as object) }),
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

/** The value of a per-condition summary path, as a check rule reads it. */
function summaryValue(condition: ConditionSummary, path: string): number | null {
  const parsed = validateSummaryPath(path, "test", DEFAULT_EVENTS);
  if (isComparePath(parsed)) throw new Error(`${path} is a compare path`);
  return conditionValue(condition, parsed);
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
    const t = meanInterval([0.07, 0.15]); // Student t on 1 degree of freedom: wide
    expect(gap.lo).toBeCloseTo(t.lo, 12);
    expect(gap.hi).toBeCloseTo(t.hi, 12);
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

  it("means across the runs that have the step, with sd and a Student t CI within the metric's range", () => {
    const at10 = condition.at["10"].signAlign;
    // signAlign is a fraction: the t interval on the logit scale, inside [0, 1] where the plain one is not
    const t = meanInterval([0.9, 0.8, 0.6], LEVEL_95, { lo: 0, hi: 1 });
    expect(at10).toEqual({ n: 3, mean: t.mean, sd: t.sd, lo: t.lo, hi: t.hi });
    expect(meanInterval([0.9, 0.8, 0.6]).hi).toBeGreaterThan(1);
    expect(at10.hi!).toBeLessThan(1);
    expect(at10.mean).toBeCloseTo((0.9 + 0.8 + 0.6) / 3, 12);
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
    expect(summaryValue(condition, "at2.signAlign.n")).toBeNull(); // a checkpoint no run evaluated
    expect(() => summaryValue(condition, "at15.signAlign.n")).toThrow(/not a checkpoint/);
  });

  it("does not depend on the order of the records", () => {
    const shuffled = summarize([records[2], records[0], records[1]]).conditions[0];
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(condition));
  });
});

describe("time to event per condition", () => {
  // signal steps 40, 60, 80, never, never (horizon 1000): KM Ŝ = 0.8, 0.6, 0.4 at 40, 60, 80 → median 80
  const records = [40, 60, 80, null, null].map((signal, seed) => record({ seed, events: { spurious: 10, signal } }));
  const signal = summarize(records).conditions[0].events.signal;

  it("is the Kaplan–Meier median, Brookmeyer–Crowley CI, restricted mean and Wilson fraction", () => {
    const data = timesToEvent([40, 60, 80, null, null], 1000);
    const km = kaplanMeierMedian(data);
    const rmst = restrictedMean(data, 1000);
    expect(signal).toMatchObject({ n: 5, reached: 3, reachedFraction: 0.6, medianStep: 80, horizon: 1000 });
    expect(signal.medianLo).toBe(km.lo);
    expect(signal.medianHi).toBe(km.hi === Infinity ? null : km.hi);
    // RMST = 40 + 0.8·20 + 0.6·20 + 0.4·920 = 436 = mean(min(T, 1000)) = (40 + 60 + 80 + 1000 + 1000)/5
    expect(signal.rmst).toBeCloseTo(436, 12);
    expect(signal.rmstLo).toBeCloseTo(rmst.lo, 12);
    // the Student t CI of mean(min(T, 1000)), [−204, 1076], kept within [0, τ]
    expect(meanInterval([40, 60, 80, 1000, 1000])).toMatchObject({ lo: expect.closeTo(-203.523, 3), hi: expect.closeTo(1075.523, 3) });
    expect([signal.rmstLo, signal.rmstHi]).toEqual([0, 1000]);
    expect(signal.meanStep).toBe(60);
  });

  it("stores an infinite median as null, read back as ∞ by paths", () => {
    const none = summarize([10, null, null].map((signal, seed) => record({ seed, events: { spurious: 10, signal } }))).conditions[0];
    expect(none.events.signal.medianStep).toBeNull();
    expect(summaryValue(none, "events.signal.medianStep")).toBe(Infinity);
    expect(summaryValue(none, "events.signal.rmst")).toBeCloseTo((10 + 1000 + 1000) / 3, 12);
  });

  it("counts a diverged run that had not reached the event as censored at the horizon", () => {
    const diverged = { ...record({ seed: 9, events: { spurious: 10, signal: null } }), diverged: 30 };
    const event = summarize([...records, diverged]).conditions[0].events.signal;
    expect(event).toMatchObject({ n: 6, reached: 3, horizon: 1000 });
    expect(event.rmst).toBeCloseTo((40 + 60 + 80 + 3000) / 6, 12);
    expect(summarizeEvent([], 100)).toMatchObject({ n: 0, reachedFraction: 0, medianStep: null, rmst: null });
  });

  it("counts diverged runs apart: diverged.<n|fraction|lo|hi>, final metrics over the others", () => {
    const blownUp = { ...record({ seed: 9, trajectory: [point(0)] }), diverged: 1, divergedReason: "loss above divergeLoss" as const, divergedDetectedAt: 460 };
    const condition = summarize([...records, blownUp]).conditions[0];
    // 1 of 6: Wilson 95% CI [0.0301, 0.5635] (scipy.stats.binomtest(1, 6).proportion_ci(0.95, "wilson"))
    expect(summaryValue(condition, "diverged.n")).toBe(1);
    expect(summaryValue(condition, "diverged.fraction")).toBeCloseTo(1 / 6, 12);
    expect(summaryValue(condition, "diverged.lo")).toBeCloseTo(0.0301, 4);
    expect(summaryValue(condition, "diverged.hi")).toBeCloseTo(0.5635, 4);
    expect(condition.final.wga.n).toBe(records.length);
    expect(condition.final.wga.mean).toBe(summarize(records).conditions[0].final.wga.mean);
    // a summary.json written when diverged was a count still answers the paths
    expect(summaryValue({ ...condition, diverged: 2 as never }, "diverged.fraction")).toBeCloseTo(2 / 6, 12);
    expect(() => validateSummaryPath("diverged.count", "test", DEFAULT_EVENTS)).toThrow(/unknown divergence field 'count' in 'diverged.count'/);
    expect(() => validateSummaryPath("compare.lambda.diverged.n.diff", "test", DEFAULT_EVENTS)).toThrow(/'diverged' cannot be compared/);
  });
});

describe("paired comparison", () => {
  // Seeds 0..4 (seed 5 only in a, seed 6 only in b); from → to steps: 100 → 105 (+5), 110 → 110 (0),
  // 120 → 130 (+10), never → 200 (−∞), 90 → never (+∞). Sorted: −∞, 0, 5, 10, +∞: median 5.
  const a = [100, 110, 120, null, 90, 50].map((signal, seed) => record({ seed, events: { spurious: 1, signal } }));
  const b = [105, 110, 130, 200, null].map((signal, seed) => record({ seed, events: { spurious: 1, signal } }));
  b.push(record({ seed: 6, events: { spurious: 1, signal: 10 } }));
  const paired = pairedComparison(a, b, "signal");

  it("pairs runs by seed and counts later, earlier and tied", () => {
    expect(paired).toMatchObject({ pairs: 5, later: 3, earlier: 1, tied: 1, diff: 5 });
    // sign test 3 vs 1: 2·P(X ≤ 1), X ~ Bin(4, 1/2) = 2·5/16
    expect(paired.pValue).toBeCloseTo(10 / 16, 14);
  });

  it("stores infinite CI bounds as null with their sign", () => {
    // 5 pairs are too few for a 95% order-statistic CI (P(X = 0) = 1/32 > 2.5%): (−∞, +∞)
    expect(paired.lo).toBeNull();
    expect(paired.hi).toBeNull();
    expect(paired.infinite).toEqual({ lo: -1, hi: 1 });
  });

  it("has the order-statistic CI of the median difference with enough pairs", () => {
    // 10 seeds, d = 1 … 10: k = 2, λ = 0.6577 → [2.6577, 8.3423] (see medianInterpolatedInterval); sign test 2/2¹⁰
    const from = Array.from({ length: 10 }, (_, seed) => record({ seed, events: { spurious: 1, signal: 50 } }));
    const to = Array.from({ length: 10 }, (_, seed) => record({ seed, events: { spurious: 1, signal: 51 + seed } }));
    const paired = pairedComparison(from, to, "signal");
    expect(paired).toMatchObject({ pairs: 10, later: 10, diff: 5.5, pValue: 2 / 1024 });
    expect(paired.lo).toBeCloseTo(2.6576577, 6);
    expect(paired.hi).toBeCloseTo(8.3423423, 6);
  });

  it("is empty without common seeds", () => {
    expect(pairedComparison(a.slice(5), b.slice(5), "signal")).toEqual({
      pairs: 0, later: 0, earlier: 0, tied: 0, diff: null, lo: null, hi: null, pValue: null, pHolm: null,
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
    expect(spurious.infinite).toEqual({ diff: -1 });
    expect(spurious.paired).toMatchObject({ pairs: 3, later: 0, earlier: 3, diff: null, infinite: { diff: -1, lo: -1, hi: 1 } });
  });
});

describe("unpaired event comparisons", () => {
  const grid = { lambda: [0, 0.5] };
  const records = [
    ...[30, 40, 50, 60].map((signal, seed) => record({ condition: { lambda: 0 }, seed, events: { spurious: null, signal } })),
    ...[70, 80, null, null].map((signal, seed) => record({ condition: { lambda: 0.5 }, seed: seed + 10, events: { spurious: 20, signal } })),
  ];
  const summary = summarize(records, grid);
  const signal = summary.comparisons.find((c) => c.event === "signal")!;

  it("has the KM median difference, the exact log-rank test, Fisher's test and the RMST difference", () => {
    // medians: Ŝ = 0.75, 0.5 at 30, 40, then 0.25 at 50 → the plateau at ½'s midpoint 45 (as R's survfit);
    // 70, 80 then censored: Ŝ = 0.75, 0.5 and no later event → the plateau's start, 80. Δ = 35
    expect(signal.diff).toBe(35);
    // completely separated 4 vs 4: the observed split and ties at its |Z| among C(8, 4) = 70
    expect(signal.exact).toBe(true);
    expect(signal.logRankZ!).toBeLessThan(0);
    expect(signal.pValue!).toBeCloseTo(2 / 70, 12);
    // Fisher 4/4 vs 2/4: p = 0.4286 (scipy.stats.fisher_exact([[4, 0], [2, 2]]))
    expect(signal.fisherP).toBeCloseTo(3 / 7, 12);
    // RMST (horizon 1000): 45 vs (70 + 80 + 1000 + 1000)/4 = 537.5
    expect(signal.rmstDiff).toBeCloseTo(492.5, 12);
    expect(signal.paired.pairs).toBe(0);
  });

  it("has a paired t CI of the restricted mean difference when both conditions ran the same seeds", () => {
    // seeds 0–3 in both: min(T, 1000) per seed 30 → 35, 40 → 60, 50 → 50, 60 → 90: d = 5, 20, 0, 30
    const paired = summarize(
      [
        ...[30, 40, 50, 60].map((signal, seed) => record({ condition: { lambda: 0 }, seed, events: { spurious: 5, signal } })),
        ...[35, 60, 50, 90].map((signal, seed) => record({ condition: { lambda: 0.5 }, seed, events: { spurious: 5, signal } })),
      ],
      grid,
    ).comparisons.find((c) => c.event === "signal")!;
    const t = meanInterval([5, 20, 0, 30]);
    expect(paired.rmstPaired).toBe(true);
    expect(paired.rmstDiff).toBeCloseTo(13.75, 12);
    expect(paired.rmstLo).toBeCloseTo(t.lo, 10);
    expect(paired.rmstHi).toBeCloseTo(t.hi, 10);
    expect(signal.rmstPaired).toBe(false); // disjoint seeds: Welch–Satterthwaite
  });

  it("compares values by a paired t over the seeds when both conditions ran them, else by Welch–Satterthwaite", () => {
    // final wga per seed: 0.5 → 0.55, 0.6 → 0.7, 0.7 → 0.75: d = 0.05, 0.1, 0.05
    const wga = (w: number) => [point(0), point(1000, { wga: w })];
    const run = (lambda: number, seed: number, w: number) => record({ condition: { lambda }, seed, events: { spurious: 5, signal: 50 }, trajectory: wga(w) });
    const pairedStudy = summarize([run(0, 0, 0.5), run(0, 1, 0.6), run(0, 2, 0.7), run(0.5, 0, 0.55), run(0.5, 1, 0.7), run(0.5, 2, 0.75)], grid);
    const path = validateSummaryPath("compare.lambda.final.wga.lo", "test", DEFAULT_EVENTS, grid);
    if (!isComparePath(path)) throw new Error("a compare path");
    const [from, to] = pairedStudy.conditions;
    const expected = pairedDifference([0.05, 0.1, 0.05])!;
    expect(pairedStudy.valueComparisons?.[0].values["final.wga"]).toMatchObject({ n: 3, diff: expect.closeTo(expected.diff, 12) });
    expect(comparisonValue(pairedStudy, from, to, path)).toBeCloseTo(expected.lo, 12);
    const wgaQuantity = { section: "final", step: null, name: "wga" } as const;
    expect(valueDifference(pairedStudy, from, to, "lambda", wgaQuantity)).toMatchObject({ method: "paired t", diff: expect.closeTo(expected.diff, 12), hi: expect.closeTo(expected.hi, 12) });
    // disjoint seeds: no paired entry, Welch–Satterthwaite from the two summaries
    const unpaired = summarize([run(0, 0, 0.5), run(0, 1, 0.6), run(0, 2, 0.7), run(0.5, 10, 0.55), run(0.5, 11, 0.7), run(0.5, 12, 0.75)], grid);
    expect(unpaired.valueComparisons).toEqual([]);
    const [uFrom, uTo] = unpaired.conditions;
    expect(comparisonValue(unpaired, uFrom, uTo, path)).toBeCloseTo(welchDifference(uFrom.final.wga, uTo.final.wga)!.lo, 12);
    expect(valueDifference(unpaired, uFrom, uTo, "lambda", wgaQuantity)).toMatchObject({ method: "Welch", diff: expect.closeTo(0.0666667, 6) });
  });

  it("Holm-adjusts each test over the study's comparisons", () => {
    const spurious = summary.comparisons.find((c) => c.event === "spurious")!;
    const ps = [signal.pValue!, spurious.pValue!].sort((x, y) => x - y);
    const holm = [Math.min(1, 2 * ps[0]), Math.max(Math.min(1, 2 * ps[0]), ps[1])];
    expect([signal.pHolm, spurious.pHolm].sort((x, y) => x! - y!)).toEqual(holm);
    expect(signal.fisherHolm).toBeGreaterThanOrEqual(signal.fisherP);
  });

  it("is read by compare paths", () => {
    const path = validateSummaryPath("compare.lambda.events.signal.pValue", "test", DEFAULT_EVENTS, grid);
    expect(path).toEqual({ section: "compareEvent", key: "lambda", event: "signal", field: "pValue" });
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

describe("timeToEvent", () => {
  it("censors an event a run had not reached where stopAfter ended it, not at the horizon", () => {
    const run = (stopped?: number | null) => ({ events: { spurious: null, signal: 120 }, params: resolveParams({ steps: 1000 }), ...(stopped === undefined ? {} : { stopped }) }) as unknown as RunRecord;
    expect(timeToEvent(run(125), "signal", 1000)).toEqual({ time: 120, observed: true });
    expect(timeToEvent(run(125), "spurious", 1000)).toEqual({ time: 125, observed: false });
    expect(timeToEvent(run(null), "spurious", 1000)).toEqual({ time: 1000, observed: false });
    expect(timeToEvent(run(), "spurious", 1000)).toEqual({ time: 1000, observed: false });
  });
});
