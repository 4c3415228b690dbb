// "## Time to event": per condition and event, reached fraction, Kaplan–Meier median and restricted mean.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { conditionLabel, formatEventMedian, formatRestrictedMean, formatValue } from "../format.js";
import { fittedMarkdownTable } from "../table.js";

export function timeToEventSection(summary: StudySummary): string {
  const eventNames = Object.keys(summary.events);
  const rows = summary.conditions.flatMap((c) =>
    eventNames.map((name) => {
      const e = c.events[name];
      if (e === undefined) return [conditionLabel(c.condition), name, "—", "—", "—", "—", "—"];
      return [
        conditionLabel(c.condition),
        name,
        `${e.reached}/${e.n}`,
        `${formatValue(e.reachedFraction)} [${formatValue(e.reachedLo)}, ${formatValue(e.reachedHi)}]`,
        formatEventMedian(e),
        formatRestrictedMean(e),
        String(e.horizon),
      ];
    }),
  );
  return [
    "## Time to event",
    "",
    fittedMarkdownTable(["condition", "event", "reached", "fraction [95% CI]", "KM median [95% CI]", "RMST [95% CI]", "horizon"], rows, { align: ["left", "left"], keyColumns: 2 }),
    "",
    "Event steps are right-censored at the horizon (the runs' last step); a run that diverged before reaching an event " +
      "counts as never reaching it. Fraction: Wilson 95% CI. KM median: the step at which the Kaplan–Meier " +
      "estimate of the share of runs yet to reach the event falls to 1/2 (the middle of a plateau at exactly 1/2), with the " +
      "Brookmeyer–Crowley 95% CI (log bands), both read as R's survfit prints them (∞ where R prints NA: not bounded " +
      "while runs remain at risk; — a lower limit that does not exist). An interval with no width is replaced by its reason. RMST: the restricted mean step of the event, ∫₀^horizon Ŝ(t) dt, " +
      "with a 95% t CI (n − 1 degrees of freedom; the Student t CI of mean(min(step, horizon)) when every run reached it).",
  ].join("\n");
}
