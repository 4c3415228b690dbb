import { expectGradientsMatchFiniteDifferences, kernelStep, network, referencePartials, target } from "../support/gradientCheck.js";
import { describe, expect, it } from "vitest";
import { resolveParams, type ModelParams } from "../../src/config/modelKeys.js";
import { blockStats, BLOCK_STATS, testMetrics, logSlope } from "../../src/kernel/metrics.js";
import type { Metrics } from "../../src/kernel/metricNames.js";
import { drawSample, drawTestSample, drawTestSampleBits, drawTrainRow, drawTrainRowBits } from "../../src/kernel/sampler.js";
import { reduceOutputs } from "../../src/kernel/step.js";
import { initNeurons } from "../../src/kernel/init.js";
import { Stream } from "../../src/kernel/prng.js";
import { packRows, wordsPerRow } from "../../src/kernel/bits/bitKernel.js";

describe("sampler", () => {
  it("draws the spurious-XOR distribution: y = x0·x1, P(s = y) = (1 + λ)/2, label noise, scale", () => {
    const d = 70; // crosses a 64-bit word boundary
    const n = 20_000;
    const t = target(1, d);
    let agree = 0, flipped = 0, noiseSum = 0, badValues = 0;
    for (let i = 0; i < n; i++) {
      drawSample(3, Stream.trainBatch, i, d, 0.5, 2.5, 0.1, t, 0);
      const y = t.x[0] * t.x[1];
      if (Math.abs(t.x[2]) !== 2.5 || t.s[0] !== t.x[2] / 2.5) badValues++;
      if (t.s[0] === y) agree++;
      if (t.y[0] !== y) flipped++;
      for (let k = 3; k < d; k++) if (Math.abs(t.x[k]) !== 1) badValues++;
      noiseSum += t.x[69];
    }
    expect(badValues).toBe(0);
    expect(agree / n).toBeCloseTo(0.75, 1.5); // (1 + 0.5) / 2
    expect(flipped / n).toBeCloseTo(0.1, 1.5);
    expect(Math.abs(noiseSum / n)).toBeLessThan(0.03);
  });

  it("builds a group-balanced test set in the order (+1,+1), (−1,−1), (+1,−1), (−1,+1)", () => {
    const p = resolveParams({ d: 8, testPerGroup: 50, spuriousScale: 3 });
    const t = target(200, 8);
    for (let i = 0; i < 200; i++) drawTestSample(p, i, t, i);
    const expected = [[1, 1], [-1, -1], [1, -1], [-1, 1]];
    for (let i = 0; i < 200; i++) {
      const [y, s] = expected[Math.floor(i / 50)];
      expect(t.y[i]).toBe(y);
      expect(t.s[i]).toBe(s);
      expect(t.x[i * 8] * t.x[i * 8 + 1]).toBe(y);
      expect(t.x[i * 8 + 2]).toBe(3 * s);
    }
  });

  it("the four groups' sample k share x0 and the noise and differ only in x1 and x2 (common noise)", () => {
    const d = 70;
    const p = resolveParams({ d, testPerGroup: 40, seed: 5, spuriousScale: 2 });
    const n = p.testPerGroup;
    const t = target(4 * n, d);
    for (let i = 0; i < 4 * n; i++) drawTestSample(p, i, t, i);
    const bits = new Int32Array(4 * n * 3);
    for (let i = 0; i < 4 * n; i++) drawTestSampleBits(p, i, bits, new Float32Array(4 * n), new Float32Array(4 * n), i);
    let noiseDiffers = 0;
    for (let k = 0; k < n; k++) {
      for (let g = 1; g < 4; g++) {
        const r = g * n + k;
        expect(t.x[r * d]).toBe(t.x[k * d]); // x0
        for (let c = 3; c < d; c++) expect(t.x[r * d + c]).toBe(t.x[k * d + c]);
        // the bits agree outside coordinates 1 and 2
        for (let w = 0; w < 3; w++) expect(bits[r * 3 + w] & (w === 0 ? ~6 : -1)).toBe(bits[k * 3 + w] & (w === 0 ? ~6 : -1));
      }
      // the groups' x1 and x2 are what the group requires: y = x0·x1 and x2 = s·spuriousScale
      expect(t.x[(n + k) * d + 1]).toBe(-t.x[k * d + 1]);
      expect(t.x[(2 * n + k) * d + 2]).toBe(-2);
      if (k > 0 && t.x[k * d + 10] !== t.x[(k - 1) * d + 10]) noiseDiffers++;
    }
    expect(noiseDiffers).toBeGreaterThan(5); // the samples k themselves differ
  });

  it("a finite training set visits every sample once per epoch, reshuffled each epoch", () => {
    const p = resolveParams({ d: 6, trainSize: 10, batch: 4, seed: 9 });
    const perm = new Int32Array(10);
    let epoch = -1;
    const t = target(4, 6);
    const seen: string[] = [];
    for (let b = 0; b < 5; b++) {
      for (let r = 0; r < 4; r++) {
        epoch = drawTrainRow(p, b, r, t, perm, epoch);
        seen.push(Array.from(t.x.subarray(r * 6, r * 6 + 6)).join(","));
      }
    }
    const epoch0 = seen.slice(0, 10);
    const epoch1 = seen.slice(10, 20);
    expect(new Set(epoch0).size).toBe(new Set(epoch1).size);
    expect([...epoch0].sort()).toEqual([...epoch1].sort());
    expect(epoch0).not.toEqual(epoch1);
  });
});

