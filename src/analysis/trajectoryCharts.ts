// The two standard charts of median trajectories (SPEC §5): weight masses on a log scale, and the
// majority / minority / worst-group accuracies.
import type { ScalarMetric, TrajectoryPoint } from "../kernel/metricNames.js";
import { renderChart } from "./charts.js";
import { trajectoryBand } from "./trajectoryBands.js";

export const STANDARD_CHARTS: ReadonlyArray<{ metrics: ScalarMetric[]; logScale: boolean }> = [
  { metrics: ["massSpurious", "massSignal"], logScale: true },
  { metrics: ["accMajority", "accMinority", "wga"], logScale: false },
];

/** Charts of the per-step medians of each chart's metrics, over the given runs' trajectories. */
export function trajectoryCharts(
  trajectories: readonly (readonly TrajectoryPoint[])[],
  caption: string,
  extraCharts: readonly (readonly ScalarMetric[])[] = [],
): string {
  const charts = [...STANDARD_CHARTS, ...extraCharts.map((metrics) => ({ metrics: [...metrics], logScale: false }))];
  return charts
    .map(({ metrics, logScale }) => {
      const bands = metrics.map((m) => trajectoryBand(trajectories, m));
      const steps = bands[0].steps;
      return renderChart(
        metrics.map((name, k) => ({ name, values: bands[k].median })),
        { title: `${metrics.join(" / ")} — ${caption}`, steps, logScale },
      );
    })
    .filter((chart) => chart !== "")
    .join("\n\n");
}
