// The lead between two events (gap.<first>.<second>): per-run gaps and ratios, their summary on
// hand-computed examples, the summary paths, the comparisons, and the config key `gaps`.
import { describe, expect, it } from "vitest";
import { fisherExactTest, kaplanMeierMedian, restrictedMean, wilsonInterval } from "../../src/analysis/statistics/index.js";
import { gapOf, gapRatioOf, summarizeGap } from "../../src/analysis/summary/gaps.js";
import { summarizeStudy } from "../../src/analysis/summary.js";
import { isComparePath, validateSummaryPath } from "../../src/analysis/summaryPaths.js";
import { comparisonValue, conditionValue } from "../../src/analysis/summaryPathValues.js";
import type { ConditionSummary, StudySummary } from "../../src/analysis/summaryTypes.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { parseStudyConfig } from "../../src/config/studyConfig.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { expectInputError } from "../support/expectInputError.js";

/** A run of `steps` steps with the given event steps (null: never reached). */
function run(seed: number, spurious: number | null, signal: number | null, opts: { lambda?: number; steps?: number; diverged?: number | null } = {}): RunRecord {
  const lambda = opts.lambda ?? 0.5;
  return {
    condition: { lambda },
    params: resolveParams({ d: 16, width: 16, steps: opts.steps ?? 100, lambda, seed }),
    seed,
    events: { spurious, signal },
    rates: { spuriousRate: null, signalRate: null },
    final: {} as RunRecord["final"],
    trajectory: [],
    diverged: opts.diverged ?? null,
    wallMs: 1,
    engine: { threads: 1, shards: 1, kernel: "bits", version: "test" },
  };
}

// Horizon 100. Gaps: 30 and 50 observed, 70 censored (signal never came: 100 − 30), 20 observed,
// none (spurious never reached), 50 censored (100 − 50).
const RUNS = [run(0, 10, 40), run(1, 20, 70), run(2, 30, null), run(3, 40, 60), run(4, null, 80), run(5, 50, null)];

describe("a run's gap", () => {
  it("is step(second) − step(first), censored at horizon − step(first), or none", () => {
    expect(gapOf(RUNS[0], "spurious", "signal", 100)).toEqual({ time: 30, observed: true });
    expect(gapOf(RUNS[2], "spurious", "signal", 100)).toEqual({ time: 70, observed: false });
    expect(gapOf(RUNS[4], "spurious", "signal", 100)).toBeNull();
    // the second event first: a lead ≤ 0, kept as it is
    expect(gapOf(run(6, 50, 20), "spurious", "signal", 100)).toEqual({ time: -30, observed: true });
    expect(gapOf(run(6, 50, 20), "signal", "spurious", 100)).toEqual({ time: 30, observed: true });
  });

  it("follows the events' convention for diverged runs and steps past the horizon", () => {
    // diverged at 60 after the spurious event: the signal was never reached, censored at the horizon
    expect(gapOf(run(7, 25, null, { diverged: 60 }), "spurious", "signal", 100)).toEqual({ time: 75, observed: false });
    // a step past the (smaller) horizon is not reached within it
    expect(gapOf(run(8, 20, 120, { steps: 150 }), "spurious", "signal", 100)).toEqual({ time: 80, observed: false });
    expect(gapOf(run(8, 120, 130, { steps: 150 }), "spurious", "signal", 100)).toBeNull();
  });

  it("as a ratio is step(second)/step(first), censored at horizon/step(first), none at step 0", () => {
    expect(gapRatioOf(RUNS[0], "spurious", "signal", 100)).toEqual({ time: 4, observed: true });
    expect(gapRatioOf(RUNS[2], "spurious", "signal", 100)).toEqual({ time: 100 / 30, observed: false });
    expect(gapRatioOf(RUNS[4], "spurious", "signal", 100)).toBeNull();
    expect(gapRatioOf(run(9, 0, 40), "spurious", "signal", 100)).toBeNull();
    expect(gapRatioOf(run(9, 10, 0), "spurious", "signal", 100)).toBeNull();
  });
});

