// The companion results' model options (activation "linear", symmetrizeTrain) and metrics
// (kernel/companionMetrics.ts, kernel/maxMargin.ts) against hand-computed values and an independent
// NumPy/SciPy reference (skipped cleanly where python3 with NumPy and SciPy is absent).
import { describe, expect, it } from "vitest";
import { resolveParams, type ModelParams } from "../../src/config/modelKeys.js";
import { checkParamConsistency } from "../../src/config/validateParams.js";
import { CompanionEvaluator, unitsAlignedAtRandom } from "../../src/kernel/companionMetrics.js";
import { initNeurons } from "../../src/kernel/init.js";
import { maxMarginClassifier } from "../../src/kernel/maxMargin.js";
import { BitRowSampler, drawTestSample, drawTrainPoint, FloatRowSampler } from "../../src/kernel/sampler.js";
import { packRows, wordsPerRow } from "../../src/kernel/bits/bitKernel.js";
import { expectGradientsMatchFiniteDifferences, kernelStep, network, target } from "../support/gradientCheck.js";
import { scipyBatch } from "../support/scipyReference.js";
import { expectInputError } from "../support/expectInputError.js";

function points(p: ModelParams, n: number, draw: (t: ReturnType<typeof target>, i: number) => void): { x: number[][]; y: number[] } {
  const t = target(n, p.d);
  for (let i = 0; i < n; i++) draw(t, i);
  return { x: Array.from({ length: n }, (_, i) => Array.from(t.x.subarray(i * p.d, (i + 1) * p.d))), y: Array.from(t.y) };
}

describe('activation "linear"', () => {
  it("gradients against finite differences (f32 and bits kernels)", () => {
    for (const kernel of ["f32", "bits"] as const) {
      const p = resolveParams({ d: 7, width: 5, batch: 9, seed: 4, initW: 2, initA: 0.7, activation: "linear", bias: true });
      expectGradientsMatchFiniteDifferences(p, (net, t, lr) => void kernelStep(kernel, p, net, t, lr));
    }
  });

  it("the network is the linear function (Σ_j a_j w_j)·x + Σ_j a_j b_j", () => {
    const p = resolveParams({ d: 6, width: 4, activation: "linear", testPerGroup: 8, seed: 3 });
    const net = network(p);
    initNeurons(p, net, 0, p.width);
    const values = new CompanionEvaluator(p).evaluate(net);
    expect(values.linearity).toBeCloseTo(1, 12); // f is affine: the least-squares fit is exact
  });
});

describe("symmetrizeTrain", () => {
  const p = resolveParams({ d: 40, trainSize: 6, batch: 12, symmetrizeTrain: true, lambda: 0.5, labelNoise: 0.3, seed: 9 });

  it("point n + i of the training set is (−x_i, −y_i), s negated too", () => {
    const t = target(12, p.d);
    for (let i = 0; i < 12; i++) drawTrainPoint(p, i, t, i);
    for (let i = 0; i < 6; i++) {
      expect(Array.from(t.x.subarray((6 + i) * p.d, (7 + i) * p.d))).toEqual(Array.from(t.x.subarray(i * p.d, (i + 1) * p.d), (v) => (v === 0 ? 0 : -v)));
      expect(t.y[6 + i]).toBe(-t.y[i]);
      expect(t.s[6 + i]).toBe(-t.s[i]);
    }
  });

  it("one epoch visits all 2n points once; the bit sampler writes the same rows", () => {
    const floats = target(p.batch, p.d);
    const bits = target(p.batch, p.d);
    new FloatRowSampler(p).drawTrainRows(0, 0, p.batch, floats);
    new BitRowSampler(p).drawTrainRows(0, 0, p.batch, bits);
    const packed = new Int32Array(p.batch * wordsPerRow(p.d));
    packRows(floats.x, p.d, 0, p.batch, packed);
    expect(Array.from(bits.bits)).toEqual(Array.from(packed));
    expect(Array.from(bits.y)).toEqual(Array.from(floats.y));
    const all = points(p, 12, (t, i) => drawTrainPoint(p, i, t, i));
    const seen = new Set(Array.from({ length: p.batch }, (_, r) => `${floats.x.subarray(r * p.d, (r + 1) * p.d).join()}|${floats.y[r]}`));
    expect(seen).toEqual(new Set(all.x.map((x, i) => `${x.join()}|${all.y[i]}`)));
  });

  it("is refused without trainSize, and batch is checked against 2·trainSize", () => {
    expectInputError(() => checkParamConsistency(resolveParams({ symmetrizeTrain: true }), "base"), /symmetrizeTrain needs a finite training set: set trainSize/);
    expect(() => checkParamConsistency(resolveParams({ trainSize: 32, batch: 64, symmetrizeTrain: true }), "base")).not.toThrow();
    expectInputError(() => checkParamConsistency(resolveParams({ trainSize: 32, batch: 65, symmetrizeTrain: true }), "base"), /batch \(65\) must not exceed 2·trainSize = 64 with symmetrizeTrain/);
  });
});

