// What every study figure shares: the colour encoding of conditions (the same in every figure of a
// study), the legend's place, and the panels (one per facet value; each with its own y scale).
import type { TopLevelSpec } from "vega-lite";
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import type { ConditionLayout } from "./conditionLayout.js";
import { colourRange } from "./palette.js";
import type { StepScale } from "./stepAxis.js";

/** Plot area of a single-panel figure: with its legend it fits 800 px. */
const PLOT_WIDTH = 540;
const PLOT_HEIGHT = 280;
/** The panels of a faceted figure share about this width. */
const FACETED_WIDTH = 480;

/** Where the condition legend goes: beside the plot while short, below it (in columns) when long. */
function legendPlacement(count: number) {
  // Drawn as a line whatever layer the legend comes from (a band's legend would be a pale square).
  const symbol = { symbolType: "stroke", symbolStrokeWidth: 3, symbolOpacity: 1, symbolFillColor: "transparent" } as const;
  return count <= 10 ? { orient: "right" as const, ...symbol } : { orient: "bottom" as const, columns: 3, ...symbol };
}

/** The colour encoding of conditions, the same in every figure of a study. */
export function colourEncoding(layout: ConditionLayout) {
  return {
    field: "condition",
    type: "nominal" as const,
    title: layout.facetKey === null ? "condition" : layout.colourKey,
    scale: { domain: layout.colourDomain, range: colourRange(layout.colourDomain) },
    legend: legendPlacement(layout.colourDomain.length),
  };
}

/**
 * A layered spec as it is, or faceted — rows by the `row` field, columns by the `column` field —
 * when the layout has panels; each panel gets its own y scale.
 */
export function placed(layout: ConditionLayout, top: { title: unknown; data: unknown }, layer: unknown[]): TopLevelSpec {
  const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", ...top };
  if (layout.rowDomain === null && layout.columnDomain === null) return { ...base, width: PLOT_WIDTH, height: PLOT_HEIGHT, layer } as TopLevelSpec;
  const header = { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top" } as const;
  const columns = layout.columnDomain?.length ?? 1;
  const facet = {
    ...(layout.rowDomain === null ? {} : { row: { field: "row", type: "nominal", title: null, sort: layout.rowDomain, header } }),
    ...(layout.columnDomain === null ? {} : { column: { field: "column", type: "nominal", title: null, sort: layout.columnDomain, header: { labelAngle: 0 } } }),
  };
  const width = Math.max(160, Math.round(FACETED_WIDTH / columns) - 20);
  return { ...base, facet, spec: { width, height: Math.round(PLOT_HEIGHT / 2), layer }, resolve: { scale: { y: "independent" } } } as TopLevelSpec;
}

/** The step axis of a figure: with more than two columns of panels, each too narrow for the full title (the titles would run into each other), the short one. */
export function stepAxisOf(layout: ConditionLayout, scale: StepScale): StepScale["axis"] {
  return (layout.columnDomain?.length ?? 1) > 2 ? { ...scale.axis, title: scale.shortTitle } : scale.axis;
}

/** A lookup of each condition's runs. */
export function recordsByCondition(records: readonly RunRecord[]): (condition: Record<string, unknown>) => RunRecord[] {
  const byCondition = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = canonicalJson(r.condition);
    byCondition.set(key, [...(byCondition.get(key) ?? []), r]);
  }
  return (condition) => byCondition.get(canonicalJson(condition)) ?? [];
}
