import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { expectGradientsMatchFiniteDifferences, network, slopeOf, target } from "./support/gradientCheck.js";
import { resolveParams, type ModelParams } from "../src/config/modelKeys.js";
import { blockStats, BLOCK_STATS } from "../src/kernel/metrics.js";
import { drawTestSample, drawTrainRow, type SampleTarget } from "../src/kernel/sampler.js";
import { blockCount, reduceOutputs, type Weights } from "../src/kernel/step.js";
import { initNeurons } from "../src/kernel/init.js";
import {
  bitScratch,
  forwardPartialsBits,
  packColumns,
  packRows,
  updateNeuronsBits,
  wordsPerRow,
} from "../src/kernel/bitKernel.js";
import { SimdShardKernel, usesWideTables } from "../src/kernel/simd/simdKernel.js";

// The kernel loads dist/kernel/simd/shardKernel.wasm; assemble it when it is missing or older than
// its source (the build script writes it atomically, so concurrent test workers are safe).
beforeAll(() => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const wat = `${root}src/kernel/simd/shardKernel.wat`;
  const wasm = `${root}dist/kernel/simd/shardKernel.wasm`;
  if (!existsSync(wasm) || statSync(wasm).mtimeMs < statSync(wat).mtimeMs) {
    execFileSync(process.execPath, [`${root}scripts/build-wasm.mjs`], { stdio: "pipe" });
  }
});



function copyNet(net: Weights): Weights {
  return { W: net.W.slice(), A: net.A.slice(), B: net.B.slice() };
}


function packed(p: ModelParams, t: SampleTarget, rows: number): { rows: Int32Array; columns: Int32Array } {
  const bits = new Int32Array(rows * wordsPerRow(p.d));
  packRows(t.x, p.d, 0, rows, bits);
  const columns = new Int32Array(Math.ceil(rows / 32) * p.d);
  packColumns(bits, rows, p.d, columns);
  return { rows: bits, columns };
}

/** One SGD step of the SIMD kernel over all neurons of `net` (loaded, stepped, stored back). */
function simdStep(p: ModelParams, net: Weights, t: SampleTarget, lr: number, useColumns = false): void {
  const kernel = SimdShardKernel.create(p.d, p.width, p.batch, 0);
  kernel.loadWeights(net.W, net.A, net.B, 0, p.width);
  const blocks = blockCount(p.width);
  const P = new Float64Array(blocks * p.batch);
  const G = new Float64Array(p.batch);
  const { rows, columns } = packed(p, t, p.batch);
  kernel.forward(rows, p.batch, p.spuriousScale, slopeOf(p), P, 0, true);
  reduceOutputs(P, blocks, p.batch, t.y, new Float64Array(p.batch), G);
  kernel.update(useColumns ? columns : null, p.batch, G, lr, p.weightDecay, p.bias, p.spuriousScale, slopeOf(p));
  kernel.storeWeights(net.W, net.A, net.B);
}

