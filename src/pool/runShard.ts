// The shard loop: one worker thread trains neurons [j0, j1) of one run for all steps, meeting the
// other shards of the run at one barrier per step. No messages are exchanged per step.
//
// Update u (1 … steps) turns the weights of step u−1 into those of step u:
//   forward my blocks on batch u ─ draw my rows of batch u+1 ─ B_u ─ read the block stats (+ test
//   partials) of step u−1 ─ reduce all partials in block order to f and ℓ' ─ update my neurons ─
//   write the stats (+ test partials) of step u.
// What is written before B_u and read after it is buffered so that no shard can overwrite it while
// a slower one still reads: partials, stats and test partials by the parity of their step, batches
// by step mod 3 (a fast shard draws batch u+2 while a slow one still reads batch u in its update).
//
// Events are located to one step. With eventSearch "exact" (pool/certifiedEvents.ts) every step is
// decided: after each update the shards bound how far the test margins moved since the last exact
// evaluation (`boundMargins`), and evaluate the test set exactly (`refresh`) only where the bounds
// leave an event open. With "bracket" (pool/eventSteps.ts) every shard evaluates the metrics
// itself; when an event is first seen at evaluation t, all shards replay the interval since the
// previous evaluation t′ from a weight snapshot (`replayInterval`), then carry on from the weights of t.
import type { ModelParams } from "../config/modelKeys.js";
import type { EventSpec } from "../kernel/events.js";
import { SCALAR_METRICS, type Metrics } from "../kernel/metricNames.js";
import { BlockStat, sumBlockStat, testMetrics, weightMetrics } from "../kernel/metrics.js";
import { createShardKernel, type KernelName } from "../kernel/registry.js";
import type { SampleRows } from "../kernel/sampler.js";
import { neuronRows, type ShardKernel, type WeightRows } from "../kernel/shardKernel.js";
import { BLOCK_SIZE, blockCount, reduceOutputs, sumPartials } from "../kernel/step.js";
import { wordsPerRow } from "../kernel/bits/bitKernel.js";
import { initNeurons } from "../kernel/init.js";
import { Divergence, DivergenceWatch } from "../kernel/divergence.js";
import { abortRun, Barrier, isBarrierAbort } from "./barrier.js";
import { EventWatch } from "./eventSteps.js";
import { CertifiedEventWatch } from "./certifiedEvents.js";
import { DRIFT_FIELDS, groupBounds, GROUP_BOUND_FIELDS, Z_RANGE_FIELDS } from "../kernel/marginBounds.js";
import {
  BATCH_BUFFERS,
  checkpointRows,
  Control,
  evenSplit,
  isEvalStep,
  LN_MASS_STRIDE,
  shardNeuronRange,
  TRAJECTORY_STRIDE,
  viewRunBuffers,
  type RunBuffers,
  type RunViews,
} from "./layout.js";

export interface ShardTask {
  params: ModelParams;
  buffers: RunBuffers;
  shard: number;
  shards: number;
  kernel: KernelName;
  /** The events to watch, in the order of the run's events buffer. */
  events: readonly EventSpec[];
  /** Locate each event to one step (true, as params.eventSearch says), or keep the evaluation step where it is first seen. */
  exactEvents: boolean;
  /** Indices into `events` of the params' stopAfter events: the run ends at the evaluation where all are reached. */
  stopAfter: readonly number[];
  /** Steps whose weights to keep in the run's checkpoint buffer (ascending, each ≤ steps). */
  checkpointSteps: readonly number[];
  /** Test hook: throw at this update in this shard, to exercise barrier abort. */
  failAtStep?: number;
}

/** Where a shard's time went: the whole loop, its steps, and the time spent waiting at the barrier. */
export interface ShardTiming {
  loopMs: number;
  /** Steps 1 … steps alone, without initialisation, the test set and the step-0 evaluation. */
  stepsMs: number;
  barrierWaitMs: number;
}

