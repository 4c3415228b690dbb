// The probability distributions the statistics need, from @stdlib (simple-statistics has no t,
// binomial, χ² or hypergeometric CDFs). Each package is loaded on its first call rather than at
// start-up: together they are nearly a thousand small CommonJS modules, most of the CLI's start-up,
// and a command that computes no statistics (help, a bad flag, init, bench) never needs them.
import { createRequire } from "node:module";

type StudentTCdf = typeof import("@stdlib/stats-base-dists-t-cdf");
type StudentTQuantile = typeof import("@stdlib/stats-base-dists-t-quantile");
type NormalQuantile = typeof import("@stdlib/stats-base-dists-normal-quantile");
type BinomialCdf = typeof import("@stdlib/stats-base-dists-binomial-cdf");
type ChisquareCdf = typeof import("@stdlib/stats-base-dists-chisquare-cdf");
type HypergeometricPmf = typeof import("@stdlib/stats-base-dists-hypergeometric-pmf");

const load = createRequire(import.meta.url);
let tCdf: StudentTCdf | undefined;
let tQuantile: StudentTQuantile | undefined;
let zQuantile: NormalQuantile | undefined;
let binomCdf: BinomialCdf | undefined;
let chi2Cdf: ChisquareCdf | undefined;
let hyperPmf: HypergeometricPmf | undefined;

/** P(T ≤ x), T Student t with ν degrees of freedom. @example studentTCdf(-2.776, 4) // 0.025 */
export function studentTCdf(x: number, df: number): number {
  return (tCdf ??= load("@stdlib/stats-base-dists-t-cdf") as StudentTCdf)(x, df);
}

/** The p-quantile of Student's t with ν degrees of freedom. @example studentTQuantile(0.975, 4) // 2.776 */
export function studentTQuantile(p: number, df: number): number {
  return (tQuantile ??= load("@stdlib/stats-base-dists-t-quantile") as StudentTQuantile)(p, df);
}

/** The p-quantile of the normal distribution N(μ, σ²). @example normalQuantile(0.975, 0, 1) // 1.96 */
export function normalQuantile(p: number, mu: number, sigma: number): number {
  return (zQuantile ??= load("@stdlib/stats-base-dists-normal-quantile") as NormalQuantile)(p, mu, sigma);
}

/** P(X ≤ x), X ~ Binomial(n, p). @example binomialCdf(1, 10, 0.5) // 0.0107 */
export function binomialCdf(x: number, n: number, p: number): number {
  return (binomCdf ??= load("@stdlib/stats-base-dists-binomial-cdf") as BinomialCdf)(x, n, p);
}

/** P(X ≤ x), X ~ χ² with k degrees of freedom. @example chisquareCdf(3.841, 1) // 0.95 */
export function chisquareCdf(x: number, k: number): number {
  return (chi2Cdf ??= load("@stdlib/stats-base-dists-chisquare-cdf") as ChisquareCdf)(x, k);
}

/**
 * P(X = x), X the number of marked items in a draw of n from N items of which K are marked.
 * @example hypergeometricPmf(4, 8, 6, 4) // 0.2143 (15/70)
 */
export function hypergeometricPmf(x: number, N: number, K: number, n: number): number {
  return (hyperPmf ??= load("@stdlib/stats-base-dists-hypergeometric-pmf") as HypergeometricPmf)(x, N, K, n);
}
