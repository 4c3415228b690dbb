// "## Median trajectories": the fenced ASCII charts of the median trajectories with their bands.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { conditionCharts, OVERLAY_MAX_CONDITIONS, overlaidCharts } from "../asciiTrajectories.js";
import { conditionLabel, countOf } from "../format.js";

/**
 * With few conditions, per metric group a block of one chart per metric with the conditions
 * overlaid; with more, per condition a block of its groups' charts.
 */
function asciiChartBlocks(summary: StudySummary, extraCharts: readonly (readonly string[])[]): string[] {
  const fence = (heading: string, charts: string[]) =>
    [`### ${heading}`, "", "```text", charts.length === 0 ? "(no trajectories to plot)" : charts.join("\n\n"), "```"].join("\n");
  if (summary.conditions.length <= OVERLAY_MAX_CONDITIONS) {
    const labels = summary.conditions.map((c) => conditionLabel(c.condition));
    return overlaidCharts(summary, labels, extraCharts).map((group) => fence(group.metrics.join(", "), group.charts));
  }
  return summary.conditions.map((c) => {
    const caption = `${conditionLabel(c.condition)}, median of ${countOf(c.runs, "seed")}`;
    return fence(conditionLabel(c.condition), conditionCharts(c, caption, extraCharts));
  });
}

export function medianTrajectoriesSection(summary: StudySummary, extraCharts: readonly (readonly string[])[]): string {
  return [
    "## Median trajectories",
    "",
    "Per evaluated step, the median across seeds (lines) and the 10th–90th percentiles (· bands); a step axis " +
      "of 100 steps or more is symlog (early steps stretched, so phase 1 is visible).",
    "",
    asciiChartBlocks(summary, extraCharts).join("\n\n"),
  ].join("\n");
}
