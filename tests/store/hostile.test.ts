// The hostile corpus (issue 20): results directories edited, copied, linked, half-written or
// locked by hand, the way they meet the tool in practice. Every case is refused with an InputError
// (exit 2) that names the file — and the line and field where there is one — or recovered from, and
// nothing outside the directory is ever touched. reports/reliability.md counts the cases.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/config/inputError.js";
import { loadStudyConfig } from "../../src/config/studyConfig.js";
import { readJson5File } from "../../src/config/readJson5File.js";
import { readBaseline } from "../../src/bench/baseline.js";
import { initCommand } from "../../src/commands/init.js";
import { configHash } from "../../src/store/configHash.js";
import { DirectoryLock, LOCK_FILE, LOCK_WRITE_GRACE_MS, processStartTime } from "../../src/store/lock.js";
import { runWeightsName } from "../../src/store/runWeights.js";
import { readVerifiedResults } from "../../src/study/derivedFiles.js";
import { mergeStudies } from "../../src/study/merge.js";
import { readResults } from "../../src/study/readResults.js";
import { readResolvedConfig, studyHash } from "../../src/study/resolvedConfig.js";
import { takeExportDir, takeResultsDir } from "../../src/study/resultsDir.js";
import { expectInputError } from "../support/expectInputError.js";
import { runCli } from "../support/cliInProcess.js";

const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "shortcut-bench-hostile-"));
const cli = (...args: string[]) => runCli(args, { cwd: work });
const tiny = join(work, "tiny.json5");
const ref = join(work, "ref");
let n = 0;
/** A fresh copy of the reference study. */
const copy = (from = ref) => {
  const dir = join(work, `case${++n}`);
  cpSync(from, dir, { recursive: true });
  return dir;
};
const lines = (dir: string) => readFileSync(join(dir, "runs.jsonl"), "utf8").trimEnd().split("\n");
/** A parsed JSON file to edit by hand, as a user would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- hand edits reach anywhere in a parsed file
type Json = any;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The same study under another name: its caches are another study's. */
const otherStudy = join(work, "other");

beforeAll(async () => {
  writeFileSync(tiny, `{ name: "tiny", base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 }, grid: { lambda: [0, 1] }, seeds: 3 }`);
  const r = await cli("study", tiny, "--out", ref, "--quiet", "--kernel", "bits");
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(join(work, "other.json5"), readFileSync(tiny, "utf8").replace('"tiny"', '"other"'));
  expect((await cli("study", join(work, "other.json5"), "--out", otherStudy, "--quiet", "--kernel", "bits")).code).toBe(0);
});
afterAll(async () => rmSync(work, { recursive: true, force: true }));

