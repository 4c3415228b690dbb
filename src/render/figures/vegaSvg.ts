// Vega-Lite specs rendered to SVG strings in Node, without a browser or canvas: Vega-Lite compiles
// the spec to Vega, and a headless Vega View (renderer "none") serialises its scenegraph as SVG.
// Text widths are estimated (no canvas), which is fine for labels at these sizes.
// Vega and Vega-Lite are imported on the first render, not at start-up: they are most of the CLI's
// import time, and commands that draw nothing (check, merge, export, every bad-input exit) skip them.
import type { TopLevelSpec } from "vega-lite";

/** Shared look of every figure: readable at 800 px wide, no fixed dates or ids in the output. */
export const FIGURE_CONFIG = {
  font: "Helvetica, Arial, sans-serif",
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: "normal", gridColor: "#e6e6e6" },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 260, symbolStrokeWidth: 2.5 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  title: { fontSize: 14, fontWeight: "normal", anchor: "start", subtitleFontSize: 12, subtitleColor: "#555" },
  view: { stroke: "#bbb" },
} as const;

/**
 * The SVG of a Vega-Lite spec. Deterministic: the same spec gives the same bytes (Vega numbers its
 * clip paths and gradients with module-level counters, reset here before each render).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, resetSVGDefIds, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const { spec: vegaSpec } = compile({ ...spec, config: { ...FIGURE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec);
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    resetSVGDefIds();
    const svg = await view.toSVG();
    return svg.endsWith("\n") ? svg : svg + "\n";
  } finally {
    view.finalize();
  }
}
