// The log-rank test of two time-to-event samples (SPEC §4), with a permutation p-value that is
// valid for any n, and the asymptotic χ²₁ one for reference.
import { chisquareCdf } from "./distributions.js";
import type { TimeToEvent } from "./kaplanMeier.js";
import { subsetPermutationTest } from "./relabelings.js";

/** Pooled time-to-event data sorted by time, ready to score any labelling in O(n). */
export interface PooledTimes {
  time: Float64Array;
  observed: Uint8Array;
  /** origin[i]: the index in the input of the i-th unit in time order. */
  origin: Int32Array;
}

/**
 * Sorts pooled data once (ascending time, stable; at a tie, the order is irrelevant to the score).
 *
 * @example poolTimes([{ time: 9, observed: true }, { time: 4, observed: false }]) // { time: [4, 9], observed: [0, 1], origin: [1, 0] }
 */
export function poolTimes(data: readonly TimeToEvent[]): PooledTimes {
  const origin = Int32Array.from(data, (_, i) => i).sort((i, j) => data[i].time - data[j].time || i - j);
  return {
    time: Float64Array.from(origin, (i) => data[i].time),
    observed: Uint8Array.from(origin, (i) => (data[i].observed ? 1 : 0)),
    origin,
  };
}

/** The log-rank score of group 1: U = Σⱼ (d₁ⱼ − dⱼ·n₁ⱼ/nⱼ) (observed − expected events) and its variance V. */
export interface LogRankScore {
  u: number;
  v: number;
}

/**
 * Log-rank score of the units with label 1 over the distinct event times tⱼ:
 * U = Σ (d₁ⱼ − dⱼ n₁ⱼ/nⱼ), V = Σ dⱼ (n₁ⱼ/nⱼ)(1 − n₁ⱼ/nⱼ)(nⱼ − dⱼ)/(nⱼ − 1) (hypergeometric).
 * U < 0: group 1 has fewer events than expected, i.e. its events come later.
 *
 * @example logRankScore(poolTimes([{ time: 1, observed: true }, { time: 2, observed: true }]), Uint8Array.of(1, 0)) // { u: 0.5, v: 0.25 }
 */
export function logRankScore(pooled: PooledTimes, labels: Uint8Array): LogRankScore {
  const { time, observed } = pooled;
  const n = time.length;
  let atRisk = n;
  let atRisk1 = 0;
  for (let i = 0; i < n; i++) atRisk1 += labels[i];
  let u = 0;
  let v = 0;
  for (let i = 0; i < n; ) {
    const t = time[i];
    let d = 0;
    let d1 = 0;
    let leaving = 0;
    let leaving1 = 0;
    for (; i < n && time[i] === t; i++) {
      leaving++;
      leaving1 += labels[i];
      if (observed[i] === 1) {
        d++;
        d1 += labels[i];
      }
    }
    if (d > 0) {
      const share = atRisk1 / atRisk;
      u += d1 - d * share;
      if (atRisk > 1) v += (d * share * (1 - share) * (atRisk - d)) / (atRisk - 1);
    }
    atRisk -= leaving;
    atRisk1 -= leaving1;
  }
  return { u, v };
}

/** A two-sample log-rank test. */
export interface LogRankTest {
  /** Z = U/√V for sample b (> 0: b's events come earlier); 0 when V = 0. */
  z: number;
  /** Two-sided permutation p (exact or seeded Monte Carlo, see subsetPermutationTest). */
  pValue: number;
  /** Two-sided asymptotic p: P(χ²₁ > Z²). */
  pAsymptotic: number;
  exact: boolean;
  /** pValue is the floor of the Monte Carlo permutation test (see PermutationResult.atFloor). */
  atFloor: boolean;
}

function standardized(score: LogRankScore): number {
  return score.v > 0 ? score.u / Math.sqrt(score.v) : 0;
}

/**
 * Two-sided log-rank test of samples a and b: Z = U_b/√V_b, permutation p over relabelings of the
 * pooled runs (statistic |Z|), and the asymptotic p = 1 − F_χ²₁(Z²). Either sample empty → NaN.
 *
 * @example logRankTest(timesToEvent([1, 2, 3], 10), timesToEvent([4, 5, null], 10), 1) // z = -2.04…, pAsymptotic 0.041 (scipy.stats.logrank)
 */
export function logRankTest(a: readonly TimeToEvent[], b: readonly TimeToEvent[], seed: number): LogRankTest {
  if (a.length === 0 || b.length === 0) return { z: NaN, pValue: NaN, pAsymptotic: NaN, exact: false, atFloor: false };
  const pooled = poolTimes([...a, ...b]);
  const isB = Uint8Array.from(pooled.origin, (i) => (i >= a.length ? 1 : 0));
  const z = standardized(logRankScore(pooled, isB));
  const permutation = subsetPermutationTest(isB, (labels) => Math.abs(standardized(logRankScore(pooled, labels))), seed);
  return { z, pValue: permutation.pValue, pAsymptotic: 1 - chisquareCdf(z * z, 1), exact: permutation.exact, atFloor: permutation.atFloor };
}
