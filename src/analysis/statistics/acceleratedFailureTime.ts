// Censored accelerated-failure-time (AFT) regression (issue 18): ln T = xᵀβ + σ·W, fitted by
// maximum likelihood with right censoring — the model of R's survreg and lifelines'
// WeibullAFTFitter, with the same parametrisation, so coefficients, standard errors and the
// log-likelihood can be compared with R's directly. W is the standard minimum extreme-value
// distribution (T Weibull) or the standard normal (T log-normal). One interface, as lifelines has:
// fit, then a table of terms (or any linear combination of the coefficients).
//
// Newton–Raphson on θ = (β, ln σ) with the analytic gradient and Hessian (as survreg): the
// log-likelihood is smooth and, from a least-squares start, Newton converges in a handful of steps,
// so a general-purpose optimiser would add a dependency and a tolerance to tune for nothing. The
// linear algebra (solving with the information matrix, inverting it, testing that it is positive
// definite) is ml-matrix's Cholesky decomposition, loaded on first use like the distributions.
import type { CholeskyDecomposition } from "ml-matrix";
import { normalUpperTail, onFirstUse } from "./distributions.js";
import { normalQuantileTwoSided } from "./binomial.js";
import { LEVEL_95 } from "./interval.js";
import type { TimeToEvent } from "./kaplanMeier.js";

/** The distribution of T: Weibull (W extreme value, R's dist = "weibull") or log-normal (W normal). */
export type AftDistribution = "weibull" | "lognormal";
export const AFT_DISTRIBUTIONS: readonly AftDistribution[] = ["weibull", "lognormal"];

/** One observation's log-likelihood g(z) in its standardised residual z, and g′(z), g″(z). */
export interface ResidualTerms {
  g: number;
  d1: number;
  d2: number;
}

/**
 * The standard minimum extreme-value distribution (ln of a unit Weibull): an observed time adds its
 * log density g = z − e^z (g′ = 1 − e^z, g″ = −e^z), a censored one its log survival g = −e^z
 * (g′ = g″ = −e^z).
 *
 * @example extremeValueTerms(0, true) // { g: -1, d1: 0, d2: -1 }
 */
export function extremeValueTerms(z: number, observed: boolean): ResidualTerms {
  const ez = Math.exp(z);
  return observed ? { g: z - ez, d1: 1 - ez, d2: -ez } : { g: -ez, d1: -ez, d2: -ez };
}

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The standard normal: observed g = −z²/2 − ln√(2π) (g′ = −z, g″ = −1); censored g = ln Φ(−z),
 * g′ = −m, g″ = −m(m − z), m = φ(z)/Φ(−z) the inverse Mills ratio. Beyond z = 37, where Φ(−z)
 * underflows, Φ(−z) ≈ φ(z)/z · (1 − 1/z² + 3/z⁴) and m from the same series.
 *
 * @example normalTerms(0, false) // { g: -0.6931, d1: -0.7979, d2: -0.6366 } (ln ½, −√(2/π), −2/π)
 */
export function normalTerms(z: number, observed: boolean): ResidualTerms {
  if (observed) return { g: -0.5 * z * z - LN_SQRT_2PI, d1: -z, d2: -1 };
  const logDensity = -0.5 * z * z - LN_SQRT_2PI;
  const series = 1 - 1 / (z * z) + 3 / z ** 4;
  const logTail = z > 37 ? logDensity - Math.log(z) + Math.log(series) : Math.log(normalUpperTail(z));
  const m = Math.exp(logDensity - logTail);
  return { g: logTail, d1: -m, d2: -m * (m - z) };
}

const RESIDUAL_TERMS: Record<AftDistribution, (z: number, observed: boolean) => ResidualTerms> = {
  weibull: extremeValueTerms,
  lognormal: normalTerms,
};

/** Censored times with one row of the design matrix each (its column of 1s included for an intercept). */
export interface AftData {
  /** Names of the design matrix's columns, e.g. ["(Intercept)", "log(width)", "lambda"]. */
  columns: readonly string[];
  rows: readonly (readonly number[])[];
  times: readonly TimeToEvent[];
}

