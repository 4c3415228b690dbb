// The one table renderer: aligned Markdown and text tables, split into parts that repeat the key
// columns when a row would be too wide, groups of columns kept together, two-line text headers.
import { describe, expect, it } from "vitest";
import { fittedMarkdownTable, markdownTable, splitColumns, textTable, wrapWords } from "../../src/render/table.js";

describe("splitColumns", () => {
  const width = (widths: number[]) => (columns: number[]) => columns.reduce((sum, c) => sum + widths[c], 0);
  it("keeps every column in one part when it fits", () => {
    expect(splitColumns(4, width([5, 5, 5, 5]), { maxWidth: 20 })).toEqual([[0, 1, 2, 3]]);
  });
  it("packs columns greedily after the key columns, repeating the keys, never splitting a group", () => {
    // keys 0, 1 (10 wide); then a group of 2 (columns 2, 3), then 4 and 5
    expect(splitColumns(6, width([5, 5, 6, 6, 6, 6]), { keyColumns: 2, groups: [2], maxWidth: 24 })).toEqual([[0, 1, 2, 3], [0, 1, 4, 5]]);
    expect(splitColumns(6, width([5, 5, 6, 6, 6, 6]), { keyColumns: 2, groups: [2], maxWidth: 20 })).toEqual([[0, 1, 2, 3], [0, 1, 4], [0, 1, 5]]);
  });
});

describe("tables", () => {
  it("pads a Markdown table to aligned columns, escaping pipes", () => {
    expect(markdownTable(["a", "bb"], [["x|y", "1"]])).toBe(["| a    |  bb |", "|:-----|----:|", "| x\\|y |   1 |"].join("\n"));
  });
  it("splits a wide Markdown table into parts of at most maxWidth characters", () => {
    const header = ["key", ...Array.from({ length: 8 }, (_, i) => `column ${i}`)];
    const rows = [["k", ...Array.from({ length: 8 }, () => "a value here")]];
    const text = fittedMarkdownTable(header, rows, { maxWidth: 60 });
    const parts = text.split("\n\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.startsWith("| key")).toBe(true);
      for (const line of part.split("\n")) expect(Array.from(line).length).toBeLessThanOrEqual(60);
    }
    expect(parts.flatMap((p) => p.split("\n")[0].split("|").map((c) => c.trim()).filter((c) => c.startsWith("column")))).toEqual(header.slice(1));
  });
  it("stacks a text header over two lines, bottom-aligned", () => {
    expect(textTable(["a", "top\nbottom"], [["x", "1"]]).split("\n")).toEqual(["      top", "a  bottom", "-  ------", "x       1"]);
  });
  it("wraps words at the width", () => {
    expect(wrapWords("aaa bbb ccc", 7)).toEqual(["aaa bbb", "ccc"]);
  });
});
