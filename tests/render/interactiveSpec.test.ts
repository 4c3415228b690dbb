// report.html's figures made interactive (issue 22 item 6): legend isolation that keeps each mark's
// own opacity, a step axis zoomed by a drag in a single view and by two sliders in a faceted one.
import { describe, expect, it } from "vitest";
import type { TopLevelSpec } from "vega-lite";
import { interactiveSpec } from "../../src/render/html/interactiveSpec.js";

const x = { field: "step", type: "quantitative", scale: { type: "symlog", constant: 25, domain: [0, 3000], nice: false } };
const colour = { field: "condition", type: "nominal" };
const layers = [
  { mark: { type: "area", opacity: 0.14 }, encoding: { x, y: { field: "p10" }, y2: { field: "p90" }, color: colour } },
  { mark: { type: "line" }, encoding: { x, y: { field: "median" }, color: colour } },
];
const single = { data: { values: [] }, layer: layers } as unknown as TopLevelSpec;
const faceted = { data: { values: [] }, facet: { row: { field: "row" } }, spec: { layer: layers } } as unknown as TopLevelSpec;
type Out = { params?: { name: string; value?: number; bind?: { input: string; min: number; max: number } }[]; layer?: Layered[]; spec?: { layer: Layered[] } };
type Layered = { params?: { name: string; bind?: unknown }[]; mark: { clip?: boolean }; encoding: { x: { scale: { domain: unknown } }; opacity: { condition: { value: number }; value: number } } };

describe("interactiveSpec", () => {
  it("isolates a condition from the legend, a band staying translucent, and zooms a single view by a drag", () => {
    const out = interactiveSpec(single) as unknown as Out;
    expect(out.layer![0].params!.map((p) => [p.name, p.bind])).toEqual([["pick", "legend"], ["zoom", "scales"]]);
    expect(out.layer!.map((l) => [l.encoding.opacity.condition.value, l.encoding.opacity.value])).toEqual([[0.14, 0.08], [1, 0.08]]);
    expect(out.params).toBeUndefined();
    expect((single as unknown as { layer: Layered[] }).layer[0].encoding.opacity).toBeUndefined(); // the SVG's spec is left as it is
  });

  it("gives a faceted figure two sliders over the step axis of every panel, its marks clipped", () => {
    const out = interactiveSpec(faceted) as unknown as Out;
    expect(out.params!.map((p) => [p.name, p.value, p.bind!.input, p.bind!.min, p.bind!.max])).toEqual([["stepFrom", 0, "range", 0, 3000], ["stepTo", 3000, "range", 0, 3000]]);
    for (const layer of out.spec!.layer) {
      expect(layer.encoding.x.scale.domain).toEqual({ expr: "[min(stepFrom, stepTo - 1), max(stepTo, stepFrom + 1)]" });
      expect(layer.mark.clip).toBe(true);
    }
    expect(out.spec!.layer[0].params!.map((p) => p.name)).toEqual(["pick"]);
  });
});
