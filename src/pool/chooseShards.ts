// `--shards auto`: how many shards each run of a batch of runs gets. Small models never split (a
// step is too short to share). Large models fill the threads with runs first and split each run
// across the threads left over: seeds in parallel never wait at a barrier for the slowest shard,
// which on a machine whose cores change speed from moment to moment costs a sharded run 10–30%.
import type { ModelParams } from "../config/modelKeys.js";

/**
 * Work per step, 4·batch·d·width flops, from which a run may be split across threads. Measured on 2
 * threads (simd kernel, two seeds one shard each vs one run on two shards, best of two; node
 * bench/compare-shards.mjs), steps/s seeds vs neurons on this shared VM:
 *   128,128,64: 22,746 vs 20,569, 18,199 vs 17,139 and 26,957 vs 19,519 (a step is too short to share);
 *   256,256,128: 4,517 vs 4,606, 4,991 vs 4,520 and 4,968 vs 4,736; 512,512,256: 721 vs 713, 623 vs 512
 *   and 645 vs 497; 1024,1024,256: 137 vs 144, 146 vs 137 and 146 vs 152.
 * So with at least as many runs as threads, seeds in parallel is faster, or even within the noise
 * at 1024,1024,256; from 256,256,128 on, splitting costs little and gives fewer runs than threads
 * (one run, a study's last few) the whole machine.
 */
export const SHARDED_FLOPS_PER_STEP = 4 * 256 * 256 * 128;

/**
 * Shards per run for `runs` runs of these params on `threads` threads:
 * 1 for a small model, otherwise ⌊threads / min(runs, threads)⌋ (one run: every thread).
 */
export function chooseShards(params: ModelParams, threads: number, runs: number): number {
  const flopsPerStep = 4 * params.batch * params.d * params.width;
  if (flopsPerStep < SHARDED_FLOPS_PER_STEP) return 1;
  return Math.max(1, Math.floor(threads / Math.max(1, Math.min(runs, threads))));
}
