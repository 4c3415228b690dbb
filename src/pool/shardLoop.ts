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
// Events are located to one step. With eventSearch "exact" every step is decided, from certified
// bounds between evaluations or exactly (pool/shardExact.ts). With "bracket" (pool/eventSteps.ts)
// every shard evaluates the metrics itself; when an event is first seen at evaluation t, all shards
// replay the interval since the previous evaluation from a weight snapshot (pool/shardReplay.ts).
import type { ModelParams } from "../config/modelKeys.js";
import { SCALAR_METRICS, type Metrics } from "../kernel/metricNames.js";
import { BlockStat, sumBlockStat, testMetrics, weightMetrics } from "../kernel/metrics.js";
import { createShardKernel } from "../kernel/registry.js";
import type { SampleRows } from "../kernel/sampler.js";
import type { ShardKernel, WeightRows } from "../kernel/shardKernel.js";
import { BLOCK_SIZE, blockCount, reduceOutputs, sumPartials } from "../kernel/step.js";
import { wordsPerRow } from "../kernel/bits/bitKernel.js";
import { initNeurons } from "../kernel/init.js";
import { Divergence, DivergenceWatch } from "../kernel/divergence.js";
import { Barrier } from "./barrier.js";
import { EventWatch } from "./eventSteps.js";
import { ExactShardSearch } from "./shardExact.js";
import { BracketReplay } from "./shardReplay.js";
import {
  BATCH_BUFFERS,
  checkpointRows,
  Control,
  evenSplit,
  isEvalStep,
  LN_MASS_STRIDE,
  shardNeuronRange,
  TRAJECTORY_STRIDE,
  type RunViews,
} from "./layout.js";

import type { ShardTask } from "./runShard.js";

/** One shard's run: the step loop, and the state the event searches (shardExact.ts, shardReplay.ts) borrow. */
export class ShardLoop {
  readonly p: ModelParams;
  readonly v: RunViews;
  private readonly barrier: Barrier;
  private readonly shard: number;
  private readonly shards: number;
  readonly kernel: ShardKernel;
  /** The run's shared weights, where the result lives (the kernel may keep its own copy meanwhile). */
  private readonly net: WeightRows;
  readonly isLead: boolean; // shard 0 also records metrics and progress
  readonly blocks: number;
  readonly nTest: number;
  private readonly failAtStep: number;
  private readonly divergence: DivergenceWatch;
  /** My rows [r0, r1) of every training batch (drawn by me, read by all). */
  readonly myRows: readonly [number, number];
  private readonly watch: EventWatch;
  /** The exact event search (eventSearch "exact"), or null. */
  private readonly exact: ExactShardSearch | null;
  /** The bracket search's replays (eventSearch "bracket" with events to locate), or null. */
  private readonly replay: BracketReplay | null;
  /** The minibatch loss of the last update (trainLoss at that step for the exact event search). */
  private stepLoss = NaN;
  private lastEval = 0;
  private readonly stopAfter: readonly number[];
  /** The evaluation at which the stopAfter events were all reached (every shard sees it at the same one), or −1. */
  private stoppedAt = -1;
  /** The checkpoint buffer as one WeightRows per checkpoint step (first neuron 0, all neurons). */
  private readonly checkpoints: WeightRows[];
  private readonly checkpointSteps: readonly number[];
  private nextCheckpoint = 0;
  // private scratch, allocated once per run
  readonly F: Float64Array;
  readonly G: Float64Array;
  readonly testF: Float64Array;
  readonly metrics: Metrics;
  // shared buffers in flight: batches by step mod BATCH_BUFFERS, the rest by the parity of the step
  readonly batches: SampleRows[];
  readonly testSet: SampleRows;
  readonly partials: Float64Array[];
  readonly stats: Float64Array[];
  readonly testPartials: Float64Array[];
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
    this.checkpointSteps = task.checkpointSteps;
    this.stopAfter = task.stopAfter;
    this.checkpoints = task.checkpointSteps.map((_, k) => checkpointRows(v.checkpoints, k, p.width, p.d));

