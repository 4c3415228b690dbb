// bench: baseline comparison, flag parsing, and one tiny real measurement. No timed assertions:
// a benchmark's numbers depend on the machine, so only their shape and consistency are checked.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/config/inputError.js";
import { compareWithBaseline, readBaseline } from "../../src/bench/baseline.js";
import { machineInfo } from "../../src/bench/machine.js";
import { median } from "../../src/analysis/statistics/index.js";
import { EfficiencyReferences, gflopsOf, measureThroughput, type BenchRow } from "../../src/bench/measure.js";
import { peerEnv, runPeer } from "../../src/bench/peer.js";
import { DEFAULT_SIZES, parseBenchFlags, parseSizes, parseThreadsList } from "../../src/bench/flags.js";

const dir = mkdtempSync(join(tmpdir(), "bench-test-"));

function row(over: Partial<BenchRow>): BenchRow {
  return {
    d: 64, width: 128, batch: 64, threads: 1, shards: 1, shardsMode: "auto", kernel: "bits",
    stepsPerSec: 1000, stepsPerSecMin: 990, stepsPerSecMax: 1010, gflops: 0, efficiency: 1,
    ...over,
  };
}

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

describe("compareWithBaseline", () => {
  const baseline = writeJson("base.json", {
    machine: machineInfo(),
    rows: [
      row({ stepsPerSec: 1000 }),
      row({ threads: 2, shards: 2, shardsMode: "fixed", stepsPerSec: 2000 }),
      row({ threads: 2, shards: 1, shardsMode: "auto", stepsPerSec: 1800 }),
    ],
  });

  it("passes within the tolerance and fails below it, one line per row with both numbers", () => {
    const measured = [
      row({ stepsPerSec: 800 }), // −20%: within 25%
      row({ threads: 2, shards: 2, shardsMode: "fixed", stepsPerSec: 1400 }), // −30%: fails
      row({ threads: 2, shards: 1, shardsMode: "auto", stepsPerSec: 1980 }), // +10%
    ];
    const c = compareWithBaseline(measured, baseline, 0.25);
    expect(c.lines).toEqual([
      "PASS 64,128,64 threads=1 shards=auto kernel=bits: 800 steps/s vs baseline 1000 (\u221220.0%)",
      "FAIL 64,128,64 threads=2 shards=fixed kernel=bits: 1400 steps/s vs baseline 2000 (\u221230.0%)",
      "PASS 64,128,64 threads=2 shards=auto kernel=bits: 1980 steps/s vs baseline 1800 (+10.0%)",
    ]);
    expect([c.passed, c.failed, c.unmatched]).toEqual([2, 1, 0]);
  });

  it("the failure threshold is exactly baseline × (1 − tolerance)", () => {
    expect(compareWithBaseline([row({ stepsPerSec: 750 })], baseline, 0.25).failed).toBe(0);
    expect(compareWithBaseline([row({ stepsPerSec: 749.9 })], baseline, 0.25).failed).toBe(1);
    expect(compareWithBaseline([row({ stepsPerSec: 999 })], baseline, 0).failed).toBe(1);
  });

  it("matches on size, threads, shards mode and kernel; the rest is listed as no baseline", () => {
    const c = compareWithBaseline(
      [row({ kernel: "f32" }), row({ d: 128 }), row({ threads: 4, shardsMode: "fixed" })],
      baseline,
      0.25,
    );
    expect([c.passed, c.failed, c.unmatched]).toEqual([0, 0, 3]);
    expect(c.lines[0]).toBe("SKIP 64,128,64 threads=1 shards=auto kernel=f32: 1000 steps/s, no baseline");
    for (const line of c.lines) expect(line).toMatch(/^SKIP .*no baseline$/);
  });

  it("an unreadable or invalid baseline is an InputError naming the file", () => {
    const cases: Array<[string, RegExp]> = [
      [join(dir, "missing.json"), /cannot read it \(no such file\)/],
      [writeJson("garbage.json", "{ rows: ["), /not valid JSON/],
      [writeJson("array.json", [1, 2]), /not a JSON object/],
      [writeJson("norows.json", { machine: {} }), /no 'rows' array/],
      [writeJson("badrate.json", { rows: [{ ...row({}), stepsPerSec: "fast" }] }), /rows\[0\]\.stepsPerSec must be a positive number/],
      [writeJson("badmode.json", { rows: [{ ...row({}), shardsMode: "all" }] }), /rows\[0\]\.shardsMode must be "auto" or "fixed"/],
      [writeJson("badsize.json", { rows: [row({}), { ...row({}), width: 0 }] }), /rows\[1\]\.width must be a positive integer/],
    ];
    for (const [file, message] of cases) {
      const err = inputError(() => compareWithBaseline([row({})], file, 0.25));
      expect(err.message).toContain(file);
      expect(err.message).toMatch(message);
      expect(err.file).toBe(file);
    }
  });

  it("reads the rows of a bench --json output", () => {
    expect(readBaseline(baseline).rows).toHaveLength(3);
  });
});

