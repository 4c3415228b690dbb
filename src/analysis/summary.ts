// summary.json (SPEC §4): per condition, event statistics, final metrics, rates and trajectory bands,
// plus neighbour comparisons along each grid key. A pure function of the run records: the same
// records in any order give the same summary (sharded + merged equals unsharded).
import type { EventSpec } from "../kernel/events.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import { bootstrapMeanCI, bootstrapMedianCI, compareMedians, wilsonInterval } from "./statistics.js";
import { trajectoryBand, type TrajectoryBand } from "./trajectoryBands.js";

export interface EventSummary {
  n: number;
  reached: number;
  reachedFraction: number;
  reachedLo: number;
  reachedHi: number;
  /** Median step, never-reached runs counted as +∞ (so it may be null = ∞ in JSON). */
  medianStep: number | null;
  medianLo: number | null;
  medianHi: number | null;
  /** Mean and sd of the steps of the runs that reached the event. */
  meanStep: number | null;
  sdStep: number | null;
}

export interface ValueSummary {
  n: number;
  mean: number | null;
  sd: number | null;
  lo: number | null;
  hi: number | null;
}

export interface ConditionSummary {
  condition: Record<string, unknown>;
  runs: number;
  diverged: number;
  events: Record<string, EventSummary>;
  final: Record<string, ValueSummary>;
  rates: Record<string, ValueSummary>;
  trajectories: Record<string, TrajectoryBand>;
}

export interface Comparison {
  key: string;
  /** The condition with the lower value of `key` (others equal) and the one with the next value. */
  from: Record<string, unknown>;
  to: Record<string, unknown>;
  event: string;
  /** median(to) − median(from), in steps; null when not finite (e.g. both never reached). */
  diff: number | null;
  lo: number | null;
  hi: number | null;
  pValue: number;
}

export interface StudySummary {
  name: string;
  configHash: string;
  events: Record<string, EventSpec>;
  grid: Record<string, unknown[]>;
  conditions: ConditionSummary[];
  comparisons: Comparison[];
}

/** Bootstrap resamples for every CI in the summary (SPEC §4: ≥ 2000). */
export const RESAMPLES = 2000;