/** The log-likelihood at θ = (β, ln σ) with its gradient and Hessian in θ. */
export interface AftLikelihood {
  logLik: number;
  gradient: number[];
  hessian: number[][];
}

/**
 * The log-likelihood of θ = (β₁ … β_p, ln σ): Σᵢ g(zᵢ) − δᵢ(ln σ + ln tᵢ), zᵢ = (ln tᵢ − xᵢᵀβ)/σ,
 * δᵢ = 1 when tᵢ is observed (the −δ ln t term makes it the likelihood of T, as survreg reports).
 * With dz/dη = −1/σ and dz/d(ln σ) = −z: ∂/∂β = −g′x/σ, ∂/∂ln σ = −zg′ − δ, ∂²/∂β∂βᵀ = g″xxᵀ/σ²,
 * ∂²/∂β∂ln σ = (zg″ + g′)x/σ, ∂²/∂(ln σ)² = zg′ + z²g″.
 *
 * @example aftLogLikelihood({ columns: ["(Intercept)"], rows: [[1]], times: [{ time: 1, observed: true }] }, [0, 0], "weibull") // { logLik: -1, gradient: [0, -1], hessian: [[-1, 0], [0, -1]] }
 */
export function aftLogLikelihood(data: AftData, theta: readonly number[], dist: AftDistribution): AftLikelihood {
  const p = data.columns.length;
  const sigma = Math.exp(theta[p]);
  const terms = RESIDUAL_TERMS[dist];
  const gradient = new Array<number>(p + 1).fill(0);
  const hessian = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
  let logLik = 0;
  data.rows.forEach((x, i) => {
    const { time, observed } = data.times[i];
    const logTime = Math.log(time);
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[j] * theta[j];
    const z = (logTime - eta) / sigma;
    const { g, d1, d2 } = terms(z, observed);
    const delta = observed ? 1 : 0;
    logLik += g - delta * (theta[p] + logTime);
    const betaScore = -d1 / sigma;
    const betaBeta = d2 / (sigma * sigma);
    const betaScale = (z * d2 + d1) / sigma;
    for (let j = 0; j < p; j++) {
      gradient[j] += betaScore * x[j];
      for (let k = 0; k <= j; k++) hessian[j][k] += betaBeta * x[j] * x[k];
      hessian[p][j] += betaScale * x[j];
    }
    gradient[p] += -z * d1 - delta;
    hessian[p][p] += z * d1 + z * z * d2;
  });
  for (let j = 0; j <= p; j++) for (let k = 0; k < j; k++) hessian[k][j] = hessian[j][k];
  return { logLik, gradient, hessian };
}

const mlMatrix = onFirstUse<typeof import("ml-matrix")>("ml-matrix");

/** The Cholesky decomposition of a symmetric matrix, or null when it is not positive definite (or not finite). */
function choleskyOf(matrix: readonly (readonly number[])[]): CholeskyDecomposition | null {
  // ml-matrix calls a matrix with NaN "not symmetric" and throws; a diverging Newton step gets here
  if (!matrix.every((row) => row.every(Number.isFinite))) return null;
  const { CholeskyDecomposition, Matrix } = mlMatrix();
  const decomposition = new CholeskyDecomposition(new Matrix(matrix.map((row) => [...row])));
  return decomposition.isPositiveDefinite() ? decomposition : null;
}

/**
 * Solves A·x = b for a symmetric positive definite A (null when A is not).
 *
 * @example solvePositiveDefinite([[4, 2], [2, 3]], [2, 1]) // [0.5, 0]
 */
export function solvePositiveDefinite(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  return choleskyOf(a)?.solve(mlMatrix().Matrix.columnVector([...b])).to1DArray() ?? null;
}

/**
 * Least-squares start for Newton: β from ln t on the design (censored times as if observed),
 * ln σ from the residual sd (σ = 1 when the residuals vanish). Null when XᵀX is singular.
 *
 * @example leastSquaresStart({ columns: ["(Intercept)"], rows: [[1], [1]], times: [{ time: 1, observed: true }, { time: Math.E ** 2, observed: true }] }) // [1, 0]
 */