describe("run records: every field checked against the study, exit 2 naming file:line and field", () => {
  /** An edit that replaces the whole line with an array. */
  const AN_ARRAY = Symbol("an array");
  const edits: Array<[string, (r: Json) => unknown, RegExp]> = [
    ["no params.steps (hung report, merge and study before)", (r) => delete r.params.steps, /field 'params\.steps': missing/],
    ["params of another study (d = 48 among d = 8)", (r) => (r.params.d = 48), /field 'params\.d': is 48, but config\.resolved\.json gives 8/],
    ["a negative event step", (r) => (r.events.signal = -500), /field 'events\.signal': must be a step in \[0, 40\]/],
    ["an event step past the horizon", (r) => (r.events.spurious = 41), /field 'events\.spurious': must be a step in \[0, 40\]/],
    ["a fractional event step", (r) => (r.events.signal = 1.5), /field 'events\.signal'/],
    ["an event the config does not define", (r) => (r.events.grokking = 3), /field 'events\.grokking': not an event of the study's config/],
    ["an event left out", (r) => delete r.events.spurious, /field 'events\.spurious': missing/],
    ["a negative seed", (r) => (r.seed = -1), /field 'seed': must be an integer/],
    ["a seed as text", (r) => (r.seed = "3"), /field 'seed'/],
    ["a grid value of the wrong type", (r) => (r.condition.lambda = "x"), /field 'condition'/],
    ["a condition key that is no model key", (r) => (r.condition.lamda = 0), /field 'condition'.*lamda/],
    ["a trajectory going back in time", (r) => r.trajectory.reverse(), /field 'trajectory\[1\]\.step'/],
    ["an empty trajectory", (r) => (r.trajectory = []), /field 'trajectory': must be an array of 1 to/],
    ["a trajectory longer than any run stores", (r) => (r.trajectory = Array.from({ length: 10_003 }, () => r.trajectory[0])), /field 'trajectory': must be an array of 1 to 10002/],
    ["a metric as text", (r) => (r.final.wga = "0.5"), /field 'final\.wga': must be a finite number or null/],
    ["three group accuracies", (r) => r.final.acc.pop(), /field 'final\.acc': must be 4 group accuracies/],
    ["a rate as text", (r) => (r.rates.spuriousRate = "fast"), /field 'rates\.spuriousRate'/],
    ["a negative divergence step", (r) => (r.diverged = -1), /field 'diverged'/],
    ["a negative wall time", (r) => (r.wallMs = -5), /field 'wallMs': must be a number ≥ 0/],
    ["zero threads", (r) => (r.engine.threads = 0), /field 'engine\.threads'/],
    ["a kernel name of 2000 characters", (r) => (r.engine.kernel = "k".repeat(2000)), /field 'engine\.kernel': must be a string of at most 1000/],
    ["checkpoint steps out of order", (r) => ((r.weights = "weights/x"), (r.weightsSteps = [20, 10])), /field 'weightsSteps\[1\]'/],
    ["a line that is an array", () => AN_ARRAY, /:2: not a run record of this study: field 'record': must be an object/],
  ];
  for (const [what, edit, pattern] of edits) {
    it(what, () => {
      const dir = copy();
      const all = lines(dir);
      const record = JSON.parse(all[1]);
      const edited = edit(record);
      all[1] = JSON.stringify(edited === AN_ARRAY ? [] : record);
      writeFileSync(join(dir, "runs.jsonl"), all.join("\n") + "\n");
      const err = expectInputError(() => readResults(dir), pattern);
      expect(err.message).toMatch(new RegExp(`^${escape(join(dir, "runs.jsonl"))}:2: `));
    });
  }

  it("a line that is not JSON in the middle (a torn last line is only dropped)", async () => {
    const dir = copy();
    const all = lines(dir);
    writeFileSync(join(dir, "runs.jsonl"), [all[0], all[1].slice(0, 50), ...all.slice(2)].join("\n") + "\n");
    expectInputError(() => readResults(dir), /runs\.jsonl:2: not a JSON line/);
    writeFileSync(join(dir, "runs.jsonl"), all.join("\n") + "\n" + all[0].slice(0, 30));
    expect(readResults(dir).warnings[0]).toMatch(/dropped a torn last line/);
  });

  it("shard files of two configs copied into one directory do not merge as one study", async () => {
    const d48 = join(work, "d48.json5");
    writeFileSync(d48, readFileSync(tiny, "utf8").replace("d: 8", "d: 48"));
    const a = join(work, "shard-a");
    const b = join(work, "shard-b");
    expect((await cli("study", tiny, "--out", a, "--shard", "1/2", "--quiet", "--kernel", "bits")).code).toBe(0);
    expect((await cli("study", d48, "--out", b, "--shard", "2/2", "--quiet", "--kernel", "bits")).code).toBe(0);
    cpSync(join(b, "runs.shard-2-of-2.jsonl"), join(a, "runs.shard-2-of-2.jsonl"));
    const out = join(work, "merged-mixed");
    const err = await mergeStudies([a], out, { command: "test" }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/runs\.shard-2-of-2\.jsonl:1: .*field 'params\.d': is 48, but config\.resolved\.json gives 8/);
    expect(existsSync(join(out, "runs.jsonl"))).toBe(false);
  });
});

describe("config.resolved.json: any edit a command would read is seen; bounds hold before trust", () => {
  const rewrite = (dir: string, edit: (config: Json) => void, rehash: boolean) => {
    const file = join(dir, "config.resolved.json");
    const parsed = JSON.parse(readFileSync(file, "utf8"));
    edit(parsed.config);
    const body = rehash ? { hash: studyHash(parsed.config), contentHash: configHash(parsed.config), config: parsed.config } : parsed;
    writeFileSync(file, JSON.stringify(body, null, 2));
  };
  const edited = /config\.resolved\.json: the config does not match its hash/;

  it("checks added by hand (check would have run them)", async () => {
    const dir = copy();
    rewrite(dir, (c) => c.checks.push({ where: {}, metric: "final.wga.mean", op: ">=", value: 0 }), false);
    expectInputError(() => readVerifiedResults(dir, "check", { summary: true, eventSteps: false }), edited);
  });

  it("seeds edited by hand", async () => {
    const dir = copy();
    rewrite(dir, (c) => c.seeds.push(99), false);
    expectInputError(() => readResolvedConfig(dir), edited);
  });

  it("a grid of 2·10⁶ conditions with both hashes recomputed is refused before it is enumerated", async () => {
    const dir = copy();
    rewrite(dir, (c) => (c.grid = { lambda: Array.from({ length: 2000 }, (_, i) => i / 2000), width: Array.from({ length: 1000 }, (_, i) => i + 1) }), true);
    expectInputError(() => readResolvedConfig(dir), /grid: has more than 100000 conditions/);
  });

  it("an unknown key, and an unknown kernel, with the hashes recomputed", async () => {
    const dir = copy();
    rewrite(dir, (c) => (c.extra = 1), true);
    expectInputError(() => readResolvedConfig(dir), /config\.extra: not a key of a resolved config/);
    rewrite(dir, (c) => (delete c.extra, (c.kernel = "gpu")), true);
    expectInputError(() => readResolvedConfig(dir), /config\.kernel must be one of simd, bits, f32/);
  });

  it("not JSON, and nested 10⁵ deep", async () => {
    const dir = copy();
    writeFileSync(join(dir, "config.resolved.json"), "{ nope");
    expectInputError(() => readResolvedConfig(dir), /config\.resolved\.json: not JSON/);
    writeFileSync(join(dir, "config.resolved.json"), "[".repeat(100_000) + "]".repeat(100_000));
    expectInputError(() => readResolvedConfig(dir), /config\.resolved\.json: /);
  });

  it("one written before the content hash: check says how to upgrade, report upgrades it", async () => {
    const dir = copy();
    const file = join(dir, "config.resolved.json");
    const { contentHash: _c, ...old } = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify(old, null, 2));
    expectInputError(() => readResolvedConfig(dir), /written by an earlier shortcut-bench.*run 'shortcut-bench report/);
    expect((await cli("report", dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).contentHash).toBe(configHash(old.config));
  });

  it("study --fresh after a hand edit starts over (the refusal told the user to use it)", async () => {
    const dir = copy();
    rewrite(dir, (c) => (c.events.signal.value = 0.1), false);
    const refused = await cli("study", tiny, "--out", dir, "--quiet", "--kernel", "bits");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--fresh/);
    const fresh = await cli("study", tiny, "--out", dir, "--quiet", "--kernel", "bits", "--fresh");
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(readResolvedConfig(dir).config.events.signal.value).toBe(0.9);
  });
});

describe("summary.json and event-steps.json are caches, never trusted alone", () => {
  const noRuns = (dir: string) => rmSync(join(dir, "runs.jsonl"));
  const other = () => otherStudy;

  it("copied from another study, without runs.jsonl: refused", async () => {
    const dir = copy();
    const from = other();
    for (const f of ["summary.json", "event-steps.json"]) cpSync(join(from, f), join(dir, f));
    noRuns(dir);
    expectInputError(() => readVerifiedResults(dir, "check", { summary: true, eventSteps: true }), /summary\.json: built from study 'other'/);
  });

  it("copied from another study, with runs.jsonl: rebuilt from the runs, with a warning", async () => {
    const dir = copy();
    cpSync(join(other(), "summary.json"), join(dir, "summary.json"));
    const read = readVerifiedResults(dir, "check", { summary: true, eventSteps: false });
    expect(read.warnings.join("\n")).toMatch(/summary\.json: built from study 'other'.*rebuilt from runs\.jsonl/);
    expect(read.summary?.name).toBe("tiny");
  });

  it("event-steps.json listing each run twice with other steps: refused without runs, rebuilt with them", async () => {
    const dir = copy();
    const file = join(dir, "event-steps.json");
    const steps = JSON.parse(readFileSync(file, "utf8"));
    steps.runs = [...steps.runs, ...steps.runs.map((r: Json) => ({ ...r, events: { ...r.events, signal: 40 } }))];
    writeFileSync(file, JSON.stringify(steps));
    expect(readVerifiedResults(dir, "check", { summary: false, eventSteps: true }).eventSteps?.runs).toHaveLength(6);
    noRuns(dir);
    expectInputError(() => readVerifiedResults(dir, "--baseline", { summary: false, eventSteps: true }), /event-steps\.json: does not match its integrity hash/);
  });

  it("a negative step in event-steps.json, even with a recomputed integrity hash", async () => {
    const dir = copy();
    noRuns(dir);
    const file = join(dir, "event-steps.json");
    const { integrity: _i, ...steps } = JSON.parse(readFileSync(file, "utf8"));
    steps.runs[0].events.spurious = -500;
    const { sealed } = await import("../../src/store/derivedSource.js");
    writeFileSync(file, JSON.stringify(sealed(steps)));
    expectInputError(() => readVerifiedResults(dir, "--baseline", { summary: false, eventSteps: true }), /event-steps\.json: runs\[0\]\.events\.spurious: must be a step in \[0, 40\] or null, got -500/);
  });

  it("a summary number edited by hand", async () => {
    const dir = copy();
    noRuns(dir);
    const file = join(dir, "summary.json");
    writeFileSync(file, readFileSync(file, "utf8").replace(/"reachedFraction": [0-9.]+/, '"reachedFraction": 0.999'));
    expectInputError(() => readVerifiedResults(dir, "check", { summary: true, eventSteps: false }), /summary\.json: does not match its integrity hash/);
  });

  it("an interrupted growth (6 → 2000 seeds) leaves the old summary: check --baseline fails as incomplete", async () => {
    const dir = copy();
    const grown = join(work, "grown.json5");
    writeFileSync(grown, readFileSync(tiny, "utf8").replace("seeds: 3", "seeds: 2000"));
    // What a crash right after the new config.resolved.json was written leaves: the old summary, one more run.
    const config = loadStudyConfig(grown);
    const file = join(dir, "config.resolved.json");
    const parsed = JSON.parse(readFileSync(file, "utf8"));
    parsed.config.seeds = config.seeds;
    writeFileSync(file, JSON.stringify({ hash: parsed.hash, contentHash: configHash(parsed.config), config: parsed.config }, null, 2));
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary.completeness.complete).toBe(true); // what the stale file says
    const r = await cli("check", dir, "--baseline", ref);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL 3994 runs of the study's config missing/);
    expect(r.stderr).toMatch(/summary\.json: built under another config\.resolved\.json/);
  });
});

