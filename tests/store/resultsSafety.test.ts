// Results safety through the real bin: two writers on one directory, user directories, report over
// duplicates and records the config did not ask for, merges with missing shards, and the resume line.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "shortcut-bench-safety-"));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 120_000, cwd: work });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const write = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return join(work, name);
};

const tiny = write("tiny.json5", `{ name: "tiny", base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 }, grid: { lambda: [0, 1] }, seeds: 3 }`);
/** Runs long enough (~0.2 s each, one at a time) for a second process to meet the first. */
const slow = write("slow.json5", `{ name: "slow", base: { d: 32, width: 64, batch: 8, steps: 20000, evalEvery: 1000, testPerGroup: 32 }, grid: { lambda: [1] }, seeds: 6 }`);
const ref = join(work, "ref");

beforeAll(() => {
  expect(cli("study", tiny, "--out", ref, "--quiet").code).toBe(0);
});

async function waitFor(condition: () => boolean): Promise<void> {
  const started = Date.now();
  while (!condition() && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
}

describe("one writer per results directory", () => {
  it("a second study, merge or report on a directory in use exits 2 naming the holder; the first is untouched", async () => {
    const dir = join(work, "busy");
    const endless = write("endless.json5", read(work, "slow.json5").replace("seeds: 6", "seeds: 1000").replace('"slow"', '"endless"'));
    const first = spawn(process.execPath, [bin, "study", endless, "--out", dir, "--threads", "1", "--quiet"], { cwd: work });
    let firstErr = "";
    first.stderr.on("data", (chunk) => (firstErr += chunk));
    const exited = new Promise<number | null>((resolve) => first.on("exit", (c) => resolve(c)));
    await waitFor(() => existsSync(join(dir, ".shortcut-bench.lock")));
    for (const args of [["study", endless, "--out", dir, "--quiet"], ["study", endless, "--out", dir, "--quiet", "--fresh"], ["merge", dir, "--out", dir], ["report", dir]]) {
      const second = cli(...args);
      expect(second.code, args.join(" ")).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`in use by process ${first.pid} on .*\\(npx shortcut-bench study .*endless\\.json5`));
    }
    first.kill("SIGTERM");
    expect(await exited).toBe(130);
    expect(firstErr).toMatch(/^shortcut-bench: interrupted by SIGTERM: finished runs are kept; resume with: /);
    const seeds = read(dir, "runs.jsonl").trimEnd().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l).seed);
    expect(new Set(seeds).size).toBe(seeds.length); // nobody else appended
    expect(existsSync(join(dir, ".shortcut-bench.lock"))).toBe(false);
  });

  it("Ctrl-C names the exact command that resumes (without --fresh), and the lock is gone", async () => {
    const dir = join(work, "interrupted");
    const child = spawn(process.execPath, [bin, "study", slow, "--out", dir, "--threads", "1", "--quiet", "--fresh"], { cwd: work });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    await waitFor(() => existsSync(join(dir, "runs.jsonl")) && read(dir, "runs.jsonl").length > 0);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain(`interrupted by SIGINT: finished runs are kept; resume with: npx shortcut-bench study ${slow} --out ${dir} --threads 1 --quiet\n`);
    expect(existsSync(join(dir, ".shortcut-bench.lock"))).toBe(false);
  });
});

describe("signals at any moment", () => {
  it("SIGTERM during start-up (the directory just taken, no run finished): exit 130 with the message, nothing left behind", async () => {
    const dir = join(work, "startup");
    const child = spawn(process.execPath, [bin, "study", slow, "--out", dir, "--threads", "1", "--quiet"], { cwd: work });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    await waitFor(() => existsSync(join(dir, ".shortcut-bench.lock")));
    child.kill("SIGTERM");
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/^shortcut-bench: interrupted by SIGTERM: finished runs are kept; resume with: npx shortcut-bench study /);
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
  });
});

describe("directories that are not a study's", () => {
  it("a directory with a user's files is refused, with or without --fresh, and left as it was", () => {
    const dir = join(work, "home");
    mkdirSync(dir);
    writeFileSync(join(dir, "report.md"), "# my report\n");
    writeFileSync(join(dir, "runs-2023.jsonl"), "{}\n");
    for (const extra of [[], ["--fresh"]]) {
      const r = cli("study", tiny, "--out", dir, "--quiet", ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not empty \(report\.md, runs-2023\.jsonl\) and not a results directory/);
    }
    expect(read(dir, "report.md")).toBe("# my report\n");
    expect(read(dir, "runs-2023.jsonl")).toBe("{}\n");
  });
});

