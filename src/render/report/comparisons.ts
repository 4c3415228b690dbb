// "## Comparisons": event steps between neighbouring conditions (unpaired, then seed by seed), then
// the final metrics (comparisonsFinalMetrics.ts).
import type { Comparison, EventSummary, StudySummary } from "../../analysis/summaryTypes.js";
import { canonicalJson } from "../../store/configHash.js";
import { formatDifferenceCI, formatEventStep, formatPairedDiff, formatPHolm, formatSignedStep } from "../format.js";
import { comparisonKeyCells, comparisonKeyColumns, tablesByKey } from "./comparisonColumns.js";
import { finalMetricDifferences } from "./comparisonsFinalMetrics.js";

/** The unpaired and the seed-paired cells of one comparison of times to event (an event's or a gap's), after the key cells. */
export function comparisonCells(cmp: Omit<Comparison, "event">, from: EventSummary | undefined, to: EventSummary | undefined): { unpaired: string[]; paired: string[] } {
  const fromMedian = from === undefined ? "—" : formatEventStep(from.medianStep, from.n);
  const toMedian = to === undefined ? "—" : formatEventStep(to.medianStep, to.n);
  // Δ is null only when exactly one median is ∞ (∞ − ∞ is stored as 0): its sign says which.
  const diffSign = cmp.infinite?.diff ?? (from?.medianStep === null ? -1 : 1);
  const p = cmp.paired;
  const paired =
    p.pairs === 0
      ? ["—", "—", "—"]
      : [
          formatPairedDiff(p),
          `${p.later}/${p.earlier}/${p.tied}`,
          formatPHolm(p.pValue, p.pHolm),
        ];
  const rmst = cmp.rmstDiff === null ? "—" : formatDifferenceCI({ diff: cmp.rmstDiff, lo: cmp.rmstLo, hi: cmp.rmstHi }, cmp.rmstPaired);
  return {
    unpaired: [`${fromMedian} → ${toMedian}`, formatPHolm(cmp.pValue, cmp.pHolm, cmp.pValueBound), formatSignedStep(cmp.diff, diffSign), rmst, formatPHolm(cmp.fisherP, cmp.fisherHolm)],
    paired,
  };
}

/** The header of comparisonCells' unpaired and paired cells. */
export const COMPARISON_HEADER = {
  unpaired: ["median steps", "log-rank p (Holm)", "Δ median", "Δ RMST [95% CI]", "Fisher p (Holm)"],
  paired: ["paired Δ [95% CI]", "later/earlier/tied", "sign-test p (Holm)"],
};

function comparisonTables(summary: StudySummary): string {
  if (summary.comparisons.length === 0) {
    return "No comparisons: no grid key has two or more values.";
  }
  const byKey = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  const gridKeys = Object.keys(summary.grid);
  const rows = summary.comparisons.map((cmp: Comparison) => {
    const cells = comparisonCells(cmp, byKey.get(canonicalJson(cmp.from))?.events[cmp.event], byKey.get(canonicalJson(cmp.to))?.events[cmp.event]);
    const keys = comparisonKeyCells(gridKeys, cmp.key, cmp.from, cmp.to, cmp.event);
    return { unpaired: [...keys, ...cells.unpaired], paired: [...keys, ...cells.paired] };
  });
  const { header: keyHeader, layout } = comparisonKeyColumns(gridKeys, "event");
  return [
    "### Event steps",
    "",
    tablesByKey([...keyHeader, ...COMPARISON_HEADER.unpaired], rows.map((r) => r.unpaired), layout),
    "",
    "### Event steps, seed by seed",
    "",
    tablesByKey([...keyHeader, ...COMPARISON_HEADER.paired], rows.map((r) => r.paired), layout),
    "",
    "Median steps are Kaplan–Meier medians, as R's survfit prints them (∞: fewer than half the runs reached the event within the horizon); " +
      "Δ median = median(to) − median(from) (∞ − ∞ = 0). Δ RMST is the difference of restricted mean times to the event " +
      "(the area under the Kaplan–Meier curve up to the horizon, so censored runs count for their whole horizon) with a " +
      "95% t CI: paired over the seeds when both conditions ran the same seeds (each seed's runs are correlated " +
      "across conditions), Welch–Satterthwaite otherwise. The log-rank p is two-sided, from relabelling the runs of the two conditions " +
      "(every relabelling when there are at most 20 000, else 9 999 seeded random ones: <1e-4 when none of those was as " +
      "extreme as the data, the floor of that test); Fisher's exact test compares " +
      "the reached fractions.",
    "",
    "Paired: the same seed in both conditions shares its initialisation, training stream and test set, so per seed " +
      "d = step(to) − step(from) (a run that never reached the event counts as +∞); paired Δ is the median of d with the " +
      "interpolated order-statistic 95% CI (Hettmansperger–Sheather), later/earlier/tied count the seeds with d > 0, d < 0, d = 0, and the " +
      "p-value is a two-sided exact sign test (ties dropped).",
    "",
    `Multiplicity: each p-value is followed by its Holm-adjusted value over the ${summary.comparisons.length} comparisons ` +
      "of these tables (one family per test).",
    "",
    ...finalMetricDifferences(summary),
  ].join("\n");
}

export function comparisonsSection(summary: StudySummary): string {
  return ["## Comparisons", "", comparisonTables(summary)].join("\n");
}
