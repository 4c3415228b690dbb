// Shared by the kernel tests: rows in both input formats, one SGD step of any kernel through the
// ShardKernel interface, and that step against central finite differences of the penalised loss
// L(θ) = mean ℓ + (wd/2)‖θ‖², computed through the plain f64 reference forward pass.
import { expect } from "vitest";
import type { ModelParams } from "../../src/config/modelKeys.js";
import { packRows, wordsPerRow } from "../../src/kernel/bits/bitKernel.js";
import { forwardPartials } from "../../src/kernel/f32/f32Step.js";
import { initNeurons } from "../../src/kernel/init.js";
import { createShardKernel, type KernelName } from "../../src/kernel/registry.js";
import { drawTrainRow, type SampleRows } from "../../src/kernel/sampler.js";
import type { ShardKernel, WeightRows } from "../../src/kernel/shardKernel.js";
import { blockCount, reduceOutputs, stepModel, type NeuronRange, type Weights } from "../../src/kernel/step.js";

/** Rows of samples with room for both formats; fill `x`, then call `packed` for the bits. */
export function target(rows: number, d: number): SampleRows {
  return { x: new Float32Array(rows * d), bits: new Int32Array(rows * wordsPerRow(d)), y: new Float32Array(rows), s: new Float32Array(rows) };
}

/** Packs the float rows of `t` into its bits (the ±1 kernels read only those). */
export function packed(t: SampleRows, d: number): SampleRows {
  packRows(t.x, d, 0, t.y.length, t.bits);
  return t;
}

export function network(p: ModelParams): WeightRows {
  return { first: 0, W: new Float32Array(p.width * p.d), A: new Float32Array(p.width), B: new Float32Array(p.width) };
}

export function allNeurons(p: ModelParams): NeuronRange {
  return { j0: 0, j1: p.width };
}

/** A kernel over neurons `range` of `net` (default all), loaded from it. */
export function kernelOn(name: KernelName, p: ModelParams, net: Weights, range = allNeurons(p), testRows = 0): ShardKernel {
  const kernel = createShardKernel(name, { params: p, net, range, testRows });
  kernel.load({ first: 0, ...net });
  return kernel;
}

/** One SGD step of `kernel` on the batch `t` (float rows; packed here). Returns the batch partials. */
export function step(kernel: ShardKernel, p: ModelParams, t: SampleRows): Float64Array {
  const blocks = blockCount(p.width);
  const P = new Float64Array(blocks * p.batch);
  const G = new Float64Array(p.batch);
  packed(t, p.d);
  kernel.forwardBatch(t, P);
  reduceOutputs(P, blocks, p.batch, t.y, new Float64Array(p.batch), G);
  kernel.update(t, G);
  return P;
}

/** One SGD step of kernel `name` at learning rate lr on all neurons of `net`, written back to it. */
export function kernelStep(name: KernelName, p: ModelParams, net: Weights, t: SampleRows, lr: number): Float64Array {
  const q = { ...p, lr };
  const kernel = kernelOn(name, q, net);
  const P = step(kernel, q, t);
  kernel.store({ first: 0, ...net });
  return P;
}

/** f_i = Σ_j a_j σ(w_j·x_i + b_j) partials by the plain reference forward pass. */
export function referencePartials(p: ModelParams, net: Weights, t: SampleRows, rows: number): Float64Array {
  const P = new Float64Array(blockCount(p.width) * rows);
  forwardPartials(net, stepModel(p), allNeurons(p), t.x, rows, P, null);
  return P;
}

/**
 * Initialises a network for `p`, draws one batch, and checks that `sgdStep(net, batch, lr = 1)` moves
 * every parameter by −∂L/∂θ as central differences (h = 1e-3) measure it.
 */
export function expectGradientsMatchFiniteDifferences(
  p: ModelParams,
  sgdStep: (net: Weights, batch: SampleRows, lr: number) => void,
): void {
  const net = network(p);
  initNeurons(p, net, 0, p.width);
  if (p.bias) for (let j = 0; j < p.width; j++) net.B[j] = 0.1 * ((j % 5) - 2);
  const t = target(p.batch, p.d);
  for (let r = 0; r < p.batch; r++) drawTrainRow(p, 0, r, t, new Int32Array(0), -1);

  const blocks = blockCount(p.width);
  const objective = (): number => {
    let sq = 0;
    for (const arr of [net.W, net.A, ...(p.bias ? [net.B] : [])]) for (const v of arr) sq += v * v;
    const P = referencePartials(p, net, t, p.batch);
    return reduceOutputs(P, blocks, p.batch, t.y, new Float64Array(p.batch), null) + (p.weightDecay / 2) * sq;
  };
  const params: Array<[Float32Array, number]> = [];
  for (let i = 0; i < net.W.length; i++) params.push([net.W, i]);
  for (let j = 0; j < p.width; j++) params.push([net.A, j]);
  if (p.bias) for (let j = 0; j < p.width; j++) params.push([net.B, j]);
  const numeric = params.map(([arr, i]) => {
    const v = arr[i];
    arr[i] = v + 1e-3; const up = objective(); const hiV = arr[i];
    arr[i] = v - 1e-3; const down = objective(); const loV = arr[i];
    arr[i] = v;
    return (up - down) / (hiV - loV); // divide by the f32 step actually taken
  });

  // analytic: one SGD step with lr = 1 moves each parameter by −∂L/∂θ
  const before = params.map(([arr, i]) => arr[i]);
  sgdStep(net, t, 1);
  const analytic = params.map(([arr, i], n) => before[n] - arr[i]);

  let maxErr = 0;
  for (let n = 0; n < params.length; n++) maxErr = Math.max(maxErr, Math.abs(analytic[n] - numeric[n]));
  const scale = Math.max(...numeric.map(Math.abs));
  expect(scale).toBeGreaterThan(1e-3); // the check is not vacuous
  expect(maxErr).toBeLessThan(2e-4 * Math.max(1, scale));
}
