// The paper's claims in small: each configs/paper/ study with fewer seeds (and, where it says so, fewer
// dimensions, λ values or steps), run through the paper module on the real engine, must pass its own
// checks — so a change to the model, the engine or the statistics that breaks a claim fails the suite —
// and the page it writes must carry the summaries' numbers and its figures. The full studies
// (`npm run paper`, reports/paper/README.md) decide the claims with margin; these subsets keep the
// settings where the effects are large, so that 10–12 seeds decide them too.
import { DOMParser } from "@xmldom/xmldom";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelParams } from "../../src/config/modelKeys.js";
import { runPaper, type PaperRun } from "../../src/paper/runPaper.js";
import { analyzeScaling } from "../../src/paper/exponent.js";
import { formatEventMedian, formatMeanCI, formatValue } from "../../src/render/format.js";
import { visibleWidth } from "../../src/render/table.js";

/** What each quick subset changes in its study; the checks stay the study's own. */
const SUBSETS: Record<string, { seeds: number; grid?: Record<string, unknown[]>; base?: Partial<ModelParams>; why: string }> = {
  "spurious-first": { seeds: 10, why: "all four λ, 10 seeds" },
  suppression: {
    seeds: 12,
    grid: { lambda: [0.5, 0.75, 0.9, 1] },
    why: "λ ≥ 0.5, where each step of λ delays XOR by tens of steps; λ = 0 → 0.25 → 0.5 needs the full study's seeds",
  },
  "maximal-correlation": {
    seeds: 10,
    grid: { d: [32, 64], lambda: [0, 1] },
    base: { steps: 1000 },
    why: "d ∈ {32, 64}, 1000 steps (still ≥ 10× XOR's own signal step there)",
  },
  "constant-correlation": { seeds: 10, base: { steps: 1000 }, why: "1000 steps instead of 10 000" },
  "sample-complexity": { seeds: 4, grid: { d: [64, 128, 256] }, why: "d ∈ {64, 128, 256}, 4 seeds" },
};

const out = mkdtempSync(join(tmpdir(), "shortcut-bench-paper-"));
let paper: PaperRun;

beforeAll(async () => {
  paper = await runPaper({
    configs: fileURLToPath(new URL("../../configs/paper", import.meta.url)),
    out,
    threads: 2,
    only: Object.keys(SUBSETS),
    adjust: (name, config) => {
      const subset = SUBSETS[name];
      if (subset === undefined) return;
      config.seeds = Array.from({ length: subset.seeds }, (_, i) => i);
      if (subset.grid !== undefined) config.grid = { ...config.grid, ...subset.grid };
      if (subset.base !== undefined) config.base = { ...config.base, ...subset.base };
    },
    log: () => {},
  });
}, 240_000);

