// The GitHub workflow, checked offline: valid against the workflow schema (@action-validator/core
// bundles SchemaStore's), and it keeps the properties the project relies on.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { readBaseline, rowKey } from "../../src/bench/baseline.js";
import { parseBenchFlags } from "../../src/bench/flags.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const dir = join(repo, ".github", "workflows");
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));

interface Step { run?: string; uses?: string; if?: string }
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  permissions: Record<string, string>;
  jobs: Record<string, { permissions?: unknown; steps: Step[] }>;
}

const ci = parse(readFileSync(join(dir, "learning-regression.yml"), "utf8")) as Workflow;
const steps = Object.values(ci.jobs).flatMap((job) => job.steps);
const runs = steps.map((s) => s.run ?? "");

/** The argv of the shortcut-bench command in a step's `run`, as yargs would receive it. */
function argsOf(command: string): string[] {
  const words = command.match(/"[^"]*"|\S+/g) ?? [];
  return words.slice(words.indexOf("shortcut-bench") + 1).map((w) => w.replace(/^"|"$/g, ""));
}

describe("GitHub workflows", () => {
  it("are valid workflows (and the validator does catch a broken one)", () => {
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(validateWorkflow(readFileSync(join(dir, name), "utf8")).errors, name).toEqual([]);
    const broken = readFileSync(join(dir, "learning-regression.yml"), "utf8").replace("contents: read", "contents: reed");
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it("run once per pull request or main push, one at a time, with read-only permissions", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.on.push?.branches).toEqual(["main"]); // a PR's pushes run once, as pull_request
    expect(ci.concurrency.group).toContain("github.ref");
    expect(ci.concurrency["cancel-in-progress"]).toBe(true);
    expect(ci.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(ci.jobs)) expect(job.permissions).toBeUndefined();
  });

  it("runs the tests, the learning gate and a throughput gate against a committed baseline that covers every row", () => {
    expect(runs).toContain("npm test");
    expect(runs.some((r) => /shortcut-bench check \S+ --baseline reports\/ci-baseline/.test(r))).toBe(true);
    expect(existsSync(join(repo, "reports", "ci-baseline", "summary.json"))).toBe(true);
    const bench = runs.find((r) => r.includes("shortcut-bench bench"));
    expect(bench).toBeDefined();
    const args = argsOf(bench ?? "");
    const flag = (name: string) => args[args.indexOf(`--${name}`) + 1];
    const flags = parseBenchFlags({ sizes: flag("sizes"), threads: flag("threads"), shards: flag("shards"), tolerance: flag("tolerance"), baseline: flag("baseline") });
    expect(flags.tolerance).toBeGreaterThanOrEqual(0.4); // shared runners vary; only a large drop fails
    const baseline = readBaseline(join(repo, flags.baseline ?? ""));
    const baselineRows = new Set(baseline.rows.map(rowKey));
    for (const size of flags.sizes) {
      for (const threads of flags.threads) {
        for (const shardsMode of flags.modes) {
          for (const kernel of flags.kernels) expect(baselineRows, `${size.d},${size.width},${size.batch} ${threads} ${shardsMode} ${kernel}`).toContain(rowKey({ ...size, threads, shardsMode, kernel }));
        }
      }
    }
  });

  it("appends the study's report.md to the job summary, even when a gate failed", () => {
    const summary = steps.find((s) => (s.run ?? "").includes("$GITHUB_STEP_SUMMARY"));
    expect(summary?.if).toBe("always()");
    expect(summary?.run).toContain("results/ci/report.md");
  });

  it("the README's CI-matrix example is a valid workflow", () => {
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const block = /GitHub Actions matrix:\n\n```yaml\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const workflow = `name: sharded-study\non: workflow_dispatch\npermissions:\n  contents: read\n${block?.[1] ?? ""}`;
    expect(validateWorkflow(workflow).errors).toEqual([]);
    expect(block?.[1]).toContain("--shard ${{ matrix.shard }}/4");
  });
});
