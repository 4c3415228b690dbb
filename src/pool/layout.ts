// Shared memory of one run: every buffer the shards of a run read or write, as SharedArrayBuffers
// (sent once with the task; workers build typed-array views over them).
import type { ModelParams } from "../config/modelKeys.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import { BLOCK_STATS } from "../kernel/metrics.js";
import { GROUP_BOUND_FIELDS } from "../kernel/marginBounds.js";
import { blockCount } from "../kernel/step.js";
import { wordsPerRow } from "../kernel/bits/bitKernel.js";
import { Divergence } from "../kernel/divergence.js";

/** Slots of the Int32 control array. */
export const Control = {
  barrierCount: 0,
  barrierGeneration: 1,
  aborted: 2,
  evalCount: 3,
  /** Step at which the run's divergence began (kernel/divergence.ts), or −1. */
  divergedStep: 4,
  /** Last step completed by shard 0: progress for the main thread. */
  progressStep: 5,
  /** Why the run diverged: a Divergence code (kernel/divergence.ts). */
  divergedReason: 6,
  /** Step whose weights showed it, where the run stopped. */
  divergedDetectedStep: 7,
  /** Steps the exact event search evaluated beyond the grid (pool/certifiedEvents.ts). */
  exactRefreshes: 8,
  /** Steps it decided on the exact second-layer outputs (f̂), refreshed or not. */
  exactSecondLayer: 9,
  /** Test rows it evaluated exactly where f̂ left them open (summed over steps). */
  exactOpenRows: 10,
  /** Evaluation step at which the run ended because its stopAfter events were reached, or −1. */
  stoppedStep: 11,
} as const;
const CONTROL_SLOTS = 12;

/** Columns of one trajectory row: the step, every scalar metric, then the four group accuracies. */
const TRAJECTORY_COLUMNS = ["step", ...SCALAR_METRICS, "acc0", "acc1", "acc2", "acc3"] as const;
export const TRAJECTORY_STRIDE = TRAJECTORY_COLUMNS.length;

/** ln massSpurious and ln massSignal at every step, for the rates. */
export const LN_MASS_STRIDE = 2;

/** Slots of one event in the events buffer: where it was located and the evaluations bracketing it. */
export const EventSlot = {
  /** The first step in (previous, grid] at which the event holds (see pool/eventSteps.ts). */
  step: 0,
  /** The evaluation step at which it was first seen. */
  grid: 1,
  /** The evaluation before `grid` (−1 when grid is step 0). */
  previous: 2,
} as const;
export const EVENT_STRIDE = 3;

