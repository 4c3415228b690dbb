import { afterAll, describe, expect, it } from "vitest";
import { resolveParams, type ModelParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS, findEvents, holds, type EventSpec } from "../../src/kernel/events.js";
import { Engine, type RunJob } from "../../src/pool/engine.js";
import { LN_MASS_STRIDE } from "../../src/pool/layout.js";
import { KERNELS, type KernelName } from "../../src/kernel/registry.js";
import { logSlope } from "../../src/kernel/metrics.js";
import { chooseShards } from "../../src/pool/chooseShards.js";
import type { RunRecord } from "../../src/store/runRecord.js";

// A small model whose 50 neurons make 4 blocks (16,16,16,2): 3 shards split them unevenly,
// and batch 17 splits the rows of every batch unevenly too.
// the bracket search: these tests check its replays (tests/pool/certifiedEvents.test.ts the exact search's)
const small: Partial<ModelParams> = { d: 20, width: 50, batch: 17, steps: 60, evalEvery: 10, testPerGroup: 32, lr: 0.5, eventSearch: "bracket" };
const options = { events: DEFAULT_EVENTS };
// The default events plus one on a weight metric and one on the training loss, whose exact steps are
// located without the test set; thresholds crossed inside an evaluation interval of `small`.
const watchedEvents: Record<string, EventSpec> = {
  ...DEFAULT_EVENTS,
  massUp: { metric: "massSpurious", op: ">=", value: 2.5 },
  lossDown: { metric: "trainLoss", op: "<=", value: 0.2 },
};

const engines: Engine[] = [];
function engine(threads: number): Engine {
  const e = new Engine(threads);
  engines.push(e);
  return e;
}
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

/** Everything of a run that must not depend on how it was executed. */
function fingerprint(record: RunRecord, weights: { W: Float32Array; A: Float32Array; B: Float32Array }) {
  return {
    trajectory: record.trajectory,
    events: record.events,
    eventsBracket: record.eventsBracket,
    rates: record.rates,
    diverged: record.diverged,
    divergedReason: record.divergedReason,
    divergedDetectedAt: record.divergedDetectedAt,
    W: Array.from(weights.W),
    A: Array.from(weights.A),
    B: Array.from(weights.B),
  };
}

async function runFingerprint(e: Engine, params: ModelParams, shards: number, kernel: KernelName) {
  const { record, weights } = await e.runOne({ params, condition: {} }, { events: watchedEvents, shards, kernel });
  expect(record.engine.shards).toBe(shards);
  expect(record.engine.kernel).toBe(kernel);
  return fingerprint(record, weights);
}

