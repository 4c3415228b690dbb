// Results directories a study owns: the lock, refusing other studies' and users' directories,
// --fresh deleting exactly the tool's files, growing studies, the one runs reader (duplicates,
// malformed and foreign records, kernels), the verified config.resolved.json, and merge.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/config/inputError.js";
import { configHash } from "../../src/store/configHash.js";
import { DirectoryLock, LOCK_FILE } from "../../src/store/lock.js";
import { collectRuns } from "../../src/store/runSet.js";
import { readRunsFile, runKey } from "../../src/store/runsFile.js";
import { selectShard, shardFileName } from "../../src/store/shardSpec.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { mergeStudies } from "../../src/study/merge.js";
import { readResolvedConfig, studyHash, type ResolvedStudyConfig } from "../../src/study/resolvedConfig.js";
import { openStudyResults, takeResultsDir } from "../../src/study/resultsDir.js";
import { expectInputError } from "../support/expectInputError.js";
import { fakeRecord, fakeStudy, line, snapshot } from "../support/fakeRecord.js";

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-results-"));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const configA: ResolvedStudyConfig = { name: "study", base: fakeStudy.base, grid: { lambda: [0, 0.5, 1] }, seeds: [0, 1, 2], events: fakeStudy.events, charts: [], checks: [], kernel: "bits" };
const configB: ResolvedStudyConfig = { ...configA, base: { ...fakeStudy.base, width: 32 } };
const open = (dir: string, config = configA, opts: { fresh?: boolean; runsFileName?: string; narrow?: boolean } = {}) =>
  openStudyResults(dir, config, { fresh: opts.fresh ?? false, runsFileName: opts.runsFileName ?? "runs.jsonl", command: "test", narrow: opts.narrow });
const keyOf = (r: RunRecord) => runKey(r.condition, r.seed);
async function rejectsInputError(promise: Promise<unknown>, pattern: RegExp): Promise<InputError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).message).toMatch(pattern);
  return err as InputError;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A study in `dir` that finished `records` into `runsFileName`. */
function studyWith(dir: string, records: RunRecord[], runsFileName?: string, config = configA): void {
  const results = open(dir, config, { runsFileName });
  for (const r of records) results.appender.append(r);
  results.appender.close();
  results.close();
}

