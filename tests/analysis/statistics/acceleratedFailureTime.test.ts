// The censored AFT fitter against R's survreg: frozen reference values that always run (computed by
// the R code beside each case, survival 3.5-3), and the same cases recomputed by Rscript where it is
// installed (those skip cleanly otherwise). Agreement: 1e-4 relative in coefficients and standard
// errors, as issue 18 asks.
import { describe, expect, it } from "vitest";
import {
  AFT_DISTRIBUTIONS,
  aftContrast,
  aftLogLikelihood,
  aftTerms,
  extremeValueTerms,
  fitAft,
  leastSquaresStart,
  normalTerms,
  solvePositiveDefinite,
  waldEstimate,
  type AftData,
  type AftDistribution,
  type AftFit,
} from "../../../src/analysis/statistics/acceleratedFailureTime.js";
import { timesToEvent } from "../../../src/analysis/statistics/index.js";
import { rBatch } from "../../support/rReference.js";

/** A designed experiment like a study's: width × lambda × activation, 5 seeds, censored at 150. */
function experiment(): { csv: string; rows: { width: number; lambda: number; activation: string; step: number; reached: boolean }[] } {
  const rows: { width: number; lambda: number; activation: string; step: number; reached: boolean }[] = [];
  let state = 12345;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  for (const width of [16, 32, 64]) {
    for (const lambda of [0, 0.5]) {
      for (const activation of ["relu", "leaky"]) {
        for (let seed = 0; seed < 5; seed++) {
          const gumbel = Math.log(-Math.log(uniform())); // minimum extreme value
          const time = Math.round(12 * width ** 0.45 * Math.exp(0.9 * lambda) * (activation === "leaky" ? 0.8 : 1) * Math.exp(0.35 * gumbel));
          rows.push({ width, lambda, activation, step: Math.max(1, Math.min(time, 150)), reached: time < 150 });
        }
      }
    }
  }
  const csv = ["width,lambda,activation,step,reached", ...rows.map((r) => `${r.width},${r.lambda},${r.activation},${r.step},${r.reached ? "TRUE" : "FALSE"}`)].join("\n") + "\n";
  return { csv, rows };
}

const EXPERIMENT = experiment();

function design(interaction: boolean): AftData {
  const columns = ["(Intercept)", "log(width)", "lambda", "activationleaky", ...(interaction ? ["log(width):lambda"] : [])];
  const rows = EXPERIMENT.rows.map((r) => [1, Math.log(r.width), r.lambda, r.activation === "leaky" ? 1 : 0, ...(interaction ? [Math.log(r.width) * r.lambda] : [])]);
  return { columns, rows, times: EXPERIMENT.rows.map((r) => ({ time: r.step, observed: r.reached })) };
}

interface Reference {
  coef: number[];
  se: number[]; // the coefficients', then Log(scale)'s
  logLik: number;
}

const FORMULA = "Surv(step, reached) ~ log(width) + lambda + factor(activation, levels = c('relu', 'leaky'))";
const CASES: Record<string, { data: AftData; dist: AftDistribution; r: string; frozen: Reference }> = {
  weibull: {
    data: design(false),
    dist: "weibull",
    r: `survreg(${FORMULA}, data = data, dist = "weibull")`,
    frozen: { coef: [2.592888700211351, 0.404431909317382, 0.987202034226898, -0.23637865301923683], se: [0.2815834856375774, 0.08111611839955775, 0.17265865715124923, 0.0861531309999225, 0.09555956178654255], logLik: -261.1450152230484 },
  },
  lognormal: {
    data: design(false),
    dist: "lognormal",
    r: `survreg(${FORMULA}, data = data, dist = "lognormal")`,
    frozen: { coef: [2.4801623364980583, 0.37622215496897304, 1.1606926336206083, -0.2441226627385204], se: [0.28899974634027586, 0.08023985190297875, 0.18164771590968978, 0.09082385795484493, 0.09128709291737376], logLik: -259.57746912686196 },
  },
  interaction: {
    data: design(true),
    dist: "weibull",
    r: `survreg(${FORMULA} + log(width):lambda, data = data, dist = "weibull")`,
    frozen: { coef: [2.815711656143625, 0.34117770725458724, 0.11100122030281098, -0.24318605082296688, 0.2517312296629818], se: [0.4023585618962416, 0.11388302378288387, 1.1284647525366711, 0.08618781930521538, 0.3206866326367196, 0.0957324190488429], logLik: -260.8391686861843 },
  },
};

