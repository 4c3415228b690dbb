// The certified event search's bounds (kernel/marginBounds.ts) against the true change of every test
// margin, on every step of seeded runs, for every kernel: the per-group bounds on y·(f_t − f_t0) and
// the first layer's bound on |f_t − f̂_t|, with the reference refreshed every 10 steps as a run's
// evaluations would. Also: a subset of the test rows forwards bitwise as in the full pass.
import { describe, expect, it } from "vitest";
import { resolveParams, type ModelParams } from "../../src/config/modelKeys.js";
import { initNeurons } from "../../src/kernel/init.js";
import { DRIFT_FIELDS, FIRST_LAYER_BOUND, GROUP_BOUND_FIELDS, GROUP_LABELS, groupBounds, Z_RANGE_FIELDS } from "../../src/kernel/marginBounds.js";
import { createShardKernel, KERNELS, type KernelName } from "../../src/kernel/registry.js";
import type { SampleRows } from "../../src/kernel/sampler.js";
import { blockCount, reduceOutputs, sumPartials } from "../../src/kernel/step.js";
import { wordsPerRow } from "../../src/kernel/bits/bitKernel.js";
import { boundScratch, groupsFromOutputs, MarginTable, testMetricBounds } from "../../src/kernel/metricBounds.js";
import { isTestSetMetric, SCALAR_METRICS, type Metrics } from "../../src/kernel/metricNames.js";
import { BLOCK_STATS, testMetrics } from "../../src/kernel/metrics.js";

function rows(p: ModelParams, n: number): SampleRows {
  return { x: new Float32Array(n * p.d), bits: new Int32Array(n * wordsPerRow(p.d)), y: new Float32Array(n), s: new Float32Array(n) };
}

const variants: Array<[string, Partial<ModelParams>]> = [
  ["ReLU", {}],
  ["leaky ReLU, bias, weight decay, spurious scale 2", { activation: "leaky", leakySlope: 0.2, bias: true, weightDecay: 0.01, spuriousScale: 2 }],
];

/** One shard of all neurons of a run of `p`, initialised, and its test set. */
function shardOf(kernelName: KernelName, p: ModelParams) {
  const nTest = 4 * p.testPerGroup;
  const net = { first: 0, W: new Float32Array(p.width * p.d), A: new Float32Array(p.width), B: new Float32Array(p.width) };
  const kernel = createShardKernel(kernelName, { params: p, net, range: { j0: 0, j1: p.width }, testRows: nTest });
  initNeurons(p, net, 0, p.width);
  kernel.load(net);
  const test = rows(p, nTest);
  kernel.sampler.drawTestRows(0, nTest, test);
  kernel.setTestSet(test);
  return { kernel, test, nTest, blocks: blockCount(p.width) };
}