describe("a study's results directory", () => {
  it("creates the directory, holds the lock while open, writes config.resolved.json with the study hash", () => {
    const dir = join(tempDir(), "nested", "out");
    const results = open(dir);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    results.appender.close();
    results.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(results.runs.records).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "config.resolved.json"), "utf8"))).toEqual({ hash: studyHash(configA), contentHash: configHash(configA), config: configA });
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", "runs.jsonl"]);
  });

  it("resumes after a torn file: the torn tail is cut off and appends continue on a clean line", () => {
    const dir = tempDir();
    const done3 = [fakeRecord(0, 0), fakeRecord(0, 1), fakeRecord(0.5, 0)];
    studyWith(dir, done3);
    const file = join(dir, "runs.jsonl");
    appendFileSync(file, line(fakeRecord(0.5, 1)).slice(0, 77)); // killed halfway through a write
    const resumed = open(dir);
    expect(resumed.runs.records).toEqual(done3);
    expect(resumed.runs.warnings).toEqual([`${file}: dropped a torn last line (77 bytes) — that run will be re-run`]);
    expect(readFileSync(file, "utf8")).toBe(done3.map(line).join(""));
    resumed.appender.append(fakeRecord(0.5, 1));
    resumed.appender.close();
    resumed.close();
    expect(readRunsFile(file, fakeStudy).records).toEqual([...done3, fakeRecord(0.5, 1)]);
  });

  it("refuses another study, saying what differs, and writes nothing (no lock left either)", () => {
    const dir = tempDir();
    studyWith(dir, [fakeRecord(0, 0)]);
    writeFileSync(join(dir, "summary.json"), "{}\n");
    appendFileSync(join(dir, "runs.jsonl"), '{"torn'); // must not be truncated by a refused call
    const before = snapshot(dir);
    const err = expectInputError(() => open(dir, configB), /different study \(base\.width was 128, now 32\); nothing was written — use --fresh/);
    expect(err.file).toBe(join(dir, "config.resolved.json"));
    expectInputError(() => open(dir, { ...configA, name: "other" }), /holds study 'study', not 'other'/);
    expectInputError(() => open(dir, { ...configA, kernel: "f32" }), /made with kernel 'bits', not 'f32'/);
    expectInputError(() => open(dir, { ...configA, events: { spurious: { metric: "spuriousGap", op: ">=", value: 0.6 } } }), /event definitions changed/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a non-empty directory that is not a study's, even with --fresh, and leaves it as it was", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "report.md"), "# my notes\n");
    writeFileSync(join(dir, "runs.jsonl"), line(fakeRecord(0, 0)));
    const before = snapshot(dir);
    for (const fresh of [false, true]) {
      expectInputError(() => open(dir, configA, { fresh }), /not empty \(report\.md, runs\.jsonl\) and not a results directory of shortcut-bench \(no config\.resolved\.json\)/);
      expect(snapshot(dir)).toEqual(before);
    }
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    expectInputError(() => open(file), /--out .*a-file: exists and is not a directory/);
    expectInputError(() => open(join(file, "below")), /a path through a file/);
    expectInputError(() => open(""), /--out: an empty path/);
  });

  it("--fresh deletes exactly the tool's files by name and keeps everything else", () => {
    const dir = tempDir();
    studyWith(dir, [fakeRecord(0, 0)]);
    const mine = ["runs.shard-2-of-3.jsonl", "summary.json", "event-steps.json", "report.md"];
    const theirs = ["runs-2023.jsonl", "runsheet.jsonl", "runs.shard-02-of-3.jsonl", "runs.shard-4-of-3.jsonl", "notes.txt"];
    for (const name of [...mine, ...theirs]) writeFileSync(join(dir, name), "x\n");
    const fresh = open(dir, configB, { fresh: true });
    fresh.appender.close();
    fresh.close();
    expect(fresh.runs.records).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", "runs.jsonl", ...theirs].sort());
    expect(readFileSync(join(dir, "runs.jsonl"), "utf8")).toBe("");
    expect(readResolvedConfig(dir).hash).toBe(studyHash(configB));
  });

  it("--fresh deletes the weights the runs list, by exact name, and nothing a record's path could point elsewhere", () => {
    const dir = tempDir();
    studyWith(dir, [
      { ...fakeRecord(0, 0), weights: "weights/lambda=0-seed0", weightsSteps: [10] },
      { ...fakeRecord(0, 1), weights: "elsewhere" },
    ]);
    const folder = join(dir, "weights", "lambda=0-seed0");
    mkdirSync(join(folder, "step10"), { recursive: true });
    for (const f of ["W.npy", "a.npy", "b.npy", "step10/W.npy", "step10/a.npy", "step10/b.npy"]) writeFileSync(join(folder, f), "x");
    writeFileSync(join(dir, "weights", "mine.txt"), "keep");
    mkdirSync(join(dir, "elsewhere"));
    writeFileSync(join(dir, "elsewhere", "W.npy"), "keep");
    const fresh = open(dir, configA, { fresh: true });
    fresh.appender.close();
    fresh.close();
    expect(existsSync(folder)).toBe(false);
    expect(readFileSync(join(dir, "weights", "mine.txt"), "utf8")).toBe("keep");
    expect(readFileSync(join(dir, "elsewhere", "W.npy"), "utf8")).toBe("keep");
  });

  it("temporary files a killed writer left beside the tool's files are removed under the lock; others stay", () => {
    const dir = tempDir();
    studyWith(dir, []);
    writeFileSync(join(dir, ".summary.json.4242.tmp"), "half");
    writeFileSync(join(dir, ".notes.txt.4242.tmp"), "theirs");
    studyWith(dir, []);
    expect(readdirSync(dir).sort()).toEqual([".notes.txt.4242.tmp", "config.resolved.json", "runs.jsonl"]);
  });

  it("grows: more seeds and grid values keep every finished run; fewer set the others aside, kept in the file", () => {
    const dir = tempDir();
    const done = [fakeRecord(0, 0), fakeRecord(0, 2), fakeRecord(1, 1)];
    studyWith(dir, done);
    const grown = { ...configA, grid: { lambda: [0, 0.5, 1, 0.75] }, seeds: [0, 1, 2, 3, 4] };
    expect(studyHash(grown)).toBe(studyHash(configA));
    const more = open(dir, grown);
    more.appender.close();
    more.close();
    expect(more.runs.records).toEqual(done);
    expect(readResolvedConfig(dir).config.seeds).toEqual([0, 1, 2, 3, 4]);

    const narrower = { ...configA, grid: { lambda: [0] }, seeds: [0, 1] };
    const written = readFileSync(join(dir, "config.resolved.json"), "utf8");
    expect(() => open(dir, narrower)).toThrow(/holds 3 runs of study 'study'; this config asks for 1 of them, so 2 would be set aside .*Pass --narrow/);
    expect(readFileSync(join(dir, "config.resolved.json"), "utf8")).toBe(written); // nothing written
    const fewer = open(dir, narrower, { narrow: true });
    fewer.appender.close();
    fewer.close();
    expect(fewer.runs.records).toEqual([fakeRecord(0, 0)]);
    expect(fewer.runs.setAside).toEqual([fakeRecord(0, 2), fakeRecord(1, 1)]);
    expect(readRunsFile(join(dir, "runs.jsonl"), fakeStudy).records).toEqual(done); // nothing deleted
  });

  it("a shard resumes from its own file", () => {
    const dir = tempDir();
    const name = shardFileName(2, 3);
    studyWith(dir, [fakeRecord(1, 2)], name);
    const again = open(dir, configA, { runsFileName: name });
    again.appender.close();
    again.close();
    expect(again.runs.records.map(keyOf)).toEqual(['{"lambda":1}#2']);
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", name]);
  });
});