describe("the paper's claims, quick subsets of configs/paper/", () => {
  for (const [name, subset] of Object.entries(SUBSETS)) {
    it(`${name} (${subset.why}) passes its own checks`, () => {
      const study = paper.studies.get(name)!;
      expect(study.checks).not.toBeNull();
      const counted = study.checks!.lines.filter((l) => !l.startsWith("NOTE"));
      expect(counted.length).toBeGreaterThanOrEqual(study.config.checks.length); // every rule was applied
      expect(counted.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    });
  }
});

describe("the paper page", () => {
  const page = () => readFileSync(join(out, "README.md"), "utf8");

  it("is the page runPaper returned, with a section per claim and the verdicts", () => {
    expect(page()).toBe(paper.page);
    for (const heading of ["## Verdicts", "## 1. ", "## 2. ", "## 3. ", "## 4. ", "## Variants"]) expect(page()).toContain(heading);
    expect(page()).toMatch(/\| 1\. Spurious first, exponentially fast +\| \[spurious-first\]\(spurious-first\/report\.md\) +\| \*\*PASS\*\* \d+\/\d+ /);
  });

  it("states the summaries' numbers", () => {
    const first = paper.studies.get("spurious-first")!.summary;
    const lambda1 = first.conditions.find((c) => c.condition.lambda === 1)!;
    const rows = page().split("\n").filter((l) => l.startsWith("| 1 "));
    expect(rows.some((l) => l.includes(`${formatEventMedian(lambda1.events.spurious)} (10/10)`))).toBe(true);
    expect(rows.some((l) => l.includes(formatMeanCI(lambda1.rates.spuriousRate)))).toBe(true);
    const constant = paper.studies.get("constant-correlation")!.summary.conditions[0];
    expect(page()).toContain(formatMeanCI(constant.final.coefSpurious));
    expect(page()).toMatch(/Growth with d: .* is \*\*-?\d/);
  });

  it("gives differences of means between λ values as the summary's paired t (the same seeds ran both)", () => {
    const suppression = paper.studies.get("suppression")!.summary;
    const paired = suppression.valueComparisons!.find((c) => c.from.lambda === 0.75 && c.to.lambda === 0.9)!.values["at100.coefSignal"];
    const rows = page().split("\n").filter((l) => l.startsWith("| 0.75 → 0.9 ")); // the table may be split in parts
    expect(rows.some((l) => l.includes(`${formatValue(paired.diff)} [${formatValue(paired.lo)}, ${formatValue(paired.hi)}]`))).toBe(true);
    expect(page()).toMatch(/\| Δ coefSignal at 100 \(paired t\) +\|/);
  });

  it("links one figure per claim, each an SVG with its axis titles", () => {
    for (const [claim, axis] of [[1, "ln mass"], [2, "signal step (steps)"], [3, "samples to learn XOR (log scale)"], [4, "final coefficient of f"]] as const) {
      expect(page()).toContain(`](figures/paper-claim${claim}.svg)`);
      const svg = readFileSync(join(out, "figures", `paper-claim${claim}.svg`), "utf8");
      const doc = new DOMParser({ onError: (level, message) => { if (level !== "warning") throw new Error(message); } }).parseFromString(svg, "image/svg+xml");
      const texts = Array.from(doc.getElementsByTagName("text")).map((t) => t.textContent ?? "");
      expect(texts, `claim ${claim}`).toContain(axis);
      expect(Number(doc.documentElement!.getAttribute("width"))).toBeLessThanOrEqual(800);
    }
  });

  it("gives claim 3 at scale: the samples per d, the exponent with its CI, local exponents and the d·(ln d)^k fits", () => {
    const section = page().slice(page().indexOf("### Claim 3 at scale"));
    const runs = JSON.parse(`[${readFileSync(join(out, "sample-complexity", "runs.jsonl"), "utf8").trim().split("\n").join(",")}]`);
    const scaling = analyzeScaling(runs, 0);
    expect(scaling.fitted).toEqual([64, 128, 256]);
    const exponent = scaling.whole!.exponent!;
    expect(section).toContain(`samples ∝ d^**${formatValue(exponent.estimate)}** [${formatValue(exponent.lo)}, ${formatValue(exponent.hi)}]`);
    expect(section).toContain(`64 → 128: ${formatValue(scaling.whole!.local[0].estimate)} [`);
    expect(section).toContain(scaling.whole!.formula);
    expect(section).toMatch(/\| d·\(ln d\)\^2 +\|/);
    expect(section).toMatch(/has the highest likelihood/);
    expect(section).toContain("](figures/paper-claim3-scale.svg)");
    expect(section).toMatch(/\| 256 +\| +\d+ \[\d+, (\d+|∞)\] \(4\/4\) +\| +0\/4 \(/);
  });

  it("has no table row showing more than 110 characters once rendered", () => {
    for (const line of page().split("\n").filter((l) => l.startsWith("|"))) expect(visibleWidth(line), line).toBeLessThanOrEqual(110);
  });
});
