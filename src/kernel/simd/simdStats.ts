// The block statistics (metrics.ts `blockStats`) of a SIMD shard kernel's neurons, read in place
// from its WebAssembly memory: the per-lane f64 sums of massNoise in noiseMassBlock, the rest per neuron
// in metrics.ts's order in blockStatsBlock (shardKernel.wat), so the values are bitwise its.
import { BLOCK_STATS, BlockStat } from "../metrics.js";
import type { KernelExports } from "./simdModules.js";
import { ITEM, LANES, type SimdLayout } from "./simdLayout.js";

/**
 * stats[(firstBlock + b)·BLOCK_STATS + field] for the blocks of `neurons` neurons loaded at the
 * regions of `at` (d coordinates each), massNoise only `withNoise`; the scratch region C receives
 * noiseMassBlock's sums, GRAD (scratch outside `update`) blockStatsBlock's. `checks`: where the last
 * update left each block's finite check of the weights as they are (an f32 per block), or 0 to
 * compute them (finiteCheckBlock).
 */
export function simdBlockStats(
  x: KernelExports,
  f64: Float64Array,
  at: SimdLayout,
  d: number,
  neurons: number,
  stats: Float64Array,
  firstBlock: number,
  withNoise: boolean,
  checks: number,
): void {
  const dPad = Math.ceil(d / 32) * 32;
  const out = at.GRAD / 8;
  for (let b = 0; b * LANES < neurons; b++) {
    const wt = at.WT + b * dPad * ITEM;
    if (withNoise) x.noiseMassBlock(wt, d, at.C);
    x.blockStatsBlock(wt, d, at.A32 + b * ITEM, at.BIAS + b * ITEM, at.C, Math.min(LANES, neurons - b * LANES), withNoise ? 1 : 0, checks === 0 ? 0 : checks + 4 * b, at.GRAD);
    const off = (firstBlock + b) * BLOCK_STATS;
    stats[off + BlockStat.massSpurious] = f64[out];
    stats[off + BlockStat.massSignal] = f64[out + 1];
    stats[off + BlockStat.massNoise] = withNoise ? f64[out + 2] : NaN;
    stats[off + BlockStat.alignCount] = f64[out + 3];
    stats[off + BlockStat.finiteCheck] = f64[out + 4];
  }
}
