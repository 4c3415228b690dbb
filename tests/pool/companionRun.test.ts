// A run with `companionMetrics`: the metrics are computed from the weights kept at each stored point
// (pool/runResult.ts), so they are bitwise the same for any shard count, equal those of the run's
// own final weights at its last point, and keep no weights of their own in the run's checkpoints.
import { afterAll, describe, expect, it } from "vitest";
import { resolveParams } from "../../src/config/modelKeys.js";
import { CompanionEvaluator } from "../../src/kernel/companionMetrics.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { COMPANION_METRICS } from "../../src/kernel/metricNames.js";
import { Engine } from "../../src/pool/engine.js";

const engine = new Engine(3);
afterAll(async () => engine.close());

describe("a run with companionMetrics", () => {
  const params = resolveParams({
    d: 20, width: 50, batch: 40, steps: 60, evalEvery: 10, testPerGroup: 32, seed: 3,
    trainSize: 20, symmetrizeTrain: true, labelNoise: 0.2, activation: "leaky", companionMetrics: true,
  });

  it("has every companion metric at every stored point, identical for 1 and 3 shards", async () => {
    const runs = await Promise.all([1, 3].map((shards) => engine.runOne({ params, condition: {} }, { events: DEFAULT_EVENTS, shards, checkpointSteps: [30] })));
    const [one, three] = runs;
    expect(three.record.trajectory).toEqual(one.record.trajectory);
    expect(one.record.trajectory.map((p) => p.step)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    for (const point of one.record.trajectory) for (const name of COMPANION_METRICS) expect(point, `${name} at step ${point.step}`).toHaveProperty(name);
    const atEnd = new CompanionEvaluator(params).evaluate(one.weights);
    for (const name of COMPANION_METRICS) expect(one.record.final[name]).toEqual(atEnd[name]);
    expect(one.record.final.trainAcc).toBeGreaterThan(0);
    // the weights kept for the metrics are not handed on as saved checkpoints
    expect(one.checkpoints.map((c) => c.step)).toEqual([30]);
  });

  it("a run without it records none of them", async () => {
    const { record } = await engine.runOne({ params: { ...params, companionMetrics: false }, condition: {} }, { events: DEFAULT_EVENTS, shards: 1 });
    for (const name of COMPANION_METRICS) expect(record.final).not.toHaveProperty(name);
  });
});
