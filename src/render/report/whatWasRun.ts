// The line under a report's title that says what was run: the grid, the seeds, the steps, the
// tool and how long it took, and the command that reproduces it.
import type { RunRecord } from "../../store/runRecord.js";
import { countOf, formatInteger, formatParam, formatSeconds } from "../format.js";
import type { ReportInput } from "./reportInput.js";
import { divergedOf } from "../../analysis/summary/diverged.js";
import { DETAILS_FILE } from "../../store/resultsDir.js";

/** "lambda ∈ {0, 0.5, 1} × width ∈ {16, 32}"; "the base params" without a grid. */
function gridText(grid: Readonly<Record<string, readonly unknown[]>>): string {
  const keys = Object.entries(grid);
  if (keys.length === 0) return "the base params";
  return keys.map(([key, values]) => `${key} ∈ {${values.map(formatParam).join("; ")}}`).join(" × ");
}

/** "2,000 steps", or "500–2,000 steps" when the conditions differ. */
function stepsText(records: readonly RunRecord[]): string {
  const steps = [...new Set(records.map((r) => r.params.steps))].sort((a, b) => a - b);
  if (steps.length === 0) return "no runs";
  return steps.length === 1 ? `${formatInteger(steps[0])} steps` : `${formatInteger(steps[0])}–${formatInteger(steps[steps.length - 1])} steps`;
}

/** " **3 runs diverged** …": said where any did, since the tables of report.md may not show it. */
function divergedText(summary: ReportInput["summary"]): string {
  const n = summary.conditions.reduce((sum, c) => sum + divergedOf(c).n, 0);
  if (n === 0) return "";
  return ` **${countOf(n, "run")} diverged** (${DETAILS_FILE} lists them under Divergences and censoring; their final metrics are left out).`;
}

export function whatWasRunLine(input: ReportInput): string {
  const { summary, records, config, meta } = input;
  const took = meta.timing === null ? "" : ` in ${formatSeconds(meta.timing.wallSeconds)}`;
  return (
    `**Ran** ${countOf(records.length, "run")}${took}: ${countOf(summary.conditions.length, "condition")} (${gridText(config.grid)}) × ` +
    `${countOf(config.seeds.length, "seed")}, ${stepsText(records)} each, shortcut-bench ${meta.version}` +
    `${meta.gitCommit === null ? "" : ` (${meta.gitCommit})`}.${divergedText(summary)} Reproduce with \`${input.command}\`.`
  );
}
