// The "bits" kernel: the ±1 subset-sum tables of bitKernel.ts in plain TypeScript, f64 sums, on the
// run's shared weights (no copy of its own).
import { blockStats } from "../metrics.js";
import { BitRowSampler, type SampleRows } from "../sampler.js";
import { copyNeurons, type ShardKernel, type ShardSetup, type WeightRows } from "../shardKernel.js";
import { stepModel, type NeuronRange, type StepModel } from "../step.js";
import { bitScratch, forwardPartialsBits, packColumns, updateNeuronsBits, type BitScratch } from "./bitKernel.js";

export class BitsShardKernel implements ShardKernel {
  readonly model: StepModel;
  readonly range: NeuronRange;
  readonly sampler: BitRowSampler;
  private readonly net: WeightRows;
  private readonly batch: number;
  private readonly testRows: number;
  private readonly scratch: BitScratch;
  private readonly columns: Int32Array;

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

  blockStats(stats: Float64Array): void {
    blockStats(this.net, this.model.d, this.range.j0, this.range.j1, stats);
  }

  forwardTest(test: SampleRows, P: Float64Array): void {
    forwardPartialsBits(this.net, this.model, this.range, test.bits, this.testRows, P, this.scratch, false);
  }
}
