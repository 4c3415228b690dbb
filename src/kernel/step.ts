// One SGD step of f(x) = Σ_j a_j σ(w_j·x + b_j) over a range of neurons, on f32 weights.
// Plain typed-array loops: no allocation, no closures. Sums run in f64 in a fixed order (neurons
// ascending inside a block, blocks ascending across blocks), so results do not depend on sharding.

/** Neurons per block: partial outputs are summed per block, then blocks in order. Never varies. */
export const BLOCK_SIZE = 16;

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

/**
 * Forward pass of neurons [j0, j1) (block-aligned) on `nRows` rows of X:
 * P[blk·nRows + i] = Σ_{j ∈ blk} a_j σ(z_ij), z_ij = w_j·x_i + b_j, with σ(z) = z > 0 ? z : slope·z.
 * Stores z_ij in Z[(j − j0)·nRows + i] when Z is given (training needs it for the backward pass).
 */
export function forwardPartials(
  net: Weights,
  X: Float32Array,
  nRows: number,
  d: number,
  j0: number,
  j1: number,
  slope: number,
  Z: Float64Array | null,
  P: Float64Array,
): void {
  const { W, A, B } = net;
  for (let blockStart = j0; blockStart < j1; blockStart += BLOCK_SIZE) {
    const pOff = (blockStart / BLOCK_SIZE) * nRows;
    for (let i = 0; i < nRows; i++) P[pOff + i] = 0;
    const blockEnd = Math.min(blockStart + BLOCK_SIZE, j1);
    for (let j = blockStart; j < blockEnd; j++) {
      const a = A[j];
      const b = B[j];
      const wOff = j * d;
      const zOff = (j - j0) * nRows;
      for (let i = 0; i < nRows; i++) {
        const xOff = i * d;
        let z = b;
        for (let k = 0; k < d; k++) z += W[wOff + k] * X[xOff + k];
        if (Z !== null) Z[zOff + i] = z;
        P[pOff + i] += a * (z > 0 ? z : slope * z);
      }
    }
  }
}

/** ℓ(m) = log(1 + e^{−m}), computed without overflow for large |m|. */
export function logisticLoss(m: number): number {
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
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
  // f_i = ((0 + P_0i) + P_1i) + …: block by block, so every pass reads P contiguously
  F.fill(0, 0, nRows);
  for (let blk = 0; blk < blocks; blk++) {
    const off = blk * nRows;
    for (let i = 0; i < nRows; i++) F[i] += P[off + i];
  }
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
 * SGD update of neurons [j0, j1) from the stored pre-activations Z and output gradients G:
 *   ∂L/∂a_j = Σ_i G_i σ(z_ij),   ∂L/∂w_j = Σ_i G_i a_j σ'(z_ij) x_i,   ∂L/∂b_j = Σ_i G_i a_j σ'(z_ij),
 * then θ ← θ − lr·(∂L/∂θ + weightDecay·θ), both layers from the same (old) weights.
 * `gradW` is scratch space of length d.
 */
export function updateNeurons(
  net: Weights,
  X: Float32Array,
  nRows: number,
  d: number,
  j0: number,
  j1: number,
  slope: number,
  Z: Float64Array,
  G: Float64Array,
  lr: number,
  weightDecay: number,
  trainBias: boolean,
  gradW: Float64Array,
): void {
  const A = net.A;
  for (let j = j0; j < j1; j++) {
    const a = A[j];
    const zOff = (j - j0) * nRows;
    for (let k = 0; k < d; k++) gradW[k] = 0;
    let gradA = 0;
    let gradB = 0;
    for (let i = 0; i < nRows; i++) {
      const z = Z[zOff + i];
      const g = G[i];
      gradA += g * (z > 0 ? z : slope * z);
      const c = g * a * (z > 0 ? 1 : slope);
      if (c === 0) continue; // inactive ReLU unit: no first-layer gradient from this sample
      gradB += c;
      const xOff = i * d;
      for (let k = 0; k < d; k++) gradW[k] += c * X[xOff + k];
    }
    applySgd(net, j, d, gradW, gradA, gradB, lr, weightDecay, trainBias);
  }
}

/** θ ← θ − lr·(∂L/∂θ + weightDecay·θ) for neuron j's weights, output weight and (if trained) bias. */
export function applySgd(
  net: Weights,
  j: number,
  d: number,
  gradW: Float64Array,
  gradA: number,
  gradB: number,
  lr: number,
  weightDecay: number,
  trainBias: boolean,
): void {
  const { W, A, B } = net;
  const wOff = j * d;
  for (let k = 0; k < d; k++) {
    const w = W[wOff + k];
    W[wOff + k] = w - lr * (gradW[k] + weightDecay * w);
  }
  const a = A[j];
  A[j] = a - lr * (gradA + weightDecay * a);
  if (trainBias) {
    const b = B[j];
    B[j] = b - lr * (gradB + weightDecay * b);
  }
}