    const { batch, d } = p;
    this.F = new Float64Array(batch);
    this.G = new Float64Array(batch);
    this.testF = new Float64Array(this.nTest);
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
    const locates = task.exactEvents && task.events.length > 0;
    this.exact = locates && p.eventSearch === "exact" ? new ExactShardSearch(this, task.events) : null;
    this.replay = locates && p.eventSearch === "bracket" ? new BracketReplay(this) : null;
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
    kernel.blockStats(this.stats[0], true);
    this.meet(); // the test set, batch 1 and the stats of step 0 are complete
    kernel.setTestSet(this.testSet);
    this.forwardTest(0, this.testPartials[0]);

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
      kernel.blockStats(this.stats[u & 1], this.needsNoiseMass(u));
      if (isEvalStep(p, u)) this.forwardTest(u, this.testPartials[u & 1]);
      else this.exact?.boundMargins(u);
    }
    this.meet(); // the last step's stats and test partials are written
    if (!this.absorbStep(p.steps)) this.markDiverged(p.steps, Divergence.nonFiniteWeights);
  }

  /**
   * Whether step u's block stats must hold massNoise too (a pass over every weight; the other
   * weight metrics come with every step's stats): at an evaluation, and at every step the exact
   * search may still decide an event on massNoise at (shardExact.ts `decide` evaluates the weight
   * metrics there; events on other metrics do not read it). Every shard answers alike.
   */
  private needsNoiseMass(u: number): boolean {
    return isEvalStep(this.p, u) || (this.exact !== null && this.exact.watch.needsNoiseMass);
  }

  /** Writes my neurons' weights into the checkpoint of `step`, when it is one (steps come in order). */
  private keepCheckpoint(step: number): void {
    if (this.nextCheckpoint < this.checkpointSteps.length && this.checkpointSteps[this.nextCheckpoint] === step) {
      this.kernel.store(this.checkpoints[this.nextCheckpoint++]);
    }
  }

  /** Arrives at the barrier; with several shards, adds the time spent waiting to barrierWaitMs. */
  meet(): void {
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
      if (this.exact !== null) this.exact.exactAt(step, step === 0 ? NaN : this.stepLoss);
      else this.watchEvents(step);
      this.lastEval = step;
      if (this.stopAfter.length > 0 && (this.exact?.watch ?? this.watch).reachedAll(this.stopAfter)) {
        this.stoppedAt = step;
        if (this.isLead) Atomics.store(v.control, Control.stoppedStep, step);
      }
    } else {
      this.exact?.decide(step, stats, this.stepLoss);
    }
    if (this.isLead) Atomics.store(v.control, Control.progressStep, step);
    return true;
  }

  /** My partials of the test set at the current weights (the exact search keeps them as its reference). */
  private forwardTest(step: number, testPartials: Float64Array): void {
    if (this.exact !== null) this.exact.forwardTest(step, testPartials);
    else this.kernel.forwardTest(testPartials);
  }

  /** The metrics of the weights whose stats are `stats` (and, with `withTestSet`, of `testPartials`). */
  evaluate(stats: Float64Array, testPartials: Float64Array, withTestSet: boolean): void {
    const p = this.p;
    const v = this.v;
    if (!withTestSet) return weightMetrics(stats, this.blocks, p.width, this.metrics);
    sumPartials(testPartials, this.blocks, this.nTest, this.testF);
    testMetrics(this.testF, v.testY, v.testS, p.testPerGroup, stats, this.blocks, p.width, this.metrics);
  }

  /**
   * After the metrics of evaluation `t`: records the events first seen there, located inside
   * (lastEval, t] by a replay (bracket search); then keeps the weights of t for the next interval.
   */
  private watchEvents(t: number): void {
    const watch = this.watch;
    if (watch.see(this.metrics, t, t === 0 ? -1 : this.lastEval) > 0) {
      if (this.replay !== null && t - this.lastEval > 1) this.replay.replayInterval(this.lastEval, t, watch);
      watch.locateRemaining(t);
    }
    if (this.replay !== null && !watch.allReached) this.replay.keepSnapshot();
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