export interface RunBuffers {
  W: SharedArrayBuffer;
  A: SharedArrayBuffer;
  B: SharedArrayBuffer;
  /** BATCH_BUFFERS training batches: batch u+2 is drawn while a slower shard may still read batch u. */
  trainX: SharedArrayBuffer;
  trainY: SharedArrayBuffer;
  trainS: SharedArrayBuffer;
  /** The batches bit-packed (bit set ⇔ coordinate positive), for the ±1 kernels. */
  trainBits: SharedArrayBuffer;
  /** Per-block partial outputs of the batch, by the parity of the step. */
  partials: SharedArrayBuffer;
  testX: SharedArrayBuffer;
  testY: SharedArrayBuffer;
  testS: SharedArrayBuffer;
  testBits: SharedArrayBuffer;
  /** Per-block partial outputs of the test set, by the parity of the step evaluated. */
  testPartials: SharedArrayBuffer;
  /** Per-block statistics of the weights, by the parity of their step. */
  blockStats: SharedArrayBuffer;
  /** Per-block bounds on the test margins' move (kernel/marginBounds.ts), by the parity of their step. */
  marginBounds: SharedArrayBuffer;
  lnMass: SharedArrayBuffer;
  trajectory: SharedArrayBuffer;
  /** EVENT_STRIDE numbers per event of the run (see EventSlot); −1 while not reached. */
  events: SharedArrayBuffer;
  /** The weights at each checkpoint step: W (width·d), then A, then B (width each) per checkpoint. */
  checkpoints: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** Typed-array views of a run's buffers. */
export interface RunViews {
  W: Float32Array;
  A: Float32Array;
  B: Float32Array;
  trainX: Float32Array;
  trainY: Float32Array;
  trainS: Float32Array;
  trainBits: Int32Array;
  partials: Float64Array;
  testX: Float32Array;
  testY: Float32Array;
  testS: Float32Array;
  testBits: Int32Array;
  testPartials: Float64Array;
  blockStats: Float64Array;
  marginBounds: Float64Array;
  lnMass: Float64Array;
  trajectory: Float64Array;
  events: Float64Array;
  checkpoints: Float32Array;
  control: Int32Array;
}

/** Training batches in flight: batch u is read until B_(u+1), while batch u+2 is drawn before it. */
export const BATCH_BUFFERS = 3;

/** Most evaluations a run can record: step 0, every evalEvery steps, and the last step. */
export function maxEvaluations(p: ModelParams): number {
  return Math.floor(p.steps / p.evalEvery) + 2;
}

/**
 * Most trajectory points a run record stores. A run with more evaluations (steps 2e6, evalEvery 1)
 * stores every k-th of them, k = ⌈maxEvaluations / MAX_STORED_POINTS⌉, counted from step 0, and
 * always its last: the same steps for every seed of a condition, so bands across seeds line up.
 * Events and rates are computed in the step loop from every evaluation, whatever is stored.
 */
export const MAX_STORED_POINTS = 10_000;

/** k of MAX_STORED_POINTS: a run stores evaluation r (0-based) when r % k = 0, and its last one. */
export function storedTrajectoryStride(p: ModelParams): number {
  return Math.max(1, Math.ceil(maxEvaluations(p) / MAX_STORED_POINTS));
}

/** Is `step` evaluated and stored in the run's trajectory (see MAX_STORED_POINTS)? */
export function isStoredStep(p: ModelParams, step: number): boolean {
  if (step === p.steps) return true;
  return step % p.evalEvery === 0 && (step / p.evalEvery) % storedTrajectoryStride(p) === 0;
}

/** The steps whose weights a run keeps for its companion metrics: its stored points, or none. */
export function companionSteps(p: ModelParams): number[] {
  if (!p.companionMetrics) return [];
  const steps: number[] = [];
  for (let step = 0; step < p.steps; step += p.evalEvery) if (isStoredStep(p, step)) steps.push(step);
  steps.push(p.steps);
  return steps;
}

export function isEvalStep(p: ModelParams, step: number): boolean {
  return step % p.evalEvery === 0 || step === p.steps;
}

function f32(n: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * n);
}
function u32(n: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * n);
}
function f64(n: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * n);
}

/**
 * `floatRows`: also hold the inputs as ±1 floats (the f32 kernel); the bit kernels read only the bits.
 * `eventCount`: the events the shards watch; `checkpointCount`: the steps whose weights are kept.
 */
/**
 * Bytes of the shared buffers of one run (what allocateRunBuffers allocates, the few control bytes
 * aside): what config feasibility checks against the machine's memory before anything runs.
 */
export function runBufferBytes(p: ModelParams, floatRows: boolean, eventCount: number, checkpointCount = 0): number {
  const blocks = blockCount(p.width);
  const nTest = 4 * p.testPerGroup;
  const words = wordsPerRow(p.d);
  const f32s = p.width * p.d + 2 * p.width + (floatRows ? (BATCH_BUFFERS * p.batch + nTest) * p.d : 0) + 2 * BATCH_BUFFERS * p.batch + 2 * nTest + checkpointCount * p.width * (p.d + 2);
  const u32s = (BATCH_BUFFERS * p.batch + nTest) * words;
  const f64s = 2 * blocks * p.batch + 2 * blocks * nTest + 2 * blocks * BLOCK_STATS + (p.eventSearch === "exact" ? 2 * blocks * GROUP_BOUND_FIELDS : 0) + (p.steps + 1) * LN_MASS_STRIDE + maxEvaluations(p) * TRAJECTORY_STRIDE + eventCount * EVENT_STRIDE;
  return 4 * f32s + 4 * u32s + 8 * f64s;
}

