// Certified bounds on how far the test margins y·f(x) can have moved since a reference step t0 at
// which the test set was evaluated exactly (the certified event search, pool/certifiedEvents.ts).
// For a test point x of group g (label y_g) and neuron j, with a, w, b the weights at step t and
// a⁰, w⁰, b⁰ those at t0 (σ is 1-Lipschitz and nondecreasing: ReLU, or leaky with slope ≤ 1):
//
//   f_t(x) − f_t0(x) = Σ_j (a_j − a⁰_j)·σ(z⁰_j(x))  +  Σ_j a_j·(σ(z_j(x)) − σ(z⁰_j(x)))
//
// The first part (the second layer's move, most of a step's change at lr 0.5) is bounded with the
// least and greatest σ(z⁰_j) over the group, kept at t0 (`zRange`), so a coherent move of a whole
// group is followed with its sign. The second (the first layer's drift) is bounded by
// |a_j|·max_{x∈g}|(w_j − w⁰_j)·x + b_j − b⁰_j| ≤ |a_j|·D_j^y with
//   D_j^y = |Δb_j| + |Δw_j0 + y·Δw_j1| + |Δw_j2|·spuriousScale + Σ_{k≥3} |Δw_jk|
// (x0·x1 = y inside a group, x2 = ±spuriousScale). Rounding is bounded too, so the bounds hold for
// the margins the kernel computes, not only for exact arithmetic: z is a sum of d + 1 terms computed
// in f32 (tables of at most 8 terms, then summed), off by at most γ·(|b| + Σ_k |w_k x_k|) with
// γ = 4(d + 40)·2⁻²⁴, at t and at t0; the f64 sums of the outputs and of these bounds add a
// relative τ = 8(width + 16)·2⁻⁵³ of the magnitudes involved. Every constant is generous on purpose:
// a looser bound costs an exact evaluation, a tighter wrong one a wrong event step.
import { BLOCK_SIZE } from "./step.js";

/** Per neuron: what the bounds need of its move since the reference step. */
const Drift = {
  /** a_j at step t. */
  a: 0,
  /** a_j − a⁰_j. */
  deltaA: 1,
  /** D_j^y for y = +1 (x0 = x1), an upper bound. */
  plus: 2,
  /** D_j^y for y = −1 (x0 = −x1). */
  minus: 3,
  /** γ·(‖(b, w)‖₁ at t + at t0) with x2 scaled: the pre-activation rounding of both steps. */
  roundoff: 4,
} as const;
export const DRIFT_FIELDS = 5;

/** The test groups' labels y, in the test set's group order (+1,+1), (−1,−1), (+1,−1), (−1,+1). */
export const GROUP_LABELS: readonly number[] = [1, -1, 1, -1];
export const GROUPS = 4;

/**
 * Per block: for each group g the least and greatest move of y·f over the group, [lo, hi] at 2g,
 * 2g + 1 (both layers bounded); then at 2·GROUPS + g the bound on |f − f̂| over the group, f̂ the
 * exact second-layer part Σ_j a_j σ(z⁰_j(x)) that `secondLayer` computes (the first layer bounded).
 */
export const GROUP_BOUND_FIELDS = 3 * GROUPS;
export const FIRST_LAYER_BOUND = 2 * GROUPS;

/** Per neuron and group: the least and greatest z⁰ over the group's test points, at (j·4 + g)·2. */
export const Z_RANGE_FIELDS = 2 * GROUPS;

/** γ: bound on |computed z − w·x − b| relative to |b| + Σ_k |w_k x_k| (see the head comment). */
function preActivationRoundoff(d: number): number {
  return 4 * (d + 40) * 2 ** -24;
}

/** Factor that turns an f32 sum of `n` nonnegative terms (each rounded too) into an upper bound. */
function sumInflation(n: number): number {
  return 1 + 2 * (n + 2) * 2 ** -24;
}

/** The part of a neuron's weights the bounds read beside its noise coordinates. */
export interface NeuronPair {
  a: number;
  a0: number;
  b: number;
  b0: number;
  w0: number;
  w1: number;
  w2: number;
  r0: number;
  r1: number;
  r2: number;
}