describe("the directory is the tool's alone: no link followed out of it", () => {
  const outside = () => {
    const file = join(work, `outside${++n}.txt`);
    writeFileSync(file, "someone else's file\n");
    return file;
  };

  it("runs.jsonl linked to a file elsewhere: study refuses, the file is untouched", async () => {
    const dir = copy();
    const target = outside();
    rmSync(join(dir, "runs.jsonl"));
    symlinkSync(target, join(dir, "runs.jsonl"));
    const r = await cli("study", tiny, "--out", dir, "--quiet", "--kernel", "bits", "--seeds", "4");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/runs\.jsonl: a symbolic link; shortcut-bench never follows a link/);
    expect(readFileSync(target, "utf8")).toBe("someone else's file\n");
  });

  it("summary.json linked elsewhere: check refuses it", async () => {
    const dir = copy();
    rmSync(join(dir, "summary.json"));
    symlinkSync(join(ref, "summary.json"), join(dir, "summary.json"));
    expectInputError(() => readVerifiedResults(dir, "check", { summary: true, eventSteps: false }), /summary\.json: a symbolic link/);
  });

  it("figures/ linked to a folder elsewhere: report refuses, nothing written there", async () => {
    const dir = copy();
    const elsewhere = join(work, `elsewhere${++n}`);
    mkdirSync(elsewhere);
    rmSync(join(dir, "figures"), { recursive: true });
    symlinkSync(elsewhere, join(dir, "figures"));
    const r = await cli("report", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/figures: a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("weights/ linked to a folder elsewhere: --save-weights refuses, nothing written there", async () => {
    const dir = join(work, `weights-link${++n}`);
    const elsewhere = join(work, `elsewhere${n}`);
    mkdirSync(elsewhere);
    expect((await cli("study", tiny, "--out", dir, "--quiet", "--kernel", "bits", "--seeds", "1")).code).toBe(0);
    symlinkSync(elsewhere, join(dir, "weights"));
    const r = await cli("study", tiny, "--out", dir, "--quiet", "--kernel", "bits", "--seeds", "2", "--save-weights");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/weights: a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("runs.jsonl a named pipe: refused at once, no read waits for a writer", async () => {
    const dir = copy();
    rmSync(join(dir, "runs.jsonl"));
    if (spawnSync("mkfifo", [join(dir, "runs.jsonl")]).status !== 0) return;
    expectInputError(() => readResults(dir), /runs\.jsonl: not a regular file/);
  });

  it("runs.jsonl a directory: refused naming it", async () => {
    const dir = copy();
    rmSync(join(dir, "runs.jsonl"));
    mkdirSync(join(dir, "runs.jsonl"));
    expectInputError(() => readResults(dir), /runs\.jsonl: not a regular file/);
  });
});

describe("every write under the lock, into a directory the tool owns", () => {
  it("export --out onto another study's directory is refused; its runs.csv is untouched", async () => {
    const target = copy();
    writeFileSync(join(target, "runs.csv"), "theirs\n");
    const other = join(work, `other-name${++n}.json5`);
    writeFileSync(other, readFileSync(tiny, "utf8").replace('"tiny"', '"another"'));
    const dir = join(work, `another${n}`);
    expect((await cli("study", other, "--out", dir, "--quiet", "--kernel", "bits")).code).toBe(0);
    const r = await cli("export", dir, "--out", target);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/results of a different study/);
    expect(readFileSync(join(target, "runs.csv"), "utf8")).toBe("theirs\n");
  });

  it("export --out into a user's folder is refused; into a new folder, twice, it works", async () => {
    const user = join(work, `user${++n}`);
    mkdirSync(user);
    writeFileSync(join(user, "notes.txt"), "mine\n");
    expect((await cli("export", ref, "--out", user)).code).toBe(2);
    const fresh = join(work, `tables${n}`);
    expect((await cli("export", ref, "--out", fresh)).code).toBe(0);
    expect((await cli("export", ref, "--out", fresh, "--what", "runs")).code).toBe(0);
    expect(readdirSync(fresh).sort()).toEqual(["effects.csv", "events.csv", "runs.csv", "trajectories.csv"]);
  });

  it("export into a directory in use waits for nobody: exit 2 naming the holder", async () => {
    const dir = copy();
    const { config } = readResolvedConfig(dir);
    const held = takeExportDir(dir, config, "holder");
    try {
      const r = await cli("export", dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`in use by process ${process.pid} on .* \\(holder`));
    } finally {
      held.close();
    }
  });

  it("a variant grid saves one weights folder per (condition, seed): 6 runs, 6 folders", async () => {
    const variants = join(work, "variants.json5");
    writeFileSync(variants, `{ name: "v", base: { d: 8, width: 16, batch: 8, steps: 20, evalEvery: 10, testPerGroup: 16 }, grid: { variant: [{}, { activation: "leaky" }, { bias: true }] }, seeds: 2 }`);
    const dir = join(work, "variants");
    const r = await cli("study", variants, "--out", dir, "--quiet", "--kernel", "bits", "--save-weights");
    expect(r.code, r.stderr).toBe(0);
    const folders = lines(dir).map((l) => JSON.parse(l).weights);
    expect(new Set(folders).size).toBe(6);
    expect(readdirSync(join(dir, "weights"))).toHaveLength(6);
    expect(runWeightsName({ variant: { a: 1 } }, 0)).not.toBe(runWeightsName({ variant: { a: 2 } }, 0));
    expect(runWeightsName({ lambda: "x".repeat(400) }, 7).length).toBeLessThan(255);
  });

  it("a 300-character study name is refused at load, and no reports/ folder is left behind", async () => {
    const cwd = join(work, `names${++n}`);
    mkdirSync(cwd);
    writeFileSync(join(cwd, "long.json5"), readFileSync(tiny, "utf8").replace('"tiny"', `"${"a".repeat(300)}"`));
    const r = spawnSync(process.execPath, [bin, "study", "long.json5", "--quiet"], { encoding: "utf8", cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/long\.json5: name: 300 characters, more than the 100/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual(["long.json5"]);
  });

  it("an --out whose name the file system cannot hold: exit 2, no stack trace, nothing made", async () => {
    const cwd = join(work, `outs${++n}`);
    mkdirSync(cwd);
    const r = spawnSync(process.execPath, [bin, "study", tiny, "--out", join("reports", "b".repeat(300)), "--quiet"], { encoding: "utf8", cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is 300 bytes, more than the 255/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("locks that recover", () => {
  const lockIn = (dir: string, holder: unknown, ageMs = 0) => {
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, typeof holder === "string" ? holder : JSON.stringify(holder));
    const then = (Date.now() - ageMs) / 1000;
    utimesSync(file, then, then);
    return file;
  };
  const take = (dir: string) => takeResultsDir(dir, null, { fresh: false, flag: "report", command: "test" });
  const me = () => ({ pid: process.pid, host: hostname(), startTime: processStartTime(process.pid), bootId: null, command: "x", since: "then" });

  it("an empty lock older than the grace period (its writer died writing it) is taken over", async () => {
    const dir = copy();
    lockIn(dir, "", LOCK_WRITE_GRACE_MS + 1000);
    take(dir).close();
  });

  it("a lock of garbage, or of 100 kB, older than the grace period is taken over", async () => {
    const dir = copy();
    lockIn(dir, "\u0000\u0000{", LOCK_WRITE_GRACE_MS + 1000);
    take(dir).close();
    lockIn(dir, "x".repeat(100_000), LOCK_WRITE_GRACE_MS + 1000);
    take(dir).close();
  });

  it("a lock whose PID is alive but started at another time (a reused PID) is taken over", async () => {
    const dir = copy();
    if (processStartTime(process.pid) === null) return; // no /proc: only "the process is gone" is seen
    lockIn(dir, { ...me(), startTime: "1" });
    take(dir).close();
    if (processStartTime(1) !== null) {
      lockIn(dir, { ...me(), pid: 1, startTime: String(Number(processStartTime(1)) + 12345) });
      take(dir).close(); // a restarted container: PID 1 again, another process
    }
  });

  it("a lock of this very process (same start time) is in use; one of another host is never taken over", async () => {
    const dir = copy();
    lockIn(dir, me());
    expectInputError(() => take(dir), new RegExp(`in use by process ${process.pid}`));
    lockIn(dir, { ...me(), host: "elsewhere.example", pid: 424242 });
    expectInputError(() => take(dir), /in use by process 424242 on elsewhere\.example .*a lock of another host cannot be checked from here/);
    rmSync(join(dir, LOCK_FILE));
  });

  it("a lock from before a reboot (another boot id) is stale", async () => {
    const dir = copy();
    lockIn(dir, { ...me(), bootId: "00000000-0000-0000-0000-000000000000", pid: 1 });
    const lock = DirectoryLock.acquire(dir, "test");
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe("files the user names: a config, rules, a baseline, init's folder", () => {
  it("a named pipe or a device as the config, the rules or the bench baseline is refused at once (a read would block past SIGTERM)", async () => {
    const fifo = join(work, "config.fifo");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return; // no mkfifo here
    expectInputError(() => loadStudyConfig(fifo), /config\.fifo: not a regular file \(a pipe or a device\)/);
    expectInputError(() => readJson5File(fifo), /config\.fifo: not a regular file/);
    expectInputError(() => readBaseline(fifo), /--baseline .*config\.fifo: cannot read it \(not a regular file/);
    if (existsSync("/dev/zero")) expectInputError(() => loadStudyConfig("/dev/zero"), /\/dev\/zero: not a regular file/); // would never end
  });

  it("init into a results directory is refused; nothing is written there", async () => {
    const dir = copy();
    await expect(initCommand({ dir, name: "study", force: false })).rejects.toThrow(/a results directory \(it holds config\.resolved\.json\)/);
    expect(existsSync(join(dir, "study.json5"))).toBe(false);
  });
});

describe("no stack trace for any file, flag or config given", () => {
  it("a missing config, a directory as a config, a file as --out, a report of nothing", async () => {
    appendFileSync(join(work, "plain.txt"), "x");
    for (const args of [["study", join(work, "nope.json5")], ["study", work], ["study", tiny, "--out", join(work, "plain.txt")], ["report", join(work, "nope")], ["export", join(work, "plain.txt")], ["merge", join(work, "nope"), "--out", join(work, "m")]]) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).not.toMatch(/\n\s+at /);
    }
  });
});
