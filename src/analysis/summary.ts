// summary.json (SPEC §4): per condition, event statistics, final metrics, rates and trajectory bands,
// plus neighbour comparisons along each grid key. A pure function of the run records: the same
// records in any order give the same summary (sharded + merged equals unsharded).
import { errorFunction, mean, sampleStandardDeviation } from "simple-statistics";
import {
  isCheckpointStep,
  SUMMARY_RATE_NAMES,
  VARIANT_KEY,
  type EventComparisonField,
  type SummaryPath,
  type ValueComparisonField,
} from "../config/studyConfig.js";
import type { EventSpec } from "../kernel/events.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import { Stream, StreamRandom } from "../kernel/prng.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import {
  bootstrapMeanCI,
  bootstrapMedianCI,
  compareMedians,
  medianDifference,
  percentileBootstrapCI,
  quantileSortedType7,
  wilsonInterval,
  Z_95,
} from "./statistics.js";
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

/**
 * How often event `first` came strictly before event `second` in a run (`order.<first>.<second>`).
 * Only runs that reached both are compared: `fraction` = before / both with a Wilson 95% CI
 * (fraction null and CI [0, 1] when no run reached both); the other runs are counted apart.
 */
export interface OrderSummary {
  n: number;
  /** Runs that reached both events. */
  both: number;
  /** Of those, runs in which `first` came at an earlier evaluated step than `second`. */
  before: number;
  fraction: number | null;
  lo: number;
  hi: number;
  /** Runs that reached only `first`, only `second`, or neither. */
  onlyFirst: number;
  onlySecond: number;
  neither: number;
}

export interface ConditionSummary {
  condition: Record<string, unknown>;
  runs: number;
  diverged: number;
  events: Record<string, EventSummary>;
  final: Record<string, ValueSummary>;
  /** spuriousRate, signalRate, and rateGap = spuriousRate − signalRate per run (runs with both). */
  rates: Record<string, ValueSummary>;
  /** Checkpoint step (see isCheckpointStep) → metric → its value at that step across seeds. */
  at: Record<string, Record<string, ValueSummary>>;
  /** Checkpoint step > 0 → metric → per run, its value at that step minus its value at step 0. */
  change: Record<string, Record<string, ValueSummary>>;
  /** First event → second event → how often the first came before the second. */
  order: Record<string, Record<string, OrderSummary>>;
  trajectories: Record<string, TrajectoryBand>;
}

/** Which fields of a comparison are infinite (stored as null, since JSON has no ∞), with their sign. */
export type InfiniteSigns = Partial<Record<"diff" | "lo" | "hi", 1 | -1>>;

/**
 * The seed-paired comparison of an event between two conditions that ran the same seeds: per seed,
 * d = step(to) − step(from), with a never-reached event as +∞ (∞ − ∞ = 0). Runs of one seed share
 * their initialisation, data stream and test set across conditions (counter-based randomness keyed
 * by seed), so d is free of most seed-to-seed noise.
 */
export interface PairedComparison {
  /** Seeds run in both conditions. */
  pairs: number;
  /** Seeds with d > 0 (the event came later in `to`), d < 0, d = 0. */
  later: number;
  earlier: number;
  tied: number;
  /** Median of d over the seeds with a 95% percentile bootstrap CI (resampling seeds); null = infinite or no pairs. */
  diff: number | null;
  lo: number | null;
  hi: number | null;
  /** Two-sided exact sign test of later vs earlier (ties dropped); 1 when every pair ties, null with no pairs. */
  pValue: number | null;
  /** Present when diff, lo or hi is infinite: its sign. */
  infinite?: InfiniteSigns;
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
  /** Present when diff, lo or hi is infinite (stored as null): its sign. */
  infinite?: InfiniteSigns;
  paired: PairedComparison;
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
  for (const rate of SUMMARY_RATE_NAMES) {
    const values = sorted.flatMap((r) => {
      const value = rateOf(r, rate);
      return value === null ? [] : [value];
    });
    rates[rate] = summarizeValues(values, `${key}/rates/${rate}`);
  }
  const { at, change } = summarizeCheckpoints(sorted, key);
  const trajectories: Record<string, TrajectoryBand> = {};
  for (const metric of SCALAR_METRICS) trajectories[metric] = trajectoryBand(sorted.map((r) => r.trajectory), metric);
  return {
    condition,
    runs: sorted.length,
    diverged: sorted.filter((r) => r.diverged !== null).length,
    events: eventSummaries,
    final,
    rates,
    at,
    change,
    order: summarizeOrders(sorted, Object.keys(events)),
    trajectories,
  };
}

