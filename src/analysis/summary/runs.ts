// The run records as the summary sees them: in a canonical order, grouped by condition, each event as
// a time to event censored at the condition's horizon.
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import type { TimeToEvent } from "../statistics/index.js";

/** The horizon of a set of runs: their last step (the smallest, should they differ). */
export function horizonOf(records: readonly RunRecord[]): number {
  return records.reduce((h, r) => Math.min(h, r.params.steps), Infinity);
}

/**
 * A run's time to `event`: its step, or censored at `horizon` when it never reached the event —
 * also when it diverged first (a diverged run can no longer reach it, so it counts as not reaching
 * it within the horizon; censoring it at its divergence step would claim it might have). A run that
 * ended early at its stopAfter events (`stopped`) is censored at that step instead: it might still
 * have reached the event, it was not run to see.
 */
export function timeToEvent(record: RunRecord, event: string, horizon: number): TimeToEvent {
  const step = record.events[event] ?? null;
  if (step !== null && step <= horizon) return { time: step, observed: true };
  const stopped = record.stopped ?? null;
  return { time: stopped !== null && stopped < horizon ? stopped : horizon, observed: false };
}

/** Canonical order of records: by condition, then seed — so input order never matters. */
export function sortRecords(records: readonly RunRecord[]): RunRecord[] {
  return [...records].sort((a, b) => {
    const ka = canonicalJson(a.condition);
    const kb = canonicalJson(b.condition);
    return ka < kb ? -1 : ka > kb ? 1 : a.seed - b.seed;
  });
}

/** Whether two sets of runs ran exactly the same seeds. */
export function sameSeeds(a: readonly { seed: number }[], b: readonly { seed: number }[]): boolean {
  const seedsB = new Set(b.map((r) => r.seed));
  return a.length === b.length && a.every((r) => seedsB.has(r.seed));
}

/** A condition and its runs. */
export interface ConditionRuns {
  condition: Record<string, unknown>;
  records: RunRecord[];
}

/** Groups records by condition, in the order of `conditions` (conditions without records are left out). */
export function groupByCondition(records: readonly RunRecord[], conditions: readonly Record<string, unknown>[]): Map<string, ConditionRuns> {
  const groups = new Map<string, ConditionRuns>();
  for (const condition of conditions) groups.set(canonicalJson(condition), { condition, records: [] });
  for (const r of records) groups.get(canonicalJson(r.condition))?.records.push(r);
  for (const [key, group] of groups) if (group.records.length === 0) groups.delete(key);
  return groups;
}
