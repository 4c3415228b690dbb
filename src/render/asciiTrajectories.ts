// The ASCII charts of median trajectories (SPEC §5): massSpurious / massSignal on a log scale and
// accMajority / accMinority / wga, with 10–90% bands, on a symlog step axis for long runs. With few
// conditions each metric gets one chart with the conditions overlaid (the comparison a reader
// wants); with many, each condition gets its own charts with its metrics overlaid.
import type { ConditionSummary, StudySummary } from "../analysis/summary.js";
import { trajectoryBand, type TrajectoryBand } from "../analysis/trajectoryBands.js";
import { isScalarMetric, type ScalarMetric, type TrajectoryPoint } from "../kernel/metricNames.js";
import { renderChart, type ChartSeries, type StepAxis } from "./asciiChart.js";
import { wrapWords } from "./table.js";

/** Widest line of a chart in a report or a terminal. */
const CHART_COLUMNS = 100;

/** Up to this many conditions are overlaid in one chart per metric; more get a chart each. */
export const OVERLAY_MAX_CONDITIONS = 5;

interface ChartGroup {
  metrics: ScalarMetric[];
  logScale: boolean;
}

/** The two standard groups (SPEC §5). */
const STANDARD_CHARTS: readonly ChartGroup[] = [
  { metrics: ["massSpurious", "massSignal"], logScale: true },
  { metrics: ["accMajority", "accMinority", "wga"], logScale: false },
];

/** Symlog from 100 steps on, where the phase-1 steps would otherwise share the first few columns. */
function stepAxisFor(steps: readonly number[]): StepAxis {
  return (steps[steps.length - 1] ?? 0) >= 100 ? "symlog" : "linear";
}

/** The standard groups and a config's extra charts (unknown metric names dropped). */
function chartGroups(extraCharts: readonly (readonly string[])[] = []): ChartGroup[] {
  return [...STANDARD_CHARTS, ...extraCharts.map((metrics) => ({ metrics: metrics.filter(isScalarMetric), logScale: false }))].filter((g) => g.metrics.length > 0);
}

/** A band as a series on `steps` (bands may lack steps where a metric was non-finite: NaN there). */
function bandSeries(name: string, band: TrajectoryBand, steps: readonly number[]): ChartSeries {
  const index = new Map(band.steps.map((step, i) => [step, i]));
  const pick = (values: readonly number[]) => steps.map((step) => values[index.get(step) ?? -1] ?? NaN);
  return { name, values: pick(band.median), band: { lo: pick(band.p10), hi: pick(band.p90) } };
}

function unionSteps(bands: readonly TrajectoryBand[]): number[] {
  return [...new Set(bands.flatMap((b) => b.steps))].sort((a, b) => a - b);
}

function chart(series: readonly ChartSeries[], title: string, steps: readonly number[], logScale: boolean): string {
  const text = renderChart(series, { title, steps, logScale, stepAxis: stepAxisFor(steps), maxColumns: CHART_COLUMNS });
  return text === "" ? "" : text.split("\n").flatMap((line) => wrapWords(line, CHART_COLUMNS)).join("\n");
}

/** One condition's charts: per group, its metrics overlaid with their bands. */
export function conditionCharts(condition: ConditionSummary, caption: string, extraCharts: readonly (readonly string[])[] = []): string[] {
  return chartGroups(extraCharts)
    .map(({ metrics, logScale }) => {
      const bands = metrics.flatMap((m) => (condition.trajectories[m] === undefined ? [] : [{ metric: m, band: condition.trajectories[m] }]));
      if (bands.length === 0) return "";
      const steps = unionSteps(bands.map((b) => b.band));
      return chart(bands.map((b) => bandSeries(`median ${b.metric}`, b.band, steps)), `${metrics.join(" vs ")} — ${caption}`, steps, logScale);
    })
    .filter((c) => c !== "");
}

/** Per metric, one chart with every condition overlaid (median and band each). */
export function overlaidCharts(summary: StudySummary, labels: readonly string[], extraCharts: readonly (readonly string[])[] = []): { metrics: ScalarMetric[]; charts: string[] }[] {
  return chartGroups(extraCharts).map(({ metrics, logScale }) => ({
    metrics,
    charts: metrics
      .map((metric) => {
        const present = summary.conditions.flatMap((c, i) => (c.trajectories[metric] === undefined ? [] : [{ label: labels[i], band: c.trajectories[metric] }]));
        if (present.length === 0) return "";
        const steps = unionSteps(present.map((p) => p.band));
        return chart(present.map((p) => bandSeries(p.label, p.band, steps)), `${metric} — median across seeds, conditions overlaid`, steps, logScale);
      })
      .filter((c) => c !== ""),
  }));
}

/** Charts of runs' trajectories (the `run` command): per group, the metrics' medians with bands. */
export function trajectoryCharts(trajectories: readonly (readonly TrajectoryPoint[])[], caption: string): string {
  return STANDARD_CHARTS.map(({ metrics, logScale }) => {
    const bands = metrics.map((m) => ({ metric: m, band: trajectoryBand(trajectories, m) }));
    const steps = unionSteps(bands.map((b) => b.band));
    return chart(bands.map((b) => bandSeries(b.metric, b.band, steps)), `${metrics.join(" / ")} — ${caption}`, steps, logScale);
  })
    .filter((c) => c !== "")
    .join("\n\n");
}
