// The percentile bootstrap of a statistic of several groups, each group resampled apart (for a
// statistic with no closed-form interval, such as a slope fitted to per-group medians).
import { Stream, StreamRandom } from "../../kernel/prng.js";
import { LEVEL_95, type Interval } from "./interval.js";
import { quantileSortedType7 } from "./quantiles.js";

/**
 * [q_{α/2}, q_{1−α/2}] of statistic(resampled groups) over `resamples` resamples, each group drawn
 * with replacement to its own size from the counter-based generator keyed by `seed` (so the interval
 * is a pure function of its inputs). Resamples whose statistic is not finite are left out.
 *
 * @example percentileBootstrap([[1, 2, 3, 4]], (gs) => gs[0].reduce((a, b) => a + b) / 4, 7) // ≈ { lo: 1.75, hi: 3.25 }
 */
export function percentileBootstrap<T>(
  groups: readonly (readonly T[])[],
  statistic: (groups: T[][]) => number,
  seed: number,
  opts: { resamples?: number; level?: number } = {},
): Interval & { finite: number } {
  const rng = new StreamRandom(seed, Stream.bootstrap);
  const resamples = opts.resamples ?? 2000;
  const estimates: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const value = statistic(groups.map((g) => g.map(() => g[rng.int(g.length)])));
    if (Number.isFinite(value)) estimates.push(value);
  }
  estimates.sort((a, b) => a - b);
  const alpha = 1 - (opts.level ?? LEVEL_95);
  if (estimates.length === 0) return { lo: NaN, hi: NaN, finite: 0 };
  return { lo: quantileSortedType7(estimates, alpha / 2), hi: quantileSortedType7(estimates, 1 - alpha / 2), finite: estimates.length };
}