describe("determinism", () => {
  const variants: Array<[string, Partial<ModelParams>]> = [
    ["online ReLU", {}],
    ["leaky ReLU, bias, weight decay, label noise, finite training set", {
      activation: "leaky", bias: true, weightDecay: 0.01, labelNoise: 0.1, trainSize: 40, lambda: 0.5,
    }],
    ["symmetric init", { symmetricInit: true, spuriousScale: 2 }],
    // consecutive evaluations use both test-partial buffers while a slower shard may still read one
    ["evaluation at every step", { evalEvery: 1, steps: 25 }],
  ];
  for (const [name, extra] of variants) for (const kernel of KERNELS) {
    it(`${name}, ${kernel} kernel: bitwise identical for shards 1, 2, 3, 4`, async () => {
      const e = engine(4);
      const params = resolveParams({ ...small, ...extra, seed: 11 });
      const reference = await runFingerprint(e, params, 1, kernel);
      const evalSteps = Array.from({ length: params.steps / params.evalEvery + 1 }, (_, i) => i * params.evalEvery);
      expect(reference.trajectory.map((p) => p.step)).toEqual(evalSteps);
      for (const shards of [2, 3, 4]) expect(await runFingerprint(e, params, shards, kernel)).toEqual(reference);
      if (params.evalEvery > 1) {
        // the events were located by replays (not vacuous), each inside its bracket
        expect(Object.keys(watchedEvents).some((name) => reference.events[name] !== reference.eventsBracket![name]?.grid)).toBe(true);
      }
      for (const [name, step] of Object.entries(reference.events)) {
        const bracket = reference.eventsBracket![name];
        if (step === null || bracket === null) expect(bracket ?? step).toBeNull();
        else expect(step > (bracket.previous ?? -1) && step <= bracket.grid).toBe(true);
      }
    });
  }

  for (const kernel of KERNELS) {
    it(`a diverging run, ${kernel} kernel: the same divergence step and records for shards 1, 2, 3`, async () => {
      const e = engine(3);
      const params = resolveParams({ ...small, lr: 1e6, initW: 100, initA: 100, steps: 200, evalEvery: 1, seed: 3 });
      const reference = await runFingerprint(e, params, 1, kernel);
      expect(reference.diverged).not.toBeNull();
      for (const shards of [2, 3]) expect(await runFingerprint(e, params, shards, kernel)).toEqual(reference);
    });
  }

  for (const kernel of KERNELS) {
    it(`a run that blows up past divergeLoss, ${kernel} kernel: the same steps and records for shards 1, 2, 3`, async () => {
      const e = engine(3);
      const params = resolveParams({ ...small, lr: 4, lambda: 0.5, divergeLoss: 20, steps: 200, evalEvery: 1, seed: 3 });
      const reference = await runFingerprint(e, params, 1, kernel);
      expect(reference.divergedReason).toBe("loss above divergeLoss");
      expect(reference.divergedDetectedAt!).toBeGreaterThan(reference.diverged!);
      for (const shards of [2, 3]) expect(await runFingerprint(e, params, shards, kernel)).toEqual(reference);
    });
  }

  it("is identical across pool sizes and between concurrent and one-by-one runs", async () => {
    const jobs: RunJob[] = [0, 1, 2, 3].map((seed) => ({ params: resolveParams({ ...small, seed }), condition: { seed } }));
    const oneByOne = engine(1);
    const sequential: RunRecord[] = [];
    for (const job of jobs) sequential.push((await oneByOne.runOne(job, { ...options, shards: 1 })).record);

    const concurrent = new Map<number, RunRecord>();
    await engine(3).runMany(jobs, { ...options, shards: 1, onRunDone: (r) => void concurrent.set(r.seed, r) });
    const shardedPairs = new Map<number, RunRecord>();
    await engine(4).runMany(jobs, { ...options, shards: 2, onRunDone: (r) => void shardedPairs.set(r.seed, r) });

    for (const r of sequential) {
      expect(concurrent.get(r.seed)!.trajectory).toEqual(r.trajectory);
      expect(shardedPairs.get(r.seed)!.trajectory).toEqual(r.trajectory);
      expect(shardedPairs.get(r.seed)!.engine.shards).toBe(2);
    }
    // different seeds really differ (the comparison above is not vacuous)
    expect(sequential[0].trajectory).not.toEqual(sequential[1].trajectory);
  });
});

describe("checkpoint weights", () => {
  it("are the final weights of a run that stops at that step, bitwise, for any shard count", async () => {
    const e = engine(3);
    const params = resolveParams({ ...small, lambda: 0.5, seed: 6 });
    const checkpointSteps = [60, 0, 17, 500, 17]; // unordered, repeated, one past the end
    for (const shards of [1, 3]) {
      const run = await e.runOne({ params, condition: {} }, { events: watchedEvents, shards, checkpointSteps });
      expect(run.checkpoints.map((c) => c.step)).toEqual([0, 17, 60]);
      for (const c of run.checkpoints) {
        const stopped = await e.runOne({ params: { ...params, steps: Math.max(1, c.step) }, condition: {} }, { events: watchedEvents, shards: 1 });
        const expected = c.step === 0 ? (await e.runOne({ params, condition: {} }, { events: {}, shards: 1, checkpointSteps: [0] })).checkpoints[0].weights : stopped.weights;
        expect(Array.from(c.weights.W)).toEqual(Array.from(expected.W));
        expect(Array.from(c.weights.A)).toEqual(Array.from(expected.A));
      }
      expect(Array.from(run.checkpoints[2].weights.W)).toEqual(Array.from(run.weights.W));
      expect(Array.from(run.checkpoints[0].weights.W)).not.toEqual(Array.from(run.weights.W)); // they trained
    }
  });
});

