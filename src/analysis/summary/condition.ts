// One entry of `conditions` in summary.json: every per-condition family over the condition's runs.
import type { EventSpec } from "../../kernel/events.js";
import { recordedMetrics } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import type { ConditionSummary } from "../summaryTypes.js";
import { trajectoryBand, type TrajectoryBand } from "../trajectoryBands.js";
import { summarizeCheckpoints } from "./checkpoints.js";
import { summarizeEvents } from "./events.js";
import { summarizeFinals, summarizeRates } from "./finals.js";
import { summarizeGaps, type GapPair } from "./gaps.js";
import { summarizeOrders } from "./orders.js";
import { horizonOf, sortRecords } from "./runs.js";
import { summarizeDiverged } from "./diverged.js";

export function summarizeCondition(
  condition: Record<string, unknown>,
  records: readonly RunRecord[],
  events: Readonly<Record<string, EventSpec>>,
  gaps: readonly GapPair[],
): ConditionSummary {
  const sorted = sortRecords(records);
  const horizon = horizonOf(sorted);
  const trajectories: Record<string, TrajectoryBand> = {};
  for (const metric of recordedMetrics(sorted)) trajectories[metric] = trajectoryBand(sorted.map((r) => r.trajectory), metric);
  return {
    condition,
    runs: sorted.length,
    diverged: summarizeDiverged(sorted),
    events: summarizeEvents(sorted, Object.keys(events), horizon),
    final: summarizeFinals(sorted),
    rates: summarizeRates(sorted),
    ...summarizeCheckpoints(sorted),
    order: summarizeOrders(sorted, Object.keys(events)),
    gap: summarizeGaps(sorted, gaps, horizon),
    trajectories,
  };
}