export function allocateRunBuffers(p: ModelParams, floatRows: boolean, eventCount: number, checkpointCount = 0): RunBuffers {
  const events = f64(eventCount * EVENT_STRIDE);
  new Float64Array(events).fill(-1);
  const blocks = blockCount(p.width);
  const nTest = 4 * p.testPerGroup;
  const control = new SharedArrayBuffer(4 * CONTROL_SLOTS);
  new Int32Array(control)[Control.divergedStep] = -1;
  new Int32Array(control)[Control.divergedReason] = Divergence.none;
  new Int32Array(control)[Control.stoppedStep] = -1;
  return {
    W: f32(p.width * p.d),
    A: f32(p.width),
    B: f32(p.width),
    trainX: f32(floatRows ? BATCH_BUFFERS * p.batch * p.d : 0),
    trainY: f32(BATCH_BUFFERS * p.batch),
    trainS: f32(BATCH_BUFFERS * p.batch),
    trainBits: u32(BATCH_BUFFERS * p.batch * wordsPerRow(p.d)),
    partials: f64(2 * blocks * p.batch),
    testX: f32(floatRows ? nTest * p.d : 0),
    testY: f32(nTest),
    testS: f32(nTest),
    testBits: u32(nTest * wordsPerRow(p.d)),
    testPartials: f64(2 * blocks * nTest),
    blockStats: f64(2 * blocks * BLOCK_STATS),
    marginBounds: f64(p.eventSearch === "exact" ? 2 * blocks * GROUP_BOUND_FIELDS : 0),
    lnMass: f64((p.steps + 1) * LN_MASS_STRIDE),
    trajectory: f64(maxEvaluations(p) * TRAJECTORY_STRIDE),
    events,
    checkpoints: f32(checkpointCount * p.width * (p.d + 2)),
    control,
  };
}

export function viewRunBuffers(b: RunBuffers): RunViews {
  return {
    W: new Float32Array(b.W),
    A: new Float32Array(b.A),
    B: new Float32Array(b.B),
    trainX: new Float32Array(b.trainX),
    trainY: new Float32Array(b.trainY),
    trainS: new Float32Array(b.trainS),
    trainBits: new Int32Array(b.trainBits),
    partials: new Float64Array(b.partials),
    testX: new Float32Array(b.testX),
    testY: new Float32Array(b.testY),
    testS: new Float32Array(b.testS),
    testBits: new Int32Array(b.testBits),
    testPartials: new Float64Array(b.testPartials),
    blockStats: new Float64Array(b.blockStats),
    marginBounds: new Float64Array(b.marginBounds),
    lnMass: new Float64Array(b.lnMass),
    trajectory: new Float64Array(b.trajectory),
    events: new Float64Array(b.events),
    checkpoints: new Float32Array(b.checkpoints),
    control: new Int32Array(b.control),
  };
}

/** Checkpoint k of the checkpoint buffer as the weights of all `width` neurons of dimension d. */
export function checkpointRows(all: Float32Array, k: number, width: number, d: number): { first: number; W: Float32Array; A: Float32Array; B: Float32Array } {
  const off = k * width * (d + 2);
  return {
    first: 0,
    W: all.subarray(off, off + width * d),
    A: all.subarray(off + width * d, off + width * (d + 1)),
    B: all.subarray(off + width * (d + 1), off + width * (d + 2)),
  };
}

/**
 * Neuron range of shard `shard` of `shards`: contiguous whole blocks, the first `blocks mod shards`
 * shards taking one block more. Returns [j0, j1).
 */
export function shardNeuronRange(width: number, shard: number, shards: number, blockSize: number): [number, number] {
  const blocks = Math.ceil(width / blockSize);
  const [b0, b1] = evenSplit(blocks, shard, shards);
  return [Math.min(width, b0 * blockSize), Math.min(width, b1 * blockSize)];
}

/** Rows [r0, r1) of `n` that shard `shard` of `shards` draws: an even contiguous split. */
export function evenSplit(n: number, shard: number, shards: number): [number, number] {
  const base = Math.floor(n / shards);
  const extra = n % shards;
  const start = shard * base + Math.min(shard, extra);
  return [start, start + base + (shard < extra ? 1 : 0)];
}
