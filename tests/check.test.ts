// Threshold rules and the baseline rule over summaries of hand-made run records, and the `check`
// command's lines and exit codes on results directories written here.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkTally, runBaselineChecks, runThresholdChecks } from "../src/analysis/check.js";
import { summarizeStudy, type StudySummary } from "../src/analysis/summary.js";
import { checkCommand } from "../src/commands/check.js";
import { InputError } from "../src/config/inputError.js";
import { resolveParams } from "../src/config/modelKeys.js";
import type { CheckRule } from "../src/config/studyConfig.js";
import { DEFAULT_EVENTS } from "../src/kernel/events.js";
import { SCALAR_METRICS, type Metrics, type TrajectoryPoint } from "../src/kernel/metricNames.js";
import type { RunRecord } from "../src/store/runRecord.js";

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

// λ = 0: signal reached by 3 of 4 (median of 100, 120, 140, ∞ = 130); λ = 1: never reached, wga 0.02.
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
      "PASS {lambda: 0} events.signal.medianStep <= 150: got 130",
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
  // λ = 0: signal at 100, 110, 120, 130 (median 115), wga 0.9; λ = 0.5: 150, 150, 170, 180 (median 160),
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

  it("reads the seed-paired fields", () => {
    expect(
      lines([
        rule({ lambda: 0 }, "compare.lambda.events.signal.pairedDiff", ">=", 50),
        rule({ lambda: 0 }, "compare.lambda.events.signal.pairs", ">=", 4),
        rule({ lambda: 0 }, "compare.lambda.events.signal.later", ">=", 4),
        rule({ lambda: 0 }, "compare.lambda.events.signal.pairedP", "<", 0.2),
        rule({ lambda: 0.5 }, "compare.lambda.events.signal.pairedLo", ">", 1000),
      ]),
    ).toEqual([
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.pairedDiff >= 50: got 50",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.pairs >= 4: got 4",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.later >= 4: got 4",
      "PASS {lambda: 0} → {lambda: 0.5} compare.lambda.events.signal.pairedP < 0.2: got 0.125", // 2 · (1/2)⁴
      "PASS {lambda: 0.5} → {lambda: 1} compare.lambda.events.signal.pairedLo > 1000: got ∞", // every seed: finite → never
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
      "FAIL {lambda: 1} order.spurious.signal.fraction >= 1: got no value",
      "PASS {lambda: 0} at0.wga.mean <= 0: got 0",
      "PASS {lambda: 0} rates.rateGap.n >= 0: got 0", // signalRate is null in every run
    ]);
  });
});

