// The plain reference kernel: f(x) = Σ_j a_j σ(w_j·x + b_j) over a range of neurons, on ±1 float rows
// and f32 weights. Plain typed-array loops: no allocation, no closures; sums in f64 in a fixed order.
import { applySgd, BLOCK_SIZE, type NeuronRange, type StepModel, type Weights } from "../step.js";

/** Scratch of the plain kernel per shard. */
export interface F32Scratch {
  /** z_ij of the last training forward: Z[(j − j0)·batch + i]. */
  Z: Float64Array;
  /** ∂L/∂w_j of one neuron (d entries). */
  gradW: Float64Array;
}

export function f32Scratch(d: number, batch: number, neurons: number): F32Scratch {
  return { Z: new Float64Array(Math.max(1, neurons * batch)), gradW: new Float64Array(d) };
}

/**
 * Forward pass of neurons [j0, j1) (block-aligned) on `nRows` rows of X:
 * P[blk·nRows + i] = Σ_{j ∈ blk} a_j σ(z_ij), z_ij = w_j·x_i + b_j, with σ(z) = z > 0 ? z : slope·z.
 * Stores z_ij in Z[(j − j0)·nRows + i] when Z is given (training needs it for the backward pass).
 */
export function forwardPartials(
  net: Weights,
  m: StepModel,
  range: NeuronRange,
  X: Float32Array,
  nRows: number,
  P: Float64Array,
  Z: Float64Array | null,
): void {
  const { W, A, B } = net;
  const { d, slope } = m;
  const { j0, j1 } = range;
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

/**
 * SGD update of neurons [j0, j1) from the `nRows` rows X of the last training forward, its
 * pre-activations scratch.Z and the output gradients G:
 *   ∂L/∂a_j = Σ_i G_i σ(z_ij),   ∂L/∂w_j = Σ_i G_i a_j σ'(z_ij) x_i,   ∂L/∂b_j = Σ_i G_i a_j σ'(z_ij),
 * then θ ← θ − lr·(∂L/∂θ + weightDecay·θ), both layers from the same (old) weights.
 */
export function updateNeurons(
  net: Weights,
  m: StepModel,
  range: NeuronRange,
  X: Float32Array,
  nRows: number,
  G: Float64Array,
  scratch: F32Scratch,
): void {
  const A = net.A;
  const { d, slope } = m;
  const { j0, j1 } = range;
  const { Z, gradW } = scratch;
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
    applySgd(net, m, j, gradW, gradA, gradB);
  }
}
