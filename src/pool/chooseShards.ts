// `--shards auto`: how many shards each run of a batch of runs gets. Small models never split (a
// step is too short to share). Large models fill the threads with runs first and split each run
// across the threads left over: seeds in parallel never wait at a barrier for the slowest shard,
// which costs a sharded run most on a machine whose cores change speed from moment to moment.
import type { ModelParams } from "../config/modelKeys.js";
import { flopsPerStep } from "../kernel/step.js";

/**
 * Work per step, 4·batch·d·width flops, from which a run may be split across threads (the size
 * 256,256,128). Below it a step is so short that a shard kept waiting at the barrier by a core that
 * slowed down loses a large share of it. With at least as many runs as threads, seeds in parallel
 * need no barrier between threads at all; splitting is for fewer runs than threads (one run, a
 * study's last few), which it gives the whole machine.
 * `node bench/compare-shards.mjs` measures two seeds side by side against one run on two shards.
 */
export const SHARDED_FLOPS_PER_STEP = 4 * 256 * 256 * 128;

/**
 * Shards per run for `runs` runs of these params on `threads` threads:
 * 1 for a small model, otherwise ⌊threads / min(runs, threads)⌋ (one run: every thread).
 */
export function chooseShards(params: ModelParams, threads: number, runs: number): number {
  if (flopsPerStep(params) < SHARDED_FLOPS_PER_STEP) return 1;
  return Math.max(1, Math.floor(threads / Math.max(1, Math.min(runs, threads))));
}