/** A run's rate; `rateGap` is spuriousRate − signalRate, null unless the run has both. */
function rateOf(record: RunRecord, rate: (typeof SUMMARY_RATE_NAMES)[number]): number | null {
  if (rate !== "rateGap") return record.rates[rate];
  const { spuriousRate, signalRate } = record.rates;
  return spuriousRate === null || signalRate === null ? null : spuriousRate - signalRate;
}

/**
 * Every metric at each checkpoint step some run evaluated (see isCheckpointStep), across seeds, and
 * its paired change since step 0. A run counts at a step when it has a finite value there (and, for
 * a change, at step 0 too): a diverged run stops counting after its divergence.
 *
 * These are many statistics (checkpoints × metrics × 2), so they share their bootstrap resamples:
 * one set of RESAMPLES index draws per sample size n, seeded by the condition's label and n, is
 * applied to every statistic with n values. Each CI is still a 95% percentile bootstrap CI of the
 * mean; only the draws are common (a pure function of the records, like every seed here).
 */
export function summarizeCheckpoints(
  records: readonly RunRecord[],
  label: string,
): { at: ConditionSummary["at"]; change: ConditionSummary["change"] } {
  const steps = [...new Set(records.flatMap((r) => r.trajectory.map((p) => p.step)))].filter(isCheckpointStep).sort((a, b) => a - b);
  const pointsByRun = records.map((r) => new Map(r.trajectory.map((p) => [p.step, p])));
  const draws = new Map<number, Int32Array>();
  const summarize = (values: number[]): ValueSummary => {
    const n = values.length;
    let indices = draws.get(n);
    if (indices === undefined) {
      indices = bootstrapIndices(n, statisticSeed(`${label}/checkpoints/${n}`));
      draws.set(n, indices);
    }
    return meanWithSharedBootstrap(values, indices);
  };
  const at: ConditionSummary["at"] = {};
  const change: ConditionSummary["change"] = {};
  for (const step of steps) {
    at[step] = {};
    if (step > 0) change[step] = {};
    for (const metric of SCALAR_METRICS) {
      const values: number[] = [];
      const changes: number[] = [];
      for (const points of pointsByRun) {
        const value = points.get(step)?.[metric];
        if (value === undefined || !Number.isFinite(value)) continue;
        values.push(value);
        const initial = points.get(0)?.[metric];
        if (initial !== undefined && Number.isFinite(initial)) changes.push(value - initial);
      }
      at[step][metric] = summarize(values);
      if (step > 0) change[step][metric] = summarize(changes);
    }
  }
  return { at, change };
}

/** RESAMPLES × n with-replacement index draws from StreamRandom(seed, Stream.bootstrap), row by row. */
export function bootstrapIndices(n: number, seed: number, resamples: number = RESAMPLES): Int32Array {
  const rng = new StreamRandom(seed, Stream.bootstrap);
  const indices = new Int32Array(resamples * n);
  for (let i = 0; i < indices.length; i++) indices[i] = rng.int(n);
  return indices;
}

/**
 * Mean, sample sd (0 for one value) and the 95% percentile bootstrap CI of the mean over the resamples
 * given by `indices` (rows of values.length draws, as from bootstrapIndices). Values must be finite.
 */