function bitsStep(p: ModelParams, net: Weights, t: SampleTarget, lr: number): Float64Array {
  const blocks = blockCount(p.width);
  const Z = new Float64Array(p.width * p.batch);
  const P = new Float64Array(blocks * p.batch);
  const G = new Float64Array(p.batch);
  const { rows, columns } = packed(p, t, p.batch);
  const scratch = bitScratch(p.d, p.batch);
  forwardPartialsBits(net, rows, p.batch, p.d, p.spuriousScale, 0, p.width, slopeOf(p), Z, P, scratch);
  reduceOutputs(P, blocks, p.batch, t.y, new Float64Array(p.batch), G);
  updateNeuronsBits(net, columns, p.batch, p.d, p.spuriousScale, 0, p.width, slopeOf(p), Z, G, lr, p.weightDecay, p.bias, new Float64Array(p.d), scratch);
  return P;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function bitwiseEqual(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe("SIMD kernel: gradients against central finite differences", () => {
  const cases: Array<[string, Partial<ModelParams>]> = [
    ["ReLU", {}],
    ["leaky ReLU with bias", { activation: "leaky", leakySlope: 0.1, bias: true }],
    ["ReLU with bias, weight decay and spuriousScale 3", { bias: true, weightDecay: 0.05, spuriousScale: 3 }],
    ["ReLU, d and batch not multiples of 32", { d: 37, batch: 45 }],
    ["leaky ReLU, 20 neurons (a partial block), d = 70, batch = 33", { d: 70, width: 20, batch: 33, activation: "leaky", leakySlope: 0.2, bias: true }],
  ];
  for (const [name, extra] of cases) {
    it(name, () => {
      const p = resolveParams({ d: 7, width: 5, batch: 9, seed: 4, initW: 2, initA: 0.7, ...extra });
      expectGradientsMatchFiniteDifferences(p, (net, t, lr) => simdStep(p, net, t, lr));
    });
  }
});

describe("SIMD kernel agrees with the ±1 bits kernel", () => {
  it("same partial outputs and (to f32 rounding) the same weights after 5 SGD steps", () => {
    const p = resolveParams({ d: 70, width: 40, batch: 33, seed: 8, spuriousScale: 1.7, activation: "leaky", bias: true, weightDecay: 0.01 });
    const bits = network(p);
    initNeurons(p, bits, 0, p.width);
    for (let j = 0; j < p.width; j++) bits.B[j] = 0.05 * ((j % 5) - 2);
    const start = copyNet(bits);
    const kernel = SimdShardKernel.create(p.d, p.width, p.batch, 0);
    kernel.loadWeights(bits.W, bits.A, bits.B, 0, p.width);
    const blocks = blockCount(p.width);
    const P = new Float64Array(blocks * p.batch);
    const G = new Float64Array(p.batch);
    const t = target(p.batch, p.d);
    for (let step = 0; step < 5; step++) {
      for (let r = 0; r < p.batch; r++) drawTrainRow(p, step, r, t, new Int32Array(0), -1);
      const { rows, columns } = packed(p, t, p.batch);
      kernel.forward(rows, p.batch, p.spuriousScale, slopeOf(p), P, 0, true);
      const bitsP = bitsStep(p, bits, t, p.lr);
      expect(maxAbsDiff(P, bitsP)).toBeLessThan(1e-5);
      // the SIMD step follows its own outputs, as it would in a run
      reduceOutputs(P, blocks, p.batch, t.y, new Float64Array(p.batch), G);
      kernel.update(step % 2 === 0 ? null : columns, p.batch, G, p.lr, p.weightDecay, p.bias, p.spuriousScale, slopeOf(p));
    }
    const simd = network(p);
    kernel.storeWeights(simd.W, simd.A, simd.B);
    expect(maxAbsDiff(simd.W, bits.W)).toBeLessThan(1e-5);
    expect(maxAbsDiff(simd.A, bits.A)).toBeLessThan(1e-5);
    expect(maxAbsDiff(simd.B, bits.B)).toBeLessThan(1e-5);
    expect(maxAbsDiff(simd.W, start.W)).toBeGreaterThan(1e-3); // weights did move
    expect(maxAbsDiff(simd.B, start.B)).toBeGreaterThan(1e-4);
  });

  it("a long forward pass (8-bit tables) matches the bits kernel, and blockStats matches metrics.ts bitwise", () => {
    const p = resolveParams({ d: 45, width: 36, testPerGroup: 520, seed: 3, spuriousScale: 2, bias: true, activation: "leaky" });
    const nTest = 4 * p.testPerGroup;
    expect(usesWideTables(nTest, p.d)).toBe(true);
    expect(usesWideTables(16, p.d)).toBe(false);
    const net = network(p);
    initNeurons(p, net, 0, p.width);
    for (let j = 0; j < p.width; j++) net.B[j] = 0.03 * ((j % 7) - 3);
    const t = target(nTest, p.d);
    for (let i = 0; i < nTest; i++) drawTestSample(p, i, t, i);
    const { rows } = packed(p, t, nTest);
    const blocks = blockCount(p.width);
    const expected = new Float64Array(blocks * nTest);
    forwardPartialsBits(net, rows, nTest, p.d, p.spuriousScale, 0, p.width, slopeOf(p), null, expected, bitScratch(p.d, nTest));
    const kernel = SimdShardKernel.create(p.d, p.width, 16, nTest);
    kernel.loadWeights(net.W, net.A, net.B, 0, p.width);
    const P = new Float64Array(blocks * nTest);
    kernel.forward(rows, nTest, p.spuriousScale, slopeOf(p), P, 0, false);
    expect(maxAbsDiff(P, expected)).toBeLessThan(1e-5);
    // a short pass on the first rows (4-bit tables) gives the same values to f32 rounding
    const short = new Float64Array(blocks * 16);
    kernel.forward(rows, 16, p.spuriousScale, slopeOf(p), short, 0, false);
    for (let blk = 0; blk < blocks; blk++) {
      expect(maxAbsDiff(short.subarray(blk * 16, blk * 16 + 16), P.subarray(blk * nTest, blk * nTest + 16))).toBeLessThan(1e-5);
    }
    const mine = new Float64Array(blocks * BLOCK_STATS);
    const reference = new Float64Array(blocks * BLOCK_STATS);
    kernel.blockStats(mine, 0);
    blockStats(net, p.d, 0, p.width, reference);
    expect(bitwiseEqual(mine, reference)).toBe(true);
  });

  it("loadWeights then storeWeights round-trips exactly, and the transposed and given columns agree bitwise", () => {
    const p = resolveParams({ d: 100, width: 30, batch: 70, seed: 5, bias: true });
    const net = network(p);
    initNeurons(p, net, 0, p.width);
    const kernel = SimdShardKernel.create(p.d, p.width, p.batch, 0);
    kernel.loadWeights(net.W, net.A, net.B, 0, p.width);
    const back = network(p);
    kernel.storeWeights(back.W, back.A, back.B);
    expect(bitwiseEqual(back.W, net.W) && bitwiseEqual(back.A, net.A) && bitwiseEqual(back.B, net.B)).toBe(true);
    const t = target(p.batch, p.d);
    for (let r = 0; r < p.batch; r++) drawTrainRow(p, 2, r, t, new Int32Array(0), -1);
    const viaTranspose = copyNet(net);
    const viaColumns = copyNet(net);
    simdStep(p, viaTranspose, t, p.lr, false);
    simdStep(p, viaColumns, t, p.lr, true);
    expect(bitwiseEqual(viaTranspose.W, viaColumns.W)).toBe(true);
    expect(bitwiseEqual(viaTranspose.A, viaColumns.A)).toBe(true);
  });
});

describe("SIMD kernel: shard independence", () => {
  for (const width of [48, 45]) {
    it(`neurons [0, 16) are bitwise identical alone or with [16, ${width}) (5 steps, test pass, stats)`, () => {
      const p = resolveParams({ d: 75, width, batch: 40, testPerGroup: 350, seed: 11, activation: "leaky", bias: true, spuriousScale: 1.5, weightDecay: 0.001 });
      const slope = slopeOf(p);
      const init = network(p);
      initNeurons(p, init, 0, p.width);
      const blocks = blockCount(p.width);
      const nTest = 4 * p.testPerGroup;
      const whole = SimdShardKernel.create(p.d, p.width, p.batch, nTest);
      whole.loadWeights(init.W, init.A, init.B, 0, p.width);
      const first = SimdShardKernel.create(p.d, 16, p.batch, nTest);
      first.loadWeights(init.W, init.A, init.B, 0, 16);
      const rest = SimdShardKernel.create(p.d, p.width - 16, p.batch, nTest);
      rest.loadWeights(init.W, init.A, init.B, 16, p.width);
      const Pwhole = new Float64Array(blocks * p.batch);
      const Pshard = new Float64Array(blocks * p.batch);
      const Gwhole = new Float64Array(p.batch);
      const Gshard = new Float64Array(p.batch);
      const t = target(p.batch, p.d);
      for (let step = 0; step < 5; step++) {
        for (let r = 0; r < p.batch; r++) drawTrainRow(p, step, r, t, new Int32Array(0), -1);
        const { rows } = packed(p, t, p.batch);
        whole.forward(rows, p.batch, p.spuriousScale, slope, Pwhole, 0, true);
        first.forward(rows, p.batch, p.spuriousScale, slope, Pshard, 0, true);
        rest.forward(rows, p.batch, p.spuriousScale, slope, Pshard, 1, true);
        expect(bitwiseEqual(Pwhole, Pshard)).toBe(true);
        reduceOutputs(Pwhole, blocks, p.batch, t.y, new Float64Array(p.batch), Gwhole);
        reduceOutputs(Pshard, blocks, p.batch, t.y, new Float64Array(p.batch), Gshard);
        whole.update(null, p.batch, Gwhole, p.lr, p.weightDecay, p.bias, p.spuriousScale, slope);
        first.update(null, p.batch, Gshard, p.lr, p.weightDecay, p.bias, p.spuriousScale, slope);
        rest.update(null, p.batch, Gshard, p.lr, p.weightDecay, p.bias, p.spuriousScale, slope);
      }
      const a = network(p);
      const b = network(p);
      whole.storeWeights(a.W, a.A, a.B);
      first.storeWeights(b.W, b.A, b.B);
      rest.storeWeights(b.W, b.A, b.B);
      expect(bitwiseEqual(a.W, b.W) && bitwiseEqual(a.A, b.A) && bitwiseEqual(a.B, b.B)).toBe(true);
      expect(maxAbsDiff(a.W, init.W)).toBeGreaterThan(1e-3); // they did train

      // the test-set pass (8-bit tables) and the block statistics, sharded the same way
      expect(usesWideTables(nTest, p.d)).toBe(true);
      const tt = target(nTest, p.d);
      for (let i = 0; i < nTest; i++) drawTestSample(p, i, tt, i);
      const { rows: testRows } = packed(p, tt, nTest);
      const Twhole = new Float64Array(blocks * nTest);
      const Tshard = new Float64Array(blocks * nTest);
      whole.forward(testRows, nTest, p.spuriousScale, slope, Twhole, 0, false);
      first.forward(testRows, nTest, p.spuriousScale, slope, Tshard, 0, false);
      rest.forward(testRows, nTest, p.spuriousScale, slope, Tshard, 1, false);
      expect(bitwiseEqual(Twhole, Tshard)).toBe(true);
      const Swhole = new Float64Array(blocks * BLOCK_STATS);
      const Sshard = new Float64Array(blocks * BLOCK_STATS);
      whole.blockStats(Swhole, 0);
      first.blockStats(Sshard, 0);
      rest.blockStats(Sshard, 1);
      expect(bitwiseEqual(Swhole, Sshard)).toBe(true);
      const reference = new Float64Array(blocks * BLOCK_STATS);
      blockStats(a, p.d, 0, p.width, reference);
      expect(bitwiseEqual(Swhole, reference)).toBe(true);
    });
  }
});

describe("SIMD kernel: argument checks", () => {
  it("rejects a misaligned neuron range, too many rows, and an update without its forward pass", () => {
    const p = resolveParams({ d: 10, width: 32, batch: 8 });
    const net = network(p);
    const kernel = SimdShardKernel.create(p.d, 32, p.batch, 0);
    expect(() => kernel.loadWeights(net.W, net.A, net.B, 3, 19)).toThrow(/block-aligned/);
    kernel.loadWeights(net.W, net.A, net.B, 0, 32);
    const rows = new Int32Array(20 * wordsPerRow(p.d));
    expect(() => kernel.forward(rows, 20, 1, 0, new Float64Array(2 * 20), 0, true)).toThrow(/capacity/);
    expect(() => kernel.update(null, p.batch, new Float64Array(p.batch), 0.1, 0, false, 1, 0)).toThrow(/training forward/);
  });

  it("a shard without neurons is a no-op", () => {
    const p = resolveParams({ d: 10, width: 16, batch: 8 });
    const net = network(p);
    const kernel = SimdShardKernel.create(p.d, 0, p.batch, 0);
    kernel.loadWeights(net.W, net.A, net.B, 16, 16);
    const P = new Float64Array(8).fill(7);
    kernel.forward(new Int32Array(p.batch), p.batch, 1, 0, P, 1, true);
    kernel.update(null, p.batch, new Float64Array(p.batch), 0.1, 0, false, 1, 0);
    kernel.blockStats(new Float64Array(0), 1);
    kernel.storeWeights(net.W, net.A, net.B);
    expect(Array.from(P)).toEqual(new Array(8).fill(7));
  });
});
