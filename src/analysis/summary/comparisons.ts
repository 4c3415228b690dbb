// `comparisons` in summary.json: each event between each neighbour pair of conditions — KM medians,
// restricted means, log-rank, Fisher and the seed-paired test — Holm-adjusted over the study.
import type { EventSpec } from "../../kernel/events.js";
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import {
  fisherExactTest,
  holmAdjust,
  kaplanMeierMedian,
  logRankTest,
  restrictedMeanDifference,
  type Difference,
  type UnitTime,
} from "../statistics/index.js";
import type { Comparison } from "../summaryTypes.js";
import type { NeighbourPair } from "./neighbourPairs.js";
import { infiniteSigns, pairedTimes, stepDifference } from "./pairedEvents.js";
import { horizonOf, timeToEvent } from "./runs.js";
import { finiteOrNull } from "./values.js";

/** A seed for the permutation test of one comparison, from its label: reproducible, distinct per comparison. */
export function statisticSeed(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return h >>> 0;
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

/** The fields of a comparison of times to event between two conditions (an event's, or a gap's). */
export type ComparisonFields = Omit<Comparison, "key" | "from" | "to" | "event">;

/**
 * One event between the runs of two conditions, read at the smaller horizon: compareTimes.
 */
function compareEvent(a: readonly RunRecord[], b: readonly RunRecord[], event: string, seed: number): ComparisonFields {
  const horizon = Math.min(horizonOf(a), horizonOf(b));
  const units = (runs: readonly RunRecord[]) => runs.map((r) => ({ unit: r.seed, time: timeToEvent(r, event, horizon) }));
  return compareTimes(units(a), units(b), horizon, seed);
}

/**
 * Times to event of two conditions' runs, each with its seed: KM median difference, the
 * restricted-mean difference to `horizon` τ (restrictedMeanDifference: paired over the seeds when it
 * can be), the permutation log-rank test, Fisher's exact test of the reached fractions, and the
 * seed-paired comparison (pairedTimes). Holm columns are filled later (adjustComparisons).
 */
export function compareTimes(a: readonly UnitTime[], b: readonly UnitTime[], horizon: number, seed: number): ComparisonFields {
  const dataA = a.map((u) => u.time);
  const dataB = b.map((u) => u.time);
  const diff = stepDifference(kaplanMeierMedian(dataA).median, kaplanMeierMedian(dataB).median);
  const rmst = restrictedMeanDifference(a, b, horizon);
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
    pValueBound: logRank.atFloor,
    pHolm: null,
    fisherP: fisherExactTest(reachedA, a.length, reachedB, b.length),
    fisherHolm: null,
    paired: pairedTimes(a, b),
  };
}

/**
 * Holm-adjusts each test's p-values over all comparisons of the study (one family per test: log-rank,
 * Fisher, paired sign test), in place.
 */
export function adjustComparisons(comparisons: readonly Pick<Comparison, "pValue" | "pHolm" | "fisherP" | "fisherHolm" | "paired">[]): void {
  const logRank = holmAdjust(comparisons.map((c) => c.pValue));
  const fisher = holmAdjust(comparisons.map((c) => c.fisherP));
  const paired = holmAdjust(comparisons.map((c) => c.paired.pValue));
  comparisons.forEach((c, i) => {
    c.pHolm = logRank[i];
    c.fisherHolm = fisher[i];
    c.paired.pHolm = paired[i];
  });
}

/** For each neighbour pair and each event, the comparison of compareEvent, Holm-adjusted over them all. */
export function eventComparisons(pairs: readonly NeighbourPair[], events: Readonly<Record<string, EventSpec>>): Comparison[] {
  const comparisons = pairs.flatMap(({ key, from, to, a, b }) =>
    Object.keys(events).map((event) => {
      const label = `${canonicalJson(from)}->${canonicalJson(to)}/${event}`;
      return { key, from, to, event, ...compareEvent(a, b, event, statisticSeed(label)) };
    }),
  );
  adjustComparisons(comparisons);
  return comparisons;
}
