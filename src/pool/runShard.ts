// One shard's task, as a pool worker receives it (pool/worker.ts): the run's parameters and shared
// buffers, which neurons are mine, the events to locate. runShard drives the shard's step loop
// (pool/shardLoop.ts) and, when it fails, wakes the run's other shards so none waits forever.
import type { ModelParams } from "../config/modelKeys.js";
import type { EventSpec } from "../kernel/events.js";
import type { KernelName } from "../kernel/registry.js";
import { abortRun, isBarrierAbort } from "./barrier.js";
import { viewRunBuffers, type RunBuffers } from "./layout.js";
import { ShardLoop } from "./shardLoop.js";

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