/**
 * Writes neuron `index`'s drift record into `out` from its head weights `n` (at t and t0) and three
 * sums over its noise coordinates k ≥ 3 — Σ|w_k − w⁰_k|, Σ|w_k|, Σ|w⁰_k| — computed in f32 or f64
 * (inflated here to upper bounds either way).
 */
export function writeDrift(
  out: Float64Array,
  index: number,
  d: number,
  scale: number,
  n: NeuronPair,
  noiseMove: number,
  noiseNorm: number,
  noiseNorm0: number,
): void {
  const inflate = sumInflation(d);
  const dw0 = n.w0 - n.r0;
  const dw1 = n.w1 - n.r1;
  const common = Math.abs(n.b - n.b0) + Math.abs(n.w2 - n.r2) * scale + noiseMove * inflate;
  const norm = Math.abs(n.b) + Math.abs(n.w0) + Math.abs(n.w1) + Math.abs(n.w2) * scale + noiseNorm * inflate;
  const norm0 = Math.abs(n.b0) + Math.abs(n.r0) + Math.abs(n.r1) + Math.abs(n.r2) * scale + noiseNorm0 * inflate;
  const o = index * DRIFT_FIELDS;
  out[o + Drift.a] = n.a;
  out[o + Drift.deltaA] = n.a - n.a0;
  out[o + Drift.plus] = Math.abs(dw0 + dw1) + common;
  out[o + Drift.minus] = Math.abs(dw0 - dw1) + common;
  out[o + Drift.roundoff] = preActivationRoundoff(d) * (norm + norm0);
}

/** Drift records of neurons [j0, j1) from row-major weights `net` (now) and `ref` (at t0). */
export function driftRows(
  net: { W: Float32Array; A: Float32Array; B: Float32Array; first: number },
  ref: { W: Float32Array; A: Float32Array; B: Float32Array; first: number },
  j0: number,
  j1: number,
  d: number,
  scale: number,
  out: Float64Array,
  pair: NeuronPair,
): void {
  for (let j = j0; j < j1; j++) {
    const r = j - net.first;
    const q = j - ref.first;
    const w = r * d;
    const w0 = q * d;
    let move = 0;
    let norm = 0;
    let norm0 = 0;
    for (let k = 3; k < d; k++) {
      const x = net.W[w + k];
      const x0 = ref.W[w0 + k];
      move += Math.abs(x - x0);
      norm += Math.abs(x);
      norm0 += Math.abs(x0);
    }
    pair.a = net.A[r];
    pair.a0 = ref.A[q];
    pair.b = net.B[r];
    pair.b0 = ref.B[q];
    pair.w0 = net.W[w];
    pair.w1 = net.W[w + 1];
    pair.w2 = net.W[w + 2];
    pair.r0 = ref.W[w0];
    pair.r1 = ref.W[w0 + 1];
    pair.r2 = ref.W[w0 + 2];
    writeDrift(out, j - j0, d, scale, pair, move, norm, norm0);
  }
}

/** A NeuronPair to fill (one per kernel, so the step loop allocates nothing). */
export function neuronPair(): NeuronPair {
  return { a: 0, a0: 0, b: 0, b0: 0, w0: 0, w1: 0, w2: 0, r0: 0, r1: 0, r2: 0 };
}

/**
 * Least and greatest z over each group of `perGroup` consecutive rows, for `neurons` neurons whose
 * pre-activations are Z[j·nRows + i] (the plain kernels' layout), into zRange (Z_RANGE_FIELDS per
 * neuron).
 */
export function zRangesOfRows(Z: Float64Array, neurons: number, perGroup: number, zRange: Float64Array): void {
  const nRows = GROUPS * perGroup;
  for (let j = 0; j < neurons; j++) {
    for (let g = 0; g < GROUPS; g++) {
      const off = j * nRows + g * perGroup;
      let lo = Z[off];
      let hi = lo;
      for (let i = 1; i < perGroup; i++) {
        const z = Z[off + i];
        if (z < lo) lo = z;
        if (z > hi) hi = z;
      }
      zRange[(j * GROUPS + g) * 2] = lo;
      zRange[(j * GROUPS + g) * 2 + 1] = hi;
    }
  }
}

