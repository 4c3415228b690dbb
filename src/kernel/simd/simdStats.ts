// The block statistics (metrics.ts `blockStats`) of a SIMD shard kernel's neurons, read in place
// from its WebAssembly memory: the per-lane f64 sums of massNoise in statsQuad and the finite check
// in finiteCheckBlock (shardKernel.wat), the rest per neuron here, in metrics.ts's order, so the values
// are bitwise its.
import { BLOCK_STATS, BlockStat } from "../metrics.js";
import type { KernelExports } from "./simdModules.js";
import { ITEM, LANES, type SimdLayout } from "./simdLayout.js";

/**
 * stats[(firstBlock + b)·BLOCK_STATS + field] for the blocks of `neurons` neurons loaded at the
 * regions of `at` (d coordinates each), massNoise only `withNoise`; the scratch region C receives
 * statsQuad's sums.
 */
export function simdBlockStats(
  x: KernelExports,
  f32: Float32Array,
  f64: Float64Array,
  at: SimdLayout,
  d: number,
  neurons: number,
  stats: Float64Array,
  firstBlock: number,
  withNoise: boolean,
): void {
  const dPad = Math.ceil(d / 32) * 32;
  const noiseCount = d - 3;
  const sums = at.C / 8; // per lane Σ_(k≥3) w_k² (16 f64), by quad
  for (let b = 0; b * LANES < neurons; b++) {
    const wt = at.WT + b * dPad * ITEM;
    if (withNoise) for (let q = 0; q < 4; q++) x.statsQuad(wt + 16 * q, d, at.C + 32 * q);
    let spurious = 0;
    let signal = 0;
    let noise = 0;
    let align = 0;
    let finite = x.finiteCheckBlock(wt, d);
    const lanes = Math.min(LANES, neurons - b * LANES);
    for (let l = 0; l < lanes; l++) {
      const a = f32[at.A32 / 4 + b * LANES + l];
      const bias = f32[at.BIAS / 4 + b * LANES + l];
      const absA = Math.abs(a);
      const wOff = wt / 4 + l;
      const w0 = f32[wOff];
      const w1 = f32[wOff + LANES];
      const w2 = f32[wOff + 2 * LANES];
      spurious += absA * Math.abs(w2);
      signal += absA * Math.sqrt(w0 * w0 + w1 * w1);
      if (withNoise && noiseCount > 0) noise += absA * Math.sqrt(f64[sums + l] / noiseCount);
      if (a * w2 > 0) align++;
      finite += a - a + (bias - bias);
    }
    const off = (firstBlock + b) * BLOCK_STATS;
    stats[off + BlockStat.massSpurious] = spurious;
    stats[off + BlockStat.massSignal] = signal;
    stats[off + BlockStat.massNoise] = withNoise ? noise : NaN;
    stats[off + BlockStat.alignCount] = align;
    stats[off + BlockStat.finiteCheck] = finite;
  }
}