export function meanWithSharedBootstrap(values: readonly number[], indices: Int32Array): ValueSummary {
  const n = values.length;
  if (n === 0) return { n: 0, mean: null, sd: null, lo: null, hi: null };
  const resamples = indices.length / n;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = r * n; i < (r + 1) * n; i++) sum += values[indices[i]];
    means[r] = sum / n;
  }
  means.sort();
  const sorted = Array.from(means);
  const m = mean(values);
  return {
    n,
    mean: finiteOrNull(m),
    sd: finiteOrNull(n < 2 ? 0 : sampleStandardDeviation(values)),
    lo: finiteOrNull(quantileSortedType7(sorted, 0.025)),
    hi: finiteOrNull(quantileSortedType7(sorted, 0.975)),
  };
}

/** `order.<first>.<second>` for every ordered pair of distinct events. */
export function summarizeOrders(records: readonly RunRecord[], events: readonly string[]): ConditionSummary["order"] {
  const order: ConditionSummary["order"] = {};
  for (const first of events) {
    order[first] = {};
    for (const second of events) {
      if (second === first) continue;
      let both = 0;
      let before = 0;
      let onlyFirst = 0;
      let onlySecond = 0;
      for (const r of records) {
        const a = r.events[first] ?? null;
        const b = r.events[second] ?? null;
        if (a !== null && b !== null) {
          both++;
          if (a < b) before++;
        } else if (a !== null) onlyFirst++;
        else if (b !== null) onlySecond++;
      }
      const { lo, hi } = wilsonInterval(before, both);
      order[first][second] = {
        n: records.length,
        both,
        before,
        fraction: both > 0 ? before / both : null,
        lo,
        hi,
        onlyFirst,
        onlySecond,
        neither: records.length - both - onlyFirst - onlySecond,
      };
    }
  }
  return order;
}

/**
 * For each grid key with ≥ 2 values: each pair of neighbouring values (others held equal; for the
 * `variant` key, each variant against the first) and each event, the difference of median event
 * steps with a bootstrap CI and a permutation p-value, and the seed-paired comparison.
 */
