// `export --what effects`: the study's effect models (summary.json `effects`, the report's Answers)
// as one flat table — one row per (model, term), and one row with the reason for a model that
// could not be fitted — so the time ratios can be plotted or compared across studies without
// reading summary.json.
import { EFFECT_TERM_FIELDS } from "../analysis/summary/effects.js";
import type { StudySummary } from "../analysis/summaryTypes.js";
import { tableOf, type Cell, type ColumnType, type Table } from "./tables.js";

export function effectsTable(summary: StudySummary): Table {
  const names = ["response", "term", "label", "per", ...EFFECT_TERM_FIELDS, "formula", "dist", "n", "events", "reason"];
  const types: Record<string, ColumnType> = { response: "string", term: "string", label: "string", per: "string", formula: "string", dist: "string", n: "int", events: "int", reason: "string" };
  for (const field of EFFECT_TERM_FIELDS) types[field] = "double";
  const rows = (summary.effects?.models ?? []).flatMap((m) => {
    const model: Record<string, Cell> = { response: m.response, formula: m.formula, dist: m.dist, n: m.n, events: m.events, reason: m.reason };
    if (m.reason !== null) return [model];
    return m.terms.map((t) => {
      const row: Record<string, Cell> = { ...model, term: t.term, label: t.label, per: t.unit };
      for (const field of EFFECT_TERM_FIELDS) row[field] = t[field];
      return row;
    });
  });
  return tableOf(names, rows, types);
}
