// The SVG figures of a study report (SPEC §5): per metric group, the median trajectories across
// seeds with their 10–90% bands, conditions overlaid; per event, the fraction of runs that reached
// it by step t (Kaplan–Meier), conditions overlaid, with censored runs marked; per gap, the same
// for the fraction of leads that closed by t steps after the first event.
import type { TopLevelSpec } from "vega-lite";
import type { StudySummary } from "../../analysis/summary.js";
import { isScalarMetric, type ScalarMetric } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import { conditionLabel } from "../format.js";
import { horizonOf, timeToEvent } from "../../analysis/summary.js";
import { gapHorizon, gapOf } from "../../analysis/summary/gaps.js";
import type { TimeToEvent } from "../../analysis/statistics/index.js";
import { kaplanMeierCurve } from "./kaplanMeierCurve.js";
import { colourRange, dashRange } from "./palette.js";
import { renderSvg } from "./vegaSvg.js";
import { stepScale } from "./stepAxis.js";

/** One figure: a file under figures/ and what the report says of it. */
export interface Figure {
  /** File name under `<out>/figures/`. */
  file: string;
  /** Alt text and caption. */
  title: string;
  svg: string;
}

/** A panel of trajectories: metrics drawn together on one y axis. */
interface TrajectoryPanel {
  file: string;
  metrics: ScalarMetric[];
  yTitle: string;
  logScale: boolean;
}

/** The three standard panels (issue 13): masses on a log axis, accuracies, Fourier coefficients. */
const TRAJECTORY_PANELS: readonly TrajectoryPanel[] = [
  { file: "trajectories-mass.svg", metrics: ["massSpurious", "massSignal"], yTitle: "weight mass Σ|a|·|w| (log scale)", logScale: true },
  { file: "trajectories-accuracy.svg", metrics: ["accMajority", "accMinority", "wga"], yTitle: "test accuracy", logScale: false },
  { file: "trajectories-coef.svg", metrics: ["coefSpurious", "coefSignal"], yTitle: "Fourier coefficient of f", logScale: false },
];

/** Plot area of a single-panel figure: with its legend it fits 800 px. */
const PLOT_WIDTH = 540;
const PLOT_HEIGHT = 280;

/** Where the condition legend goes: beside the plot while short, below it (in columns) when long. */
function legendPlacement(count: number) {
  // Drawn as a line whatever layer the legend comes from (a band's legend would be a pale square).
  const symbol = { symbolType: "stroke", symbolStrokeWidth: 3, symbolOpacity: 1, symbolFillColor: "transparent" } as const;
  return count <= 10 ? { orient: "right" as const, ...symbol } : { orient: "bottom" as const, columns: 3, ...symbol };
}

export interface StudyFigureInput {
  summary: StudySummary;
  records: readonly RunRecord[];
  /** Extra trajectory panels of the config (`charts`), each a list of metric names. */
  charts?: readonly (readonly string[])[];
}

/** Labels of the summary's conditions, in summary order: the colour domain of every figure. */
function conditionLabels(summary: StudySummary): string[] {
  return summary.conditions.map((c) => conditionLabel(c.condition));
}

/** More conditions than this are drawn as small multiples, one row per value of a grid key. */
const OVERLAY_MAX = 10;

/**
 * How the conditions are told apart: by colour alone, or — with more than OVERLAY_MAX conditions and
 * two or more grid keys — in one row per value of the grid key with the fewest values, coloured by
 * the other keys (so each row overlays a handful of conditions, in the same colours in every row).
 */
export interface ConditionLayout {
  /** Per condition (summary order): its colour label, and its row (null when not faceted). */
  colour: string[];
  row: (string | null)[];
  colourDomain: string[];
  rowDomain: string[] | null;
}

export function conditionLayout(summary: StudySummary): ConditionLayout {
  const labels = conditionLabels(summary);
  const keys = Object.keys(summary.grid);
  if (labels.length <= OVERLAY_MAX || keys.length < 2) return { colour: labels, row: labels.map(() => null), colourDomain: labels, rowDomain: null };
  const rowKey = [...keys].sort((a, b) => summary.grid[a].length - summary.grid[b].length)[0];
  const colour = summary.conditions.map((c) => conditionLabel(Object.fromEntries(Object.entries(c.condition).filter(([k]) => k !== rowKey))));
  const row = summary.conditions.map((c) => conditionLabel({ [rowKey]: c.condition[rowKey] }));
  return { colour, row, colourDomain: [...new Set(colour)], rowDomain: [...new Set(row)] };
}

