// Claim 3 at scale (paper/exponent.ts analyzeScaling, on the one scaling-exponent model of
// analysis/scalingExponents.ts) on made-up runs whose samples follow a known law: the exponents, the
// local exponents and the best d·(ln d)^k are recovered; a d with a diverged run, or where no run
// reached the event, is shown but left out of the fits; the fits are scalingExponent's own.
import { describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/modelKeys.js";
import { polylogComparison, scalingExponent } from "../../src/analysis/scalingExponents.js";
import { analyzeScaling } from "../../src/paper/exponent.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { rBatch } from "../support/rReference.js";

/** Runs whose signal step × batch is `samples(d)` up to a small per-seed jitter. */
function runs(ds: readonly number[], samples: (d: number) => number, opts: { lambda?: number; divergedAt?: number; neverAt?: number } = {}): RunRecord[] {
  return ds.flatMap((d) =>
    [0, 1, 2, 3, 4, 5].map((seed) => {
      const batch = d / 8;
      const step = Math.round((samples(d) / batch) * (1 + (seed - 2.5) * 0.01));
      const diverged = d === opts.divergedAt && seed === 0 ? 10 : null;
      const reached = diverged === null && d !== opts.neverAt;
      return {
        condition: { d, lambda: opts.lambda ?? 0 },
        params: resolveParams({ d, batch, steps: 100 * step, seed }),
        seed,
        events: { signal: reached ? step : null },
        diverged,
      } as unknown as RunRecord;
    }),
  );
}

const ds = [64, 128, 256, 512, 1024, 2048, 4096];

describe("analyzeScaling", () => {
  it("recovers samples ∝ d·ln d: exponent, local exponents and the most likely polylog power", () => {
    const a = analyzeScaling(runs(ds, (d) => 50 * d * Math.log(d)), 0);
    expect(a.fitted).toEqual(ds);
    const local = (from: number, to: number) => Math.log((to * Math.log(to)) / (from * Math.log(from))) / Math.log(to / from);
    a.whole!.local.forEach((l, i) => {
      expect([l.from, l.to]).toEqual([ds[i], ds[i + 1]]);
      expect(l.estimate).toBeCloseTo(local(ds[i], ds[i + 1]), 1);
      expect(l.lo).toBeLessThan(l.estimate);
      expect(l.hi).toBeGreaterThan(l.estimate);
    });
    expect(a.whole!.exponent!.estimate).toBeGreaterThan(1.1);
    expect(a.whole!.exponent!.estimate).toBeLessThan(1.3);
    expect(a.upperHalf!.values).toEqual([512, 1024, 2048, 4096]);
    expect(a.upperHalf!.exponent!.estimate).toBeLessThan(a.whole!.exponent!.estimate); // d·ln d flattens towards 1 on a log-log plot
    const { fits, free } = a.polylog!;
    const best = fits.reduce((b, f) => (f.logLik > b.logLik ? f : b));
    expect(best.k).toBe(1);
    expect(Math.exp(best.logC) / 50).toBeCloseTo(1, 1);
    expect(best.aic).toBeLessThan(free!.aic); // the right law beats the free power, one parameter fewer
  });

  it("is scalingExponent's model: samples of the λ runs over the d fitted, with its R formula", () => {
    const records = runs(ds, (d) => 20 * d ** 1.5);
    const a = analyzeScaling(records, 0);
    const direct = scalingExponent(records, { key: "d", event: "signal", response: "samples", where: { lambda: 0 }, values: ds });
    expect(a.whole).toEqual(direct);
    expect(a.whole!.formula).toBe('survreg(Surv(step * d / 8, reached) ~ log(d), data = subset(events, event == "signal" & lambda == 0 & d %in% c(64, 128, 256, 512, 1024, 2048, 4096)), dist = "weibull")');
    expect(a.polylog).toEqual(polylogComparison(records, { key: "d", event: "signal", response: "samples", where: { lambda: 0 }, values: ds }));
  });

  it("shows a d where a run diverged, or none reached the event, but fits without it, and ignores the other λ", () => {
    const records = [...runs(ds, (d) => 20 * d ** 1.5, { divergedAt: 2048, neverAt: 64 }), ...runs(ds, () => 1e9, { lambda: 1 })];
    const a = analyzeScaling(records, 0);
    expect(a.points.find((p) => p.d === 2048)).toMatchObject({ diverged: 1, runs: 6 });
    expect(a.points.find((p) => p.d === 64)).toMatchObject({ reached: 0, samples: null });
    expect(a.fitted).toEqual([128, 256, 512, 1024, 4096]);
    expect(a.whole!.exponent!.estimate).toBeCloseTo(1.5, 1);
    expect(a.whole!.local.map((l) => [l.from, l.to]).at(-1)).toEqual([1024, 4096]);
    const maximal = analyzeScaling(records, 1);
    expect(maximal.points.every((p) => p.samples !== null && p.reached === 6)).toBe(true);
  });
});

// A power law with seed noise and censoring (the slowest seed at d = 256 runs out of steps), as R
// sees it: samples = step × d/8, reached 0/1.
const noise = [0.7, 0.85, 0.95, 1.05, 1.15, 1.5];
const CENSORED: RunRecord[] = [32, 64, 128, 256].flatMap((d) =>
  noise.map((f, seed) => {
    const step = Math.round(((10 * d ** 1.4) / (d / 8)) * f);
    const steps = d === 256 ? Math.round(step / f / 0.75) : 10 * step;
    return { condition: { d, lambda: 0 }, params: resolveParams({ d, batch: d / 8, steps, seed }), seed, events: { signal: step <= steps ? step : null }, diverged: null } as unknown as RunRecord;
  }),
);
const CSV = ["d,samples,reached", ...CENSORED.map((r) => `${r.params.d},${(r.events.signal ?? r.params.steps) * r.params.batch},${r.events.signal === null ? 0 : 1}`)].join("\n") + "\n";
const R_CODE = [
  '  fit <- survreg(Surv(samples, reached) ~ log(d), data = data, dist = "weibull")',
  '  put("free", c(coef(fit)[2], logLik(fit), exp(coef(fit)[1] + fit$scale * log(log(2)))))',
  "  for (k in 0:2) {",
  '    fk <- survreg(Surv(samples, reached) ~ 1 + offset(log(d) + k * log(log(d))), data = data, dist = "weibull")',
  '    put(paste0("k", k), c(logLik(fk), exp(coef(fk)[1] + fk$scale * log(log(2))), AIC(fk)))',
  "  }",
].join("\n");
const live = rBatch({ censored: { csv: CSV, code: R_CODE } });
/** survreg on CSV (R 4, survival 3): per law, [logLik, C, AIC]; free: [b, logLik, C]. */
const SURVREG: Record<string, number[]> = {
  free: [1.3933484, -199.12050, 10.703900],
  k0: [-210.50793, 64.442809, 425.01585],
  k1: [-202.32482, 14.244079, 408.64964],
  k2: [-199.66262, 3.2009700, 403.32524],
};

function expectAgrees(reference: Record<string, number[]>): void {
  const c = polylogComparison(CENSORED, { key: "d", event: "signal", response: "samples", where: { lambda: 0 } });
  const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-4);
  close(c.free!.exponent, reference.free[0]);
  close(c.free!.logLik, reference.free[1]);
  c.fits.forEach((f) => {
    const [logLik, C, aic] = reference[`k${f.k}`];
    close(f.logLik, logLik);
    close(Math.exp(f.logC), C);
    close(f.aic, aic);
  });
  const whole = scalingExponent(CENSORED, { key: "d", event: "signal", response: "samples", where: { lambda: 0 } });
  close(Math.exp(whole.medianIntercept!), reference.free[2]);
}

describe("polylogComparison: the laws d·(ln d)^k by their likelihood, as R's survreg with an offset", () => {
  it("has censored runs to compare", () => {
    expect(CENSORED.filter((r) => r.events.signal === null).length).toBeGreaterThan(0);
  });
  it("agrees with frozen survreg values to 1e-4 relative", () => expectAgrees(SURVREG));
  it.skipIf(live === null)("agrees with Rscript's survreg on the same data", () => expectAgrees(live!.censored));
});
