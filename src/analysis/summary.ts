// summary.json (SPEC §4): per condition, event statistics (time to event), final metrics, rates,
// checkpoints and trajectory bands, plus comparisons along each grid key. A pure function of the
// run records: the same records in any order give the same summary (sharded + merged = unsharded).
import type { EventSpec } from "../kernel/events.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import { VARIANT_KEY } from "../config/modelKeys.js";
import {
  fisherExactTest,
  holmAdjust,
  kaplanMeierMedian,
  logRankTest,
  meanInterval,
  median,
  pairedDifference,
  medianInterpolatedInterval,
  restrictedMean,
  restrictedMeanDifference,
  signTest,
  timesToEvent,
  wilsonInterval,
  type Difference,
  type TimeToEvent,
} from "./statistics/index.js";
import { isCheckpointStep, SUMMARY_RATE_NAMES, type SummaryRateName } from "./summaryPaths.js";
import type {
  Comparison,
  ConditionSummary,
  EventSummary,
  InfiniteSigns,
  PairedComparison,
  StudySummary,
  ValueComparison,
  ValueSummary,
} from "./summaryTypes.js";
import { trajectoryBand, type TrajectoryBand } from "./trajectoryBands.js";

export type { ConditionSummary, EventSummary, PairedComparison, StudySummary };

/** JSON has no ±∞: infinite and NaN values are written as null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** A seed for the permutation test of one comparison, from its label: reproducible, distinct per comparison. */
export function statisticSeed(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The horizon of a set of runs: their last step (the smallest, should they differ). */
export function horizonOf(records: readonly RunRecord[]): number {
  return records.reduce((h, r) => Math.min(h, r.params.steps), Infinity);
}

/**
 * A run's time to `event`: its step, or censored at `horizon` when it never reached the event —
 * also when it diverged first (a diverged run can no longer reach it, so it counts as not reaching
 * it within the horizon; censoring it at its divergence step would claim it might have).
 */
export function timeToEvent(record: RunRecord, event: string, horizon: number): TimeToEvent {
  const step = record.events[event] ?? null;
  return step === null || step > horizon ? { time: horizon, observed: false } : { time: step, observed: true };
}

export function summarizeEvent(steps: readonly (number | null)[], horizon: number): EventSummary {
  const n = steps.length;
  const reachedSteps = steps.filter((s): s is number => s !== null);
  const { lo: reachedLo, hi: reachedHi } = wilsonInterval(reachedSteps.length, n);
  const data = timesToEvent(steps, horizon);
  const km = kaplanMeierMedian(data);
  const rmst = restrictedMean(data, horizon);
  const reached = meanInterval(reachedSteps);
  return {
    n,
    reached: reachedSteps.length,
    reachedFraction: n > 0 ? reachedSteps.length / n : 0,
    reachedLo,
    reachedHi,
    medianStep: finiteOrNull(km.median),
    medianLo: finiteOrNull(km.lo),
    medianHi: finiteOrNull(km.hi),
    horizon,
    rmst: finiteOrNull(rmst.rmst),
    rmstLo: finiteOrNull(rmst.lo),
    rmstHi: finiteOrNull(rmst.hi),
    meanStep: finiteOrNull(reached.mean),
    sdStep: finiteOrNull(reached.sd),
  };
}

/** Mean, sd and Student t 95% CI of the finite values (non-finite ones, e.g. after divergence, are left out). */
function summarizeValues(values: readonly number[]): ValueSummary {
  const ci = meanInterval(values.filter(Number.isFinite));
  return { n: ci.n, mean: finiteOrNull(ci.mean), sd: finiteOrNull(ci.sd), lo: finiteOrNull(ci.lo), hi: finiteOrNull(ci.hi) };
}

/** Canonical order of records: by condition, then seed — so input order never matters. */
function sortRecords(records: readonly RunRecord[]): RunRecord[] {
  return [...records].sort((a, b) => {
    const ka = canonicalJson(a.condition);
    const kb = canonicalJson(b.condition);
    return ka < kb ? -1 : ka > kb ? 1 : a.seed - b.seed;
  });
}

function summarizeCondition(
  condition: Record<string, unknown>,
  records: readonly RunRecord[],
  events: Readonly<Record<string, EventSpec>>,
): ConditionSummary {
  const sorted = sortRecords(records);
  const horizon = horizonOf(sorted);
  const eventSummaries: Record<string, EventSummary> = {};
  for (const name of Object.keys(events)) {
    eventSummaries[name] = summarizeEvent(sorted.map((r) => (timeToEvent(r, name, horizon).observed ? r.events[name] : null)), horizon);
  }
  const final: Record<string, ValueSummary> = {};
  for (const metric of SCALAR_METRICS) final[metric] = summarizeValues(sorted.map((r) => r.final[metric]));
  const rates: Record<string, ValueSummary> = {};
  for (const rate of SUMMARY_RATE_NAMES) {
    rates[rate] = summarizeValues(sorted.flatMap((r) => {
      const value = rateOf(r, rate);
      return value === null ? [] : [value];
    }));
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
    ...summarizeCheckpoints(sorted),
    order: summarizeOrders(sorted, Object.keys(events)),
    trajectories,
  };
}

/** A run's rate; `rateGap` is spuriousRate − signalRate, null unless the run has both. */
function rateOf(record: RunRecord, rate: SummaryRateName): number | null {
  if (rate !== "rateGap") return record.rates[rate];
  const { spuriousRate, signalRate } = record.rates;
  return spuriousRate === null || signalRate === null ? null : spuriousRate - signalRate;
}

/**
 * Every metric at each checkpoint step some run evaluated (see isCheckpointStep), across seeds, and
 * its paired change since step 0. A run counts at a step when it has a finite value there (and, for
 * a change, at step 0 too): a diverged run stops counting after its divergence.
 */
function summarizeCheckpoints(records: readonly RunRecord[]): { at: ConditionSummary["at"]; change: ConditionSummary["change"] } {
  const steps = [...new Set(records.flatMap((r) => r.trajectory.map((p) => p.step)))].filter(isCheckpointStep).sort((a, b) => a - b);
  const pointsByRun = records.map((r) => new Map(r.trajectory.map((p) => [p.step, p])));
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
      at[step][metric] = summarizeValues(values);
      if (step > 0) change[step][metric] = summarizeValues(changes);
    }
  }
  return { at, change };
}

