// Configs that validation accepts but the machine cannot run are refused before anything is
// written, naming the key and the limit; deep nesting is refused; long trajectories are thinned.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";
import { checkFeasible, MAX_RUNS } from "../../src/config/feasibility.js";
import { WASM_MAX_BYTES } from "../../src/kernel/registry.js";
import { parseStudyConfig, type StudyConfig } from "../../src/config/studyConfig.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import { allocateRunBuffers, isStoredStep, MAX_STORED_POINTS, runBufferBytes, storedTrajectoryStride } from "../../src/pool/layout.js";
import { plannedFlops, planStudy } from "../../src/study/plan.js";
import { expectInputError } from "../support/expectInputError.js";

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-feasible-"));
const config = (raw: Record<string, unknown>): StudyConfig => parseStudyConfig({ name: "f", seeds: 1, ...raw }, "f.json5");
const engine = { threads: 2, shards: "auto" as const, kernel: "simd" as const };
const GiB = 1024 ** 3;

describe("feasibility at load", () => {
  it("the shared-buffer size it checks is what a run allocates", async () => {
    for (const p of [resolveParams({}), resolveParams({ d: 37, width: 70, batch: 5, testPerGroup: 3, steps: 101, evalEvery: 7 })]) {
      for (const floatRows of [false, true]) {
        const buffers = allocateRunBuffers(p, floatRows, 2, 1);
        const allocated = Object.entries(buffers).reduce((n, [name, b]) => n + (name === "control" ? 0 : (b as SharedArrayBuffer).byteLength), 0);
        expect(runBufferBytes(p, floatRows, 2, 1)).toBe(allocated);
      }
    }
  });

  it("d × width beyond a WebAssembly memory: refused naming the key and the 4 GiB limit", async () => {
    const big = config({ base: { d: 65536, width: 65536, steps: 10 } });
    // 33 GiB: the weights (16 GiB) twice, as the exact event search (the default) keeps those of its reference step
    expectInputError(() => checkFeasible(big, engine, 1e15), /d × width = 65536 × 65536 needs 33 GiB of WebAssembly memory per shard with the simd kernel; at most 4\.00 GiB/);
    expect(WASM_MAX_BYTES).toBe(4 * GiB);
  });

  it("shared buffers beyond half the machine: refused naming steps / evalEvery, or --threads when it is the runs at once", async () => {
    const long = config({ base: { d: 8, width: 16, steps: 100_000_000, evalEvery: 1 } });
    expectInputError(() => checkFeasible(long, engine, 16 * GiB), /steps \/ evalEvery makes one run need \d+ GiB of shared memory; at most 8\.00 GiB on this machine \(half of its 16 GiB\)/);
    const wide = config({ base: { d: 4096, width: 4096, steps: 10 }, seeds: 64 });
    expectInputError(() => checkFeasible(wide, { ...engine, threads: 64, kernel: "bits" }, 4 * GiB), /64 runs at once \(--threads 64\) need \d+\.\d\d GiB of shared memory/);
    checkFeasible(wide, { ...engine, threads: 2, kernel: "bits" }, 4 * GiB);
  });

  it("too many runs, and run records beyond memory, are refused naming seeds", async () => {
    const many = config({ base: { steps: 10 }, grid: { lambda: [0, 0.5, 1] }, seeds: 1_000_000 });
    expectInputError(() => checkFeasible(many, engine, 1e15), new RegExp(`1000000 × 3 = 3000000 runs; at most ${MAX_RUNS}`));
    const records = config({ base: { d: 8, width: 16, steps: 200_000, evalEvery: 1 }, seeds: 100_000 });
    expectInputError(() => checkFeasible(records, engine, 64 * GiB), /100000 run records .* would need about \d+ GiB of memory for the summary; at most 32 GiB/);
  });

  it("planning 150 000 runs spreads nothing into a call", async () => {
    const c = config({ base: { steps: 10 }, seeds: 150_000 });
    const plan = planStudy(c, null, new Set());
    expect(plan.jobs).toHaveLength(150_000);
    expect(plannedFlops(plan.jobs)).toBe(150_000 * 10 * 4 * 64 * 128 * 128); // the work the ETA weighs: 10 steps of the defaults each
  });

  it("a trajectory of more evaluations than MAX_STORED_POINTS keeps every k-th (same steps for every seed) and the last", async () => {
    const p = resolveParams({ steps: 2_000_000, evalEvery: 1 });
    expect(storedTrajectoryStride(p)).toBe(Math.ceil(2_000_002 / MAX_STORED_POINTS));
    expect(isStoredStep(p, 0)).toBe(true);
    expect(isStoredStep(p, storedTrajectoryStride(p))).toBe(true);
    expect(isStoredStep(p, storedTrajectoryStride(p) + 1)).toBe(false);
    expect(isStoredStep(p, 2_000_000)).toBe(true);
    expect(storedTrajectoryStride(resolveParams({}))).toBe(1);
  });
});

