// The shard loop: one worker thread trains neurons [j0, j1) of one run for all steps, meeting the
// other shards of the run at a barrier twice per step. No messages are exchanged per step.
//
// Update u (1 … steps) turns the weights of step u−1 into those of step u:
//   draw my rows of batch u ─ B1 ─ read block stats (+ test partials) of step u−1 ─ forward my blocks
//   ─ B2 ─ reduce all partials in block order to f and ℓ' ─ update my neurons ─ stats of step u.
// The batch and the partials are double-buffered by the parity of u, so nothing read in step u is
// overwritten before every shard has passed the next barrier.
import type { ModelParams } from "../config/modelKeys.js";
import type { Metrics } from "../kernel/metricNames.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import { BlockStat, blockStats, sumBlockStat, testMetrics } from "../kernel/metrics.js";
import { drawTestSample, drawTrainRow, type SampleTarget } from "../kernel/sampler.js";
import { BLOCK_SIZE, blockCount, forwardPartials, reduceOutputs, updateNeurons, type Weights } from "../kernel/step.js";
import { initNeurons } from "../kernel/init.js";
import { abortRun, Barrier, BarrierAbortedError } from "./barrier.js";
import {
  Control,
  evenSplit,
  isEvalStep,
  LN_MASS_STRIDE,
  shardNeuronRange,
  TRAJECTORY_STRIDE,
  viewRunBuffers,
  type RunBuffers,
} from "./layout.js";

export interface ShardTask {
  params: ModelParams;
  buffers: RunBuffers;
  shard: number;
  shards: number;
  /** Test hook: throw at this update in this shard, to exercise barrier abort. */
  failAtStep?: number;
}

export function runShard(task: ShardTask): void {
  const views = viewRunBuffers(task.buffers);
  const barrier = new Barrier(views.control, task.shards);
  try {
    shardLoop(task, views, barrier);
  } catch (err) {
    // Wake every other shard of this run so none waits forever; they throw BarrierAbortedError.
    if (!(err instanceof BarrierAbortedError)) abortRun(views.control);
    throw err;
  }
}

