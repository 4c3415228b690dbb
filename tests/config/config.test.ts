// Config loading and validation: every bad input is an InputError naming the file and the key.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, levenshtein, nearestName } from "../../src/config/inputError.js";
import { defaultParams, resolveParams } from "../../src/config/modelKeys.js";
import { renderStudyConfigSchema, studyConfigJsonSchema } from "../../src/config/schema.js";
import { conditionsOf, loadStudyConfig, paramsFor, validateSeeds } from "../../src/config/studyConfig.js";
import { loadThresholdsFile } from "../../src/config/checkRules.js";
import { checkParamConsistency, parseFlagValue, validateModelParams } from "../../src/config/validateParams.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";

const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
/** Writes `text` to a fresh file `<name>.json5` under the temp dir and returns its path. */
function configFile(text: string, name = `study${++fileCount}`): string {
  const file = join(dir, `${name}.json5`);
  writeFileSync(file, text);
  return file;
}

/** The InputError thrown by `fn`, failing the test when it throws nothing or something else. */
function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError, but nothing was thrown");
}

/** Loads a config from `text`, expects an InputError naming the file, and returns its message. */
function configError(text: string): string {
  const file = configFile(text);
  const error = inputErrorOf(() => loadStudyConfig(file));
  expect(error.file).toBe(file);
  expect(error.message.startsWith(`${file}: `) || error.message.startsWith(`${file}:`)).toBe(true);
  return error.message.slice(file.length);
}

