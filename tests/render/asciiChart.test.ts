// The ASCII chart renderer: column steps on linear and symlog axes, interpolation, x ticks, bands
// under the lines, a shared cell shown as "*", and the width limit.
import { describe, expect, it } from "vitest";
import { columnSteps, interpolate, renderChart } from "../../src/render/asciiChart.js";

describe("columnSteps", () => {
  it("keeps the data's steps on a linear axis when they fit", () => {
    expect(columnSteps([0, 25, 50], 80, "linear")).toEqual([0, 25, 50]);
  });
  it("spaces columns evenly in ln(1 + step) on a symlog axis, ending at the last step", () => {
    const steps = columnSteps([0, 2000], 12, "symlog");
    expect(steps).toHaveLength(12);
    expect(steps[0]).toBe(0);
    expect(steps[11]).toBe(2000);
    // Column c is at exp(c · ln(2001) / 11) − 1: the 4th is step ≈ 6.9, so phase 1 (steps ≤ 25) gets 5 of 12 columns.
    expect(steps[3]).toBeCloseTo(Math.expm1((3 * Math.log(2001)) / 11), 9);
    expect(steps.filter((s) => s <= 25)).toHaveLength(5);
  });
});

describe("interpolate", () => {
  it("interpolates linearly between finite points and gives NaN outside them", () => {
    expect(interpolate([0, 10, 20], [0, 1, NaN], [0, 5, 10, 15])).toEqual([0, 0.5, 1, NaN]);
    expect(interpolate([0, 10, 20], [0, 1, 3], [15, 20])).toEqual([2, 3]);
  });
});

describe("renderChart", () => {
  const steps = Array.from({ length: 201 }, (_, i) => i * 10);

  it("puts x ticks under the plot, labelled with steps, and fits the column limit", () => {
    const chart = renderChart([{ name: "a", values: steps.map((s) => s) }], { title: "t", steps, stepAxis: "symlog", maxColumns: 100 });
    const lines = chart.split("\n");
    for (const line of lines) expect(Array.from(line).length).toBeLessThanOrEqual(100);
    const rule = lines.find((l) => l.includes("└"))!;
    const labels = lines[lines.indexOf(rule) + 1];
    expect(labels.trim().split(/\s+/)).toEqual(["0", "1", "2", "5", "10", "20", "50", "100", "200", "500", "1000", "2000"]);
    // each label sits under its tick mark
    for (const match of labels.matchAll(/\d+/g)) {
      const centre = match.index! + Math.floor(match[0].length / 2);
      expect(rule.slice(centre - 2, centre + 3)).toContain("┬");
    }
    expect(chart).toContain("step (symlog scale: early steps stretched)");
  });

  it("draws the band under the lines and marks cells two lines share with *", () => {
    const flat = steps.map(() => 1);
    const rising = steps.map((s) => s / 1000);
    const chart = renderChart(
      [
        { name: "flat", values: flat, band: { lo: flat.map(() => 0.5), hi: flat.map(() => 1.5) } },
        { name: "rising", values: rising },
      ],
      { title: "t", steps, maxColumns: 100 },
    );
    expect(chart).toContain("·");
    expect(chart).toContain("*");
    expect(chart.split("\n").at(-1)).toBe("legend: ── flat   ++ rising   ·· 10–90% of seeds   * lines overlap");
    // the flat line is drawn over its band: its row has ─ and no band dot
    const flatRow = chart.split("\n").find((l) => l.includes("─") && !l.includes("└"))!;
    expect(flatRow).not.toContain("·");
  });

  it("returns nothing when no value is finite, and skips non-positive values on a log scale", () => {
    expect(renderChart([{ name: "x", values: [NaN, NaN] }], { title: "t", steps: [0, 1] })).toBe("");
    expect(renderChart([{ name: "x", values: [0, -1] }], { title: "t", steps: [0, 1], logScale: true })).toBe("");
  });
});