/** `order.<first>.<second>` for every ordered pair of distinct events. */
function summarizeOrders(records: readonly RunRecord[], events: readonly string[]): ConditionSummary["order"] {
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
 * Difference b − a of two event steps or medians where +∞ − +∞ = 0 (both unreached within the horizon).
 * @public bench/calibration.mjs computes the paired median Δ with it.
 */
export function stepDifference(a: number, b: number): number {
  return a === b ? 0 : b - a;
}

/** The signs of the infinite ones of diff, lo and hi; undefined when all are finite. */
function infiniteSigns(c: { diff: number; lo?: number; hi?: number }): InfiniteSigns | undefined {
  const signs: InfiniteSigns = {};
  for (const field of ["diff", "lo", "hi"] as const) {
    const x = c[field];
    if (x === Infinity) signs[field] = 1;
    else if (x === -Infinity) signs[field] = -1;
  }
  return Object.keys(signs).length === 0 ? undefined : signs;
}

/**
 * The seed-paired comparison of `event` from the runs `a` to the runs `b` (see PairedComparison):
 * the median of d with its interpolated order-statistic 95% CI (Hettmansperger–Sheather) and the exact sign test.
 */
export function pairedComparison(a: readonly RunRecord[], b: readonly RunRecord[], event: string): PairedComparison {
  const horizon = Math.min(horizonOf(a), horizonOf(b));
  const stepOf = (r: RunRecord) => {
    const t = timeToEvent(r, event, horizon);
    return t.observed ? t.time : Infinity;
  };
  const bySeed = new Map(b.map((r) => [r.seed, r]));
  const diffs: number[] = [];
  for (const r of [...a].sort((x, y) => x.seed - y.seed)) {
    const other = bySeed.get(r.seed);
    if (other !== undefined) diffs.push(stepDifference(stepOf(r), stepOf(other)));
  }
  if (diffs.length === 0) return { pairs: 0, later: 0, earlier: 0, tied: 0, diff: null, lo: null, hi: null, pValue: null, pHolm: null };
  const later = diffs.filter((d) => d > 0).length;
  const earlier = diffs.filter((d) => d < 0).length;
  const diff = median(diffs);
  const { lo, hi } = medianInterpolatedInterval(diffs);
  const infinite = infiniteSigns({ diff, lo, hi });
  return {
    pairs: diffs.length,
    later,
    earlier,
    tied: diffs.length - later - earlier,
    diff: finiteOrNull(diff),
    lo: finiteOrNull(lo),
    hi: finiteOrNull(hi),
    pValue: signTest(later, earlier),
    pHolm: null, // filled in over the whole study by summarizeStudy
    ...(infinite === undefined ? {} : { infinite }),
  };
}

/** Whether two sets of runs ran exactly the same seeds. */
export function sameSeeds(a: readonly { seed: number }[], b: readonly { seed: number }[]): boolean {
  const seedsB = new Set(b.map((r) => r.seed));
  return a.length === b.length && a.every((r) => seedsB.has(r.seed));
}

/**
 * The difference of restricted mean times to `event`, b − a, to the smaller horizon τ, with a 95% t
 * CI and two-sided p; null with fewer than 2 runs a side. Runs are censored only at τ, so each
 * restricted mean is exactly the mean of min(T, τ); when both sides ran the same seeds the CI is the
 * paired Student t of the per-seed differences (the seeds' runs are correlated across conditions, and
 * the unpaired interval would overstate the spread), else Welch–Satterthwaite.
 * @public bench/calibration.mjs measures its coverage.
 */
export function eventRestrictedMeanDifference(a: readonly RunRecord[], b: readonly RunRecord[], event: string): (Difference & { paired: boolean }) | null {
  const horizon = Math.min(horizonOf(a), horizonOf(b));
  const units = (runs: readonly RunRecord[]) => runs.map((r) => ({ unit: r.seed, time: timeToEvent(r, event, horizon) }));
  return restrictedMeanDifference(units(a), units(b), horizon);
}

/**
 * One event between the runs of two conditions: KM median difference, restricted-mean difference
 * (eventRestrictedMeanDifference), the permutation log-rank test, Fisher's exact
 * test of the reached fractions, and the seed-paired comparison. Holm columns are filled later.
 */
function compareEvent(a: readonly RunRecord[], b: readonly RunRecord[], event: string, seed: number): Omit<Comparison, "key" | "from" | "to" | "event"> {
  const horizon = Math.min(horizonOf(a), horizonOf(b));
  const dataA = a.map((r) => timeToEvent(r, event, horizon));
  const dataB = b.map((r) => timeToEvent(r, event, horizon));
  const diff = stepDifference(kaplanMeierMedian(dataA).median, kaplanMeierMedian(dataB).median);
  const rmst = eventRestrictedMeanDifference(a, b, event);
  const logRank = logRankTest(dataA, dataB, seed);
  const reachedA = dataA.filter((d) => d.observed).length;
  const reachedB = dataB.filter((d) => d.observed).length;
  const infinite = infiniteSigns({ diff });
  return {
    diff: finiteOrNull(diff),
    ...(infinite === undefined ? {} : { infinite }),
    rmstDiff: rmst === null ? null : finiteOrNull(rmst.diff),
    rmstLo: rmst === null ? null : finiteOrNull(rmst.lo),
    rmstHi: rmst === null ? null : finiteOrNull(rmst.hi),
    rmstP: rmst === null ? null : finiteOrNull(rmst.pValue),
    rmstPaired: rmst?.paired ?? false,
    logRankZ: finiteOrNull(logRank.z),
    pValue: finiteOrNull(logRank.pValue),
    exact: logRank.exact,
    pHolm: null,
    fisherP: fisherExactTest(reachedA, a.length, reachedB, b.length),
    fisherHolm: null,
    paired: pairedComparison(a, b, event),
  };
}

/**
 * For each neighbour pair (neighbourPairs) and each event, the comparison of compareEvent.
 */
function eventComparisons(pairs: readonly NeighbourPair[], events: Readonly<Record<string, EventSpec>>): Comparison[] {
  return pairs.flatMap(({ key, from, to, a, b }) =>
    Object.keys(events).map((event) => {
      const label = `${canonicalJson(from)}->${canonicalJson(to)}/${event}`;
      return { key, from, to, event, ...compareEvent(a, b, event, statisticSeed(label)) };
    }),
  );
}

/** A condition and the one with the next value of a grid key (for `variant`, each against the first), with their runs. */
interface NeighbourPair {
  key: string;
  from: Record<string, unknown>;
  to: Record<string, unknown>;
  a: RunRecord[];
  b: RunRecord[];
}

/** Every neighbour pair of the grid that has runs on both sides, in grid order. */
function neighbourPairs(
  grid: Readonly<Record<string, readonly unknown[]>>,
  byCondition: ReadonlyMap<string, { condition: Record<string, unknown>; records: RunRecord[] }>,
): NeighbourPair[] {
  const out: NeighbourPair[] = [];
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
        out.push({ key, from, to, a: sortRecords(a.records), b: sortRecords(b.records) });
      }
    }
  }
  return out;
}

