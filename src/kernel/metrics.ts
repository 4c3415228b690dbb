// The metrics of SPEC §2. Weight masses are summed per neuron block (so shards can compute their
// own blocks) and then over blocks in order; test metrics come from the reduced test outputs.
import { BLOCK_SIZE, type Weights } from "./step.js";
import type { Metrics } from "./metricNames.js";

/** Per-block weight statistics, in this order, `BLOCK_STATS` numbers per block. */
export const BlockStat = {
  massSpurious: 0, // Σ_j |a_j| |w_j2|
  massSignal: 1, // Σ_j |a_j| ‖(w_j0, w_j1)‖
  massNoise: 2, // Σ_j |a_j| rms(w_j3 … w_j,d−1); NaN where not asked for (a pass over every weight)
  alignCount: 3, // #{j : a_j w_j2 > 0}
  finiteCheck: 4, // Σ_j ((a_j − a_j) + (b_j − b_j) + Σ_k (w_jk − w_jk)): +0, or NaN iff some parameter is not finite
} as const;
export const BLOCK_STATS = 5;

/**
 * Writes the block statistics of the blocks of neurons [j0, j1) into `stats`; massNoise only
 * `withNoise` (the metrics of an evaluation need it, a training step only the finite check). The
 * finite check's sum is +0 in any order, so a kernel may add it up as it likes.
 */
export function blockStats(net: Weights, d: number, j0: number, j1: number, stats: Float64Array, withNoise = true): void {
  const { W, A, B } = net;
  const noiseCount = d - 3;
  for (let blockStart = j0; blockStart < j1; blockStart += BLOCK_SIZE) {
    const blockEnd = Math.min(blockStart + BLOCK_SIZE, j1);
    let spurious = 0;
    let signal = 0;
    let noise = 0;
    let align = 0;
    let finite = 0;
    for (let j = blockStart; j < blockEnd; j++) {
      const a = A[j];
      const absA = Math.abs(a);
      const wOff = j * d;
      const w0 = W[wOff];
      const w1 = W[wOff + 1];
      const w2 = W[wOff + 2];
      // one pass over the weights: the finite check, and with massNoise Σ_(k≥3) w_k² in ascending k
      let neuronCheck = a - a + (B[j] - B[j]) + (w0 - w0) + (w1 - w1) + (w2 - w2);
      let sumSq = 0;
      for (let k = 3; k < d; k++) {
        const w = W[wOff + k];
        neuronCheck += w - w;
        if (withNoise) sumSq += w * w;
      }
      finite += neuronCheck;
      spurious += absA * Math.abs(w2);
      signal += absA * Math.sqrt(w0 * w0 + w1 * w1);
      if (withNoise && noiseCount > 0) noise += absA * Math.sqrt(sumSq / noiseCount);
      if (a * w2 > 0) align++;
    }
    const off = (blockStart / BLOCK_SIZE) * BLOCK_STATS;
    stats[off + BlockStat.massSpurious] = spurious;
    stats[off + BlockStat.massSignal] = signal;
    stats[off + BlockStat.massNoise] = withNoise ? noise : NaN;
    stats[off + BlockStat.alignCount] = align;
    stats[off + BlockStat.finiteCheck] = finite;
  }
}

/** Sums one block statistic over all blocks, in block order. */
export function sumBlockStat(stats: Float64Array, blocks: number, field: number): number {
  let total = 0;
  for (let blk = 0; blk < blocks; blk++) total += stats[blk * BLOCK_STATS + field];
  return total;
}

/**
 * Test-set metrics from the outputs F of the group-balanced test set (groups of `perGroup` rows in
 * the order (+1,+1), (−1,−1), (+1,−1), (−1,+1)), its labels Y and spurious signs S, plus the weight
 * masses. `trainLoss` is left to the caller. Writes into `out`.
 */
export function testMetrics(
  F: Float64Array,
  Y: Float32Array,
  S: Float32Array,
  perGroup: number,
  stats: Float64Array,
  blocks: number,
  width: number,
  out: Metrics,
): void {
  // group by group, every sum in row order (the order is part of the results: the events read them);
  // out.acc is written in place, so an evaluation allocates nothing
  const marginSum = [0, 0, 0, 0];
  let coefSpurious = 0;
  let coefSignal = 0;
  const n = 4 * perGroup;
  const acc = out.acc;
  for (let g = 0; g < 4; g++) {
    let correct = 0;
    let sum = 0;
    for (let i = g * perGroup, end = i + perGroup; i < end; i++) {
      const f = F[i];
      const y = Y[i];
      const margin = y * f;
      if (margin > 0) correct++;
      sum += margin;
      // x2 / spuriousScale = s and x0·x1 = y, so these are the Fourier coefficients on the two features
      coefSpurious += f * S[i];
      coefSignal += f * y;
    }
    acc[g] = correct / perGroup;
    marginSum[g] = sum;
  }
  accuracyMetrics(acc, out);
  out.marginMajority = (marginSum[0] + marginSum[1]) / (2 * perGroup);
  out.marginMinority = (marginSum[2] + marginSum[3]) / (2 * perGroup);
  out.coefSpurious = coefSpurious / n;
  out.coefSignal = coefSignal / n;
  weightMetrics(stats, blocks, width, out);
}

/** The metrics of the four group accuracies `acc` (their order is GROUP_NAMES'), into `out`. */
export function accuracyMetrics(acc: ArrayLike<number>, out: Metrics): void {
  out.accMajority = (acc[0] + acc[1]) / 2;
  out.accMinority = (acc[2] + acc[3]) / 2;
  out.accAvg = (acc[0] + acc[1] + acc[2] + acc[3]) / 4;
  out.wga = Math.min(acc[0], acc[1], acc[2], acc[3]);
  out.spuriousGap = out.accMajority - out.accMinority;
}

/** The metrics of the weights alone (masses, signAlign), from the block stats of all blocks. */
export function weightMetrics(stats: Float64Array, blocks: number, width: number, out: Metrics): void {
  out.massSpurious = sumBlockStat(stats, blocks, BlockStat.massSpurious);
  out.massSignal = sumBlockStat(stats, blocks, BlockStat.massSignal);
  out.massNoise = sumBlockStat(stats, blocks, BlockStat.massNoise);
  out.signAlign = sumBlockStat(stats, blocks, BlockStat.alignCount) / width;
}

/**
 * Rates of SPEC §2: least-squares slope of ln mass against step over steps 0 … end (inclusive);
 * null when the window has fewer than 3 steps. slope = Σ(t−t̄)(v−v̄) / Σ(t−t̄)².
 */
export function logSlope(lnMass: Float64Array, stride: number, field: number, end: number): number | null {
  const n = end + 1;
  if (n < 3) return null;
  const tMean = end / 2;
  let vMean = 0;
  for (let t = 0; t <= end; t++) vMean += lnMass[t * stride + field];
  vMean /= n;
  let num = 0;
  let den = 0;
  for (let t = 0; t <= end; t++) {
    const dt = t - tMean;
    num += dt * (lnMass[t * stride + field] - vMean);
    den += dt * dt;
  }
  const slope = num / den;
  return Number.isFinite(slope) ? slope : null;
}