export function runShard(task: ShardTask): ShardTiming {
  const views = viewRunBuffers(task.buffers);
  try {
    const loop = new ShardLoop(task, views);
    const started = performance.now();
    loop.run();
    return { loopMs: performance.now() - started, stepsMs: loop.stepsMs, barrierWaitMs: loop.barrierWaitMs };
  } catch (err) {
    // Wake every other shard of this run so none waits forever; they throw BarrierAbortedError.
    if (!isBarrierAbort(err)) abortRun(views.control);
    throw err;
  }
}

class ShardLoop {
  private readonly p: ModelParams;
  private readonly v: RunViews;
  private readonly barrier: Barrier;
  private readonly shard: number;
  private readonly shards: number;
  private readonly kernel: ShardKernel;
  /** The run's shared weights, where the result lives (the kernel may keep its own copy meanwhile). */
  private readonly net: WeightRows;
  private readonly isLead: boolean; // shard 0 also records metrics and progress
  private readonly blocks: number;
  private readonly nTest: number;
  private readonly failAtStep: number;
  private readonly divergence: DivergenceWatch;
  /** My rows [r0, r1) of every training batch (drawn by me, read by all). */
  private readonly myRows: readonly [number, number];
  private readonly watch: EventWatch;
  /** The exact event search (eventSearch "exact"), or null. */
  private readonly certified: CertifiedEventWatch | null;
  /** Its scratch: my neurons' drift records and test z ranges, the margin bounds of the blocks by parity. */
  private readonly drift: Float64Array;
  private readonly zRange: Float64Array;
  private readonly marginBounds: Float64Array[];
  /** The minibatch loss of the last update (trainLoss at that step for the exact event search). */
  private stepLoss = NaN;
  /** Weights of my neurons at the last evaluation, while events remain to be located; else null. */
  private readonly snapshot: WeightRows | null;
  /** Where my neurons' current weights wait while an interval is replayed. */
  private readonly current: WeightRows | null;
  private lastEval = 0;
  private readonly stopAfter: readonly number[];
  /** The evaluation at which the stopAfter events were all reached (every shard sees it at the same one), or −1. */
  private stoppedAt = -1;
  /** The checkpoint buffer as one WeightRows per checkpoint step (first neuron 0, all neurons). */
  private readonly checkpoints: WeightRows[];
  private readonly checkpointSteps: readonly number[];
  private nextCheckpoint = 0;
  // private scratch, allocated once per run
  private readonly F: Float64Array;
  private readonly G: Float64Array;
  private readonly testF: Float64Array;
  /** Partials of a batch forwarded again after a replay (only for its pre-activations; not shared). */
  private readonly replayPartials: Float64Array;
  private readonly metrics: Metrics;
  // shared buffers in flight: batches by step mod BATCH_BUFFERS, the rest by the parity of the step
  private readonly batches: SampleRows[];
  private readonly testSet: SampleRows;
  private readonly partials: Float64Array[];
  private readonly stats: Float64Array[];
  private readonly testPartials: Float64Array[];
  private lossSum = 0;
  private lossCount = 0;
  /** Time spent at the barrier waiting for the other shards (not measured with one shard). */
  barrierWaitMs = 0;
  /** Wall time of steps 1 … steps (until the run ends, also when it diverges). */
  stepsMs = 0;
  private stepsStarted = 0;

