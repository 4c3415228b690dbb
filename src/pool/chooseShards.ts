// `--shards auto`: small models run seeds in parallel (one shard each, no barrier cost); large
// models split neurons across threads, where a step is long enough to amortise two barriers.
import type { ModelParams } from "../config/modelKeys.js";

/**
 * Work per step, 4·batch·d·width flops, above which one run uses every thread.
 * Chosen from `bench` on 2 threads; see reports/bench.md.
 */
export const SHARDED_FLOPS_PER_STEP = 4 * 256 * 256 * 128;

export function chooseShards(params: ModelParams, threads: number): number {
  const flopsPerStep = 4 * params.batch * params.d * params.width;
  return flopsPerStep >= SHARDED_FLOPS_PER_STEP ? threads : 1;
}