describe("bad study configs", () => {
  it("names an unknown base key and suggests the nearest one", () => {
    const message = configError(`{ base: { lamda: 0.5 }, seeds: 2 }`);
    expect(message).toBe(": base: unknown key 'lamda'; did you mean 'lambda'?");
  });

  it("lists the allowed keys when no key is near", () => {
    const message = configError(`{ base: { momentum: 0.9 }, seeds: 2 }`);
    expect(message).toContain("base: unknown key 'momentum'; allowed: d, width, batch, lr");
  });

  it("suggests the nearest top-level key", () => {
    expect(configError(`{ seed: 3 }`)).toBe(": unknown key 'seed'; did you mean 'seeds'?");
    expect(configError(`{ seeds: 3, grd: {} }`)).toContain("unknown key 'grd'; did you mean 'grid'?");
  });

  it("rejects wrong types with the allowed range", () => {
    expect(configError(`{ base: { width: 12.5 }, seeds: 1 }`)).toBe(
      ": base.width: must be an integer in [1, 65536], got 12.5",
    );
    expect(configError(`{ base: { lr: "0.1" }, seeds: 1 }`)).toBe(
      ': base.lr: must be a number in (0, 1000000], got "0.1"',
    );
    expect(configError(`{ base: { bias: 1 }, seeds: 1 }`)).toBe(": base.bias: must be a boolean, got 1");
    expect(configError(`{ base: { activation: "tanh" }, seeds: 1 }`)).toBe(
      ": base.activation: must be one of 'relu', 'leaky', 'linear', got \"tanh\"",
    );
    expect(configError(`{ base: { initA: null }, seeds: 1 }`)).toContain("base.initA: must be a number in (0, 1000000], got null");
  });

  it("rejects out-of-range values", () => {
    expect(configError(`{ base: { lambda: 1.5 }, seeds: 1 }`)).toBe(": base.lambda: must be a number in [0, 1], got 1.5");
    expect(configError(`{ base: { lr: 0 }, seeds: 1 }`)).toBe(": base.lr: must be a number in (0, 1000000], got 0");
    expect(configError(`{ base: { d: 2 }, seeds: 1 }`)).toContain("base.d: must be an integer in [3, 65536], got 2");
  });

  it("rejects non-finite numbers (JSON5 allows Infinity and NaN)", () => {
    expect(configError(`{ base: { weightDecay: Infinity }, seeds: 1 }`)).toBe(
      ": base.weightDecay: must be a number in [0, 1000000], got Infinity",
    );
    expect(configError(`{ base: { lr: NaN }, seeds: 1 }`)).toContain("base.lr: must be a number in (0, 1000000], got NaN");
  });

  it("accepts null only for trainSize", () => {
    expect(configError(`{ base: { trainSize: 0 }, seeds: 1 }`)).toBe(
      ": base.trainSize: must be an integer in [1, 16777216] or null, got 0",
    );
    expect(configError(`{ base: { steps: null }, seeds: 1 }`)).toContain("base.steps: must be an integer");
  });

  it("refuses a null or non-object base", () => {
    expect(configError(`{ base: null, seeds: 1 }`)).toBe(": base: must be an object of model keys, got null");
    expect(configError(`[1, 2]`)).toBe(": a study config must be an object, got [1,2]");
  });

  it("refuses a seed in base", () => {
    expect(configError(`{ base: { seed: 3 }, seeds: 1 }`)).toContain("base.seed: the seed of each run comes from 'seeds'");
  });

  it("names the grid value that is out of range", () => {
    expect(configError(`{ grid: { lambda: [0, 0.5, 2] }, seeds: 1 }`)).toBe(
      ": grid.lambda[2]: must be a number in [0, 1], got 2",
    );
  });

  it("rejects an empty grid array, a non-array, a repeated value and an unknown grid key", () => {
    expect(configError(`{ grid: { lambda: [] }, seeds: 1 }`)).toBe(": grid.lambda: is empty; give at least one value");
    expect(configError(`{ grid: { lambda: 0.5 }, seeds: 1 }`)).toContain("grid.lambda: must be a non-empty array");
    expect(configError(`{ grid: { lambda: [0, 0.5, 0] }, seeds: 1 }`)).toBe(": grid.lambda[2]: repeats the value 0");
    expect(configError(`{ grid: { widht: [2] }, seeds: 1 }`)).toBe(": grid: unknown key 'widht'; did you mean 'width'?");
  });

  it("refuses seed in the grid", () => {
    expect(configError(`{ grid: { seed: [1, 2] }, seeds: 1 }`)).toBe(
      ": grid.seed: the seeds of a study come from 'seeds', not from the grid",
    );
  });

  it("checks cross-key rules on every grid condition's resolved params", () => {
    const message = configError(`{ base: { symmetricInit: true }, grid: { width: [64, 127] }, seeds: 1 }`);
    expect(message).toBe(": grid condition {width: 127}: symmetricInit needs an even width, got width 127");
    // The default width (128) is even; an odd one in base is caught without a grid.
    expect(configError(`{ base: { symmetricInit: true, width: 5 }, seeds: 1 }`)).toContain("base: symmetricInit needs an even width");
    expect(configError(`{ base: { trainSize: 32 }, grid: { batch: [16, 64] }, seeds: 1 }`)).toBe(
      ": grid condition {batch: 64}: batch (64) must not exceed trainSize (32)",
    );
  });

  it("reports JSON5 syntax errors as file:line:col", () => {
    const file = configFile(`{\n  seeds: 2,\n  base: { lambda: ] }\n}`);
    const error = inputErrorOf(() => loadStudyConfig(file));
    expect(error.message).toBe(`${file}:3:19: invalid character ']'`);
    expect(error.file).toBe(file);
  });

  it("names a missing file", () => {
    const file = join(dir, "does-not-exist.json5");
    const error = inputErrorOf(() => loadStudyConfig(file));
    expect(error.message).toBe(`${file}: no such file`);
  });

  it("rejects bad seeds", () => {
    expect(configError(`{ base: {} }`)).toContain("seeds: missing; give a seed count");
    expect(configError(`{ seeds: 0 }`)).toBe(": seeds: a seed count must be an integer in [1, 1000000], got 0");
    expect(configError(`{ seeds: 2.5 }`)).toContain("seeds: a seed count must be an integer");
    expect(configError(`{ seeds: [] }`)).toContain("seeds: must be a seed count");
    expect(configError(`{ seeds: [1, 2, 1] }`)).toBe(": seeds[2]: repeats the seed 1");
    expect(configError(`{ seeds: [1, -1] }`)).toBe(": seeds[1]: a seed must be an integer in [0, 4294967295], got -1");
    expect(configError(`{ seeds: [4294967296] }`)).toContain("seeds[0]: a seed must be an integer");
    expect(configError(`{ seeds: "10" }`)).toContain('seeds: must be a seed count (a positive integer) or a non-empty list');
  });

  it("names an unknown event metric with a suggestion", () => {
    expect(configError(`{ seeds: 1, events: { early: { metric: "wgaa", op: ">=", value: 0.5 } } }`)).toBe(
      ": events.early.metric: unknown metric 'wgaa'; did you mean 'wga'?",
    );
  });

  it("rejects a new event with missing fields, a bad name, a bad op and a bad value", () => {
    expect(configError(`{ seeds: 1, events: { early: { metric: "wga" } } }`)).toBe(
      ": events.early.op: missing (a new event needs metric, op and value)",
    );
    expect(configError(`{ seeds: 1, events: { "2x": { metric: "wga", op: ">=", value: 1 } } }`)).toContain(
      "events.2x: an event name must start with a letter",
    );
    expect(configError(`{ seeds: 1, events: { early: { metric: "wga", op: "=>", value: 1 } } }`)).toBe(
      ": events.early.op: must be one of '>=', '<=', '>', '<', got \"=>\"",
    );
    expect(configError(`{ seeds: 1, events: { early: { metric: "wga", op: ">", value: "high" } } }`)).toBe(
      ': events.early.value: must be a finite number, got "high"',
    );
    expect(configError(`{ seeds: 1, events: { early: { metric: "wga", op: ">", value: 1, vlaue: 2 } } }`)).toContain(
      "events.early: unknown key 'vlaue'; did you mean 'value'?",
    );
  });

  it("names an unknown chart metric", () => {
    expect(configError(`{ seeds: 1, charts: [["wga", "accMinorty"]] }`)).toBe(
      ": charts[0][1]: unknown metric 'accMinorty'; did you mean 'accMinority'?",
    );
    expect(configError(`{ seeds: 1, charts: [[]] }`)).toContain("charts[0]: a chart must be a non-empty array");
  });

  it("names an unknown summary path in a check rule", () => {
    const rule = (metric: string) => `{ seeds: 1, checks: [{ metric: "${metric}", op: "<=", value: 0.1 }] }`;
    expect(configError(rule("events.signl.reachedFraction"))).toBe(
      ": checks[0].metric: unknown event 'signl' in 'events.signl.reachedFraction'; did you mean 'signal'?",
    );
    expect(configError(rule("events.signal.median"))).toContain("checks[0].metric: unknown event field 'median'");
    expect(configError(rule("final.wga.avg"))).toContain("checks[0].metric: unknown field 'avg' in 'final.wga.avg'");
    expect(configError(rule("rates.spuriousRte.mean"))).toContain("did you mean 'spuriousRate'?");
    expect(configError(rule("finals.wga.mean"))).toContain("unknown summary section 'finals' in 'finals.wga.mean'; did you mean 'final'?");
    expect(configError(rule("wga"))).toContain("checks[0].metric: must be a summary path 'events.<event>.<field>'");
  });

  it("names what is wrong in the order, at<step>, change<step>, rates.rateGap and compare paths", () => {
    const rule = (metric: string, where = "{}") =>
      `{ grid: { lambda: [0, 0.5, 1] }, seeds: 1, checks: [{ where: ${where}, metric: "${metric}", op: ">", value: 0 }] }`;
    expect(configError(rule("order.spurious.signal"))).toBe(
      ": checks[0].metric: an order path is 'order.<first event>.<second event>.<field>', got 'order.spurious.signal'",
    );
    expect(configError(rule("order.spurious.spurious.fraction"))).toContain("orders an event against itself");
    expect(configError(rule("order.spurious.signal.fracton"))).toContain("unknown order field 'fracton' in 'order.spurious.signal.fracton'; did you mean 'fraction'?");
    expect(configError(rule("at150.wga.mean"))).toBe(
      ": checks[0].metric: 'at150' in 'at150.wga.mean' is not a checkpoint: at<step> is summarized at step 0 and 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, … (those a run evaluates)",
    );
    expect(configError(rule("change0.wga.mean"))).toContain("'change0' in 'change0.wga.mean' is not a checkpoint: change<step> is summarized at step 1, 2, 5");
    expect(configError(rule("at10.wga.mean"))).toBe(
      ": checks[0].metric: step 10 of 'at10.wga.mean' is not evaluated in {lambda: 0} (evalEvery 25, steps 2000)",
    );
    expect(configError(rule("rates.rateGp.lo"))).toContain("unknown rate 'rateGp' in 'rates.rateGp.lo'; did you mean 'rateGap'?");
    expect(configError(rule("compare.lamda.events.signal.diff"))).toContain("unknown key 'lamda' in 'compare.lamda.events.signal.diff'; did you mean 'lambda'?");
    expect(configError(rule("compare.width.events.signal.diff"))).toBe(
      ": checks[0].metric: 'width' in 'compare.width.events.signal.diff' is not a grid key, so nothing is compared along it; grid keys: lambda",
    );
    expect(configError(rule("compare.lambda.events.signal"))).toContain("a comparison path is 'compare.<grid key>.<section>.<name>.<field>'");
    expect(configError(rule("compare.lambda.order.spurious.signal"))).toContain("'order' cannot be compared");
    expect(configError(rule("compare.lambda.events.signal.mean"))).toContain("unknown comparison field 'mean' in 'compare.lambda.events.signal.mean'");
    expect(configError(rule("compare.lambda.final.wga.pairedLo"))).toContain(
      "unknown comparison field 'pairedLo' in 'compare.lambda.final.wga.pairedLo'; allowed: diff, lo, hi, pValue",
    );
    expect(configError(rule("compare.lambda.events.signal.pairedLo", "{ lambda: 1 }"))).toBe(
      ": checks[0].where: lambda: 1 is the last value of grid.lambda; 'compare.lambda.events.signal.pairedLo' compares a condition with the next value",
    );
    expect(configError(`{ seeds: 1, checks: [{ metric: "compare.lambda.events.signal.diff", op: ">", value: 0 }] }`)).toContain(
      "'lambda' in 'compare.lambda.events.signal.diff' is not a grid key",
    );
    expect(configError(`{ grid: { lambda: [1] }, seeds: 1, checks: [{ metric: "compare.lambda.events.signal.diff", op: ">", value: 0 }] }`)).toContain(
      "grid.lambda has one value, so 'compare.lambda.events.signal.diff' has nothing to compare",
    );
  });

  it("checks grid variants: objects of model keys, not grid keys, not repeated", () => {
    expect(configError(`{ grid: { variant: [{}, "leaky"] }, seeds: 1 }`)).toContain("grid.variant[1]: a variant must be an object of model keys");
    expect(configError(`{ grid: { variant: [{ activaton: "leaky" }] }, seeds: 1 }`)).toBe(
      ": grid.variant[0]: unknown key 'activaton'; did you mean 'activation'?",
    );
    expect(configError(`{ grid: { variant: [{ activation: "tanh" }] }, seeds: 1 }`)).toContain("grid.variant[0].activation: must be one of 'relu', 'leaky'");
    expect(configError(`{ grid: { lambda: [0, 1], variant: [{ lambda: 0.5 }] }, seeds: 1 }`)).toBe(
      ": grid.variant[0].lambda: 'lambda' is also a grid key; a variant may only set keys the grid does not",
    );
    expect(configError(`{ grid: { variant: [{ bias: true }, { bias: true }] }, seeds: 1 }`)).toBe(': grid.variant[1]: repeats the value {"bias":true}');
    expect(configError(`{ grid: { variant: [{ seed: 1 }] }, seeds: 1 }`)).toContain("grid.variant[0].seed: the seeds of a study come from 'seeds'");
    expect(configError(`{ grid: { variant: [{ symmetricInit: true, width: 3 }] }, seeds: 1 }`)).toContain("symmetricInit needs an even width");
    expect(
      configError(`{ grid: { lambda: [0, 1], variant: [{}, { bias: true }] }, seeds: 1, checks: [{ metric: "compare.variant.events.signal.diff", op: ">", value: 0 }] }`),
    ).toContain("variants are compared with the first variant in the report");
  });

  it("rejects a bad op, a non-number value and a where that matches no condition in a check rule", () => {
    expect(configError(`{ seeds: 1, checks: [{ metric: "final.wga.mean", op: "==", value: 1 }] }`)).toBe(
      ": checks[0].op: must be one of '>=', '<=', '>', '<', got \"==\"",
    );
    expect(configError(`{ seeds: 1, checks: [{ metric: "final.wga.mean", op: ">=" }] }`)).toBe(
      ": checks[0].value: must be a finite number, got nothing",
    );
    expect(
      configError(`{ grid: { lambda: [0, 1] }, seeds: 1, checks: [{ where: { lambda: 0.5 }, metric: "final.wga.mean", op: ">=", value: 0.9 }] }`),
    ).toBe(": checks[0].where.lambda: 0.5 matches no condition; grid.lambda has 0, 1");
    expect(
      configError(`{ seeds: 1, checks: [{ where: { lamda: 1 }, metric: "final.wga.mean", op: ">=", value: 0.9 }] }`),
    ).toBe(": checks[0].where: unknown key 'lamda'; did you mean 'lambda'?");
  });

  it("rejects a bad name, including one derived from the file name", () => {
    expect(configError(`{ name: "my study", seeds: 1 }`)).toContain("name: must be a non-empty string of letters");
    const file = configFile(`{ seeds: 1 }`, "my study");
    expect(inputErrorOf(() => loadStudyConfig(file)).message).toContain("name: the file name 'my study' is not a valid study name");
  });
});