describe("the lock", () => {
  it("a second writer is refused, naming the holder; released, the directory is free again", () => {
    const dir = tempDir();
    const first = takeResultsDir(dir, configA, { fresh: false, flag: "--out", command: "study a.json5" });
    const err = expectInputError(() => takeResultsDir(dir, configA, { fresh: false, flag: "--out", command: "study b.json5" }), /in use by process \d+ on .* \(study a\.json5, since /);
    expect(err.message).toContain(String(process.pid));
    first.close();
    takeResultsDir(dir, configA, { fresh: false, flag: "--out", command: "again" }).close();
  });

  it("a lock left by a process that is gone is stale and taken over", () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const pid = Number(gone.stdout);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), command: "killed", since: "earlier" }));
    const lock = DirectoryLock.acquire(dir, "me");
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    lock.release();
    // A holder on another host cannot be checked: never taken over.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: "elsewhere", command: "study", since: "earlier" }));
    expectInputError(() => DirectoryLock.acquire(dir, "me"), /in use by process \d+ on elsewhere/);
  });
});

describe("the one runs reader", () => {
  const wanted = new Set([fakeRecord(0, 0), fakeRecord(0, 1)].map(keyOf));

  it("counts an identical duplicate once, and refuses one with a different result, naming both lines", () => {
    const dir = tempDir();
    const file = join(dir, "runs.jsonl");
    writeFileSync(file, [fakeRecord(0, 0), fakeRecord(0, 1), { ...fakeRecord(0, 0), wallMs: 5, engine: { ...fakeRecord(0, 0).engine, threads: 9 } }].map(line).join(""));
    const runs = collectRuns([file], { wanted, study: fakeStudy });
    expect(runs.records).toEqual([fakeRecord(0, 0), fakeRecord(0, 1)]);
    expect(runs.warnings).toEqual(["1 run found more than once with identical results; each counted once"]);
    appendFileSync(file, line({ ...fakeRecord(0, 1), events: { spurious: 45, signal: null } }));
    expectInputError(() => collectRuns([file], { wanted, study: fakeStudy }), new RegExp(`${escape(file)}:4: run \\{"lambda":0\\}#1 is also at ${escape(file)}:2 with a different result`));
  });

  it("sets aside records the config does not ask for", () => {
    const file = join(tempDir(), "runs.jsonl");
    writeFileSync(file, [fakeRecord(0, 0), fakeRecord(0, 7), fakeRecord(0.5, 0)].map(line).join(""));
    const runs = collectRuns([file], { wanted, study: fakeStudy });
    expect(runs.records.map(keyOf)).toEqual(['{"lambda":0}#0']);
    expect(runs.setAside.map(keyOf)).toEqual(['{"lambda":0}#7', '{"lambda":0.5}#0']);
  });

  it("a malformed record is an error naming file:line and the field", () => {
    const file = join(tempDir(), "runs.jsonl");
    const { events: _events, ...noEvents } = fakeRecord(0, 1);
    writeFileSync(file, line(fakeRecord(0, 0)) + JSON.stringify(noEvents) + "\n" + line(fakeRecord(0, 2)));
    expectInputError(() => collectRuns([file], { wanted, study: fakeStudy }), new RegExp(`${escape(file)}:2: not a run record of this study: field 'events': must be an object, got nothing`));
    writeFileSync(file, line({ ...fakeRecord(0, 0), trajectory: 3 } as unknown as RunRecord) + line(fakeRecord(0, 2)));
    expectInputError(() => collectRuns([file], { wanted, study: fakeStudy }), /:1: not a run record of this study: field 'trajectory': must be an array of 1 to 10002 evaluations, got 3/);
  });

  it("refuses runs of another kernel", () => {
    const file = join(tempDir(), "runs.jsonl");
    writeFileSync(file, line(fakeRecord(0, 0)));
    expectInputError(() => collectRuns([file], { wanted, kernel: "simd", study: fakeStudy }), /:1: run made with kernel 'bits', but these results are of kernel 'simd'/);
  });
});

