// The results store: canonical hashing, torn-line recovery and resume, refusing a different config,
// --fresh, and merging shards back into one study.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectInputError } from "./support/expectInputError.js";
import { resolveParams } from "../src/config/modelKeys.js";
import { SCALAR_METRICS, type Metrics } from "../src/kernel/metricNames.js";
import { canonicalJson, configHash } from "../src/store/configHash.js";
import { mergeResultsDirs } from "../src/store/merge.js";
import { prepareResultsDir, writeFileAtomic } from "../src/store/resultsDir.js";
import { selectShard, shardFileName } from "../src/store/shardSpec.js";
import type { RunRecord } from "../src/store/runRecord.js";
import { readRunsFile, runKey, RunsAppender, truncateTornTail } from "../src/store/runsFile.js";

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-store-"));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A plausible finished run whose numbers depend on its condition and seed. */
function fakeRecord(lambda: number, seed: number, wallMs = 100 + seed): RunRecord {
  const metrics = (step: number): Metrics => {
    const m = Object.fromEntries(SCALAR_METRICS.map((name, i) => [name, i + lambda + seed / 100 + step / 1000])) as unknown as Metrics;
    m.acc = [1, 1, 1 - lambda, 1 - lambda / 2];
    return m;
  };
  return {
    condition: { lambda },
    params: resolveParams({ lambda, seed, steps: 50, evalEvery: 25 }),
    seed,
    events: { spurious: 25, signal: lambda === 1 ? null : 50 },
    rates: { spuriousRate: 0.13 + seed / 1000, signalRate: 0.03 },
    final: metrics(50),
    trajectory: [0, 25, 50].map((step) => ({ step, ...metrics(step) })),
    diverged: null,
    wallMs,
    engine: { threads: 2, shards: 1, kernel: "bits", version: "0.1.0" },
  };
}

const line = (r: RunRecord) => JSON.stringify(r) + "\n";
const configA = { name: "study", base: { d: 8, width: 16 }, grid: { lambda: [0, 0.5, 1] }, seeds: [0, 1, 2] };
const configB = { ...configA, base: { d: 8, width: 32 } };

