// The order of a merged runs.jsonl (SPEC §4): the same whatever machine or shard a run came from,
// so that the summary of merged shards equals that of an unsharded run.
import { canonicalJson } from "./configHash.js";
import type { RunRecord } from "./runRecord.js";

/**
 * Canonical order of runs: by condition, comparing the grid keys in sorted order — numbers
 * numerically (so λ = 0, 0.5, 1 and not the string order of their JSON), other values by their
 * canonical JSON — then by seed numerically. The same order whatever machine or shard a run came
 * from; it is the order of a study's runs.jsonl only when its grid values are listed ascending.
 */
export function compareRunRecords(a: RunRecord, b: RunRecord): number {
  return compareConditions(a.condition, b.condition) || a.seed - b.seed;
}

function compareConditions(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key of keys) {
    const va = a[key];
    const vb = b[key];
    if (typeof va === "number" && typeof vb === "number") {
      if (va !== vb) return va - vb;
      continue;
    }
    // A key missing from one condition sorts it first; never the case within one study.
    const ja = va === undefined ? "" : canonicalJson(va);
    const jb = vb === undefined ? "" : canonicalJson(vb);
    if (ja !== jb) return ja < jb ? -1 : 1;
  }
  return 0;
}
