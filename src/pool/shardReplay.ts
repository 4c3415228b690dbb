// The bracket event search's side of a shard (eventSearch "bracket"): when an event is first seen at
// evaluation t, every shard replays the interval since the previous evaluation t′ from a snapshot
// of its neurons' weights at t′, evaluating what the pending events need at each step, then goes on
// from the weights of t. The shard loop (pool/shardLoop.ts) owns the buffers it borrows.
import type { SampleRows } from "../kernel/sampler.js";
import { neuronRows, type WeightRows } from "../kernel/shardKernel.js";
import { reduceOutputs } from "../kernel/step.js";
import type { EventWatch } from "./eventSteps.js";
import { BATCH_BUFFERS } from "./layout.js";
import type { ShardLoop } from "./shardLoop.js";

export class BracketReplay {
  /** Weights of my neurons at the last evaluation, while events remain to be located. */
  private readonly snapshot: WeightRows;
  /** Where my neurons' current weights wait while an interval is replayed. */
  private readonly current: WeightRows;
  /** Partials of a batch forwarded again after a replay (only for its pre-activations; not shared). */
  private readonly replayPartials: Float64Array;

  constructor(private readonly loop: ShardLoop) {
    const { kernel, p } = loop;
    this.snapshot = neuronRows(kernel.range, p.d);
    this.current = neuronRows(kernel.range, p.d);
    this.replayPartials = new Float64Array(loop.blocks * p.batch);
  }

  /** Keeps my neurons' weights now (an evaluation step) as the start of the next interval. */
  keepSnapshot(): void {
    this.loop.kernel.store(this.snapshot);
  }

  /**
   * Replays steps from+1 … t−1 from the snapshot of step `from`, evaluating what the pending events
   * need at each step, until all are located; then restores the weights of step t (the loop's state).
   * It uses only buffers the loop no longer reads after B_(t+1): batch slot t mod 3, the partials of
   * parity t, and the stats and test partials of parity t+1 (written again only after the last meet).
   * Bitwise the same arithmetic as the loop: same rows, same kernel, same order of the loss sum.
   */
  replayInterval(from: number, t: number, watch: EventWatch): void {
    const loop = this.loop;
    const { p, kernel } = loop;
    kernel.store(this.current);
    kernel.load(this.snapshot);
    const slot: SampleRows = loop.batches[t % BATCH_BUFFERS];
    const partials = loop.partials[t & 1];
    const stats = loop.stats[(t + 1) & 1];
    const testPartials = loop.testPartials[(t + 1) & 1];
    const withTestSet = watch.pendingNeedTestSet();
    const [r0, r1] = loop.myRows;
    let lossSum = 0;
    for (let s = from + 1; s < t && watch.pendingEvents > 0; s++) {
      kernel.sampler.drawTrainRows(s - 1, r0, r1, slot);
      loop.meet(); // batch s is complete
      kernel.forwardBatch(slot, partials);
      loop.meet(); // its partials are complete
      lossSum += reduceOutputs(partials, loop.blocks, p.batch, slot.y, loop.F, loop.G);
      kernel.update(slot, loop.G);
      kernel.blockStats(stats, true);
      if (withTestSet) kernel.forwardTest(testPartials);
      loop.meet(); // the stats (and test partials) of step s are complete
      loop.evaluate(stats, testPartials, withTestSet);
      loop.metrics.trainLoss = lossSum / (s - from);
      watch.locateHolding(loop.metrics, s);
    }
    loop.meet(); // nobody reads the replay's stats and test partials any more
    kernel.load(this.current);
    // the update of step t+1 differentiates the forward pass of batch t+1 at the weights of t: redo it
    if (t < p.steps) kernel.forwardBatch(loop.batches[(t + 1) % BATCH_BUFFERS], this.replayPartials);
  }
}