describe("exact event steps", () => {
  // A small model whose events fall well inside 200 steps; 3 λ × 20 seeds.
  const study: RunJob[] = [0, 0.5, 1].flatMap((lambda) =>
    Array.from({ length: 20 }, (_, seed) => ({
      params: resolveParams({ d: 24, width: 32, batch: 64, steps: 200, testPerGroup: 128, evalEvery: 10, lambda, seed, eventSearch: "bracket" }),
      condition: { lambda },
    })),
  );
  const events: Record<string, EventSpec> = { ...DEFAULT_EVENTS, massUp: { metric: "massSpurious", op: ">=", value: 3 } };
  const key = (r: RunRecord): string => `${r.params.lambda}/${r.seed}`;
  async function runAll(jobs: RunJob[], extra: object = {}): Promise<Map<string, RunRecord>> {
    const out = new Map<string, RunRecord>();
    await engine(2).runMany(jobs, { events, shards: 1, ...extra, onRunDone: (r) => void out.set(key(r), r) });
    return out;
  }

  it("agree with the same seeds evaluated at every step on ≥ 95% of 60 runs, never outside the bracket", async () => {
    const exact = await runAll(study);
    const everyStep = await runAll(study.map((job) => ({ ...job, params: { ...job.params, evalEvery: 1 } })));
    let agreeing = 0;
    let reached = 0;
    let located = 0;
    for (const [k, r] of exact) {
      const dense = everyStep.get(k)!;
      if (Object.keys(events).every((name) => r.events[name] === dense.events[name])) agreeing++;
      // the bracket is the old grid step: what the trajectory on the grid says
      const onGrid = findEvents(r.trajectory, events);
      for (const [name, spec] of Object.entries(events)) {
        const step = r.events[name];
        const bracket = r.eventsBracket![name];
        expect(bracket?.grid ?? null).toBe(onGrid[name]);
        if (step === null || bracket === null) continue;
        reached++;
        if (step < bracket.grid) located++;
        const previous = bracket.previous ?? -1;
        expect(step > previous && step <= bracket.grid).toBe(true);
        // exactly the first step of (previous, grid] at which the predicate holds, step by step
        const first = dense.trajectory.find((p) => p.step > previous && p.step <= bracket.grid && holds(p[spec.metric], spec.op, spec.value));
        expect(first?.step).toBe(step);
        // an event seen every step is never later than the bracket
        if (dense.events[name] !== null) expect(dense.events[name]!).toBeLessThanOrEqual(bracket.grid);
      }
    }
    expect(agreeing / exact.size).toBeGreaterThanOrEqual(0.95);
    expect(reached).toBeGreaterThanOrEqual(90); // most runs reach most events: the comparison is not vacuous
    expect(located).toBeGreaterThan(reached / 2);
  });

  it("trainLoss at a replayed step is the mean minibatch loss since the previous evaluation", async () => {
    const jobs = study.filter((job) => job.params.seed < 3);
    const loss: Record<string, EventSpec> = { lossDown: { metric: "trainLoss", op: "<=", value: 0.4 } };
    const exact = new Map<string, RunRecord>();
    const dense = new Map<string, RunRecord>();
    await engine(2).runMany(jobs, { events: loss, shards: 1, onRunDone: (r) => void exact.set(key(r), r) });
    const denseJobs = jobs.map((job) => ({ ...job, params: { ...job.params, evalEvery: 1 } }));
    await engine(2).runMany(denseJobs, { events: loss, shards: 1, onRunDone: (r) => void dense.set(key(r), r) });
    let located = 0;
    for (const [k, r] of exact) {
      const bracket = r.eventsBracket!.lossDown;
      if (bracket === null) continue;
      const previous = bracket.previous ?? 0;
      // with evalEvery 1 the recorded trainLoss of step s is the loss of minibatch s alone
      const perStep = dense.get(k)!.trajectory;
      let sum = 0;
      let first: number | null = null;
      for (let s = previous + 1; s <= bracket.grid && first === null; s++) {
        sum += perStep[s].trainLoss;
        if (sum / (s - previous) <= 0.4) first = s;
      }
      expect(r.events.lossDown).toBe(bracket.previous === null ? 0 : first);
      if (r.events.lossDown! < bracket.grid) located++;
    }
    expect(located).toBeGreaterThan(0);
  });

  it("leave the run unchanged: trajectories and final weights equal those with events on the grid", async () => {
    const e = engine(3);
    for (const shards of [1, 3]) {
      const params = resolveParams({ ...small, lambda: 0.5, seed: 4 });
      const exact = await e.runOne({ params, condition: {} }, { events: watchedEvents, shards });
      const grid = await e.runOne({ params, condition: {} }, { events: watchedEvents, shards, eventSteps: "grid" });
      expect(exact.record.trajectory).toEqual(grid.record.trajectory);
      expect(Array.from(exact.weights.W)).toEqual(Array.from(grid.weights.W));
      expect(Array.from(exact.weights.A)).toEqual(Array.from(grid.weights.A));
      expect(grid.record.eventsBracket).toEqual(exact.record.eventsBracket);
      for (const [name, step] of Object.entries(grid.record.events)) expect(step).toBe(grid.record.eventsBracket![name]?.grid ?? null);
      expect(exact.record.events).not.toEqual(grid.record.events);
    }
  });
});

