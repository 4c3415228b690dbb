// Run records for store tests: plausible, and different for every (λ, seed).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveParams } from "../../src/config/modelKeys.js";
import { SCALAR_METRICS, type Metrics } from "../../src/kernel/metricNames.js";
import type { RunRecord } from "../../src/store/runRecord.js";

/** The study fakeRecord's runs belong to: its base params and events (the default ones). */
export const fakeStudy = {
  base: { width: 128, steps: 50, evalEvery: 25 } as Record<string, unknown>,
  events: { spurious: { metric: "spuriousGap" as const, op: ">=" as const, value: 0.5 }, signal: { metric: "wga" as const, op: ">=" as const, value: 0.9 } },
};

/** A plausible finished run whose numbers depend on its condition and seed. */
export function fakeRecord(lambda: number, seed: number, wallMs = 100 + seed): RunRecord {
  const metrics = (step: number): Metrics => {
    const m = Object.fromEntries(SCALAR_METRICS.map((name, i) => [name, i + lambda + seed / 100 + step / 1000])) as unknown as Metrics;
    m.acc = [1, 1, 1 - lambda, 1 - lambda / 2];
    return m;
  };
  return {
    condition: { lambda },
    params: resolveParams({ ...fakeStudy.base, lambda, seed }),
    seed,
    events: { spurious: 25, signal: lambda === 1 ? null : 50 },
    rates: { spuriousRate: 0.13 + seed / 1000, signalRate: 0.03 },
    final: metrics(50),
    trajectory: [0, 25, 50].map((step) => ({ step, ...metrics(step) })),
    diverged: null,
    wallMs,
    engine: { threads: 2, shards: 1, kernel: "bits", version: "0.1.0" },
  };
}

export const line = (r: RunRecord): string => JSON.stringify(r) + "\n";

/** Every file of a directory with its contents, to show that nothing was written. */
export function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}
