// `export --what pivot`: the report's pivot tables as one flat table, so nobody needs pandas to get
// a width × λ table of median signal steps. One row per (quantity, remaining keys' values, row
// value); per column value, the number shown (KM median step or mean; empty = ∞ or none), its 95%
// CI, the runs that reached the event and the runs counted.
import { pivotConditions, pivotQuantities, type PivotAxes } from "../analysis/pivot.js";
import type { StudySummary } from "../analysis/summaryTypes.js";
import { formatParam } from "../render/format.js";
import { tableOf, type Cell, type ColumnType, type Table } from "./tables.js";

/** A grid value as a cell: numbers, strings and booleans as they are, a variant as its label. */
function valueCell(value: unknown): Cell {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean" ? value : formatParam(value);
}

export function pivotTable(summary: StudySummary, axes: PivotAxes, finals: readonly string[]): Table {
  const pivot = pivotConditions(summary, axes);
  const columnsOf = (v: unknown) => {
    const label = `${axes.cols}=${formatParam(v)}`;
    return { value: label, lo: `${label} lo`, hi: `${label} hi`, reached: `${label} reached`, n: `${label} n` };
  };
  const perColumn = pivot.colValues.map(columnsOf);
  const names = ["quantity", ...axes.rest, axes.rows, ...perColumn.flatMap((c) => [c.value, c.lo, c.hi, c.reached, c.n])];
  const types: Record<string, ColumnType> = { quantity: "string" };
  for (const c of perColumn) Object.assign(types, { [c.value]: "double", [c.lo]: "double", [c.hi]: "double", [c.reached]: "int", [c.n]: "int" });
  const rows = pivotQuantities(summary, finals).flatMap((quantity) =>
    pivot.slices.flatMap((slice) =>
      pivot.rowValues.map((r, i) => {
        const row: Record<string, Cell> = { quantity: quantity.id };
        for (const key of axes.rest) row[key] = valueCell(slice.at[key]);
        row[axes.rows] = valueCell(r);
        slice.cells[i].forEach((c, j) => {
          const cell = c === undefined ? null : quantity.cell(c);
          const columns = perColumn[j];
          row[columns.value] = cell?.value ?? null;
          row[columns.lo] = cell?.lo ?? null;
          row[columns.hi] = cell?.hi ?? null;
          row[columns.reached] = cell?.reached ?? null;
          row[columns.n] = cell?.n ?? null;
        });
        return row;
      }),
    ),
  );
  return tableOf(names, rows, types);
}