export function leastSquaresStart(data: AftData): number[] | null {
  const p = data.columns.length;
  const y = data.times.map((t) => Math.log(t.time));
  const xtx = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => data.rows.reduce((s, x) => s + x[j] * x[k], 0)));
  const xty = Array.from({ length: p }, (_, j) => data.rows.reduce((s, x, i) => s + x[j] * y[i], 0));
  const beta = solvePositiveDefinite(xtx, xty);
  if (beta === null) return null;
  const rss = data.rows.reduce((s, x, i) => s + (y[i] - x.reduce((e, v, j) => e + v * beta[j], 0)) ** 2, 0);
  const sd = Math.sqrt(rss / data.rows.length);
  return [...beta, sd > 1e-8 ? Math.log(sd) : 0];
}

/** A fitted AFT model: the estimates of θ = (β, ln σ) and their covariance (the inverse observed information). */
export interface AftFit {
  dist: AftDistribution;
  columns: string[];
  coef: number[];
  logScale: number;
  scale: number;
  /** (p + 1) × (p + 1), the last row and column for ln σ. */
  covariance: number[][];
  logLik: number;
  iterations: number;
  /** Observations and observed (uncensored) times. */
  n: number;
  events: number;
}

/** A fit, or the reason there is none — said in words a report can print. */
export type AftResult = { fitted: true; fit: AftFit } | { fitted: false; reason: string };

const MAX_ITERATIONS = 100;
/** Converged when no Newton step moves a parameter by more than this (relative to max(1, |θⱼ|)). */
const STEP_TOLERANCE = 1e-10;

/**
 * Maximum-likelihood fit by Newton–Raphson from leastSquaresStart, halving a step that lowers the
 * likelihood (and adding a ridge to the information where it is not positive definite on the way).
 * Not fitted — with the reason — when a time is ≤ 0, every time is censored, the design is
 * singular, or Newton does not converge in 100 steps: the likelihood keeps rising as a coefficient
 * or 1/σ grows without bound (separation: e.g. a level whose runs are all censored; or times that
 * the terms explain exactly).
 *
 * @example fitAft({ columns: ["(Intercept)"], rows: [[1], [1], [1]], times: timesToEvent([10, 20, null], 40) }) // { fitted: true, fit: { coef: [3.4965], logScale: -0.3146, logLik: -8.9903, … } } (R: survreg(Surv(c(10, 20, 40), c(1, 1, 0)) ~ 1)) (R: survreg(Surv(c(10, 20, 40), c(1, 1, 0)) ~ 1))
 */
