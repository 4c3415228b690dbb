// "## Answers", first in report.md: what the grid keys do to each event, all conditions at once —
// the study's effect models (analysis/summary/effects.ts) as a table of time ratios with their CIs
// and p, one plain-words line per term, the models as R formulas, and the median lead between
// events per condition. The per-condition detail follows in the later sections.
import type { EffectModel, EffectTerm } from "../../analysis/summary/effects.js";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { conditionLabel, formatEventMedian, formatParam, formatPValue, formatValue } from "../format.js";
import { fittedMarkdownTable } from "../table.js";

/** "per doubling", "per unit", "vs relu": what a term's time ratio compares. */
function perText(term: EffectTerm, reference: unknown): string {
  if (term.unit === "doubling") return "per doubling";
  if (term.unit === "unit") return "per +1";
  return `vs ${formatParam(reference)}`;
}

/** "1.31 [1.22, 1.41]". */
function ratioCell(term: EffectTerm): string {
  return `${formatValue(term.timeRatio)} [${formatValue(term.timeRatioLo)}, ${formatValue(term.timeRatioHi)}]`;
}

/** "p < 1e-4" or "p = 0.0036". */
function pText(p: number): string {
  return p < 1e-4 ? "p < 1e-4" : `p = ${formatValue(p)}`;
}

/** What the response of a model is called in words: "the signal event", "the gap spurious → signal". */
function responseWords(model: EffectModel): string {
  const gap = /^gap\.(\w+)\.(\w+)$/.exec(model.response);
  return gap === null ? `the ${model.response} event` : `the lead from ${gap[1]} to ${gap[2]}`;
}

/**
 * One line per term in words: "each doubling of width makes the signal event 1.31× [1.22, 1.41]
 * later, p < 1e-4"; a ratio below 1 says earlier (or shorter for a gap); a CI that holds 1 says so.
 */
function effectWords(model: EffectModel, term: EffectTerm, grid: Readonly<Record<string, readonly unknown[]>>): string {
  const [key] = term.term.split(/[=:]/);
  const values = grid[key] ?? [];
  const gap = model.response.startsWith("gap.");
  const subject =
    term.term.includes(":")
      ? `the interaction ${term.label} (${perText(term, values[0])} of its first key, per unit of the second) makes`
      : term.unit === "doubling"
        ? `each doubling of ${key} makes`
        : term.unit === "unit"
          ? `each +1 of ${key} (grid: ${values.map(formatParam).join(", ")}) makes`
          : `${term.label} (against ${key} = ${formatParam(values[0])}) makes`;
  const later = gap ? "longer" : "later";
  const earlier = gap ? "shorter" : "earlier";
  const ratio = term.timeRatio >= 1 ? `${formatValue(term.timeRatio)}× [${formatValue(term.timeRatioLo)}, ${formatValue(term.timeRatioHi)}] ${later}` : `${earlier}: ${formatValue(term.timeRatio)}× [${formatValue(term.timeRatioLo)}, ${formatValue(term.timeRatioHi)}] the steps`;
  const unclear = term.timeRatioLo <= 1 && term.timeRatioHi >= 1 ? " (the 95% CI holds 1: no clear effect)" : "";
  return `${subject} ${responseWords(model)} ${ratio}, ${pText(term.p)}${unclear}`;
}

function effectsTable(models: readonly EffectModel[], grid: Readonly<Record<string, readonly unknown[]>>): string {
  const rows = models.flatMap((m) => {
    if (m.reason !== null) return [[m.response, "—", "not fitted (below)", "", "—", "—", "—"]];
    return m.terms.map((t) => [m.response, t.label, ratioCell(t), perText(t, grid[t.term.split(/[=:]/)[0]]?.[0]), formatValue(t.coef), formatValue(t.se), formatPValue(t.p)]);
  });
  return fittedMarkdownTable(["event", "term", "time ratio [95% CI]", "per", "coef", "se", "p"], rows, { align: ["left", "left", "left", "left"], keyColumns: 2 });
}

/** Per condition, each gap's Kaplan–Meier median [95% CI] with the runs that closed it of those that had it. */
function gapMediansTable(summary: StudySummary): string | null {
  const gaps = summary.gaps ?? [];
  if (gaps.length === 0) return null;
  const keys = Object.keys(summary.grid);
  const rows = summary.conditions.map((c) => [
    ...(keys.length > 0 ? keys.map((k) => formatParam(c.condition[k])) : [conditionLabel(c.condition)]),
    ...gaps.map(([first, second]) => {
      const g = c.gap?.[first]?.[second];
      return g === undefined || g.n === 0 ? "no run reached " + first : `${formatEventMedian(g)} (${g.reached}/${g.n})`;
    }),
  ]);
  const header = [...(keys.length > 0 ? keys : ["condition"]), ...gaps.map(([first, second]) => `${first} → ${second}: median [95% CI] (closed/had)`)];
  return fittedMarkdownTable(header, rows, { keyColumns: Math.max(1, keys.length) });
}

export function answersSection(summary: StudySummary): string {
  const effects = summary.effects;
  const out = ["## Answers", ""];
  if (effects === undefined || effects.models.length === 0) return [...out, "No effect models in this summary."].join("\n");
  const dist = effects.dist === "weibull" ? "Weibull" : "log-normal";
  out.push(
    `What each grid key does to each event, every condition at once: a ${dist} accelerated-failure-time model of the event's step ` +
      "(and of each gap between events), censored at the horizon. A time ratio above 1 means later (a longer gap): per doubling of a key " +
      "entered as log(key) — its coef is then the exponent, time ∝ key^coef —, per +1 of a key entered linearly, against the first value " +
      "for a level; 95% Wald CIs.",
    "",
    effectsTable(effects.models, summary.grid),
    "",
  );
  for (const m of effects.models) {
    if (m.reason !== null) out.push(`- ${m.response}: no model — ${m.reason}.`);
    else for (const t of m.terms) out.push(`- ${effectWords(m, t, summary.grid)}.`);
  }
  // each model as R fits it, the responses that share a formula together
  const byFormula = new Map<string, EffectModel[]>();
  for (const m of effects.models) byFormula.set(m.formula, [...(byFormula.get(m.formula) ?? []), m]);
  out.push("", "The models, to refit from `events.csv` (`shortcut-bench export`), each on the rows whose `event` is the response:", "");
  for (const [formula, models] of byFormula) {
    const notes = [...new Set(models.flatMap((m) => m.notes))];
    out.push(`- ${models.map((m) => m.response).join(", ")}: \`${formula}\`${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`);
  }
  const gaps = gapMediansTable(summary);
  if (gaps !== null) out.push("", "The lead between events, per condition (Kaplan–Meier; the rest under Lead between events in details.md):", "", gaps);
  return out.join("\n");
}