describe("stopAfter", () => {
  it("ends the run at the evaluation where its events are all reached, the same for any shard count, and changes nothing before", async () => {
    const e = engine(3);
    const params = resolveParams({ ...small, lambda: 0.5, seed: 4 });
    const full = await e.runOne({ params, condition: {} }, { events: watchedEvents, shards: 1 });
    const stopAt = full.record.eventsBracket!.massUp!.grid; // the evaluation that sees the later of the two
    expect(full.record.eventsBracket!.spurious!.grid).toBeLessThanOrEqual(stopAt);
    expect(stopAt).toBeLessThan(params.steps);
    expect(full.record).not.toHaveProperty("stopped"); // records without stopAfter are unchanged
    const prints = [];
    for (const shards of [1, 3]) {
      const stopped = await e.runOne({ params: { ...params, stopAfter: ["massUp", "spurious"] }, condition: {} }, { events: watchedEvents, shards });
      expect(stopped.record.stopped).toBe(stopAt);
      expect(stopped.record.trajectory).toEqual(full.record.trajectory.filter((p) => p.step <= stopAt));
      const { step: _step, ...finalAtStop } = full.record.trajectory.find((p) => p.step === stopAt)!;
      expect(stopped.record.final).toEqual(finalAtStop);
      expect(stopped.record.events.massUp).toBe(full.record.events.massUp);
      expect(stopped.record.events.spurious).toBe(full.record.events.spurious);
      prints.push(fingerprint(stopped.record, stopped.weights));
    }
    expect(prints[1]).toEqual(prints[0]);
    // an event never reached: the run goes to its last step, and says it did not stop
    const never = await e.runOne({ params: { ...params, stopAfter: ["lossDown"], steps: 20 }, condition: {} }, { events: { lossDown: { metric: "trainLoss", op: "<=", value: -1 } }, shards: 1 });
    expect(never.record.stopped).toBeNull();
    expect(never.record.trajectory.at(-1)!.step).toBe(20);
  });
});

describe("--shards auto", () => {
  const large = resolveParams({ d: 256, width: 256, batch: 128, steps: 3, evalEvery: 3, testPerGroup: 8 });
  const smallModel = resolveParams({ ...small, seed: 1 });

  it("splits a large model's runs only across the threads that runs leave over", () => {
    expect(chooseShards(smallModel, 16, 1)).toBe(1); // a step too short to share
    expect(chooseShards(large, 16, 1)).toBe(16);
    expect(chooseShards(large, 16, 3)).toBe(5); // 3 runs × 5 shards on 16 threads
    expect(chooseShards(large, 16, 16)).toBe(1);
    expect(chooseShards(large, 2, 40)).toBe(1);
    expect(chooseShards(resolveParams({ ...large, batch: 127 }), 2, 1)).toBe(1); // just under SHARDED_FLOPS_PER_STEP
    // clamped to the pool and to the neuron blocks
    expect(engine(4).shardsFor(resolveParams({ ...large, width: 32, batch: 1024 }), "auto")).toBe(2);
  });

  it("records the shards it chose: one run uses both threads, two runs one thread each", async () => {
    const e = engine(2);
    const shardsOf = async (jobs: RunJob[]) => {
      const used: number[] = [];
      await e.runMany(jobs, { ...options, shards: "auto", onRunDone: (r) => void used.push(r.engine.shards) });
      return used;
    };
    expect(await shardsOf([{ params: large, condition: {} }])).toEqual([2]);
    expect(await shardsOf([0, 1].map((seed) => ({ params: { ...large, seed }, condition: {} })))).toEqual([1, 1]);
    expect(await shardsOf([0, 1].map((seed) => ({ params: { ...smallModel, seed }, condition: {} })))).toEqual([1, 1]);
  });
});

