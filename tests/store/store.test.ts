// The results store: canonical hashing, runs files (torn-line recovery, appends, malformed lines)
// and atomic writes. Results directories, the lock and merge: resultsDir.test.ts.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expectInputError } from "../support/expectInputError.js";
import { fakeRecord, fakeStudy, line } from "../support/fakeRecord.js";
import { canonicalJson, configHash } from "../../src/store/configHash.js";
import { writeFileAtomic } from "../../src/store/resultsDir.js";
import { readRunsFile, runKey, RunsAppender, truncateTornTail } from "../../src/store/runsFile.js";

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-store-"));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const configA = { name: "study", base: { d: 8, width: 16 }, grid: { lambda: [0, 0.5, 1] }, seeds: [0, 1, 2] };
const configB = { ...configA, base: { d: 8, width: 32 } };

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
    expect(readRunsFile(join(tempDir(), "runs.jsonl"), fakeStudy)).toEqual({ records: [], lines: [], tornLine: false, warnings: [] });
  });

  it("drops a torn last line with a warning naming the file and its size", () => {
    const file = join(tempDir(), "runs.jsonl");
    const records = [fakeRecord(0, 0), fakeRecord(0, 1), fakeRecord(0, 2)];
    const half = line(fakeRecord(0, 3)).slice(0, 200);
    writeFileSync(file, records.map(line).join("") + half);
    const read = readRunsFile(file, fakeStudy);
    expect(read.records).toEqual(records);
    expect(read.tornLine).toBe(true);
    expect(read.warnings).toEqual([`${file}: dropped a torn last line (200 bytes) — that run will be re-run`]);
  });

  it("drops a newline-terminated last line that does not parse (zeros left by a crash)", () => {
    const file = join(tempDir(), "runs.jsonl");
    writeFileSync(file, line(fakeRecord(1, 0)) + "\0\0\0\0\n");
    const read = readRunsFile(file, fakeStudy);
    expect(read.records.map((r) => r.seed)).toEqual([0]);
    expect(read.warnings).toEqual([`${file}: dropped a torn last line (5 bytes) — that run will be re-run`]);
    expect(truncateTornTail(file)).toBe(5);
    expect(readFileSync(file, "utf8")).toBe(line(fakeRecord(1, 0)));
  });

  it("a bad line that is not the last is an error naming file:line", () => {
    const file = join(tempDir(), "runs.jsonl");
    writeFileSync(file, line(fakeRecord(0, 0)) + '{"condition": {"lam\n' + line(fakeRecord(0, 1)));
    const err = expectInputError(() => readRunsFile(file, fakeStudy), /runs\.jsonl:2: not a JSON line/);
    expect(err.file).toBe(file);
    writeFileSync(file, '{"seed": 1}\n' + line(fakeRecord(0, 1)));
    expectInputError(() => readRunsFile(file, fakeStudy), /runs\.jsonl:1: not a run record/);
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
    // A runs file is a regular file of the results directory: a device (/dev/full) is refused.
    if (existsSync("/dev/full")) expectInputError(() => RunsAppender.open("/dev/full"), /^\/dev\/full: not a regular file/);
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