describe("runBaselineChecks", () => {
  // Baseline: the signal event at step 100 in every run of every condition (median 100).
  const baseline = study({ 1: { signal: [100, 100, 100, 100, 100, 100, 100] }, 2: { signal: [100, 100, 100, 100, 100, 100, 100] }, 3: { signal: [100, 100, 100, 100, 100, 100, 100] }, 4: { signal: [100, 100, 100, 100, 100, 100, 100] } });
  // With tolerance 25% a median above 125 is "slower"; a CI lower bound above 100 is "beyond noise".
  const current = study({
    1: { signal: [200, 200, 200, 200, 200, 200, 200] }, // slower and lower bound above: regression
    2: { signal: [40, 60, 100, 200, 200, 200, 200] }, // median 200 but lower bound ≤ 100: noise
    3: { signal: [120, 120, 120, 120, 120, 120, 120] }, // lower bound 120 > 100 but within 25%
    4: { signal: [100, 100, 100, 100, 100, 100, 100] }, // neither
  });
  const signalLines = (results: { line: string }[]) => results.filter((r) => r.line.includes("events.signal"));

  it("fails only when the median is beyond the tolerance AND the CI lower bound is above the baseline median", () => {
    const events = current.conditions.map((c) => c.events.signal);
    expect(events.map((e) => e.medianStep)).toEqual([200, 200, 120, 100]);
    expect(events[0].medianLo).toBe(200);
    expect(events[1].medianLo!).toBeLessThanOrEqual(100); // the precondition of this case
    expect(events[2].medianLo).toBe(120);
    const results = signalLines(runBaselineChecks(current, baseline, 0.25));
    expect(results).toEqual([
      { pass: false, line: "FAIL {lambda: 1} events.signal.medianStep: 200 [lo 200] vs baseline 100 (tolerance 25%)" },
      { pass: true, line: `PASS {lambda: 2} events.signal.medianStep: 200 [lo ${events[1].medianLo}] vs baseline 100 (tolerance 25%)` },
      { pass: true, line: "PASS {lambda: 3} events.signal.medianStep: 120 [lo 120] vs baseline 100 (tolerance 25%)" },
      { pass: true, line: "PASS {lambda: 4} events.signal.medianStep: 100 [lo 100] vs baseline 100 (tolerance 25%)" },
    ]);
  });

  it("uses the tolerance it is given", () => {
    const results = signalLines(runBaselineChecks(current, baseline, 0.1));
    expect(results[2]).toEqual({ pass: false, line: "FAIL {lambda: 3} events.signal.medianStep: 120 [lo 120] vs baseline 100 (tolerance 10%)" });
  });

  it("treats a censored median as ∞: slower than a finite baseline, never slower than an ∞ one", () => {
    const never = study({ 1: { signal: [null, null, null, null] } });
    expect(signalLines(runBaselineChecks(never, baseline, 0.25))).toEqual([
      { pass: false, line: "FAIL {lambda: 1} events.signal.medianStep: ∞ [lo ∞] vs baseline 100 (tolerance 25%)" },
    ]);
    expect(signalLines(runBaselineChecks(never, never, 0.25))).toEqual([
      { pass: true, line: "PASS {lambda: 1} events.signal.medianStep: ∞ [lo ∞] vs baseline ∞ (tolerance 25%)" },
    ]);
  });

  it("notes conditions that only one side has, without failing", () => {
    const partial = study({ 1: { signal: [100, 100, 100] }, 9: { signal: [100, 100, 100] } });
    const results = runBaselineChecks(partial, baseline, 0.25);
    expect(results.filter((r) => r.note).map((r) => r.line)).toEqual([
      "NOTE {lambda: 9}: not in the baseline, not compared",
      "NOTE {lambda: 2}: only in the baseline, not compared",
      "NOTE {lambda: 3}: only in the baseline, not compared",
      "NOTE {lambda: 4}: only in the baseline, not compared",
    ]);
    expect(checkTally(results)).toEqual({ passed: 2, failed: 0, line: "2 passed, 0 failed" }); // spurious and signal of λ = 1
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

  /** A results directory with summary.json and, when given, config.resolved.json with these checks. */
  function resultsDir(name: string, s: StudySummary, checks?: CheckRule[]): string {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "summary.json"), JSON.stringify(s, null, 1));
    if (checks !== undefined) {
      const config = { name: s.name, base: { d: 16, width: 16 }, grid: s.grid, seeds: [0, 1, 2, 3], events: s.events, charts: [], checks };
      writeFileSync(join(dir, "config.resolved.json"), JSON.stringify({ hash: s.configHash, config }));
    }
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

  it("compares against --baseline: exit 1 on a regression, 0 within tolerance", async () => {
    const baselineDir = resultsDir("baseline", study({ 0: { signal: [100, 100, 100, 100] } }));
    const slowerDir = resultsDir("slower", study({ 0: { signal: [200, 200, 200, 200] } }));
    captureStdout();
    expect(await checkCommand({ dir: slowerDir, baseline: baselineDir })).toBe(1);
    expect(output).toContain("FAIL {lambda: 0} events.signal.medianStep: 200 [lo 200] vs baseline 100 (tolerance 25%)\n");
    expect(output.at(-1)).toBe("1 passed, 1 failed\n");
    output = [];
    expect(await checkCommand({ dir: slowerDir, baseline: baselineDir, tolerance: "1.5" })).toBe(0);
    expect(output).toContain("PASS {lambda: 0} events.signal.medianStep: 200 [lo 200] vs baseline 100 (tolerance 150%)\n");
    expect(output.at(-1)).toBe("2 passed, 0 failed\n");
  });

  it("bad input is an InputError naming what is wrong", async () => {
    const empty = join(work, "empty");
    mkdirSync(empty, { recursive: true });
    await expect(checkCommand({ dir: join(work, "missing") })).rejects.toThrow(`${join(work, "missing")}: no such directory`);
    await expect(checkCommand({ dir: empty })).rejects.toThrow(`${join(empty, "summary.json")}: no such file`);
    writeFileSync(join(empty, "summary.json"), "{ not json");
    await expect(checkCommand({ dir: empty })).rejects.toBeInstanceOf(InputError);
    writeFileSync(join(empty, "summary.json"), JSON.stringify({ conditions: 3 }));
    await expect(checkCommand({ dir: empty })).rejects.toThrow("not a summary.json written by shortcut-bench");
    const noRules = resultsDir("no-rules", summary, []);
    await expect(checkCommand({ dir: noRules })).rejects.toThrow("nothing to check");
    await expect(checkCommand({ dir: noRules, baseline: join(work, "nope") })).rejects.toThrow("no such directory (--baseline)");
    await expect(checkCommand({ dir: noRules, baseline: noRules, tolerance: "-1" })).rejects.toThrow("--tolerance must be a number ≥ 0");
  });
});