/** The colour encoding of conditions, the same in every figure of a study. */
function colourEncoding(layout: ConditionLayout) {
  return {
    field: "condition",
    type: "nominal" as const,
    title: "condition",
    scale: { domain: layout.colourDomain, range: colourRange(layout.colourDomain) },
    legend: legendPlacement(layout.colourDomain.length),
  };
}

/** A layered spec as it is, or faceted in rows by the `row` field when the layout says so. */
function placed(layout: ConditionLayout, top: { title: unknown; data: unknown }, layer: unknown[]): TopLevelSpec {
  const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", ...top };
  if (layout.rowDomain === null) return { ...base, width: PLOT_WIDTH, height: PLOT_HEIGHT, layer } as TopLevelSpec;
  return {
    ...base,
    facet: { row: { field: "row", type: "nominal", title: null, sort: layout.rowDomain, header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top" } } },
    // narrower than a single panel: the legend beside it holds the longer labels of the other keys
    spec: { width: PLOT_WIDTH - 120, height: Math.round(PLOT_HEIGHT / 2), layer },
  } as TopLevelSpec;
}

interface BandRow {
  condition: string;
  row: string | null;
  metric: string;
  step: number;
  median: number;
  p10: number;
  p90: number;
}

/** The spec of one trajectory panel, or null when no condition has a value to draw. */
function trajectorySpec(summary: StudySummary, panel: TrajectoryPanel): TopLevelSpec | null {
  const layout = conditionLayout(summary);
  const rows: BandRow[] = [];
  let maxStep = 0;
  summary.conditions.forEach((c, i) => {
    for (const metric of panel.metrics) {
      const band = c.trajectories[metric];
      if (band === undefined) continue;
      band.steps.forEach((step, k) => {
        const values = [band.median[k], band.p10[k], band.p90[k]];
        if (!values.every(Number.isFinite)) return;
        if (panel.logScale && !values.every((v) => v > 0)) return;
        rows.push({ condition: layout.colour[i], row: layout.row[i], metric, step, median: band.median[k], p10: band.p10[k], p90: band.p90[k] });
        maxStep = Math.max(maxStep, step);
      });
    }
  });
  if (rows.length === 0) return null;
  const x = stepScale(maxStep);
  const colour = colourEncoding(layout);
  const y = { type: "quantitative" as const, title: panel.yTitle, scale: panel.logScale ? { type: "log" as const } : { zero: false } };
  const xEncoding = { field: "step", type: "quantitative", scale: x.scale, axis: x.axis } as const;
  const title = { text: panel.metrics.join(", "), subtitle: `median across seeds (lines), 10–90% of seeds (bands); ${panel.metrics.length > 1 ? "dash = metric" : panel.metrics[0]}` };
  return placed(layout, { title, data: { values: rows } }, [
      {
        mark: { type: "area", opacity: 0.14, interpolate: "linear" },
        encoding: { x: xEncoding, y: { ...y, field: "p10" }, y2: { field: "p90" }, color: colour, detail: { field: "metric" } },
      },
      {
        mark: { type: "line", strokeWidth: 2, interpolate: "linear" },
        encoding: {
          x: xEncoding,
          y: { ...y, field: "median" },
          color: colour,
          strokeDash: {
            field: "metric",
            type: "nominal",
            title: "metric",
            scale: { domain: panel.metrics, range: dashRange(panel.metrics) },
            legend: { symbolType: "stroke", symbolSize: 500, symbolStrokeWidth: 2 },
          },
        },
      },
  ]);
}

interface CurveRow {
  condition: string;
  row: string | null;
  /** "curve": a step of the Kaplan–Meier curve; "censored": a censoring mark. */
  kind: "curve" | "censored";
  step: number;
  reached: number;
}

/** What a time-to-event figure draws per condition: the times from its runs, and the x axis's end. */
type TimesOf = (runs: readonly RunRecord[]) => { times: TimeToEvent[]; horizon: number };

/** An event's times, censored at the condition's horizon. */
const eventTimes = (event: string): TimesOf => (runs) => {
  const horizon = horizonOf(runs);
  return { times: runs.map((r) => timeToEvent(r, event, horizon)), horizon };
};

/** A gap's times (gapOf) over the runs that have it, to its longest follow-up (gapHorizon). */
const gapTimes = (first: string, second: string): TimesOf => (runs) => {
  const horizon = horizonOf(runs);
  // A lead ≤ 0 (the second event came first) is drawn as closed at 0, where the axis starts.
  const times = runs.flatMap((r) => {
    const gap = gapOf(r, first, second, horizon);
    return gap === null ? [] : [{ time: Math.max(0, gap.time), observed: gap.observed }];
  });
  return { times, horizon: times.length === 0 ? 0 : gapHorizon(runs, first, horizon) };
};

/** The spec of one time-to-event figure (an event or a gap), conditions overlaid; null without times. */
function timeToEventSpec(
  summary: StudySummary,
  records: readonly RunRecord[],
  timesOf: TimesOf,
  text: { title: string; subtitle: string; x: string; y: string; linear?: boolean },
): TopLevelSpec | null {
  const layout = conditionLayout(summary);
  const byCondition = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = canonicalJson(r.condition);
    byCondition.set(key, [...(byCondition.get(key) ?? []), r]);
  }
  const curve: CurveRow[] = [];
  let maxStep = 0;
  summary.conditions.forEach((c, i) => {
    const runs = byCondition.get(canonicalJson(c.condition)) ?? [];
    if (runs.length === 0) return;
    const { times, horizon } = timesOf(runs);
    if (times.length === 0) return;
    const km = kaplanMeierCurve(times);
    const at = { condition: layout.colour[i], row: layout.row[i] };
    for (const point of km.points) curve.push({ ...at, kind: "curve", step: point.step, reached: point.reached });
    for (const mark of km.censored) curve.push({ ...at, kind: "censored", step: mark.step, reached: mark.reached });
    maxStep = Math.max(maxStep, horizon);
  });
  if (curve.length === 0) return null;
  const x = stepScale(maxStep, text.x, { linear: text.linear });
  const colour = colourEncoding(layout);
  const xEncoding = { field: "step", type: "quantitative", scale: x.scale, axis: x.axis } as const;
  const y = { field: "reached", type: "quantitative" as const, title: text.y, scale: { domain: [0, 1] } };
  const title = { text: text.title, subtitle: text.subtitle };
  return placed(layout, { title, data: { values: curve } }, [
    { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: "line", interpolate: "step-after", strokeWidth: 2 }, encoding: { x: xEncoding, y, color: colour } },
    {
      transform: [{ filter: "datum.kind === 'censored'" }],
      mark: { type: "point", shape: "cross", size: 90, filled: true, angle: 45 },
      encoding: { x: xEncoding, y, color: colour },
    },
  ]);
}

