// study --from DIR / study DIR/config.resolved.json: a results directory reproduces its own study;
// the config's description heads the report; a merged report's reproduce line is a study command.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../support/cliInProcess.js";

const cli = (...args: string[]) => runCli(args);

/** The runs of a results directory without what depends on the machine (wall time, engine). */
function runsOf(dir: string): unknown[] {
  return readFileSync(join(dir, "runs.jsonl"), "utf8").trim().split("\n").map((line) => {
    const { wallMs: _w, engine: _e, ...rest } = JSON.parse(line);
    return rest;
  }).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe("a results directory reproduces its own study", () => {
  const root = mkdtempSync(join(tmpdir(), "shortcut-bench-reproduce-"));
  const config = join(root, "tiny.json5");
  writeFileSync(config, JSON.stringify({
    name: "tiny",
    description: "Two λ, two seeds: a study small enough to reproduce in a test.",
    base: { d: 8, width: 16, batch: 8, steps: 30, evalEvery: 10, testPerGroup: 16, initA: 0.5 },
    grid: { lambda: [0, 1] },
    seeds: 2,
  }));
  const original = join(root, "original");
  let first: CliResult;
  beforeAll(async () => {
    first = await cli("study", config, "--out", original, "--quiet", "--threads", "2");
  });

  it("study --from DIR and study DIR/config.resolved.json compute the same runs, under the same hash", async () => {
    expect(first.code).toBe(0);
    const fromDir = join(root, "from");
    const fromFile = join(root, "fromFile");
    expect((await cli("study", "--from", original, "--out", fromDir, "--quiet")).code).toBe(0);
    const r = await cli("study", join(original, "config.resolved.json"), "--out", fromFile, "--quiet");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const dir of [fromDir, fromFile]) {
      expect(runsOf(dir)).toEqual(runsOf(original));
      expect(JSON.parse(readFileSync(join(dir, "config.resolved.json"), "utf8")).hash).toBe(JSON.parse(readFileSync(join(original, "config.resolved.json"), "utf8")).hash);
    }
  });

  it("refuses to reproduce a study into the directory it comes from (exit 2)", async () => {
    const r = await cli("study", "--from", original, "--out", original, "--quiet");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out .*: the directory the study is reproduced from/);
  });

  it("--from a file, not a results directory, says there is no config.resolved.json (exit 2)", async () => {
    const file = join(original, "report.md");
    const r = await cli("study", "--from", file, "--out", join(original, "..", "from-file"), "--quiet");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.md\/config\.resolved\.json: no such file \(is this a results directory\?\)/);
    expect(r.stderr).not.toMatch(/ENOTDIR/);
  });

  it("the config's description heads the report", async () => {
    const lines = readFileSync(join(original, "report.md"), "utf8").split("\n");
    expect(lines.slice(0, 3)).toEqual(["# Study tiny", "", "Two λ, two seeds: a study small enough to reproduce in a test."]);
  });

  it("a merged report's reproduce line is the study command that reproduces it, not the merge", async () => {
    const merged = join(root, "merged");
    expect((await cli("merge", original, "--out", merged)).code).toBe(0);
    const report = readFileSync(join(merged, "report.md"), "utf8");
    expect(report).toContain(`npx shortcut-bench study --from ${merged} --out ${merged}-reproduced`);
    expect(report).not.toContain("npx shortcut-bench merge");
  });
});
