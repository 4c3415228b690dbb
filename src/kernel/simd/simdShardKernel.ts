// The "simd" kernel (the default): the ±1 subset-sum tables in WebAssembly SIMD, vectorised across
// neurons, z in f32 (simdInstance.ts). My neurons live in the instance's own memory between `load`
// and `store`; the block statistics are read there in place.
import type { SampleRows } from "../sampler.js";
import { wordsPerRow } from "../bits/bitKernel.js";
import { gatherRows } from "../marginBounds.js";
import { givenTestSet, type ShardKernel, type ShardSetup, type WeightRows } from "../shardKernel.js";
import { BLOCK_SIZE, stepModel, type NeuronRange, type StepModel } from "../step.js";
import { SimdInstance } from "./simdInstance.js";
import { SimdRowSampler } from "./simdSampler.js";

export class SimdShardKernel implements ShardKernel {
  readonly model: StepModel;
  readonly range: NeuronRange;
  readonly sampler: SimdRowSampler;
  private readonly instance: SimdInstance;
  private readonly firstBlock: number;
  private readonly batch: number;
  private readonly testRows: number;
  /** Bit rows of a subset of the test set (forwardRows), allocated on first use. */
  private subset: Int32Array | null = null;
  /** The run's test set (setTestSet). */
  private test: SampleRows | null = null;
  private readonly words: number;

  constructor(setup: ShardSetup) {
    const p = setup.params;
    const { j0, j1 } = setup.range;
    this.model = stepModel(p);
    this.range = setup.range;
    this.sampler = new SimdRowSampler(p);
    this.instance = new SimdInstance(this.model, j1 - j0, p.batch, setup.testRows, p.eventSearch === "exact");
    this.firstBlock = j0 / BLOCK_SIZE;
    this.batch = p.batch;
    this.testRows = setup.testRows;
    this.words = wordsPerRow(p.d);
  }

  load(source: WeightRows): void {
    this.instance.loadWeights(source, this.range.j0, this.range.j1);
  }

  store(target: WeightRows): void {
    this.instance.storeWeights(target);
  }

  forwardBatch(batch: SampleRows, P: Float64Array): void {
    this.instance.forward(batch.bits, this.batch, P, this.firstBlock, true);
  }

  update(_batch: SampleRows, G: Float64Array): void {
    // the instance transposes the rows of its last training forward itself
    this.instance.update(null, this.batch, G);
  }

  blockStats(stats: Float64Array, withNoise: boolean): void {
    this.instance.blockStats(stats, this.firstBlock, withNoise);
  }

  setTestSet(test: SampleRows): void {
    // the four groups' rows k share their noise (kernel/sampler.ts drawTestSample)
    this.instance.setTestRows(test.bits, this.testRows, 4);
    this.test = test;
  }

  forwardTest(P: Float64Array, zRange: Float64Array | null = null): void {
    this.instance.forwardTest(P, this.firstBlock, zRange);
  }

  secondLayer(P: Float64Array): void {
    this.instance.secondLayer(P, this.firstBlock);
  }

  forwardRows(rows: Int32Array, count: number, P: Float64Array): void {
    this.subset ??= new Int32Array(this.testRows * this.words);
    gatherRows(givenTestSet(this.test, "SimdShardKernel").bits, this.words, rows, count, this.subset);
    this.instance.forwardRows(this.subset, count, P, this.firstBlock);
  }

  keepReference(): void {
    this.instance.keepReference();
  }

  drift(out: Float64Array): void {
    this.instance.drift(out);
  }
}
