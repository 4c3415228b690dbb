// Claim 3's fitted exponent (paper/exponent.ts): the scaling exponent of the signal step in d over
// the λ = 0 runs, on runs whose event steps are known: a power law with seed noise gives its exponent
// within a CI, equal local exponents, and the same fit whatever the order of the records.
import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/modelKeys.js";
import { fitSampleExponent } from "../../src/paper/exponent.js";
import type { RunRecord } from "../../src/store/runRecord.js";

function run(d: number, lambda: number, seed: number, signal: number | null): RunRecord {
  return {
    condition: { d, lambda },
    params: resolveParams({ d, lambda, steps: 100_000, seed }),
    seed,
    events: { spurious: null, signal },
    rates: { spuriousRate: null, signalRate: null },
    final: {} as RunRecord["final"],
    trajectory: [],
    diverged: null,
    wallMs: 1,
    engine: { threads: 1, shards: 1, kernel: "f32", version: "test" },
  };
}

describe("fitSampleExponent", () => {
  const ds = [32, 64, 128, 256];
  const noise = [0.8, 0.9, 1, 1.1, 1.2, 0.95];
  const records = ds.flatMap((d) => noise.flatMap((f, seed) => [run(d, 0, seed, Math.round(10 * d ** 1.5 * f)), run(d, 1, seed, null)]));
  it("recovers the exponent of a power law with seed noise, its CI and equal local exponents; λ = 1 is left out", () => {
    const fit = fitSampleExponent(records)!;
    expect(fit.slope).toBeCloseTo(1.5, 2);
    expect(fit.lo).toBeLessThan(fit.slope);
    expect(fit.hi).toBeGreaterThan(fit.slope);
    expect(fit.hi - fit.lo).toBeLessThan(0.2);
    expect(fit.ds).toEqual(ds);
    expect(fit.local.map((l) => Number(l.estimate.toFixed(1)))).toEqual([1.5, 1.5, 1.5]);
    // the fitted median line: exp(intercept)·d^slope is the median step (10·d^1.5 at the noise's median)
    expect(Math.exp(fit.intercept) * 64 ** fit.slope / (10 * 64 ** 1.5)).toBeCloseTo(1, 1);
    expect(fit.formula).toContain("lambda == 0");
  });
  it("does not depend on the order of the records (runs.jsonl holds them in the order they finished)", () => {
    const reversed = [...records].reverse();
    const interleaved = [...records.filter((_, i) => i % 2 === 1), ...records.filter((_, i) => i % 2 === 0)];
    const fit = fitSampleExponent(records)!;
    expect(fitSampleExponent(reversed)).toEqual(fit);
    expect(fitSampleExponent(interleaved)).toEqual(fit);
  });
  it("is null with one d, or when no λ = 0 run reached the event", () => {
    expect(fitSampleExponent([run(32, 0, 0, 100), run(32, 0, 1, 120)])).toBeNull();
    expect(fitSampleExponent([run(32, 0, 0, null), run(64, 0, 0, null)])).toBeNull();
  });
});
