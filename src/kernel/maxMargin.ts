// The hard-margin linear SVM through the origin of a training set: the max-margin linear classifier
// that gradient descent on a homogeneous network is compared with (docs/model.md, cosMaxMargin).
//
//   u* = argmin ½‖u‖²  subject to  y_i u·x_i ≥ 1 for every i,
//
// solved in the dual, max Σα_i − ½‖Σ α_i y_i x_i‖² over α ≥ 0, by coordinate ascent (Hsieh et al.,
// "A dual coordinate descent method for large-scale linear SVM", ICML 2008, with C = ∞): each step
// maximises the dual exactly in one α_i and keeps u = Σ α_i y_i x_i up to date. The dual is concave
// and each step exact, so the iterates converge to u*; the sweep stops when the KKT conditions hold
// to `tolerance` (every margin ≥ 1 − tol, every support point's margin ≤ 1 + tol). Written here
// rather than taken from a package: it is twenty lines, and the SVM packages on npm are C++/wasm
// builds of libsvm with a bias term and a soft margin that this definition does not have.

/** The solution, or why there is none. */
export type MaxMarginResult =
  | { separable: true; u: Float64Array; margin: number; sweeps: number }
  | { separable: false; reason: string };

/**
 * The max-margin direction of rows `x` (n × d, row-major) with labels `y` (±1).
 * @example
 * // two points on either side of the origin along x0: u* = (1, 0), margin 1/‖u*‖ = 1
 * maxMarginClassifier(new Float64Array([1, 0, -1, 0]), new Float64Array([1, -1]), 2)
 * // → { separable: true, u: [1, 0], margin: 1, sweeps: 2 }
 */
export function maxMarginClassifier(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  options: { tolerance?: number; maxSweeps?: number } = {},
): MaxMarginResult {
  const tolerance = options.tolerance ?? 1e-7;
  const maxSweeps = options.maxSweeps ?? 5_000;
  const n = y.length;
  if (n === 0) return { separable: false, reason: "no training points" };
  const alpha = new Float64Array(n);
  const u = new Float64Array(d);
  const normSq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k] * x[i * d + k];
    if (s === 0) return { separable: false, reason: `training point ${i} is the origin` };
    normSq[i] = s;
  }
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    let violation = 0;
    for (let i = 0; i < n; i++) {
      const off = i * d;
      let margin = 0;
      for (let k = 0; k < d; k++) margin += u[k] * x[off + k];
      margin *= y[i];
      // KKT: margin ≥ 1, and margin = 1 where α_i > 0
      violation = Math.max(violation, alpha[i] > 0 ? Math.abs(margin - 1) : Math.max(0, 1 - margin));
      const next = Math.max(0, alpha[i] + (1 - margin) / normSq[i]);
      const delta = (next - alpha[i]) * y[i];
      if (delta !== 0) for (let k = 0; k < d; k++) u[k] += delta * x[off + k];
      alpha[i] = next;
    }
    if (violation <= tolerance) {
      let norm = 0;
      for (let k = 0; k < d; k++) norm += u[k] * u[k];
      return { separable: true, u, margin: 1 / Math.sqrt(norm), sweeps: sweep };
    }
    // Non-separable data: the dual is unbounded, so the α (and ‖u‖) grow without end.
    let total = 0;
    for (let i = 0; i < n; i++) total += alpha[i];
    if (!Number.isFinite(total) || total > 1e12) return { separable: false, reason: "not linearly separable through the origin" };
  }
  return { separable: false, reason: `no max-margin solution to ${tolerance} after ${maxSweeps} sweeps (not separable, or a margin too small to resolve)` };
}
