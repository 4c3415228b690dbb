// "## Checkpoints": one table per metric, a row per condition, a column per checkpoint step (at most a
// dozen), cells mean [95% CI].
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { isScalarMetric } from "../../kernel/metricNames.js";
import { conditionLabel, formatMeanCI } from "../format.js";
import { fittedMarkdownTable } from "../table.js";
import { HEADLINE_FINALS } from "./headline.js";
import type { ReportConfig } from "./reportInput.js";

/** Metrics shown at the checkpoints: the headline finals, then the metrics of the config's extra charts. */
function checkpointMetrics(config: ReportConfig): string[] {
  const metrics: string[] = [...HEADLINE_FINALS];
  for (const chart of config.charts) for (const m of chart) if (isScalarMetric(m) && !metrics.includes(m)) metrics.push(m);
  return metrics;
}

function checkpointTables(summary: StudySummary, config: ReportConfig): string {
  const steps = [...new Set(summary.conditions.flatMap((c) => Object.keys(c.at ?? {}).map(Number)))].sort((a, b) => a - b);
  if (steps.length === 0) return "No checkpoint steps were evaluated.";
  const tables = checkpointMetrics(config).map((metric) => {
    const rows = summary.conditions.map((c) => [conditionLabel(c.condition), ...steps.map((step) => formatMeanCI(c.at?.[step]?.[metric]))]);
    return [`### ${metric}`, "", fittedMarkdownTable(["condition", ...steps.map((step) => `step ${step}`)], rows)].join("\n");
  });
  return [
    "Mean across seeds at the checkpoint steps (0 and 1, 2, 5, 10, 20, 50, 100, … where evaluated) with a 95% Student t CI; " +
      "check rules read every metric here as `at<step>.<metric>.<field>`, and its change since step 0 as `change<step>.<metric>.<field>`.",
    "",
    tables.join("\n\n"),
  ].join("\n");
}

export function checkpointsSection(summary: StudySummary, config: ReportConfig): string {
  return ["## Checkpoints", "", checkpointTables(summary, config)].join("\n");
}
