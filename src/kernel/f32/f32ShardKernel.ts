// The "f32" kernel: the plain reference of f32Step.ts on ±1 float rows, on the run's shared weights.
import { blockStats } from "../metrics.js";
import { FloatRowSampler, type SampleRows } from "../sampler.js";
import { copyNeurons, type ShardKernel, type ShardSetup, type WeightRows } from "../shardKernel.js";
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

  blockStats(stats: Float64Array): void {
    blockStats(this.net, this.model.d, this.range.j0, this.range.j1, stats);
  }

  forwardTest(test: SampleRows, P: Float64Array): void {
    forwardPartials(this.net, this.model, this.range, test.x, this.testRows, P, null);
  }
}