  constructor(task: ShardTask, v: RunViews) {
    const p = task.params;
    this.p = p;
    this.v = v;
    this.barrier = new Barrier(v.control, task.shards);
    this.shard = task.shard;
    this.shards = task.shards;
    this.isLead = task.shard === 0;
    this.blocks = blockCount(p.width);
    this.nTest = 4 * p.testPerGroup;
    this.net = { first: 0, W: v.W, A: v.A, B: v.B };
    const [j0, j1] = shardNeuronRange(p.width, task.shard, task.shards, BLOCK_SIZE);
    this.failAtStep = task.failAtStep ?? -1;
    this.divergence = new DivergenceWatch(p.divergeLoss);
    this.myRows = evenSplit(p.batch, task.shard, task.shards);
    this.kernel = createShardKernel(task.kernel, { params: p, net: this.net, range: { j0, j1 }, testRows: this.nTest });
    this.watch = new EventWatch(task.events, this.isLead ? v.events : null);
    const exact = task.exactEvents && task.events.length > 0 && p.eventSearch === "exact";
    this.certified = exact ? new CertifiedEventWatch(task.events, this.isLead ? v.events : null, p) : null;
    const neurons = this.kernel.range.j1 - this.kernel.range.j0;
    this.drift = new Float64Array(exact ? neurons * DRIFT_FIELDS : 0);
    this.zRange = new Float64Array(exact ? neurons * Z_RANGE_FIELDS : 0);
    this.marginBounds = [0, 1].map((parity) => v.marginBounds.subarray(parity * this.blocks * GROUP_BOUND_FIELDS, (parity + 1) * this.blocks * GROUP_BOUND_FIELDS));
    const replays = task.exactEvents && task.events.length > 0 && p.eventSearch === "bracket";
    this.snapshot = replays ? neuronRows(this.kernel.range, p.d) : null;
    this.current = replays ? neuronRows(this.kernel.range, p.d) : null;
    this.checkpointSteps = task.checkpointSteps;
    this.stopAfter = task.stopAfter;
    this.checkpoints = task.checkpointSteps.map((_, k) => checkpointRows(v.checkpoints, k, p.width, p.d));

    const { batch, d } = p;
    this.F = new Float64Array(batch);
    this.G = new Float64Array(batch);
    this.testF = new Float64Array(this.nTest);
    this.replayPartials = new Float64Array(replays ? this.blocks * batch : 0);
    this.metrics = { acc: [0, 0, 0, 0] } as unknown as Metrics;
    for (const name of SCALAR_METRICS) this.metrics[name] = 0;
    const xSize = v.trainX.length / BATCH_BUFFERS; // 0 when the kernel reads bits only
    const bitSize = batch * wordsPerRow(d);
    this.batches = Array.from({ length: BATCH_BUFFERS }, (_, i) => ({
      x: v.trainX.subarray(i * xSize, (i + 1) * xSize),
      bits: v.trainBits.subarray(i * bitSize, (i + 1) * bitSize),
      y: v.trainY.subarray(i * batch, (i + 1) * batch),
      s: v.trainS.subarray(i * batch, (i + 1) * batch),
    }));
    this.testSet = { x: v.testX, bits: v.testBits, y: v.testY, s: v.testS };
    const halves = (all: Float64Array): Float64Array[] => [all.subarray(0, all.length / 2), all.subarray(all.length / 2)];
    this.partials = halves(v.partials);
    this.stats = halves(v.blockStats);
    this.testPartials = halves(v.testPartials);
  }

  run(): void {
    try {
      this.train();
    } finally {
      if (this.stepsStarted > 0) this.stepsMs = performance.now() - this.stepsStarted;
      // the shared weights are the run's result: bring them back from the kernel's own memory
      this.kernel.store(this.net);
    }
  }

  private train(): void {
    const p = this.p;
    const kernel = this.kernel;
    // Step 0: initialise my neurons, draw my share of the test set and of batch 1, then evaluate the
    // initial network once the test set is complete.
    initNeurons(p, this.net, kernel.range.j0, kernel.range.j1);
    kernel.load(this.net);
    this.keepCheckpoint(0);
    const [t0, t1] = evenSplit(this.nTest, this.shard, this.shards);
    kernel.sampler.drawTestRows(t0, t1, this.testSet);
    this.drawMyRows(1);
    kernel.blockStats(this.stats[0]);
    this.meet(); // the test set, batch 1 and the stats of step 0 are complete
    this.forwardTest(this.testPartials[0]);

    this.stepsStarted = performance.now();
    for (let u = 1; u <= p.steps; u++) {
      const batch = this.batches[u % BATCH_BUFFERS];
      kernel.forwardBatch(batch, this.partials[u & 1]);
      if (u < p.steps) this.drawMyRows(u + 1);
      this.meet(); // B_u: partials of batch u, batch u+1, stats and test partials of step u−1
      if (!this.absorbStep(u - 1)) return this.markDiverged(u - 1, Divergence.nonFiniteWeights);
      if (this.stoppedAt >= 0) return; // the weights are still those of the evaluation it stopped at
      const loss = reduceOutputs(this.partials[u & 1], this.blocks, p.batch, batch.y, this.F, this.G);
      const divergence = this.divergence.check(loss, u - 1); // the loss of the weights of step u−1
      if (divergence !== Divergence.none) return this.markDiverged(u - 1, divergence);
      this.recordLoss(u, loss);
      if (u === this.failAtStep) throw new Error(`injected failure in shard ${this.shard} at step ${u}`);
      kernel.update(batch, this.G);
      this.keepCheckpoint(u);
      kernel.blockStats(this.stats[u & 1]);
      if (isEvalStep(p, u)) this.forwardTest(this.testPartials[u & 1]);
      else if (this.certified?.needsBounds) this.boundMargins(u);
    }
    this.meet(); // the last step's stats and test partials are written
    if (!this.absorbStep(p.steps)) this.markDiverged(p.steps, Divergence.nonFiniteWeights);
  }

