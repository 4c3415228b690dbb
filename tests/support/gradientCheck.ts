// Shared by the kernel tests: an SGD step of any kernel against central finite differences of the
// penalised loss L(θ) = mean ℓ + (wd/2)‖θ‖², computed through the plain f64 reference forward pass.
import { expect } from "vitest";
import type { ModelParams } from "../../src/config/modelKeys.js";
import { initNeurons } from "../../src/kernel/init.js";
import { drawTrainRow, type SampleTarget } from "../../src/kernel/sampler.js";
import { blockCount, forwardPartials, reduceOutputs, type Weights } from "../../src/kernel/step.js";

export function target(rows: number, d: number): SampleTarget {
  return { x: new Float32Array(rows * d), y: new Float32Array(rows), s: new Float32Array(rows) };
}

export function network(p: ModelParams): Weights {
  return { W: new Float32Array(p.width * p.d), A: new Float32Array(p.width), B: new Float32Array(p.width) };
}

export function slopeOf(p: ModelParams): number {
  return p.activation === "leaky" ? p.leakySlope : 0;
}

/**
 * Initialises a network for `p`, draws one batch, and checks that `sgdStep(net, batch, lr = 1)` moves
 * every parameter by −∂L/∂θ as central differences (h = 1e-3) measure it.
 */
export function expectGradientsMatchFiniteDifferences(
  p: ModelParams,
  sgdStep: (net: Weights, batch: SampleTarget, lr: number) => void,
): void {
  const slope = slopeOf(p);
  const net = network(p);
  initNeurons(p, net, 0, p.width);
  if (p.bias) for (let j = 0; j < p.width; j++) net.B[j] = 0.1 * ((j % 5) - 2);
  const t = target(p.batch, p.d);
  for (let r = 0; r < p.batch; r++) drawTrainRow(p, 0, r, t, new Int32Array(0), -1);

  const blocks = blockCount(p.width);
  const objective = (): number => {
    let sq = 0;
    for (const arr of [net.W, net.A, ...(p.bias ? [net.B] : [])]) for (const v of arr) sq += v * v;
    const P = new Float64Array(blocks * p.batch);
    forwardPartials(net, t.x, p.batch, p.d, 0, p.width, slope, null, P);
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