export function fitAft(data: AftData, dist: AftDistribution = "weibull"): AftResult {
  const n = data.times.length;
  const events = data.times.filter((t) => t.observed).length;
  if (n === 0) return { fitted: false, reason: "no runs" };
  const nonPositive = data.times.filter((t) => !(t.time > 0)).length;
  if (nonPositive > 0) return { fitted: false, reason: `${nonPositive} of ${n} times are ≤ 0 (ln t is needed)` };
  if (events === 0) return { fitted: false, reason: `all ${n} runs are censored: no event to fit` };
  const start = leastSquaresStart(data);
  if (start === null) return { fitted: false, reason: "the terms are collinear (the design matrix is singular)" };
  let theta: number[] = start;
  const p = data.columns.length;
  let current = aftLogLikelihood(data, theta, dist);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const information = current.hessian.map((row) => row.map((v) => -v));
    let step = solvePositiveDefinite(information, current.gradient);
    // Far from the optimum the information may not be positive definite: a ridge makes it so
    // (a step between Newton's and the gradient's).
    for (let ridge = 1e-8 * Math.max(1, ...information.map((r, j) => Math.abs(r[j]))); step === null && ridge < 1e12; ridge *= 10) {
      step = solvePositiveDefinite(information.map((row, j) => row.map((v, k) => (j === k ? v + ridge : v))), current.gradient);
    }
    if (step === null) break;
    let scale = 1;
    let next: number[] = theta.map((v, j) => v + step[j]);
    let trial = aftLogLikelihood(data, next, dist);
    while (!(trial.logLik >= current.logLik - 1e-12 * Math.abs(current.logLik)) && scale > 1e-10) {
      scale /= 2;
      next = theta.map((v, j) => v + scale * step[j]);
      trial = aftLogLikelihood(data, next, dist);
    }
    if (!Number.isFinite(trial.logLik)) break;
    const largest = Math.max(...step.map((s, j) => Math.abs(scale * s) / Math.max(1, Math.abs(theta[j]))));
    theta = next;
    current = trial;
    if (largest < STEP_TOLERANCE) {
      const information = choleskyOf(current.hessian.map((row) => row.map((v) => -v)));
      if (information === null) return { fitted: false, reason: "the information matrix at the optimum is singular (a term is not identifiable)" };
      const covariance = information.solve(mlMatrix().Matrix.eye(p + 1)).to2DArray();
      return {
        fitted: true,
        fit: { dist, columns: [...data.columns], coef: theta.slice(0, p), logScale: theta[p], scale: Math.exp(theta[p]), covariance, logLik: current.logLik, iterations: iteration, n, events },
      };
    }
  }
  return {
    fitted: false,
    reason:
      `did not converge in ${MAX_ITERATIONS} Newton steps: the likelihood keeps rising as a coefficient or 1/σ grows without bound — ` +
      "separation (e.g. a level whose runs are all censored), or times the terms fit exactly (too few events for the terms)",
  };
}

/** An estimate with its standard error, 95% Wald CI and two-sided p (H₀: zero). */
export interface WaldEstimate {
  estimate: number;
  se: number;
  lo: number;
  hi: number;
  z: number;
  p: number;
}

/**
 * Wald inference on an estimate: CI estimate ± z_{(1+level)/2}·se, z = estimate/se,
 * p = 2·Φ(−|z|).
 *
 * @example waldEstimate(0.5, 0.2) // { estimate: 0.5, se: 0.2, lo: 0.108, hi: 0.892, z: 2.5, p: 0.01242 }
 */
export function waldEstimate(estimate: number, se: number, level: number = LEVEL_95): WaldEstimate {
  const half = normalQuantileTwoSided(level) * se;
  const z = estimate / se;
  return { estimate, se, lo: estimate - half, hi: estimate + half, z, p: 2 * normalUpperTail(Math.abs(z)) };
}

/**
 * A linear combination wᵀθ of a fit's parameters (β then ln σ; missing weights are 0) with its
 * Wald inference: se = √(wᵀVw). E.g. the difference of two level coefficients.
 *
 * @example aftContrast(fit, [0, -1, 1]) // β₂ − β₁ with se √(V₁₁ + V₂₂ − 2V₁₂)
 */
export function aftContrast(fit: AftFit, weights: readonly number[], level: number = LEVEL_95): WaldEstimate {
  const w = fit.covariance.map((_, j) => weights[j] ?? 0);
  const theta = [...fit.coef, fit.logScale];
  const estimate = w.reduce((s, wj, j) => s + wj * theta[j], 0);
  const variance = w.reduce((s, wj, j) => s + wj * fit.covariance[j].reduce((t, v, k) => t + v * w[k], 0), 0);
  return waldEstimate(estimate, Math.sqrt(Math.max(0, variance)), level);
}

/** One row of a fit's table of terms. */
export interface AftTerm extends WaldEstimate {
  term: string;
}

/**
 * The table of terms, as survreg's summary prints it: each coefficient, then "Log(scale)", with
 * se, Wald CI, z and p.
 *
 * @example aftTerms(fit) // [{ term: "(Intercept)", estimate: 3.4965, se: 0.5210, … }, { term: "Log(scale)", … }]
 */
export function aftTerms(fit: AftFit, level: number = LEVEL_95): AftTerm[] {
  const names = [...fit.columns, "Log(scale)"];
  return names.map((term, j) => ({ term, ...waldEstimate(j < fit.coef.length ? fit.coef[j] : fit.logScale, Math.sqrt(fit.covariance[j][j]), level) }));
}