describe("companionMetrics limits", () => {
  it("refuses more evaluations than it keeps weights for, and a large d, naming the keys", () => {
    expectInputError(() => checkParamConsistency(resolveParams({ companionMetrics: true, steps: 2000, evalEvery: 1 }), "base"), /at most 400, got steps \/ evalEvery = 2000 \/ 1 \(raise evalEvery to at least 6\)/);
    expectInputError(() => checkParamConsistency(resolveParams({ companionMetrics: true, d: 2048 }), "base"), /companionMetrics needs d ≤ 1024/);
  });
});

describe("max-margin classifier (hard-margin linear SVM through the origin)", () => {
  it("hand-computed: (1, 0) ↦ +1, (−1, 0) ↦ −1, (0.5, 2) ↦ +1 gives u* = (1, 0.25)", () => {
    const result = maxMarginClassifier([1, 0, -1, 0, 0.5, 2], [1, -1, 1], 2);
    if (!result.separable) throw new Error(result.reason);
    // (0.5, 2)·u ≥ 1 with u = (1, 0) fails (0.5): u* = argmin ‖u‖² s.t. u0 ≥ 1, 0.5u0 + 2u1 ≥ 1 → (1, 0.25)
    expect(result.u[0]).toBeCloseTo(1, 6);
    expect(result.u[1]).toBeCloseTo(0.25, 6);
    expect(result.margin).toBeCloseTo(1 / Math.hypot(1, 0.25), 6);
  });

  it("says when the data are not separable", () => {
    const result = maxMarginClassifier([1, 0, 1, 0], [1, -1], 2);
    expect(result.separable).toBe(false);
  });

  it("unitsAligned of random features: (1 − τ)^((d−2)/2), the Beta(1, (d−2)/2) survival function", () => {
    expect(unitsAlignedAtRandom(4)).toBeCloseTo(0.5, 15);
    expect(unitsAlignedAtRandom(64)).toBeCloseTo(Math.pow(0.5, 31), 20);
  });
});