/** Every figure of a study, in report order. */
export async function studyFigures(input: StudyFigureInput): Promise<Figure[]> {
  const { summary, records } = input;
  const panels = [
    ...TRAJECTORY_PANELS,
    ...(input.charts ?? []).map((metrics): TrajectoryPanel => {
      const valid = metrics.filter(isScalarMetric);
      return { file: `trajectories-${valid.join("-")}.svg`, metrics: valid, yTitle: valid.join(", "), logScale: false };
    }),
  ].filter((p, i, all) => p.metrics.length > 0 && all.findIndex((q) => q.file === p.file) === i);
  const figures: Figure[] = [];
  for (const panel of panels) {
    const spec = trajectorySpec(summary, panel);
    if (spec !== null) figures.push({ file: panel.file, title: `Median trajectories of ${panel.metrics.join(", ")} with 10–90% bands`, svg: await renderSvg(spec) });
  }
  for (const [event, definition] of Object.entries(summary.events)) {
    const spec = timeToEventSpec(summary, records, eventTimes(event), {
      title: `time to the ${event} event (${definition.metric} ${definition.op} ${definition.value})`,
      subtitle: "Kaplan–Meier; × = runs censored there (not reached by their last step)",
      x: "step",
      y: "fraction of runs that reached it",
    });
    if (spec !== null) figures.push({ file: `event-${event}.svg`, title: `Time to the ${event} event (Kaplan–Meier), censored runs marked`, svg: await renderSvg(spec) });
  }
  for (const [first, second] of summary.gaps ?? []) {
    const spec = timeToEventSpec(summary, records, gapTimes(first, second), {
      title: `steps from ${first} to ${second}: step(${second}) − step(${first})`,
      subtitle: `Kaplan–Meier over the runs that reached ${first}; × = censored`,
      x: `steps after ${first}`,
      y: `fraction of runs that reached ${second}`,
      // a lead spans the middle of a run, not its first steps, which the symlog axis stretches
      linear: true,
    });
    if (spec !== null) figures.push({ file: `gap-${first}-${second}.svg`, title: `Steps from the ${first} to the ${second} event (Kaplan–Meier), censored runs marked`, svg: await renderSvg(spec) });
  }
  return figures;
}
