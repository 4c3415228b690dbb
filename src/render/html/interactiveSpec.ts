// A figure's Vega-Lite spec made interactive for report.html (issue 22): a click on a legend entry
// isolates that condition (the others fade), dragging or scrolling zooms the step axis, and every
// mark that has a tooltip names its condition and step. The same spec, untouched, is what the SVG
// files are drawn from.
import type { TopLevelSpec } from "vega-lite";

type Layer = Record<string, unknown> & { encoding?: Record<string, unknown> };

/** The layers of a layered spec, inside a facet or not; null for a spec without layers. */
function layersOf(spec: Record<string, unknown>): { holder: Record<string, unknown>; layers: Layer[] } | null {
  const inner = (spec.spec ?? spec) as Record<string, unknown>;
  return Array.isArray(inner.layer) ? { holder: inner, layers: inner.layer as Layer[] } : null;
}

/**
 * Legend isolation on the `condition` field (when the figure colours by it) and zoom on the x
 * scale (unfaceted figures with a step axis: Vega-Lite binds continuous scales in a single view only).
 */
export function interactiveSpec(spec: TopLevelSpec): TopLevelSpec {
  const copy = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
  const found = layersOf(copy);
  if (found === null) return copy as unknown as TopLevelSpec;
  const { layers } = found;
  const coloured = layers.some((l) => (l.encoding?.color as { field?: string } | undefined)?.field === "condition");
  const params: unknown[] = [];
  if (coloured) params.push({ name: "pick", select: { type: "point", fields: ["condition"] }, bind: "legend" });
  // a step axis only (a heatmap's x is ordinal, which scales cannot be bound to)
  const stepAxis = (layers[0].encoding?.x as { type?: string } | undefined)?.type === "quantitative";
  if (copy.facet === undefined && stepAxis) params.push({ name: "zoom", select: { type: "interval", encodings: ["x"] }, bind: "scales" });
  if (params.length === 0) return copy as unknown as TopLevelSpec;
  layers[0].params = params;
  if (coloured) {
    for (const layer of layers) {
      if (layer.encoding === undefined) continue;
      layer.encoding.opacity = { condition: { param: "pick", value: 1, empty: true }, value: 0.08 };
    }
  }
  return copy as unknown as TopLevelSpec;
}