  /** Writes my neurons' weights into the checkpoint of `step`, when it is one (steps come in order). */
  private keepCheckpoint(step: number): void {
    if (this.nextCheckpoint < this.checkpointSteps.length && this.checkpointSteps[this.nextCheckpoint] === step) {
      this.kernel.store(this.checkpoints[this.nextCheckpoint++]);
    }
  }

  /** Arrives at the barrier; with several shards, adds the time spent waiting to barrierWaitMs. */
  private meet(): void {
    if (this.shards === 1) return this.barrier.arrive();
    const arrived = performance.now();
    this.barrier.arrive();
    this.barrierWaitMs += performance.now() - arrived;
  }

  /** Draws my rows of the batch for update `u` into its buffer. */
  private drawMyRows(u: number): void {
    this.kernel.sampler.drawTrainRows(u - 1, this.myRows[0], this.myRows[1], this.batches[u % BATCH_BUFFERS]);
  }

  private recordLoss(u: number, loss: number): void {
    this.stepLoss = loss;
    this.lossSum += loss;
    this.lossCount++;
    // step 0's training loss is that of the first minibatch, drawn at the initial weights
    if (u === 1 && this.isLead) this.v.trajectory[1 + SCALAR_METRICS.indexOf("trainLoss")] = loss;
  }

  /** Reads the block stats (and test partials) of `step`; false when its weights are non-finite. */
  private absorbStep(step: number): boolean {
    const v = this.v;
    const p = this.p;
    const blocks = this.blocks;
    const stats = this.stats[step & 1];
    if (!Number.isFinite(sumBlockStat(stats, blocks, BlockStat.finiteCheck))) return false;
    if (this.isLead) {
      v.lnMass[step * LN_MASS_STRIDE] = Math.log(sumBlockStat(stats, blocks, BlockStat.massSpurious));
      v.lnMass[step * LN_MASS_STRIDE + 1] = Math.log(sumBlockStat(stats, blocks, BlockStat.massSignal));
    }
    if (isEvalStep(p, step)) {
      this.evaluate(stats, this.testPartials[step & 1], true);
      this.metrics.trainLoss = step === 0 ? NaN : this.lossSum / this.lossCount;
      this.lossSum = 0;
      this.lossCount = 0;
      if (this.isLead) {
        const row = Atomics.load(v.control, Control.evalCount);
        writeTrajectoryRow(v.trajectory, row, step, this.metrics);
        Atomics.store(v.control, Control.evalCount, row + 1);
      }
      if (this.certified !== null) this.certified.exactAt(step, this.metrics, step === 0 ? NaN : this.stepLoss, this.testF, v.testY);
      else this.watchEvents(step);
      this.lastEval = step;
      if (this.stopAfter.length > 0 && (this.certified ?? this.watch).reachedAll(this.stopAfter)) {
        this.stoppedAt = step;
        if (this.isLead) Atomics.store(v.control, Control.stoppedStep, step);
      }
    } else if (this.certified !== null && !this.certified.allReached) {
      this.evaluate(stats, this.testPartials[step & 1], false);
      const c = this.certified;
      if (!c.check(step, this.metrics, this.stepLoss, this.marginBounds[step & 1], blocks) && !this.secondLayerDecides(step)) this.refresh(step, stats);
    }
    if (this.isLead) Atomics.store(v.control, Control.progressStep, step);
    return true;
  }

