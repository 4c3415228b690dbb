// The views that scale past one grid key (issue 22): pivot tables (their axes, slices, Markdown and
// flat-table forms), heatmaps, the figures' colour/facet layout and step axis, the view options'
// checks, and the ASCII chart's last x label.
import { describe, expect, it } from "vitest";
import { pivotAxes, pivotConditions, pivotQuantities } from "../../src/analysis/pivot.js";
import { summarizeStudy } from "../../src/analysis/summary.js";
import { checkViewOptions } from "../../src/config/viewOptions.js";
import { pivotTable } from "../../src/export/pivotTable.js";
import { DEFAULT_EVENTS } from "../../src/kernel/events.js";
import { SCALAR_METRICS, type TrajectoryPoint } from "../../src/kernel/metricNames.js";
import { resolveParams } from "../../src/config/modelKeys.js";
import type { RunRecord } from "../../src/store/runRecord.js";
import { renderChart } from "../../src/render/asciiChart.js";
import { conditionLayout } from "../../src/render/figures/conditionLayout.js";
import { stepAxisOf } from "../../src/render/figures/figureLayout.js";
import { heatmapSpec } from "../../src/render/figures/heatmaps.js";
import { stepScale } from "../../src/render/figures/stepAxis.js";
import { renderSvg } from "../../src/render/figures/vegaSvg.js";
import { pivotTablesSection } from "../../src/render/report/pivotTables.js";

const GRID = { width: [16, 32, 64], lr: [0.1, 0.5], lambda: [0, 1] };

/** A run whose signal step grows with λ and shrinks with lr; at λ = 1 only seed 0 reaches it. */
function run(width: number, lr: number, lambda: number, seed: number): RunRecord {
  const signal = lambda === 1 && seed > 0 ? null : Math.round(100 / lr / 10) + width + seed;
  const trajectory: TrajectoryPoint[] = [0, 50, 100, 200, 300].map((step) => {
    const values = Object.fromEntries(SCALAR_METRICS.map((m) => [m, 0.5])) as Record<(typeof SCALAR_METRICS)[number], number>;
    return { step, ...values, acc: [0.5, 0.5, 0.5, 0.5] };
  });
  const { step: _last, ...final } = trajectory[trajectory.length - 1];
  return {
    condition: { width, lr, lambda },
    params: resolveParams({ width, lr, lambda, d: 16, steps: 300, evalEvery: 50, seed }),
    seed,
    events: { spurious: 10 + seed, signal },
    rates: { spuriousRate: null, signalRate: null },
    final,
    trajectory,
    diverged: null,
    wallMs: 1,
    engine: { threads: 1, shards: 1, kernel: "f32", version: "test" },
  };
}

const conditions = GRID.width.flatMap((width) => GRID.lr.flatMap((lr) => GRID.lambda.map((lambda) => ({ width, lr, lambda }))));
const records = conditions.flatMap((c) => [0, 1, 2].map((seed) => run(c.width, c.lr, c.lambda, seed)));
const summary = summarizeStudy({ name: "views", configHash: "test", events: { ...DEFAULT_EVENTS }, grid: GRID, conditions, records });

