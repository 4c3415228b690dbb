// `diverged` of a condition: how many of its runs diverged (kernel/divergence.ts), with a Wilson CI.
import type { RunRecord } from "../../store/runRecord.js";
import { wilsonInterval } from "../statistics/index.js";
import type { DivergedSummary } from "../summaryTypes.js";

export function summarizeDiverged(records: readonly RunRecord[]): DivergedSummary {
  const n = records.filter((r) => r.diverged !== null).length;
  return { n, fraction: records.length > 0 ? n / records.length : null, ...wilsonInterval(n, records.length) };
}

/**
 * The DivergedSummary of a summary.json entry; summaries written before it was one hold the count
 * alone, and the runs it is a count of.
 */
export function divergedOf(entry: { runs: number; diverged: DivergedSummary | number }): DivergedSummary {
  const d = entry.diverged;
  if (typeof d !== "number") return d;
  return { n: d, fraction: entry.runs > 0 ? d / entry.runs : null, ...wilsonInterval(d, entry.runs) };
}
