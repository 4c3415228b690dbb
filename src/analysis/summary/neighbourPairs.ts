// The pairs of conditions the comparisons look at: along each grid key, neighbouring values.
import { VARIANT_KEY } from "../../config/modelKeys.js";
import type { RunRecord } from "../../store/runRecord.js";
import { canonicalJson } from "../../store/configHash.js";
import { sortRecords, type ConditionRuns } from "./runs.js";

/** A condition and the one with the next value of a grid key (for `variant`, each against the first), with their runs. */
export interface NeighbourPair {
  key: string;
  from: Record<string, unknown>;
  to: Record<string, unknown>;
  a: RunRecord[];
  b: RunRecord[];
}

/** Every neighbour pair of the grid that has runs on both sides, in grid order. */
export function neighbourPairs(grid: Readonly<Record<string, readonly unknown[]>>, byCondition: ReadonlyMap<string, ConditionRuns>): NeighbourPair[] {
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
