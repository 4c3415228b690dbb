// A figure's Vega-Lite spec made interactive for report.html (issue 22): a click on a legend entry
// isolates that condition (the others fade), dragging or scrolling zooms the step axis — in a
// faceted figure two sliders under it set the step axis of every panel, since Vega-Lite binds a
// scale to a drag only in a single view — and every mark that has a tooltip names its condition and
// step. The spec given is not changed: the SVG files are drawn from it.
import type { TopLevelSpec } from "vega-lite";

type Layer = Record<string, unknown> & { encoding?: Record<string, unknown> };

/** The layers of a layered spec, inside a facet or not; null for a spec without layers. */
function layersOf(spec: Record<string, unknown>): { holder: Record<string, unknown>; layers: Layer[] } | null {
  const inner = (spec.spec ?? spec) as Record<string, unknown>;
  return Array.isArray(inner.layer) ? { holder: inner, layers: inner.layer as Layer[] } : null;
}

type XEncoding = { type?: string; scale?: { domain?: unknown } };

/**
 * Two sliders, "steps from" and "to", that set the step axis of every panel of a faceted figure;
 * the marks are clipped to the panel.
 */
function facetStepSliders(copy: Record<string, unknown>, layers: Layer[]): void {
  const domain = (layers[0].encoding?.x as XEncoding).scale?.domain;
  if (!Array.isArray(domain) || domain.length !== 2) return;
  const [lo, hi] = domain as [number, number];
  const slider = (name: string, value: number, label: string) => ({ name, value, bind: { input: "range", min: lo, max: hi, step: 1, name: label } });
  copy.params = [...((copy.params as unknown[]) ?? []), slider("stepFrom", lo, "step axis from "), slider("stepTo", hi, "to ")];
  for (const layer of layers) {
    const x = layer.encoding?.x as XEncoding | undefined;
    if (x === undefined) continue;
    // an empty or reversed range would leave the panels without a scale
    x.scale = { ...x.scale, domain: { expr: "[min(stepFrom, stepTo - 1), max(stepTo, stepFrom + 1)]" } };
    layer.mark = { ...(layer.mark as Record<string, unknown>), clip: true };
  }
}

/**
 * Legend isolation on the `condition` field (when the figure colours by it) and zoom on the x
 * scale (a drag in unfaceted figures with a step axis, sliders in faceted ones).
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
  if (copy.facet !== undefined && stepAxis) facetStepSliders(copy, layers);
  if (params.length === 0) return copy as unknown as TopLevelSpec;
  layers[0].params = params;
  if (coloured) {
    for (const layer of layers) {
      if (layer.encoding === undefined) continue;
      // a picked condition keeps each mark's own opacity (a band stays translucent), the others fade
      const own = (layer.mark as { opacity?: number } | undefined)?.opacity ?? 1;
      layer.encoding.opacity = { condition: { param: "pick", value: own, empty: true }, value: Math.min(own, 0.08) };
    }
  }
  return copy as unknown as TopLevelSpec;
}
