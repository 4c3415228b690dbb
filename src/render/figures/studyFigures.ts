// The SVG figures of a study report (SPEC §5, issue 22): per metric group the median trajectories
// across seeds with their bands (trajectoryFigure.ts), per event the fraction of runs that reached
// it by step t and per gap the fraction of leads closed t steps after the first event
// (eventCurveFigure.ts), and per pivot table a heatmap (heatmaps.ts). The conditions are
// told apart by colour and panels as conditionLayout.ts decides.
import type { TopLevelSpec } from "vega-lite";
import type { Pivot, PivotQuantity } from "../../analysis/pivot.js";
import type { StudySummary } from "../../analysis/summaryTypes.js";
import type { ViewOptions } from "../../config/viewOptions.js";
import { isScalarMetric } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import { conditionLayout } from "./conditionLayout.js";
import { eventTimes, gapTimes, timeToEventSpec } from "./eventCurveFigure.js";
import { heatmapSpec } from "./heatmaps.js";
import { trajectorySpec, type TrajectoryPanel } from "./trajectoryFigure.js";
import { renderSvg } from "./vegaSvg.js";

/** One figure: a file under figures/ and what the report says of it. */
export interface Figure {
  /** File name under `<out>/figures/`. */
  file: string;
  /** Alt text and caption. */
  title: string;
  svg: string;
  /** The Vega-Lite spec it is drawn from. */
  spec: TopLevelSpec;
  /** What report.html draws, interactive, when not `spec`: a trajectory figure with each run's own line. */
  pageSpec?: TopLevelSpec;
  /** The pivot quantity (`events.signal`) of a heatmap; absent for other figures. */
  pivot?: string;
}

/** The three standard panels (issue 13): masses on a log axis, accuracies, Fourier coefficients. */
const TRAJECTORY_PANELS: readonly TrajectoryPanel[] = [
  { file: "trajectories-mass.svg", metrics: ["massSpurious", "massSignal"], yTitle: "weight mass Σ|a|·|w| (log scale)", logScale: true },
  { file: "trajectories-accuracy.svg", metrics: ["accMajority", "accMinority", "wga"], yTitle: "test accuracy", logScale: false },
  { file: "trajectories-coef.svg", metrics: ["coefSpurious", "coefSignal"], yTitle: "Fourier coefficient of f", logScale: false },
];

export interface StudyFigureInput {
  summary: StudySummary;
  records: readonly RunRecord[];
  /** Extra trajectory panels of the config (`charts`), each a list of metric names. */
  charts?: readonly (readonly string[])[];
  /** Colour, facet and step axis (checked against the grid). */
  views?: ViewOptions;
  /** The pivot tables to draw as heatmaps (none for a study with fewer than two grid keys). */
  pivot?: { pivot: Pivot; quantities: readonly PivotQuantity[] } | null;
}

/** Every figure of a study, in report order. */
export async function studyFigures(input: StudyFigureInput): Promise<Figure[]> {
  const { summary, records } = input;
  const views = input.views ?? {};
  const layout = conditionLayout(summary, views);
  const panels = [
    ...TRAJECTORY_PANELS,
    ...(input.charts ?? []).map((metrics): TrajectoryPanel => {
      const valid = metrics.filter(isScalarMetric);
      return { file: `trajectories-${valid.join("-")}.svg`, metrics: valid, yTitle: valid.join(", "), logScale: false };
    }),
  ].filter((p, i, all) => p.metrics.length > 0 && all.findIndex((q) => q.file === p.file) === i);
  const figures: Figure[] = [];
  if (input.pivot) {
    for (const quantity of input.pivot.quantities) {
      const spec = heatmapSpec(input.pivot.pivot, quantity);
      if (spec !== null) figures.push({ file: `heatmap-${quantity.id.replace(/\./g, "-")}.svg`, title: `Heatmap: ${quantity.title}`, svg: await renderSvg(spec), spec, pivot: quantity.id });
    }
  }
  for (const panel of panels) {
    const spec = trajectorySpec(summary, records, layout, panel, views.x);
    const pageSpec = trajectorySpec(summary, records, layout, panel, views.x, { everyRun: true });
    if (spec !== null && pageSpec !== null) {
      figures.push({ file: panel.file, title: `Median trajectories of ${panel.metrics.join(", ")} with 10–90% bands`, svg: await renderSvg(spec), spec, pageSpec });
    }
  }
  for (const [event, definition] of Object.entries(summary.events)) {
    const spec = timeToEventSpec(summary, records, layout, eventTimes(event), {
      title: `time to the ${event} event (${definition.metric} ${definition.op} ${definition.value})`,
      subtitle: "Kaplan–Meier; × = runs censored there (not reached by their last step)",
      x: "step",
      y: "fraction of runs that reached it",
      diverged: "it counts as never reaching the event",
    }, views.x);
    if (spec !== null) figures.push({ file: `event-${event}.svg`, title: `Time to the ${event} event (Kaplan–Meier), censored runs marked`, svg: await renderSvg(spec), spec });
  }
  for (const [first, second] of summary.gaps ?? []) {
    const spec = timeToEventSpec(summary, records, layout, gapTimes(first, second), {
      title: `steps from ${first} to ${second}: step(${second}) − step(${first})`,
      subtitle: `Kaplan–Meier over the runs that reached ${first}; × = censored`,
      x: `steps after ${first}`,
      y: `fraction of runs that reached ${second}`,
      diverged: "its lead counts as never closing",
      linear: true,
    }, views.x);
    if (spec !== null) figures.push({ file: `gap-${first}-${second}.svg`, title: `Steps from the ${first} to the ${second} event (Kaplan–Meier), censored runs marked`, svg: await renderSvg(spec), spec });
  }
  return figures;
}