describe("good study configs", () => {
  const text = `// a comment, as JSON5 allows
  {
    $schema: "../schema/study.schema.json",
    description: "lambda sweep",
    base: { width: 64, steps: 500, trainSize: null },
    grid: { lambda: [0, 0.5, 1], batch: [32, 64] },
    seeds: 3,
    events: {
      signal: { value: 0.8 }, // override one field of a default event
      early: { metric: "signAlign", op: ">", value: 0.9 },
    },
    charts: [["signAlign", "wga"]],
    checks: [
      { where: { lambda: 1 }, metric: "events.signal.reachedFraction", op: "<=", value: 0.1, description: "lambda = 1 blocks XOR" },
      { metric: "rates.spuriousRate.lo", op: ">", value: 0 },
    ],
  }`;

  it("loads a valid config with its name from the file name", () => {
    const file = configFile(text, "sweep");
    const config = loadStudyConfig(file);
    expect(config.file).toBe(file);
    expect(config.name).toBe("sweep");
    expect(config.description).toBe("lambda sweep");
    expect(config.base).toEqual({ width: 64, steps: 500, trainSize: null });
    expect(config.grid).toEqual({ lambda: [0, 0.5, 1], batch: [32, 64] });
    expect(config.seeds).toEqual([0, 1, 2]);
    expect(config.events).toEqual({
      spurious: DEFAULT_EVENTS.spurious,
      signal: { metric: "wga", op: ">=", value: 0.8 },
      early: { metric: "signAlign", op: ">", value: 0.9 },
    });
    expect(config.charts).toEqual([["signAlign", "wga"]]);
    expect(config.checks).toEqual([
      { where: { lambda: 1 }, metric: "events.signal.reachedFraction", op: "<=", value: 0.1, description: "lambda = 1 blocks XOR" },
      { where: {}, metric: "rates.spuriousRate.lo", op: ">", value: 0 },
    ]);
  });

  it("gives the cartesian product of the grid, first key slowest", () => {
    const config = loadStudyConfig(configFile(text));
    expect(conditionsOf(config)).toEqual([
      { lambda: 0, batch: 32 },
      { lambda: 0, batch: 64 },
      { lambda: 0.5, batch: 32 },
      { lambda: 0.5, batch: 64 },
      { lambda: 1, batch: 32 },
      { lambda: 1, batch: 64 },
    ]);
    expect(conditionsOf({ grid: {} })).toEqual([{}]);
  });

  it("resolves params: defaults, then base, then the condition, then the seed", () => {
    const config = loadStudyConfig(configFile(text));
    const params = paramsFor(config, { lambda: 0.5, batch: 32 }, 7);
    expect(params).toEqual({
      ...defaultParams(),
      width: 64,
      steps: 500,
      lambda: 0.5,
      batch: 32,
      seed: 7,
      initA: 1 / Math.sqrt(64),
    });
  });

  it("takes a list of seeds and a minimal config", () => {
    const config = loadStudyConfig(configFile(`{ name: "tiny", seeds: [5, 0, 42] }`));
    expect(config.name).toBe("tiny");
    expect(config.seeds).toEqual([5, 0, 42]);
    expect(config.grid).toEqual({});
    expect(config.base).toEqual({});
    expect(config.events).toEqual(DEFAULT_EVENTS);
    expect(conditionsOf(config)).toEqual([{}]);
    expect(paramsFor(config, {}, 0).initA).toBe(1 / Math.sqrt(128));
  });

  it("accepts the paths of the paper's claims", () => {
    const config = loadStudyConfig(
      configFile(`{
        base: { steps: 400, evalEvery: 2 },
        grid: { lambda: [0, 0.5, 1] },
        seeds: 2,
        checks: [
          { metric: "order.spurious.signal.fraction", op: ">=", value: 1 },
          { metric: "rates.rateGap.lo", op: ">", value: 0 },
          { metric: "at0.signAlign.hi", op: "<", value: 0.6 },
          { metric: "change10.signAlign.lo", op: ">", value: 0 },
        ],
      }`),
    );
    expect(config.checks.map((c) => c.metric)).toEqual(["order.spurious.signal.fraction", "rates.rateGap.lo", "at0.signAlign.hi", "change10.signAlign.lo"]);
    const compare = loadStudyConfig(
      configFile(`{
        grid: { lambda: [0, 0.5, 1] },
        seeds: 2,
        checks: [
          { metric: "compare.lambda.events.signal.pairedLo", op: ">", value: 0 },
          { where: { lambda: 0.5 }, metric: "compare.lambda.at100.coefSignal.hi", op: "<", value: 0 },
          { metric: "compare.lambda.rates.rateGap.diff", op: ">", value: 0 },
        ],
      }`),
    );
    expect(compare.checks).toHaveLength(3);
  });

  it("takes grid variants: each an object of model keys applied together", () => {
    const config = loadStudyConfig(
      configFile(`{
        grid: { lambda: [0, 1], variant: [{}, { activation: "leaky" }, { trainSize: 256, batch: 256 }] },
        seeds: 1,
        checks: [{ where: { activation: "leaky", lambda: 1 }, metric: "final.wga.mean", op: "<=", value: 0.1 }],
      }`),
    );
    expect(conditionsOf(config)).toHaveLength(6);
    expect(conditionsOf(config)[2]).toEqual({ lambda: 0, variant: { trainSize: 256, batch: 256 } });
    const params = paramsFor(config, conditionsOf(config)[2], 3);
    expect(params).toMatchObject({ lambda: 0, trainSize: 256, batch: 256, seed: 3 });
    expect(paramsFor(config, conditionsOf(config)[1], 3).activation).toBe("leaky");
  });

  it("allows evalEvery beyond steps (the last step is always evaluated)", () => {
    expect(() => loadStudyConfig(configFile(`{ base: { steps: 10, evalEvery: 100 }, seeds: 1 }`))).not.toThrow();
  });
});

