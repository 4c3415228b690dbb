// Fisher's exact test of two reached fractions (SPEC §4).
import { hypergeometricPmf } from "./distributions.js";

/**
 * Two-sided Fisher exact test of k_a/n_a against k_b/n_b: with K = k_a + k_b, N = n_a + n_b and
 * X ~ Hypergeometric(N, K, n_a), p = Σ P(X = x) over the x with P(X = x) ≤ P(X = k_a)·(1 + 1e-7)
 * (the relative tolerance scipy uses, so equal probabilities computed by different paths tie).
 * RangeError unless the counts are integers with 0 ≤ k ≤ n.
 *
 * @example fisherExactTest(0, 10, 10, 10) // 1.0825e-5 (scipy.stats.fisher_exact([[0, 10], [10, 0]]).pvalue)
 */
export function fisherExactTest(kA: number, nA: number, kB: number, nB: number): number {
  for (const [k, n] of [[kA, nA], [kB, nB]]) {
    if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || k > n) {
      throw new RangeError(`fisherExactTest: need integers 0 <= k <= n, got k=${k}, n=${n}`);
    }
  }
  const total = nA + nB;
  const reached = kA + kB;
  if (nA === 0 || nB === 0) return 1;
  const observed = hypergeometricPmf(kA, total, reached, nA);
  let p = 0;
  for (let x = Math.max(0, nA - (total - reached)); x <= Math.min(nA, reached); x++) {
    const px = hypergeometricPmf(x, total, reached, nA);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}
