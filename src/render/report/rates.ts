// "## Rates": the phase-1 growth rates of ln massSpurious and ln massSignal per condition.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { conditionLabel, formatMeanCI } from "../format.js";
import { fittedMarkdownTable } from "../table.js";

export function ratesSection(summary: StudySummary): string {
  const rates = ["spuriousRate", "signalRate", "rateGap"];
  const rows = summary.conditions.map((c) => [
    conditionLabel(c.condition),
    ...rates.flatMap((rate) => [formatMeanCI(c.rates[rate]), `${c.rates[rate]?.n ?? 0}/${c.runs}`]),
  ]);
  return [
    "## Rates",
    "",
    fittedMarkdownTable(["condition", ...rates.flatMap((rate) => [`${rate} [95% CI]`, `${rate} runs`])], rows, { groups: rates.map(() => 2) }),
    "",
    "Least-squares slope of ln mass against step over phase 1 (step 0 to the spurious event), mean over the runs " +
      "that have one (a run reaching the event in fewer than 3 steps, or not at all, has none). rateGap is the paired " +
      "difference spuriousRate − signalRate of each run that has both.",
  ].join("\n");
}
