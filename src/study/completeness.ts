// Completeness as data: how many runs the config asks for, how many are present, which are missing,
// and how many found runs were set aside (not in the config). summary.json carries it; report.md
// shows a banner when the study is incomplete; merge and check fail on it.
import { conditionsOf } from "../config/studyConfig.js";
import type { RunRecord } from "../store/runRecord.js";
import { runKey } from "../store/runsFile.js";
import type { ResolvedStudyConfig } from "./resolvedConfig.js";
import { countOf } from "../render/format.js";

interface ConditionCompleteness {
  condition: Record<string, unknown>;
  /** Runs the config asks for: its seed count. */
  expected: number;
  present: number;
  /** Seeds of the missing runs, in config order. */
  missingSeeds: number[];
}

export interface Completeness {
  /** Every run the config asks for is present. */
  complete: boolean;
  /** Runs the config asks for: conditions × seeds. */
  expected: number;
  /** Of those, the runs present (each counted once). */
  present: number;
  /** expected − present. */
  missing: number;
  /** Runs found in the results but not asked for by the config (a removed seed or grid value): kept, not counted. */
  setAside: number;
  /** Per condition, in the order of the summary's conditions. */
  conditions: ConditionCompleteness[];
}

/** Completeness of `records` (the counted runs, one per pair) against `config`. */
export function completenessOf(config: Pick<ResolvedStudyConfig, "grid" | "seeds">, records: readonly RunRecord[], setAside: number): Completeness {
  const present = new Set(records.map((r) => runKey(r.condition, r.seed)));
  const conditions = conditionsOf(config).map((condition) => {
    const missingSeeds = config.seeds.filter((seed) => !present.has(runKey(condition, seed)));
    return { condition, expected: config.seeds.length, present: config.seeds.length - missingSeeds.length, missingSeeds };
  });
  const expected = conditions.reduce((n, c) => n + c.expected, 0);
  const found = conditions.reduce((n, c) => n + c.present, 0);
  return { complete: found === expected, expected, present: found, missing: expected - found, setAside, conditions };
}

/** One line for messages: "5 of 6 runs present, 1 missing (λ…)". */
export function describeCompleteness(c: Completeness): string {
  const aside = c.setAside > 0 ? `; ${countOf(c.setAside, "run")} not in the config set aside (kept, not counted)` : "";
  return `${c.present} of ${c.expected} runs present${c.missing > 0 ? `, ${c.missing} missing` : ""}${aside}`;
}