export function neighbourComparisons(
  grid: Readonly<Record<string, readonly unknown[]>>,
  byCondition: ReadonlyMap<string, { condition: Record<string, unknown>; records: RunRecord[] }>,
  events: Readonly<Record<string, EventSpec>>,
): Comparison[] {
  const out: Comparison[] = [];
  for (const [key, values] of Object.entries(grid)) {
    if (values.length < 2) continue;
    const first = canonicalJson(values[0]);
    for (const { condition } of byCondition.values()) {
      if (canonicalJson(condition[key] ?? null) !== first) continue; // walk each line of the grid from its first value
      for (let v = 0; v + 1 < values.length; v++) {
        // Along an ordered key, each value against the next; variants (unordered) each against the first.
        const from = { ...condition, [key]: key === VARIANT_KEY ? values[0] : values[v] };
        const to = { ...condition, [key]: values[v + 1] };
        const a = byCondition.get(canonicalJson(from));
        const b = byCondition.get(canonicalJson(to));
        if (a === undefined || b === undefined) continue;
        for (const event of Object.keys(events)) {
          const stepsA = sortRecords(a.records).map((r) => r.events[event] ?? null);
          const stepsB = sortRecords(b.records).map((r) => r.events[event] ?? null);
          const label = `${canonicalJson(from)}->${canonicalJson(to)}/${event}`;
          const c = compareMedians(stepsA, stepsB, statisticSeed(label), { resamples: RESAMPLES, permutations: RESAMPLES });
          const infinite = infiniteSigns(c);
          out.push({
            key,
            from,
            to,
            event,
            diff: finiteOrNull(c.diff),
            lo: finiteOrNull(c.lo),
            hi: finiteOrNull(c.hi),
            pValue: c.pValue,
            ...(infinite === undefined ? {} : { infinite }),
            paired: pairedComparison(a.records, b.records, event, `${label}/paired`),
          });
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

/** The signs of the infinite ones of diff, lo and hi; undefined when all are finite. */
function infiniteSigns(c: { diff: number; lo: number; hi: number }): InfiniteSigns | undefined {
  const signs: InfiniteSigns = {};
  for (const field of ["diff", "lo", "hi"] as const) {
    const x = c[field];
    if (x === Infinity) signs[field] = 1;
    else if (x === -Infinity) signs[field] = -1;
  }
  return Object.keys(signs).length === 0 ? undefined : signs;
}

/** Median of an array that may hold ±∞ (sorted in place; type 7). */
function medianInPlace(xs: number[]): number {
  xs.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return quantileSortedType7(xs, 0.5);
}

/**
 * Two-sided exact sign test: with k = min(up, down) and m = up + down, p = min(1, 2·P(X ≤ k)) for
 * X ~ Binomial(m, 1/2); 1 when m = 0. Summed in log space, so any m is fine.
 */
export function signTestPValue(up: number, down: number): number {
  const m = up + down;
  if (m === 0) return 1;
  const k = Math.min(up, down);
  // log C(m, j) − m·ln 2, for j = 0 … k, accumulated with log-sum-exp.
  let logTerm = -m * Math.LN2;
  let logSum = logTerm;
  for (let j = 1; j <= k; j++) {
    logTerm += Math.log((m - j + 1) / j);
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log(Math.exp(logSum - hi) + Math.exp(logTerm - hi));
  }
  return Math.min(1, 2 * Math.exp(logSum));
}

/** The seed-paired comparison of `event` from the runs `a` to the runs `b` (see PairedComparison). */
export function pairedComparison(a: readonly RunRecord[], b: readonly RunRecord[], event: string, label: string): PairedComparison {
  const stepsB = new Map(b.map((r) => [r.seed, r.events[event] ?? null]));
  const diffs: number[] = [];
  for (const r of [...a].sort((x, y) => x.seed - y.seed)) {
    if (!stepsB.has(r.seed)) continue;
    const from = r.events[event] ?? null;
    const to = stepsB.get(r.seed) ?? null;
    diffs.push(medianDifference(from ?? Infinity, to ?? Infinity));
  }
  const later = diffs.filter((d) => d > 0).length;
  const earlier = diffs.filter((d) => d < 0).length;
  if (diffs.length === 0) return { pairs: 0, later: 0, earlier: 0, tied: 0, diff: null, lo: null, hi: null, pValue: null };
  const diff = medianInPlace([...diffs]);
  const { lo, hi } = percentileBootstrapCI(diffs, medianInPlace, { seed: statisticSeed(label), resamples: RESAMPLES });
  const infinite = infiniteSigns({ diff, lo, hi });
  return {
    pairs: diffs.length,
    later,
    earlier,
    tied: diffs.length - later - earlier,
    diff: finiteOrNull(diff),
    lo: finiteOrNull(lo),
    hi: finiteOrNull(hi),
    pValue: signTestPValue(later, earlier),
    ...(infinite === undefined ? {} : { infinite }),
  };
}

/** Difference of two means b − a with a 95% normal (Welch) CI and a two-sided p-value. */
export interface MeanDifference {
  diff: number;
  lo: number;
  hi: number;
  pValue: number;
}

/**
 * Welch's comparison of two summarized values, from their means, sds and counts alone:
 * diff = mean(b) − mean(a), se = √(sd_a²/n_a + sd_b²/n_b), CI diff ± 1.96·se, p = 2·(1 − Φ(|diff|/se)).
 * With se = 0 the CI is the point and p is 1 if diff = 0, else 0. Null when either side has fewer
 * than 2 values (no sd).
 */
export function welchDifference(a: ValueSummary, b: ValueSummary): MeanDifference | null {
  if (a.n < 2 || b.n < 2 || a.mean === null || b.mean === null || a.sd === null || b.sd === null) return null;
  const diff = b.mean - a.mean;
  const se = Math.sqrt((a.sd * a.sd) / a.n + (b.sd * b.sd) / b.n);
  if (se === 0) return { diff, lo: diff, hi: diff, pValue: diff === 0 ? 1 : 0 };
  const z = Math.abs(diff) / se;
  // 2·(1 − Φ(z)) = 1 − erf(z/√2)
  const pValue = Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
  return { diff, lo: diff - Z_95 * se, hi: diff + Z_95 * se, pValue };
}

/** The ValueSummary a value path names in one condition, or undefined when the summary lacks it. */
export function valueSummaryOf(
  summary: ConditionSummary,
  of: { section: "final" | "rates" | "at" | "change"; step: number | null; name: string },
): ValueSummary | undefined {
  switch (of.section) {
    case "final":
      return summary.final[of.name];
    case "rates":
      return summary.rates?.[of.name];
    case "at":
    case "change":
      return summary[of.section]?.[String(of.step)]?.[of.name];
  }
}

/**
 * The value at a per-condition summary path of one condition (events, final, rates, at<step>,
 * change<step>, order — not compare, see comparisonValue); undefined if the summary lacks it.
 * Infinite event steps are null here (as in summary.json).
 */
export function summaryValue(summary: ConditionSummary, path: string | SummaryPath): number | null | undefined {
  const parsed = typeof path === "string" ? parseKnownPath(path) : path;
  if (parsed === undefined) return undefined;
  switch (parsed.section) {
    case "events":
      return summary.events[parsed.event]?.[parsed.field];
    case "order":
      return summary.order?.[parsed.first]?.[parsed.second]?.[parsed.field];
    case "compare":
      return undefined;
    default:
      return valueSummaryOf(summary, parsed)?.[parsed.field];
  }
}

/** A loose parse of a path already validated elsewhere (no event list at hand): undefined if malformed. */
function parseKnownPath(path: string): SummaryPath | undefined {
  const parts = path.split(".");
  const stepSection = /^(at|change)(\d+)$/.exec(parts[0]);
  if (parts[0] === "order" && parts.length === 4) {
    return { section: "order", first: parts[1], second: parts[2], field: parts[3] as never };
  }
  if (parts.length !== 3) return undefined;
  if (parts[0] === "events") return { section: "events", event: parts[1], field: parts[2] as never };
  if (stepSection !== null) return { section: stepSection[1] as "at" | "change", step: Number(stepSection[2]), name: parts[1], field: parts[2] as never };
  if (parts[0] === "final" || parts[0] === "rates") return { section: parts[0], step: null, name: parts[1], field: parts[2] as never };
  return undefined;
}

/** The comparison value of an event comparison field, ±∞ restored from `infinite`; null when there is none. */
export function eventComparisonValue(comparison: Comparison, field: EventComparisonField): number | null {
  const restore = (x: number | null, signs: InfiniteSigns | undefined, name: "diff" | "lo" | "hi"): number | null => {
    if (x !== null) return x;
    const sign = signs?.[name];
    return sign === undefined ? null : sign * Infinity;
  };
  const p = comparison.paired;
  switch (field) {
    case "diff":
    case "lo":
    case "hi":
      return restore(comparison[field], comparison.infinite, field);
    case "pValue":
      return comparison.pValue;
    case "pairs":
    case "later":
    case "earlier":
    case "tied":
      return p?.[field] ?? null;
    case "pairedDiff":
      return p === undefined ? null : restore(p.diff, p.infinite, "diff");
    case "pairedLo":
      return p === undefined ? null : restore(p.lo, p.infinite, "lo");
    case "pairedHi":
      return p === undefined ? null : restore(p.hi, p.infinite, "hi");
    case "pairedP":
      return p?.pValue ?? null;
  }
}

/** The comparison value of a value comparison field (Welch, from the two conditions' summaries). */
export function valueComparisonValue(from: ValueSummary | undefined, to: ValueSummary | undefined, field: ValueComparisonField): number | null {
  if (from === undefined || to === undefined) return null;
  return welchDifference(from, to)?.[field] ?? null;
}
