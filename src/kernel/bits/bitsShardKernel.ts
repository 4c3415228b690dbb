// The "bits" kernel: the ±1 subset-sum tables of bitKernel.ts in plain TypeScript, f64 sums, on the
// run's shared weights (no copy of its own).
import { blockStats } from "../metrics.js";
import { BitRowSampler, type SampleRows } from "../sampler.js";
import { driftRows, gatherRows, secondLayerRows, GROUPS, neuronPair, zRangesOfRows } from "../marginBounds.js";
import { copyNeurons, givenTestSet, neuronRows, type ShardKernel, type ShardSetup, type WeightRows } from "../shardKernel.js";
import { stepModel, type NeuronRange, type StepModel } from "../step.js";
import { bitScratch, forwardGroupBits, forwardPartialsBits, packColumns, updateNeuronsBits, wordsPerRow, type BitScratch } from "./bitKernel.js";

export class BitsShardKernel implements ShardKernel {
  readonly model: StepModel;
  readonly range: NeuronRange;
  readonly sampler: BitRowSampler;
  private readonly net: WeightRows;
  private readonly batch: number;
  private readonly testRows: number;
  private readonly scratch: BitScratch;
  private readonly columns: Int32Array;
  /** The certified event search's reference weights and test scratch (allocated on first use). */
  private reference: WeightRows | null = null;
  private testScratch: BitScratch | null = null;
  private readonly pair = neuronPair();
  /** Bit rows of a subset of the test set (forwardRows), allocated on first use. */
  private subset: Int32Array | null = null;
  /** The run's test set (setTestSet). */
  private test: SampleRows | null = null;

  constructor(setup: ShardSetup) {
    const p = setup.params;
    this.model = stepModel(p);
    this.range = setup.range;
    this.sampler = new BitRowSampler(p);
    this.net = { first: 0, ...setup.net };
    this.batch = p.batch;
    this.testRows = setup.testRows;
    this.scratch = bitScratch(p.d, p.batch, setup.range.j1 - setup.range.j0);
    this.columns = new Int32Array(Math.ceil(p.batch / 32) * p.d);
  }

  load(source: WeightRows): void {
    copyNeurons(source, this.net, this.range, this.model.d);
  }

  store(target: WeightRows): void {
    copyNeurons(this.net, target, this.range, this.model.d);
  }

  forwardBatch(batch: SampleRows, P: Float64Array): void {
    forwardPartialsBits(this.net, this.model, this.range, batch.bits, this.batch, P, this.scratch, true);
  }

  update(batch: SampleRows, G: Float64Array): void {
    packColumns(batch.bits, this.batch, this.model.d, this.columns);
    updateNeuronsBits(this.net, this.model, this.range, this.columns, this.batch, G, this.scratch);
  }

  blockStats(stats: Float64Array, withNoise: boolean): void {
    blockStats(this.net, this.model.d, this.range.j0, this.range.j1, stats, withNoise);
  }

  setTestSet(test: SampleRows): void {
    this.test = test;
  }

  forwardTest(P: Float64Array, zRange: Float64Array | null = null): void {
    const test = givenTestSet(this.test, "BitsShardKernel");
    if (zRange === null) return forwardPartialsBits(this.net, this.model, this.range, test.bits, this.testRows, P, this.scratch, false);
    // the same tables, with the test rows' z kept apart from the batch's (which `update` reads)
    const neurons = this.range.j1 - this.range.j0;
    this.testScratch ??= { ...this.scratch, Z: new Float64Array(neurons * this.testRows) };
    forwardPartialsBits(this.net, this.model, this.range, test.bits, this.testRows, P, this.testScratch, true);
    zRangesOfRows(this.testScratch.Z, neurons, this.testRows / GROUPS, zRange);
  }

  secondLayer(P: Float64Array): void {
    const Z = this.testScratch?.Z ?? null;
    if (Z === null) throw new Error("BitsShardKernel.secondLayer before a forwardTest with z ranges");
    secondLayerRows(Z, this.net, this.range, this.testRows, this.model.slope, P);
  }

  forwardRows(rows: Int32Array, count: number, P: Float64Array): void {
    const test = givenTestSet(this.test, "BitsShardKernel");
    const words = wordsPerRow(this.model.d);
    this.subset ??= new Int32Array(this.testRows * words);
    gatherRows(test.bits, words, rows, count, this.subset);
    forwardPartialsBits(this.net, this.model, this.range, this.subset, count, P, this.scratch, false, forwardGroupBits(this.testRows));
  }

  keepReference(): void {
    this.reference ??= neuronRows(this.range, this.model.d);
    copyNeurons(this.net, this.reference, this.range, this.model.d);
  }

  drift(out: Float64Array): void {
    if (this.reference === null) throw new Error("BitsShardKernel.drift before keepReference");
    driftRows(this.net, this.reference, this.range.j0, this.range.j1, this.model.d, this.model.spuriousScale, out, this.pair);
  }
}
