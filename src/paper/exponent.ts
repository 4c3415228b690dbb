// Claim 3's fitted exponent: the samples to learn XOR alone grow like d^b — the scaling exponent of
// the signal step in d over the λ = 0 runs (analysis/scalingExponents.ts: the coefficient of log(d)
// in a Weibull accelerated-failure-time model, censored at the horizon, with its Wald CI), with the
// local exponents between neighbouring d. With one batch size the exponent of samples = step × batch
// is that of the step.
import { scalingExponent, type LocalExponent } from "../analysis/scalingExponents.js";
import type { RunRecord } from "../store/runRecord.js";
import type { ExponentFit } from "../render/figures/paperFigures.js";

/** The exponent of d, its local exponents, the ds and the R call that refits it; see ExponentFit. */
export type SampleExponent = ExponentFit & { ds: number[]; local: LocalExponent[]; formula: string };

/** The fit over the λ = 0 runs of each d (null with fewer than two d, or when it cannot be fitted). */
export function fitSampleExponent(records: readonly RunRecord[], event = "signal"): SampleExponent | null {
  const fit = scalingExponent(records, { key: "d", event, where: { lambda: 0 } });
  if (fit.exponent === null || fit.medianIntercept === null) return null;
  return { slope: fit.exponent.estimate, intercept: fit.medianIntercept, lo: fit.exponent.lo, hi: fit.exponent.hi, ds: fit.values, local: fit.local, formula: fit.formula };
}
