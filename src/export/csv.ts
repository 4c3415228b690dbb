// A table as CSV (RFC 4180): a header row, comma-separated, quoted where a cell needs it, numbers
// written so that they read back to the same double (a whole number in a double column as "1.0", so
// readers type the column as floating point), empty for a missing value, TRUE/FALSE for booleans
// (read as booleans by pandas, DuckDB and R — R's read.csv leaves lowercase true/false as text, and
// Surv(step, reached) then refuses the column).
import type { Cell, ColumnType, Table } from "./tables.js";

function csvCell(value: Cell, type: ColumnType): string {
  if (value === null) return "";
  if (typeof value === "number") return type === "double" && Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvCell(c.name, "string")).join(",")];
  for (let row = 0; row < table.rows; row++) lines.push(table.columns.map((c) => csvCell(c.values[row], c.type)).join(","));
  return lines.join("\n") + "\n";
}
