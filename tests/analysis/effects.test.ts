// The study's effect models (issue 18 item 2): the design matrix from the grid keys, the fit on the
// done-when study's exported events.csv against R's survreg (frozen values always; Rscript where
// installed), what an unfittable model says, the effect.* summary paths in check rules, and the
// scaling exponents of item 3.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { effectDesign, keyCoding, designRow } from "../../src/analysis/summary/effectDesign.js";
import { studyEffects, DEFAULT_EFFECTS, type EffectModel } from "../../src/analysis/summary/effects.js";
import { validateSummaryPath } from "../../src/analysis/summaryPaths.js";
import { effectValue } from "../../src/analysis/summaryPathValues.js";
import { runThresholdChecks } from "../../src/analysis/check.js";
import { scalingExponent } from "../../src/analysis/scalingExponents.js";
import { normalQuantile } from "../../src/analysis/statistics/distributions.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { conditionsOf, loadStudyConfig, parseStudyConfig } from "../../src/config/studyConfig.js";
import { toCsv } from "../../src/export/csv.js";
import { buildTable } from "../../src/export/tables.js";
import { effectsTable } from "../../src/export/effectsTable.js";
import { resolvedConfigOf, studyHash } from "../../src/study/resolvedConfig.js";
import type { StudySummary } from "../../src/analysis/summaryTypes.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { answersRecords } from "../support/answersStudy.js";
import { rBatch } from "../support/rReference.js";

function record(condition: Record<string, unknown>, seed: number, events: Record<string, number | null>, steps = 150, batch = 64): RunRecord {
  return {
    condition,
    params: resolveParams({ ...condition, seed, steps, batch }),
    seed,
    events,
    rates: { spuriousRate: null, signalRate: null },
    final: {} as RunRecord["final"],
    trajectory: [],
    diverged: null,
    wallMs: 1,
    engine: { threads: 1, shards: 1, kernel: "test", version: "test" },
  };
}

// Issue 18's done-when study (configs/answers.json5: width 16, 32, 64 × λ 0, 0.5 × 12 seeds, 150
// steps), its runs from the event steps the study computes (tests/support/answersStudy.ts), and the
// events.csv that `shortcut-bench export --what events` writes of them.
const CONFIG = loadStudyConfig(fileURLToPath(new URL("../../configs/answers.json5", import.meta.url)));
const RECORDS = answersRecords();
const GRID = CONFIG.grid as { width: number[]; lambda: number[] };
const EVENTS_CSV = toCsv(buildTable("events", RECORDS, conditionsOf(CONFIG), Object.keys(CONFIG.events), CONFIG.gaps));
const EFFECTS = studyEffects({ grid: GRID, events: ["spurious", "signal"], gaps: [["spurious", "signal"]], records: RECORDS, config: DEFAULT_EFFECTS });
const SIGNAL = EFFECTS.models.find((m) => m.response === "signal")!;
const SPURIOUS = EFFECTS.models.find((m) => m.response === "spurious")!;
const GAP = EFFECTS.models.find((m) => m.response === "gap.spurious.signal")!;

/**
 * survreg(Surv(step, reached) ~ log(width) + lambda, data = subset(read.csv("events.csv"),
 * event == "signal"), dist = "weibull") with survival 3.5-3 on R 4.2.2, on the study's exported
 * events.csv: coef, se, p of each term.
 */
const SURVREG_SIGNAL = {
  "(Intercept)": { coef: 5.2671532196418758, se: 0.10144523540674714 },
  width: { coef: -0.101235848883069, se: 0.028709539795533652, p: 4.2155352740979517e-4 },
  lambda: { coef: -0.13365293395812264, se: 0.066434739391387124, p: 0.044241777562799768 },
  "Log(scale)": { coef: -2.0445943567212428, se: 0.10294237786922857 },
};

function expectRelative(actual: number, expected: number, tolerance = 1e-4): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

