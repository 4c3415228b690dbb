// gap.spurious.signal of issue 18's done-when study (tests/support/answersStudy.ts) against R's
// survival::survfit on the exported events.csv: frozen reference values that always run, the live R
// fit where Rscript with survival is installed (skipped cleanly otherwise), and — slow, SB_SLOW=1 —
// the study itself, run again, giving the fixture's event steps.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { studentTQuantile } from "../../src/analysis/statistics/distributions.js";
import { summarizeStudy } from "../../src/analysis/summary.js";
import { conditionsOf, loadStudyConfig } from "../../src/config/studyConfig.js";
import { toCsv } from "../../src/export/csv.js";
import { buildTable } from "../../src/export/tables.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { ANSWERS_ROWS, answersRecords } from "../support/answersStudy.js";
import { survfitMedians } from "../support/rReference.js";

const CONFIG_FILE = fileURLToPath(new URL("../../configs/answers.json5", import.meta.url));
const config = loadStudyConfig(CONFIG_FILE);
const records = answersRecords();
const summary = summarizeStudy({ name: config.name, configHash: "test", events: config.events, grid: config.grid, conditions: conditionsOf(config), records, gaps: config.gaps });
const eventsCsv = toCsv(buildTable("events", records, conditionsOf(config), Object.keys(config.events), config.gaps));

/** The rows of a CSV file as column → cell (a quoted cell unquoted). */
function readCsv(text: string): Record<string, string>[] {
  const cellsOf = (line: string) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1].replace(/^"(.*)"$/s, "$1").replace(/""/g, '"'));
  const [header, ...lines] = text.trimEnd().split("\n");
  const names = cellsOf(header);
  return lines.map((line) => Object.fromEntries(cellsOf(line).map((cell, i) => [names[i], cell])));
}

/** gap.spurious.signal's median and CI in the λ = 0.5 condition of `width` (λ = 0 never reached spurious). */
function gapMedian(width: number): [number | null, number | null, number | null] {
  const c = summary.conditions.find((s) => s.condition.width === width && s.condition.lambda === 0.5)!;
  const g = c.gap!.spurious.signal;
  return [g.medianStep, g.medianLo, g.medianHi];
}

// R 4.2 with survival 3.5.3, on this file's events.csv:
//   g <- subset(read.csv("events.csv"), event == "gap.spurious.signal" & lambda == 0.5)
//   g$reached <- as.logical(toupper(g$reached))
//   summary(survfit(Surv(step, reached) ~ width, data = g))$table[, c("median", "0.95LCL", "0.95UCL")]
// (NA, an upper limit never reached, is null here).
const SURVFIT = { 16: [117.5, 93, null], 32: [98, 89, null], 64: [108.5, 103, null] } as const;

// The restricted means to τ = 150 − the condition's earliest spurious step, from the same R:
//   summary(survfit(Surv(step, reached) ~ 1, data = subset(g, width == w)), rmean = tau)$table[c("rmean", "se(rmean)")]
// [τ, rmean, se(rmean)]; R's se has no small-sample factor, ours is se·√(n/(n − 1)) with a t quantile.
const RMEAN = { 16: [140, 109.75, 5.127709311], 32: [141, 102.25, 5.248180902], 64: [138, 105.4166667, 3.307101646] } as const;

describe("gap.spurious.signal of the done-when study", () => {
  it("has the runs the issue describes: 9 of 72 signal events censored, gaps only where λ = 0.5", () => {
    expect(records).toHaveLength(72);
    expect(records.filter((r) => r.events.signal === null)).toHaveLength(9);
    for (const c of summary.conditions) {
      const g = c.gap!.spurious.signal;
      expect(g.n + g.noGap).toBe(12);
      expect(g.n).toBe(c.condition.lambda === 0.5 ? 12 : 0);
    }
  });

  it("agrees with survfit's frozen medians and CIs", () => {
    for (const width of [16, 32, 64] as const) expect(gapMedian(width), `width ${width}`).toEqual(SURVFIT[width]);
  });

  // The gap rows of the exported events.csv, per width at λ = 0.5, as survfit takes them.
  const gapRows = readCsv(eventsCsv).filter((row) => row.event === "gap.spurious.signal" && Number(row.lambda) === 0.5);
  it("has survfit's restricted means to the longest follow-up, and their t CI from R's standard error", () => {
    const t = studentTQuantile(0.975, 11);
    for (const width of [16, 32, 64] as const) {
      const g = summary.conditions.find((s) => s.condition.width === width && s.condition.lambda === 0.5)!.gap!.spurious.signal;
      const [tau, rmean, se] = RMEAN[width];
      expect(g.horizon).toBe(tau);
      expect(g.rmst!).toBeCloseTo(rmean, 6);
      const halfWidth = t * se * Math.sqrt(12 / 11);
      expect(g.rmstLo!).toBeCloseTo(rmean - halfWidth, 5);
      expect(g.rmstHi!).toBeCloseTo(rmean + halfWidth, 5);
    }
  });

  const R = survfitMedians(
    Object.fromEntries(
      [16, 32, 64].map((width) => {
        const rows = gapRows.filter((row) => Number(row.width) === width);
        return [`width${width}`, { time: rows.map((row) => Number(row.step)), observed: rows.map((row) => row.reached.toLowerCase() === "true") }];
      }),
    ),
  );

  it.skipIf(R === null)("agrees with survfit run now on the exported events.csv", () => {
    expect(gapRows).toHaveLength(36);
    for (const width of [16, 32, 64]) {
      const { median, lo, hi } = R![`width${width}`];
      expect(gapMedian(width), `width ${width}`).toEqual([median, lo, hi]);
    }
  });
});

describe.skipIf(process.env.SB_SLOW !== "1")("the done-when study (slow)", () => {
  it("run again gives the fixture's event steps", () => {
    const out = join(mkdtempSync(join(tmpdir(), "sb-answers-")), "answers");
    const bin = fileURLToPath(new URL("../../bin/shortcut-bench.js", import.meta.url));
    const r = spawnSync(process.execPath, [bin, "study", CONFIG_FILE, "--out", out, "--quiet"], { encoding: "utf8", timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    const runs = readFileSync(join(out, "runs.jsonl"), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as RunRecord);
    const rows = runs.map((x) => [x.condition.width, x.condition.lambda, x.seed, x.events.spurious, x.events.signal, x.diverged]);
    expect(rows.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number) || (a[2] as number) - (b[2] as number))).toEqual(ANSWERS_ROWS);
  }, 600_000);
});