  /** My partials of the test set at the current weights; the reference of the exact event search. */
  private forwardTest(testPartials: Float64Array): void {
    const certified = this.certified?.needsBounds === true;
    this.kernel.forwardTest(this.testSet, testPartials, certified ? this.zRange : null);
    if (certified) this.kernel.keepReference();
  }

  /** My blocks' bounds on the test margins' move since the reference, at step u (just updated). */
  private boundMargins(u: number): void {
    const kernel = this.kernel;
    kernel.drift(this.drift);
    const { j0, j1 } = kernel.range;
    groupBounds(this.drift, this.zRange, j1 - j0, j0 / BLOCK_SIZE, kernel.model.slope, this.p.width, this.marginBounds[u & 1]);
  }

  /**
   * Where the per-group bounds left an event open at `step`: the exact second-layer outputs, then
   * the test rows they leave open evaluated exactly — unless more than half are open (a refresh
   * costs less then, and tightens the bounds of the steps after it).
   */
  private secondLayerDecides(step: number): boolean {
    const c = this.certified as CertifiedEventWatch;
    if (!c.worthSecondLayer(step)) return false;
    if (this.checkOutputs(step) || (2 * c.openCount <= this.nTest && this.checkOpenRows(step))) return true;
    c.secondLayerFailed(step);
    return false;
  }

  /**
   * Where the per-group bounds left an event open at `step`: decides it on the exact second-layer
   * part of every test output (each shard its blocks', in the test partials of parity `step`, free
   * as in `refresh`). False when that too leaves it open.
   */
  private checkOutputs(step: number): boolean {
    this.kernel.secondLayer(this.testPartials[step & 1]);
    this.meet(); // every shard's second-layer partials are written
    sumPartials(this.testPartials[step & 1], this.blocks, this.nTest, this.testF);
    if (this.isLead) Atomics.add(this.v.control, Control.exactSecondLayer, 1);
    return (this.certified as CertifiedEventWatch).checkOutputs(step, this.testF, this.v.testY);
  }

  /**
   * Where f̂ left an event open at `step`: evaluates the test rows it left open exactly (each shard
   * its blocks, into the test partials of parity `step`, as `refresh`). False when that too leaves
   * an event open (one on a margin or coefficient, whose bounds the exact rows do not close).
   */
  private checkOpenRows(step: number): boolean {
    const certified = this.certified as CertifiedEventWatch;
    const count = certified.openCount;
    const partials = this.testPartials[step & 1];
    this.meet(); // everyone has read the second-layer partials in this buffer
    this.kernel.forwardRows(this.testSet, certified.openRows, count, partials);
    this.meet(); // every shard's partials of the open rows are written
    sumPartials(partials, this.blocks, count, this.testF);
    if (this.isLead) Atomics.add(this.v.control, Control.exactOpenRows, count);
    return certified.checkOpenRows(step, this.testF, this.v.testY);
  }

  /**
   * Evaluates step `step` exactly where the bounds left an event open (called after B_(step+1), the
   * weights still those of `step`), and decides its events. Its test partials go in the buffer of
   * parity `step`, whose last readers (the evaluation of step − 2) are done, and which the loop
   * writes again only at step + 2, after everyone has read these.
   */
  private refresh(step: number, stats: Float64Array): void {
    const certified = this.certified as CertifiedEventWatch;
    const testPartials = this.testPartials[step & 1];
    this.meet(); // everyone has read the second-layer partials in this buffer
    this.forwardTest(testPartials);
    this.meet(); // every shard's test partials of this step are written
    this.evaluate(stats, testPartials, true);
    certified.exactAt(step, this.metrics, this.stepLoss, this.testF, this.v.testY);
    if (this.isLead) Atomics.add(this.v.control, Control.exactRefreshes, 1);
  }

