// The metrics of the two companion results (docs/model.md, "Companion metrics"): label noise and
// random-feature amplification, max margin and simplicity bias. They need the whole network and the
// training set at once, so they are computed after a run from the weights kept at each stored step
// (pool/engine.ts), in float64, never in the step loop; a run computes them only with
// `companionMetrics: true`.
import { trainSetSize, type ModelParams } from "../config/modelKeys.js";
import type { CompanionValues } from "./metricNames.js";
import { maxMarginClassifier } from "./maxMargin.js";
import { drawTestSample, drawTrainPoint, type SampleTarget } from "./sampler.js";
import { activationSlope, type Weights } from "./step.js";

/** A unit counts as aligned with the XOR coordinates when w_j0² + w_j1² > UNIT_ALIGNED_SHARE · ‖w_j‖². */
const UNIT_ALIGNED_SHARE = 0.5;

/**
 * P(w0² + w1² > τ‖w‖²) for w ~ N(0, σ² I_d): the share of aligned units expected of random features.
 * (w0² + w1²)/‖w‖² ~ Beta(1, (d − 2)/2), whose survival function is (1 − τ)^((d−2)/2).
 * @example unitsAlignedAtRandom(64) // 0.5^31 ≈ 4.66e-10
 */
export function unitsAlignedAtRandom(d: number, share = UNIT_ALIGNED_SHARE): number {
  return Math.pow(1 - share, (d - 2) / 2);
}

/** Rows of ±1 inputs with their labels, as float64 for the fits. */
interface Points {
  x: Float64Array;
  y: Float64Array;
  n: number;
}

function drawPoints(p: ModelParams, n: number, draw: (target: SampleTarget, i: number) => void): Points & { s: Float32Array } {
  const target = { x: new Float32Array(n * p.d), y: new Float32Array(n), s: new Float32Array(n) };
  for (let i = 0; i < n; i++) draw(target, i);
  return { x: Float64Array.from(target.x), y: Float64Array.from(target.y), s: target.s, n };
}

/** f(x_i) = Σ_j a_j σ(w_j·x_i + b_j) for every row, into `out`. */
function networkOutputs(net: Weights, width: number, d: number, slope: number, points: Points, out: Float64Array): void {
  const { W, A, B } = net;
  for (let i = 0; i < points.n; i++) {
    const off = i * d;
    let f = 0;
    for (let j = 0; j < width; j++) {
      const wOff = j * d;
      let z = B[j];
      for (let k = 0; k < d; k++) z += W[wOff + k] * points.x[off + k];
      f += A[j] * (z > 0 ? z : slope * z);
    }
    out[i] = f;
  }
}

/** Lower-triangular Cholesky factor of the symmetric matrix M (n × n, row-major), or null if not positive definite. */
function cholesky(M: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = M[i * n + j];
      for (let k = 0; k < j; k++) sum -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(sum > 1e-12 * Math.abs(M[i * n + i]))) return null;
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / L[j * n + j];
      }
    }
  }
  return L;
}

/** Solves L Lᵀ β = b for β (L from `cholesky`). */
function choleskySolve(L: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * n + k] * z[k];
    z[i] = sum / L[i * n + i];
  }
  const beta = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= L[k * n + i] * beta[k];
    beta[i] = sum / L[i * n + i];
  }
  return beta;
}

/** Share of ‖v‖² on the spurious coordinate 2; null for v = 0. */
function shortcutShare(v: ArrayLike<number>): number | null {
  let norm = 0;
  for (let k = 0; k < v.length; k++) norm += v[k] * v[k];
  return norm > 0 ? (v[2] * v[2]) / norm : null;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : null;
}

/**
 * The companion metrics of one run: the training set (with its clean labels), the test set, the
 * least-squares factor of the test design and the max-margin classifier are built once; `evaluate`
 * then reads one set of weights.
 */
export class CompanionEvaluator {
  private readonly train: (Points & { clean: Float64Array }) | null;
  private readonly test: Points;
  private readonly trainF: Float64Array;
  private readonly testF: Float64Array;
  /** Cholesky factor of [1 X]ᵀ[1 X] over the test set; null when it is singular. */
  private readonly gramFactor: Float64Array | null;
  private readonly svm: Float64Array | null;
  private readonly slope: number;

