// The figures of the companion sections of the paper page, one per companion study, drawn from the
// studies' summaries: median trajectories across seeds (10–90% bands) of the companion metrics, and
// the shortcut shares of the max-margin classifier and of the net against n/d.
import type { TopLevelSpec } from "vega-lite";
import type { StudySummary } from "../../analysis/summary.js";
import { conditionLabel } from "../format.js";
import { colourRange } from "./palette.js";

const WIDTH = 500;
const HEIGHT = 260;
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

interface TrajectoryRow {
  series: string;
  metric: string;
  step: number;
  median: number;
  p10: number;
  p90: number;
}

/** Median and 10–90% band of `metrics` per condition (`label` names it), with `transform` applied to each value. */
function trajectoryRows(summary: StudySummary, metrics: readonly string[], label: (c: Record<string, unknown>) => string, transform = (x: number) => x): TrajectoryRow[] {
  const rows: TrajectoryRow[] = [];
  for (const c of summary.conditions) {
    for (const metric of metrics) {
      const band = c.trajectories[metric];
      if (band === undefined) continue;
      band.steps.forEach((step, i) => {
        const values = [band.median[i], band.p10[i], band.p90[i]].map(transform);
        if (values.every(Number.isFinite)) rows.push({ series: label(c.condition), metric, step, median: values[0], p10: Math.min(values[1], values[2]), p90: Math.max(values[1], values[2]) });
      });
    }
  }
  return rows;
}

/** Lines of the medians (colour: series) over 10–90% bands; one panel per metric when there are several. */
function trajectorySpec(rows: readonly TrajectoryRow[], o: { title: string; subtitle: string; yTitle: string; logX?: boolean; logY?: boolean }): TopLevelSpec | null {
  if (rows.length === 0) return null;
  const series = [...new Set(rows.map((r) => r.series))];
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const data = o.logX ? rows.filter((r) => r.step > 0) : rows;
  const x = { field: "step", type: "quantitative" as const, title: o.logX ? "step (log scale)" : "step", scale: o.logX ? { type: "log" as const, nice: false } : {} };
  const yScale = o.logY ? { type: "log" as const } : { zero: false };
  const colour = { field: "series", type: "nominal" as const, title: null, sort: series, scale: { range: colourRange(series) } };
  const layer = [
    { mark: { type: "area", opacity: 0.15 }, encoding: { x, y: { field: "p10", type: "quantitative", scale: yScale, title: o.yTitle }, y2: { field: "p90" }, color: colour } },
    { mark: { type: "line", strokeWidth: 1.8 }, encoding: { x, y: { field: "median", type: "quantitative", scale: yScale }, color: colour } },
  ];
  const common = { $schema: SCHEMA, title: { text: o.title, subtitle: o.subtitle }, data: { values: data as unknown as Record<string, unknown>[] }, config: { font: "sans-serif", legend: { orient: "bottom" } } };
  if (metrics.length === 1) return { ...common, width: WIDTH, height: HEIGHT, layer } as TopLevelSpec;
  return {
    ...common,
    facet: { field: "metric", type: "nominal", title: null, sort: metrics },
    columns: 2,
    spec: { width: WIDTH / 2, height: HEIGHT / 2, layer },
  } as TopLevelSpec;
}

const label = (c: Record<string, unknown>) => conditionLabel(c);

/** The linear baseline: clean test accuracy and noisy-label train accuracy over training, per activation. */
export function linearBaselineSpec(summary: StudySummary): TopLevelSpec | null {
  return trajectorySpec(trajectoryRows(summary, ["accAvg", "trainAcc"], label), {
    title: "A linear classifier stays at chance on XOR; the ReLU network does not",
    subtitle: "clean test accuracy (accAvg) and train accuracy on the noisy labels, median over seeds with 10–90% band",
    yTitle: "accuracy",
  });
}

/** Label noise: clean test accuracy, accuracy on the noisy training labels and noise fit over training, at one noise rate. */
export function labelNoiseSpec(summary: StudySummary, labelNoise: number): TopLevelSpec | null {
  const at = { ...summary, conditions: summary.conditions.filter((c) => c.condition.labelNoise === labelNoise) };
  const n = (c: Record<string, unknown>) => `n = ${String((c.variant as Record<string, unknown> | undefined)?.trainSize ?? "?")}`;
  return trajectorySpec(trajectoryRows(at, ["accAvg", "trainAcc", "noiseFit", "unitsAligned"], n), {
    title: `Label noise ${labelNoise}: clean test accuracy, noisy-label train accuracy, noise fit, aligned units`,
    subtitle: "median over seeds with 10–90% band; full-batch GD from small init",
    yTitle: "share",
  });
}

/** Max margin: 1 − cos(net's linear part, max-margin classifier) against step, log-log, per width. */
export function maxMarginSpec(summary: StudySummary): TopLevelSpec | null {
  return trajectorySpec(trajectoryRows(summary, ["cosMaxMargin"], label, (x) => 1 - x), {
    title: "Max margin: the net's linear part turns towards the max-margin classifier",
    subtitle: "1 − cosMaxMargin, median over seeds with 10–90% band, log-log",
    yTitle: "1 − cos (log scale)",
    logX: true,
    logY: true,
  });
}

/** Simplicity bias: linearity (R² of the affine fit on the test set) over training, per condition. */
export function linearitySpec(summary: StudySummary, title: string): TopLevelSpec | null {
  return trajectorySpec(trajectoryRows(summary, ["linearity"], label), {
    title,
    subtitle: "R² of the least-squares affine fit of f on the test set, median over seeds with 10–90% band",
    yTitle: "linearity (R²)",
  });
}

/** The shortcut setting: share of ‖·‖² on x2 of the max-margin classifier and of the net's linear part, against n/d. */
export function shortcutShareSpec(summary: StudySummary, d: number): TopLevelSpec | null {
  const rows: { series: string; x: number; y: number; lo: number; hi: number }[] = [];
  for (const c of summary.conditions) {
    const n = Number((c.condition.variant as Record<string, unknown> | undefined)?.trainSize);
    for (const [metric, series] of [["shortcutShareSvm", "max-margin linear classifier"], ["shortcutShareNet", "the net's linear part (end of GD)"]] as const) {
      const v = c.final[metric];
      if (v === undefined || v.mean === null || !Number.isFinite(n)) continue;
      rows.push({ series, x: n / d, y: v.mean, lo: v.lo ?? v.mean, hi: v.hi ?? v.mean });
    }
  }
  if (rows.length === 0) return null;
  const series = [...new Set(rows.map((r) => r.series))];
  const colour = { field: "series", type: "nominal" as const, title: null, sort: series, scale: { range: colourRange(series) } };
  const x = { field: "x", type: "quantitative" as const, title: "n / d (log scale)", scale: { type: "log" as const } };
  return {
    $schema: SCHEMA,
    title: { text: "λ = 1: how much of the classifier is the shortcut", subtitle: "share of ‖v‖² on x2, mean over seeds with 95% CI" },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    layer: [
      { mark: { type: "line", point: true }, encoding: { x, y: { field: "y", type: "quantitative", title: "share on x2", scale: { domain: [0, 1] } }, color: colour } },
      { mark: { type: "rule" }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color: colour } },
    ],
    config: { font: "sans-serif", legend: { orient: "bottom" } },
  } as TopLevelSpec;
}
