// The companion results on the paper page (issue 24), in small: each companion study of configs/paper/
// with 2 seeds and few steps, run through the paper module on the real engine. Too small to decide the
// claims (`npm run paper -- --only companions` does), but the page must carry a section per source
// result with the seeds' wording, each study's numbers from its summary, a verdict and a figure.
import { DOMParser } from "@xmldom/xmldom";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelParams } from "../../src/config/modelKeys.js";
import { runPaper, type PaperRun } from "../../src/paper/runPaper.js";
import { formatMeanCI } from "../../src/render/format.js";
import { visibleWidth } from "../../src/render/table.js";

const SMALL: Record<string, { grid?: Record<string, unknown[]>; base: Partial<ModelParams> }> = {
  "linear-baseline": { base: { steps: 100, trainSize: 256, batch: 256, testPerGroup: 64 } },
  "label-noise": { grid: { labelNoise: [0.2], variant: [{ trainSize: 256, batch: 256 }, { trainSize: 1024, batch: 1024 }] }, base: { steps: 500, testPerGroup: 64 } },
  "max-margin": { grid: { width: [16, 32] }, base: { steps: 2000, testPerGroup: 64 } },
  "simplicity-bias": { base: { steps: 300, testPerGroup: 64, d: 32, width: 32 } },
  "shortcut-margin": { grid: { variant: [{ trainSize: 16, batch: 16 }, { trainSize: 256, batch: 256 }] }, base: { steps: 500, testPerGroup: 64 } },
};

const out = mkdtempSync(join(tmpdir(), "shortcut-bench-companions-"));
let paper: PaperRun;

beforeAll(async () => {
  paper = await runPaper({
    configs: fileURLToPath(new URL("../../configs/paper", import.meta.url)),
    out,
    threads: 2,
    only: ["companions"],
    adjust: (name, config) => {
      const small = SMALL[name];
      if (small === undefined) return;
      config.seeds = [0, 1];
      if (small.grid !== undefined) config.grid = { ...config.grid, ...small.grid };
      config.base = { ...config.base, ...small.base };
      // the rules stay the study's own, except those on conditions or checkpoints the small grid lacks
      // the largest n of label-noise is 16384; its rules apply to the largest n here
      for (const rule of config.checks) if (rule.where.trainSize === 16384) rule.where = { ...rule.where, trainSize: 1024 };
      const inGrid = ([key, value]: [string, unknown]) =>
        key in config.grid ? config.grid[key].includes(value) : !("variant" in config.grid) || config.grid.variant.some((v) => (v as Record<string, unknown>)[key] === value);
      const reached = (metric: string) => !/^(at|change)\d+\./.test(metric) || Number(/\d+/.exec(metric)![0]) <= (small.base.steps ?? 0);
      config.checks = config.checks.filter((rule) => Object.entries(rule.where).every(inGrid) && reached(rule.metric));
    },
    log: () => {},
  });
}, 240_000);

describe("the companion results on the paper page", () => {
  const page = () => readFileSync(join(out, "README.md"), "utf8");

  it("runs every companion study (and only those) with `--only companions`", () => {
    expect([...paper.studies.keys()].sort()).toEqual(Object.keys(SMALL).sort());
  });

  it("has a section per source result, quoting the seeds, and a verdict per deciding study", () => {
    expect(page()).toContain("## Companion result 1: feature learning with label noise (`seeds/002`)");
    expect(page()).toContain("## Companion result 2: max margin and simplicity bias (`seeds/004`)");
    expect(page()).toContain("achieve generalization error close to the label noise rate");
    for (const name of ["linear-baseline", "label-noise", "max-margin", "simplicity-bias"]) {
      expect(page()).toMatch(new RegExp(`Report: \\[${name}\\]\\(${name}/report\\.md\\)\\. Verdict: \\*\\*(PASS|PARTIAL|FAIL)\\*\\* \\d+/\\d+`));
    }
    expect(page()).toMatch(/\| Both, in the shortcut setting \(no pass\/fail\) +\| \[shortcut-margin\]\(shortcut-margin\/report\.md\) +\| — /);
  });

  it("states the summaries' numbers", () => {
    const linear = paper.studies.get("linear-baseline")!.summary.conditions.find((c) => c.condition.activation === "linear")!;
    expect(page()).toContain(formatMeanCI(linear.final.accAvg));
    const margin = paper.studies.get("max-margin")!.summary.conditions[0];
    expect(page()).toContain(formatMeanCI(margin.final.cosMaxMargin));
    const shortcut = paper.studies.get("shortcut-margin")!.summary.conditions[1];
    expect(page()).toContain(formatMeanCI(shortcut.final.shortcutShareSvm));
  });

  it("links a figure per companion study, each an SVG with its axis title", () => {
    for (const [name, axis] of [["linear-baseline", "accuracy"], ["label-noise", "share"], ["max-margin", "1 − cos (log scale)"], ["simplicity-bias", "linearity (R²)"], ["shortcut-margin", "share on x2"]] as const) {
      expect(page()).toContain(`](figures/paper-${name}.svg)`);
      const svg = readFileSync(join(out, "figures", `paper-${name}.svg`), "utf8");
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      expect(Array.from(doc.getElementsByTagName("text")).map((t) => t.textContent ?? ""), name).toContain(axis);
    }
  });

  it("has no table row showing more than 110 characters once rendered", () => {
    for (const line of page().split("\n").filter((l) => l.startsWith("|"))) expect(visibleWidth(line), line).toBeLessThanOrEqual(110);
  });
});
