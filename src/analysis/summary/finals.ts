// `final.<metric>` and `rates.<rate>` of a condition: mean, sd and 95% CI across its runs.
import { recordedMetrics } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import { valueQuantityRange } from "../summaryPaths.js";
import { SUMMARY_RATE_NAMES, type SummaryRateName } from "../summaryPathTypes.js";
import type { ValueSummary } from "../summaryTypes.js";
import { summarizeValues } from "./values.js";

/** [x] for a finite number, [] otherwise (a companion metric may be null where it does not apply). */
function finiteNumber(x: number | null | undefined): number[] {
  return typeof x === "number" && Number.isFinite(x) ? [x] : [];
}

/**
 * Whether a run's final metrics count as a result: a diverged run's end where its blow-up began,
 * not where training took it, so they are left out (the run is counted in `diverged`).
 */
export function finalCounts(record: RunRecord): boolean {
  return record.diverged === null;
}

/** Every metric at the last step of the runs that did not diverge. */
export function summarizeFinals(records: readonly RunRecord[]): Record<string, ValueSummary> {
  const final: Record<string, ValueSummary> = {};
  const counted = records.filter(finalCounts);
  for (const metric of recordedMetrics(records)) final[metric] = summarizeValues(counted.flatMap((r) => finiteNumber(r.final[metric])), valueQuantityRange("final", metric));
  return final;
}

/** A run's rate; `rateGap` is spuriousRate − signalRate, null unless the run has both. */
export function rateOf(record: RunRecord, rate: SummaryRateName): number | null {
  if (rate !== "rateGap") return record.rates[rate];
  const { spuriousRate, signalRate } = record.rates;
  return spuriousRate === null || signalRate === null ? null : spuriousRate - signalRate;
}

/** Every rate over the runs that have one. */
export function summarizeRates(records: readonly RunRecord[]): Record<string, ValueSummary> {
  const rates: Record<string, ValueSummary> = {};
  for (const rate of SUMMARY_RATE_NAMES) {
    rates[rate] = summarizeValues(records.flatMap((r) => {
      const value = rateOf(r, rate);
      return value === null ? [] : [value];
    }));
  }
  return rates;
}