  /** The metrics of the weights whose stats are `stats` (and, with `withTestSet`, of `testPartials`). */
  private evaluate(stats: Float64Array, testPartials: Float64Array, withTestSet: boolean): void {
    const p = this.p;
    const v = this.v;
    if (!withTestSet) return weightMetrics(stats, this.blocks, p.width, this.metrics);
    sumPartials(testPartials, this.blocks, this.nTest, this.testF);
    testMetrics(this.testF, v.testY, v.testS, p.testPerGroup, stats, this.blocks, p.width, this.metrics);
  }

  /**
   * After the metrics of evaluation `t`: records the events first seen there, located inside
   * (lastEval, t] by a replay when exact; then keeps the weights of t for the next interval.
   */
  private watchEvents(t: number): void {
    const watch = this.watch;
    if (watch.see(this.metrics, t, t === 0 ? -1 : this.lastEval) > 0) {
      if (this.snapshot !== null && t - this.lastEval > 1) this.replayInterval(this.lastEval, t);
      watch.locateRemaining(t);
    }
    if (this.snapshot !== null && !watch.allReached) this.kernel.store(this.snapshot);
  }

  /**
   * Replays steps from+1 … t−1 from the snapshot of step `from`, evaluating what the pending events
   * need at each step, until all are located; then restores the weights of step t (the loop's state).
   * It uses only buffers the loop no longer reads after B_(t+1): batch slot t mod 3, the partials of
   * parity t, and the stats and test partials of parity t+1 (written again only after the last meet).
   * Bitwise the same arithmetic as the loop: same rows, same kernel, same order of the loss sum.
   */
  private replayInterval(from: number, t: number): void {
    const p = this.p;
    const kernel = this.kernel;
    const watch = this.watch;
    const snapshot = this.snapshot as WeightRows;
    const current = this.current as WeightRows;
    kernel.store(current);
    kernel.load(snapshot);
    const slot = this.batches[t % BATCH_BUFFERS];
    const partials = this.partials[t & 1];
    const stats = this.stats[(t + 1) & 1];
    const testPartials = this.testPartials[(t + 1) & 1];
    const withTestSet = watch.pendingNeedTestSet();
    const [r0, r1] = this.myRows;
    let lossSum = 0;
    for (let s = from + 1; s < t && watch.pendingEvents > 0; s++) {
      kernel.sampler.drawTrainRows(s - 1, r0, r1, slot);
      this.meet(); // batch s is complete
      kernel.forwardBatch(slot, partials);
      this.meet(); // its partials are complete
      lossSum += reduceOutputs(partials, this.blocks, p.batch, slot.y, this.F, this.G);
      kernel.update(slot, this.G);
      kernel.blockStats(stats);
      if (withTestSet) kernel.forwardTest(this.testSet, testPartials);
      this.meet(); // the stats (and test partials) of step s are complete
      this.evaluate(stats, testPartials, withTestSet);
      this.metrics.trainLoss = lossSum / (s - from);
      watch.locateHolding(this.metrics, s);
    }
    this.meet(); // nobody reads the replay's stats and test partials any more
    kernel.load(current);
    // the update of step t+1 differentiates the forward pass of batch t+1 at the weights of t: redo it
    if (t < p.steps) kernel.forwardBatch(this.batches[(t + 1) % BATCH_BUFFERS], this.replayPartials);
  }

  /** Ends the run (every shard returns at the same step): its weights of `step` showed `reason`. */
  private markDiverged(step: number, reason: number): void {
    const control = this.v.control;
    Atomics.store(control, Control.divergedReason, reason);
    Atomics.store(control, Control.divergedDetectedStep, step);
    Atomics.store(control, Control.divergedStep, this.divergence.blowUpStep);
  }
}

function writeTrajectoryRow(trajectory: Float64Array, row: number, step: number, m: Metrics): void {
  const off = row * TRAJECTORY_STRIDE;
  trajectory[off] = step;
  for (let c = 0; c < SCALAR_METRICS.length; c++) trajectory[off + 1 + c] = m[SCALAR_METRICS[c]];
  for (let g = 0; g < 4; g++) trajectory[off + 1 + SCALAR_METRICS.length + g] = m.acc[g];
}
