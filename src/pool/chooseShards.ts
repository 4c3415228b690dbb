// `--shards auto`: small models run seeds in parallel (one shard each, no barrier cost); large
// models split neurons across threads, where a step is long enough to amortise its barrier.
import type { ModelParams } from "../config/modelKeys.js";

/**
 * Work per step, 4·batch·d·width flops, from which one run uses every thread. Measured on 2 threads
 * (simd kernel, two seeds one shard each vs one run on two shards, best of two; node
 * bench/compare-shards.mjs), two runs on this shared VM, steps/s seeds vs neurons:
 *   128,128,64: 22,746 vs 20,569 and 18,199 vs 17,139 (seeds win: a step is too short to share);
 *   256,256,128: 4,517 vs 4,606 and 4,991 vs 4,520; 512,512,256: 721 vs 713 and 623 vs 512;
 *   1024,1024,256: 137 vs 144 and 146 vs 137 (even within the noise).
 * From 256,256,128 on, sharding costs little and gives a single run (or a study's last) the machine.
 */
export const SHARDED_FLOPS_PER_STEP = 4 * 256 * 256 * 128;

export function chooseShards(params: ModelParams, threads: number): number {
  const flopsPerStep = 4 * params.batch * params.d * params.width;
  return flopsPerStep >= SHARDED_FLOPS_PER_STEP ? threads : 1;
}
