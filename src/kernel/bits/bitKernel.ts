// The ±1 kernel: every input coordinate is ±1 (x2 is ±spuriousScale), so products are sign flips.
// Inputs are bit-packed (bit set ⇔ coordinate positive) and both products use the "four Russians"
// trick: precompute, per group of g bits, the 2^g signed subset sums, then one lookup per group.
//   forward:  z_j(x) = Σ_groups T_j,group[bits of x in the group],  T[p] = Σ_b (p_b ? w_b : −w_b)
//   backward: ∂L/∂w_jk = Σ_sample-groups U_group[bits of coordinate k over 4 samples],
//             U[p] = Σ_b (p_b ? c_b : −c_b) with c_i = G_i a_j σ'(z_ij)
// Sums are in f64 in a fixed order per neuron, so results do not depend on sharding.
import { applySgd, BLOCK_SIZE, type NeuronRange, type StepModel, type Weights } from "../step.js";

/** u32 words per bit-packed row of d coordinates. */
export function wordsPerRow(d: number): number {
  return Math.ceil(d / 32);
}

/** Packs rows [r0, r1) of row-major ±values X (d per row) into `bits`: bit k of row i ⇔ x_ik > 0. */
export function packRows(X: Float32Array, d: number, r0: number, r1: number, bits: Int32Array): void {
  const words = wordsPerRow(d);
  for (let i = r0; i < r1; i++) {
    const xOff = i * d;
    const bOff = i * words;
    for (let w = 0; w < words; w++) {
      let word = 0;
      const kEnd = Math.min(d, w * 32 + 32);
      for (let k = w * 32; k < kEnd; k++) if (X[xOff + k] > 0) word |= 1 << (k - w * 32);
      bits[bOff + w] = word;
    }
  }
}

/**
 * Transposes packed rows into column words: bit (i mod 32) of columns[⌊i/32⌋·d + k] ⇔ x_ik > 0,
 * so the backward pass reads the bits of coordinate k over consecutive samples in one word.
 */
export function packColumns(rowBits: Int32Array, nRows: number, d: number, columns: Int32Array): void {
  const words = wordsPerRow(d);
  const sampleWords = Math.ceil(nRows / 32);
  for (let n = 0; n < sampleWords * d; n++) columns[n] = 0;
  for (let i = 0; i < nRows; i++) {
    const cOff = (i >> 5) * d;
    const bit = 1 << (i & 31);
    for (let k = 0; k < d; k++) {
      if ((rowBits[i * words + (k >> 5)] >>> (k & 31)) & 1) columns[cOff + k] |= bit;
    }
  }
}

/** Scratch the bit kernel needs per shard, for training batches of `batch` rows and my `neurons`. */
export interface BitScratch {
  /** Signed subset-sum tables: 256 entries per 8 coordinates covers both 4-bit and 8-bit groups. */
  table: Float64Array;
  /** c_i of one neuron, padded with zeros to whole 32-sample words. */
  coef: Float64Array;
  /** z_ij of the last training forward: Z[(j − j0)·batch + i]. */
  Z: Float64Array;
  /** ∂L/∂w_j of one neuron (d entries). */
  gradW: Float64Array;
}

export function bitScratch(d: number, batch: number, neurons: number): BitScratch {
  return {
    table: new Float64Array(Math.max(wordsPerRow(d) * 4 * 256, Math.ceil(batch / 32) * 8 * 16)),
    coef: new Float64Array(Math.ceil(batch / 32) * 32),
    Z: new Float64Array(Math.max(1, neurons * batch)),
    gradW: new Float64Array(d),
  };
}

/** Group width of the forward tables: a table costs 2^g adds to build and saves g−1 per row. */
export function forwardGroupBits(nRows: number): 4 | 8 {
  return nRows >= 512 ? 8 : 4;
}

/**
 * Signed subset sums of `values[from … from+bits−1]` (entries at or past `end` count as 0):
 * T[off + p] = Σ_b (bit b of p ? v_b : −v_b), by doubling: T[p + 2^b] = T[p] + 2·v_b.
 */
function buildSignedTable(
  values: Float32Array | Float64Array,
  from: number,
  end: number,
  bits: number,
  T: Float64Array,
  off: number,
): void {
  let base = 0;
  for (let b = 0; b < bits; b++) if (from + b < end) base -= values[from + b];
  T[off] = base;
  let size = 1;
  for (let b = 0; b < bits; b++) {
    const twice = from + b < end ? 2 * values[from + b] : 0;
    for (let q = 0; q < size; q++) T[off + size + q] = T[off + q] + twice;
    size *= 2;
  }
}

/**
 * Forward pass of neurons [j0, j1) on `nRows` packed rows, as `forwardPartials` in f32/f32Step.ts:
 * P[blk·nRows + i] = Σ_{j ∈ blk} a_j σ(z_ij); z_ij stored in scratch.Z when `storeZ` (the batch).
 * x2 = s·scale, while its bit gives s: the table counts w2·s, so z gains w2·s·(scale − 1).
 */