const live = rBatch(
  Object.fromEntries(
    Object.entries(CASES).map(([name, c]) => [
      name,
      { csv: EXPERIMENT.csv, code: `  fit <- ${c.r}\n  put("coef", coef(fit))\n  put("se", sqrt(diag(vcov(fit))))\n  put("logLik", fit$loglik[2])` },
    ]),
  ),
);

function fitted(data: AftData, dist: AftDistribution): AftFit {
  const result = fitAft(data, dist);
  if (!result.fitted) throw new Error(result.reason);
  return result.fit;
}

function expectRelative(actual: readonly number[], expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `index ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance * Math.abs(expected[i])));
}

describe("fitAft against R's survreg", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: frozen survreg values`, () => {
      const fit = fitted(c.data, c.dist);
      expectRelative(fit.coef, c.frozen.coef, 1e-4);
      expectRelative(aftTerms(fit).map((t) => t.se), c.frozen.se, 1e-4);
      expect(fit.logLik).toBeCloseTo(c.frozen.logLik, 6);
    });
    it.skipIf(live === null)(`${name}: Rscript's survreg on the same data`, () => {
      const fit = fitted(c.data, c.dist);
      const r = live![name];
      expectRelative(fit.coef, r.coef, 1e-4);
      expectRelative(aftTerms(fit).map((t) => t.se), r.se, 1e-4);
      expect(fit.logLik).toBeCloseTo(r.logLik[0], 6);
    });
  }
});

