// Per evaluated step, the median and the 10th/90th percentiles of a metric across seeds (SPEC §4).
import type { CompanionMetric, ScalarMetric, TrajectoryPoint } from "../kernel/metricNames.js";
import { percentileBand } from "./statistics/index.js";

export interface TrajectoryBand {
  steps: number[];
  median: number[];
  p10: number[];
  p90: number[];
}

/**
 * Bands of `metric` over the runs' trajectories. A step counts the runs that reached it (a run that
 * diverged early stops contributing); non-finite values are left out.
 */
export function trajectoryBand(trajectories: readonly (readonly TrajectoryPoint[])[], metric: ScalarMetric | CompanionMetric): TrajectoryBand {
  const byStep = new Map<number, number[]>();
  for (const trajectory of trajectories) {
    for (const point of trajectory) {
      const value = point[metric];
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      const values = byStep.get(point.step) ?? [];
      values.push(value);
      byStep.set(point.step, values);
    }
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const band: TrajectoryBand = { steps, median: [], p10: [], p90: [] };
  for (const step of steps) {
    const { median, p10, p90 } = percentileBand(byStep.get(step)!);
    band.median.push(median);
    band.p10.push(p10);
    band.p90.push(p90);
  }
  return band;
}