/**
 * Holm-adjusts each test's p-values over all comparisons of the study (one family per test: log-rank,
 * Fisher, paired sign test), in place.
 */
function adjustComparisons(comparisons: Comparison[]): void {
  const logRank = holmAdjust(comparisons.map((c) => c.pValue));
  const fisher = holmAdjust(comparisons.map((c) => c.fisherP));
  const paired = holmAdjust(comparisons.map((c) => c.paired.pValue));
  comparisons.forEach((c, i) => {
    c.pHolm = logRank[i];
    c.fisherHolm = fisher[i];
    c.paired.pHolm = paired[i];
  });
}

/** Every value a run has that a value path names: "final.<m>", "rates.<r>", "at<step>.<m>", "change<step>.<m>" → value (finite only). */
function runQuantities(record: RunRecord): Map<string, number> {
  const out = new Map<string, number>();
  const put = (id: string, x: number | null | undefined) => {
    if (x !== null && x !== undefined && Number.isFinite(x)) out.set(id, x);
  };
  for (const metric of SCALAR_METRICS) put(`final.${metric}`, record.final[metric]);
  for (const rate of SUMMARY_RATE_NAMES) put(`rates.${rate}`, rateOf(record, rate));
  const initial = record.trajectory.find((p) => p.step === 0);
  for (const point of record.trajectory) {
    if (!isCheckpointStep(point.step)) continue;
    for (const metric of SCALAR_METRICS) {
      put(`at${point.step}.${metric}`, point[metric]);
      if (point.step > 0 && initial !== undefined) put(`change${point.step}.${metric}`, point[metric] - initial[metric]);
    }
  }
  return out;
}