export function forwardPartialsBits(
  net: Weights,
  m: StepModel,
  range: NeuronRange,
  rowBits: Int32Array,
  nRows: number,
  P: Float64Array,
  scratch: BitScratch,
  storeZ: boolean,
  /** Table width: the one a pass of this many rows uses (a subset of the test set passes the set's). */
  groupBits = forwardGroupBits(nRows),
): void {
  const { W, A, B } = net;
  const { d, spuriousScale, slope } = m;
  const { j0, j1 } = range;
  const Z = storeZ ? scratch.Z : null;
  const T = scratch.table;
  const words = wordsPerRow(d);
  const groupsPerWord = 32 / groupBits;
  const tableSize = 1 << groupBits;
  const scaleExtra = spuriousScale - 1;
  for (let blockStart = j0; blockStart < j1; blockStart += BLOCK_SIZE) {
    const pOff = (blockStart / BLOCK_SIZE) * nRows;
    for (let i = 0; i < nRows; i++) P[pOff + i] = 0;
    const blockEnd = Math.min(blockStart + BLOCK_SIZE, j1);
    for (let j = blockStart; j < blockEnd; j++) {
      const wOff = j * d;
      for (let g = 0; g < words * groupsPerWord; g++) {
        buildSignedTable(W, wOff + g * groupBits, wOff + d, groupBits, T, g * tableSize);
      }
      const a = A[j];
      const bias = B[j];
      const w2Extra = W[wOff + 2] * scaleExtra;
      const zOff = (j - j0) * nRows;
      for (let i = 0; i < nRows; i++) {
        const z = (groupBits === 4 ? dotNibbles(rowBits, i * words, words, T) : dotBytes(rowBits, i * words, words, T))
          + bias + (scaleExtra !== 0 && rowBits[i * words] & 4 ? w2Extra : scaleExtra !== 0 ? -w2Extra : 0);
        if (Z !== null) Z[zOff + i] = z;
        P[pOff + i] += a * (z > 0 ? z : slope * z);
      }
    }
  }
}

/** Σ over the words of one row of the 8 nibble-table lookups per word (tables of 16, 8 per word). */
function dotNibbles(bits: Int32Array, off: number, words: number, T: Float64Array): number {
  let z = 0;
  for (let w = 0; w < words; w++) {
    const x = bits[off + w];
    const t = w * 128;
    z += T[t + (x & 15)] + T[t + 16 + ((x >>> 4) & 15)] + T[t + 32 + ((x >>> 8) & 15)] + T[t + 48 + ((x >>> 12) & 15)]
      + T[t + 64 + ((x >>> 16) & 15)] + T[t + 80 + ((x >>> 20) & 15)] + T[t + 96 + ((x >>> 24) & 15)] + T[t + 112 + (x >>> 28)];
  }
  return z;
}

/** Σ over the words of one row of the 4 byte-table lookups per word (tables of 256, 4 per word). */
function dotBytes(bits: Int32Array, off: number, words: number, T: Float64Array): number {
  let z = 0;
  for (let w = 0; w < words; w++) {
    const x = bits[off + w];
    const t = w * 1024;
    z += T[t + (x & 255)] + T[t + 256 + ((x >>> 8) & 255)] + T[t + 512 + ((x >>> 16) & 255)] + T[t + 768 + (x >>> 24)];
  }
  return z;
}

/**
 * SGD update of neurons [j0, j1) from packed columns (`packColumns`) of the last training forward's
 * `nRows` rows and its scratch.Z, as `updateNeurons` in f32/f32Step.ts:
 * ∂L/∂w_jk = Σ_i c_i x_ik with c_i = G_i a_j σ'(z_ij), through one 16-entry table per 4 samples,
 * eight tables per 32-sample word of a column; ∂L/∂w_j2 is scaled by spuriousScale (x2 = s·scale).
 */
export function updateNeuronsBits(
  net: Weights,
  m: StepModel,
  range: NeuronRange,
  columns: Int32Array,
  nRows: number,
  G: Float64Array,
  scratch: BitScratch,
): void {
  const A = net.A;
  const { d, spuriousScale, slope } = m;
  const { j0, j1 } = range;
  const { Z, gradW } = scratch;
  const U = scratch.table;
  const c = scratch.coef;
  const sampleWords = Math.ceil(nRows / 32);
  for (let i = nRows; i < sampleWords * 32; i++) c[i] = 0;
  for (let j = j0; j < j1; j++) {
    const a = A[j];
    const zOff = (j - j0) * nRows;
    let gradA = 0;
    let gradB = 0;
    for (let i = 0; i < nRows; i++) {
      const z = Z[zOff + i];
      const g = G[i];
      gradA += g * (z > 0 ? z : slope * z);
      const ci = g * a * (z > 0 ? 1 : slope);
      c[i] = ci;
      gradB += ci;
    }
    for (let k = 0; k < d; k++) gradW[k] = 0;
    for (let sw = 0; sw < sampleWords; sw++) {
      for (let q = 0; q < 8; q++) buildSignedTable(c, sw * 32 + q * 4, sampleWords * 32, 4, U, q * 16);
      const cOff = sw * d;
      for (let k = 0; k < d; k++) {
        const x = columns[cOff + k];
        gradW[k] += U[x & 15] + U[16 + ((x >>> 4) & 15)] + U[32 + ((x >>> 8) & 15)] + U[48 + ((x >>> 12) & 15)]
          + U[64 + ((x >>> 16) & 15)] + U[80 + ((x >>> 20) & 15)] + U[96 + ((x >>> 24) & 15)] + U[112 + (x >>> 28)];
      }
    }
    gradW[2] *= spuriousScale;
    applySgd(net, m, j, gradW, gradA, gradB);
  }
}
