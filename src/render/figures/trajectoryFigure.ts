// A trajectory figure (SPEC §5, issue 22): per condition the median across seeds of one or more
// metrics (lines; evaluated steps marked), the 10–90% band of the seeds, and each event's
// Kaplan–Meier median step marked on the line. Runs that diverged are drawn apart, thin and dotted,
// and left out of the median and the band (one blown-up run would otherwise set the y scale of
// every panel); each panel has its own y scale.
import type { TopLevelSpec } from "vega-lite";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import { trajectoryBand } from "../../analysis/trajectoryBands.js";
import type { StepAxisKind } from "../../config/viewOptions.js";
import type { ScalarMetric } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import type { ConditionLayout } from "./conditionLayout.js";
import { colourEncoding, placed, recordsByCondition } from "./figureLayout.js";
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

type Row = Placement & { kind: "band" | "event" | "diverged"; metric: string; step: number; median?: number; p10?: number; p90?: number; value?: number; event?: string; seed?: number };

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
        for (const point of r.trajectory) if (drawable(point[metric])) rows.push({ ...at, kind: "diverged", metric, seed: r.seed, step: point.step, value: point[metric] });
      }
    }
  });
  return { rows, scale };
}

/** The spec of one trajectory panel, or null when no condition has a value to draw. */
export function trajectorySpec(summary: StudySummary, records: readonly RunRecord[], layout: ConditionLayout, panel: TrajectoryPanel, x: StepAxisKind | undefined): TopLevelSpec | null {
  const { rows, scale } = trajectoryRows(summary, records, layout, panel, x);
  if (rows.length === 0) return null;
  const shown = scale.kind === "log" ? rows.filter((r) => r.step > 0) : rows;
  const colour = colourEncoding(layout);
  const xEncoding = { field: "step", type: "quantitative", scale: scale.scale, axis: scale.axis } as const;
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
  const only = (kind: Row["kind"]) => [{ filter: `datum.kind === '${kind}'` }];
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
      ...(diverged ? ["thin dotted: runs that diverged (not in medians or bands)"] : []),
    ],
  };
  return placed(layout, { title, data: { values: shown } }, [
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
      mark: { type: "line", strokeWidth: 1, strokeDash: [1, 3], opacity: 0.8, interpolate: "linear", aria: false },
      encoding: { x: xEncoding, y: { ...y, field: "value" }, color: colour, detail: [{ field: "seed" }, { field: "metric" }], tooltip: [{ field: "condition" }, { field: "seed" }, { field: "metric" }, { field: "step" }] },
    },
  ]);
}