/** JSON has no ±∞: infinite and NaN values are written as null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** A seed for the bootstrap of one statistic, from its name: reproducible and distinct per statistic. */
export function statisticSeed(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function summarizeEvent(steps: (number | null)[], label: string): EventSummary {
  const n = steps.length;
  const reachedSteps = steps.filter((s): s is number => s !== null);
  const { lo: reachedLo, hi: reachedHi } = wilsonInterval(reachedSteps.length, n);
  const median = n > 0 ? bootstrapMedianCI(steps, statisticSeed(label), RESAMPLES) : null;
  const reachedStats = reachedSteps.length > 0 ? bootstrapMeanCI(reachedSteps, statisticSeed(label + "/mean"), RESAMPLES) : null;
  return {
    n,
    reached: reachedSteps.length,
    reachedFraction: n > 0 ? reachedSteps.length / n : 0,
    reachedLo,
    reachedHi,
    medianStep: median === null ? null : finiteOrNull(median.median),
    medianLo: median === null ? null : finiteOrNull(median.lo),
    medianHi: median === null ? null : finiteOrNull(median.hi),
    meanStep: reachedStats === null ? null : finiteOrNull(reachedStats.mean),
    sdStep: reachedStats === null ? null : finiteOrNull(reachedStats.sd),
  };
}

export function summarizeValues(values: number[], label: string): ValueSummary {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { n: 0, mean: null, sd: null, lo: null, hi: null };
  const ci = bootstrapMeanCI(finite, statisticSeed(label), RESAMPLES);
  return { n: finite.length, mean: finiteOrNull(ci.mean), sd: finiteOrNull(ci.sd), lo: finiteOrNull(ci.lo), hi: finiteOrNull(ci.hi) };
}

/** Canonical order of records: by condition, then seed — so input order never matters. */
function sortRecords(records: readonly RunRecord[]): RunRecord[] {
  return [...records].sort((a, b) => {
    const ka = canonicalJson(a.condition);
    const kb = canonicalJson(b.condition);
    return ka < kb ? -1 : ka > kb ? 1 : a.seed - b.seed;
  });
}

export function summarizeCondition(
  condition: Record<string, unknown>,
  records: readonly RunRecord[],
  events: Readonly<Record<string, EventSpec>>,
): ConditionSummary {
  const sorted = sortRecords(records);
  const key = canonicalJson(condition);
  const eventSummaries: Record<string, EventSummary> = {};
  for (const name of Object.keys(events)) {
    eventSummaries[name] = summarizeEvent(sorted.map((r) => r.events[name] ?? null), `${key}/events/${name}`);
  }
  const final: Record<string, ValueSummary> = {};
  for (const metric of SCALAR_METRICS) {
    final[metric] = summarizeValues(sorted.map((r) => r.final[metric]), `${key}/final/${metric}`);
  }
  const rates: Record<string, ValueSummary> = {};
  for (const rate of ["spuriousRate", "signalRate"] as const) {
    const values = sorted.flatMap((r) => (r.rates[rate] === null ? [] : [r.rates[rate] as number]));
    rates[rate] = summarizeValues(values, `${key}/rates/${rate}`);
  }
  const trajectories: Record<string, TrajectoryBand> = {};
  for (const metric of SCALAR_METRICS) trajectories[metric] = trajectoryBand(sorted.map((r) => r.trajectory), metric);
  return {
    condition,
    runs: sorted.length,
    diverged: sorted.filter((r) => r.diverged !== null).length,
    events: eventSummaries,
    final,
    rates,
    trajectories,
  };
}

/**
 * For each grid key with ≥ 2 values: each pair of neighbouring values (others held equal) and each
 * event, the difference of median event steps with a bootstrap CI and a permutation p-value.
 */
export function neighbourComparisons(
  grid: Readonly<Record<string, readonly unknown[]>>,
  byCondition: ReadonlyMap<string, { condition: Record<string, unknown>; records: RunRecord[] }>,
  events: Readonly<Record<string, EventSpec>>,
): Comparison[] {
  const out: Comparison[] = [];
  for (const [key, values] of Object.entries(grid)) {
    if (values.length < 2) continue;
    for (const { condition } of byCondition.values()) {
      if (condition[key] !== values[0]) continue; // walk each line of the grid from its first value
      for (let v = 0; v + 1 < values.length; v++) {
        const from = { ...condition, [key]: values[v] };
        const to = { ...condition, [key]: values[v + 1] };
        const a = byCondition.get(canonicalJson(from));
        const b = byCondition.get(canonicalJson(to));
        if (a === undefined || b === undefined) continue;
        for (const event of Object.keys(events)) {
          const stepsA = sortRecords(a.records).map((r) => r.events[event] ?? null);
          const stepsB = sortRecords(b.records).map((r) => r.events[event] ?? null);
          const label = `${canonicalJson(from)}->${canonicalJson(to)}/${event}`;
          const c = compareMedians(stepsA, stepsB, statisticSeed(label), { resamples: RESAMPLES, permutations: RESAMPLES });
          out.push({ key, from, to, event, diff: finiteOrNull(c.diff), lo: finiteOrNull(c.lo), hi: finiteOrNull(c.hi), pValue: c.pValue });
        }
      }
    }
  }
  return out;
}

/** Groups records by condition, in the order of `conditions` (conditions without records are left out). */
export function groupByCondition(
  records: readonly RunRecord[],
  conditions: readonly Record<string, unknown>[],
): Map<string, { condition: Record<string, unknown>; records: RunRecord[] }> {
  const groups = new Map<string, { condition: Record<string, unknown>; records: RunRecord[] }>();
  for (const condition of conditions) groups.set(canonicalJson(condition), { condition, records: [] });
  for (const r of records) groups.get(canonicalJson(r.condition))?.records.push(r);
  for (const [key, group] of groups) if (group.records.length === 0) groups.delete(key);
  return groups;
}

export function summarizeStudy(args: {
  name: string;
  configHash: string;
  events: Record<string, EventSpec>;
  grid: Record<string, unknown[]>;
  conditions: readonly Record<string, unknown>[];
  records: readonly RunRecord[];
}): StudySummary {
  const groups = groupByCondition(args.records, args.conditions);
  const conditions = [...groups.values()].map((g) => summarizeCondition(g.condition, g.records, args.events));
  return {
    name: args.name,
    configHash: args.configHash,
    events: args.events,
    grid: args.grid,
    conditions,
    comparisons: neighbourComparisons(args.grid, groups, args.events),
  };
}

/** The value at a summary path (`events.signal.medianStep`, …) of one condition; undefined if absent. */
export function summaryValue(summary: ConditionSummary, path: string): number | null | undefined {
  const [section, name, field] = path.split(".");
  const table = section === "events" ? summary.events : section === "final" ? summary.final : section === "rates" ? summary.rates : undefined;
  const entry = table?.[name] as Record<string, number | null> | undefined;
  return entry?.[field];
}

