// Piscina worker entry: each task is one shard of one run, executed to the end in this thread.
import { workerData } from "node:worker_threads";
import { runShard, type ShardTask, type ShardTiming } from "./runShard.js";

/** What the engine hands each worker thread. */
export interface WorkerData {
  /** An Int32 counter: each thread adds 1 once its modules are loaded, which Engine.close waits for. */
  loaded: SharedArrayBuffer;
}

// This module is evaluated only after everything it imports has loaded.
const data = workerData as WorkerData | undefined;
if (data?.loaded !== undefined) Atomics.add(new Int32Array(data.loaded), 0, 1);

export default function shardWorker(task: ShardTask): ShardTiming {
  return runShard(task);
}