describe.each(KERNELS)("margin bounds, %s kernel", (kernelName) => {
  it.each(variants)("hold on every step of a seeded run: %s", (_, extra) => {
    const p = resolveParams({ d: 40, width: 40, batch: 32, testPerGroup: 64, lr: 0.5, lambda: 0.5, seed: 3, eventSearch: "exact", ...extra });
    const { kernel, test, nTest, blocks } = shardOf(kernelName, p);
    const batch = rows(p, p.batch);
    const P = new Float64Array(blocks * Math.max(p.batch, nTest));
    const F = new Float64Array(p.batch);
    const G = new Float64Array(p.batch);
    const F0 = new Float64Array(nTest);
    const Ft = new Float64Array(nTest);
    const Fhat = new Float64Array(nTest);
    const zRange = new Float64Array(p.width * Z_RANGE_FIELDS);
    const drift = new Float64Array(p.width * DRIFT_FIELDS);
    const bounds = new Float64Array(blocks * GROUP_BOUND_FIELDS);
    const sum = new Float64Array(GROUP_BOUND_FIELDS);
    const violations: object[] = [];
    let worstUse = 0; // the largest share of a bound the true change used: they are not vacuous
    for (let step = 0; step <= 60; step++) {
      if (step > 0) {
        kernel.sampler.drawTrainRows(step - 1, 0, p.batch, batch);
        kernel.forwardBatch(batch, P);
        reduceOutputs(P, blocks, p.batch, batch.y, F, G);
        kernel.update(batch, G);
      }
      if (step % 10 === 0) {
        kernel.forwardTest(P, zRange);
        kernel.keepReference();
        sumPartials(P, blocks, nTest, F0);
        continue;
      }
      kernel.drift(drift);
      groupBounds(drift, zRange, p.width, 0, kernel.model.slope, p.width, bounds);
      sum.fill(0);
      for (let b = 0; b < blocks; b++) for (let f = 0; f < GROUP_BOUND_FIELDS; f++) sum[f] += bounds[b * GROUP_BOUND_FIELDS + f];
      kernel.secondLayer(P);
      sumPartials(P, blocks, nTest, Fhat);
      kernel.forwardTest(P);
      sumPartials(P, blocks, nTest, Ft);
      for (let i = 0; i < nTest; i++) {
        const g = Math.floor(i / p.testPerGroup);
        const y = GROUP_LABELS[g];
        const move = y * (Ft[i] - F0[i]);
        const firstLayer = Math.abs(Ft[i] - Fhat[i]);
        if (test.y[i] !== y || !(move >= sum[2 * g] && move <= sum[2 * g + 1] && firstLayer <= sum[FIRST_LAYER_BOUND + g])) {
          violations.push({ step, i, move, lo: sum[2 * g], hi: sum[2 * g + 1], firstLayer, bound: sum[FIRST_LAYER_BOUND + g] });
        }
        worstUse = Math.max(worstUse, firstLayer / sum[FIRST_LAYER_BOUND + g]);
      }
    }
    expect(violations).toEqual([]);
    expect(worstUse).toBeGreaterThan(0.01);
  });

  // d = 300: ten words of a row, each word's tables built and read in turn (simd)
  for (const d of [70, 300]) {
    it(`forwards a subset of the test rows bitwise as the whole test set (d = ${d})`, () => {
      const p = resolveParams({ d, width: 20, batch: 16, testPerGroup: 300, seed: 1, eventSearch: "exact" });
      const { kernel, nTest, blocks } = shardOf(kernelName, p);
      const P = new Float64Array(blocks * nTest);
      const all = new Float64Array(nTest);
      kernel.forwardTest(P);
      sumPartials(P, blocks, nTest, all);
      const picked = Int32Array.from([5, 0, 17, 1199, 640, 641, 305]);
      const some = new Float64Array(picked.length);
      kernel.forwardRows(picked, picked.length, P);
      sumPartials(P, blocks, picked.length, some);
      expect(Array.from(some)).toEqual(Array.from(picked, (i) => all[i]));
      // the subset pass leaves the test set as it was laid out
      const again = new Float64Array(nTest);
      kernel.forwardTest(P);
      sumPartials(P, blocks, nTest, again);
      expect(Array.from(again)).toEqual(Array.from(all));
    });
  }
});

/** A MarginTable of the margins Y·F (groups of perGroup rows), and their count above x one by one. */
function tableAndBruteCount(F: Float64Array, Y: Float32Array, perGroup: number) {
  const table = new MarginTable(perGroup);
  table.set(F, Y);
  const brute = (g: number, x: number): number => {
    let n = 0;
    for (let i = g * perGroup; i < (g + 1) * perGroup; i++) if (Y[i] * F[i] > x) n++;
    return n;
  };
  return { table, brute };
}

