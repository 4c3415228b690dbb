// The package as a new user gets it: `npm pack`, installed into an empty project, then study, run,
// report and check from there, with no configs/ of the user's own (the bundled one is used).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import JSON5 from "json5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let project = "";
let packedFiles: string[] = [];

function sh(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The installed bin, started the way the README's sbatch script starts it. */
function cli(...args: string[]) {
  return sh(process.execPath, [join(project, "node_modules", "shortcut-bench", "bin", "shortcut-bench.js"), ...args], project);
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "shortcut-bench-install-"));
  // dist/ is already built (pretest); the tarball is what `npm pack` ships after its prepack build.
  const pack = sh(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", project], repo);
  expect(pack.code, pack.stderr).toBe(0);
  packedFiles = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
  const tarball = readdirSync(project).find((name) => name.endsWith(".tgz"));
  expect(tarball).toBeDefined();
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-study", version: "1.0.0", private: true }));
  const install = sh(npm, ["install", `./${tarball}`, "--prefer-offline", "--no-audit", "--no-fund"], project);
  expect(install.code, install.stderr).toBe(0);
  // No install script to warn about or run: the tarball carries dist/ ready-built.
  expect(install.stdout + install.stderr).not.toMatch(/install-scripts|prepare|tsc/);
}, 120_000);

afterAll(() => {
  if (project !== "") rmSync(project, { recursive: true, force: true });
});

describe("installed from the packed tarball", () => {
  it("ships dist/, configs/ and schema/ but no compiler", () => {
    const installed = join(project, "node_modules", "shortcut-bench");
    for (const file of ["dist/cli.js", "dist/kernel/simd/shardKernel.wasm", "configs/quick.json5", "schema/study.schema.json", "LICENSE"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(existsSync(join(project, "node_modules", "typescript"))).toBe(false);
    // dist/ is built from a clean folder: no module of a source file that no longer exists, no maps.
    for (const file of packedFiles.filter((f) => f.startsWith("dist/") && f.endsWith(".js"))) {
      expect(existsSync(join(repo, "src", file.slice("dist/".length).replace(/\.js$/, ".ts"))), file).toBe(true);
    }
    expect(packedFiles.filter((f) => f.endsWith(".map"))).toEqual([]);
  });

  it("study with no config runs the bundled quick study, says so, and report and check accept its results", () => {
    const study = cli("study", "--seeds", "2", "--set", "steps=400", "--threads", "2");
    expect(study.code, study.stderr).toBe(0);
    expect(study.stderr).toContain(`no ./configs/quick.json5 here: using the one bundled with shortcut-bench, ${join(project, "node_modules", "shortcut-bench", "configs", "quick.json5")}`);
    const out = join(project, "reports", "quick");
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(["config.resolved.json", "report.md", "runs.jsonl", "summary.json"]));
    // The reproduce line is the command as typed here, which works here.
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("npx shortcut-bench study --seeds 2 --set steps=400 --threads 2");

    const report = cli("report", "reports/quick");
    expect(report.code, report.stderr).toBe(0);
    const check = cli("check", "reports/quick");
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/PASS/);
  });

  it("run trains one condition from flags", () => {
    const run = cli("run", "--d", "8", "--width", "16", "--batch", "8", "--steps", "30", "--evalEvery", "10", "--testPerGroup", "16", "--seeds", "2", "--quiet", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).runs).toHaveLength(2);
  });

  it("init writes a starter config whose $schema is the installed schema, and study runs it", () => {
    const init = cli("init", "studies", "--name", "tiny");
    expect(init.code, init.stderr).toBe(0);
    const file = join(project, "studies", "tiny.json5");
    const config = JSON5.parse(readFileSync(file, "utf8")) as { $schema: string; base: Record<string, unknown> };
    expect(config.$schema).toBe("../node_modules/shortcut-bench/schema/study.schema.json");
    expect(existsSync(resolve(dirname(file), config.$schema))).toBe(true);
    // Shrink it to seconds and run it.
    const tiny = readFileSync(file, "utf8").replace("base: { d: 128, width: 128, steps: 2000 }", "base: { d: 8, width: 16, batch: 8, steps: 40, evalEvery: 10, testPerGroup: 16 }").replace("seeds: 10", "seeds: 2");
    writeFileSync(file, tiny);
    const study = cli("study", "studies/tiny.json5", "--quiet");
    expect(study.code, study.stderr).toBe(0);
    expect(existsSync(join(project, "reports", "tiny", "summary.json"))).toBe(true);
  });
});
