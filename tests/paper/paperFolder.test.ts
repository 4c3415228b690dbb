// `paper` writes only under locks (issue 20): its folder (page, figures, timing.json) is the tool's
// alone and locked for the whole command; each study's directory is locked while the page reads
// it. A folder holding a user's files, one in use by another paper command, a study being written
// by another process and a damaged timing.json are refused with exit 2, and nothing is written.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/config/inputError.js";
import { TIMING_FILE } from "../../src/paper/paperFolder.js";
import { runPaper } from "../../src/paper/runPaper.js";
import { LOCK_FILE, processStartTime } from "../../src/store/lock.js";

const configs = fileURLToPath(new URL("../../configs/paper", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "shortcut-bench-paper-folder-"));
let n = 0;
const folder = () => join(work, `paper${++n}`);
const pageOnly = (out: string) => runPaper({ configs, out, threads: 1, pageOnly: true, log: () => {} });
/** A lock held by this very process (alive, same start time): in use. */
const lockOf = (dir: string) =>
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), startTime: processStartTime(process.pid), bootId: null, command: "another paper", since: "now" }));

async function refused(out: string, pattern: RegExp): Promise<void> {
  const err = await pageOnly(out).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(pattern);
  expect(existsSync(join(out, "README.md"))).toBe(false);
  expect(existsSync(join(out, "figures"))).toBe(false);
}

/** A small study, standing in for a paper study's results directory. */
const tinyResults = join(work, "tiny");
beforeAll(() => {
  const config = join(work, "tiny.json5");
  writeFileSync(config, `{ name: "tiny", base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 }, grid: { lambda: [0, 1] }, seeds: 2 }`);
  const r = spawnSync(process.execPath, [bin, "study", config, "--out", tinyResults, "--quiet", "--kernel", "bits"], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("paper: every write under a lock, only into the paper's own folder", () => {
  it("writes the page and releases the folder's lock", async () => {
    const out = folder();
    await pageOnly(out);
    expect(readFileSync(join(out, "README.md"), "utf8")).toMatch(/^# /);
    expect(readdirSync(out).filter((name) => name.startsWith(LOCK_FILE))).toEqual([]);
  }, 60_000);

  it("refuses a folder holding a user's files", async () => {
    const out = folder();
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "mine");
    await refused(out, /--out .*: holds files that are not the paper's \(notes\.txt\); nothing was written/);
  });

  it("refuses a folder in use by another paper command", async () => {
    const out = folder();
    mkdirSync(out);
    lockOf(out);
    await refused(out, new RegExp(`in use by process ${process.pid} .*another paper`));
  });

  it("reads a study's results only under its directory's lock", async () => {
    const out = folder();
    mkdirSync(out);
    const study = join(out, "variants");
    mkdirSync(study);
    for (const name of ["config.resolved.json", "runs.jsonl"]) writeFileSync(join(study, name), readFileSync(join(tinyResults, name)));
    lockOf(study);
    await refused(out, /variants: in use by process/);
  });

  it("refuses a damaged or linked timing.json, naming it", async () => {
    const out = folder();
    mkdirSync(out);
    writeFileSync(join(out, TIMING_FILE), JSON.stringify({ suppression: { wallSeconds: -1, runs: 1, computed: 1, date: "x" } }));
    await refused(out, /timing\.json: 'suppression' has a field missing or out of range/);
    writeFileSync(join(out, TIMING_FILE), "{");
    await refused(out, /timing\.json: not JSON/);
    rmSync(join(out, TIMING_FILE));
    writeFileSync(join(work, "elsewhere.json"), "{}");
    symlinkSync(join(work, "elsewhere.json"), join(out, TIMING_FILE));
    await refused(out, /timing\.json: a symbolic link/);
  });
});
