// Studies end to end through the real bin: results files, resume after a torn write and after Ctrl-C,
// sharding + merge, refusal of a changed config, and bad configs that write nothing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";

const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "shortcut-bench-study-"));

const cli = (...args: string[]) => runCli(args, { cwd: work });

/** A study small enough to run in a second: 2 conditions × 3 seeds. */
const tinyConfig = (extra = "") => `{
  name: "tiny",
  base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 },
  grid: { lambda: [0, 1] },
  seeds: 3,
  ${extra}
}`;

function writeConfig(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

let reference: string; // summary.json of an uninterrupted, unsharded study

beforeAll(async () => {
  const config = writeConfig("tiny.json5", tinyConfig());
  const r = await cli("study", config, "--out", join(work, "ref"), "--quiet", "--threads", "2");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  reference = read(join(work, "ref"), "summary.json");
});

describe("study results directory", () => {
  it("writes runs.jsonl (one line per run), summary.json, event-steps.json, report.md, details.md, report.html, its figures and config.resolved.json", async () => {
    const dir = join(work, "ref");
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", "details.md", "event-steps.json", "figures", "report.html", "report.md", "runs.jsonl", "summary.json"]);
    const figures = readdirSync(join(dir, "figures")).sort();
    expect(figures).toEqual(["event-signal.svg", "event-spurious.svg", "gap-spurious-signal.svg", "trajectories-accuracy.svg", "trajectories-coef.svg", "trajectories-mass.svg"]);
    for (const file of figures) expect(read(dir, "report.md")).toContain(`](figures/${file})`);
    const lines = read(dir, "runs.jsonl").trimEnd().split("\n");
    expect(lines).toHaveLength(6);
    const runs = lines.map((l) => JSON.parse(l));
    for (const key of ["condition", "params", "seed", "events", "rates", "final", "trajectory", "diverged", "wallMs", "engine"]) {
      expect(Object.keys(runs[0])).toContain(key);
    }
    const summary = JSON.parse(reference);
    expect(summary.conditions.map((c: { condition: unknown }) => c.condition)).toEqual([{ lambda: 0 }, { lambda: 1 }]);
    expect(summary.conditions[0].events.signal.n).toBe(3);
    const resolved = JSON.parse(read(dir, "config.resolved.json"));
    expect(resolved.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(resolved.config.base.initA).toBeCloseTo(0.25, 12); // 1/√16
  });

  it("a re-run with everything done runs nothing and gives the same summary", async () => {
    const r = await cli("study", join(work, "tiny.json5"), "--out", join(work, "ref"), "--threads", "2");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("6 already done");
    expect(read(join(work, "ref"), "summary.json")).toBe(reference);
  });

  it("resumes after a torn last line: drops it with a warning, re-runs it, same summary", async () => {
    const dir = join(work, "torn");
    expect((await cli("study", join(work, "tiny.json5"), "--out", dir, "--quiet")).code).toBe(0);
    const lines = read(dir, "runs.jsonl").split("\n");
    // a crash mid-write: two complete lines and half of the third
    writeFileSync(join(dir, "runs.jsonl"), `${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 100)}`);
    const r = await cli("study", join(work, "tiny.json5"), "--out", dir, "--threads", "2");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/torn last line/);
    expect(read(dir, "runs.jsonl").trimEnd().split("\n")).toHaveLength(6);
    expect(read(dir, "summary.json")).toBe(reference);
  });

  it("Ctrl-C keeps the finished runs, exits 130, and a re-run completes to the uninterrupted summary", async () => {
    // runs long enough (~0.2 s each with the simd kernel, one at a time) for the signal to land mid-study
    const config = writeConfig("interrupt.json5", `{
      name: "interrupt", base: { d: 32, width: 64, batch: 8, steps: 20000, evalEvery: 1000, testPerGroup: 32 },
      grid: { lambda: [1] }, seeds: 4 }`);
    expect((await cli("study", config, "--out", join(work, "interrupt-ref"), "--quiet", "--threads", "1")).code).toBe(0);
    const dir = join(work, "interrupted");
    const child = spawn(process.execPath, [bin, "study", config, "--out", dir, "--threads", "1", "--quiet"], { cwd: work });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    const started = Date.now();
    while (!(existsSync(join(dir, "runs.jsonl")) && read(dir, "runs.jsonl").length > 0) && Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGINT");
    const code = await exited;
    const kept = read(dir, "runs.jsonl").trimEnd().split("\n");
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT/);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(4);
    for (const line of kept) expect(JSON.parse(line).seed).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(dir, "summary.json"))).toBe(false);

    const resumed = await cli("study", config, "--out", dir, "--threads", "1");
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${kept.length} already done`);
    expect(read(dir, "summary.json")).toBe(read(join(work, "interrupt-ref"), "summary.json"));
  });

  it("3 shards merged give the summary of the unsharded study", async () => {
    for (const i of [1, 2, 3]) {
      const r = await cli("study", join(work, "tiny.json5"), "--out", join(work, `shard${i}`), "--shard", `${i}/3`, "--quiet");
      expect(r.code).toBe(0);
      expect(existsSync(join(work, `shard${i}`, `runs.shard-${i}-of-3.jsonl`))).toBe(true);
    }
    // --shard slurm takes the shard from the array variables, and says so
    const env = { ...process.env, SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "1" };
    const slurm = spawnSync(process.execPath, [bin, "study", join(work, "tiny.json5"), "--out", join(work, "slurm"), "--shard", "slurm", "--quiet"], { env, cwd: work, encoding: "utf8" });
    expect(slurm.status).toBe(0);
    expect(slurm.stderr).toContain("shard 2/3 from SLURM_ARRAY_TASK_ID=2 (SLURM_ARRAY_TASK_MIN=1, SLURM_ARRAY_TASK_COUNT=3)");
    // the same task resubmitted alone (COUNT=1) into that directory with another n is refused
    const alone = { ...process.env, SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "1", SLURM_ARRAY_TASK_MIN: "2" };
    const refused = spawnSync(process.execPath, [bin, "study", join(work, "tiny.json5"), "--out", join(work, "slurm"), "--shard", "1/1", "--quiet"], { env: alone, cwd: work, encoding: "utf8" });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/holds runs\.shard-2-of-3\.jsonl, a shard of a study split 3 ways, but this is shard 1\/1/);
    const pairs = (dir: string) =>
      read(dir, "runs.shard-2-of-3.jsonl").trimEnd().split("\n").map((l) => JSON.stringify([JSON.parse(l).condition, JSON.parse(l).seed])).sort();
    expect(pairs(join(work, "slurm"))).toEqual(pairs(join(work, "shard2")));
    expect(pairs(join(work, "shard2")).length).toBe(2); // 6 pairs / 3 shards

    const merged = join(work, "merged");
    const r = await cli("merge", join(work, "shard1"), join(work, "shard2"), join(work, "shard3"), "--out", merged);
    expect(r.code).toBe(0);
    expect(read(merged, "summary.json")).toBe(reference);
    expect(read(merged, "report.md")).toContain("# ");
  });
});

describe("check through the CLI", () => {
  let ruleFiles = 0;
  const rules = (text: string) => writeConfig(`rules-${++ruleFiles}.json5`, text);
  it("exit 0 when every rule passes, 1 when one fails, 2 on a bad rule; one line per rule", async () => {
    const dir = join(work, "ref");
    const pass = await cli("check", dir, "--thresholds", rules('[{ where: { lambda: 1 }, metric: "events.spurious.n", op: "==" , value: 3 }]'));
    expect(pass.code).toBe(2); // "==" is not an operator: bad input
    expect(pass.stderr).toMatch(/op/);
    const ok = await cli("check", dir, "--thresholds", rules('[{ where: { lambda: 1 }, metric: "events.spurious.n", op: ">=", value: 3 }]'));
    expect(ok.stdout).toMatch(/^PASS \{lambda: 1\} events\.spurious\.n >= 3: got 3/m);
    expect(ok.stdout).toMatch(/^1 passed, 0 failed$/m);
    expect(ok.code).toBe(0);
    const bad = await cli("check", dir, "--thresholds", rules('{ checks: [{ metric: "final.wga.mean", op: ">", value: 2 }, { where: { lambda: 0 }, metric: "events.spurious.n", op: "<=", value: 3 }] }'));
    expect(bad.stdout).toMatch(/^FAIL \{lambda: 0\} final\.wga\.mean > 2: got /m);
    expect(bad.stdout).toMatch(/^1 passed, 2 failed$/m);
    expect(bad.code).toBe(1);
    const unknown = await cli("check", dir, "--thresholds", rules('[{ metric: "final.wgaa.mean", op: ">", value: 0 }]'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/wgaa/);
  });

  it("a study checked against itself as baseline passes", async () => {
    const r = await cli("check", join(work, "ref"), "--baseline", join(work, "ref"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS learning not slower than .*paired \(same seeds\).*Z = 0, p = 1 /m);
  });
});

describe("the committed CI baseline (reports/ci-baseline)", () => {
  it("configs/ci.json5 passes its own checks and shows no learning-time regression against the baseline", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const out = join(work, "ci");
    const study = await cli("study", join(root, "configs/ci.json5"), "--out", out, "--quiet", "--check");
    expect(study.stdout).toMatch(/^3 passed, 0 failed$/m);
    expect(study.code).toBe(0);
    const check = await cli("check", out, "--baseline", join(root, "reports/ci-baseline"));
    expect(check.stdout).toMatch(/^NOTE \{lambda: 0\} events\.signal: KM median /m);
    // the baseline's events came from the bracket search, the exact one (now the default) also finds
    // excursions between evaluations: the same seeds' events are at the same step or earlier (Z ≤ 0)
    expect(check.stdout).toMatch(/^PASS learning not slower than .*paired \(same seeds\): sign flips, all 256\): Z = (0|-\d+(\.\d+)?), p = 1 /m);
    expect(check.stdout).toMatch(/^1 passed, 0 failed$/m); // --baseline alone: the baseline test, not the config's rules again
    expect(check.code).toBe(0);
  });
});

describe("refusals write nothing", () => {
  it("a changed config is refused without --fresh (exit 2), and --fresh starts over", async () => {
    const dir = join(work, "changed");
    expect((await cli("study", join(work, "tiny.json5"), "--out", dir, "--quiet")).code).toBe(0);
    const before = read(dir, "runs.jsonl");
    const changed = writeConfig("changed.json5", tinyConfig().replace("steps: 40", "steps: 30"));
    const r = await cli("study", changed, "--out", dir, "--quiet");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/different study \(base\.steps was 40, now 30\)/);
    expect(r.stderr).toMatch(/--fresh/);
    expect(read(dir, "runs.jsonl")).toBe(before);
    const fresh = await cli("study", changed, "--out", dir, "--quiet", "--fresh");
    expect(fresh.code).toBe(0);
    expect(JSON.parse(read(dir, "runs.jsonl").split("\n")[0]).params.steps).toBe(30);
  });

  const bad: Array<[string, string, RegExp]> = [
    ["unknown key", tinyConfig().replace("seeds: 3", "seeds: 3, sedes: 4"), /bad-1\.json5: unknown key 'sedes'; did you mean 'seeds'\?/],
    ["wrong type", tinyConfig().replace("steps: 40", 'steps: "40"'), /bad-2\.json5: base\.steps: must be an integer/],
    ["out of range", tinyConfig().replace("lambda: [0, 1]", "lambda: [0, 2]"), /bad-3\.json5: grid\.lambda\[1\]: must be a number in \[0, 1\], got 2/],
    ["empty grid", tinyConfig().replace("lambda: [0, 1]", "lambda: []"), /bad-4\.json5: grid\.lambda.*empty/],
    ["bad JSON5", "{ name: 'x', seeds: 3,, }", /bad-5\.json5:1:\d+/],
    ["unknown event metric", tinyConfig('events: { late: { metric: "wgaa", op: ">=", value: 0.5 } },'), /bad-6\.json5: events\.late\.metric: .*did you mean 'wga'\?/],
    ["unknown rule metric", tinyConfig('checks: [{ metric: "events.signal.medain", op: "<=", value: 5 }],'), /bad-7\.json5: checks\[0\]\.metric/],
  ];
  bad.forEach(([name, text, message], i) => {
    it(`${name}: exit 2, message names file and key, nothing written`, async () => {
      const file = writeConfig(`bad-${i + 1}.json5`, text);
      const dir = join(work, `bad-out-${i + 1}`);
      const r = await cli("study", file, "--out", dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(dir)).toBe(false);
    });
  });
});
