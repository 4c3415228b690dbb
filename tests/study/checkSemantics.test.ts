// check DIR and study --check say the same when there is nothing to check; check --baseline alone runs
// the baseline test alone; an order rule of two events no run reached both of says so; a narrowing
// --grid is not blocked by the config's own checks, and --set checks=[] runs none.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";
import { loadStudyConfigWithOverrides } from "../../src/config/overrides.js";

const cli = (...args: string[]) => runCli(args);
const root = mkdtempSync(join(tmpdir(), "shortcut-bench-checks-"));
const base = { d: 8, width: 16, batch: 8, steps: 20, evalEvery: 10, testPerGroup: 16 };
function configFile(name: string, extra: Record<string, unknown>): string {
  const file = join(root, `${name}.json5`);
  writeFileSync(file, JSON.stringify({ name, base, grid: { lambda: [0, 1] }, seeds: 2, ...extra }));
  return file;
}

describe("check semantics", () => {
  it("no rules: check DIR and study --check exit 2 with the same words (study before running anything)", async () => {
    const file = configFile("none", {});
    const out = join(root, "none");
    expect((await cli("study", file, "--out", out, "--quiet")).code).toBe(0);
    const check = await cli("check", out);
    const study = await cli("study", file, "--out", join(root, "none2"), "--quiet", "--check");
    expect([check.code, study.code]).toEqual([2, 2]);
    expect(check.stderr).toMatch(/nothing to check: no rules in the checks of /);
    expect(study.stderr).toMatch(/nothing to check: no rules in the checks of /);
  });

  it("check --baseline alone runs the baseline test alone, not the config's rules", async () => {
    const file = configFile("ruled", { checks: [{ metric: "events.signal.reachedFraction", op: ">=", value: 2 }] });
    const out = join(root, "ruled");
    await cli("study", file, "--out", out, "--quiet");
    const r = await cli("check", out, "--baseline", out, "--allow-partial");
    expect(r.stdout).not.toMatch(/reachedFraction/);
    expect(r.stdout).toMatch(/baseline/i);
    expect((await cli("check", out)).code).toBe(1); // the rule itself fails when asked for
  });

  it("an order rule whose two events no run reached both of says so", async () => {
    const file = configFile("order", { checks: [{ where: { lambda: 1 }, metric: "order.signal.spurious.fraction", op: ">=", value: 0.5 }] });
    const out = join(root, "order");
    await cli("study", file, "--out", out, "--quiet");
    const r = await cli("check", out);
    expect(r.stdout).toMatch(/got no value: no run reached both signal and spurious/);
  });
});

describe("overrides and the config's checks", () => {
  it("a --grid that narrows a key leaves out the rules about its dropped values; --set checks=[] runs none", async () => {
    const quick = fileURLToPath(new URL("../../configs/quick.json5", import.meta.url));
    const narrowed = loadStudyConfigWithOverrides(quick, { set: [], grid: ["lambda=1"] });
    expect(narrowed.checks.map((c) => c.where)).toEqual([{ lambda: 1 }, { lambda: 1 }]);
    expect(loadStudyConfigWithOverrides(quick, { set: ["checks=[]"], grid: [] }).checks).toEqual([]);
    expect(() => loadStudyConfigWithOverrides(quick, { set: ["checks=none"], grid: [] })).toThrow(/--set checks: expected a list of check rules/);
  });
});