describe("pivot tables", () => {
  it("default to the two keys with the most values, the rest one table per value", () => {
    expect(pivotAxes(GRID)).toEqual({ rows: "width", cols: "lr", rest: ["lambda"] });
    expect(pivotAxes(GRID, { rows: "lambda", cols: "width" })).toEqual({ rows: "lambda", cols: "width", rest: ["lr"] });
    expect(pivotAxes(GRID, { cols: "width" })).toEqual({ rows: "lr", cols: "width", rest: ["lambda"] });
    expect(pivotAxes({ lambda: [0, 1] })).toBeNull();
  });

  it("lays each condition in its cell and prints a header row of the column key's values", () => {
    const axes = pivotAxes(GRID, { rows: "width", cols: "lambda" })!;
    const pivot = pivotConditions(summary, axes);
    expect(pivot.slices.map((s) => s.at)).toEqual([{ lr: 0.1 }, { lr: 0.5 }]);
    expect(pivot.slices[1].cells[2][0]?.condition).toEqual({ width: 64, lr: 0.5, lambda: 0 });
    const text = pivotTablesSection(pivot, pivotQuantities(summary, ["wga"]));
    const lines = text.split("\n");
    expect(lines.filter((l) => l.startsWith("| width ↓ lambda →"))[0]).toMatch(/^\| width ↓ lambda → \| +0 \| +1 \|$/);
    expect(lines).toContain("At lr=0.5:");
    // width 64, lr 0.5, λ 0: signal at 20 + 64 + seed → median 85; at λ = 1 one run of 3 reached it
    const row = lines.filter((l) => l.startsWith("| 64 "));
    expect(row[3]).toMatch(/^\| 64 +\| 85 \[84, [^\]]+\] 3\/3 \| ∞ \[.*\] 1\/3 \|$/);
  });

  it("exports the same numbers as a flat table, one column group per column value", () => {
    const table = pivotTable(summary, pivotAxes(GRID, { rows: "width", cols: "lambda" })!, ["wga"]);
    const column = (name: string) => table.columns.find((c) => c.name === name)!.values;
    expect(table.columns.slice(0, 3).map((c) => c.name)).toEqual(["quantity", "lr", "width"]);
    const row = column("quantity").findIndex((q, i) => q === "events.signal" && column("lr")[i] === 0.5 && column("width")[i] === 64);
    expect(column("lambda=0")[row]).toBe(85);
    expect(column("lambda=1")[row]).toBeNull(); // ∞
    expect(column("lambda=1 reached")[row]).toBe(1);
    expect(column("lambda=1 n")[row]).toBe(3);
  });

  it("draws a heatmap whose cells carry the median and the runs that reached the event", async () => {
    const pivot = pivotConditions(summary, pivotAxes(GRID, { rows: "width", cols: "lambda" })!);
    const signal = pivotQuantities(summary, []).find((q) => q.id === "events.signal")!;
    const svg = await renderSvg(heatmapSpec(pivot, signal)!);
    expect(svg).toContain(">85 · 3/3<");
    expect(svg).toContain(">∞ · 1/3<");
    expect(svg).toContain(">lr=0.5<");
    expect(await renderSvg(heatmapSpec(pivot, signal)!)).toBe(svg);
  });

  it("says in a heatmap's cell how many of its runs diverged", () => {
    const blownUp = records.map((r) => (r.condition.width === 16 && r.condition.lr === 0.5 && r.condition.lambda === 0 && r.seed === 2 ? { ...r, diverged: 100, events: { spurious: 12, signal: null } } : r));
    const withDiverged = summarizeStudy({ name: "views", configHash: "test", events: { ...DEFAULT_EVENTS }, grid: GRID, conditions, records: blownUp });
    const pivot = pivotConditions(withDiverged, pivotAxes(GRID, { rows: "width", cols: "lambda" })!);
    const spec = heatmapSpec(pivot, pivotQuantities(withDiverged, []).find((q) => q.id === "events.signal")!) as unknown as { data: { values: { label: string }[] }; title: { subtitle: string[] } };
    expect(spec.data.values.filter((c) => c.label.includes("▽")).map((c) => c.label)).toEqual(["37 · 2/3 ▽1"]); // seeds 0 and 1 at 36 and 37, seed 2 censored: KM median 37
    expect(spec.title.subtitle).toContain("▽k: k runs diverged (counted as not reaching it)");
  });
});