/** The same for the gap spurious → signal (its rows exist only at lambda = 0.5, where the spurious event happens). */
const SURVREG_GAP = {
  "(Intercept)": { coef: 4.9106346552926707, se: 0.13414824719234203 },
  width: { coef: -0.053962509925053179, se: 0.038018449535174748, p: 0.15578915658395465 },
  "Log(scale)": { coef: -2.0359203976890816, se: 0.13788718478633052 },
};

/** Every effect.signal.<term>.<field> from R's coef and se: Wald CI, time ratio per doubling (log key) or per unit. */
function expectTermsAgree(model: EffectModel, reference: Record<string, { coef: number; se: number; p?: number }>): void {
  const z = normalQuantile(0.975, 0, 1);
  for (const term of model.terms) {
    const r = reference[term.term];
    const perUnit = term.unit === "doubling" ? Math.LN2 : 1;
    expectRelative(term.coef, r.coef);
    expectRelative(term.se, r.se);
    expectRelative(term.lo, r.coef - z * r.se);
    expectRelative(term.hi, r.coef + z * r.se);
    expectRelative(term.p, r.p!);
    expectRelative(term.timeRatio, Math.exp(r.coef * perUnit));
    expectRelative(term.timeRatioLo, Math.exp((r.coef - z * r.se) * perUnit));
    expectRelative(term.timeRatioHi, Math.exp((r.coef + z * r.se) * perUnit));
  }
  expectRelative(model.intercept!.coef, reference["(Intercept)"].coef);
  expectRelative(model.intercept!.se, reference["(Intercept)"].se);
  expectRelative(model.logScale!.coef, reference["Log(scale)"].coef);
  expectRelative(model.logScale!.se, reference["Log(scale)"].se);
}

const live = rBatch({
  signal: {
    csv: EVENTS_CSV,
    code: [
      '  fit <- survreg(Surv(step, reached) ~ log(width) + lambda, data = subset(data, event == "signal"), dist = "weibull")',
      "  table <- summary(fit)$table",
      '  for (term in rownames(table)) put(term, table[term, c("Value", "Std. Error", "p")])',
    ].join("\n"),
  },
  gap: {
    csv: EVENTS_CSV,
    code: [
      '  fit <- survreg(Surv(step, reached) ~ log(width), data = subset(data, event == "gap.spurious.signal"), dist = "weibull")',
      "  table <- summary(fit)$table",
      '  for (term in rownames(table)) put(term, table[term, c("Value", "Std. Error", "p")])',
    ].join("\n"),
  },
});

/** R's table as the reference expectTermsAgree takes: log(width) is the term `width`. */
function referenceOf(r: Record<string, number[]>): Record<string, { coef: number; se: number; p: number }> {
  return Object.fromEntries(Object.entries(r).map(([name, [coef, se, p]]) => [name === "log(width)" ? "width" : name, { coef, se, p }]));
}

describe("the design matrix from the grid keys", () => {
  it("codes positive keys spanning a factor ≥ 4 as log, other numbers linearly, anything else as levels", () => {
    expect(keyCoding([16, 32, 64])).toBe("log");
    expect(keyCoding([0.25, 1])).toBe("log");
    expect(keyCoding([32, 64])).toBe("linear"); // a factor of 2
    expect(keyCoding([0, 0.5, 1])).toBe("linear"); // not all positive
    expect(keyCoding(["relu", "leaky"])).toBe("levels");
    expect(keyCoding([true, false])).toBe("levels");
  });
  it("writes the R formula, leaves out a key with one value, and names levels and interactions", () => {
    const design = effectDesign({ width: [16, 32, 64], lambda: [0, 0.5], lr: [0.5], activation: ["relu", "leaky"], bias: [false, true] }, [["width", "lambda"]]);
    expect(design.formulaTerms).toBe('log(width) + lambda + factor(activation, levels = c("relu", "leaky")) + factor(bias, levels = c(FALSE, TRUE)) + log(width):lambda');
    expect(design.notes).toEqual(["lr has one value among the runs (0.5): no effect to estimate"]);
    expect(design.columns.map((c) => c.term)).toEqual(["width", "lambda", "activation=leaky", "bias=true", "width:lambda"]);
    expect(design.columns.map((c) => c.unit)).toEqual(["doubling", "unit", "level", "level", "doubling"]);
    expect(designRow(design, { width: 32, lambda: 0.5, activation: "leaky", bias: false })).toEqual([1, Math.log(32), 0.5, 1, 0, Math.log(32) * 0.5]);
  });
  it("names a variant's level by its index in the grid", () => {
    const design = effectDesign({ variant: [{}, { activation: "leaky" }, { bias: true }] });
    expect(design.columns.map((c) => [c.term, c.label])).toEqual([["variant=1", "variant = activation=leaky"], ["variant=2", "variant = bias=true"]]);
  });
});