describe("the pieces of the fit", () => {
  it("gives the residual terms of each distribution", () => {
    expect(extremeValueTerms(0, true)).toEqual({ g: -1, d1: 0, d2: -1 });
    expect(extremeValueTerms(0, false)).toEqual({ g: -1, d1: -1, d2: -1 });
    const censored = normalTerms(0, false);
    expect(censored.g).toBeCloseTo(Math.log(0.5), 12);
    expect(censored.d1).toBeCloseTo(-Math.sqrt(2 / Math.PI), 12);
    expect(censored.d2).toBeCloseTo(-2 / Math.PI, 12);
    // far in the tail the series takes over without a jump: ln Φ(−z) ≈ −z²/2 − ln z − ln √(2π)
    const [below, above] = [normalTerms(36.999, false), normalTerms(37.001, false)];
    expect(above.g - below.g).toBeCloseTo(-37 * 0.002, 3);
    expect(above.d1).toBeCloseTo(-37.03, 1);
  });
  it("has the gradient and Hessian of its log-likelihood (central differences)", () => {
    for (const dist of AFT_DISTRIBUTIONS) {
      const data = design(true);
      const theta = [2.5, 0.3, 0.4, -0.2, 0.1, -0.9];
      const at = aftLogLikelihood(data, theta, dist);
      const h = 1e-5;
      theta.forEach((_, j) => {
        const plus = aftLogLikelihood(data, theta.map((v, k) => (k === j ? v + h : v)), dist);
        const minus = aftLogLikelihood(data, theta.map((v, k) => (k === j ? v - h : v)), dist);
        expect((plus.logLik - minus.logLik) / (2 * h)).toBeCloseTo(at.gradient[j], 4);
        theta.forEach((__, k) => expect((plus.gradient[k] - minus.gradient[k]) / (2 * h)).toBeCloseTo(at.hessian[j][k], 3));
      });
    }
  });
  it("starts Newton from least squares on ln t", () => {
    const data: AftData = { columns: ["(Intercept)"], rows: [[1], [1]], times: [{ time: 1, observed: true }, { time: Math.E ** 2, observed: true }] };
    const [beta, logScale] = leastSquaresStart(data)!;
    expect(beta).toBeCloseTo(1, 12);
    expect(logScale).toBeCloseTo(0, 12); // residuals ±1

  });
  it("solves positive definite systems and refuses others", () => {
    expect(solvePositiveDefinite([[4, 2], [2, 3]], [2, 1])!.map((x) => Number(x.toFixed(12)))).toEqual([0.5, 0]);
    expect(solvePositiveDefinite([[1, 2], [2, 1]], [1, 1])).toBeNull();
  });
  it("gives Wald intervals and p-values, and contrasts of coefficients", () => {
    const w = waldEstimate(0.5, 0.2);
    expect(w.lo).toBeCloseTo(0.5 - 1.959964 * 0.2, 5);
    expect(w.p).toBeCloseTo(0.0124193, 6); // scipy: 2 * norm.sf(2.5)
    const fit = fitted(design(false), "weibull");
    const contrast = aftContrast(fit, [0, 1, -1]);
    const v = fit.covariance;
    expect(contrast.estimate).toBeCloseTo(fit.coef[1] - fit.coef[2], 12);
    expect(contrast.se).toBeCloseTo(Math.sqrt(v[1][1] + v[2][2] - 2 * v[1][2]), 12);
    expect(aftTerms(fit).map((t) => t.term)).toEqual(["(Intercept)", "log(width)", "lambda", "activationleaky", "Log(scale)"]);
  });
  it("matches survreg on the smallest case, an intercept and one censored time", () => {
    const fit = fitted({ columns: ["(Intercept)"], rows: [[1], [1], [1]], times: timesToEvent([10, 20, null], 40) }, "weibull");
    // survreg(Surv(c(10, 20, 40), c(1, 1, 0)) ~ 1): 3.496503, Log(scale) −0.3145928, loglik −8.99035
    expect(fit.coef[0]).toBeCloseTo(3.496503, 5);
    expect(fit.logScale).toBeCloseTo(-0.3145928, 6);
    expect(fit.logLik).toBeCloseTo(-8.99035, 5);
  });
});

describe("models that cannot be fitted say why", () => {
  const one = (times: (number | null)[], horizon = 100): AftData => ({ columns: ["(Intercept)"], rows: times.map(() => [1]), times: timesToEvent(times, horizon) });
  it("all censored", () => {
    expect(fitAft(one([null, null, null]))).toEqual({ fitted: false, reason: "all 3 runs are censored: no event to fit" });
  });
  it("a time of 0", () => {
    expect(fitAft(one([0, 5, 6]))).toEqual({ fitted: false, reason: "1 of 3 times are ≤ 0 (ln t is needed)" });
  });
  it("collinear terms", () => {
    const data: AftData = { columns: ["(Intercept)", "x", "2x"], rows: [1, 2, 3].map((x) => [1, x, 2 * x]), times: timesToEvent([5, 7, 9], 100) };
    expect(fitAft(data)).toEqual({ fitted: false, reason: "the terms are collinear (the design matrix is singular)" });
  });
  it("separation: a level whose runs are all censored", () => {
    const level = [0, 0, 0, 0, 1, 1, 1, 1];
    const data: AftData = { columns: ["(Intercept)", "b"], rows: level.map((x) => [1, x]), times: timesToEvent([10, 14, 12, 20, null, null, null, null], 100) };
    const result = fitAft(data);
    expect(result.fitted).toBe(false);
    expect(!result.fitted && result.reason).toMatch(/did not converge in 100 Newton steps.*separation/);
  });
  it("times the terms explain exactly (σ → 0)", () => {
    const result = fitAft(one([10, 10, 10, 10]));
    expect(result.fitted).toBe(false);
  });
});
