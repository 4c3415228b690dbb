// `valueComparisons` in summary.json: every value quantity of a run compared seed by seed between
// the neighbour pairs that ran the same seeds.
import { recordedMetrics } from "../../kernel/metricNames.js";
import type { RunRecord } from "../../store/runRecord.js";
import { differenceRange, LEVEL_95, pairedDifference, type Interval } from "../statistics/index.js";
import { isCheckpointStep, valueQuantityRange } from "../summaryPaths.js";
import { SUMMARY_RATE_NAMES, type ValueSection } from "../summaryPathTypes.js";
import { valueQuantityId } from "../summaryPathValues.js";
import type { ValueComparison } from "../summaryTypes.js";
import { finalCounts, rateOf } from "./finals.js";
import type { NeighbourPair } from "./neighbourPairs.js";
import { sameSeeds } from "./runs.js";
import { finiteOrNull } from "./values.js";

/** One value quantity of a run, with the range its values can take (valueQuantityRange). */
interface RunQuantity {
  value: number;
  range: Interval;
}

/** Every value a run has that a value path names: "final.<m>", "rates.<r>", "at<step>.<m>", "change<step>.<m>" → value (finite only). */
function runQuantities(record: RunRecord): Map<string, RunQuantity> {
  const out = new Map<string, RunQuantity>();
  const put = (section: ValueSection, step: number | null, name: string, x: number | null | undefined) => {
    if (x !== null && x !== undefined && Number.isFinite(x)) out.set(valueQuantityId({ section, step, name }), { value: x, range: valueQuantityRange(section, name) });
  };
  const metrics = recordedMetrics([record]);
  if (finalCounts(record)) for (const metric of metrics) put("final", null, metric, record.final[metric]);
  for (const rate of SUMMARY_RATE_NAMES) put("rates", null, rate, rateOf(record, rate));
  const initial = record.trajectory.find((p) => p.step === 0);
  for (const point of record.trajectory) {
    if (!isCheckpointStep(point.step)) continue;
    for (const metric of metrics) {
      put("at", point.step, metric, point[metric]);
      const start = initial?.[metric];
      const value = point[metric];
      if (point.step > 0 && typeof start === "number" && typeof value === "number") put("change", point.step, metric, value - start);
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
export function pairedValueComparisons(pairs: readonly NeighbourPair[]): ValueComparison[] {
  return pairs.flatMap(({ key, from, to, a, b }) => {
    if (!sameSeeds(a, b) || a.length < 2) return [];
    const bySeed = new Map(b.map((r) => [r.seed, runQuantities(r)]));
    const differences = new Map<string, { d: number[]; range: Interval }>();
    for (const r of a) {
      const other = bySeed.get(r.seed)!;
      for (const [id, x] of runQuantities(r)) {
        const y = other.get(id);
        if (y !== undefined) differences.set(id, { d: [...(differences.get(id)?.d ?? []), y.value - x.value], range: x.range });
      }
    }
    const values: ValueComparison["values"] = {};
    for (const [id, { d, range }] of differences) {
      const difference = pairedDifference(d, LEVEL_95, differenceRange(range));
      if (difference !== null) values[id] = { diff: difference.diff, lo: finiteOrNull(difference.lo), hi: finiteOrNull(difference.hi), pValue: difference.pValue, n: d.length };
    }
    return [{ key, from, to, values }];
  });
}