describe("thresholds files", () => {
  const rule = `{ where: { lambda: 1 }, metric: "events.signal.medianStep", op: "<=", value: 500 }`;

  it("accepts an array of rules or { checks: [...] }", () => {
    const expected = [{ where: { lambda: 1 }, metric: "events.signal.medianStep", op: "<=", value: 500 }];
    expect(loadThresholdsFile(configFile(`[${rule}]`), DEFAULT_EVENTS)).toEqual(expected);
    expect(loadThresholdsFile(configFile(`{ checks: [${rule}] }`), DEFAULT_EVENTS)).toEqual(expected);
  });

  it("checks event names against the study's events and where values against its grid", () => {
    const file = configFile(`[${rule.replace("signal", "late")}]`);
    expect(inputErrorOf(() => loadThresholdsFile(file, DEFAULT_EVENTS)).message).toBe(
      `${file}: [0].metric: unknown event 'late' in 'events.late.medianStep'; allowed: spurious, signal`,
    );
    const late = { ...DEFAULT_EVENTS, late: { metric: "wga", op: ">=", value: 0.99 } } as const;
    expect(loadThresholdsFile(file, late)).toHaveLength(1);
    const grid = { lambda: [0, 0.5] };
    expect(inputErrorOf(() => loadThresholdsFile(file, late, grid)).message).toBe(
      `${file}: [0].where.lambda: 1 matches no condition; grid.lambda has 0, 0.5`,
    );
  });

  it("rejects other shapes", () => {
    const file = configFile(`{ rules: [] }`);
    expect(inputErrorOf(() => loadThresholdsFile(file, DEFAULT_EVENTS)).message).toBe(
      `${file}: unknown key 'rules'; allowed: $schema, checks`,
    );
  });
});