describe("bit sampler", () => {
  it("writes exactly the bits of drawSample + packRows, with the same labels (train and test rows)", () => {
    let mismatches = 0;
    for (const d of [3, 31, 32, 33, 64, 65, 70, 128, 130]) {
      const words = wordsPerRow(d);
      for (const trainSize of [null, 7]) {
        const p = resolveParams({ d, seed: 5, batch: 6, lambda: 0.4, labelNoise: 0.2, spuriousScale: 2.5, testPerGroup: 3, trainSize });
        const floats = target(p.batch, d);
        const fromFloats = new Int32Array(p.batch * words);
        const direct = new Int32Array(p.batch * words);
        const y = new Float32Array(p.batch);
        const s = new Float32Array(p.batch);
        for (let batchIndex = 0; batchIndex < 3; batchIndex++) {
          for (let r = 0; r < p.batch; r++) {
            drawTrainRow(p, batchIndex, r, floats, new Int32Array(trainSize ?? 0), -1);
            drawTrainRowBits(p, batchIndex, r, direct, y, s, new Int32Array(trainSize ?? 0), -1);
          }
          packRows(floats.x, d, 0, p.batch, fromFloats);
          if (Array.from(direct).join() !== Array.from(fromFloats).join()) mismatches++;
          if (Array.from(y).join() !== Array.from(floats.y).join() || Array.from(s).join() !== Array.from(floats.s).join()) mismatches++;
        }
        const testRows = 12;
        const testFloats = target(testRows, d);
        const testDirect = new Int32Array(testRows * words);
        const ty = new Float32Array(testRows);
        const ts = new Float32Array(testRows);
        for (let i = 0; i < testRows; i++) {
          drawTestSample(p, i, testFloats, i);
          drawTestSampleBits(p, i, testDirect, ty, ts, i);
        }
        const testPacked = new Int32Array(testRows * words);
        packRows(testFloats.x, d, 0, testRows, testPacked);
        if (Array.from(testDirect).join() !== Array.from(testPacked).join()) mismatches++;
        if (Array.from(ty).join() !== Array.from(testFloats.y).join() || Array.from(ts).join() !== Array.from(testFloats.s).join()) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe("gradients against central finite differences", () => {
  const cases: Array<[string, Partial<ModelParams>]> = [
    ["ReLU", {}],
    ["leaky ReLU with bias", { activation: "leaky", leakySlope: 0.1, bias: true }],
    ["ReLU with bias, weight decay and spuriousScale 3", { bias: true, weightDecay: 0.05, spuriousScale: 3 }],
    ["ReLU, d and batch past a 32-bit word", { d: 37, batch: 45 }],
  ];
  for (const [name, extra] of cases) for (const kernel of ["f32", "bits"] as const) {
    it(`${name} (${kernel} kernel)`, () => {
      const p = resolveParams({ d: 7, width: 5, batch: 9, seed: 4, initW: 2, initA: 0.7, ...extra });
      expectGradientsMatchFiniteDifferences(p, (net, t, lr) => void kernelStep(kernel, p, net, t, lr));
    });
  }
});

describe("the ±1 kernel agrees with the plain kernel", () => {
  it("same outputs and (to rounding) the same updated weights after 5 steps", () => {
    const p = resolveParams({ d: 70, width: 40, batch: 33, seed: 8, spuriousScale: 1.7, activation: "leaky", bias: true });
    const nets = [network(p), network(p)];
    for (const net of nets) initNeurons(p, net, 0, p.width);
    const t = target(p.batch, p.d);
    for (let step = 0; step < 5; step++) {
      for (let r = 0; r < p.batch; r++) drawTrainRow(p, step, r, t, new Int32Array(0), -1);
      kernelStep("f32", p, nets[0], t, p.lr);
      kernelStep("bits", p, nets[1], t, p.lr);
    }
    let maxDiff = 0;
    for (let i = 0; i < nets[0].W.length; i++) maxDiff = Math.max(maxDiff, Math.abs(nets[0].W[i] - nets[1].W[i]));
    expect(maxDiff).toBeLessThan(1e-6);
    expect(Array.from(nets[1].A)).not.toEqual(Array.from(network(p).A)); // weights did move
  });

  it("symmetric init gives f ≡ 0 at step 0", () => {
    const p = resolveParams({ d: 9, width: 6, symmetricInit: true, seed: 2 });
    const net = network(p);
    initNeurons(p, net, 0, p.width);
    const t = target(50, 9);
    for (let i = 0; i < 50; i++) drawSample(1, Stream.trainBatch, i, 9, 1, 1, 0, t, i);
    const P = referencePartials(p, net, t, 50);
    // exact cancellation of each pair, up to f64 rounding of the running sum
    expect(Math.max(...Array.from(P, Math.abs))).toBeLessThan(1e-12);
    let withoutMirror = 0; // the first half alone is far from 0: the check above is not vacuous
    for (let j = 0; j < 3; j++) withoutMirror += Math.abs(net.A[j]);
    expect(withoutMirror).toBeGreaterThan(0.1);
    expect(Array.from(net.A.subarray(0, 3))).toEqual(Array.from(net.A.subarray(3, 6)).map((a) => -a));
  });
});

describe("metrics on a hand-built network", () => {
  it("f(x) = x2 through two opposite neurons gives the values computed by hand", () => {
    // neuron 0: w = (0,0,1,0.3,0.4), a = 1; neuron 1: w = (0,0,−1,0,0), a = −1.
    // f(x) = relu(x2 + 0.3x3 + 0.4x4) − relu(−x2); with scale 1 the noise terms cannot flip f's sign
    // when x2 = +1 (|0.3x3 + 0.4x4| ≤ 0.7 < 1), so sign f = s on every test point.
    const p = resolveParams({ d: 5, width: 2, testPerGroup: 100 });
    const net = network(p);
    net.W.set([0, 0, 1, 0.3, 0.4, 0, 0, -1, 0, 0]);
    net.A.set([1, -1]);
    const n = 400;
    const t = target(n, 5);
    for (let i = 0; i < n; i++) drawTestSample(p, i, t, i);
    const P = referencePartials(p, net, t, n);
    const F = new Float64Array(n);
    reduceOutputs(P, 1, n, t.y, F, null);
    const stats = new Float64Array(BLOCK_STATS);
    blockStats(net, 5, 0, 2, stats);
    const m = { acc: [] } as unknown as Metrics;
    testMetrics(F, t.y, t.s, 100, stats, 1, 2, m);

    // expected f on each point, by the formula above
    let coefSpurious = 0, coefSignal = 0;
    const marg = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const x = t.x.subarray(i * 5, i * 5 + 5);
      const f = Math.max(0, x[2] + Math.fround(0.3) * x[3] + Math.fround(0.4) * x[4]) - Math.max(0, -x[2]);
      coefSpurious += f * t.s[i];
      coefSignal += f * t.y[i];
      marg[Math.floor(i / 100)] += t.y[i] * f;
    }
    expect(m.acc).toEqual([1, 1, 0, 0]);
    expect(m.accMajority).toBe(1);
    expect(m.accMinority).toBe(0);
    expect(m.accAvg).toBe(0.5);
    expect(m.wga).toBe(0);
    expect(m.spuriousGap).toBe(1);
    expect(m.marginMajority).toBeCloseTo((marg[0] + marg[1]) / 200, 12);
    expect(m.marginMinority).toBeCloseTo((marg[2] + marg[3]) / 200, 12);
    expect(m.coefSpurious).toBeCloseTo(coefSpurious / n, 12);
    expect(m.coefSignal).toBeCloseTo(coefSignal / n, 12);
    // masses: |a|·|w2| summed = 1 + 1; signal weights are 0; noise rms of neuron 0 = √((0.09+0.16)/2)
    expect(m.massSpurious).toBe(2);
    expect(m.massSignal).toBe(0);
    expect(m.massNoise).toBeCloseTo(Math.sqrt(0.125), 6);
    expect(m.signAlign).toBe(1); // a·w2 = 1·1 > 0 and (−1)·(−1) > 0
  });

  it("rates are least-squares slopes of ln mass, null below 3 steps", () => {
    // ln mass = 0.5 + 0.13 t exactly → slope 0.13
    const ln = new Float64Array(20);
    for (let t = 0; t < 10; t++) { ln[2 * t] = 0.5 + 0.13 * t; ln[2 * t + 1] = 1 - 0.02 * t; }
    expect(logSlope(ln, 2, 0, 9)).toBeCloseTo(0.13, 12);
    expect(logSlope(ln, 2, 1, 9)).toBeCloseTo(-0.02, 12);
    // hand value: points (0,0), (1,1), (2,4): slope = Σ(t−1)(v−5/3)/Σ(t−1)² = (5/3 + 7/3)/2 = 2
    const sq = new Float64Array([0, 1, 4]);
    expect(logSlope(sq, 1, 0, 2)).toBeCloseTo(2, 12);
    expect(logSlope(sq, 1, 0, 1)).toBeNull();
  });
});
