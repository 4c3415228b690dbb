// "## Lead between events": per condition and gap (the config's `gaps`), how many runs had the gap,
// how many closed it, its Kaplan–Meier median and restricted mean, its ratio form; then each gap
// between neighbouring conditions, as the event steps are compared.
import type { GapComparison, GapSummary, StudySummary } from "../../analysis/summaryTypes.js";
import { canonicalJson } from "../../store/configHash.js";
import { conditionLabel, formatEventMedian, formatValue } from "../format.js";
import { fittedMarkdownTable, type TableLayout } from "../table.js";
import { comparisonKeyCells, comparisonKeyColumns, tablesByKey } from "./comparisonColumns.js";
import { COMPARISON_HEADER, comparisonCells } from "./comparisons.js";

/** "spurious → signal": a gap in the report's tables. */
function gapLabel(first: string, second: string): string {
  return `${first} → ${second}`;
}

/** "3.5 [2.1, ∞]": a ratio with its CI, ∞ for a bound stored as null while there were ratios. */
function formatRatio(value: number | null, lo: number | null, hi: number | null, n: number): string {
  if (n === 0) return "—";
  const shown = (x: number | null) => (x === null ? "∞" : formatValue(x));
  return `${shown(value)} [${shown(lo)}, ${shown(hi)}]`;
}

/**
 * The table rows per condition and gap; a condition where no run reached the gap's first event has
 * no gap to show and is named in `none` instead (a study with many such conditions stays readable).
 */
function gapRows(summary: StudySummary): { steps: string[][]; ratios: string[][]; none: string[] } {
  const gaps = summary.gaps ?? [];
  const steps: string[][] = [];
  const ratios: string[][] = [];
  const none: string[] = [];
  for (const c of summary.conditions) {
    for (const [first, second] of gaps) {
      const g: GapSummary | undefined = c.gap?.[first]?.[second];
      const at = [conditionLabel(c.condition), gapLabel(first, second)];
      if (g === undefined || g.n === 0) {
        none.push(`${at[0]} (${at[1]})`);
        continue;
      }
      const closed = g.n === 0 ? "—" : `${g.reached}/${g.n}: ${formatValue(g.reachedFraction)} [${formatValue(g.reachedLo)}, ${formatValue(g.reachedHi)}]`;
      const rmst = g.rmst === null ? "—" : `${formatValue(g.rmst)} [${formatValue(g.rmstLo)}, ${formatValue(g.rmstHi)}] to ${g.horizon}`;
      steps.push([...at, `${g.n}/${g.n + g.noGap}`, closed, formatEventMedian(g), rmst]);
      const geo = g.ratioGeoMean === null ? "—" : `${formatValue(g.ratioGeoMean)} [${formatValue(g.ratioGeoLo)}, ${formatValue(g.ratioGeoHi)}]`;
      ratios.push([...at, formatRatio(g.ratioMedian, g.ratioLo, g.ratioHi, g.ratioN), geo]);
    }
  }
  return { steps, ratios, none };
}

function gapComparisonTables(summary: StudySummary): string[] {
  const comparisons = summary.gapComparisons ?? [];
  if (comparisons.length === 0) return [];
  const byKey = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  const gridKeys = Object.keys(summary.grid);
  const rows = comparisons.map((cmp: GapComparison) => {
    const gapOf = (condition: Record<string, unknown>) => byKey.get(canonicalJson(condition))?.gap?.[cmp.first]?.[cmp.second];
    const cells = comparisonCells(cmp, gapOf(cmp.from), gapOf(cmp.to));
    const keys = comparisonKeyCells(gridKeys, cmp.key, cmp.from, cmp.to, gapLabel(cmp.first, cmp.second));
    return { unpaired: [...keys, ...cells.unpaired], paired: [...keys, ...cells.paired] };
  });
  const { header, layout } = comparisonKeyColumns(gridKeys, "gap");
  return [
    "",
    "### Gaps between neighbouring conditions",
    "",
    tablesByKey([...header, ...COMPARISON_HEADER.unpaired], rows.map((r) => r.unpaired), layout),
    "",
    tablesByKey([...header, ...COMPARISON_HEADER.paired], rows.map((r) => r.paired), layout),
    "",
    "Compared as the event steps are (see Comparisons), over the runs that have the gap (a pair where a side has none is " +
      "left out). The restricted means are restricted to the smaller τ of the two conditions, and compared by " +
      "Welch–Satterthwaite whenever a gap is censored before τ (the paired difference needs every gap followed to τ). " +
      "Seed by seed, a gap that never closed counts as +∞. " +
      `Holm: over the ${comparisons.length} gap comparison${comparisons.length === 1 ? "" : "s"} (a family apart from the events').`,
  ];
}

export function gapsSection(summary: StudySummary): string {
  const gaps = summary.gaps ?? [];
  if (gaps.length === 0) return ["## Lead between events", "", "No gaps: the config's `gaps` is empty."].join("\n");
  const { steps, ratios, none } = gapRows(summary);
  const layout: TableLayout = { align: ["left", "left"], keyColumns: 2 };
  const noGap = none.length === 0 ? [] : ["", `No run reached the first event, so there is no gap, in: ${none.join("; ")}.`];
  const tables =
    steps.length === 0
      ? []
      : [
          fittedMarkdownTable(["condition", "gap", "runs with a gap", "closed [95% CI]", "KM median steps [95% CI]", "RMST [95% CI] to τ"], steps, layout),
          "",
          fittedMarkdownTable(["condition", "gap", "ratio: KM median [95% CI]", "ratio: geometric mean [95% CI]"], ratios, layout),
          "",
        ];
  return [
    "## Lead between events",
    "",
    ...tables,
    "A run's gap first → second is step(second) − step(first): it starts at the first event, so only the runs that " +
      "reached the first have one (runs with a gap / all runs); it is censored at horizon − step(first) when the second " +
      "never came (a run that diverged counts as never reaching it, as for events). Closed: the runs that reached the second " +
      "(Wilson 95% CI). KM median with the Brookmeyer–Crowley 95% CI, as for events (∞: fewer than half the gaps closed, " +
      "or a limit the data do not bound). " +
      "RMST: ∫₀^τ Ŝ(t) dt with a 95% t CI, τ the longest follow-up a gap had (horizon − the earliest first step); " +
      "a gap ≤ 0 (the second came first) counts as 0 there. Ratio: step(second)/step(first), censored at horizon/step(first) " +
      "(runs with either step 0 have none): its KM median with its CI, and over the runs " +
      "that closed the gap the geometric mean with the t CI of the mean log ratio.",
    ...noGap,
    ...gapComparisonTables(summary),
  ].join("\n");
}