describe("metric bounds", () => {
  it("count the reference margins above a threshold alike before and after the table buckets them (NaN never counts)", () => {
    const perGroup = 50;
    const F = new Float64Array(4 * perGroup).map((_, i) => Math.sin(i * 7.3) * 2);
    F[3] = NaN;
    F[120] = 0;
    const Y = new Float32Array(4 * perGroup).map((_, i) => (i % 3 === 0 ? 1 : -1));
    const { table, brute } = tableAndBruteCount(F, Y, perGroup);
    // enough questions to pass from counting to buckets, thresholds on and between the margins
    for (let q = 0; q < 200; q++) {
      const g = q % 4;
      const x = q % 5 === 0 ? Y[g * perGroup + q % perGroup] * F[g * perGroup + q % perGroup] : Math.cos(q) * 2.5;
      expect({ q, count: table.countAbove(g, x) }).toEqual({ q, count: brute(g, x) });
    }
  });

  it("count exactly from buckets: ties, signed zeros, thresholds on bucket edges and at ±∞ or NaN; groups with an infinite margin or all margins equal are counted", () => {
    const perGroup = 1024;
    let seed = 7;
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const F = new Float64Array(4 * perGroup);
    for (let i = 0; i < perGroup; i++) F[i] = Math.round(random() * 40 - 20) / 8; // group 0: many ties
    for (let i = perGroup; i < 2 * perGroup; i++) F[i] = (random() - 0.5) * 1e-3 * (i % 3 === 0 ? -0 : 1); // group 1: tiny, signed zeros
    for (let i = 2 * perGroup; i < 3 * perGroup; i++) F[i] = i % 17 === 0 ? NaN : Math.exp(random() * 20 - 10) * (random() < 0.5 ? -1 : 1); // group 2: heavy tails, NaN
    F.fill(0.75, 3 * perGroup, 4 * perGroup); // group 3: all equal
    const Y = new Float32Array(4 * perGroup).map((_, i) => (i % 5 < 2 ? 1 : -1));
    // the second time group 2 has an infinite margin too: counted, not bucketed
    for (const infinite of [false, true]) {
      F[2 * perGroup + 5] = infinite ? Infinity : 3;
      const { table, brute } = tableAndBruteCount(F, Y, perGroup);
      const thresholds = (g: number): number[] => {
        const m = Array.from({ length: perGroup }, (_, i) => Y[g * perGroup + i] * F[g * perGroup + i]).filter((v) => !Number.isNaN(v));
        const low = Math.min(...m);
        const high = Math.max(...m);
        const edges = Array.from({ length: 9 }, (_, k) => low + ((high - low) / 256) * 32 * k); // bucket edges
        return [...m.slice(0, 40), ...edges, low, high, -0, 0, Infinity, -Infinity, NaN, low - 1, high + 1];
      };
      for (let round = 0; round < 2; round++) {
        // the first round's first 16 questions are counted, the rest read buckets
        for (let g = 0; g < 4; g++) for (const x of thresholds(g)) expect({ infinite, g, x, count: table.countAbove(g, x) }).toEqual({ infinite, g, x, count: brute(g, x) });
      }
    }
  });

  it("bound every test-set metric around outputs known to ± a radius per group", () => {
    const perGroup = 50;
    const n = 4 * perGroup;
    const rng = (() => {
      let x = 12345;
      return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    })();
    const Y = Float32Array.from({ length: n }, (_, i) => GROUP_LABELS[Math.floor(i / perGroup)]);
    const S = Float32Array.from({ length: n }, (_, i) => (i < 2 * perGroup ? Y[i] : -Y[i]));
    const radius = Float64Array.from([0.1, 0.3, 0.05, 0.2]);
    const F = Float64Array.from({ length: n }, () => rng() * 2 - 1);
    const scratch = boundScratch(n);
    const low = {} as Metrics;
    const high = {} as Metrics;
    for (const name of SCALAR_METRICS) low[name] = high[name] = NaN;
    groupsFromOutputs(F, Y, perGroup, radius, 0, scratch);
    testMetricBounds(perGroup, low, high, scratch);
    const stats = new Float64Array(BLOCK_STATS);
    for (let trial = 0; trial < 20; trial++) {
      // outputs anywhere inside the radius, the ends included
      const Ft = F.map((f, i) => f + radius[Math.floor(i / perGroup)] * (trial < 2 ? 1 - 2 * trial : 2 * rng() - 1));
      const exact = { acc: [0, 0, 0, 0] } as unknown as Metrics;
      testMetrics(Ft, Y, S, perGroup, stats, 1, 1, exact);
      for (const name of SCALAR_METRICS.filter(isTestSetMetric)) {
        expect(low[name]).toBeLessThanOrEqual(exact[name]);
        expect(high[name]).toBeGreaterThanOrEqual(exact[name]);
      }
    }
    expect(SCALAR_METRICS.filter((name) => isTestSetMetric(name) && !(low[name] < high[name])).length).toBe(0);
  });
});