describe("config.resolved.json", () => {
  it("is verified against its hash: a hand-edited event threshold or a missing field is refused", () => {
    const dir = tempDir();
    studyWith(dir, []);
    const file = join(dir, "config.resolved.json");
    const written = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...written, config: { ...written.config, events: { spurious: { metric: "spuriousGap", op: ">=", value: 0.6 } } } }));
    expectInputError(() => readResolvedConfig(dir), /does not match its hash \(the file was edited/);
    // An unedited file of an earlier results version says so, not that it was edited.
    writeFileSync(file, JSON.stringify({ ...written, hash: studyHash(written.config, 1) }));
    expectInputError(() => readResolvedConfig(dir), /written by an earlier shortcut-bench whose runs compute results version 1; this one computes version \d+ .*--fresh/);
    // With both hashes made to match, the bounds still hold: 2·10⁶ conditions are refused unread.
    const huge = { ...written.config, grid: { lambda: Array.from({ length: 2000 }, (_, i) => i / 2000), width: Array.from({ length: 1000 }, (_, i) => i + 1) } };
    writeFileSync(file, JSON.stringify({ hash: studyHash(huge), contentHash: configHash(huge), config: huge }));
    expectInputError(() => readResolvedConfig(dir), /config\.resolved\.json: grid: has more than 100000 conditions/);
  });
});

describe("directories written before the study hash", () => {
  it("are read (hash of the whole config), but not resumed into: their runs were computed by an earlier engine", () => {
    const dir = tempDir();
    const { kernel: _kernel, ...legacy } = configA;
    writeFileSync(join(dir, "config.resolved.json"), JSON.stringify({ hash: configHash(legacy), config: legacy }));
    writeFileSync(join(dir, "runs.jsonl"), line(fakeRecord(0, 0)));
    expect(readResolvedConfig(dir).config).toEqual(legacy);
    expectInputError(() => open(dir), /written by an earlier version of shortcut-bench.*use --fresh/);
    const fresh = open(dir, configA, { fresh: true });
    fresh.appender.close();
    fresh.close();
    expect(readResolvedConfig(dir).hash).toBe(studyHash(configA));
  });
});

