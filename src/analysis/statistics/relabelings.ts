// Relabelings for permutation tests: every one when they are few (an exact test), else a seeded
// random sample of them from the project's counter-based generator (reproducible, SPEC §3).
import { Stream, StreamRandom } from "../../kernel/prng.js";

/** At most this many relabelings are enumerated; beyond it a test draws `RANDOM_RELABELINGS`. */
const MAX_EXACT_RELABELINGS = 20_000;
const RANDOM_RELABELINGS = 9_999;

/**
 * C(n, k) as a float (exact below 2^53).
 *
 * @example binomialCoefficient(16, 8) // 12870
 */
export function binomialCoefficient(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) c = (c * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(c);
}

/** How a permutation p-value was obtained. */
export interface PermutationResult {
  pValue: number;
  /** Relabelings scored (the observed labelling included when exact). */
  relabelings: number;
  exact: boolean;
  /**
   * No random relabelling scored at least the observed statistic: pValue is then 1/(1 + B), the
   * floor of the Monte Carlo test, which bounds the p-value from above rather than estimating it.
   */
  atFloor: boolean;
}

/**
 * Permutation p-value of a statistic over the ways of choosing which k of n units carry label 1,
 * k the number of 1s in `observedLabels` (the labelling observed): exact, p = #{relabelings with stat ≥ observed} / C(n, k), when C(n, k) ≤ MAX_EXACT_RELABELINGS;
 * else p = (1 + #{stat ≥ observed}) / (1 + B) over B random relabelings from
 * StreamRandom(seed, Stream.permutation). `stat` reads a 0/1 label per unit; ties within 1e-9
 * (relative) count as ≥ so that equal statistics computed along different paths tie.
 *
 * @example subsetPermutationTest(Uint8Array.of(1, 1, 0, 0), (labels) => labels[0] + labels[1], 1) // { pValue: 1/6, relabelings: 6, exact: true, atFloor: false }
 */
export function subsetPermutationTest(observedLabels: Uint8Array, stat: (labels: Uint8Array) => number, seed: number): PermutationResult {
  const n = observedLabels.length;
  const k = observedLabels.reduce((sum, x) => sum + x, 0);
  const observed = stat(observedLabels);
  const labels = new Uint8Array(n);
  const atLeast = (x: number) => x >= observed - 1e-9 * Math.max(1, Math.abs(observed));
  const total = binomialCoefficient(n, k);
  if (total <= MAX_EXACT_RELABELINGS) {
    let count = 0;
    const chosen = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      labels.fill(0);
      for (const i of chosen) labels[i] = 1;
      if (atLeast(stat(labels))) count++;
      // Next k-subset in lexicographic order.
      let i = k - 1;
      while (i >= 0 && chosen[i] === n - k + i) i--;
      if (i < 0) break;
      chosen[i]++;
      for (let j = i + 1; j < k; j++) chosen[j] = chosen[j - 1] + 1;
    }
    return { pValue: count / total, relabelings: total, exact: true, atFloor: false };
  }
  const rng = new StreamRandom(seed, Stream.permutation);
  const order = Array.from({ length: n }, (_, i) => i);
  let count = 0;
  for (let r = 0; r < RANDOM_RELABELINGS; r++) {
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    labels.fill(0);
    for (let i = 0; i < k; i++) labels[order[i]] = 1;
    if (atLeast(stat(labels))) count++;
  }
  return { pValue: (1 + count) / (1 + RANDOM_RELABELINGS), relabelings: RANDOM_RELABELINGS, exact: false, atFloor: count === 0 };
}

/**
 * Permutation p-value over sign flips of n paired units (each unit's two members swap labels or
 * not): exact over all 2ⁿ flips when 2ⁿ ≤ MAX_EXACT_RELABELINGS, else B random flips from
 * StreamRandom(seed, Stream.permutation); p as in subsetPermutationTest. `stat` reads flip[i] ∈ {0, 1}.
 *
 * @example signFlipPermutationTest(3, (flips) => 3 - flips[0] - flips[1] - flips[2], 1) // { pValue: 1/8, relabelings: 8, exact: true, atFloor: false }
 */
export function signFlipPermutationTest(n: number, stat: (flips: Uint8Array) => number, seed: number): PermutationResult {
  const flips = new Uint8Array(n);
  const observed = stat(flips);
  const atLeast = (x: number) => x >= observed - 1e-9 * Math.max(1, Math.abs(observed));
  if (2 ** n <= MAX_EXACT_RELABELINGS) {
    const total = 2 ** n;
    let count = 0;
    for (let mask = 0; mask < total; mask++) {
      for (let i = 0; i < n; i++) flips[i] = (mask >>> i) & 1;
      if (atLeast(stat(flips))) count++;
    }
    return { pValue: count / total, relabelings: total, exact: true, atFloor: false };
  }
  const rng = new StreamRandom(seed, Stream.permutation);
  let count = 0;
  for (let r = 0; r < RANDOM_RELABELINGS; r++) {
    for (let i = 0; i < n; i++) flips[i] = rng.int(2);
    if (atLeast(stat(flips))) count++;
  }
  return { pValue: (1 + count) / (1 + RANDOM_RELABELINGS), relabelings: RANDOM_RELABELINGS, exact: false, atFloor: count === 0 };
}
