import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { BLOCK_SIZE } from "../../src/kernel/step.js";
import { Engine } from "../../src/pool/engine.js";
import { decodeNpyFloat32, encodeNpyFloat32 } from "../../src/store/npy.js";
import type { RunRecord, RunWeights } from "../../src/store/runRecord.js";
import { readRunWeights, runWeightsName } from "../../src/store/runWeights.js";

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-weights-"));
const out = join(work, "study");
const base = { d: 8, width: 20, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 };
let records: RunRecord[] = [];

beforeAll(async () => {
  const config = join(work, "tiny.json5");
  writeFileSync(config, `{ name: "tiny", base: ${JSON.stringify(base)}, grid: { lambda: [0, 1] }, seeds: 2 }`);
  const r = await runCli(["study", config, "--out", out, "--quiet", "--threads", "2", "--save-weights-at", "20,0"], { cwd: work });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  records = readFileSync(join(out, "runs.jsonl"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as RunRecord);
});

const engines: Engine[] = [];
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

/** massSpurious = Σ_j |a_j||w_j2|, summed per 16-neuron block and then over blocks, as the engine sums it. */
function massSpurious(w: RunWeights): number {
  let total = 0;
  for (let b0 = 0; b0 < w.width; b0 += BLOCK_SIZE) {
    let block = 0;
    for (let j = b0; j < Math.min(b0 + BLOCK_SIZE, w.width); j++) block += Math.abs(w.A[j]) * Math.abs(w.W[j * w.d + 2]);
    total += block;
  }
  return total;
}

describe("npy files", () => {
  it("round-trip float32 arrays with a 64-byte-aligned NumPy 1.0 header", () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => (i - 5) / 3);
    const bytes = encodeNpyFloat32(values, [3, 4]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerEnd = 10 + (bytes[8] | (bytes[9] << 8));
    expect(headerEnd % 64).toBe(0);
    expect(String.fromCharCode(...bytes.subarray(10, headerEnd))).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \} *\n$/);
    expect(bytes.length).toBe(headerEnd + 48);
    const back = decodeNpyFloat32(bytes, "x.npy");
    expect(back.shape).toEqual([3, 4]);
    expect(Array.from(back.values)).toEqual(Array.from(values));
    expect(decodeNpyFloat32(encodeNpyFloat32(values, [12]), "v.npy").shape).toEqual([12]);
  });

  it("refuse what is not a float32 .npy file, naming the file", () => {
    expect(() => decodeNpyFloat32(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "junk.npy")).toThrow(/junk\.npy: not a float32 \.npy file \(no .*magic\)/);
    const f8 = encodeNpyFloat32(new Float32Array(2), [2]);
    f8[10 + "{'descr': '<f".length] = "8".charCodeAt(0);
    expect(() => decodeNpyFloat32(f8, "f8.npy")).toThrow(/descr must be '<f4'/);
    expect(() => decodeNpyFloat32(encodeNpyFloat32(new Float32Array(4), [4]).subarray(0, 70), "short.npy")).toThrow(/data bytes/);
    expect(() => encodeNpyFloat32(new Float32Array(5), [2, 2])).toThrow(/holds 4 values, got 5/);
  });
});

