// The one table renderer: Markdown tables padded to aligned columns (they read in a terminal as on
// GitHub) and plain-text tables for the terminal, both split into several tables — each repeating
// the leading key columns — when one would be wider than the page or the terminal.

export type Align = "left" | "right";

/** Widest Markdown table row in a report (about what GitHub shows without scrolling). */
const REPORT_TABLE_WIDTH = 110;
/** Widest plain-text table row in a terminal. */
export const TERMINAL_WIDTH = 100;

/** Columns a string takes in a terminal: code points (every character used here is one column). */
function displayWidth(text: string): number {
  return Array.from(text).length;
}

/** Characters a Markdown cell shows once rendered: a link shows its text, ** and ` show nothing. */
export function visibleWidth(text: string): number {
  return displayWidth(text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\*\*|`/g, ""));
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

export interface TableLayout {
  /** Alignment per column; default: first left, others right. */
  align?: readonly Align[];
  /** Leading columns that identify a row (repeated in every part of a split table). */
  keyColumns?: number;
  /** Sizes of the runs of columns after the key columns that must stay in one part (default 1 each). */
  groups?: readonly number[];
  /** Widest row allowed before the table is split. */
  maxWidth?: number;
}

/**
 * Which columns go in each part of a table whose rows would be wider than `maxWidth`: the key
 * columns in every part, the other columns packed greedily in order, a group never split.
 * `rowWidth(columns)` is the width of a row made of those columns.
 */
export function splitColumns(count: number, rowWidth: (columns: number[]) => number, layout: TableLayout): number[][] {
  const keys = Array.from({ length: Math.min(layout.keyColumns ?? 1, count) }, (_, i) => i);
  const all = Array.from({ length: count }, (_, i) => i);
  const maxWidth = layout.maxWidth ?? Infinity;
  if (rowWidth(all) <= maxWidth) return [all];
  const groups: number[][] = [];
  let next = keys.length;
  for (const size of layout.groups ?? []) {
    if (next >= count) break;
    groups.push(all.slice(next, Math.min(count, next + size)));
    next += size;
  }
  for (; next < count; next++) groups.push([next]);
  const parts: number[][] = [];
  let current: number[] = [];
  for (const group of groups) {
    if (current.length > 0 && rowWidth([...keys, ...current, ...group]) > maxWidth) {
      parts.push([...keys, ...current]);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0 || parts.length === 0) parts.push([...keys, ...current]);
  return parts;
}

function alignOf(layout: TableLayout, c: number): Align {
  return layout.align?.[c] ?? (c === 0 ? "left" : "right");
}

function columnWidths(header: readonly string[], rows: readonly (readonly string[])[], min: number): number[] {
  return header.map((h, c) => Math.max(min, ...h.split("\n").map(displayWidth), ...rows.map((r) => displayWidth(r[c] ?? ""))));
}

function pad(text: string, width: number, align: Align, measure: (text: string) => number = displayWidth): string {
  const fill = " ".repeat(Math.max(0, width - measure(text)));
  return align === "left" ? text + fill : fill + text;
}

/** One Markdown table with every column, padded to align as rendered (a link counts as its text). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const layout = { align };
  const widths = header.map((h, c) => Math.max(3, visibleWidth(escapeCell(h)), ...rows.map((r) => visibleWidth(escapeCell(r[c] ?? "")))));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => pad(escapeCell(cell), widths[c], alignOf(layout, c), visibleWidth)).join(" | ")} |`;
  const rule = `|${widths.map((w, c) => (alignOf(layout, c) === "left" ? ":" + "-".repeat(w + 1) : "-".repeat(w + 1) + ":")).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/**
 * Markdown tables whose rows show no more than `layout.maxWidth` characters once rendered (default
 * REPORT_TABLE_WIDTH; see visibleWidth): one table when it
 * fits, else parts that each repeat the key columns, separated by blank lines.
 */
export function fittedMarkdownTable(header: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
  // split by what a reader sees (GitHub renders links and emphasis), pad by the source text
  const widths = header.map((h, c) => Math.max(3, visibleWidth(h), ...rows.map((r) => visibleWidth(escapeCell(r[c] ?? "")))));
  const rowWidth = (columns: number[]) => 1 + columns.reduce((sum, c) => sum + widths[c] + 3, 0);
  const parts = splitColumns(header.length, rowWidth, { maxWidth: REPORT_TABLE_WIDTH, ...layout });
  return parts
    .map((columns) => markdownTable(columns.map((c) => header[c]), rows.map((r) => columns.map((c) => r[c] ?? "")), columns.map((c) => alignOf(layout, c))))
    .join("\n\n");
}

/**
 * Plain-text tables for the terminal: a header (a cell may hold "\n" for a header of two lines), a
 * dashed rule and rows, columns two spaces apart; split like fittedMarkdownTable when wider than
 * `layout.maxWidth` (default: no limit).
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
  const widths = columnWidths(header, rows, 0);
  const rowWidth = (columns: number[]) => columns.reduce((sum, c) => sum + widths[c], 0) + 2 * (columns.length - 1);
  const parts = splitColumns(header.length, rowWidth, layout);
  return parts
    .map((columns) => {
      const headerLines = Math.max(...columns.map((c) => header[c].split("\n").length));
      const line = (cells: readonly string[]) => cells.map((cell, i) => pad(cell, widths[columns[i]], alignOf(layout, columns[i]))).join("  ").trimEnd();
      const headerRows = Array.from({ length: headerLines }, (_, k) =>
        line(columns.map((c) => {
          const parts = header[c].split("\n");
          return parts[k - (headerLines - parts.length)] ?? "";
        })),
      );
      return [...headerRows, columns.map((c) => "-".repeat(widths[c])).join("  "), ...rows.map((r) => line(columns.map((c) => r[c] ?? "")))].join("\n");
    })
    .join("\n\n");
}

/** Wraps a line at spaces so that no piece is wider than `columns` (hard-cuts a word that is). */
export function wrapWords(line: string, columns: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (displayWidth(rest) > columns) {
    const chars = Array.from(rest);
    let cut = chars.lastIndexOf(" ", columns);
    if (cut <= 0) cut = columns;
    pieces.push(chars.slice(0, cut).join("").trimEnd());
    rest = chars.slice(cut).join("").trimStart();
  }
  pieces.push(rest);
  return pieces;
}
