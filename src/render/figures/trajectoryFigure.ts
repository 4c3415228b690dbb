// A trajectory figure (SPEC §5, issue 22): per condition the median across seeds of one or more
// metrics (lines; evaluated steps marked), the 10–90% band of the seeds, and each event's
// Kaplan–Meier median step marked on the line. Runs that diverged are drawn apart — each its own
// thin, faded line ending in a ✕ at the step where it diverged — and left out of the median and the
// band (one blown-up run would otherwise set the y scale of every panel); each panel has its own y
// scale. A dotted pattern alone would not set them apart: a panel's third metric is dotted.
import type { TopLevelSpec } from "vega-lite";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { trajectoryBand } from "../../analysis/trajectoryBands.js";
import type { StepAxisKind } from "../../config/viewOptions.js";
import type { ScalarMetric } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import type { ConditionLayout } from "./conditionLayout.js";
import { colourEncoding, placed, recordsByCondition, stepAxisOf } from "./figureLayout.js";
import { dashRange } from "./palette.js";
import { stepScale, type StepScale } from "./stepAxis.js";

/** A panel of trajectories: metrics drawn together on one y axis. */
export interface TrajectoryPanel {
  file: string;
  metrics: ScalarMetric[];
  yTitle: string;
  logScale: boolean;
}

/** Where a row sits: its condition's colour, row and column of panels. */
interface Placement {
  condition: string;
  row: string | null;
  column: string | null;
}

type Row = Placement & { kind: "band" | "event" | "diverged" | "divergedAt"; metric: string; step: number; median?: number; p10?: number; p90?: number; value?: number; event?: string; seed?: number; divergedStep?: number };

/**
 * A median line's value at `step`, interpolated as the line is drawn: straight between its points
 * in the axes' own units (`x` the step axis' position, the y axis log or linear), so an event's
 * mark sits on the line.
 */
function valueAt(steps: readonly number[], values: readonly number[], step: number, x: (step: number) => number, logY: boolean): number {
  let k = 0;
  while (k + 1 < steps.length && steps[k + 1] <= step) k++;
  if (k + 1 >= steps.length || steps[k] === step) return values[k];
  const t = (x(step) - x(steps[k])) / (x(steps[k + 1]) - x(steps[k]));
  if (logY) return Math.exp(Math.log(values[k]) + t * (Math.log(values[k + 1]) - Math.log(values[k])));
  return values[k] + t * (values[k + 1] - values[k]);
}

function trajectoryRows(summary: StudySummary, records: readonly RunRecord[], layout: ConditionLayout, panel: TrajectoryPanel, x: StepAxisKind | undefined): { rows: Row[]; scale: StepScale } {
  const runs = recordsByCondition(records);
  const rows: Row[] = [];
  const steps = [...new Set(records.flatMap((r) => r.trajectory.map((p) => p.step)))].sort((a, b) => a - b);
  const scale = stepScale(steps[steps.length - 1] ?? 0, { kind: x, firstStep: steps.find((s) => s > 0) });
  const drawable = (v: number) => Number.isFinite(v) && (!panel.logScale || v > 0);
  summary.conditions.forEach((c, i) => {
    const at: Placement = { condition: layout.colour[i], row: layout.row[i], column: layout.column[i] };
    const own = runs(c.condition);
    const kept = own.filter((r) => r.diverged === null);
    for (const metric of panel.metrics) {
      const band = trajectoryBand(kept.map((r) => r.trajectory), metric);
      const line = { steps: [] as number[], median: [] as number[] };
      band.steps.forEach((step, k) => {
        if (![band.median[k], band.p10[k], band.p90[k]].every(drawable)) return;
        rows.push({ ...at, kind: "band", metric, step, median: band.median[k], p10: band.p10[k], p90: band.p90[k] });
        line.steps.push(step);
        line.median.push(band.median[k]);
      });
      if (line.steps.length > 0) {
        for (const [event, e] of Object.entries(c.events)) {
          if (e.medianStep === null || e.medianStep > line.steps[line.steps.length - 1]) continue;
          rows.push({ ...at, kind: "event", metric, event, step: e.medianStep, value: valueAt(line.steps, line.median, e.medianStep, scale.position, panel.logScale) });
        }
      }
      for (const r of own) {
        if (r.diverged === null) continue;
        const points = r.trajectory.filter((point) => drawable(point[metric]));
        for (const point of points) rows.push({ ...at, kind: "diverged", metric, seed: r.seed, step: point.step, value: point[metric] });
        // its trajectory ends where it diverged: the ✕ goes on its last point
        const last = points.at(-1);
        if (last !== undefined) rows.push({ ...at, kind: "divergedAt", metric, seed: r.seed, step: last.step, value: last[metric], divergedStep: r.diverged });
      }
    }
  });
  return { rows, scale };
}

