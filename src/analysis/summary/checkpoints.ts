// `at<step>.<metric>` and `change<step>.<metric>` of a condition: every metric at the checkpoint steps.
import { recordedMetrics } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import { isCheckpointStep, valueQuantityRange } from "../summaryPaths.js";
import type { ConditionSummary } from "../summaryTypes.js";
import { summarizeValues } from "./values.js";

/**
 * Every metric at each checkpoint step some run evaluated (see isCheckpointStep), across seeds, and
 * its paired change since step 0. A run counts at a step when it has a finite value there (and, for
 * a change, at step 0 too): a diverged run stops counting after its divergence.
 */
export function summarizeCheckpoints(records: readonly RunRecord[]): { at: ConditionSummary["at"]; change: ConditionSummary["change"] } {
  const steps = [...new Set(records.flatMap((r) => r.trajectory.map((p) => p.step)))].filter(isCheckpointStep).sort((a, b) => a - b);
  const pointsByRun = records.map((r) => new Map(r.trajectory.map((p) => [p.step, p])));
  const at: ConditionSummary["at"] = {};
  const change: ConditionSummary["change"] = {};
  for (const step of steps) {
    at[step] = {};
    if (step > 0) change[step] = {};
    for (const metric of recordedMetrics(records)) {
      const values: number[] = [];
      const changes: number[] = [];
      for (const points of pointsByRun) {
        const value = points.get(step)?.[metric];
        if (typeof value !== "number" || !Number.isFinite(value)) continue;
        values.push(value);
        const initial = points.get(0)?.[metric];
        if (typeof initial === "number" && Number.isFinite(initial)) changes.push(value - initial);
      }
      at[step][metric] = summarizeValues(values, valueQuantityRange("at", metric));
      if (step > 0) change[step][metric] = summarizeValues(changes, valueQuantityRange("change", metric));
    }
  }
  return { at, change };
}