describe("model params outside configs", () => {
  it("validateModelParams names the key under the given context", () => {
    expect(inputErrorOf(() => validateModelParams({ lambda: 1.5 }, "run")).message).toBe(
      "run.lambda: must be a number in [0, 1], got 1.5",
    );
    expect(inputErrorOf(() => validateModelParams([1], "run")).message).toBe("run: must be an object of model keys, got [1]");
    expect(validateModelParams({ lambda: 0.5, seed: 3 }, "run")).toEqual({ lambda: 0.5, seed: 3 });
  });

  it("checkParamConsistency checks resolved params", () => {
    expect(() => checkParamConsistency(resolveParams({ symmetricInit: true }), "flags")).not.toThrow();
    expect(inputErrorOf(() => checkParamConsistency(resolveParams({ symmetricInit: true, width: 3 }), "flags")).message).toBe(
      "flags: symmetricInit needs an even width, got width 3",
    );
    expect(() => checkParamConsistency(resolveParams({ trainSize: 64, batch: 64 }), "flags")).not.toThrow();
  });

  it("parseFlagValue converts flag text to the key's type", () => {
    expect(parseFlagValue("lambda", "0.5")).toBe(0.5);
    expect(parseFlagValue("width", "1e3")).toBe(1000);
    expect(parseFlagValue("bias", "true")).toBe(true);
    expect(parseFlagValue("symmetricInit", "false")).toBe(false);
    expect(parseFlagValue("activation", "leaky")).toBe("leaky");
    expect(parseFlagValue("trainSize", "null")).toBe(null);
    expect(parseFlagValue("trainSize", "256")).toBe(256);
  });

  it("parseFlagValue names --key on failure", () => {
    expect(inputErrorOf(() => parseFlagValue("lambda", "abc")).message).toBe('--lambda: must be a number in [0, 1], got "abc"');
    expect(inputErrorOf(() => parseFlagValue("lambda", "")).message).toBe('--lambda: must be a number in [0, 1], got ""');
    expect(inputErrorOf(() => parseFlagValue("width", "3.5")).message).toBe("--width: must be an integer in [1, 65536], got 3.5");
    expect(inputErrorOf(() => parseFlagValue("bias", "yes")).message).toBe('--bias: must be a boolean, got "yes"');
    expect(inputErrorOf(() => parseFlagValue("steps", "null")).message).toContain("--steps: must be an integer");
    expect(inputErrorOf(() => parseFlagValue("lamda", "1")).message).toBe("--lamda: unknown flag; did you mean 'lambda'?");
  });

  it("validateSeeds is shared with --seeds", () => {
    expect(validateSeeds(4, "--seeds")).toEqual([0, 1, 2, 3]);
    expect(inputErrorOf(() => validateSeeds(-1, "--seeds")).message).toContain("--seeds: a seed count must be");
  });

  it("suggests names by edit distance", () => {
    expect(levenshtein("lamda", "lambda")).toBe(1);
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(nearestName("Lambda", ["lambda", "lr"])).toBe("lambda");
    expect(nearestName("momentum", ["lambda", "lr"])).toBeUndefined();
  });
});

describe("JSON Schema", () => {
  it("is built from the model key table", () => {
    const schema = studyConfigJsonSchema() as {
      properties: { base: { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean } };
    };
    const base = schema.properties.base;
    expect(base.additionalProperties).toBe(false);
    // number keys in base may be expressions of the grid keys ("=…")
    expect(base.properties.lambda).toMatchObject({ anyOf: [{ type: "number", minimum: 0, maximum: 1, default: 1 }, { type: "string", pattern: "^=" }] });
    expect(base.properties.lr).toMatchObject({ anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "string" }] });
    expect(base.properties.trainSize).toMatchObject({ anyOf: [{ type: ["integer", "null"], default: null }, { type: "string" }] });
    expect(base.properties.activation).toMatchObject({ type: "string", enum: ["relu", "leaky", "linear"] });
    expect(base.properties.seed).toBeUndefined();
  });

  it("the committed schema/study.schema.json equals the generated one (update with -u)", async () => {
    await expect(renderStudyConfigSchema()).toMatchFileSnapshot("../../schema/study.schema.json");
  });
});