function shardLoop(task: ShardTask, v: ReturnType<typeof viewRunBuffers>, barrier: Barrier): void {
  const p = task.params;
  const { d, batch, width } = p;
  const isLead = task.shard === 0; // shard 0 also records metrics and progress
  const blocks = blockCount(width);
  const nTest = 4 * p.testPerGroup;
  const slope = p.activation === "leaky" ? p.leakySlope : 0;
  const net: Weights = { W: v.W, A: v.A, B: v.B };
  const [j0, j1] = shardNeuronRange(width, task.shard, task.shards, BLOCK_SIZE);
  const [r0, r1] = evenSplit(batch, task.shard, task.shards);
  const [t0, t1] = evenSplit(nTest, task.shard, task.shards);

  // Private scratch, allocated once per run.
  const Z = new Float64Array(Math.max(1, (j1 - j0) * batch));
  const F = new Float64Array(batch);
  const G = new Float64Array(batch);
  const gradW = new Float64Array(d);
  const perm = new Int32Array(p.trainSize ?? 0);
  let permEpoch = -1;
  const testF = isLead ? new Float64Array(nTest) : new Float64Array(0);
  const metrics = emptyMetrics();
  const batchSize = batch * d;
  const trainViews: SampleTarget[] = [0, 1].map((parity) => ({
    x: v.trainX.subarray(parity * batchSize, (parity + 1) * batchSize),
    y: v.trainY.subarray(parity * batch, (parity + 1) * batch),
    s: v.trainS.subarray(parity * batch, (parity + 1) * batch),
  }));
  const partialViews = [0, 1].map((parity) => v.partials.subarray(parity * blocks * batch, (parity + 1) * blocks * batch));
  const testTarget: SampleTarget = { x: v.testX, y: v.testY, s: v.testS };

  let lossSum = 0;
  let lossCount = 0;

  const drawMyRows = (update: number): void => {
    const target = trainViews[update & 1];
    for (let row = r0; row < r1; row++) permEpoch = drawTrainRow(p, update - 1, row, target, perm, permEpoch);
  };

  /** Reads the block stats (and test partials) of `step`; false when its weights are non-finite. */
  const absorbStep = (step: number): boolean => {
    if (!Number.isFinite(sumBlockStat(v.blockStats, blocks, BlockStat.finiteCheck))) return false;
    if (!isLead) return true;
    v.lnMass[step * LN_MASS_STRIDE] = Math.log(sumBlockStat(v.blockStats, blocks, BlockStat.massSpurious));
    v.lnMass[step * LN_MASS_STRIDE + 1] = Math.log(sumBlockStat(v.blockStats, blocks, BlockStat.massSignal));
    if (isEvalStep(p, step)) {
      reduceOutputs(v.testPartials, blocks, nTest, v.testY, testF, null);
      testMetrics(testF, v.testY, v.testS, p.testPerGroup, v.blockStats, blocks, width, metrics);
      // step 0 has no training loss yet; it is filled in from the first minibatch below
      metrics.trainLoss = step === 0 ? NaN : lossSum / lossCount;
      lossSum = 0;
      lossCount = 0;
      writeTrajectoryRow(v.trajectory, Atomics.load(v.control, Control.evalCount), step, metrics);
      Atomics.add(v.control, Control.evalCount, 1);
    }
    Atomics.store(v.control, Control.progressStep, step);
    return true;
  };

  // Step 0: initialise my neurons and draw my share of the test set.
  initNeurons(p, net, j0, j1);
  for (let i = t0; i < t1; i++) drawTestSample(p, i, testTarget, i);
  blockStats(net, d, j0, j1, v.blockStats);
  barrier.arrive(); // the test set is complete
  forwardPartials(net, v.testX, nTest, d, j0, j1, slope, null, v.testPartials);
  drawMyRows(1);

  for (let u = 1; u <= p.steps; u++) {
    barrier.arrive(); // B1: batch u drawn; stats and test partials of step u−1 written
    if (!absorbStep(u - 1)) return markDiverged(v.control, u - 1);
    const X = trainViews[u & 1];
    forwardPartials(net, X.x, batch, d, j0, j1, slope, Z, partialViews[u & 1]);
    barrier.arrive(); // B2: every block's partial outputs written
    const loss = reduceOutputs(partialViews[u & 1], blocks, batch, X.y, F, G);
    if (!Number.isFinite(loss)) return markDiverged(v.control, u - 1);
    if (isLead) {
      lossSum += loss;
      lossCount++;
      if (u === 1) v.trajectory[SCALAR_METRICS.indexOf("trainLoss") + 1] = loss;
    }
    if (task.failAtStep === u) throw new Error(`injected failure in shard ${task.shard} at step ${u}`);
    updateNeurons(net, X.x, batch, d, j0, j1, slope, Z, G, p.lr, p.weightDecay, p.bias, gradW);
    blockStats(net, d, j0, j1, v.blockStats);
    if (isEvalStep(p, u)) forwardPartials(net, v.testX, nTest, d, j0, j1, slope, null, v.testPartials);
    if (u < p.steps) drawMyRows(u + 1);
  }
  barrier.arrive(); // the last step's stats and test partials are written
  if (!absorbStep(p.steps)) markDiverged(v.control, p.steps);
}

function markDiverged(control: Int32Array, step: number): void {
  Atomics.store(control, Control.divergedStep, step);
}

function emptyMetrics(): Metrics {
  const m = { acc: [0, 0, 0, 0] } as unknown as Metrics;
  for (const name of SCALAR_METRICS) m[name] = 0;
  return m;
}

function writeTrajectoryRow(trajectory: Float64Array, row: number, step: number, m: Metrics): void {
  const off = row * TRAJECTORY_STRIDE;
  trajectory[off] = step;
  for (let c = 0; c < SCALAR_METRICS.length; c++) trajectory[off + 1 + c] = m[SCALAR_METRICS[c]];
  for (let g = 0; g < 4; g++) trajectory[off + 1 + SCALAR_METRICS.length + g] = m.acc[g];
}