describe("study --save-weights(-at)", () => {
  it("lists each run's weights folder, named by condition and seed, in runs.jsonl", () => {
    expect(records).toHaveLength(4);
    for (const r of records) expect(r.weights).toBe(`weights/${runWeightsName(r.condition, r.seed)}`);
    // The grid values, 64 bits of the condition's hash (unique whatever the grid), the seed.
    expect(records.map((r) => r.weights!.replace(/-[0-9a-f]{16}-/, "-#-")).sort()).toEqual(["weights/lambda=0-#-seed0", "weights/lambda=0-#-seed1", "weights/lambda=1-#-seed0", "weights/lambda=1-#-seed1"]);
    for (const r of records) {
      expect(readdirSync(join(out, r.weights!)).sort()).toEqual(["W.npy", "a.npy", "b.npy", "step0", "step20"]); // no temporary files left
      expect(r.weightsSteps).toEqual([0, 20]);
    }
    expect(runWeightsName({}, 3)).toMatch(/^base-[0-9a-f]{16}-seed3$/);
    expect(runWeightsName({ lambda: 0.5, activation: "leaky" }, 0)).toMatch(/^lambda=0\.5,activation=leaky-[0-9a-f]{16}-seed0$/);
    expect(runWeightsName({ variant: { bias: true } }, 0)).toMatch(/^variant=__bias__true_-[0-9a-f]{16}-seed0$/);
  });

  it("the weights read back recompute the recorded final massSpurious, and equal the engine's", async () => {
    const engine = new Engine(2);
    engines.push(engine);
    for (const r of records) {
      const w = readRunWeights(out, r.weights!);
      expect([w.width, w.d]).toEqual([base.width, base.d]);
      expect(massSpurious(w)).toBe(r.final.massSpurious);
      // the checkpoints recompute the trajectory's values at their steps
      for (const step of r.weightsSteps!) {
        expect(massSpurious(readRunWeights(out, r.weights!, step))).toBe(r.trajectory.find((p) => p.step === step)!.massSpurious);
      }
      if (r.seed === 1 && r.condition.lambda === 1) {
        const again = await engine.runOne({ params: resolveParams({ ...base, lambda: 1, seed: 1 }), condition: { lambda: 1 } }, { events: DEFAULT_EVENTS, shards: 2 });
        expect(Array.from(again.weights.W)).toEqual(Array.from(w.W));
        expect(Array.from(again.weights.A)).toEqual(Array.from(w.A));
        expect(Array.from(again.weights.B)).toEqual(Array.from(w.B));
      }
    }
  });

  it("run --save-weights writes them under --out, and refuses without it (exit 2, naming the flag)", async () => {
    const runOut = join(work, "run");
    const flags = ["--d", "8", "--width", "16", "--batch", "8", "--steps", "20", "--evalEvery", "10", "--testPerGroup", "8", "--seeds", "2", "--quiet", "--threads", "2"];
    const r = await runCli(["run", ...flags, "--out", runOut, "--save-weights"], { cwd: work });
    expect(r.code).toBe(0);
    const runs = readFileSync(join(runOut, "runs.jsonl"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as RunRecord);
    expect(runs.map((run) => run.weights!.replace(/-[0-9a-f]{16}-/, "-#-")).sort()).toEqual(["weights/base-#-seed0", "weights/base-#-seed1"]);
    for (const run of runs) expect(massSpurious(readRunWeights(runOut, run.weights!))).toBe(run.final.massSpurious);
    const refused = await runCli(["run", ...flags, "--save-weights"], { cwd: work });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--save-weights needs --out/);
    const badSteps = await runCli(["run", ...flags, "--out", join(work, "bad"), "--save-weights-at", "10,x"], { cwd: work });
    expect(badSteps.code).toBe(2);
    expect(badSteps.stderr).toMatch(/--save-weights-at must be a comma list of steps.*'10,x'/);
    expect(existsSync(join(work, "bad"))).toBe(false);
  });

  const python = "/usr/bin/python3";
  const hasNumpy = existsSync(python) && spawnSync(python, ["-c", "import numpy"]).status === 0;
  it.skipIf(!hasNumpy)("NumPy reads them directly: float32, C order, the same massSpurious", () => {
    const script = [
      "import json, sys, numpy as np",
      "out = []",
      "for d in sys.argv[1:]:",
      "    W, a, b = (np.load(f'{d}/{n}.npy') for n in ('W', 'a', 'b'))",
      "    assert W.dtype == np.float32 and W.flags['C_CONTIGUOUS'] and a.shape == b.shape == (W.shape[0],)",
      "    out.append([list(W.shape), float(np.sum(np.abs(a.astype(np.float64)) * np.abs(W[:, 2].astype(np.float64))))])",
      "print(json.dumps(out))",
    ].join("\n");
    const r = spawnSync(python, ["-c", script, ...records.map((rec) => join(out, rec.weights!))], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const results = JSON.parse(r.stdout) as Array<[number[], number]>;
    results.forEach(([shape, mass], i) => {
      expect(shape).toEqual([base.width, base.d]);
      expect(Math.abs(mass - records[i].final.massSpurious)).toBeLessThan(1e-12 * Math.max(1, mass));
    });
  });
});

describe("merge with weights", () => {
  it("copies each shard's weights folders into --out, so the merged runs list files that are there", async () => {
    const shards: string[] = [];
    for (const i of [1, 2]) {
      const dir = join(work, `shard${i}`);
      const r = await runCli(["study", join(work, "tiny.json5"), "--out", dir, "--shard", `${i}/2`, "--quiet", "--save-weights-at", "20,0"], { cwd: work });
      expect(r.code).toBe(0);
      shards.push(dir);
    }
    const merged = join(work, "merged");
    const r = await runCli(["merge", ...shards, "--out", merged], { cwd: work });
    expect(r.stderr).not.toMatch(/merged without them/);
    expect(r.code).toBe(0);
    const runs = readFileSync(join(merged, "runs.jsonl"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as RunRecord);
    expect(runs).toHaveLength(records.length);
    for (const run of runs) {
      const original = records.find((rec) => rec.seed === run.seed && rec.condition.lambda === run.condition.lambda)!;
      expect(run.weights).toBe(original.weights);
      for (const step of [undefined, 0, 20]) {
        const file = (dir: string) => readFileSync(join(dir, run.weights!, step === undefined ? "" : `step${step}`, "W.npy"));
        expect(file(merged).equals(file(out)), `${run.weights} step ${step}`).toBe(true);
      }
    }
  });

  it("drops the listing, with a warning, of weights no merged directory holds", async () => {
    const shard = join(work, "shard1");
    const lost = readFileSync(join(shard, "runs.shard-1-of-2.jsonl"), "utf8").split("\n")[0];
    const folder = (JSON.parse(lost) as RunRecord).weights!;
    rmSync(join(shard, folder, "W.npy")); // deleted by hand after the run
    const merged = join(work, "merged-lost");
    const r = await runCli(["merge", shard, "--out", merged, "--allow-partial"], { cwd: work });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/its weights \(weights\/.*\) are in none of the merged directories; merged without them/);
    const lostRun = JSON.parse(lost) as RunRecord;
    const runs = readFileSync(join(merged, "runs.jsonl"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as RunRecord);
    const listed = (run: RunRecord) => run.weights !== undefined;
    expect(runs.filter((run) => !listed(run)).map((run) => [run.condition, run.seed])).toEqual([[lostRun.condition, lostRun.seed]]);
  });
});
