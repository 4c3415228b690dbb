import { beforeAll, describe, expect, it } from "vitest";
import { resolveParams, MAX_SEED } from "../../../src/config/modelKeys.js";
import { BitRowSampler, type SampleRows } from "../../../src/kernel/sampler.js";
import { SimdRowSampler } from "../../../src/kernel/simd/simdSampler.js";
import { assembleSimdWasm } from "../../support/simdWasm.js";

beforeAll(() => assembleSimdWasm("sampler"));

function rows(batch: number, d: number): SampleRows {
  return { x: new Float32Array(0), bits: new Int32Array(batch * Math.ceil(d / 32)), y: new Float32Array(batch), s: new Float32Array(batch) };
}

function expectSameRows(mine: SampleRows, theirs: SampleRows): void {
  expect(Array.from(mine.bits)).toEqual(Array.from(theirs.bits));
  expect(Array.from(mine.y)).toEqual(Array.from(theirs.y));
  expect(Array.from(mine.s)).toEqual(Array.from(theirs.s));
}

describe("SIMD sampler", () => {
  // d across word and generator-call boundaries, λ and label noise, seeds at both ends, batch
  // indices whose generator counter passes 2^32 (index · calls per sample)
  const cases: [string, object][] = [
    ["d 3", { d: 3, batch: 7 }],
    ["d 31, λ 0.3, label noise 0.1", { d: 31, batch: 33, lambda: 0.3, labelNoise: 0.1 }],
    ["d 32", { d: 32, batch: 64 }],
    ["d 33, λ 0", { d: 33, batch: 64, lambda: 0 }],
    ["d 64, seed 2^32 − 1", { d: 64, batch: 64, seed: MAX_SEED }],
    ["d 65, λ 0.6, label noise 0.25", { d: 65, batch: 40, lambda: 0.6, labelNoise: 0.25 }],
    ["d 200, seed 0", { d: 200, batch: 64, seed: 0 }],
    ["d 4096", { d: 4096, batch: 16 }],
  ];
  it.each(cases)("draws online training rows bitwise as BitRowSampler: %s", (_, extra) => {
    const p = resolveParams({ seed: 12345, ...extra });
    const simd = new SimdRowSampler(p);
    const bits = new BitRowSampler(p);
    for (const batchIndex of [0, 1, 2, 1000, 2 ** 31, 2 ** 33 + 5]) {
      const mine = rows(p.batch, p.d);
      const theirs = rows(p.batch, p.d);
      simd.drawTrainRows(batchIndex, 0, p.batch, mine);
      bits.drawTrainRows(batchIndex, 0, p.batch, theirs);
      expectSameRows(mine, theirs);
    }
  });

  it("draws a shard's rows [r0, r1) into those rows only, as BitRowSampler", () => {
    const p = resolveParams({ d: 100, batch: 50, seed: 3, lambda: 0.5, labelNoise: 0.2 });
    const simd = new SimdRowSampler(p);
    const bits = new BitRowSampler(p);
    const mine = rows(p.batch, p.d);
    const theirs = rows(p.batch, p.d);
    mine.bits.fill(-1);
    theirs.bits.fill(-1);
    simd.drawTrainRows(9, 17, 34, mine);
    bits.drawTrainRows(9, 17, 34, theirs);
    expectSameRows(mine, theirs);
    expect(mine.bits[16 * 4]).toBe(-1); // row 16 (4 words a row) is not mine
  });

  it("draws a finite training set's batches (an epoch's permutation) as BitRowSampler", () => {
    const p = resolveParams({ d: 40, batch: 16, trainSize: 40, seed: 8 });
    const simd = new SimdRowSampler(p);
    const bits = new BitRowSampler(p);
    for (const batchIndex of [0, 2, 3, 7]) {
      const mine = rows(p.batch, p.d);
      const theirs = rows(p.batch, p.d);
      simd.drawTrainRows(batchIndex, 0, p.batch, mine);
      bits.drawTrainRows(batchIndex, 0, p.batch, theirs);
      expectSameRows(mine, theirs);
    }
  });
});