describe("gap summary", () => {
  const gap = summarizeGap(RUNS, "spurious", "signal", 100);

  it("counts the runs with and without a gap", () => {
    expect(gap).toMatchObject({ n: 5, reached: 3, noGap: 1, reachedFraction: 3 / 5 });
    const { lo, hi } = wilsonInterval(3, 5);
    expect([gap.reachedLo, gap.reachedHi]).toEqual([lo, hi]);
  });

  it("has the Kaplan–Meier median and the restricted mean to the longest follow-up", () => {
    // Sorted: 20, 30, 50 observed, 50 and 70 censored. Ŝ: 20 → 4/5, 30 → 3/5, 50 → 3/5 · 2/3 = 2/5.
    expect(gap.medianStep).toBe(50);
    // τ = 100 − 10 (the earliest spurious step); ∫₀^90 Ŝ = 20·1 + 10·0.8 + 20·0.6 + 40·0.4 = 56
    expect(gap.horizon).toBe(90);
    expect(gap.rmst).toBeCloseTo(56, 12);
    const data = [30, 50, 70, 20, 50].map((time, i) => ({ time, observed: [true, true, false, true, false][i] }));
    const rmst = restrictedMean(data, 90);
    expect([gap.rmstLo, gap.rmstHi]).toEqual([rmst.lo, rmst.hi]);
    const km = kaplanMeierMedian(data);
    expect([gap.medianLo, gap.medianHi]).toEqual([km.lo, Number.isFinite(km.hi) ? km.hi : null]);
    expect(gap.meanStep).toBeCloseTo(100 / 3, 12); // of the observed gaps 30, 50, 20
  });

  it("has the ratio form: KM median of step(second)/step(first) and the geometric mean of those reached", () => {
    // Ratios: 4, 3.5, 1.5 observed; 100/30 and 2 censored. Sorted: 1.5 → 4/5; 3.5 (2 at risk) → 2/5.
    expect(gap.ratioN).toBe(5);
    expect(gap.ratioMedian).toBe(3.5);
    expect(gap.ratioGeoMean).toBeCloseTo(Math.cbrt(4 * 3.5 * 1.5), 12);
    expect(gap.ratioGeoLo!).toBeLessThan(gap.ratioGeoMean!);
    expect(gap.ratioGeoHi!).toBeGreaterThan(gap.ratioGeoMean!);
  });

  it("is empty, not invented, when no run reached the first event", () => {
    const none = summarizeGap([run(0, null, 40), run(1, null, null)], "spurious", "signal", 100);
    expect(none).toMatchObject({ n: 0, reached: 0, noGap: 2, medianStep: null, rmst: null, ratioN: 0, ratioMedian: null, ratioGeoMean: null });
  });
});

/** Two conditions, λ 0 and 0.5, with the same seeds 0…5 (seed 5 has no gap in either). */
const TWO_CONDITIONS = [
  ...[run(0, 10, 40), run(1, 20, 50), run(2, 10, 30), run(3, 30, 90), run(4, 20, 60), run(5, null, 50)].map((r) => ({ ...r, condition: { lambda: 0 } })),
  run(0, 10, 70), run(1, 20, 90), run(2, 10, null), run(3, 30, null), run(4, 20, 95), run(5, null, 50),
];

function twoConditions(gaps?: [string, string][]): StudySummary {
  return summarizeStudy({ name: "t", configHash: "h", events: { ...DEFAULT_EVENTS }, grid: { lambda: [0, 0.5] }, conditions: [{ lambda: 0 }, { lambda: 0.5 }], records: TWO_CONDITIONS, gaps });
}

describe("gap comparisons", () => {
  const summary = twoConditions();
  const [from, to] = summary.conditions;
  const value = (path: string) => {
    const parsed = validateSummaryPath(path, "test", DEFAULT_EVENTS, summary.grid, summary.gaps);
    return isComparePath(parsed) ? comparisonValue(summary, from, to, parsed) : conditionValue(to, parsed);
  };

  it("are in the summary with the study's gaps (default: spurious → signal)", () => {
    expect(summary.gaps).toEqual([["spurious", "signal"]]);
    expect(summary.gapComparisons).toHaveLength(1);
    expect(summary.gapComparisons![0]).toMatchObject({ key: "lambda", first: "spurious", second: "signal" });
  });

  it("compare the gaps as events are compared", () => {
    // λ 0 gaps: 30, 30, 20, 60, 40 observed → Ŝ(30) = 2/5, median 30. λ 0.5: 60, 70 observed, 90
    // and 70 censored, 75 observed → Ŝ 0.8 at 60, 0.6 at 70, 0.3 at 75: median 75.
    expect(value("gap.spurious.signal.medianStep")).toBe(75);
    expect(conditionValue(from, validateSummaryPath("gap.spurious.signal.medianStep", "test", DEFAULT_EVENTS) as never)).toBe(30);
    expect(value("compare.lambda.gap.spurious.signal.diff")).toBe(45);
    expect(value("compare.lambda.gap.spurious.signal.fisherP")).toBe(fisherExactTest(5, 5, 3, 5));
    // gaps censored before τ: the restricted means are compared by Welch, not by the paired t
    expect(summary.gapComparisons![0].rmstPaired).toBe(false);
    // seeds 0…4 paired (seed 5 has no gap): every gap got longer or never closed (+∞)
    expect([value("compare.lambda.gap.spurious.signal.pairs"), value("compare.lambda.gap.spurious.signal.later")]).toEqual([5, 5]);
    expect(value("compare.lambda.gap.spurious.signal.pValue")).toBeLessThan(0.2);
  });

  it("are Holm-adjusted apart from the event comparisons, which they leave unchanged", () => {
    const withoutGaps = twoConditions([]);
    expect(withoutGaps.gapComparisons).toEqual([]);
    expect(withoutGaps.comparisons).toEqual(summary.comparisons);
    const one = summary.gapComparisons![0];
    expect(one.pHolm).toBe(one.pValue); // the only gap comparison: Holm leaves it as it is
  });
});

