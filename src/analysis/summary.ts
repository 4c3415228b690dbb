// summary.json (SPEC §4): per condition, event statistics (time to event), final metrics, rates,
// checkpoints and trajectory bands, plus comparisons along each grid key. A pure function of the
// run records: the same records in any order give the same summary (sharded + merged = unsharded).
// Each family of the summary is built in its own file under summary/; this file assembles them.
import type { EventSpec } from "../kernel/events.js";
import type { RunRecord } from "../store/runRecord.js";
import { eventComparisons } from "./summary/comparisons.js";
import { summarizeCondition } from "./summary/condition.js";
import { gapComparisons } from "./summary/gapComparisons.js";
import { defaultGaps, type GapPair } from "./summary/gaps.js";
import { DEFAULT_EFFECTS, studyEffects, type EffectsConfig } from "./summary/effects.js";
import { neighbourPairs } from "./summary/neighbourPairs.js";
import { groupByCondition } from "./summary/runs.js";
import { pairedValueComparisons } from "./summary/valueComparisons.js";
import type { ConditionSummary, StudySummary } from "./summaryTypes.js";

export type { ConditionSummary, StudySummary };
// The helpers other stages use, importable from here as before the families had files of their own.
export { statisticSeed } from "./summary/comparisons.js";
export { summarizeEvent } from "./summary/events.js";
export { pairedComparison } from "./summary/pairedEvents.js";
export { horizonOf, sameSeeds, timeToEvent } from "./summary/runs.js";

export function summarizeStudy(args: {
  name: string;
  configHash: string;
  events: Record<string, EventSpec>;
  grid: Record<string, unknown[]>;
  conditions: readonly Record<string, unknown>[];
  records: readonly RunRecord[];
  /** The ordered event pairs summarized as gaps; default defaultGaps (spurious → signal). */
  gaps?: readonly GapPair[];
  /** The effect models' settings (DEFAULT_EFFECTS when the config sets none). */
  effects?: EffectsConfig;
}): StudySummary {
  const groups = groupByCondition(args.records, args.conditions);
  const gaps = (args.gaps ?? defaultGaps(Object.keys(args.events))).map(([first, second]): [string, string] => [first, second]);
  const conditions = [...groups.values()].map((g) => summarizeCondition(g.condition, g.records, args.events, gaps));
  const pairs = neighbourPairs(args.grid, groups);
  return {
    name: args.name,
    configHash: args.configHash,
    events: args.events,
    grid: args.grid,
    conditions,
    comparisons: eventComparisons(pairs, args.events),
    valueComparisons: pairedValueComparisons(pairs),
    gaps,
    gapComparisons: gapComparisons(pairs, gaps),
    effects: studyEffects({ grid: args.grid, events: Object.keys(args.events), gaps, records: args.records, config: args.effects ?? DEFAULT_EFFECTS }),
  };
}