describe("the effects of the done-when study (width × lambda, 12 seeds, 150 steps) against R", () => {
  it("is the study the issue describes: 72 runs, 9 signal events censored", () => {
    expect(RECORDS).toHaveLength(72);
    expect(RECORDS.filter((r) => r.events.signal === null)).toHaveLength(9);
    expect(SIGNAL.formula).toBe('survreg(Surv(step, reached) ~ log(width) + lambda, dist = "weibull")');
    expect([SIGNAL.n, SIGNAL.events]).toEqual([72, 63]);
  });
  it("every effect.signal.* agrees with frozen survreg values to 1e-4 relative", () => {
    expect(SIGNAL.reason).toBeNull();
    expect(SIGNAL.terms.map((t) => t.term)).toEqual(["width", "lambda"]);
    expectTermsAgree(SIGNAL, SURVREG_SIGNAL);
  });
  it.skipIf(live === null)("every effect.signal.* agrees with Rscript's survreg on the same events.csv", () => {
    expectTermsAgree(SIGNAL, referenceOf(live!.signal));
  });
  it("the gap spurious → signal: its model leaves lambda out (every gap is at lambda = 0.5) and agrees with survreg", () => {
    expect(GAP.formula).toBe('survreg(Surv(step, reached) ~ log(width), dist = "weibull")');
    expect(GAP.notes).toEqual(["lambda has one value among the runs (0.5): no effect to estimate"]);
    expect([GAP.n, GAP.events]).toEqual([36, 35]);
    expectTermsAgree(GAP, SURVREG_GAP);
    if (live !== null) expectTermsAgree(GAP, referenceOf(live.gap));
  });
  it("says why the spurious model cannot be fitted: no run at lambda = 0 reached it", () => {
    expect(SPURIOUS.terms).toEqual([]);
    expect(SPURIOUS.reason).toBe(
      "lambda cannot be estimated: the likelihood keeps rising as its coefficient grows without bound — separation (every run with lambda=0 is censored)",
    );
  });
  it("is the same for the records in any order", () => {
    const again = studyEffects({ grid: GRID, events: ["signal"], gaps: [], records: [...RECORDS].reverse(), config: DEFAULT_EFFECTS });
    expect(again.models[0]).toEqual(SIGNAL);
  });
  it("fits the log-normal model and interactions when the config asks", () => {
    const effects = studyEffects({ grid: GRID, events: ["signal"], gaps: [], records: RECORDS, config: { dist: "lognormal", interactions: [["width", "lambda"]] } });
    expect(effects.models[0].formula).toBe('survreg(Surv(step, reached) ~ log(width) + lambda + log(width):lambda, dist = "lognormal")');
    expect(effects.models[0].terms.map((t) => t.term)).toEqual(["width", "lambda", "width:lambda"]);
  });
  it("says so when no key varies, or every run is censored", () => {
    const one = studyEffects({ grid: { width: [16] }, events: ["signal"], gaps: [], records: RECORDS.filter((r) => r.condition.width === 16), config: DEFAULT_EFFECTS });
    expect(one.models[0].reason).toBe("no grid key has two or more values: there is no effect to estimate");
    expect(one.models[0].notes).toEqual(["width has one value among the runs (16): no effect to estimate"]);
    const never = RECORDS.map((r) => ({ ...r, events: { signal: null } }));
    expect(studyEffects({ grid: GRID, events: ["signal"], gaps: [], records: never, config: DEFAULT_EFFECTS }).models[0].reason).toBe("all 72 runs are censored: no event to fit");
  });
});

