// The statistics at their edges as a reader sees them: intervals of bounded metrics inside their
// bounds in summary.json, intervals with no width printed with their reason, a permutation p at its
// floor printed as a bound, and initA shown as the runs used it.
import { describe, expect, it } from "vitest";
import { logRankTest, timesToEvent } from "../../src/analysis/statistics/index.js";
import { summarizeEvent, summarizeStudy } from "../../src/analysis/summary.js";
import { runThresholdChecks } from "../../src/analysis/check.js";
import { valueDifference } from "../../src/analysis/summaryPathValues.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { metricRange, SCALAR_METRICS, type Metrics, type TrajectoryPoint } from "../../src/kernel/metricNames.js";
import { formatDifferenceCI, formatEventMedian, formatMeanCI, formatPairedDiff, formatPHolm, formatPValue, formatRestrictedMean } from "../../src/render/format.js";
import { parametersSection } from "../../src/render/report/parameters.js";
import { comparisonsSection } from "../../src/render/report/comparisons.js";
import type { RunRecord } from "../../src/store/runRecord.js";

const STEPS = 1000;

/** A run whose every metric is `start` at step 0 and `end` from step 100 on (a bounded metric's share of its range). */
function record(lambda: number, seed: number, start: number, end: number, signal: number | null): RunRecord {
  const point = (step: number, x: number): TrajectoryPoint => {
    const metrics = Object.fromEntries(SCALAR_METRICS.map((m) => {
      const r = metricRange(m);
      return [m, Number.isFinite(r.hi) ? r.lo + (r.hi - r.lo) * x : x];
    })) as Record<string, number>;
    return { step, ...(metrics as Omit<Metrics, "acc">), acc: [x, x, x, x] };
  };
  const trajectory = [point(0, start), point(100, end), point(STEPS, end)];
  const { step: _step, ...final } = trajectory[2];
  return {
    condition: { lambda },
    params: resolveParams({ d: 16, width: 16, steps: STEPS, seed, lambda }),
    seed,
    events: { spurious: 20, signal },
    rates: { spuriousRate: 0.1, signalRate: null },
    final,
    trajectory,
    diverged: null,
    wallMs: 100,
    engine: { threads: 1, shards: 1, kernel: "bits", version: "0.1.0" },
  };
}

// λ = 0: 9 of 10 runs end at 1 (wga, accuracies, signAlign; spuriousGap at its top), one at 0.2 — the
// Student t interval reaches past 1. λ = 1: every run ends at 0, every signal reached at step 250.
const ends0 = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.2];
const records = [
  ...ends0.map((end, seed) => record(0, seed, 0.5, end, 250)),
  ...ends0.map((_, seed) => record(1, seed, 0.5, 0, 250)),
];
/** The summary of a study over λ ∈ {0, 1}. */
const studyOf = (runs: RunRecord[]) =>
  summarizeStudy({ name: "edges", configHash: "h", events: { ...DEFAULT_EVENTS }, grid: { lambda: [0, 1] }, conditions: [{ lambda: 0 }, { lambda: 1 }], records: runs });
const summary = studyOf(records);

describe("intervals of bounded metrics stay inside their ranges", () => {
  it("every final, checkpoint and change interval, and every difference of them", () => {
    for (const c of summary.conditions) {
      for (const [section, byMetric] of [["final", c.final], ...Object.values(c.at).map((m) => ["at", m] as const), ...Object.values(c.change).map((m) => ["change", m] as const)] as const) {
        for (const metric of SCALAR_METRICS) {
          const v = byMetric[metric];
          const r = metricRange(metric);
          const range = section === "change" ? { lo: -(r.hi - r.lo), hi: r.hi - r.lo } : r;
          if (v.lo !== null) expect(v.lo, `${section}.${metric}`).toBeGreaterThanOrEqual(range.lo);
          if (v.hi !== null) expect(v.hi, `${section}.${metric}`).toBeLessThanOrEqual(range.hi);
        }
      }
    }
    const wga0 = summary.conditions[0].final.wga;
    expect(wga0.mean).toBeCloseTo(0.92, 12);
    expect(wga0.hi!).toBeLessThan(1); // the plain t interval: 0.92 + 2.262·0.253 = 1.101
    for (const c of summary.valueComparisons!) {
      for (const [id, v] of Object.entries(c.values)) {
        const metric = id.split(".")[1] as (typeof SCALAR_METRICS)[number];
        if (!SCALAR_METRICS.includes(metric)) continue;
        const r = metricRange(metric);
        const width = (id.startsWith("change") ? 2 : 1) * (r.hi - r.lo);
        if (v.lo !== null) expect(v.lo, id).toBeGreaterThanOrEqual(-width);
        if (v.hi !== null) expect(v.hi, id).toBeLessThanOrEqual(width);
      }
    }
    // Welch (a pair that did not run the same seeds) is kept within [−1, 1] as well
    const [a, b] = summary.conditions;
    const welch = valueDifference({ ...summary, valueComparisons: [] }, a, b, "lambda", { section: "final", step: null, name: "wga" })!;
    expect(welch.method).toBe("Welch");
    expect(welch.lo!).toBeGreaterThanOrEqual(-1);
  });
});

