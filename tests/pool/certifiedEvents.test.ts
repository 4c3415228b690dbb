// eventSearch "exact" (pool/certifiedEvents.ts): every event at the step that evaluating every step
// finds, excursions between evaluations included, whatever evalEvery is; independent of the shard
// count and the kernel's thread layout; the run itself (trajectory, weights) untouched.
import { afterAll, describe, expect, it } from "vitest";
import { resolveParams, type ModelParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS, type EventSpec } from "../../src/kernel/events.js";
import { Engine, type RunJob } from "../../src/pool/engine.js";
import { KERNELS } from "../../src/kernel/registry.js";
import type { RunRecord } from "../../src/store/runRecord.js";

// every kind of metric an event can watch: accuracies, margins, coefficients, weights, the loss
const events: Record<string, EventSpec> = {
  ...DEFAULT_EVENTS,
  minorityMargin: { metric: "marginMinority", op: ">=", value: 0.5 },
  coefDown: { metric: "coefSpurious", op: "<", value: 0.05 },
  massUp: { metric: "massSpurious", op: ">=", value: 3 },
  // massNoise: the one weight metric whose block stats the steps between evaluations skip unless an event watches it
  noiseUp: { metric: "massNoise", op: ">=", value: 1.3 },
  lossDown: { metric: "trainLoss", op: "<=", value: 0.3 },
};

const engines: Engine[] = [];
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});
const engine = new Engine(3);
engines.push(engine);

const key = (r: RunRecord): string => `${r.params.lambda}/${r.seed}`;
async function runAll(jobs: RunJob[], over: Partial<ModelParams>, extra: object = {}, watched = events): Promise<Map<string, RunRecord>> {
  const out = new Map<string, RunRecord>();
  const changed = jobs.map((job) => ({ ...job, params: { ...job.params, ...over } }));
  await engine.runMany(changed, { events: watched, shards: 1, ...extra, onRunDone: (r) => void out.set(key(r), r) });
  return out;
}
function study(base: Partial<ModelParams>, lambdas: number[], seeds: number[]): RunJob[] {
  return lambdas.flatMap((lambda) => seeds.map((seed) => ({ params: resolveParams({ ...base, lambda, seed }), condition: { lambda } })));
}
function expectSameEvents(a: Map<string, RunRecord>, b: Map<string, RunRecord>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, r] of a) expect({ run: k, events: r.events }).toEqual({ run: k, events: b.get(k)!.events });
}

describe("exact event search", () => {
  // the plain kernels are slow: one seed each (the simd kernel, the default, four)
  const smallStudy = (kernel: string): RunJob[] =>
    study({ d: 24, width: 32, batch: 64, steps: 200, testPerGroup: 128 }, [0, 0.5, 1], kernel === "simd" ? [0, 1, 2, 3] : [0]);

  it.each(KERNELS)("finds every event where evalEvery 1 does, at evalEvery 10 and 50 (%s kernel)", async (kernel) => {
    const small = smallStudy(kernel);
    const everyStep = await runAll(small, { evalEvery: 1 }, { kernel });
    const reached = [...everyStep.values()].reduce((n, r) => n + Object.values(r.events).filter((s) => s !== null).length, 0);
    expect(reached).toBeGreaterThan(small.length * 2); // not vacuous
    for (const evalEvery of [10, 50]) expectSameEvents(await runAll(small, { evalEvery, eventSearch: "exact" }, { kernel }), everyStep);
  });

  it("decides the same steps on any number of shards, and leaves the run as it was", async () => {
    const params = resolveParams({ d: 20, width: 50, batch: 17, steps: 80, evalEvery: 20, testPerGroup: 32, lambda: 0.5, seed: 4, eventSearch: "exact" });
    const runs = [];
    for (const shards of [1, 2, 3]) runs.push(await engine.runOne({ params, condition: {} }, { events, shards }));
    const bracket = await engine.runOne({ params: { ...params, eventSearch: "bracket" }, condition: {} }, { events, shards: 1 });
    for (const run of runs) {
      expect(run.record.events).toEqual(runs[0].record.events);
      expect(run.record.engine.exactRefreshes).toBe(runs[0].record.engine.exactRefreshes);
      expect(run.record.trajectory).toEqual(bracket.record.trajectory);
      expect(Array.from(run.weights.W)).toEqual(Array.from(bracket.weights.W));
    }
  });

  // λ = 0.5 at d = 128 has excursions: metrics that cross their threshold and come back between
  // two evaluations, which the bracket search misses
  const excursions = study({ steps: 60 }, [0.5], [0, 4]);
  it("finds the excursions of λ = 0.5 at d = 128 that the bracket search misses, at evalEvery 25 and 400", async () => {
    const everyStep = await runAll(excursions, { evalEvery: 1 }, {}, DEFAULT_EVENTS);
    const bracket = await runAll(excursions, { evalEvery: 25, eventSearch: "bracket" }, {}, DEFAULT_EVENTS);
    expect([...bracket].some(([k, r]) => JSON.stringify(r.events) !== JSON.stringify(everyStep.get(k)!.events))).toBe(true);
    for (const evalEvery of [25, 400]) expectSameEvents(await runAll(excursions, { evalEvery, eventSearch: "exact" }, {}, DEFAULT_EVENTS), everyStep);
  });

  it.runIf(process.env.SB_SLOW === "1")("on the 24-run study (λ ∈ {0, 0.5, 1}, 8 seeds, d = 128, 300 steps), at evalEvery 25 and 400", async () => {
    const full = study({ steps: 300 }, [0, 0.5, 1], [0, 1, 2, 3, 4, 5, 6, 7]);
    const everyStep = await runAll(full, { evalEvery: 1 }, {}, DEFAULT_EVENTS);
    for (const evalEvery of [25, 400]) expectSameEvents(await runAll(full, { evalEvery, eventSearch: "exact" }, {}, DEFAULT_EVENTS), everyStep);
  }, 600_000);
});
