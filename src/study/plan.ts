// What a study has to run: its (condition, seed) pairs, the part of them this shard owns, and of
// those the ones not yet done.
import { flopsPerStep } from "../kernel/step.js";
import { conditionsOf, paramsFor, type Condition, type StudyConfig } from "../config/studyConfig.js";
import type { RunJob } from "../pool/engine.js";
import { selectShard, type ShardSpec } from "../store/shardSpec.js";
import { runKey } from "../store/runsFile.js";

interface StudyPair {
  condition: Condition;
  seed: number;
}

export interface StudyPlan {
  conditions: Condition[];
  /** Every (condition, seed) pair of the study, conditions in grid order, seeds in config order. */
  pairs: StudyPair[];
  /** The pairs of this shard (all of them when unsharded). */
  mine: StudyPair[];
  /** The pairs of this shard not yet done, as engine jobs. */
  jobs: RunJob[];
}

/** Plans `config` for `shard` (null: the whole study), skipping the pairs whose runKey is in `done`. */
export function planStudy(config: StudyConfig, shard: ShardSpec | null, done: ReadonlySet<string>): StudyPlan {
  const conditions = conditionsOf(config);
  const pairs = conditions.flatMap((condition) => config.seeds.map((seed) => ({ condition, seed })));
  const mine = shard === null ? pairs : selectShard(pairs, (p) => runKey(p.condition, p.seed), shard.index, shard.count);
  const jobs = mine
    .filter((p) => !done.has(runKey(p.condition, p.seed)))
    .map((p) => ({ params: paramsFor(config, p.condition, p.seed), condition: p.condition }));
  return { conditions, pairs, mine, jobs };
}

/** The longest run of the jobs, in steps (a loop: the job list may be longer than a call's argument list). */
/** The work of the jobs, in flops: what the ETA measures progress against. */
export function plannedFlops(jobs: readonly RunJob[]): number {
  return jobs.reduce((sum, job) => sum + job.params.steps * flopsPerStep(job.params), 0);
}