/**
 * Every kept run's own line, for report.html (issue 22: a tooltip naming condition, seed and step on
 * every run's line): one row per run and evaluated step, the panel's metrics as fields (folded into
 * metric/value by Vega-Lite, which keeps the page a third of the size of one row per metric).
 */
function runRows(summary: StudySummary, records: readonly RunRecord[], layout: ConditionLayout, panel: TrajectoryPanel): Record<string, unknown>[] {
  const runs = recordsByCondition(records);
  const value = (v: number) => (Number.isFinite(v) && (!panel.logScale || v > 0) ? v : null);
  return summary.conditions.flatMap((c, i) =>
    runs(c.condition)
      .filter((r) => r.diverged === null)
      .flatMap((r) => r.trajectory.map((point) => ({
        condition: layout.colour[i], row: layout.row[i], column: layout.column[i], kind: "run", seed: r.seed, step: point.step,
        ...Object.fromEntries(panel.metrics.map((metric) => [metric, value(point[metric])])),
      }))),
  );
}

/**
 * The spec of one trajectory panel, or null when no condition has a value to draw. With `everyRun`
 * (report.html) each kept run's line is drawn too, faint under the bands, its points carrying a
 * tooltip; the SVG files show the medians and bands alone.
 */
export function trajectorySpec(
  summary: StudySummary,
  records: readonly RunRecord[],
  layout: ConditionLayout,
  panel: TrajectoryPanel,
  x: StepAxisKind | undefined,
  options: { everyRun?: boolean } = {},
): TopLevelSpec | null {
  const { rows, scale } = trajectoryRows(summary, records, layout, panel, x);
  if (rows.length === 0) return null;
  const all = options.everyRun ? [...rows, ...runRows(summary, records, layout, panel)] : rows;
  const shown = scale.kind === "log" ? all.filter((r) => (r.step as number) > 0) : all;
  const colour = colourEncoding(layout);
  const xEncoding = { field: "step", type: "quantitative", scale: scale.scale, axis: stepAxisOf(layout, scale) } as const;
  // a faceted panel is too short for the y title: it goes in the subtitle
  const faceted = layout.rowDomain !== null || layout.columnDomain !== null;
  const y = { type: "quantitative" as const, title: faceted ? null : panel.yTitle, scale: panel.logScale ? { type: "log" as const } : { zero: false }, axis: { format: "~g" } };
  const dash = {
    field: "metric",
    type: "nominal",
    title: "metric",
    scale: { domain: panel.metrics, range: dashRange(panel.metrics) },
    legend: panel.metrics.length > 1 ? { symbolType: "stroke", symbolSize: 500, symbolStrokeWidth: 2 } : null,
  } as const;
  // marks without aria labels: one per evaluated point would make the SVG megabytes
  const only = (kind: Row["kind"] | "run") => [{ filter: `datum.kind === '${kind}'` }];
  const tooltip = [{ field: "condition" }, { field: "metric" }, { field: "step" }, { field: "median", format: ".3~g" }];
  const eventNames = Object.keys(summary.events);
  const diverged = rows.some((r) => r.kind === "diverged");
  const title = {
    text: panel.metrics.join(", "),
    subtitle: [
      ...(faceted ? [`y: ${panel.yTitle}`] : []),
      // short lines: without a canvas Vega sizes the figure by an overestimate of the text's width
      "median across seeds (lines; • evaluated steps), 10–90% of seeds (bands)",
      [panel.metrics.length > 1 ? "dash = metric" : panel.metrics[0], ...(eventNames.length > 0 ? ["shapes: the events' median steps"] : [])].join("; "),
      ...(diverged ? ["thin lines ending in ✕: runs that diverged there", "(each drawn alone, not in the medians or bands)"] : []),
    ],
  };
  const runLayers = (() => {
    if (!options.everyRun) return [];
    const transform = [...only("run"), { fold: panel.metrics, as: ["metric", "value"] }, { filter: "isValid(datum.value)" }];
    return [
      { transform, mark: { type: "line", strokeWidth: 0.8, opacity: 0.3, interpolate: "linear", aria: false }, encoding: { x: xEncoding, y: { ...y, field: "value" }, color: colour, strokeDash: dash, detail: [{ field: "seed" }, { field: "metric" }] } },
      {
        transform,
        mark: { type: "point", filled: true, size: 12, opacity: 0.35, aria: false },
        encoding: { x: xEncoding, y: { ...y, field: "value" }, color: colour, tooltip: [{ field: "condition" }, { field: "seed" }, { field: "metric" }, { field: "step" }, { field: "value", format: ".3~g" }] },
      },
    ];
  })();
  return placed(layout, { title, data: { values: shown } }, [
    ...runLayers,
    { transform: only("band"), mark: { type: "area", opacity: 0.14, interpolate: "linear", aria: false }, encoding: { x: xEncoding, y: { ...y, field: "p10" }, y2: { field: "p90" }, color: colour, detail: { field: "metric" } } },
    { transform: only("band"), mark: { type: "line", strokeWidth: 2, interpolate: "linear", aria: false }, encoding: { x: xEncoding, y: { ...y, field: "median" }, color: colour, strokeDash: dash } },
    { transform: only("band"), mark: { type: "point", filled: true, size: 9, opacity: 0.8, aria: false }, encoding: { x: xEncoding, y: { ...y, field: "median" }, color: colour, tooltip } },
    {
      transform: only("event"),
      mark: { type: "point", filled: true, size: 90, stroke: "#000", strokeWidth: 0.8, opacity: 1 },
      encoding: {
        x: xEncoding,
        y: { ...y, field: "value" },
        color: colour,
        shape: { field: "event", type: "nominal", title: "event", scale: { domain: eventNames, range: ["diamond", "triangle-up", "square", "cross", "circle"].slice(0, Math.max(1, eventNames.length)) } },
        tooltip: [{ field: "condition" }, { field: "event" }, { field: "step", title: "median step" }],
      },
    },
    {
      transform: only("diverged"),
      mark: { type: "line", strokeWidth: 1, opacity: 0.6, interpolate: "linear", aria: false },
      encoding: { x: xEncoding, y: { ...y, field: "value" }, color: colour, strokeDash: dash, detail: [{ field: "seed" }, { field: "metric" }], tooltip: [{ field: "condition" }, { field: "seed" }, { field: "metric" }, { field: "step" }, { field: "value", format: ".3~g" }] },
    },
    {
      transform: only("divergedAt"),
      mark: { type: "point", shape: "cross", angle: 45, size: 70, filled: true, opacity: 1 },
      encoding: { x: xEncoding, y: { ...y, field: "value" }, color: colour, tooltip: [{ field: "condition" }, { field: "seed" }, { field: "metric" }, { field: "step", title: "last evaluated step" }, { field: "divergedStep", title: "diverged at step" }] },
    },
  ]);
}