/**
 * Per block of my `neurons` neurons (the first is block `firstBlock`): for each group g the bounds
 * [lo_g, hi_g] on y·(f_t(x) − f_t0(x)) summed over the block's neurons, in neuron order, into
 * out[(firstBlock + b)·GROUP_BOUND_FIELDS + 2g …]. `slope`: σ's negative slope (0 for ReLU).
 */
export function groupBounds(
  drift: Float64Array,
  zRange: Float64Array,
  neurons: number,
  firstBlock: number,
  slope: number,
  width: number,
  out: Float64Array,
): void {
  const tau = 8 * (width + 16) * 2 ** -53;
  // f̂'s block sums are f32 (marginBounds.wat): a relative (BLOCK_SIZE + 8)·2⁻²⁴ of Σ |a_j σ(z⁰_j)|
  const tau32 = (BLOCK_SIZE + 8) * 2 ** -24;
  const blocks = Math.ceil(neurons / BLOCK_SIZE);
  out.fill(0, firstBlock * GROUP_BOUND_FIELDS, (firstBlock + blocks) * GROUP_BOUND_FIELDS);
  for (let j = 0; j < neurons; j++) {
    const o = (firstBlock + Math.floor(j / BLOCK_SIZE)) * GROUP_BOUND_FIELDS;
    const dr = j * DRIFT_FIELDS;
    const a = drift[dr + Drift.a];
    const deltaA = drift[dr + Drift.deltaA];
    const absA = Math.abs(a);
    const absA0 = Math.abs(a - deltaA);
    const roundoff = drift[dr + Drift.roundoff];
    for (let g = 0; g < GROUPS; g++) {
      const y = GROUP_LABELS[g];
      const zLo = zRange[(j * GROUPS + g) * 2];
      const zHi = zRange[(j * GROUPS + g) * 2 + 1];
      const sLo = zLo > 0 ? zLo : slope * zLo;
      const sHi = zHi > 0 ? zHi : slope * zHi;
      const p = y * deltaA * sLo;
      const q = y * deltaA * sHi;
      const move = y > 0 ? drift[dr + Drift.plus] : drift[dr + Drift.minus];
      const firstLayer = absA * (move + roundoff);
      const sAbs = Math.max(Math.abs(sLo), Math.abs(sHi));
      const rounding = tau * (absA * (sAbs + move + roundoff) + (absA0 + Math.abs(deltaA)) * sAbs);
      out[o + 2 * g] += Math.min(p, q) - firstLayer - rounding;
      out[o + 2 * g + 1] += Math.max(p, q) + firstLayer + rounding;
      out[o + FIRST_LAYER_BOUND + g] += firstLayer + rounding + tau32 * absA * sAbs;
    }
  }
}

/**
 * f̂ of the plain kernels: P[blk·nRows + i] = Σ_{j ∈ blk} a_j σ(z⁰_ij) for neurons [j0, j1), the
 * reference pre-activations Z[(j − j0)·nRows + i] and today's output weights net.A (row j − first).
 */
export function secondLayerRows(
  Z: Float64Array,
  net: { A: Float32Array; first: number },
  range: { j0: number; j1: number },
  nRows: number,
  slope: number,
  P: Float64Array,
): void {
  const { j0, j1 } = range;
  for (let blockStart = j0; blockStart < j1; blockStart += BLOCK_SIZE) {
    const pOff = (blockStart / BLOCK_SIZE) * nRows;
    P.fill(0, pOff, pOff + nRows);
    const blockEnd = Math.min(blockStart + BLOCK_SIZE, j1);
    for (let j = blockStart; j < blockEnd; j++) {
      const a = net.A[j - net.first];
      const zOff = (j - j0) * nRows;
      for (let i = 0; i < nRows; i++) {
        const z = Z[zOff + i];
        P[pOff + i] += a * (z > 0 ? z : slope * z);
      }
    }
  }
}

/** Copies rows rows[0 … count) of `words`-word bit rows into `into`, in that order. */
export function gatherRows(bits: Int32Array, words: number, rows: Int32Array, count: number, into: Int32Array): void {
  for (let r = 0; r < count; r++) into.set(bits.subarray(rows[r] * words, (rows[r] + 1) * words), r * words);
}