const cli = (...args: string[]) => runCli(args, { cwd: work });
const write = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return name;
};

describe("through the CLI: refused before anything is written", () => {
  const cases: [string, string, RegExp][] = [
    ["d × width", `{ name: "big", base: { d: 65536, width: 65536, steps: 10 }, seeds: 1 }`, /\.json5: base: d × width = 65536 × 65536 needs 33 GiB of WebAssembly memory/],
    ["runs", `{ name: "many", base: { steps: 10 }, grid: { lambda: [0, 0.5, 1] }, seeds: 1000000 }`, /\.json5: seeds × grid conditions = 1000000 × 3 = 3000000 runs; at most 1000000/],
    ["nesting", `{ name: "deep", seeds: 1, charts: ${"[".repeat(5000)}${"]".repeat(5000)} }`, /\.json5: charts(\[0\])+: nested deeper than 32 levels/],
    ["name '..'", `{ name: "..", seeds: 1 }`, /name: '\.\.' would make the default results directory reports\/\.\., outside reports\//],
  ];
  for (const [what, text, pattern] of cases) {
    it(what, async () => {
      const file = write(`${what.replace(/\W/g, "")}.json5`, text);
      const r = await cli("study", file, "--quiet");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(existsSync(join(work, "reports"))).toBe(false);
    });
  }

  it("a run of 30 000 evaluations is stored thinned: every 4th evaluation and the last", async () => {
    const r = await cli("run", "--d", "8", "--width", "16", "--batch", "8", "--testPerGroup", "8", "--steps", "30000", "--evalEvery", "1", "--json", "--threads", "1");
    expect(r.code, r.stderr).toBe(0);
    const steps = (JSON.parse(r.stdout).runs[0].trajectory as { step: number }[]).map((t) => t.step);
    expect(steps.length).toBeLessThanOrEqual(MAX_STORED_POINTS);
    expect(steps.slice(0, 3)).toEqual([0, 4, 8]);
    expect(steps.at(-1)).toBe(30000);
  });
});

describe("flags", () => {
  const tiny = `{ name: "tiny", base: { d: 8, width: 16, batch: 8, steps: 20, evalEvery: 10, testPerGroup: 8 }, seeds: 1 }`;
  const cases: [string[], RegExp][] = [
    [["--out", "a", "--out", "b"], /--out was given more than once \("a", "b"\); give it once/],
    [["--threads", "1", "--threads", "2"], /--threads was given more than once/],
    [["--shards", "1", "--shards", "2"], /--shards was given more than once/],
    [["--fresh=maybe"], /--fresh is a switch: give --fresh .* got '--fresh=maybe'/],
    [["--out", ""], /--out: an empty path; name a directory/],
    [["--out", "tiny.json5"], /--out tiny\.json5: exists and is not a directory/],
  ];
  for (const [args, pattern] of cases) {
    it(`study ${args.join(" ")}: exit 2 naming the flag`, async () => {
      write("tiny.json5", tiny);
      const r = await cli("study", "tiny.json5", "--quiet", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/ {4}at /);
    });
  }

  it("--threads above the cores warns; a clamped --shards is said", async () => {
    write("tiny.json5", tiny);
    const threads = String(availableParallelism() + 1);
    const r = await cli("study", "tiny.json5", "--quiet", "--out", "warned", "--threads", threads, "--shards", "3");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: --threads ${threads} is more than this machine's ${availableParallelism()} cores`);
    expect(r.stderr).toMatch(/warning: --shards 3 clamped to 1 for width 16 \(1 block of 16 neurons\)/);
  });
});