describe("bench flags", () => {
  it("--sizes: d,width,batch separated by ';', default the five sizes of SPEC §7", () => {
    expect(parseSizes("64,128,64;128,128,64")).toEqual([
      { d: 64, width: 128, batch: 64 },
      { d: 128, width: 128, batch: 64 },
    ]);
    expect(parseSizes(" 16, 16, 8 ; ")).toEqual([{ d: 16, width: 16, batch: 8 }]);
    expect(parseSizes("16,16,8;16,16,8")).toHaveLength(1);
    expect(parseSizes(undefined)).toEqual(DEFAULT_SIZES);
    expect(DEFAULT_SIZES.map((s) => [s.d, s.width, s.batch])).toEqual([
      [64, 128, 64], [128, 128, 64], [256, 256, 128], [512, 512, 256], [1024, 1024, 256], [4096, 128, 64], [8192, 128, 64], [8192, 512, 256],
    ]);
  });

  it("bad --sizes is an InputError naming --sizes", () => {
    for (const bad of ["", ";", "64,128", "64,128,64,1", "64;128;64", "a,b,c", "64,128,6.5", "2,128,64", "64,0,64", "64,128,-1", "64,,64", "64,128,64;1,1,1"]) {
      const err = inputError(() => parseSizes(bad));
      expect(err.message).toMatch(/^--sizes/);
      expect(err.key).toBe("sizes");
    }
  });

  it("--threads, --shards, --kernel, --repeats, --seconds, --tolerance", () => {
    expect(parseThreadsList("2,1,2")).toEqual([1, 2]);
    expect(parseThreadsList(undefined)[0]).toBe(1);
    const flags = parseBenchFlags({ threads: "1,2", shards: "fixed", kernel: "bits,f32", repeats: "3", seconds: "0.2", tolerance: "0.1", peer: true });
    expect(flags).toMatchObject({ threads: [1, 2], modes: ["fixed"], kernels: ["bits", "f32"], repeats: 3, seconds: 0.2, tolerance: 0.1, peers: ["numpy"], json: false });
    expect(parseBenchFlags({}).peers).toEqual([]);
    expect(parseBenchFlags({ peer: "" }).peers).toEqual(["numpy"]);
    expect(parseBenchFlags({ peer: "torch" }).peers).toEqual(["torch"]);
    expect(parseBenchFlags({ peer: "numpy,torch,numpy" }).peers).toEqual(["numpy", "torch"]);
    expect(inputError(() => parseBenchFlags({ peer: "jax" })).message).toBe("--peer: 'jax' is not one of numpy, torch");
    expect(parseBenchFlags({}).modes).toEqual(["auto", "fixed"]);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ threads: "0" }, /^--threads/],
      [{ threads: "1,two" }, /^--threads/],
      [{ shards: "auto,2" }, /^--shards: '2' is not one of auto, fixed/],
      [{ kernel: "gpu" }, /^--kernel: 'gpu' is not one of simd, bits, f32/],
      [{ repeats: "0" }, /^--repeats/],
      [{ seconds: "-1" }, /^--seconds/],
      [{ tolerance: "1" }, /^--tolerance/],
      [{ sizes: ["1,2,3", "4,5,6"] }, /^--sizes was given more than once/],
    ];
    for (const [argv, message] of bad) expect(inputError(() => parseBenchFlags(argv)).message).toMatch(message);
  });
});

