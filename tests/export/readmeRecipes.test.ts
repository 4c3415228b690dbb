// The README's recipes run as written (issue 19 item 3): every fenced block that follows a line
// `<!-- recipe: r|pandas|lifelines -->` is run, unchanged, in a folder holding the export of a small
// real study at reports/answers/ (where the recipes read it): R blocks with Rscript, pandas and
// lifelines blocks with /usr/bin/python3 (or SB_PYTHON). A language whose interpreter or package is
// missing is skipped, and the reason printed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cliInProcess.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const PYTHON = process.env.SB_PYTHON ?? "/usr/bin/python3";
const RSCRIPT = process.env.SB_RSCRIPT ?? "Rscript";

type RecipeKind = "r" | "pandas" | "lifelines";

/** The marked blocks of a Markdown text, in order: the kind from the marker, the code inside the fence. */
function recipes(markdown: string): { kind: string; code: string }[] {
  return [...markdown.matchAll(/^<!-- recipe: (\w+) -->\n```\w*\n([\s\S]*?)^```$/gm)].map((m) => ({ kind: m[1], code: m[2] }));
}

/** Why a kind of recipe cannot run here, or null when it can. */
function missing(kind: RecipeKind): string | null {
  if (kind === "r") {
    const r = spawnSync(RSCRIPT, ["--vanilla", "-e", "quit(status = if (requireNamespace('survival', quietly = TRUE)) 0 else 3)"]);
    return r.error !== undefined ? `${RSCRIPT} not found` : r.status !== 0 ? "R's survival package is not installed" : null;
  }
  const module = kind === "pandas" ? "pandas" : "lifelines";
  const r = spawnSync(PYTHON, ["-c", `import ${module}`]);
  return r.error !== undefined ? `${PYTHON} not found` : r.status !== 0 ? `${PYTHON} cannot import ${module}` : null;
}

const KINDS: RecipeKind[] = ["r", "pandas", "lifelines"];
const absent = Object.fromEntries(KINDS.map((kind) => [kind, missing(kind)])) as Record<RecipeKind, string | null>;
for (const kind of KINDS) if (absent[kind] !== null) console.log(`readmeRecipes: the ${kind} recipes are skipped: ${absent[kind]}`);

const work = mkdtempSync(join(tmpdir(), "shortcut-bench-recipes-"));

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: work, encoding: "utf8", timeout: 120_000 });
}

describe("the README's recipes", () => {
  const all = recipes(README);

  beforeAll(async () => {
    if (KINDS.every((kind) => absent[kind] !== null)) return;
    // The worked example's grid keys (width spanning ×4, so it enters as log(width), and lambda), small.
    writeFileSync(join(work, "answers.json5"), `{
      name: "answers",
      base: { d: 8, batch: 8, steps: 80, evalEvery: 10, testPerGroup: 16 },
      grid: { width: [16, 64], lambda: [0, 0.5] },
      seeds: 3,
    }`);
    const study = await runCli(["study", "answers.json5", "--out", "reports/answers", "--quiet", "--threads", "2"], { cwd: work });
    expect(study.stderr).toBe("");
    expect(study.code).toBe(0);
    const exported = await runCli(["export", "reports/answers"], { cwd: work });
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
  }, 120_000);

  it("are marked for this test: R, pandas and lifelines each", () => {
    for (const kind of KINDS) expect(all.filter((r) => r.kind === kind).length, kind).toBeGreaterThan(0);
    expect(all.every((r) => (KINDS as string[]).includes(r.kind))).toBe(true);
  });

  it("fit one event at a time: every recipe that reads events.csv selects an event", () => {
    for (const { code } of all.filter((r) => r.code.includes("events.csv"))) expect(code).toMatch(/event == "signal"|\["event"\] == "signal"/);
  });

  it.skipIf(spawnSync(PYTHON, ["-c", "pass"]).error !== undefined)("parse as Python, lifelines' too where it cannot run", () => {
    for (const { kind, code } of all.filter((r) => r.kind !== "r")) {
      const r = spawnSync(PYTHON, ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: code, encoding: "utf8" });
      expect(r.status, `${kind} recipe:\n${code}\n${r.stderr}`).toBe(0);
    }
  });

  for (const kind of KINDS) {
    it.skipIf(absent[kind] !== null)(`run as written: ${kind}`, () => {
      all.filter((r) => r.kind === kind).forEach(({ code }, i) => {
        const file = join(work, `recipe-${kind}-${i}.${kind === "r" ? "R" : "py"}`);
        writeFileSync(file, code);
        const r = kind === "r" ? run(RSCRIPT, ["--vanilla", file]) : run(PYTHON, [file]);
        expect(r.error).toBeUndefined();
        expect(r.status, `${kind} recipe ${i} failed:\n${code}\n${r.stderr}`).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
      });
    }, 120_000);
  }
});