describe("intervals with no width are printed with their reason", () => {
  it("every run reached the event at one step: the median and the restricted mean say so", () => {
    const e = summarizeEvent(Array(10).fill(250), STEPS);
    expect(e).toMatchObject({ medianStep: 250, medianLo: null, medianHi: null, rmst: 250, rmstLo: 250, rmstHi: 250 });
    expect(formatEventMedian(e)).toBe("250 (all 10 runs reached at step 250)");
    expect(formatRestrictedMean(e)).toBe("250 (all 10 runs reached at step 250)");
  });
  it("no run reached it: RMST = τ", () => {
    const e = summarizeEvent(Array(10).fill(null), STEPS);
    expect(formatRestrictedMean(e)).toBe("1000 (0/10 reached: RMST = τ)");
    expect(formatEventMedian(e)).toBe("∞ [∞, ∞]");
  });
  it("a lower limit that does not exist below a finite median is —", () => {
    // one run at step 1, the 9 others at 5: Ŝ(1) = 0.9 with L(1) = 0.73 > ½, then Ŝ = 0 (R: median 5, LCL NA, UCL NA)
    const e = summarizeEvent([1, 5, 5, 5, 5, 5, 5, 5, 5, 5], STEPS);
    expect(formatEventMedian(e)).toBe("5 [—, ∞]");
  });
  it("a metric constant across the runs, and a difference the same in every seed (Δ [−1, −1], p = 0 before)", () => {
    // wga 0 in every run is on the bound of [0, 1]: the interval that allows a mean just above it
    expect(formatMeanCI(summary.conditions[1].final.wga)).toBe("0 [0, 0.308] (all 10 runs at 0)");
    expect(formatMeanCI({ n: 10, mean: 0.25, sd: 0, lo: 0.25, hi: 0.25 })).toBe("0.25 (constant across 10 runs)");
    // a check on that interval's bound says why it is wide, so a FAIL of a sample on its bound is not read as a poor sample
    const [onBound, spread] = runThresholdChecks(summary, [
      { metric: "final.wga.hi", op: "<=", value: 0.05, where: { lambda: summary.conditions[1].condition.lambda } },
      { metric: "final.wga.hi", op: "<=", value: 0.05, where: { lambda: summary.conditions[0].condition.lambda } },
    ]);
    expect(onBound.line).toMatch(/^FAIL .* final\.wga\.hi <= 0\.05: got 0\.308\d* \(all 10 runs at 0: with no spread, the distribution-free interval of a mean on a bound of its range\)$/);
    expect(spread.line).not.toMatch(/all 10 runs at/);
    const d = summary.valueComparisons![0].values["at100.wga"];
    expect(d).toMatchObject({ diff: -ends0.reduce((s, x) => s + x, 0) / 10 });
    const constant = { diff: -1, lo: -1, hi: -1 };
    expect(formatDifferenceCI(constant, true)).toBe("-1 (every seed: -1)");
    expect(formatDifferenceCI(constant, false)).toBe("-1 (both constant)");
    expect(formatDifferenceCI({ diff: -0.5, lo: -0.7, hi: -0.3 }, true)).toBe("-0.5 [-0.7, -0.3]");
    const text = comparisonsSection(summary);
    expect(text).toContain("(every seed:");
  });
});

