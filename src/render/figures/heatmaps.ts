// One SVG heatmap per pivot table (issue 22): the grid key of the pivot's rows down, its columns'
// key across, one panel per combination of the remaining keys' values; the cell's colour is the
// event's median step (or the final metric's mean), its text the number with the runs that reached
// the event. A cell where fewer than half the runs reached the event has no median: grey, "∞". A cell
// whose condition had runs that diverged says how many ("▽2"): they count as not reaching an event
// and are left out of a final metric's mean.
import type { TopLevelSpec } from "vega-lite";
import type { Pivot, PivotQuantity } from "../../analysis/pivot.js";
import { divergedOf } from "../../analysis/summary/diverged.js";
import { conditionLabel, formatParam, formatStep, formatValue } from "../format.js";

interface HeatmapCell {
  row: string;
  col: string;
  panel: string;
  /** The colour's number; null draws the cell grey. */
  value: number | null;
  label: string;
  /** White text on the dark end of the colour scale. */
  dark: boolean;
}

/** The cell text: "120 · 4/4" for an event ("∞ · 1/4" below half), the mean for a final metric. */
function cellLabel(quantity: PivotQuantity, value: number | null, reached: number | null, n: number): string {
  if (quantity.kind === "final") return value === null ? "—" : formatValue(value);
  if (n === 0) return "— · 0/0"; // e.g. a gap where no run reached its first event
  return `${value === null ? "∞" : formatStep(value)} · ${reached}/${n}`;
}

function heatmapCells(pivot: Pivot, quantity: PivotQuantity): HeatmapCell[] {
  const cells: HeatmapCell[] = [];
  for (const slice of pivot.slices) {
    const panel = conditionLabel(slice.at);
    slice.cells.forEach((rowCells, i) =>
      rowCells.forEach((c, j) => {
        const cell = c === undefined ? null : quantity.cell(c);
        if (cell === null) return;
        const diverged = c === undefined ? 0 : divergedOf(c).n;
        const label = cellLabel(quantity, cell.value, cell.reached, cell.n) + (diverged > 0 ? ` ▽${diverged}` : "");
        cells.push({ row: formatParam(pivot.rowValues[i]), col: formatParam(pivot.colValues[j]), panel, value: cell.value, label, dark: false });
      }),
    );
  }
  // viridis is dark at its low end: white text on the lower 45% of the colour range
  const values = cells.flatMap((c) => (c.value === null ? [] : [c.value]));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  for (const c of cells) if (c.value !== null) c.dark = hi > lo ? (c.value - lo) / (hi - lo) < 0.45 : true;
  return cells;
}

/** The Vega-Lite spec of one quantity's heatmap; null when no condition has a cell. */
export function heatmapSpec(pivot: Pivot, quantity: PivotQuantity): TopLevelSpec | null {
  const cells = heatmapCells(pivot, quantity);
  if (cells.length === 0) return null;
  const { rows, cols } = pivot.axes;
  const values = cells.flatMap((c) => (c.value === null ? [] : [c.value]));
  // Event steps span decades (phase 1 in tens of steps, XOR in hundreds): a log colour scale then.
  const logColour = quantity.kind === "event" && values.length > 0 && Math.min(...values) > 0 && Math.max(...values) >= 10 * Math.min(...values);
  const x = { field: "col", type: "ordinal" as const, title: cols, sort: pivot.colValues.map(formatParam), axis: { labelAngle: 0, orient: "top" as const } };
  const y = { field: "row", type: "ordinal" as const, title: rows, sort: pivot.rowValues.map(formatParam) };
  const layer = [
    // Vega-Lite leaves out a rect whose colour field is null: the cells without a median get their own grey layer
    { transform: [{ filter: "datum.value === null" }], mark: { type: "rect", stroke: "#fff", strokeWidth: 1, fill: "#d9d9d9" }, encoding: { x, y } },
    {
      transform: [{ filter: "datum.value !== null" }],
      mark: { type: "rect", stroke: "#fff", strokeWidth: 1 },
      encoding: {
        x,
        y,
        color: {
          field: "value",
          type: "quantitative",
          title: quantity.kind === "event" ? "median step" : `mean ${quantity.name}`,
          scale: { scheme: "viridis", ...(logColour ? { type: "log" } : {}) },
        },
      },
    },
    {
      mark: { type: "text", fontSize: 11 },
      encoding: { x, y, text: { field: "label" }, color: { condition: { test: "datum.dark", value: "#fff" }, value: "#000" } },
    },
  ];
  const spec = { width: { step: 92 }, height: { step: 30 }, layer };
  const panels = [...new Set(cells.map((c) => c.panel))];
  const top = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: quantity.title,
      subtitle: [
        quantity.kind === "event" ? "grey, ∞: fewer than half the runs reached the event (no median)" : "mean across seeds",
        ...(cells.some((c) => c.label.includes("▽")) ? [quantity.kind === "event" ? "▽k: k runs diverged (counted as not reaching it)" : "▽k: k runs diverged (left out of the mean)"] : []),
      ],
    },
    data: { values: cells },
  };
  if (pivot.axes.rest.length === 0) return { ...top, ...spec } as TopLevelSpec;
  return { ...top, facet: { field: "panel", type: "nominal", title: null, sort: panels }, spec, columns: 3 } as unknown as TopLevelSpec;
}