describe("report reads runs the way study and merge do", () => {
  it("duplicates count once, records not in the config are set aside and said", () => {
    const dir = join(work, "dups");
    cpSync(ref, dir, { recursive: true });
    const lines = read(dir, "runs.jsonl").trimEnd().split("\n");
    const first = JSON.parse(lines[0]);
    const foreign = { ...first, seed: 99, params: { ...first.params, seed: 99 } }; // a whole run of a seed the config does not ask for
    appendFileSync(join(dir, "runs.jsonl"), `${lines[0]}\n${lines[4]}\n${JSON.stringify(foreign)}\n`);
    const r = cli("report", dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6 of 6 runs present; 1 run not in the config set aside/);
    const summary = JSON.parse(read(dir, "summary.json"));
    const reference = JSON.parse(read(ref, "summary.json"));
    expect(summary.completeness.setAside).toBe(1);
    // the same summary but for the completeness note and the integrity hash over the whole file
    expect({ ...summary, completeness: null, integrity: null }).toEqual({ ...reference, completeness: null, integrity: null });
    expect(read(dir, "report.md")).toMatch(/1 run found in the results but not asked for by the config/);
  });

  it("a duplicate with another result, or a malformed record, is exit 2 naming file:line; nothing is rewritten", () => {
    const dir = join(work, "bad-dup");
    cpSync(ref, dir, { recursive: true });
    const lines = read(dir, "runs.jsonl").trimEnd().split("\n");
    const summaryBefore = read(dir, "summary.json");
    appendFileSync(join(dir, "runs.jsonl"), JSON.stringify({ ...JSON.parse(lines[1]), events: { spurious: 1, signal: null } }) + "\n");
    let r = cli("report", dir);
    expect(r.code).toBe(2);
    const second = JSON.parse(lines[1]);
    expect(r.stderr).toContain(`${join(dir, "runs.jsonl")}:7: run {"lambda":${second.condition.lambda}}#${second.seed} is also at ${join(dir, "runs.jsonl")}:2 with a different result`);
    const { final: _final, ...noFinal } = JSON.parse(lines[1]);
    writeFileSync(join(dir, "runs.jsonl"), `${lines[0]}\n${JSON.stringify(noFinal)}\n${lines[2]}\n`);
    r = cli("report", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "runs.jsonl")}:2: not a run record of this study: field 'final': must be an object, got nothing`);
    expect(read(dir, "summary.json")).toBe(summaryBefore);
  });
});

describe("studies grow", () => {
  it("more seeds run only the new pairs; fewer set the others aside (kept, not counted); a changed base key needs --fresh", () => {
    const dir = join(work, "grow");
    cpSync(ref, dir, { recursive: true });
    const more = cli("study", tiny, "--out", dir, "--seeds", "5");
    expect(more.code, more.stderr).toBe(0);
    expect(more.stderr).toMatch(/2 conditions × 5 seeds, 6 already done \(resuming\)/);
    expect(read(dir, "runs.jsonl").trimEnd().split("\n")).toHaveLength(10);
    const summaryBefore = read(dir, "summary.json");
    const refused = cli("study", tiny, "--out", dir, "--seeds", "2");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds 10 runs of study .*; this config asks for 4 of them, so 6 would be set aside/);
    expect(read(dir, "summary.json")).toBe(summaryBefore);
    const fewer = cli("study", tiny, "--out", dir, "--seeds", "2", "--quiet", "--narrow");
    expect(fewer.code, fewer.stderr).toBe(0);
    const summary = JSON.parse(read(dir, "summary.json"));
    expect(summary.completeness).toMatchObject({ complete: true, expected: 4, present: 4, setAside: 6 });
    expect(read(dir, "runs.jsonl").trimEnd().split("\n")).toHaveLength(10);
    const changed = cli("study", write("tiny-lr.json5", read(work, "tiny.json5").replace("steps: 40", "steps: 40, lr: 0.3")), "--out", dir, "--quiet");
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/different study \(base\.lr was 0\.5, now 0\.3\).*--fresh/);
  });
});

describe("merge and completeness", () => {
  it("a missing shard: exit 1, the partial directory written and marked; --allow-partial exits 0", () => {
    for (const i of [1, 2]) expect(cli("study", tiny, "--out", join(work, `part${i}`), "--shard", `${i}/3`, "--quiet").code).toBe(0);
    const out = join(work, "partial");
    const r = cli("merge", join(work, "part1"), join(work, "part2"), "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/incomplete \(2 of 6 runs missing\).*--allow-partial/);
    const summary = JSON.parse(read(out, "summary.json"));
    expect(summary.completeness).toMatchObject({ complete: false, expected: 6, present: 4, missing: 2 });
    expect(read(out, "report.md")).toMatch(/Incomplete study: 4 of 6 runs present, 2 missing/);
    expect(cli("merge", join(work, "part1"), join(work, "part2"), "--out", out, "--allow-partial").code).toBe(0);
    // The third shard merged onto the partial directory completes it.
    expect(cli("study", tiny, "--out", join(work, "part3"), "--shard", "3/3", "--quiet").code).toBe(0);
    expect(cli("merge", join(work, "part3"), "--out", out).code).toBe(0);
    expect(read(out, "summary.json")).toBe(read(ref, "summary.json"));
  });
});
