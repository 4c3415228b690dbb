// The scaling analysis of claim 3 at scale (paper/scaling.ts) on made-up runs whose samples follow a
// known law: the exponents, the local exponents and the best d·(ln d)^k are recovered; a d with a
// diverged run is shown but left out of the fits.
import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/modelKeys.js";
import { analyzeScaling } from "../../src/paper/scaling.js";
import type { RunRecord } from "../../src/store/runRecord.js";

/** Runs whose signal step × batch is `samples(d)` up to a small per-seed jitter. */
function runs(ds: readonly number[], samples: (d: number) => number, opts: { lambda?: number; divergedAt?: number } = {}): RunRecord[] {
  return ds.flatMap((d) =>
    [0, 1, 2, 3, 4, 5].map((seed) => {
      const batch = d / 8;
      const step = Math.round((samples(d) / batch) * (1 + (seed - 2.5) * 0.01));
      const diverged = d === opts.divergedAt && seed === 0 ? 10 : null;
      return {
        condition: { d, lambda: opts.lambda ?? 0 },
        params: resolveParams({ d, batch, steps: 100 * step, seed }),
        seed,
        events: { signal: diverged === null ? step : null },
        diverged,
      } as unknown as RunRecord;
    }),
  );
}

const ds = [64, 128, 256, 512, 1024, 2048, 4096];

describe("analyzeScaling", () => {
  it("recovers samples ∝ d·ln d: exponent, local exponents and the best polylog power", () => {
    const a = analyzeScaling(runs(ds, (d) => 50 * d * Math.log(d)), 0, "signal", 200);
    expect(a.fitted).toEqual(ds);
    const local = (from: number, to: number) => Math.log((to * Math.log(to)) / (from * Math.log(from))) / Math.log(to / from);
    a.local.forEach((l, i) => {
      expect([l.from, l.to]).toEqual([ds[i], ds[i + 1]]);
      expect(l.value).toBeCloseTo(local(ds[i], ds[i + 1]), 1);
      expect(l.lo).toBeLessThanOrEqual(l.value);
      expect(l.hi).toBeGreaterThanOrEqual(l.value);
    });
    expect(a.whole!.value).toBeGreaterThan(1.1);
    expect(a.whole!.value).toBeLessThan(1.3);
    expect(a.upperHalf!.ds).toEqual([512, 1024, 2048, 4096]);
    expect(a.upperHalf!.value).toBeLessThan(a.whole!.value); // d·ln d flattens towards 1 on a log-log plot
    const best = a.polylog.reduce((b, f) => (f.rss < b.rss ? f : b));
    expect(best.k).toBe(1);
    expect(Math.exp(best.lnC)).toBeCloseTo(50, 0);
    expect(a.polylog[1].bestShare).toBeGreaterThan(0.9);
  });

  it("shows a d where a run diverged but fits without it, and ignores the other λ", () => {
    const records = [...runs(ds, (d) => 20 * d ** 1.5, { divergedAt: 2048 }), ...runs(ds, () => 1e9, { lambda: 1 })];
    const a = analyzeScaling(records, 0, "signal", 200);
    expect(a.points.find((p) => p.d === 2048)).toMatchObject({ diverged: 1, runs: 6 });
    expect(a.fitted).toEqual([64, 128, 256, 512, 1024, 4096]);
    expect(a.whole!.value).toBeCloseTo(1.5, 1);
    expect(a.local.map((l) => [l.from, l.to]).at(-1)).toEqual([1024, 4096]);
    const maximal = analyzeScaling(records, 1, "signal", 200);
    expect(maximal.points.every((p) => p.samples !== null && p.reached === 6)).toBe(true);
  });
});
