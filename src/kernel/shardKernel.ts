// The one interface between the shard loop (pool/shardLoop.ts) and a step kernel: everything the loop
// asks of the numerics of its neurons [j0, j1). Implementations: f32/ (the plain reference), bits/
// (±1 subset-sum tables in TypeScript), simd/ (the same tables in WebAssembly SIMD); kernel/registry.ts
// names them. Rows come in the kernel's own input format, drawn by its `sampler`.
import type { ModelParams } from "../config/modelKeys.js";
import type { RowSampler, SampleRows } from "./sampler.js";
import type { NeuronRange, StepModel, Weights } from "./step.js";

/** Weights of neurons [first, first + A.length): row r of W (d floats) holds neuron first + r. */
export interface WeightRows extends Weights {
  first: number;
}

/** What a kernel is built from: one shard of one run. */
export interface ShardSetup {
  params: ModelParams;
  /** The network the run's result lives in; the kernel's neurons are initialised there before `load`. */
  net: Weights;
  range: NeuronRange;
  /** Rows of the test set (4·testPerGroup). */
  testRows: number;
}

export interface ShardKernel {
  readonly model: StepModel;
  readonly range: NeuronRange;
  /** Draws training and test rows in the format this kernel reads. */
  readonly sampler: RowSampler;
  /** Takes in my neurons' weights from `source` (after initialisation, or to restore a snapshot). */
  load(source: WeightRows): void;
  /** Writes my neurons' weights into `target`. */
  store(target: WeightRows): void;
  /**
   * Forward pass of my neurons on the training batch: P[blk·batch + i] = Σ_{j ∈ blk} a_j σ(z_ij) for
   * my blocks; keeps what `update` needs.
   */
  forwardBatch(batch: SampleRows, P: Float64Array): void;
  /** SGD step of my neurons from the last `forwardBatch` (same batch) and G[i] = ∂ mean loss / ∂f(x_i). */
  update(batch: SampleRows, G: Float64Array): void;
  /**
   * The block statistics of metrics.ts (`blockStats`) of my blocks, bitwise identical to it;
   * massNoise only `withNoise`.
   */
  blockStats(stats: Float64Array, withNoise: boolean): void;
  /**
   * The run's test set, once every shard has drawn its rows: `forwardTest` and `forwardRows` read it
   * from then on (its rows stay as they are for the rest of the run, so a kernel may lay them out
   * in its own format once).
   */
  setTestSet(test: SampleRows): void;
  /**
   * Forward pass of my neurons on the test set, partials as in `forwardBatch`. With `zRange`, also
   * the least and greatest pre-activation of each of my neurons over each test group, at
   * ((j − j0)·4 + g)·2 and + 1 (kernel/marginBounds.ts, for the certified event search).
   */
  forwardTest(P: Float64Array, zRange?: Float64Array | null): void;
  /**
   * P[blk·testRows + i] = Σ_{j ∈ blk} a_j σ(z⁰_ij) for my blocks: today's output weights on the test
   * pre-activations of the last `forwardTest` with zRange (kernel/marginBounds.ts bounds its rounding).
   */
  secondLayer(P: Float64Array): void;
  /**
   * Forward pass of my neurons on the test rows rows[0 … count), P[blk·count + r], each output
   * bitwise what `forwardTest` computes for that row.
   */
  forwardRows(rows: Int32Array, count: number, P: Float64Array): void;
  /** Keeps my neurons' current weights as the reference step of `drift`. */
  keepReference(): void;
  /** The drift records (kernel/marginBounds.ts, DRIFT_FIELDS per neuron) of my neurons since the reference. */
  drift(out: Float64Array): void;
}

/** The test set given to a kernel's `setTestSet`; an error naming the kernel before it was given. */
export function givenTestSet(test: SampleRows | null, kernel: string): SampleRows {
  if (test === null) throw new Error(`${kernel}: a test pass before setTestSet`);
  return test;
}

/** Copies neurons [j0, j1) of dimension d from `from` to `to` (either may be a partial WeightRows). */
export function copyNeurons(from: WeightRows, to: WeightRows, range: NeuronRange, d: number): void {
  if (from.W === to.W && from.first === to.first) return;
  const { j0, j1 } = range;
  to.W.set(from.W.subarray((j0 - from.first) * d, (j1 - from.first) * d), (j0 - to.first) * d);
  to.A.set(from.A.subarray(j0 - from.first, j1 - from.first), j0 - to.first);
  to.B.set(from.B.subarray(j0 - from.first, j1 - from.first), j0 - to.first);
}

/** Space for the weights of neurons [j0, j1): a snapshot of one shard. */
export function neuronRows(range: NeuronRange, d: number): WeightRows {
  const n = range.j1 - range.j0;
  return { first: range.j0, W: new Float32Array(n * d), A: new Float32Array(n), B: new Float32Array(n) };
}