  constructor(private readonly p: ModelParams) {
    const d = p.d;
    this.slope = activationSlope(p);
    const nTrain = trainSetSize(p);
    if (nTrain === null) {
      this.train = null;
    } else {
      const points = drawPoints(p, nTrain, (t, i) => drawTrainPoint(p, i, t, i));
      const clean = new Float64Array(nTrain);
      // y = x0·x1 before label noise; a mirrored point (−x, −y) has the same x0·x1 and label −y
      for (let i = 0; i < nTrain; i++) clean[i] = (i < (p.trainSize as number) ? 1 : -1) * points.x[i * d] * points.x[i * d + 1];
      this.train = { ...points, clean };
    }
    this.test = drawPoints(p, 4 * p.testPerGroup, (t, i) => drawTestSample(p, i, t, i));
    this.trainF = new Float64Array(this.train?.n ?? 0);
    this.testF = new Float64Array(this.test.n);
    this.gramFactor = this.test.n > d + 1 ? cholesky(this.testGram(), d + 1) : null;
    const svm = this.train === null ? null : maxMarginClassifier(this.train.x, this.train.y, d);
    this.svm = svm !== null && svm.separable ? svm.u : null;
  }

  /** [1 X]ᵀ[1 X] of the test set: (d + 1) × (d + 1), the intercept first. */
  private testGram(): Float64Array {
    const d = this.p.d;
    const m = d + 1;
    const G = new Float64Array(m * m);
    const row = new Float64Array(m);
    row[0] = 1;
    for (let i = 0; i < this.test.n; i++) {
      for (let k = 0; k < d; k++) row[k + 1] = this.test.x[i * d + k];
      for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) G[a * m + b] += row[a] * row[b];
    }
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) G[a * m + b] = G[b * m + a];
    return G;
  }

  /** R² of the least-squares affine fit c + β·x of f over the test set (1 when f is itself affine). */
  private linearity(): number | null {
    const L = this.gramFactor;
    if (L === null) return null;
    const { d } = this.p;
    const f = this.testF;
    const n = this.test.n;
    const b = new Float64Array(d + 1);
    let mean = 0;
    let ff = 0;
    for (let i = 0; i < n; i++) {
      b[0] += f[i];
      for (let k = 0; k < d; k++) b[k + 1] += this.test.x[i * d + k] * f[i];
      mean += f[i];
      ff += f[i] * f[i];
    }
    mean /= n;
    const total = ff - n * mean * mean; // Σ (f − f̄)²
    const beta = choleskySolve(L, d + 1, b);
    let explained = 0;
    for (let k = 0; k <= d; k++) explained += beta[k] * b[k];
    const residual = Math.max(0, ff - explained); // RSS = fᵀf − βᵀXᵀf at the least-squares β
    if (total <= 1e-12 * Math.max(ff, 1e-300)) return 1; // f constant: exactly affine
    return Math.min(1, Math.max(0, 1 - residual / total));
  }

  /** The companion metrics of the network `net` (all neurons). */
  evaluate(net: Weights): CompanionValues {
    const p = this.p;
    const { d, width } = p;
    networkOutputs(net, width, d, this.slope, this.test, this.testF);
    // σ(z) = ((1+α)/2) z + ((1−α)/2)|z|: the linear part of f is v = ((1+α)/2) Σ_j a_j w_j
    const v = new Float64Array(d);
    let thetaSq = 0;
    let aligned = 0;
    for (let j = 0; j < width; j++) {
      let normSq = 0;
      for (let k = 0; k < d; k++) {
        const w = net.W[j * d + k];
        v[k] += ((1 + this.slope) / 2) * net.A[j] * w;
        normSq += w * w;
      }
      const xorSq = net.W[j * d] * net.W[j * d] + net.W[j * d + 1] * net.W[j * d + 1];
      if (xorSq > UNIT_ALIGNED_SHARE * normSq) aligned++;
      thetaSq += normSq + net.A[j] * net.A[j] + net.B[j] * net.B[j];
    }
    const out: CompanionValues = {
      trainAcc: null,
      trainAccClean: null,
      noiseFit: null,
      normalizedMargin: null,
      linearity: this.linearity(),
      cosMaxMargin: this.svm === null ? null : cosine(v, this.svm),
      unitsAligned: aligned / width,
      shortcutShareNet: shortcutShare(v),
      shortcutShareSvm: this.svm === null ? null : shortcutShare(this.svm),
    };
    const train = this.train;
    if (train === null) return out;
    networkOutputs(net, width, d, this.slope, train, this.trainF);
    let correct = 0;
    let correctClean = 0;
    let flipped = 0;
    let flippedFit = 0;
    let minMargin = Infinity;
    for (let i = 0; i < train.n; i++) {
      const margin = train.y[i] * this.trainF[i];
      if (margin > 0) correct++;
      if (train.clean[i] * this.trainF[i] > 0) correctClean++;
      if (train.y[i] !== train.clean[i]) {
        flipped++;
        if (margin > 0) flippedFit++;
      }
      minMargin = Math.min(minMargin, margin);
    }
    out.trainAcc = correct / train.n;
    out.trainAccClean = correctClean / train.n;
    out.noiseFit = flipped > 0 ? flippedFit / flipped : null;
    out.normalizedMargin = thetaSq > 0 ? minMargin / thetaSq : null;
    return out;
  }
}