describe("merge", () => {
  const lambdas = [0, 0.5, 1];
  const seeds = [0, 1, 2, 10];
  const config = { ...configA, seeds };
  const studyOrder = lambdas.flatMap((lambda) => seeds.map((seed) => fakeRecord(lambda, seed)));
  const merge = (dirs: string[], out: string) => mergeStudies(dirs, out, { command: "merge" });
  const mergedRuns = (out: string) => readRunsFile(join(out, "runs.jsonl"), fakeStudy).records;

  it("joins 3 shard directories into exactly the records of the unsharded study, in canonical order", async () => {
    const root = tempDir();
    studyWith(join(root, "whole"), studyOrder, undefined, config);
    const shardDirs = [1, 2, 3].map((i) => {
      const dir = join(root, `shard${i}`);
      // Different wall times and engines on each machine: still the same results.
      const mine = selectShard(studyOrder, keyOf, i, 3).map((r) => ({ ...fakeRecord(r.condition.lambda as number, r.seed, 999), engine: { ...r.engine, threads: 16 } }));
      studyWith(dir, mine, shardFileName(i, 3), config);
      return dir;
    });
    // Machine 2 also ran a pair of shard 1 again: an identical duplicate.
    appendFileSync(join(shardDirs[1], shardFileName(2, 3)), line(selectShard(studyOrder, keyOf, 1, 3)[0]));
    const out = join(root, "merged");
    const merged = await merge(shardDirs, out);
    expect(merged.summary.completeness).toMatchObject({ complete: true, expected: 12, present: 12, missing: 0, setAside: 0 });
    const strip = ({ wallMs: _w, engine: _e, ...rest }: RunRecord) => rest;
    expect(mergedRuns(out).map(strip)).toEqual(studyOrder.map(strip));
    expect(readFileSync(join(out, "config.resolved.json"), "utf8")).toBe(readFileSync(join(root, "whole", "config.resolved.json"), "utf8"));
    expect(readdirSync(out).sort()).toEqual(["config.resolved.json", "details.md", "event-steps.json", "figures", "report.html", "report.md", "runs.jsonl", "summary.json"]);
  });

  it("onto a directory of the same study: the union, de-duplicated; missing runs are said", async () => {
    const root = tempDir();
    const out = join(root, "out");
    studyWith(out, studyOrder.slice(0, 6), undefined, config);
    const shard = join(root, "shard");
    studyWith(shard, studyOrder.slice(4, 9), shardFileName(1, 2), config);
    const merged = await merge([shard], out);
    expect(mergedRuns(out)).toEqual(studyOrder.slice(0, 9));
    expect(merged.summary.completeness).toMatchObject({ complete: false, expected: 12, present: 9, missing: 3 });
    expect(merged.summary.completeness.conditions.map((c) => c.missingSeeds)).toEqual([[], [], [1, 2, 10]]);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/Incomplete study: 9 of 12 runs present, 3 missing/);
  });

  it("refuses directories of different configs, and an --out holding another study's or a user's files; writes nothing", async () => {
    const root = tempDir();
    const a = join(root, "a");
    const b = join(root, "b");
    studyWith(a, [fakeRecord(0, 0)]);
    studyWith(b, [fakeRecord(0, 1)], undefined, configB);
    const out = join(root, "out");
    const err = await rejectsInputError(merge([a, b], out), new RegExp(`^${escape(a)} and ${escape(b)} were made with different configs \\(their 'base' differ\\)`));
    expect(err.file).toBe(join(b, "config.resolved.json"));
    expect(existsSync(out)).toBe(false);
    const before = snapshot(b);
    await rejectsInputError(merge([a], b), /results of a different study/);
    expect(snapshot(b)).toEqual(before);
    const user = join(root, "user");
    mkdirSync(user);
    writeFileSync(join(user, "runs.jsonl"), "mine\n");
    await rejectsInputError(merge([a], user), /not a results directory of shortcut-bench/);
    expect(readFileSync(join(user, "runs.jsonl"), "utf8")).toBe("mine\n");
    await rejectsInputError(merge([join(root, "nope")], out), /nope: no such directory/);
  });
});