describe("effect.* summary paths", () => {
  const events = { ...DEFAULT_EVENTS };
  const summary = { name: "s", configHash: "h", events, grid: GRID, conditions: [], comparisons: [], effects: EFFECTS } as unknown as StudySummary;
  it("parse, and read the model's terms", () => {
    const path = validateSummaryPath("effect.signal.width.timeRatio", "test", events, GRID);
    expect(path).toEqual({ section: "effect", response: "signal", term: "width", field: "timeRatio" });
    expect(effectValue(summary, path as Parameters<typeof effectValue>[1])).toBe(SIGNAL.terms[0].timeRatio);
    expect(validateSummaryPath("effect.gap.spurious.signal.width:lambda.p", "test", events, GRID)).toEqual({ section: "effect", response: "gap.spurious.signal", term: "width:lambda", field: "p" });
  });
  it("refuse what the study cannot have, naming it", () => {
    expect(() => validateSummaryPath("effect.signal.d.coef", "test", events, GRID)).toThrow(/'d' in 'effect.signal.d.coef' is not a grid key.*grid keys: width, lambda/);
    expect(() => validateSummaryPath("effect.signal.width.ratio", "test", events, GRID)).toThrow(/unknown effect field 'ratio'.*timeRatio/);
    expect(() => validateSummaryPath("effect.signl.width.coef", "test", events, GRID)).toThrow(/unknown event 'signl'.*signal/);
    expect(() => validateSummaryPath("effect.signal.coef", "test", events, GRID)).toThrow(/an effect path is 'effect.<event>.<term>.<field>'/);
  });
  it("make one study-level check line, with the reason when there is no model", () => {
    const rules = [
      { where: {}, metric: "effect.signal.width.timeRatio", op: "<" as const, value: 1 },
      { where: {}, metric: "effect.spurious.width.coef", op: "<" as const, value: 0 },
    ];
    const lines = runThresholdChecks(summary, rules).map((r) => r.line);
    expect(lines[0]).toBe(`PASS study effect.signal.width.timeRatio < 1: got ${Number(SIGNAL.terms[0].timeRatio.toPrecision(6))}`);
    expect(lines[1]).toMatch(/^FAIL study effect\.spurious\.width\.coef < 0: got no value \(lambda cannot be estimated: .*separation/);
  });
  it("refuse a where in a config's check rule, with the reason", () => {
    const config = { name: "x", grid: GRID, seeds: 2, checks: [{ where: { lambda: 0 }, metric: "effect.signal.width.timeRatio", op: "<", value: 1 }] };
    expect(() => parseStudyConfig(config, "x.json5")).toThrow(/checks\[0\]\.where.*one number for the whole study.*remove the where/);
  });
  it("validate the config's effects block", () => {
    const base = { name: "x", grid: GRID, seeds: 2 };
    expect(parseStudyConfig({ ...base, effects: { dist: "lognormal", interactions: [["width", "lambda"]] } }, "x.json5").effects).toEqual({ dist: "lognormal", interactions: [["width", "lambda"]] });
    expect(parseStudyConfig(base, "x.json5").effects).toBeUndefined();
    expect(() => parseStudyConfig({ ...base, effects: { dist: "gamma" } }, "x.json5")).toThrow(/effects\.dist: must be one of 'weibull', 'lognormal', got "gamma"/);
    expect(() => parseStudyConfig({ ...base, effects: { interactions: [["width", "d"]] } }, "x.json5")).toThrow(/'d' is not a grid key with two or more values/);
    expect(() => parseStudyConfig({ ...base, effects: { interactions: [["width", "width"]] } }, "x.json5")).toThrow(/with itself/);
    expect(() => parseStudyConfig({ ...base, effects: { interaction: [] } }, "x.json5")).toThrow(/interaction/);
  });
  it("keep the effects out of the study hash (they only read the results), and in config.resolved.json", () => {
    const base = { name: "x", grid: GRID, seeds: 2 };
    const plain = resolvedConfigOf(parseStudyConfig(base, "x.json5"), "simd");
    const withEffects = resolvedConfigOf(parseStudyConfig({ ...base, effects: { dist: "lognormal" } }, "x.json5"), "simd");
    expect(withEffects.effects).toEqual({ dist: "lognormal", interactions: [] });
    expect("effects" in plain).toBe(false);
    expect(studyHash(withEffects)).toBe(studyHash(plain));
  });
});

describe("export --what effects", () => {
  it("has one row per term of each fitted model, and the reason for one that is not", () => {
    const summary = { effects: EFFECTS } as unknown as StudySummary;
    const table = effectsTable(summary);
    const column = (name: string) => table.columns.find((c) => c.name === name)!.values;
    expect(column("response")).toEqual(["spurious", "signal", "signal", "gap.spurious.signal"]);
    expect(column("term")).toEqual([null, "width", "lambda", "width"]);
    expect(column("timeRatio")[1]).toBe(SIGNAL.terms[0].timeRatio);
    expect(column("reason")[0]).toBe(SPURIOUS.reason);
    expect(column("formula")[3]).toBe(GAP.formula);
  });
});

describe("scaling exponents (item 3)", () => {
  const ds = [32, 64, 128, 256];
  // steps ∝ d^0.7 with multiplicative noise that repeats for every d, and λ = 1 never reaching it
  const noise = [0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.2, 0.85];
  const records = ds.flatMap((d) => noise.flatMap((f, seed) => [record({ d, lambda: 0 }, seed, { signal: Math.round(5 * d ** 0.7 * f) }, 5000), record({ d, lambda: 1 }, seed, { signal: null }, 5000)]));
  it("recovers the exponent and equal local exponents of a power law, with CIs", () => {
    const fit = scalingExponent(records, { key: "d", event: "signal", where: { lambda: 0 } });
    expect(fit.reason).toBeNull();
    expect(fit.exponent!.estimate).toBeCloseTo(0.7, 2);
    expect(fit.exponent!.lo).toBeLessThan(0.7);
    expect(fit.exponent!.hi).toBeGreaterThan(0.7);
    expect(fit.local.map((l) => [l.from, l.to])).toEqual([[32, 64], [64, 128], [128, 256]]);
    for (const l of fit.local) {
      expect(l.estimate).toBeCloseTo(0.7, 1);
      expect(l.lo).toBeLessThan(l.estimate);
      expect(l.hi).toBeGreaterThan(l.estimate);
    }
    expect(fit.formula).toBe('survreg(Surv(step, reached) ~ log(d), data = subset(events, event == "signal" & lambda == 0), dist = "weibull")');
    // the fitted median line passes through the Kaplan–Meier medians (5·d^0.7 up to the noise's median)
    expect(Math.exp(fit.medianIntercept! + 0.7 * Math.log(128)) / (5 * 128 ** 0.7)).toBeCloseTo(1, 1);
  });
  it("gives the same exponent for samples = step × batch, and says why it cannot fit", () => {
    const steps = scalingExponent(records, { key: "d", event: "signal", where: { lambda: 0 } });
    const samples = scalingExponent(records, { key: "d", event: "signal", response: "samples", where: { lambda: 0 } });
    expect(samples.exponent!.estimate).toBeCloseTo(steps.exponent!.estimate, 10);
    expect(samples.medianIntercept! - steps.medianIntercept!).toBeCloseTo(Math.log(64), 8);
    expect(scalingExponent(records, { key: "d", event: "signal", where: { lambda: 1 } }).reason).toBe("all 32 runs are censored: no event to fit");
    expect(scalingExponent(records, { key: "lambda", event: "signal", where: { d: 32 } }).reason).toMatch(/lambda needs two or more positive numeric values among the runs chosen, has 0, 1/);
  });
});
