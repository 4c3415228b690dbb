// The command line as a user meets it: the real bin in a child process (dist/ is built by `pretest`).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";


const cli = (...args: string[]) => runCli(args);

const tiny = ["--d", "8", "--width", "16", "--batch", "8", "--steps", "30", "--evalEvery", "10", "--testPerGroup", "16", "--quiet"];

describe("shortcut-bench run", () => {
  it("--json prints every run's events, final metrics and trajectory", async () => {
    const r = await cli("run", ...tiny, "--seeds", "3", "--threads", "2", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs.map((run: { seed: number }) => run.seed)).toEqual([0, 1, 2]);
    for (const run of out.runs) {
      expect(run.params.d).toBe(8);
      expect(run.trajectory.map((p: { step: number }) => p.step)).toEqual([0, 10, 20, 30]);
      expect(Object.keys(run.events).sort()).toEqual(["signal", "spurious"]);
      expect(run.final.acc).toHaveLength(4);
      expect(run.engine.kernel).toBe("simd");
    }
    expect(out.summary.seeds).toBe(3);
  });

  it("prints the per-seed table, medians and both charts", async () => {
    const r = await cli("run", ...tiny, "--seeds", "2", "--lambda", "0.5");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^median\s/m);
    expect(r.stdout).toContain("massSpurious / massSignal");
    expect(r.stdout).toContain("legend: ── accMajority   ++ accMinority   ×× wga   ·· 10–90% of seeds");
    for (const line of r.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("run --out resumed: the throughput counts only the runs it computed", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "shortcut-bench-cli-")), "r");
    expect((await cli("run", ...tiny, "--seeds", "2", "--out", out)).stdout).toMatch(/^throughput: [\d,]+ steps\/s over [\d.]+ s wall$/m);
    expect((await cli("run", ...tiny, "--seeds", "3", "--out", out)).stdout).toMatch(/^throughput: [\d,]+ steps\/s over [\d.]+ s wall \(computing 1 run; 2 were already done\)$/m);
    expect((await cli("run", ...tiny, "--seeds", "3", "--out", out)).stdout).toMatch(/^throughput: not measured \(all 3 runs were already done\)$/m);
  });
});

describe("bad input exits 2 and names the flag", () => {
  const cases: Array<[string[], RegExp]> = [
    [["run", "--lamda", "1"], /Unknown argument: lamda; did you mean --lambda\?/],
    [["run", "--lambda", "1.5"], /--lambda: must be a number in \[0, 1\], got 1\.5/],
    [["run", "--d", "2"], /--d: must be an integer in \[3, 65536\], got 2/],
    [["run", "--lr", "0"], /--lr: must be a number in \(0, /],
    [["run", "--lr", "NaN"], /--lr: must be/],
    [["run", "--activation", "tanh"], /--activation: must be one of 'relu', 'leaky'/],
    [["run", "--width", "7", "--symmetricInit"], /symmetricInit needs an even width, got width 7/],
    [["run", "--trainSize", "10", "--batch", "64"], /batch \(64\) must not exceed trainSize \(10\)/],
    [["run", "--seeds", "0"], /--seeds must be an integer/],
    [["run", "--threads", "two"], /--threads must be an integer/],
    [["run", "--shards", "-1"], /--shards must be an integer/],
    [["run", "--kernel", "gpu"], /--kernel must be one of simd, bits, f32/],
    [["run", "--lambda", "0.1", "--lambda", "0.2"], /--lambda was given more than once/],
    [["frobnicate"], /Unknown argument: frobnicate|Did you mean/],
  ];
  for (const [args, message] of cases) {
    it(args.join(" "), async () => {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });
  }
});

describe("a run that blows up without a non-finite value (issue 19)", () => {
  it("run --lambda 0.5 --lr 2: every run diverged where its blow-up began, no event after it", async () => {
    const args = ["run", "--lambda", "0.5", "--lr", "2", "--steps", "1000", "--quiet", "--json"];
    const runs = JSON.parse((await cli(...args)).stdout).runs;
    // Without the loss limit (only non-finite values end a run), the same runs train to the end,
    // with the loss in the 1e10s, and count events reached while they blew up.
    const unlimited = JSON.parse((await cli(...args, "--divergeLoss", "null")).stdout).runs;
    for (const [k, run] of runs.entries()) {
      expect(run.divergedReason).toBe("loss above divergeLoss");
      expect(run.diverged).toBeLessThan(run.divergedDetectedAt);
      expect(run.trajectory.at(-1).step).toBeLessThanOrEqual(run.diverged);
      for (const step of Object.values(run.events)) if (step !== null) expect(step).toBeLessThanOrEqual(run.diverged);
      expect(unlimited[k].diverged).toBeNull();
      expect(unlimited[k].final.trainLoss).toBeGreaterThan(1e6);
      expect(unlimited[k].events.spurious).toBeGreaterThan(run.diverged);
    }
  });
});

describe("rough corners (issue 19)", () => {
  it("study --seed 3: the hint names options that are then accepted", async () => {
    const hint = await cli("study", "--seed", "3");
    expect(hint.code).toBe(2);
    expect(hint.stderr).toContain("--set 'seeds=[3]'");
    expect(hint.stderr).not.toContain("--set seed=");
    const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-seed-"));
    const config = join(dir, "tiny.json5");
    writeFileSync(config, JSON.stringify({ name: "tiny", base: { d: 8, width: 16, batch: 8, steps: 10, evalEvery: 10, testPerGroup: 16 } }));
    const r = await cli("study", config, "--set", "seeds=[3]", "--out", join(dir, "out"), "--quiet", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runs.map((run: { seed: number }) => run.seed)).toEqual([3]);
  });

  it("a run sweep without --out does not point to a report.md it did not write", async () => {
    const r = await cli("run", ...tiny, "--lambda", "0,1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/are in report\.md/);
    expect(r.stdout).toContain("with --out DIR, DIR/report.md gives their CIs");
  });
});
