// Model keys as expressions of the grid keys (issue 21 item 5): the grammar, its errors with
// positions, and a config whose expressions are evaluated per condition, validated, written in
// config.resolved.json and part of the hash. Also the other per-study model key of issue 21, stopAfter.
import { describe, expect, it } from "vitest";
import { evaluateExpression, ExpressionError, namesOf, parseExpression } from "../../src/config/expression.js";
import { InputError } from "../../src/config/inputError.js";
import { conditionsOf, paramsFor, parseStudyConfig } from "../../src/config/studyConfig.js";
import { resolvedConfigOf, studyHash } from "../../src/study/resolvedConfig.js";

const value = (text: string, vars: Record<string, number> = {}) => evaluateExpression(parseExpression(text), vars);

function syntaxError(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`'${text}' parsed`);
}

function configError(raw: unknown): InputError {
  try {
    parseStudyConfig(raw, "x.json5");
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error("the config was accepted");
}

describe("expression grammar", () => {
  it("evaluates numbers, names, + - * / ^, parentheses and the functions with the usual precedence", () => {
    expect(value("=0.5 * 128 / d", { d: 32 })).toBe(2);
    expect(value("=2 * d", { d: 64 })).toBe(128);
    expect(value("=1 + 2 * 3 ^ 2")).toBe(19);
    expect(value("=2 ^ 3 ^ 2")).toBe(512); // right-associative
    expect(value("=-2 ^ 2")).toBe(-4); // as in mathematics: -(2^2)
    expect(value("=(1 + 2) * 3 - 4 / 2")).toBe(7);
    expect(value("=8 - 2 - 1")).toBe(5); // left-associative
    expect(value("=sqrt(d) * log(d) / log(2)", { d: 16 })).toBe(16);
    expect(value("=min(d, 100, 7) + max(1, d)", { d: 4 })).toBe(8);
    expect(value("=round(d / 3)", { d: 32 })).toBe(11);
    expect(value("=1.5e2 + .5")).toBe(150.5);
    expect(value("=d × 2 ÷ 4 − 1", { d: 6 })).toBe(2);
    expect([...namesOf(parseExpression("=a * b + a"))]).toEqual([["a", 2], ["b", 6]]);
  });

  it("reports the first error with its position in the value as written", () => {
    expect(syntaxError("=0.5 * (128 / d").message).toBe("expected ')', found the end at position 16");
    expect(syntaxError("=0.5 * 128 $ d").message).toBe("unexpected character '$' at position 12");
    expect(syntaxError("=2 * * d").message).toBe("expected a number, a grid key, a function or '(', found '*' at position 6");
    expect(syntaxError("=2 d").message).toBe("unexpected 'd' at position 4");
    expect(syntaxError("=exp(d)").message).toBe("unknown function 'exp' at position 2");
    expect(syntaxError("=max(d)").message).toBe("max takes at least 2 arguments, got 1 at position 2");
    expect(syntaxError("=sqrt(d, 2)").message).toBe("sqrt takes 1 argument, got 2 at position 2");
    expect(syntaxError("=").message).toBe("expected a number, a grid key, a function or '(', found the end at position 2");
  });
});

describe("expressions in a study config", () => {
  const raw = {
    name: "scaled",
    base: { lr: "=0.5 * 128 / d", width: "=2 * d", steps: 10 },
    grid: { d: [32, 64], variant: [{}, { batch: "=d / 2" }] },
    seeds: 1,
  };

  it("are evaluated per condition, written in config.resolved.json and covered by the hash", () => {
    const config = parseStudyConfig(raw, "x.json5");
    const params = conditionsOf(config).map((c) => paramsFor(config, c, 0));
    expect(params.map((p) => [p.d, p.lr, p.width, p.batch, p.initA])).toEqual([
      [32, 2, 64, 64, 1 / 8],
      [32, 2, 64, 16, 1 / 8],
      [64, 1, 128, 64, 1 / Math.sqrt(128)],
      [64, 1, 128, 32, 1 / Math.sqrt(128)],
    ]);
    const resolved = resolvedConfigOf(config, "simd");
    expect(resolved.base.lr).toBe("=0.5 * 128 / d");
    expect(resolved.base.initA).toBeNull(); // 1/√width, per condition
    expect(resolved.expressionValues).toEqual([
      { condition: { d: 32, variant: {} }, values: { lr: 2, width: 64 } },
      { condition: { d: 32, variant: { batch: "=d / 2" } }, values: { lr: 2, width: 64, batch: 16 } },
      { condition: { d: 64, variant: {} }, values: { lr: 1, width: 128 } },
      { condition: { d: 64, variant: { batch: "=d / 2" } }, values: { lr: 1, width: 128, batch: 32 } },
    ]);
    const other = resolvedConfigOf(parseStudyConfig({ ...raw, base: { ...raw.base, lr: "=0.25 * 256 / d" } }, "x.json5"), "simd");
    expect(studyHash(other)).not.toBe(studyHash(resolved)); // the same values, another text: another study
  });

  it("are refused with the key, the position and what is allowed", () => {
    expect(configError({ ...raw, base: { lr: "=0.5 * 128 / dd" } }).message).toBe(
      "x.json5: base.lr: \"=0.5 * 128 / dd\": 'dd' at position 14: it is not a grid key (the grid keys it may use: d)",
    );
    expect(configError({ ...raw, base: { lr: "=0.5 * (128 / d" } }).message).toMatch(/^x\.json5: base\.lr: "=0\.5 \* \(128 \/ d": expected '\)', found the end at position 16 \(an expression is/);
    expect(configError({ ...raw, base: { width: "=d / 3" } }).message).toBe(
      'x.json5: base.width = "=d / 3" in grid condition {d: 32, variant: {}}: must be an integer in [1, 65536], got 10.666666666666666',
    );
    expect(configError({ ...raw, grid: { d: [32], variant: [{ lr: "=1 - d" }] } }).message).toBe(
      'x.json5: grid.variant[0].lr = "=1 - d" in grid condition {d: 32, variant: {"lr":"=1 - d"}}: must be a number in (0, 1000000], got -31',
    );
    expect(configError({ ...raw, base: { activation: "=d" } }).message).toMatch(/^x\.json5: base\.activation: only number keys may be given as an expression/);
    expect(configError({ ...raw, grid: { activation: ["relu"] }, base: { lr: "=activation" } }).message).toBe(
      "x.json5: base.lr: \"=activation\": 'activation' at position 2: grid.activation has values that are not numbers (this grid has no number keys to use)",
    );
  });
});

describe("stopAfter", () => {
  it("names events of the study, is left out of the resolved config unless set, and is then in the hash", () => {
    const plain = resolvedConfigOf(parseStudyConfig({ name: "s", seeds: 1 }, "x.json5"), "simd");
    expect(plain.base).not.toHaveProperty("stopAfter"); // the studies from before it keep their hash
    const stopping = parseStudyConfig({ name: "s", base: { stopAfter: ["signal"] }, seeds: 1 }, "x.json5");
    expect(paramsFor(stopping, {}, 0).stopAfter).toEqual(["signal"]);
    expect(studyHash(resolvedConfigOf(stopping, "simd"))).not.toBe(studyHash(plain));
    expect(configError({ seeds: 1, base: { stopAfter: ["signl"] } }).message).toBe(
      "x.json5: base.stopAfter: 'signl' is not an event of this study; its events: spurious, signal; did you mean 'signal'?",
    );
    expect(configError({ seeds: 1, base: { stopAfter: "signal" } }).message).toBe('x.json5: base.stopAfter: must be a list of distinct event names, e.g. ["signal"], got "signal"');
    const withEvent = parseStudyConfig({ seeds: 1, base: { stopAfter: ["late"] }, events: { late: { metric: "wga", op: ">=", value: 0.99 } } }, "x.json5");
    expect(paramsFor(withEvent, {}, 0).stopAfter).toEqual(["late"]);
  });
});
