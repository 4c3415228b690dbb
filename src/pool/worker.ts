// Piscina worker entry: each task is one shard of one run, executed to the end in this thread.
import { runShard, type ShardTask, type ShardTiming } from "./runShard.js";

export default function shardWorker(task: ShardTask): ShardTiming {
  return runShard(task);
}