/**
 * For each neighbour pair whose two conditions ran the same seeds: every value quantity compared by
 * a paired Student t over the seeds that have it on both sides (a seed's runs are correlated across
 * conditions, and the unpaired Welch interval would overstate the spread of the difference). Pairs
 * with different seeds are left out: their compare paths use Welch–Satterthwaite on the summaries.
 */
function pairedValueComparisons(pairs: readonly NeighbourPair[]): ValueComparison[] {
  return pairs.flatMap(({ key, from, to, a, b }) => {
    if (!sameSeeds(a, b) || a.length < 2) return [];
    const bySeed = new Map(b.map((r) => [r.seed, runQuantities(r)]));
    const differences = new Map<string, number[]>();
    for (const r of a) {
      const other = bySeed.get(r.seed)!;
      for (const [id, x] of runQuantities(r)) {
        const y = other.get(id);
        if (y !== undefined) differences.set(id, [...(differences.get(id) ?? []), y - x]);
      }
    }
    const values: ValueComparison["values"] = {};
    for (const [id, d] of differences) {
      const difference = pairedDifference(d);
      if (difference !== null) values[id] = { diff: difference.diff, lo: finiteOrNull(difference.lo), hi: finiteOrNull(difference.hi), pValue: difference.pValue, n: d.length };
    }
    return [{ key, from, to, values }];
  });
}

/** Groups records by condition, in the order of `conditions` (conditions without records are left out). */
function groupByCondition(
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
  const pairs = neighbourPairs(args.grid, groups);
  const comparisons = eventComparisons(pairs, args.events);
  adjustComparisons(comparisons);
  return {
    name: args.name,
    configHash: args.configHash,
    events: args.events,
    grid: args.grid,
    conditions,
    comparisons,
    valueComparisons: pairedValueComparisons(pairs),
  };
}
