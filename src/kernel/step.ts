// What every kernel shares: the neuron blocks, the weights, the model constants of a step, the
// reduction of block partials to f(x) and ℓ', and the SGD rule. Sums run in f64 in a fixed order
// (neurons ascending inside a block, blocks ascending across blocks), so results do not depend on
// sharding.
import type { ModelParams } from "../config/modelKeys.js";

/** Neurons per block: partial outputs are summed per block, then blocks in order. Never varies. */
export const BLOCK_SIZE = 16;

/** Work of one SGD step, 4·batch·d·width flops: what bench's GFLOP/s, sharding and the ETA weigh runs by. */
export function flopsPerStep(p: { batch: number; d: number; width: number }): number {
  return 4 * p.batch * p.d * p.width;
}

export function blockCount(width: number): number {
  return Math.ceil(width / BLOCK_SIZE);
}

/** The weights of the whole network (shared between shards; each writes only its own rows). */
export interface Weights {
  /** First layer, row-major: w_j occupies W[j·d … j·d + d − 1]. */
  W: Float32Array;
  A: Float32Array;
  /** Hidden biases (all zero and never updated when `bias` is false). */
  B: Float32Array;
}

/** The neurons [j0, j1) a kernel works on (j0 block-aligned). */
export interface NeuronRange {
  j0: number;
  j1: number;
}

/** The constants of a run that the step arithmetic reads, resolved once from its params. */
export interface StepModel {
  d: number;
  /** σ(z) = z > 0 ? z : slope·z: 0 for ReLU, leakySlope for leaky ReLU, 1 for linear. */
  slope: number;
  /** x2 = s·spuriousScale. */
  spuriousScale: number;
  lr: number;
  weightDecay: number;
  /** Whether the hidden biases are trained (`bias`). */
  trainBias: boolean;
}

export function stepModel(p: ModelParams): StepModel {
  return {
    d: p.d,
    slope: activationSlope(p),
    spuriousScale: p.spuriousScale,
    lr: p.lr,
    weightDecay: p.weightDecay,
    trainBias: p.bias,
  };
}

/** The negative-side slope of σ: ReLU 0, leaky ReLU leakySlope, linear 1 (σ(z) = z). */
export function activationSlope(p: Pick<ModelParams, "activation" | "leakySlope">): number {
  if (p.activation === "linear") return 1;
  return p.activation === "leaky" ? p.leakySlope : 0;
}

/** ℓ(m) = log(1 + e^{−m}), computed without overflow for large |m|. */
function logisticLoss(m: number): number {
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

/** f(x_i) = Σ_blk P[blk·nRows + i] into F, in block order (the outputs alone, e.g. of the test set). */
export function sumPartials(P: Float64Array, blocks: number, nRows: number, F: Float64Array): void {
  // f_i = ((0 + P_0i) + P_1i) + …, each row's sum kept in a register: one store per row, not one
  // per block and row
  const end = blocks * nRows;
  for (let i = 0; i < nRows; i++) {
    let f = 0;
    for (let at = i; at < end; at += nRows) f += P[at];
    F[i] = f;
  }
}

/**
 * Reduces block partials in block order to f(x_i) = Σ_blk P[blk·nRows + i] into F, and the
 * loss gradient G[i] = ∂(mean loss)/∂f(x_i) = −y_i · σ(−y_i f_i) / nRows. Returns the mean loss.
 */
export function reduceOutputs(
  P: Float64Array,
  blocks: number,
  nRows: number,
  Y: Float32Array,
  F: Float64Array,
  G: Float64Array | null,
): number {
  sumPartials(P, blocks, nRows, F);
  let lossSum = 0;
  for (let i = 0; i < nRows; i++) {
    const f = F[i];
    const y = Y[i];
    const m = y * f;
    lossSum += logisticLoss(m);
    if (G !== null) G[i] = (-y / (1 + Math.exp(m))) / nRows;
  }
  return lossSum / nRows;
}

/**
 * θ ← θ − lr·(∂L/∂θ + weightDecay·θ) for neuron j's weights (gradient gradW, length d), output
 * weight (gradA) and, if trained, bias (gradB).
 */
export function applySgd(net: Weights, m: StepModel, j: number, gradW: Float64Array, gradA: number, gradB: number): void {
  const { W, A, B } = net;
  const { d, lr, weightDecay } = m;
  const wOff = j * d;
  for (let k = 0; k < d; k++) {
    const w = W[wOff + k];
    W[wOff + k] = w - lr * (gradW[k] + weightDecay * w);
  }
  const a = A[j];
  A[j] = a - lr * (gradA + weightDecay * a);
  if (m.trainBias) {
    const b = B[j];
    B[j] = b - lr * (gradB + weightDecay * b);
  }
}