describe("the seed-paired median Δ with no width", () => {
  const paired = { pairs: 10, later: 0, earlier: 0, tied: 10, diff: 0, lo: 0, hi: 0, pValue: 1, pHolm: 1 };
  it("says every seed tied, or that the middle seeds all have that difference", () => {
    expect(formatPairedDiff(paired)).toBe("0 (every seed tied)");
    expect(formatPairedDiff({ ...paired, tied: 0, later: 10, diff: 400, lo: 400, hi: 400 })).toBe("400 (the middle seeds all: 400)");
    expect(formatPairedDiff({ ...paired, tied: 0, earlier: 10, diff: null, lo: null, hi: null, infinite: { diff: -1, lo: -1, hi: -1 } })).toBe("-∞ (the middle seeds all: -∞)");
    expect(formatPairedDiff({ ...paired, tied: 2, later: 8, diff: 5, lo: 2.5, hi: 8 })).toBe("5 [2.5, 8]");
    expect(formatPairedDiff({ ...paired, pairs: 0 })).toBe("—");
  });
});

describe("a permutation p-value at its floor", () => {
  it("is stored as a bound and printed <1e-4", () => {
    // 12 vs 12 completely separated: C(24, 12) > 20 000 relabelings, so 9 999 random ones, none as extreme
    const test = logRankTest(timesToEvent(Array.from({ length: 12 }, (_, i) => 10 + i), 100), timesToEvent(Array.from({ length: 12 }, (_, i) => 50 + i), 100), 1);
    expect(test).toMatchObject({ exact: false, atFloor: true, pValue: 1 / 10_000 });
    expect(formatPValue(test.pValue, test.atFloor)).toBe("<1e-4");
    expect(formatPHolm(1e-4, 2e-4, true)).toBe("<1e-4 (<2e-4)");
    expect(formatPValue(1e-4)).toBe("<0.001");
    const separated = studyOf([...Array.from({ length: 12 }, (_, seed) => record(0, seed, 0.5, 1, 100 + seed)), ...Array.from({ length: 12 }, (_, seed) => record(1, seed, 0.5, 1, 500 + seed))]);
    const signal = separated.comparisons.find((c) => c.event === "signal")!;
    expect(signal).toMatchObject({ exact: false, pValueBound: true, pValue: 1e-4 });
    const text = comparisonsSection(separated);
    expect(text).toMatch(/\| signal +\| 105\.5 → 505\.5 \| +<1e-4 \(<2e-4\) \|/);
    expect(text).toContain("<1e-4 when none of those was as extreme as the data");
    const spurious = separated.comparisons.find((c) => c.event === "spurious")!;
    expect(spurious.pValueBound).toBe(false);
  });
});

describe("initA in the base params", () => {
  const config = (base: Record<string, unknown>, grid: Record<string, unknown[]>) => ({ name: "x", base, grid, seeds: [0], events: { ...DEFAULT_EVENTS }, charts: [] });
  const initARow = (text: string) => text.split("\n").find((l) => l.startsWith("| initA"));
  it("is 1/√width when width varies (no run used the base width's value)", () => {
    const base = { ...resolveParams({}), seed: undefined };
    expect(initARow(parametersSection(config(base, { width: [64, 256] })))).toMatch(/\| initA +\| 1\/√width \(per condition\) +\|/);
    expect(initARow(parametersSection(config({ ...base, initA: null, width: "=2 * d" }, { d: [16, 32] })))).toMatch(/1\/√width \(per condition\)/);
    expect(initARow(parametersSection(config(base, { variant: [{}, { width: 64 }] })))).toMatch(/1\/√width/);
  });
  it("is its value when width is fixed, or when it was set", () => {
    const base = resolveParams({});
    expect(initARow(parametersSection(config(base, { lambda: [0, 1] })))).toMatch(/\| initA +\| 0\.0883883/);
    expect(initARow(parametersSection(config({ ...base, initA: 0.1 }, { width: [64, 256] })))).toMatch(/\| initA +\| 0\.1 +\|/);
  });
});
