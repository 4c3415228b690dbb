// "## Headline": per condition, each event's median step and reached count and the headline final
// metrics; also the plain-text table `study` and `run` print in the terminal.
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { divergedOf } from "../../analysis/summary/diverged.js";
import {
  conditionLabel,
  describeEvents,
  formatEventMedian,
  formatMeanCI,
  formatParam,
  formatValue,
  SMALL_SAMPLE,
  SMALL_SAMPLE_NOTE,
} from "../format.js";
import { fittedMarkdownTable, textTable, TERMINAL_WIDTH, wrapWords, type TableLayout } from "../table.js";

/** Final metrics of the headline table (SPEC §5). */
export const HEADLINE_FINALS = ["wga", "coefSpurious", "coefSignal"] as const;

/** The † note, when some condition has fewer than SMALL_SAMPLE runs; "" otherwise. */
function smallSampleNote(summary: StudySummary): string {
  return summary.conditions.some((c) => c.runs < SMALL_SAMPLE) ? `\n\n**Warning:** ${SMALL_SAMPLE_NOTE}` : "";
}

/** The per-condition headline: events (median [CI], reached k/n) and finals, with the layout to split it by. */
function headlineColumns(summary: StudySummary, style: "report" | "terminal" | "wide"): { header: string[]; rows: string[][]; layout: TableLayout } {
  const gridKeys = Object.keys(summary.grid);
  const eventNames = Object.keys(summary.events);
  // The terminal's headers stack over two lines, so that the table fits 100 columns.
  const head = (top: string, bottom: string) => (style === "terminal" ? `${top}\n${bottom}` : `${top} ${bottom}`);
  const keys = gridKeys.length > 0 ? gridKeys : ["condition"];
  // Diverged runs are counted apart, in a column of their own where there are any.
  const anyDiverged = summary.conditions.some((c) => divergedOf(c).n > 0);
  const header = [
    ...keys,
    "runs",
    ...(anyDiverged ? ["diverged"] : []),
    ...eventNames.flatMap((e) => [head(e, style === "report" ? "step [95% CI]" : "step [CI]"), head(e, "reached")]),
    ...HEADLINE_FINALS.map((m) => (style === "report" ? `final ${m} [95% CI]` : head("final", m))),
  ];
  const rows = summary.conditions.map((c) => [
    ...(gridKeys.length > 0 ? gridKeys.map((k) => formatParam(c.condition[k])) : [conditionLabel(c.condition)]),
    String(c.runs),
    ...(anyDiverged ? [`${divergedOf(c).n}/${c.runs}`] : []),
    ...eventNames.flatMap((e) => {
      const event = c.events[e];
      return event === undefined ? ["—", "—"] : [formatEventMedian(event), `${event.reached}/${event.n}`];
    }),
    ...HEADLINE_FINALS.map((m) => (style === "report" ? formatMeanCI(c.final[m]) : formatValue(c.final[m]?.mean ?? null))),
  ]);
  // Split after the keys and runs; an event's step and reached columns stay together.
  const layout: TableLayout = { keyColumns: keys.length, groups: [anyDiverged ? 2 : 1, ...eventNames.map(() => 2)] };
  return { header, rows, layout };
}

/**
 * The headline table for the terminal after a study: per condition, each event's median step with
 * its 95% CI and how many runs reached it, and the mean final wga / coefSpurious / coefSignal. Fits
 * 100 columns (headers over two lines, split in parts if still wider); `wide` gives one table.
 */
export function headlineTable(summary: StudySummary, options: { wide?: boolean; reportWritten?: boolean } = {}): string {
  const { header, rows, layout } = headlineColumns(summary, options.wide ? "wide" : "terminal");
  return [
    textTable(header, rows, { ...layout, maxWidth: options.wide ? Infinity : TERMINAL_WIDTH }),
    "",
    ...wrapWords(`events: ${describeEvents(summary.events)}`, TERMINAL_WIDTH),
    "steps are Kaplan–Meier medians (∞: fewer than half the runs reached the event);",
    options.reportWritten === false ? "finals are means over seeds (with --out DIR, DIR/report.md gives their CIs)" : "finals are means over seeds (their CIs are in report.md)",
  ].join("\n");
}

export function headlineSection(summary: StudySummary): string {
  const { header, rows, layout } = headlineColumns(summary, "report");
  return [
    "## Headline",
    "",
    fittedMarkdownTable(header, rows, layout),
    "",
    `Per condition: for each event (${Object.keys(summary.events).join(", ")}), the Kaplan–Meier median step with its Brookmeyer–Crowley ` +
      "95% CI as R's survfit prints it (∞: fewer than half the runs reached it within the horizon, or, for a limit, R's NA: " +
      "not bounded while runs remained at risk) and how many runs reached it; final metrics " +
      "are means over seeds at the last step with a 95% Student t CI (built on the logit or log scale of a bounded " +
      "metric's range, so it stays inside)" +
      (summary.conditions.some((c) => divergedOf(c).n > 0) ? ", over the runs that did not diverge (see Divergences)." : ".") +
      smallSampleNote(summary),
  ].join("\n");
}
