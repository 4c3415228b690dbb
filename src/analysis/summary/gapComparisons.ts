// `gapComparisons` in summary.json: each gap between each neighbour pair of conditions, with the
// tests of an event comparison (compareTimes) on the gaps, Holm-adjusted over the study's gaps.
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import type { UnitTime } from "../statistics/index.js";
import type { GapComparison } from "../summaryTypes.js";
import { adjustComparisons, compareTimes, statisticSeed, type ComparisonFields } from "./comparisons.js";
import { gapHorizon, gapOf, type GapPair } from "./gaps.js";
import type { NeighbourPair } from "./neighbourPairs.js";
import { horizonOf } from "./runs.js";

/**
 * One gap between the runs of two conditions, or null when a side has no run with the gap (none
 * reached `first`: there is nothing to compare). The runs are read at the smaller horizon; the
 * restricted means are restricted to the smaller gapHorizon of the two sides, so they are comparable.
 */
function compareGap(a: readonly RunRecord[], b: readonly RunRecord[], [first, second]: GapPair, seed: number): ComparisonFields | null {
  const horizon = Math.min(horizonOf(a), horizonOf(b));
  const units = (runs: readonly RunRecord[]): UnitTime[] =>
    runs.flatMap((r) => {
      const time = gapOf(r, first, second, horizon);
      return time === null ? [] : [{ unit: r.seed, time }];
    });
  const unitsA = units(a);
  const unitsB = units(b);
  if (unitsA.length === 0 || unitsB.length === 0) return null;
  const tau = Math.min(gapHorizon(a, first, horizon), gapHorizon(b, first, horizon));
  return compareTimes(unitsA, unitsB, tau, seed);
}

/** For each neighbour pair and each gap, compareGap, Holm-adjusted over them all (a family apart from the events'). */
export function gapComparisons(pairs: readonly NeighbourPair[], gaps: readonly GapPair[]): GapComparison[] {
  const comparisons = pairs.flatMap(({ key, from, to, a, b }) =>
    gaps.flatMap((gap) => {
      const [first, second] = gap;
      const fields = compareGap(a, b, gap, statisticSeed(`${canonicalJson(from)}->${canonicalJson(to)}/gap.${first}.${second}`));
      return fields === null ? [] : [{ key, from, to, first, second, ...fields }];
    }),
  );
  adjustComparisons(comparisons);
  return comparisons;
}
