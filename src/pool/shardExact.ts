// The exact event search's side of a shard (eventSearch "exact", pool/certifiedEvents.ts decides):
// after each update the shards bound how far the test margins moved since the last exact
// evaluation (`boundMargins`); where the bounds leave an event open, first the exact second-layer
// outputs, then the test rows they leave open, and last the whole test set (`refresh`) are
// evaluated exactly. Every shard takes part in the same steps, so the event steps do not depend on
// the number of shards. The shard loop (pool/shardLoop.ts) owns the buffers it borrows.
import type { EventSpec } from "../kernel/events.js";
import { DRIFT_FIELDS, groupBounds, GROUP_BOUND_FIELDS, Z_RANGE_FIELDS } from "../kernel/marginBounds.js";
import { BLOCK_SIZE, sumPartials } from "../kernel/step.js";
import { CertifiedEventWatch } from "./certifiedEvents.js";
import { Control } from "./layout.js";
import type { ShardLoop } from "./shardLoop.js";

export class ExactShardSearch {
  readonly watch: CertifiedEventWatch;
  /** My neurons' drift records and test z ranges, and the margin bounds of the blocks by parity. */
  private readonly drift: Float64Array;
  private readonly zRange: Float64Array;
  private readonly marginBounds: Float64Array[];

  constructor(
    private readonly loop: ShardLoop,
    events: readonly EventSpec[],
  ) {
    const { p, v, kernel, blocks } = loop;
    this.watch = new CertifiedEventWatch(events, loop.isLead ? v.events : null, p);
    const neurons = kernel.range.j1 - kernel.range.j0;
    this.drift = new Float64Array(neurons * DRIFT_FIELDS);
    this.zRange = new Float64Array(neurons * Z_RANGE_FIELDS);
    const fields = blocks * GROUP_BOUND_FIELDS;
    this.marginBounds = [0, 1].map((parity) => v.marginBounds.subarray(parity * fields, (parity + 1) * fields));
  }

  /** My partials of the test set at `step`'s weights; the reference of the bounds where the next step tries them. */
  forwardTest(step: number, testPartials: Float64Array): void {
    const { kernel } = this.loop;
    const reference = this.watch.keepsReference(step);
    kernel.forwardTest(testPartials, reference ? this.zRange : null);
    if (reference) kernel.keepReference();
  }

  /** After the update of step u, not an evaluation step: my blocks' bounds on the test margins' move since the reference. */
  boundMargins(u: number): void {
    if (!this.watch.triesBounds(u)) return;
    const kernel = this.loop.kernel;
    kernel.drift(this.drift);
    const { j0, j1 } = kernel.range;
    groupBounds(this.drift, this.zRange, j1 - j0, j0 / BLOCK_SIZE, kernel.model.slope, this.loop.p.width, this.marginBounds[u & 1]);
  }

  /** Decides the pending events at evaluation step `step` from its exact metrics (in the loop's metrics and test outputs). */
  exactAt(step: number, stepLoss: number): void {
    const loop = this.loop;
    this.watch.exactAt(step, loop.metrics, stepLoss, loop.testF, loop.v.testY);
  }

  /**
   * Decides the pending events at `step`, not an evaluation step (called after B_(step+1), the
   * weights still those of `step`; `stats` its block stats): from the bounds, else exactly.
   */
  decide(step: number, stats: Float64Array, stepLoss: number): void {
    const loop = this.loop;
    if (this.watch.allReached) return;
    const watch = this.watch;
    if (watch.triesBounds(step)) {
      loop.evaluate(stats, loop.testPartials[step & 1], false);
      if (watch.check(step, loop.metrics, stepLoss, this.marginBounds[step & 1], loop.blocks) || this.secondLayerDecides(step)) {
        watch.boundsDecided();
        return;
      }
      watch.boundsFailed(step);
    }
    this.refresh(step, stats, stepLoss);
  }

  /**
   * Where the per-group bounds left an event open at `step`: the exact second-layer outputs, then
   * the test rows they leave open evaluated exactly — unless more than half are open (a refresh
   * costs less then, and tightens the bounds of the steps after it).
   */
  private secondLayerDecides(step: number): boolean {
    const watch = this.watch;
    if (!watch.worthSecondLayer(step)) return false;
    if (this.checkOutputs(step) || (2 * watch.openCount <= this.loop.nTest && this.checkOpenRows(step))) return true;
    watch.secondLayerFailed(step);
    return false;
  }

  /**
   * Decides an open event at `step` on the exact second-layer part of every test output (each shard
   * its blocks', in the test partials of parity `step`, free as in `refresh`). False when that too
   * leaves it open.
   */
  private checkOutputs(step: number): boolean {
    const loop = this.loop;
    loop.kernel.secondLayer(loop.testPartials[step & 1]);
    loop.meet(); // every shard's second-layer partials are written
    sumPartials(loop.testPartials[step & 1], loop.blocks, loop.nTest, loop.testF);
    if (loop.isLead) Atomics.add(loop.v.control, Control.exactSecondLayer, 1);
    return this.watch.checkOutputs(step, loop.testF, loop.v.testY);
  }

  /**
   * Where f̂ left an event open at `step`: evaluates the test rows it left open exactly (each shard
   * its blocks, into the test partials of parity `step`, as `refresh`). False when that too leaves
   * an event open (one on a margin or coefficient, whose bounds the exact rows do not close).
   */
  private checkOpenRows(step: number): boolean {
    const loop = this.loop;
    const count = this.watch.openCount;
    const partials = loop.testPartials[step & 1];
    loop.meet(); // everyone has read the second-layer partials in this buffer
    loop.kernel.forwardRows(this.watch.openRows, count, partials);
    loop.meet(); // every shard's partials of the open rows are written
    sumPartials(partials, loop.blocks, count, loop.testF);
    if (loop.isLead) Atomics.add(loop.v.control, Control.exactOpenRows, count);
    return this.watch.checkOpenRows(step, loop.testF, loop.v.testY);
  }

  /**
   * Evaluates step `step` exactly where the bounds left an event open, and decides its events. Its
   * test partials go in the buffer of parity `step`, whose last readers (the evaluation of
   * step − 2) are done, and which the loop writes again only at step + 2, after everyone has read
   * these.
   */
  private refresh(step: number, stats: Float64Array, stepLoss: number): void {
    const loop = this.loop;
    const testPartials = loop.testPartials[step & 1];
    loop.meet(); // everyone has read the second-layer partials in this buffer
    this.forwardTest(step, testPartials);
    loop.meet(); // every shard's test partials of this step are written
    loop.evaluate(stats, testPartials, true);
    this.exactAt(step, stepLoss);
    if (loop.isLead) Atomics.add(loop.v.control, Control.exactRefreshes, 1);
  }
}
