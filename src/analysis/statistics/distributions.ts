// The probability distributions the statistics need, from @stdlib (simple-statistics has no t,
// binomial, χ², hypergeometric or accurate normal-tail functions). Each package is loaded on its first call rather than at
// start-up: together they are nearly a thousand small CommonJS modules, most of the CLI's start-up,
// and a command that computes no statistics (help, a bad flag, init, bench) never needs them.
import { createRequire } from "node:module";

type StudentTCdf = typeof import("@stdlib/stats-base-dists-t-cdf");
type StudentTQuantile = typeof import("@stdlib/stats-base-dists-t-quantile");
type NormalQuantile = typeof import("@stdlib/stats-base-dists-normal-quantile");
type BinomialCdf = typeof import("@stdlib/stats-base-dists-binomial-cdf");
type ChisquareCdf = typeof import("@stdlib/stats-base-dists-chisquare-cdf");
type HypergeometricPmf = typeof import("@stdlib/stats-base-dists-hypergeometric-pmf");
type Erfc = typeof import("@stdlib/math-base-special-erfc");

const load = createRequire(import.meta.url);

/** A getter that requires package `name` on its first call and keeps it. */
export function onFirstUse<F>(name: string): () => F {
  let loaded: F | undefined;
  return () => (loaded ??= load(name) as F);
}

const tCdf = onFirstUse<StudentTCdf>("@stdlib/stats-base-dists-t-cdf");
const tQuantile = onFirstUse<StudentTQuantile>("@stdlib/stats-base-dists-t-quantile");
const zQuantile = onFirstUse<NormalQuantile>("@stdlib/stats-base-dists-normal-quantile");
const binomCdf = onFirstUse<BinomialCdf>("@stdlib/stats-base-dists-binomial-cdf");
const chi2Cdf = onFirstUse<ChisquareCdf>("@stdlib/stats-base-dists-chisquare-cdf");
const hyperPmf = onFirstUse<HypergeometricPmf>("@stdlib/stats-base-dists-hypergeometric-pmf");
const erfc = onFirstUse<Erfc>("@stdlib/math-base-special-erfc");

/** P(T ≤ x), T Student t with ν degrees of freedom. @example studentTCdf(-2.776, 4) // 0.025 */
export function studentTCdf(x: number, df: number): number {
  return tCdf()(x, df);
}

/** The p-quantile of Student's t with ν degrees of freedom. @example studentTQuantile(0.975, 4) // 2.776 */
export function studentTQuantile(p: number, df: number): number {
  return tQuantile()(p, df);
}

/** The p-quantile of the normal distribution N(μ, σ²). @example normalQuantile(0.975, 0, 1) // 1.96 */
export function normalQuantile(p: number, mu: number, sigma: number): number {
  return zQuantile()(p, mu, sigma);
}

/** P(X ≤ x), X ~ Binomial(n, p). @example binomialCdf(1, 10, 0.5) // 0.0107 */
export function binomialCdf(x: number, n: number, p: number): number {
  return binomCdf()(x, n, p);
}

/** P(X ≤ x), X ~ χ² with k degrees of freedom. @example chisquareCdf(3.841, 1) // 0.95 */
export function chisquareCdf(x: number, k: number): number {
  return chi2Cdf()(x, k);
}

/**
 * P(X = x), X the number of marked items in a draw of n from N items of which K are marked.
 * @example hypergeometricPmf(4, 8, 6, 4) // 0.2143 (15/70)
 */
export function hypergeometricPmf(x: number, N: number, K: number, n: number): number {
  return hyperPmf()(x, N, K, n);
}

/**
 * The standard normal upper tail Φ(−x) = P(Z > x) = erfc(x/√2)/2, accurate far into the tail
 * (where 1 − Φ(x) would round to 0): the p-values of Wald tests and the censored log-normal
 * likelihood.
 *
 * @example normalUpperTail(1.959964) // 0.025; normalUpperTail(10) // 7.62e-24 (scipy.stats.norm.sf)
 */
export function normalUpperTail(x: number): number {
  return erfc()(x / Math.SQRT2) / 2;
}