describe("gap paths", () => {
  it("parse, and name what is wrong", () => {
    expect(validateSummaryPath("gap.spurious.signal.ratioMedian", "t", DEFAULT_EVENTS)).toEqual({ section: "gap", first: "spurious", second: "signal", field: "ratioMedian" });
    expect(validateSummaryPath("compare.lambda.gap.spurious.signal.pairedP", "t", DEFAULT_EVENTS, { lambda: [0, 1] })).toEqual({
      section: "compareGap",
      key: "lambda",
      first: "spurious",
      second: "signal",
      field: "pairedP",
    });
    expectInputError(() => validateSummaryPath("gap.signal.spurious.medianStep", "t", DEFAULT_EVENTS), /the gap signal → spurious is not summarized; the study's gaps are spurious\.signal/);
    expectInputError(() => validateSummaryPath("gap.spurious.signal.median", "t", DEFAULT_EVENTS), /unknown gap field 'median' in 'gap.spurious.signal.median'; did you mean/);
    expectInputError(() => validateSummaryPath("gap.spurious.sgnal.n", "t", DEFAULT_EVENTS), /unknown event 'sgnal'.*signal/);
    expectInputError(() => validateSummaryPath("gap.spurious.n", "t", DEFAULT_EVENTS), /a gap path is 'gap\.<first event>\.<second event>\.<field>'/);
    expectInputError(() => validateSummaryPath("compare.lambda.gap.spurious.pValue", "t", DEFAULT_EVENTS), /compare\.<grid key>\.gap\.<first>\.<second>\.<field>/);
    expectInputError(() => validateSummaryPath("gap.spurious.signal.n", "t", DEFAULT_EVENTS, undefined, []), /the study has no gaps/);
  });

  it("read ∞ for a median that was never reached, and null where there were no runs", () => {
    const summary = summarizeStudy({
      name: "t",
      configHash: "h",
      events: { ...DEFAULT_EVENTS },
      grid: { lambda: [0.5] },
      conditions: [{ lambda: 0.5 }],
      records: [run(0, 10, null), run(1, 10, null), run(2, 10, 50)],
    });
    const condition: ConditionSummary = summary.conditions[0];
    const read = (path: string) => conditionValue(condition, validateSummaryPath(path, "t", DEFAULT_EVENTS) as never);
    expect(read("gap.spurious.signal.medianStep")).toBe(Infinity);
    expect(read("gap.spurious.signal.ratioMedian")).toBe(Infinity);
    expect(read("gap.spurious.signal.noGap")).toBe(0);
    const empty = summarizeStudy({ name: "t", configHash: "h", events: { ...DEFAULT_EVENTS }, grid: { lambda: [0.5] }, conditions: [{ lambda: 0.5 }], records: [run(0, null, 40)] });
    expect(conditionValue(empty.conditions[0], validateSummaryPath("gap.spurious.signal.medianStep", "t", DEFAULT_EVENTS) as never)).toBeNull();
  });
});

describe("config key gaps", () => {
  const config = (gaps: unknown, checks: unknown[] = []) => parseStudyConfig({ name: "g", seeds: 2, grid: { lambda: [0, 1] }, gaps, checks }, "g.json5");

  it("defaults to spurious → signal, takes any ordered pairs of events, and [] for none", () => {
    expect(config(undefined).gaps).toEqual([["spurious", "signal"]]);
    expect(config([["signal", "spurious"], ["spurious", "signal"]]).gaps).toEqual([["signal", "spurious"], ["spurious", "signal"]]);
    expect(config([]).gaps).toEqual([]);
  });

  it("refuses what is not a pair of two different known events, naming the key", () => {
    expectInputError(() => config("spurious"), /g\.json5: gaps: must be an array of event pairs/);
    expectInputError(() => config([["spurious"]]), /gaps\[0\]: must be a pair of event names/);
    expectInputError(() => config([["spurious", "signl"]]), /gaps\[0\]\[1\]: unknown event "signl".*signal/);
    expectInputError(() => config([["signal", "signal"]]), /'signal' twice/);
    expectInputError(() => config([["spurious", "signal"], ["spurious", "signal"]]), /gaps\[1\]: repeats the gap spurious → signal/);
  });

  it("lets check rules name the gaps it lists, and only those", () => {
    const rule = (metric: string) => [{ metric, op: ">=", value: 0 }];
    expect(config([["signal", "spurious"]], rule("gap.signal.spurious.medianStep")).checks).toHaveLength(1);
    expectInputError(() => config([["signal", "spurious"]], rule("gap.spurious.signal.medianStep")), /checks\[0\]\.metric.*the gap spurious → signal is not summarized/);
  });
});
