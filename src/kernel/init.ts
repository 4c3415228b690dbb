// Initialisation (SPEC §2): w_j ~ N(0, initW²/d · I), a_j = ±initA by a fair coin, b_j = 0.
// Each neuron's draws are keyed by its index, so a shard can initialise its own range alone.
import { normal, Stream, uniform } from "./prng.js";
import type { ModelParams } from "../config/modelKeys.js";
import type { Weights } from "./step.js";

/** Initialises neurons [j0, j1). With symmetricInit, neuron j + m/2 copies neuron j with a negated. */
export function initNeurons(p: ModelParams, net: Weights, j0: number, j1: number): void {
  const half = p.width / 2;
  const scale = p.initW / Math.sqrt(p.d);
  for (let j = j0; j < j1; j++) {
    const source = p.symmetricInit && j >= half ? j - half : j;
    const sign = p.symmetricInit && j >= half ? -1 : 1;
    for (let k = 0; k < p.d; k++) net.W[j * p.d + k] = scale * normal(p.seed, Stream.initW, source * p.d + k);
    net.A[j] = sign * (uniform(p.seed, Stream.initA, source) < 0.5 ? p.initA : -p.initA);
    net.B[j] = 0;
  }
}