describe("companion metrics against an independent NumPy/SciPy reference", () => {
  // a noisy finite training set (train accuracy, clean accuracy, noise fit, margin) and a separable
  // symmetric one at λ = 1 (max-margin direction and the shortcut shares)
  const noisy = resolveParams({ d: 10, width: 6, trainSize: 30, batch: 30, labelNoise: 0.3, lambda: 0.5, testPerGroup: 16, activation: "leaky", leakySlope: 0.2, bias: true, seed: 5, initW: 1.5 });
  const symmetric = resolveParams({ d: 8, width: 8, trainSize: 12, batch: 24, symmetrizeTrain: true, lambda: 1, testPerGroup: 10, seed: 11 });
  const cases = [noisy, symmetric].map((p) => {
    const net = network(p);
    initNeurons(p, net, 0, p.width);
    if (p.bias) for (let j = 0; j < p.width; j++) net.B[j] = 0.1 * (j - 2);
    const nTrain = (p.trainSize as number) * (p.symmetrizeTrain ? 2 : 1);
    const train = points(p, nTrain, (t, i) => drawTrainPoint(p, i, t, i));
    const test = points(p, 4 * p.testPerGroup, (t, i) => drawTestSample(p, i, t, i));
    const values = new CompanionEvaluator(p).evaluate(net);
    const data = {
      W: Array.from({ length: p.width }, (_, j) => Array.from(net.W.subarray(j * p.d, (j + 1) * p.d))),
      a: Array.from(net.A),
      b: Array.from(net.B),
      slope: p.activation === "leaky" ? p.leakySlope : 0,
      train,
      test,
      n: p.trainSize,
    };
    return { p, values, data };
  });
  const reference = scipyBatch(
    Object.fromEntries(
      cases.map((c, k) => [
        `case${k}`,
        {
          data: c.data,
          code: [
            "from scipy.optimize import minimize",
            "W = np.array(data['W']); a = np.array(data['a']); b = np.array(data['b']); al = data['slope']",
            "act = lambda z: np.where(z > 0, z, al * z)",
            "f = lambda X: act(X @ W.T + b) @ a",
            "Xtr = np.array(data['train']['x']); ytr = np.array(data['train']['y']); n = data['n']",
            "clean = Xtr[:, 0] * Xtr[:, 1] * np.where(np.arange(len(ytr)) < n, 1, -1)",
            "ftr = f(Xtr); flipped = ytr != clean",
            "Xte = np.array(data['test']['x']); fte = f(Xte)",
            "D = np.hstack([np.ones((len(fte), 1)), Xte])",
            "beta = np.linalg.lstsq(D, fte, rcond=None)[0]",
            "r2 = 1 - np.sum((fte - D @ beta) ** 2) / np.sum((fte - fte.mean()) ** 2)",
            "v = (1 + al) / 2 * (a @ W)",
            "theta = np.sum(W ** 2) + np.sum(a ** 2) + np.sum(b ** 2)",
            "share = lambda u: u[2] ** 2 / np.sum(u ** 2)",
            "res = minimize(lambda u: 0.5 * u @ u, np.ones(Xtr.shape[1]), jac=lambda u: u, method='SLSQP',",
            "               constraints=[{'type': 'ineq', 'fun': lambda u: ytr * (Xtr @ u) - 1, 'jac': lambda u: ytr[:, None] * Xtr}],",
            "               options={'ftol': 1e-14, 'maxiter': 1000})",
            "separable = bool(res.success and np.min(ytr * (Xtr @ res.x)) > 1 - 1e-6)",
            "u = res.x",
            "out = {'trainAcc': float(np.mean(ytr * ftr > 0)), 'trainAccClean': float(np.mean(clean * ftr > 0)),",
            "       'noiseFit': float(np.mean(ytr[flipped] * ftr[flipped] > 0)) if flipped.any() else None,",
            "       'normalizedMargin': float(np.min(ytr * ftr) / theta), 'linearity': float(r2),",
            "       'unitsAligned': float(np.mean(W[:, 0] ** 2 + W[:, 1] ** 2 > 0.5 * np.sum(W ** 2, axis=1))),",
            "       'shortcutShareNet': float(share(v)),",
            "       'cosMaxMargin': float(v @ u / np.linalg.norm(v) / np.linalg.norm(u)) if separable else None,",
            "       'shortcutShareSvm': float(share(u)) if separable else None}",
          ].join("\n"),
        },
      ]),
    ),
  );

  it.skipIf(reference === null)("every metric agrees (the symmetric λ = 1 set is separable, the noisy one has flipped labels)", () => {
    cases.forEach((c, k) => {
      const ref = (reference as Record<string, Record<string, number | null>>)[`case${k}`];
      for (const [name, expected] of Object.entries(ref)) {
        const got = c.values[name as keyof typeof c.values];
        if (expected === null) expect(got, `${name} of case ${k}`).toBeNull();
        else expect(got, `${name} of case ${k}`).toBeCloseTo(expected, 5);
      }
    });
    expect(cases[1].values.cosMaxMargin).not.toBeNull(); // the reference did solve a max-margin problem
    expect(cases[0].values.noiseFit).not.toBeNull();
  });
});