describe("engine timings", () => {
  it("is 0 for one shard and a share in (0, 1) for several", async () => {
    const e = engine(2);
    const params = resolveParams({ ...small, seed: 2 });
    const one = (await e.runOne({ params, condition: {} }, { ...options, shards: 1 })).record;
    expect(one.engine.barrierWaitShare).toBe(0);
    const two = (await e.runOne({ params, condition: {} }, { ...options, shards: 2 })).record;
    expect(two.engine.barrierWaitShare).toBeGreaterThan(0); // someone always arrives first
    expect(two.engine.barrierWaitShare).toBeLessThan(1);
  });

  it("stepsMs times the steps alone: positive and below the run's wall time", async () => {
    const e = engine(2);
    const r = (await e.runOne({ params: resolveParams({ ...small, seed: 2 }), condition: {} }, { ...options, shards: 2 })).record;
    expect(r.engine.stepsMs).toBeGreaterThan(0);
    expect(r.engine.stepsMs).toBeLessThan(r.wallMs);
  });
});

describe("failure handling", () => {
  it("a shard that throws rejects the run promptly with its own error and leaves no thread waiting", async () => {
    const e = engine(3);
    const params = resolveParams({ ...small, steps: 100_000, seed: 1 });
    const started = performance.now();
    await expect(e.runOne({ params, condition: {} }, { ...options, shards: 3, failAt: { shard: 1, step: 5 } })).rejects.toThrow(
      "injected failure in shard 1 at step 5",
    );
    expect(performance.now() - started).toBeLessThan(5_000); // not 100k steps later
    // all three threads are free again: a run that needs all of them completes
    const ok = (await e.runOne({ params: resolveParams({ ...small, seed: 1 }), condition: {} }, { ...options, shards: 3 })).record;
    expect(ok.trajectory.at(-1)!.step).toBe(60);
  });

  it("cancellation through an AbortSignal stops running runs", async () => {
    const e = engine(2);
    const controller = new AbortController();
    const jobs = [0, 1, 2].map((seed) => ({ params: resolveParams({ ...small, steps: 1_000_000, seed }), condition: {} }));
    setTimeout(() => controller.abort(), 200);
    await expect(e.runMany(jobs, { ...options, shards: 1, signal: controller.signal })).rejects.toThrow("run cancelled");
  });

  it("close right after start waits until every worker thread has loaded before ending the threads", async () => {
    // Ending a thread that is still loading its modules aborts the process (Node 20); close waits.
    const e = new Engine(2);
    expect(e.threadsLoaded).toBeLessThanOrEqual(2);
    await e.close();
    expect(e.threadsLoaded).toBe(2);
  });

  it("a diverging run ends and records the step", async () => {
    const e = engine(2);
    const params = resolveParams({ ...small, lr: 1e6, initW: 100, initA: 100, steps: 200, seed: 3 });
    const r = (await e.runOne({ params, condition: {} }, { ...options, shards: 2 })).record;
    expect(r.diverged).not.toBeNull();
    expect(r.diverged!).toBeLessThan(200);
    expect(r.trajectory.at(-1)!.step).toBeLessThanOrEqual(r.diverged!);
  });
});

describe("agreement with the independent reference of SPEC §2", () => {
  it("at the defaults and λ = 1, ln massSpurious climbs ≈ 0.13/step over 16 steps, ln massSignal ≈ 0.03, signAlign → ≈ 0.92", async () => {
    const e = engine(2);
    const slopes: number[][] = [];
    const align: number[] = [];
    for (let seed = 0; seed < 4; seed++) {
      // evaluated at every step, the trajectory holds both masses at steps 0 … 16
      const params = resolveParams({ lambda: 1, seed, steps: 16, evalEvery: 1, testPerGroup: 64 });
      const { record } = await e.runOne({ params, condition: {} }, { ...options, shards: 1 });
      const lnMass = Float64Array.from(record.trajectory.flatMap((p) => [Math.log(p.massSpurious), Math.log(p.massSignal)]));
      slopes.push([logSlope(lnMass, LN_MASS_STRIDE, 0, 16)!, logSlope(lnMass, LN_MASS_STRIDE, 1, 16)!]);
      align.push(record.trajectory.at(-1)!.signAlign);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(slopes.map((s) => s[0]))).toBeGreaterThan(0.11);
    expect(mean(slopes.map((s) => s[0]))).toBeLessThan(0.14);
    expect(mean(slopes.map((s) => s[1]))).toBeGreaterThan(0.02);
    expect(mean(slopes.map((s) => s[1]))).toBeLessThan(0.05);
    expect(mean(align)).toBeGreaterThan(0.85);
  });
});

