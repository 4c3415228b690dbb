// Threshold rules and the baseline rule over summaries of hand-made run records, and the `check`
// command's lines and exit codes on results directories written here.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { baselineTest, runBaselineGate } from "../../src/analysis/baselineGate.js";
import { checkTally, formatCheckNumber, runThresholdChecks } from "../../src/analysis/check.js";
import { pairedDifference } from "../../src/analysis/statistics/index.js";
import { EVENT_STEPS_FILE, renderEventSteps, type EventSteps } from "../../src/analysis/eventSteps.js";
import { summarizeStudy, type StudySummary } from "../../src/analysis/summary.js";
import { checkCommand } from "../../src/commands/check.js";
import { InputError } from "../../src/config/inputError.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import type { CheckRule } from "../../src/config/checkRules.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { SCALAR_METRICS, type Metrics, type TrajectoryPoint } from "../../src/kernel/metricNames.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { studyHash, writeResolvedConfig } from "../../src/study/resolvedConfig.js";
import { configHash } from "../../src/store/configHash.js";
import { sealed } from "../../src/store/derivedSource.js";

const STEPS = 400;

/** A run whose events and final wga are given; its trajectory is just the first and last evaluation. */
function makeRecord(condition: Record<string, unknown>, seed: number, signal: number | null, finalWga: number): RunRecord {
  const point = (step: number, wga: number): TrajectoryPoint => {
    const metrics = Object.fromEntries(SCALAR_METRICS.map((m) => [m, 0.5])) as Record<string, number>;
    metrics.wga = wga;
    return { step, ...(metrics as Omit<Metrics, "acc">), acc: [1, 1, wga, wga] };
  };
  const trajectory = [point(0, 0), point(STEPS, finalWga)];
  const { step: _step, ...final } = trajectory[1];
  return {
    condition,
    params: resolveParams({ d: 16, width: 16, steps: STEPS, seed, ...condition }),
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

/** A study over `grid.lambda`, with each condition's signal steps (null = never reached) and final wgas. */
function study(runs: Record<number, { signal: (number | null)[]; wga?: number[] }>): StudySummary {
  const lambdas = Object.keys(runs).map(Number);
  const records = lambdas.flatMap((lambda) =>
    runs[lambda].signal.map((step, seed) => makeRecord({ lambda }, seed, step, runs[lambda].wga?.[seed] ?? 0.5)),
  );
  return summarizeStudy({
    name: "t",
    configHash: "h",
    events: { ...DEFAULT_EVENTS },
    grid: { lambda: lambdas },
    conditions: lambdas.map((lambda) => ({ lambda })),
    records,
  });
}

// λ = 0: signal reached by 3 of 4 (100, 120, 140, ∞: KM Ŝ = 0.75, 0.5 → median 120); λ = 1: never reached, wga 0.02.
const summary = study({
  0: { signal: [100, 120, 140, null], wga: [0.9, 0.95, 0.92, 0.85] },
  1: { signal: [null, null, null, null], wga: [0.02, 0.02, 0.02, 0.02] },
});

const rule = (where: Record<string, unknown>, metric: string, op: CheckRule["op"], value: number): CheckRule => ({ where, metric, op, value });

describe("runThresholdChecks", () => {
  it("applies a rule to the matching condition and prints both numbers", () => {
    expect(runThresholdChecks(summary, [rule({ lambda: 0 }, "events.signal.reachedFraction", ">=", 0.7)])).toEqual([
      { pass: true, line: "PASS {lambda: 0} events.signal.reachedFraction >= 0.7: got 0.75" },
    ]);
    expect(runThresholdChecks(summary, [rule({ lambda: 0 }, "events.signal.reachedFraction", ">=", 0.8)])).toEqual([
      { pass: false, line: "FAIL {lambda: 0} events.signal.reachedFraction >= 0.8: got 0.75" },
    ]);
    expect(runThresholdChecks(summary, [rule({ lambda: 1 }, "final.wga.mean", "<=", 0.1)])).toEqual([
      { pass: true, line: "PASS {lambda: 1} final.wga.mean <= 0.1: got 0.02" },
    ]);
  });

  it("applies a rule with an empty where to every condition", () => {
    const results = runThresholdChecks(summary, [rule({}, "events.signal.medianStep", "<=", 150)]);
    expect(results.map((r) => r.line)).toEqual([
      "PASS {lambda: 0} events.signal.medianStep <= 150: got 130", // Ŝ = ½ on [120, 140): the midpoint
      "FAIL {lambda: 1} events.signal.medianStep <= 150: got ∞",
    ]);
  });

  it("reads a null median step as ∞ (censored), and any other null as no value", () => {
    expect(summary.conditions[1].events.signal.medianStep).toBeNull();
    expect(runThresholdChecks(summary, [rule({ lambda: 1 }, "events.signal.medianStep", ">", 1000)])[0]).toEqual({
      pass: true,
      line: "PASS {lambda: 1} events.signal.medianStep > 1000: got ∞",
    });
    expect(summary.conditions[1].events.signal.meanStep).toBeNull();
    expect(runThresholdChecks(summary, [rule({ lambda: 1 }, "events.signal.meanStep", ">", 0)])[0]).toEqual({
      pass: false,
      line: "FAIL {lambda: 1} events.signal.meanStep > 0: got no value",
    });
    // signalRate is null in every run: no value either
    expect(runThresholdChecks(summary, [rule({ lambda: 1 }, "rates.signalRate.mean", "<", 1)])[0].line).toBe(
      "FAIL {lambda: 1} rates.signalRate.mean < 1: got no value",
    );
  });

  it("fails a rule that matches no condition", () => {
    expect(runThresholdChecks(summary, [rule({ lambda: 0.5 }, "final.wga.mean", ">=", 0)])).toEqual([
      { pass: false, line: "FAIL where {lambda: 0.5} final.wga.mean >= 0: no condition matches" },
    ]);
  });

  it("matches a where key outside the grid against the params, when it has them", () => {
    const r = rule({ d: 16, lambda: 0 }, "events.signal.reached", ">=", 3);
    expect(runThresholdChecks(summary, [r])[0]).toEqual({ pass: false, line: "FAIL where {d: 16, lambda: 0} events.signal.reached >= 3: no condition matches" });
    const paramsOf = (condition: Record<string, unknown>) => ({ d: 16, width: 16, ...condition });
    expect(runThresholdChecks(summary, [r], paramsOf)).toEqual([{ pass: true, line: "PASS {lambda: 0} events.signal.reached >= 3: got 3" }]);
    expect(runThresholdChecks(summary, [{ ...r, where: { d: 32 } }], paramsOf)[0].pass).toBe(false);
  });

  it("adds the rule's description", () => {
    const described = { ...rule({ lambda: 1 }, "final.wga.mean", "<=", 0.1), description: "the shortcut wins" };
    expect(runThresholdChecks(summary, [described])[0].line).toBe("PASS {lambda: 1} final.wga.mean <= 0.1: got 0.02 (the shortcut wins)");
  });
});

describe("runThresholdChecks on the paths added for the paper's claims", () => {
  // λ = 0: signal at 100, 110, 120, 130 (KM median 115: Ŝ = ½ on [110, 120)), wga 0.9; λ = 0.5: 150, 150, 170, 180 (KM median 160),
  // wga 0.8; λ = 1: never, wga 0.02. Paired by seed 0 → 0.5: +50, +40, +50, +50 (median 50, 4 later).
  const conditions: [number, (number | null)[], number][] = [
    [0, [100, 110, 120, 130], 0.9],
    [0.5, [150, 150, 170, 180], 0.8],
    [1, [null, null, null, null], 0.02],
  ];
  const three = summarizeStudy({
    name: "t",
    configHash: "h",
    events: { ...DEFAULT_EVENTS },
    grid: { lambda: conditions.map(([lambda]) => lambda) }, // in this order (an object's keys would put 0.5 last)
    conditions: conditions.map(([lambda]) => ({ lambda })),
    records: conditions.flatMap(([lambda, steps, wga]) => steps.map((step, seed) => makeRecord({ lambda }, seed, step, wga))),
  });
  const lines = (rules: CheckRule[]) => runThresholdChecks(three, rules).map((r) => r.line);

  it("compares each matching condition with the next value of the key, ±∞ included; the last value is a note", () => {
    const results = runThresholdChecks(three, [rule({}, "compare.lambda.events.signal.diff", ">", 0)]);
    expect(results).toEqual([
      { pass: true, line: "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.diff > 0: got 45" },
      { pass: true, line: "PASS {lambda: 0.5} → {lambda: 1} compare.lambda.events.signal.diff > 0: got ∞" },
      { pass: true, note: true, line: "NOTE {lambda: 1} compare.lambda.events.signal.diff: no next value of lambda to compare with" },
    ]);
    expect(checkTally(results).line).toBe("2 passed, 0 failed");
  });

  it("reads gap paths, and compares the gaps along the grid", () => {
    // every run: spurious at 20, so each gap is the signal step − 20 (censored at 380 when never reached)
    expect(
      lines([
        rule({ lambda: 0 }, "gap.spurious.signal.reachedFraction", ">=", 1),
        rule({ lambda: 1 }, "gap.spurious.signal.medianStep", ">", 1000),
        rule({ lambda: 0 }, "compare.lambda.gap.spurious.signal.later", ">=", 4),
        rule({ lambda: 0.5 }, "compare.lambda.gap.spurious.signal.diff", ">", 0),
      ]),
    ).toEqual([
      "PASS {lambda: 0} gap.spurious.signal.reachedFraction >= 1: got 1",
      "PASS {lambda: 1} gap.spurious.signal.medianStep > 1000: got ∞",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.gap.spurious.signal.later >= 4: got 4",
      "PASS {lambda: 0.5} → {lambda: 1} compare.lambda.gap.spurious.signal.diff > 0: got ∞",
    ]);
  });

  it("reads the seed-paired fields", () => {
    expect(
      lines([
        rule({ lambda: 0 }, "compare.lambda.events.signal.pairedDiff", ">=", 50),
        rule({ lambda: 0 }, "compare.lambda.events.signal.pairs", ">=", 4),
        rule({ lambda: 0 }, "compare.lambda.events.signal.later", ">=", 4),
        rule({ lambda: 0 }, "compare.lambda.events.signal.pairedP", "<", 0.2),
        rule({ lambda: 0.5 }, "compare.lambda.events.signal.pairedDiff", ">", 1000),
        rule({ lambda: 0.5 }, "compare.lambda.events.signal.pairedLo", ">", 1000),
      ]),
    ).toEqual([
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.pairedDiff >= 50: got 50",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.pairs >= 4: got 4",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.later >= 4: got 4",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.pairedP < 0.2: got 0.125", // 2 · (1/2)⁴
      "PASS {lambda: 0.5} → {lambda: 1} compare.lambda.events.signal.pairedDiff > 1000: got ∞", // every seed: finite → never
      "FAIL {lambda: 0.5} → {lambda: 1} compare.lambda.events.signal.pairedLo > 1000: got -∞", // 4 pairs: no 95% order-statistic CI
    ]);
  });

  it("compares value summaries by Welch's difference of means", () => {
    // wga 0.9 → 0.8 in every seed: sd 0 on both sides, so the CI is the point −0.1
    expect(lines([rule({ lambda: 0 }, "compare.lambda.final.wga.diff", "<", 0), rule({ lambda: 0 }, "compare.lambda.final.wga.hi", "<", 0)])).toEqual([
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.final.wga.diff < 0: got -0.1",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.final.wga.hi < 0: got -0.1",
    ]);
  });

  it("fails a compare rule whose conditions have no next value", () => {
    expect(runThresholdChecks(three, [rule({ lambda: 1 }, "compare.lambda.events.signal.diff", ">", 0)])).toEqual([
      { pass: true, note: true, line: "NOTE {lambda: 1} compare.lambda.events.signal.diff: no next value of lambda to compare with" },
      { pass: false, line: "FAIL where {lambda: 1} compare.lambda.events.signal.diff > 0: no matching condition has a next value of lambda to compare with" },
    ]);
  });

  it("reads order, at<step> and change<step> paths; an order fraction without runs that reached both has no value", () => {
    // every run: spurious at 20, so before the signal wherever the signal comes
    expect(
      lines([
        rule({}, "order.spurious.signal.fraction", ">=", 1),
        rule({ lambda: 0 }, "at0.wga.mean", "<=", 0),
        rule({ lambda: 0 }, "rates.rateGap.n", ">=", 0),
      ]),
    ).toEqual([
      "PASS {lambda: 0} order.spurious.signal.fraction >= 1: got 1",
      "PASS {lambda: 0.5} order.spurious.signal.fraction >= 1: got 1",
      "FAIL {lambda: 1} order.spurious.signal.fraction >= 1: got no value: no run reached both spurious and signal, so which came first never occurred",
      "PASS {lambda: 0} at0.wga.mean <= 0: got 0",
      "PASS {lambda: 0} rates.rateGap.n >= 0: got 0", // signalRate is null in every run
    ]);
  });
});

/** Event steps of a study over λ: per λ, the signal step of each seed (null = never), seeds from `firstSeed`. */
function eventSteps(runs: Record<number, (number | null)[]>, firstSeed = 0, seeds?: number[]): EventSteps {
  const lambdas = Object.keys(runs).map(Number);
  const n = Math.max(...Object.values(runs).map((steps) => steps.length));
  return {
    name: "t",
    configHash: "h",
    source: { name: "t", studyHash: "h", contentHash: "c", runs: lambdas.reduce((n, lambda) => n + runs[lambda].length, 0), runsHash: "r" },
    grid: { lambda: lambdas },
    seeds: seeds ?? Array.from({ length: n }, (_, i) => firstSeed + i),
    events: ["spurious", "signal"],
    runs: lambdas.flatMap((lambda) =>
      runs[lambda].map((signal, i) => ({ condition: { lambda }, seed: firstSeed + i, horizon: STEPS, diverged: null, events: { spurious: 20, signal } })),
    ),
  };
}
const gate = (current: EventSteps, baseline: EventSteps, opts: Partial<{ alpha: number; tolerance: number; allowPartial: boolean }> = {}) =>
  runBaselineGate(current, baseline, { alpha: 0.05, tolerance: 0, allowPartial: false, ...opts });
const verdict = (results: { line: string; note?: boolean }[]) => results.filter((r) => !r.note);

describe("numbers in check lines", () => {
  it("have 6 significant digits, and an exponent from 1e6 up as in reports (formatValue)", () => {
    expect(formatCheckNumber(123456.78)).toBe("123457");
    expect(formatCheckNumber(999999)).toBe("999999");
    expect(formatCheckNumber(1234567)).toBe("1.23457e+6");
    expect(formatCheckNumber(-3.79e20)).toBe("-3.79e+20");
    expect(formatCheckNumber(1e6)).toBe("1e+6");
    expect(formatCheckNumber(0.000123)).toBe("0.000123");
    expect(formatCheckNumber(Infinity)).toBe("∞");
  });
});

describe("the baseline gate", () => {
  const base = eventSteps({ 0: [100, 110, 120, 130, 140, 150, 160, 170], 1: [null, null, null, null, null, null, null, null] });

  it("passes an unchanged study run on the same seeds: paired, Z = 0, p = 1", () => {
    const test = baselineTest(base, base, 0);
    expect(test).toMatchObject({ z: 0, pValue: 1, paired: true, relabelings: 256, exact: true, strata: 4 });
    const results = gate(base, base);
    expect(verdict(results)).toEqual([
      {
        pass: true,
        line: "PASS learning not slower than the baseline: one-sided stratified log-rank over 4 condition×event strata (paired (same seeds): sign flips, all 256): Z = 0, p = 1 ≥ alpha 0.05",
      },
    ]);
    expect(results.filter((r) => r.note).map((r) => r.line)).toContain(
      // the same seeds: a paired t over the per-seed differences, all 0 here
      "NOTE {lambda: 0} events.signal: KM median 135 vs baseline 135 (+0%), restricted mean 135 → 135 (Δ 0, no interval: every seed: 0; paired t), 8/8 vs 8/8 reached",
    );
    // the same steps on other seeds: Welch–Satterthwaite, which cannot know the runs are alike
    expect(gate(eventSteps({ 0: [100, 110, 120, 130, 140, 150, 160, 170], 1: [null, null, null, null, null, null, null, null] }, 10), base).filter((r) => r.note).map((r) => r.line)).toContain(
      "NOTE {lambda: 0} events.signal: KM median 135 vs baseline 135 (+0%), restricted mean 135 → 135 (Δ 0 [95% CI -26.2682, 26.2682], Welch), 8/8 vs 8/8 reached",
    );
  });

  it("fails when every seed got slower: only the observed flips are as extreme, p = 1/256", () => {
    const slower = eventSteps({ 0: [125, 138, 150, 163, 175, 188, 200, 213], 1: [null, null, null, null, null, null, null, null] });
    const test = baselineTest(slower, base, 0);
    expect(test.z).toBeGreaterThan(0);
    expect(test.pValue).toBeCloseTo(1 / 256, 12);
    expect(verdict(gate(slower, base))[0].line).toMatch(/^FAIL learning slower than the baseline: .* p = 0\.00391 < alpha 0\.05$/);
    // its effect line: the paired t of the per-seed slowdowns 25, 28, 30, 33, 35, 38, 40, 43
    const d = pairedDifference([25, 28, 30, 33, 35, 38, 40, 43])!;
    expect(gate(slower, base).find((r) => r.line.startsWith("NOTE {lambda: 0} events.signal"))!.line).toContain(
      `(Δ ${formatCheckNumber(d.diff)} [95% CI ${formatCheckNumber(d.lo)}, ${formatCheckNumber(d.hi)}], paired t)`,
    );
    // On the signal event alone, the same 25% slowdown passes within a 30% margin and fails a 20% one.
    // (With both events, the margin also credits the unchanged spurious event: 20 vs 20·1.2 is faster.)
    const signalOnly = (steps: EventSteps): EventSteps => ({ ...steps, events: ["signal"] });
    expect(verdict(gate(signalOnly(slower), signalOnly(base), { tolerance: 0.3 }))[0].pass).toBe(true);
    expect(verdict(gate(signalOnly(slower), signalOnly(base), { tolerance: 0.2 }))[0].pass).toBe(false);
    expect(verdict(gate(slower, base, { tolerance: 0.2 }))[0].pass).toBe(true);
  });

  it("is unpaired on disjoint seeds: 4 vs 4 completely separated gives the exact p = 1/70", () => {
    const before = eventSteps({ 0: [100, 110, 120, 130] });
    const after = eventSteps({ 0: [140, 150, 160, 170] }, 10);
    const test = baselineTest(after, before, 0);
    expect(test).toMatchObject({ paired: false, relabelings: 70, exact: true });
    expect(test.pValue).toBeCloseTo(1 / 70, 12);
    expect(baselineTest(before, after, 0).pValue).toBeCloseTo(1, 12); // faster is not slower
  });

  it("counts a run that never reached the event as slower than any that did", () => {
    const never = eventSteps({ 0: [null, null, null, null, null, null, null, null], 1: [null, null, null, null, null, null, null, null] });
    expect(baselineTest(never, base, 0).pValue).toBeCloseTo(1 / 256, 12);
  });

  it("fails on runs missing against a config, naming them, unless allowPartial", () => {
    const partial = eventSteps({ 0: [100, 110, 120], 1: [null, null, null] }, 0, [0, 1, 2, 3]);
    const results = gate(partial, base);
    expect(results[0]).toEqual({ pass: false, line: "FAIL 2 runs of the study's config missing: {lambda: 0} seed 3, {lambda: 1} seed 3; finish them or pass --allow-partial" });
    const allowed = gate(partial, base, { allowPartial: true });
    expect(allowed[0]).toMatchObject({ pass: true, note: true });
    expect(checkTally(allowed).failed).toBe(0);
  });

  it("fails when the two share no condition, unless allowPartial; notes conditions only one side has", () => {
    const other = eventSteps({ 5: [100, 110] });
    expect(verdict(gate(other, base))).toEqual([{ pass: false, line: "FAIL the study and the baseline share no condition: nothing to compare" }]);
    expect(checkTally(gate(other, base, { allowPartial: true })).failed).toBe(0);
    const some = eventSteps({ 0: [100, 110, 120, 130, 140, 150, 160, 170], 7: [1, 2, 3, 4, 5, 6, 7, 8] });
    const notes = gate(some, base).filter((r) => r.note).map((r) => r.line);
    expect(notes).toContain("NOTE {lambda: 7}: not in the baseline, not compared");
    expect(notes).toContain("NOTE {lambda: 1}: only in the baseline, not compared");
  });
});

describe("check command", () => {
  const work = mkdtempSync(join(tmpdir(), "shortcut-bench-check-"));
  let output: string[] = [];

  afterEach(() => {
    vi.restoreAllMocks();
    output = [];
  });

  function captureStdout(): void {
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }

  /**
   * A results directory with config.resolved.json holding these checks, summary.json and (when
   * given) event-steps.json as the tool writes them: sealed, with this config as their source. No
   * runs.jsonl, like a committed baseline.
   */
  function resultsDir(name: string, s: StudySummary, checks: CheckRule[] = [], steps?: EventSteps): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    const config = { name: s.name, base: { d: 16, width: 16 }, grid: s.grid, seeds: [0, 1, 2, 3], events: s.events, charts: [], checks };
    writeResolvedConfig(dir, config);
    const source = { name: config.name, studyHash: studyHash(config), contentHash: configHash(config), runs: steps?.runs.length ?? 0, runsHash: `runs of ${name}` };
    writeFileSync(join(dir, "summary.json"), JSON.stringify(sealed({ completeness: {}, ...s, source }), null, 1));
    if (steps !== undefined) writeFileSync(join(dir, EVENT_STEPS_FILE), renderEventSteps(sealed({ ...steps, source })));
    return dir;
  }

  it("runs the config's own checks: exit 0 when all pass", async () => {
    const dir = resultsDir("pass", summary, [rule({ lambda: 0 }, "events.signal.reachedFraction", ">=", 0.7), rule({ lambda: 1 }, "final.wga.mean", "<=", 0.1)]);
    captureStdout();
    expect(await checkCommand({ dir })).toBe(0);
    expect(output.join("")).toBe(
      "PASS {lambda: 0} events.signal.reachedFraction >= 0.7: got 0.75\n" +
        "PASS {lambda: 1} final.wga.mean <= 0.1: got 0.02\n" +
        "2 passed, 0 failed\n",
    );
  });

  it("exit 1 when a rule fails, with the failing line", async () => {
    const dir = resultsDir("fail", summary, [rule({ lambda: 0 }, "events.signal.reachedFraction", ">=", 0.9), rule({ lambda: 1 }, "final.wga.mean", "<=", 0.1)]);
    captureStdout();
    expect(await checkCommand({ dir })).toBe(1);
    expect(output.join("")).toBe(
      "FAIL {lambda: 0} events.signal.reachedFraction >= 0.9: got 0.75\n" +
        "PASS {lambda: 1} final.wga.mean <= 0.1: got 0.02\n" +
        "1 passed, 1 failed\n",
    );
  });

  it("uses --thresholds instead of the config's checks; a where key outside the grid is read from the base params", async () => {
    const dir = resultsDir("thresholds", summary, [rule({ lambda: 0 }, "events.signal.reachedFraction", ">=", 0.9)]);
    const file = join(work, "thresholds.json5");
    writeFileSync(file, `{ checks: [{ where: { lambda: 1, width: 16 }, metric: "events.signal.reached", op: "<=", value: 0 }] }`);
    captureStdout();
    expect(await checkCommand({ dir, thresholds: file })).toBe(0);
    expect(output.join("")).toBe("PASS {lambda: 1} events.signal.reached <= 0: got 0\n1 passed, 0 failed\n");
  });

  it("an unknown summary path in a thresholds file is bad input (InputError, exit 2) naming the file", async () => {
    const dir = resultsDir("typo", summary, []);
    const file = join(work, "typo.json5");
    writeFileSync(file, `[{ where: { lambda: 1 }, metric: "events.signal.medain", op: "<=", value: 5 }]`);
    const error = await checkCommand({ dir, thresholds: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain("unknown event field 'medain' in 'events.signal.medain'");
  });

  it("tests against --baseline: exit 1 on a regression, 0 within the margin or above alpha", async () => {
    const before = [100, 110, 120, 130, 140, 150, 160, 170];
    const after = before.map((step) => step * 2);
    const baselineDir = resultsDir("baseline", study({ 0: { signal: before } }), undefined, eventSteps({ 0: before }));
    const slowerDir = resultsDir("slower", study({ 0: { signal: after } }), undefined, eventSteps({ 0: after }));
    captureStdout();
    expect(await checkCommand({ dir: slowerDir, baseline: baselineDir })).toBe(1);
    expect(output.join("")).toMatch(/FAIL learning slower than .*baseline: .*p = 0\.00391 < alpha 0\.05\n/);
    expect(output.at(-1)).toBe("0 passed, 1 failed\n");
    output = [];
    expect(await checkCommand({ dir: slowerDir, baseline: baselineDir, tolerance: "1.5" })).toBe(0);
    expect(output.join("")).toMatch(/PASS learning not slower .*H0: at most 150% slower/);
    output = [];
    expect(await checkCommand({ dir: slowerDir, baseline: baselineDir, alpha: "0.001" })).toBe(0);
    const noSteps = resultsDir("no-steps", study({ 0: { signal: before } }));
    await expect(checkCommand({ dir: slowerDir, baseline: noSteps })).rejects.toThrow(`${join(noSteps, EVENT_STEPS_FILE)}: no such file`);
    await expect(checkCommand({ dir: slowerDir, baseline: baselineDir, alpha: "1" })).rejects.toThrow("--alpha must be a number in (0, 1)");
    // an event-steps.json that is not one, or torn, is bad input naming the file
    const broken = resultsDir("broken-steps", study({ 0: { signal: before } }));
    writeFileSync(join(broken, EVENT_STEPS_FILE), JSON.stringify({ name: "t", runs: [{ seed: "x" }] }));
    await expect(checkCommand({ dir: slowerDir, baseline: broken })).rejects.toThrow(`${join(broken, EVENT_STEPS_FILE)}: carries no integrity hash`);
    writeFileSync(join(broken, EVENT_STEPS_FILE), '{"name": "t", "runs": [');
    await expect(checkCommand({ dir: slowerDir, baseline: broken })).rejects.toBeInstanceOf(InputError);
    // --allow-partial turns missing runs into a note
    const partialSteps = { ...eventSteps({ 0: after.slice(0, 6) }), seeds: [0, 1, 2, 3, 4, 5, 6, 7] };
    const partialDir = resultsDir("partial", study({ 0: { signal: after.slice(0, 6) } }), undefined, partialSteps);
    output = [];
    // (6 seeds against the baseline's 8: unpaired, smallest p = 1/C(14, 6) = 1/3003, so alpha 1e-4 cannot fail)
    expect(await checkCommand({ dir: partialDir, baseline: baselineDir, alpha: "0.0001" })).toBe(1);
    expect(output.join("")).toContain("FAIL 2 runs of the study's config missing: {lambda: 0} seed 6, {lambda: 0} seed 7; finish them or pass --allow-partial");
    output = [];
    expect(await checkCommand({ dir: partialDir, baseline: baselineDir, alpha: "0.0001", allowPartial: true })).toBe(0);
    expect(output.join("")).toContain("NOTE 2 runs of the study's config missing");
  });

  it("bad input is an InputError naming what is wrong", async () => {
    const empty = join(work, "empty");
    mkdirSync(empty, { recursive: true });
    await expect(checkCommand({ dir: join(work, "missing") })).rejects.toThrow(`${join(work, "missing")}: no such directory`);
    await expect(checkCommand({ dir: empty })).rejects.toThrow(`${join(empty, "config.resolved.json")}: no such file`);
    writeResolvedConfig(empty, { name: "t", base: {}, grid: {}, seeds: [0], events: {}, charts: [], checks: [] });
    await expect(checkCommand({ dir: empty })).rejects.toThrow(`${join(empty, "summary.json")}: no such file`);
    writeFileSync(join(empty, "summary.json"), "{ not json");
    await expect(checkCommand({ dir: empty })).rejects.toBeInstanceOf(InputError);
    writeFileSync(join(empty, "summary.json"), JSON.stringify({ conditions: 3 }));
    await expect(checkCommand({ dir: empty })).rejects.toThrow("summary.json: carries no integrity hash");
    const noRules = resultsDir("no-rules", summary, []);
    await expect(checkCommand({ dir: noRules })).rejects.toThrow("nothing to check");
    await expect(checkCommand({ dir: noRules, baseline: join(work, "nope") })).rejects.toThrow("no such directory (--baseline)");
    await expect(checkCommand({ dir: noRules, baseline: noRules, tolerance: "-1" })).rejects.toThrow("--tolerance must be a number ≥ 0");
  });
});
