// Claim 3's fitted exponent and the percentile bootstrap behind its CI, on runs whose event steps
// are known: steps = 10·d^1.5 exactly gives slope 1.5 with a zero-width CI; noise widens it around 1.5.
import { describe, expect, it } from "vitest";
import { percentileBootstrap } from "../../src/analysis/statistics/bootstrap.js";
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

describe("percentileBootstrap", () => {
  it("is the point for a constant group, and deterministic for a seed", () => {
    const mean = (gs: number[][]) => gs[0].reduce((a, b) => a + b, 0) / gs[0].length;
    expect(percentileBootstrap([[3, 3, 3]], mean, 1)).toEqual({ lo: 3, hi: 3, finite: 2000 });
    const a = percentileBootstrap([[1, 2, 3, 4]], mean, 7);
    expect(a).toEqual(percentileBootstrap([[1, 2, 3, 4]], mean, 7));
    // the bootstrap distribution of the mean of 4 draws from {1, 2, 3, 4}: centred on 2.5, sd ≈ 0.56
    expect(a.lo).toBeGreaterThanOrEqual(1.25);
    expect(a.lo).toBeLessThan(2);
    expect(a.hi).toBeGreaterThan(3);
    expect(a.hi).toBeLessThanOrEqual(3.75);
  });
  it("leaves out resamples whose statistic is not finite", () => {
    const r = percentileBootstrap([[0, 1]], (gs) => 1 / gs[0][0], 3, { resamples: 400 });
    expect(r.finite).toBeLessThan(400);
    expect(r.lo).toBe(1);
  });
});

describe("fitSampleExponent", () => {
  const ds = [32, 64, 128, 256];
  it("recovers the exponent of exact power-law medians, with a zero-width CI", () => {
    const records = ds.flatMap((d) => [0, 1, 2].flatMap((seed) => [run(d, 0, seed, 10 * d ** 1.5), run(d, 1, seed, null)]));
    const fit = fitSampleExponent(records)!;
    expect(fit.slope).toBeCloseTo(1.5, 10);
    expect(fit.intercept).toBeCloseTo(Math.log(10), 10);
    expect(fit.lo).toBeCloseTo(1.5, 10);
    expect(fit.hi).toBeCloseTo(1.5, 10);
    expect(fit.ds).toEqual(ds);
  });
  it("gives a CI around the slope when seeds vary", () => {
    const records = ds.flatMap((d) => [0.8, 0.9, 1, 1.1, 1.2].map((f, seed) => run(d, 0, seed, Math.round(10 * d ** 1.5 * f))));
    const fit = fitSampleExponent(records)!;
    expect(fit.slope).toBeCloseTo(1.5, 2);
    expect(fit.lo).toBeLessThan(fit.slope);
    expect(fit.hi).toBeGreaterThan(fit.slope);
  });
  it("does not depend on the order of the records (runs.jsonl holds them in the order they finished)", () => {
    const records = ds.flatMap((d) => [0.8, 0.9, 1, 1.1, 1.2, 0.95].map((f, seed) => run(d, 0, seed, Math.round(10 * d ** 1.5 * f))));
    const reversed = [...records].reverse();
    const interleaved = [...records.filter((_, i) => i % 2 === 1), ...records.filter((_, i) => i % 2 === 0)];
    const fit = fitSampleExponent(records)!;
    expect(fitSampleExponent(reversed)).toEqual(fit);
    expect(fitSampleExponent(interleaved)).toEqual(fit);
  });
  it("is null with one d, or when a median is never reached", () => {
    expect(fitSampleExponent([run(32, 0, 0, 100)])).toBeNull();
    expect(fitSampleExponent([run(32, 0, 0, 100), run(64, 0, 0, null)])).toBeNull();
  });
});
