// "## Event order": per condition and pair of events (in the order the study lists them), how often
// the first came first.
import type { OrderSummary, StudySummary } from "../../analysis/summaryTypes.js";
import { conditionLabel, formatValue } from "../format.js";
import { fittedMarkdownTable } from "../table.js";

function orderTable(summary: StudySummary): string {
  const events = Object.keys(summary.events);
  const pairs = events.flatMap((first, i) => events.slice(i + 1).map((second) => [first, second] as const));
  if (pairs.length === 0) return "Only one event: nothing to order.";
  const rows = summary.conditions.flatMap((c) =>
    pairs.map(([first, second]) => {
      const o: OrderSummary | undefined = c.order?.[first]?.[second];
      if (o === undefined) return [conditionLabel(c.condition), `${first} before ${second}`, "—", "—", "—", "—", "—"];
      const fraction = o.fraction === null ? "—" : `${formatValue(o.fraction)} [${formatValue(o.lo)}, ${formatValue(o.hi)}]`;
      return [
        conditionLabel(c.condition),
        `${first} before ${second}`,
        `${o.before}/${o.both}`,
        fraction,
        String(o.onlyFirst),
        String(o.onlySecond),
        String(o.neither),
      ];
    }),
  );
  return [
    fittedMarkdownTable(["condition", "order", "runs with both: first earlier", "fraction [95% CI]", `only first`, `only second`, "neither"], rows, { align: ["left", "left"], keyColumns: 2 }),
    "",
    "Among the runs that reached both events, how many reached the first at an earlier evaluated step (Wilson 95% CI); " +
      "runs that reached only one of them, or neither, are counted apart.",
  ].join("\n");
}

export function eventOrderSection(summary: StudySummary): string {
  return ["## Event order", "", orderTable(summary)].join("\n");
}
