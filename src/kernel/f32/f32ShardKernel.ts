// The "f32" kernel: the plain reference of f32Step.ts on ±1 float rows, on the run's shared weights.
import { blockStats } from "../metrics.js";
import { FloatRowSampler, type SampleRows } from "../sampler.js";
import { driftRows, secondLayerRows, neuronPair, zRangesOfRows, GROUPS } from "../marginBounds.js";
import { copyNeurons, givenTestSet, neuronRows, type ShardKernel, type ShardSetup, type WeightRows } from "../shardKernel.js";
import { stepModel, type NeuronRange, type StepModel } from "../step.js";
import { f32Scratch, forwardPartials, updateNeurons, type F32Scratch } from "./f32Step.js";

export class F32ShardKernel implements ShardKernel {
  readonly model: StepModel;
  readonly range: NeuronRange;
  readonly sampler: FloatRowSampler;
  private readonly net: WeightRows;
  private readonly batch: number;
  private readonly testRows: number;
  private readonly scratch: F32Scratch;
  /** The certified event search's reference weights and test pre-activations (allocated on first use). */
  private reference: WeightRows | null = null;
  private testZ: Float64Array | null = null;
  private readonly pair = neuronPair();
  /** Float rows of a subset of the test set (forwardRows), allocated on first use. */
  private subset: Float32Array | null = null;
  /** The run's test set (setTestSet). */
  private test: SampleRows | null = null;

  constructor(setup: ShardSetup) {
    const p = setup.params;
    this.model = stepModel(p);
    this.range = setup.range;
    this.sampler = new FloatRowSampler(p);
    this.net = { first: 0, ...setup.net };
    this.batch = p.batch;
    this.testRows = setup.testRows;
    this.scratch = f32Scratch(p.d, p.batch, setup.range.j1 - setup.range.j0);
  }

  load(source: WeightRows): void {
    copyNeurons(source, this.net, this.range, this.model.d);
  }

  store(target: WeightRows): void {
    copyNeurons(this.net, target, this.range, this.model.d);
  }

  forwardBatch(batch: SampleRows, P: Float64Array): void {
    forwardPartials(this.net, this.model, this.range, batch.x, this.batch, P, this.scratch.Z);
  }

  update(batch: SampleRows, G: Float64Array): void {
    updateNeurons(this.net, this.model, this.range, batch.x, this.batch, G, this.scratch);
  }

  blockStats(stats: Float64Array, withNoise: boolean): void {
    blockStats(this.net, this.model.d, this.range.j0, this.range.j1, stats, withNoise);
  }

  setTestSet(test: SampleRows): void {
    this.test = test;
  }

  forwardTest(P: Float64Array, zRange: Float64Array | null = null): void {
    const test = givenTestSet(this.test, "F32ShardKernel");
    const neurons = this.range.j1 - this.range.j0;
    if (zRange !== null) this.testZ ??= new Float64Array(neurons * this.testRows);
    const Z = zRange !== null ? this.testZ : null;
    forwardPartials(this.net, this.model, this.range, test.x, this.testRows, P, Z);
    if (Z !== null && zRange !== null) zRangesOfRows(Z, neurons, this.testRows / GROUPS, zRange);
  }

  secondLayer(P: Float64Array): void {
    const Z = this.testZ;
    if (Z === null) throw new Error("F32ShardKernel.secondLayer before a forwardTest with z ranges");
    secondLayerRows(Z, this.net, this.range, this.testRows, this.model.slope, P);
  }

  forwardRows(rows: Int32Array, count: number, P: Float64Array): void {
    const test = givenTestSet(this.test, "F32ShardKernel");
    const d = this.model.d;
    this.subset ??= new Float32Array(this.testRows * d);
    for (let r = 0; r < count; r++) this.subset.set(test.x.subarray(rows[r] * d, (rows[r] + 1) * d), r * d);
    forwardPartials(this.net, this.model, this.range, this.subset, count, P, null);
  }

  keepReference(): void {
    this.reference ??= neuronRows(this.range, this.model.d);
    copyNeurons(this.net, this.reference, this.range, this.model.d);
  }

  drift(out: Float64Array): void {
    if (this.reference === null) throw new Error("F32ShardKernel.drift before keepReference");
    driftRows(this.net, this.reference, this.range.j0, this.range.j1, this.model.d, this.model.spuriousScale, out, this.pair);
  }
}
