// The key columns every comparisons table of report.md starts with (key, from → to, the other grid
// keys, event or metric), and the split into one table per grid key.
import { formatParam } from "../format.js";
import { fittedMarkdownTable, type Align, type TableLayout } from "../table.js";

/**
 * One comparisons table per grid key compared (the key is each row's first cell): a variant's labels
 * make the key columns of its rows wide, and the other keys' rows need not share that width.
 */
export function tablesByKey(header: readonly string[], rows: readonly string[][], layout: TableLayout): string {
  const keys = [...new Set(rows.map((r) => r[0]))];
  return keys.map((key) => fittedMarkdownTable(header, rows.filter((r) => r[0] === key), layout)).join("\n\n");
}

/** The leading cells of a comparison row: the key, from → to, the other grid keys' values (when there are others), then `what` (an event or a metric). */
export function comparisonKeyCells(gridKeys: readonly string[], key: string, from: Record<string, unknown>, to: Record<string, unknown>, what: string): string[] {
  const others = gridKeys.filter((k) => k !== key).map((k) => `${k}=${formatParam(from[k])}`).join(", ");
  return [key, `${formatParam(from[key])} → ${formatParam(to[key])}`, ...(gridKeys.length > 1 ? [others] : []), what];
}

/** The header of those leading columns (`what` names the last) and a layout that keeps them, left-aligned, in every part of a split table. */
export function comparisonKeyColumns(gridKeys: readonly string[], what: string): { header: string[]; layout: TableLayout } {
  const header = ["key", "from → to", ...(gridKeys.length > 1 ? ["at"] : []), what];
  return { header, layout: { align: header.map((): Align => "left"), keyColumns: header.length } };
}