describe("measureThroughput", () => {
  it("a tiny real measurement gives positive finite numbers with min ≤ median ≤ max", async () => {
    const r = (await measureThroughput({ d: 16, width: 16, batch: 8, threads: 2, shards: "auto", kernel: "bits", repeats: 2, targetSeconds: 0.05 })).row;
    expect(r).toMatchObject({ d: 16, width: 16, batch: 8, threads: 2, shards: 1, shardsMode: "auto", kernel: "bits" });
    for (const x of [r.stepsPerSec, r.stepsPerSecMin, r.stepsPerSecMax, r.gflops]) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThan(0);
    }
    expect(r.stepsPerSecMin).toBeLessThanOrEqual(r.stepsPerSec);
    expect(r.stepsPerSec).toBeLessThanOrEqual(r.stepsPerSecMax);
    expect(r.gflops).toBeCloseTo(gflopsOf(16, 16, 8, r.stepsPerSec), 12);

    // width 32 is two neuron blocks, so two shards can split it (width 16 would be clamped to one)
    const fixed = (await measureThroughput({ d: 16, width: 32, batch: 8, threads: 2, shards: 2, kernel: "f32", repeats: 2, targetSeconds: 0.05 })).row;
    expect(fixed).toMatchObject({ shards: 2, shardsMode: "fixed", kernel: "f32" });
    expect(fixed.stepsPerSecMin).toBeLessThanOrEqual(fixed.stepsPerSecMax);
  });

  it("efficiency pairs every repeat with a 1-thread reference repeat", async () => {
    const size = { d: 16, width: 32, batch: 8 };
    const references = new EfficiencyReferences(0.05);
    try {
      const reference = await references.run(size, "bits");
      expect(reference).toMatchObject({ threads: 1, shards: 1, runsAtOnce: 1 });
      expect(await references.run(size, "bits")).toBe(reference); // calibrated once per size and kernel
      const m = await measureThroughput({ ...size, threads: 2, shards: 2, kernel: "bits", repeats: 3, targetSeconds: 0.05 }, reference);
      expect(m.efficiencies).toHaveLength(3);
      for (const e of m.efficiencies) expect(e).toBeGreaterThan(0);
      expect(m.row.efficiency).toBe(median(m.efficiencies));
      const one = await measureThroughput({ ...size, threads: 1, shards: 1, kernel: "bits", repeats: 1, targetSeconds: 0.05 });
      expect(one.row.efficiency).toBe(1);
      expect(one.efficiencies).toEqual([]);
      const unpaired = await measureThroughput({ ...size, threads: 2, shards: 2, kernel: "bits", repeats: 1, targetSeconds: 0.05 });
      expect(unpaired.row.efficiency).toBeNull();
      const twoThreadReference = { threads: 2, shards: 2, runsAtOnce: 1, stepsPerRun: 3, repeat: async () => ({ stepsPerSec: 1, barrierWaitShare: 0 }) };
      await expect(measureThroughput({ ...size, threads: 2, shards: 2, kernel: "bits", repeats: 1 }, twoThreadReference)).rejects.toThrow(
        "the efficiency reference must run on 1 thread, not 2",
      );
    } finally {
      await references.close();
    }
  });
});

describe("runPeer", () => {
  it("is skipped, not failed, without python", () => {
    const r = runPeer("numpy", [{ d: 16, width: 16, batch: 8 }], 1, 1, 0.01, ["no-such-python-here"]);
    expect(r).toEqual({ skipped: "no-such-python-here not found" });
  });

  it("runs the peer without the OpenBLAS core overrides, and only the peer", () => {
    const env = peerEnv(2, { PATH: "/bin", OPENBLAS_CORETYPE: "Haswell", OPENBLAS_L2_SIZE: "1048576", OMP_NUM_THREADS: "8" });
    expect(env).toEqual({ PATH: "/bin", OMP_NUM_THREADS: "2", OPENBLAS_NUM_THREADS: "2", MKL_NUM_THREADS: "2" });
  });

  for (const library of ["numpy", "torch"] as const) {
    it(`${library}: one row per size and the BLAS kernel it ran, or says why it was skipped`, () => {
      const r = runPeer(library, [{ d: 16, width: 16, batch: 8 }, { d: 8, width: 4, batch: 2 }], 1, 2, 0.01);
      if ("skipped" in r) {
        expect(r.skipped).toMatch(library === "numpy" ? /python3|NumPy/ : /python3|PyTorch/);
        return;
      }
      expect(r.library).toBe(library);
      expect(r.kernel).not.toBe("");
      expect(r.rows.map((p) => [p.d, p.width, p.batch, p.threads])).toEqual([[16, 16, 8, 1], [8, 4, 2, 1]]);
      for (const p of r.rows) {
        expect(p.stepsPerSec).toBeGreaterThan(0);
        expect(p.stepsPerSecMin).toBeLessThanOrEqual(p.stepsPerSec);
        expect(p.stepsPerSec).toBeLessThanOrEqual(p.stepsPerSecMax);
      }
    }, 240_000); // a python start and importing torch take seconds idle, minutes on a loaded machine
  }
});