/** Every file of a directory with its contents, to show that nothing was written. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

describe("canonicalJson and configHash", () => {
  it("sorts keys at every depth and has no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" }, "10": true, "2": null })).toBe(
      '{"10":true,"2":null,"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: [undefined, NaN] })).toBe('{"b":[null,null]}');
  });

  it("hashes configs that differ only in key order alike, and any changed value differently", () => {
    const h = configHash(configA);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash({ seeds: [0, 1, 2], grid: { lambda: [0, 0.5, 1] }, base: { width: 16, d: 8 }, name: "study" })).toBe(h);
    expect(configHash(configB)).not.toBe(h);
    expect(configHash({ ...configA, seeds: [0, 2, 1] })).not.toBe(h);
  });

  it("runKey is the canonical condition and the seed", () => {
    expect(runKey({ lambda: 0.5, d: 8 }, 3)).toBe('{"d":8,"lambda":0.5}#3');
    expect(runKey({}, 0)).toBe("{}#0");
  });
});

describe("runs file", () => {
  it("a missing file is empty", () => {
    expect(readRunsFile(join(tempDir(), "runs.jsonl"))).toEqual({ records: [], tornLine: false, warnings: [] });
  });

  it("drops a torn last line with a warning naming the file and its size", () => {
    const file = join(tempDir(), "runs.jsonl");
    const records = [fakeRecord(0, 0), fakeRecord(0, 1), fakeRecord(0, 2)];
    const half = line(fakeRecord(0, 3)).slice(0, 200);
    writeFileSync(file, records.map(line).join("") + half);
    const read = readRunsFile(file);
    expect(read.records).toEqual(records);
    expect(read.tornLine).toBe(true);
    expect(read.warnings).toEqual([`${file}: dropped a torn last line (200 bytes) — that run will be re-run`]);
  });

  it("drops a newline-terminated last line that does not parse (zeros left by a crash)", () => {
    const file = join(tempDir(), "runs.jsonl");
    writeFileSync(file, line(fakeRecord(1, 0)) + "\0\0\0\0\n");
    const read = readRunsFile(file);
    expect(read.records.map((r) => r.seed)).toEqual([0]);
    expect(read.warnings).toEqual([`${file}: dropped a torn last line (5 bytes) — that run will be re-run`]);
    expect(truncateTornTail(file)).toBe(5);
    expect(readFileSync(file, "utf8")).toBe(line(fakeRecord(1, 0)));
  });

  it("a bad line that is not the last is an error naming file:line", () => {
    const file = join(tempDir(), "runs.jsonl");
    writeFileSync(file, line(fakeRecord(0, 0)) + '{"condition": {"lam\n' + line(fakeRecord(0, 1)));
    const err = expectInputError(() => readRunsFile(file), /runs\.jsonl:2: not a JSON line/);
    expect(err.file).toBe(file);
    writeFileSync(file, '{"seed": 1}\n' + line(fakeRecord(0, 1)));
    expectInputError(() => readRunsFile(file), /runs\.jsonl:1: not a run record/);
  });

  it("appends whole lines and names the file when a write fails", () => {
    const dir = tempDir();
    const file = join(dir, "runs.jsonl");
    const appender = RunsAppender.open(file);
    appender.append(fakeRecord(0.5, 0));
    appender.append(fakeRecord(0.5, 1));
    appender.close();
    expect(readFileSync(file, "utf8")).toBe(line(fakeRecord(0.5, 0)) + line(fakeRecord(0.5, 1)));
    expect(() => appender.append(fakeRecord(0.5, 2))).toThrow(`${file}: append after close`);

    const missing = join(dir, "no-such-dir", "runs.jsonl");
    expect(() => RunsAppender.open(missing)).toThrow(`${missing}: could not open for appending`);
    if (existsSync("/dev/full")) {
      // A full disk: the write fails, and the error says which file and keeps its code.
      const full = RunsAppender.open("/dev/full");
      let caught: NodeJS.ErrnoException | undefined;
      try {
        full.append(fakeRecord(0, 0));
      } catch (err) {
        caught = err as NodeJS.ErrnoException;
      }
      full.close();
      expect(caught?.code).toBe("ENOSPC");
      expect(caught?.message).toMatch(/^\/dev\/full: could not append a finished run: ENOSPC/);
    }
  });

  it("writeFileAtomic replaces the file and leaves no temporary file", () => {
    const dir = tempDir();
    const file = join(dir, "summary.json");
    writeFileAtomic(file, "old\n");
    writeFileAtomic(file, "new\n");
    expect(readdirSync(dir)).toEqual(["summary.json"]);
    expect(readFileSync(file, "utf8")).toBe("new\n");
  });
});

describe("prepareResultsDir", () => {
  it("writes config.resolved.json with the hash and starts an empty runs file", () => {
    const dir = join(tempDir(), "nested", "out");
    const prepared = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false });
    prepared.appender.close();
    expect(prepared.done.size).toBe(0);
    expect(prepared.records).toEqual([]);
    expect(prepared.warnings).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "config.resolved.json"), "utf8"))).toEqual({ hash: configHash(configA), config: configA });
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", "runs.jsonl"]);
  });

  it("resumes after a torn file: the torn tail is cut off and appends continue on a clean line", () => {
    const dir = tempDir();
    const first = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false });
    const done3 = [fakeRecord(0, 0), fakeRecord(0, 1), fakeRecord(0.5, 0)];
    for (const r of done3) first.appender.append(r);
    first.appender.close();
    const file = join(dir, "runs.jsonl");
    appendFileSync(file, line(fakeRecord(0.5, 1)).slice(0, 77)); // killed halfway through a write

    const resumed = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false });
    expect(resumed.records).toEqual(done3);
    expect([...resumed.done]).toEqual(['{"lambda":0}#0', '{"lambda":0}#1', '{"lambda":0.5}#0']);
    expect(resumed.warnings).toEqual([`${file}: dropped a torn last line (77 bytes) — that run will be re-run`]);
    expect(readFileSync(file, "utf8")).toBe(done3.map(line).join(""));

    resumed.appender.append(fakeRecord(0.5, 1));
    resumed.appender.close();
    const after = readRunsFile(file);
    expect(after).toEqual({ records: [...done3, fakeRecord(0.5, 1)], tornLine: false, warnings: [] });
  });

  it("refuses a different config with an InputError and writes nothing", () => {
    const dir = tempDir();
    const first = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false });
    first.appender.append(fakeRecord(0, 0));
    first.appender.close();
    writeFileSync(join(dir, "summary.json"), "{}\n");
    appendFileSync(join(dir, "runs.jsonl"), "{\"torn"); // must not be truncated by a refused call
    const before = snapshot(dir);

    const err = expectInputError(
      () => prepareResultsDir(dir, { resolvedConfig: configB, fresh: false }),
      new RegExp(
        `^${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: results were made with a different config ` +
          `\\(hash ${configHash(configA).slice(0, 12)}… vs ${configHash(configB).slice(0, 12)}…\\); use --fresh to start over, or --out another directory$`,
      ),
    );
    expect(err.file).toBe(join(dir, "config.resolved.json"));
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses runs with no config.resolved.json, and writes nothing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "runs.shard-1-of-2.jsonl"), line(fakeRecord(0, 0)));
    const before = snapshot(dir);
    expectInputError(() => prepareResultsDir(dir, { resolvedConfig: configA, fresh: false }), /holds runs\.shard-1-of-2\.jsonl but no config\.resolved\.json/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("--fresh starts over: runs (all shards), summary and report are deleted, other files kept", () => {
    const dir = tempDir();
    const first = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false });
    first.appender.append(fakeRecord(0, 0));
    first.appender.close();
    writeFileSync(join(dir, "runs.shard-2-of-3.jsonl"), line(fakeRecord(1, 0)));
    writeFileSync(join(dir, "summary.json"), "{}\n");
    writeFileSync(join(dir, "report.md"), "# report\n");
    writeFileSync(join(dir, "notes.txt"), "mine\n");

    const fresh = prepareResultsDir(dir, { resolvedConfig: configB, fresh: true });
    fresh.appender.close();
    expect(fresh.done.size).toBe(0);
    expect(fresh.records).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", "notes.txt", "runs.jsonl"]);
    expect(readFileSync(join(dir, "runs.jsonl"), "utf8")).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "config.resolved.json"), "utf8")).hash).toBe(configHash(configB));
  });

  it("a shard resumes from its own file", () => {
    const dir = tempDir();
    const name = shardFileName(2, 3);
    expect(name).toBe("runs.shard-2-of-3.jsonl");
    const first = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false, runsFileName: name });
    first.appender.append(fakeRecord(1, 2));
    first.appender.close();
    const again = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false, runsFileName: name });
    again.appender.close();
    expect([...again.done]).toEqual(['{"lambda":1}#2']);
    expect(readdirSync(dir).sort()).toEqual(["config.resolved.json", "runs.shard-2-of-3.jsonl"]);
  });
});

describe("mergeResultsDirs", () => {
  const lambdas = [0, 0.5, 1];
  const seeds = [0, 1, 2, 10];
  const studyOrder = lambdas.flatMap((lambda) => seeds.map((seed) => fakeRecord(lambda, seed)));
  const keyOf = (r: RunRecord) => runKey(r.condition, r.seed);

  function runStudy(dir: string, records: RunRecord[], runsFileName?: string): void {
    const prepared = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false, runsFileName });
    for (const r of records) prepared.appender.append(r);
    prepared.appender.close();
  }

  it("joins 3 shard directories into exactly the records of the unsharded study, in canonical order", () => {
    const root = tempDir();
    runStudy(join(root, "whole"), studyOrder);
    const shardDirs = [1, 2, 3].map((i) => {
      const dir = join(root, `shard${i}`);
      // Different wall times and engines on each machine: still the same results.
      const mine = selectShard(studyOrder, keyOf, i, 3).map((r) => ({ ...fakeRecord(r.condition.lambda as number, r.seed, 999), engine: { ...r.engine, threads: 16 } }));
      runStudy(dir, mine, shardFileName(i, 3));
      return dir;
    });
    // Machine 2 also ran a pair of shard 1 again: an identical duplicate, no warning.
    appendFileSync(join(shardDirs[1], shardFileName(2, 3)), line(selectShard(studyOrder, keyOf, 1, 3)[0]));

    const out = join(root, "merged");
    const merged = mergeResultsDirs(shardDirs, out);
    expect(merged.warnings).toEqual([]);
    expect(merged.records.map(keyOf)).toEqual([
      ...[0, 1, 2, 10].map((s) => `{"lambda":0}#${s}`),
      ...[0, 1, 2, 10].map((s) => `{"lambda":0.5}#${s}`),
      ...[0, 1, 2, 10].map((s) => `{"lambda":1}#${s}`),
    ]);
    const strip = ({ wallMs: _w, engine: _e, ...rest }: RunRecord) => rest;
    expect(merged.records.map(strip)).toEqual(readRunsFile(join(root, "whole", "runs.jsonl")).records.map(strip));
    expect(readRunsFile(join(out, "runs.jsonl")).records).toEqual(merged.records);
    expect(readFileSync(join(out, "config.resolved.json"), "utf8")).toBe(readFileSync(join(root, "whole", "config.resolved.json"), "utf8"));
    expect(readdirSync(out).sort()).toEqual(["config.resolved.json", "runs.jsonl"]);
  });

  it("merges shard files gathered in one directory, into that directory", () => {
    const dir = tempDir();
    for (let i = 1; i <= 3; i++) runStudy(dir, selectShard(studyOrder, keyOf, i, 3), shardFileName(i, 3));
    const merged = mergeResultsDirs([dir], dir);
    expect(merged.warnings).toEqual([]);
    // The study order here (λ ascending, seeds 0, 1, 2, 10) is the canonical order.
    expect(merged.records).toEqual(studyOrder);
    expect(readRunsFile(join(dir, "runs.jsonl")).records).toEqual(merged.records);
    // A study resumed on the merged directory finds everything done.
    const resumed = prepareResultsDir(dir, { resolvedConfig: configA, fresh: false });
    resumed.appender.close();
    expect(resumed.done.size).toBe(12);
  });

  it("drops torn last lines and keeps the first of conflicting duplicates, with warnings", () => {
    const root = tempDir();
    const a = join(root, "a");
    const b = join(root, "b");
    runStudy(a, [fakeRecord(0, 0), fakeRecord(0, 1)], shardFileName(1, 2));
    const conflicting = { ...fakeRecord(0, 1), events: { spurious: 75, signal: null } };
    runStudy(b, [fakeRecord(1, 0), conflicting], shardFileName(2, 2));
    appendFileSync(join(b, shardFileName(2, 2)), line(fakeRecord(1, 1)).slice(0, 40));

    const merged = mergeResultsDirs([a, b], join(root, "out"));
    expect(merged.records).toEqual([fakeRecord(0, 0), fakeRecord(0, 1), fakeRecord(1, 0)]);
    const fileB = join(b, shardFileName(2, 2));
    expect(merged.warnings).toEqual([
      `${fileB}: dropped a torn last line (40 bytes) — that run will be re-run`,
      `${fileB}: run {"lambda":0}#1 differs from the copy in ${join(a, shardFileName(1, 2))}; kept the one from ${join(a, shardFileName(1, 2))}`,
    ]);
    // The inputs are left as they were.
    expect(readRunsFile(fileB).tornLine).toBe(true);
  });

  it("refuses directories made with different configs, naming both, and writes nothing", () => {
    const root = tempDir();
    const a = join(root, "a");
    const b = join(root, "b");
    runStudy(a, [fakeRecord(0, 0)]);
    const prepared = prepareResultsDir(b, { resolvedConfig: configB, fresh: false });
    prepared.appender.append(fakeRecord(0, 1));
    prepared.appender.close();
    const out = join(root, "out");
    const err = expectInputError(
      () => mergeResultsDirs([a, b], out),
      new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} and ${b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} were made with different configs \\(hash ${configHash(configA).slice(0, 12)}… vs ${configHash(configB).slice(0, 12)}…\\)`),
    );
    expect(err.file).toBe(join(b, "config.resolved.json"));
    expect(existsSync(out)).toBe(false);

    // Nor into an --out directory that holds another config's results.
    const before = snapshot(b);
    expectInputError(() => mergeResultsDirs([a], b), /holds results of a different config/);
    expect(snapshot(b)).toEqual(before);
  });

  it("refuses a directory with no config.resolved.json", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "x"));
    expectInputError(() => mergeResultsDirs([join(dir, "x")], join(dir, "out")), /x: no config\.resolved\.json/);
  });
});
