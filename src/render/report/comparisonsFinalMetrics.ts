// "## Comparisons" › "### Final metrics": per compared pair of conditions and headline final metric,
// mean(to) − mean(from) with its 95% CI and p, Holm-adjusted over the table.
import { holmAdjust } from "../../analysis/statistics/index.js";
import { valueDifference } from "../../analysis/summaryPathValues.js";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { canonicalJson } from "../../store/configHash.js";
import { differenceDegenerateReason, formatDifferenceCI, formatPHolm } from "../format.js";
import { comparisonKeyCells, comparisonKeyColumns, tablesByKey } from "./comparisonColumns.js";
import { HEADLINE_FINALS } from "./headline.js";

/**
 * The differences come from valueDifference: a paired t over the seeds when both ran the same seeds,
 * else Welch–Satterthwaite. Empty when nothing is compared.
 */
export function finalMetricDifferences(summary: StudySummary): string[] {
  const byKey = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  const gridKeys = Object.keys(summary.grid);
  const pairs = new Map<string, { key: string; from: Record<string, unknown>; to: Record<string, unknown> }>();
  for (const c of summary.comparisons) pairs.set(canonicalJson([c.key, c.from, c.to]), { key: c.key, from: c.from, to: c.to });
  const tests = [...pairs.values()].flatMap(({ key, from, to }) => {
    const a = byKey.get(canonicalJson(from));
    const b = byKey.get(canonicalJson(to));
    return HEADLINE_FINALS.map((metric) => ({
      key,
      from,
      to,
      metric,
      difference: a === undefined || b === undefined ? null : valueDifference(summary, a, b, key, { section: "final", step: null, name: metric }),
    }));
  });
  if (tests.length === 0) return [];
  const holm = holmAdjust(tests.map((t) => t.difference?.pValue ?? null));
  const rows = tests.map((t, i) => {
    const d = t.difference;
    return [
      ...comparisonKeyCells(gridKeys, t.key, t.from, t.to, t.metric),
      d === null ? "—" : formatDifferenceCI(d, d.method === "paired t"),
      d === null ? "—" : d.method,
      // a t with no spread has p 0 or 1, which says nothing: no p is shown (it still counts in the Holm family)
      d === null || differenceDegenerateReason(d, d.method === "paired t") !== null ? "—" : formatPHolm(d.pValue, holm[i]),
    ];
  });
  const { header: keyHeader, layout } = comparisonKeyColumns(gridKeys, "final");
  return [
    "### Final metrics",
    "",
    tablesByKey([...keyHeader, "Δ mean [95% CI]", "test", "p (Holm)"], rows, layout),
    "",
    "Δ mean = mean(to) − mean(from) of the runs' final values, with a 95% t CI and a two-sided p: a paired t over the seeds " +
      "when both conditions ran the same seeds, Welch–Satterthwaite otherwise. A Δ with no spread (every seed differs by " +
      "the same amount, or both conditions are constant) is shown with that reason and no p. " +
      `Holm-adjusted over the ${tests.length} tests of this table.`,
  ];
}