describe("figure layout", () => {
  it("colours by the key with the most values and facets by the next when there are more than 6 lines", () => {
    const layout = conditionLayout(summary);
    expect([layout.colourKey, layout.facetKey]).toEqual(["width", "lr"]);
    expect(layout.columnDomain).toEqual(["lambda=0", "lambda=1"]);
  });
  it("follows --colour and --facet, and --facet none overlays every condition", () => {
    const layout = conditionLayout(summary, { colour: "lambda", facet: "width" });
    expect(layout.colourDomain).toEqual(["lambda=0", "lambda=1"]);
    expect(layout.rowDomain).toEqual(["width=16", "width=32", "width=64"]);
    expect(layout.columnDomain).toEqual(["lr=0.1", "lr=0.5"]);
    const overlaid = conditionLayout(summary, { colour: "lr", facet: "none" });
    expect(overlaid.rowDomain).toBeNull();
    expect(overlaid.colourDomain).toHaveLength(12);
    expect(overlaid.colourDomain[0]).toBe("lr=0.1, width=16, lambda=0");
  });
  it("with --facet alone, colours by the next key (each row of panels in one colour told nothing apart)", () => {
    const layout = conditionLayout(summary, { facet: "width" });
    expect([layout.colourKey, layout.facetKey]).toEqual(["lr", "width"]);
    expect(layout.columnDomain).toEqual(["lambda=0", "lambda=1"]);
  });
  it("gives panels in more than two columns the short step-axis title, so that the titles do not run into each other", () => {
    const scale = stepScale(3000, { firstStep: 25 });
    expect(stepAxisOf(conditionLayout(summary, { colour: "lambda", facet: "lr" }), scale).title).toBe("step (symlog)"); // 3 columns of width
    expect(stepAxisOf(conditionLayout(summary), scale).title).toBe("step (symlog scale: early steps stretched)"); // 2 columns of λ
  });
});

describe("view options", () => {
  const name = (key: string) => `--${key}`;
  it("name the flag and the grid keys allowed", () => {
    expect(() => checkViewOptions({ rows: "depth" }, GRID, name)).toThrow("--rows: 'depth' is not a grid key of this study; allowed: width, lr, lambda");
    expect(() => checkViewOptions({ colour: "widht" }, GRID, name)).toThrow("--colour: 'widht' is not a grid key of this study (did you mean 'width'?); allowed: width, lr, lambda");
    expect(() => checkViewOptions({ facet: "nope" }, GRID, name)).toThrow(/allowed: width, lr, lambda, none/);
    expect(() => checkViewOptions({ rows: "lr", cols: "lr" }, GRID, name)).toThrow(/^--cols: 'lr' is also the rows/);
    expect(() => checkViewOptions({ x: "loglog" as never }, GRID, name)).toThrow("--x: must be one of linear, log, symlog, got \"loglog\"");
    expect(checkViewOptions({ rows: "lambda", facet: "none", x: "log" }, GRID, name)).toEqual({ rows: "lambda", facet: "none", x: "log" });
  });
});

describe("step axis", () => {
  it("takes the first evaluated step as the symlog constant and keeps round, spaced ticks with the last step", () => {
    const s = stepScale(3000, { firstStep: 25 });
    expect(s.scale).toMatchObject({ type: "symlog", constant: 25 });
    expect(s.axis.values?.[0]).toBe(0);
    expect(s.axis.values?.at(-1)).toBe(2000);
    for (const t of s.axis.values ?? []) expect(t === 0 || /^[125]0*$/.test(String(t))).toBe(true);
    expect(stepScale(3000, { kind: "log", firstStep: 25 }).scale).toMatchObject({ type: "log", domain: [25, 3000] });
    expect(stepScale(3000, { kind: "linear" }).scale.type).toBe("linear");
    expect(stepScale(50).kind).toBe("linear");
  });
  it("labels the ASCII chart's real last step", () => {
    const steps = Array.from({ length: 121 }, (_, i) => i * 25);
    const chart = renderChart([{ name: "a", values: steps.map((s) => s / 3000) }], { title: "t", steps, stepAxis: "symlog", maxColumns: 100 });
    const labels = chart.split("\n").find((l) => /^\s+0 /.test(l))!;
    expect(labels.trim().split(/\s+/).at(-1)).toBe("3000");
    const linear = renderChart([{ name: "a", values: steps.map((s) => s / 3000) }], { title: "t", steps: steps.slice(0, 118), maxColumns: 100 });
    expect(linear.split("\n").find((l) => /^\s+0 /.test(l))!.trim().split(/\s+/).at(-1)).toBe("2925");
  });
});
