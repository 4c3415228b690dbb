// Sharding a study across machines (SPEC §4: --shard i/n, SLURM arrays, Kubernetes indexed jobs):
// which shard this process runs, which pairs that shard holds, and the file its runs go to.
import { InputError } from "../config/inputError.js";

export interface ShardSpec {
  /** 1-based: shard i of n, as the user writes `--shard i/n`. */
  index: number;
  count: number;
}

/** `runs.shard-<i>-of-<n>.jsonl`, with i 1-based as in `--shard i/n`. */
export function shardFileName(index: number, count: number): string {
  return `runs.shard-${index}-of-${count}.jsonl`;
}

/**
 * Shard `index` of `count` (1-based) of the items: the items are ranked by their key (plain string
 * order) and every count-th one is taken, starting at rank index − 1. Ranking by key rather than by
 * position makes the split independent of the order the items come in (e.g. the order of the grid's
 * keys in a config file), so machines that enumerate the pairs differently still split them the
 * same way; round-robin keeps the shard sizes within one of each other. The chosen items are
 * returned in their given order. Keys must be distinct.
 */
export function selectShard<T>(items: readonly T[], keyOf: (t: T) => string, index: number, count: number): T[] {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
    throw new RangeError(`selectShard: shard ${index} of ${count} does not exist (need 1 ≤ index ≤ count)`);
  }
  const keys = items.map(keyOf);
  const ranked = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  for (let r = 1; r < ranked.length; r++) {
    if (keys[ranked[r]] === keys[ranked[r - 1]]) throw new Error(`selectShard: two items have the key ${keys[ranked[r]]}`);
  }
  const chosen = new Set(ranked.filter((_, rank) => rank % count === index - 1));
  return items.filter((_, i) => chosen.has(i));
}

/**
 * Which shard this process runs, or null for the whole study. In order of precedence:
 * - `--shard i/n` (1 ≤ i ≤ n);
 * - a SLURM array job: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, and SLURM_ARRAY_TASK_MIN /
 *   SLURM_ARRAY_TASK_STEP (defaults 0 / 1), so `--array=0-3` and `--array=1-4` both give shards 1…4;
 * - a Kubernetes indexed job: JOB_COMPLETION_INDEX (0-based) with `shardCount` (--shard-count).
 * `shardCount`, when given, must agree with the shard count found. Empty variables count as unset.
 */
export function parseShardSpec(text: string | undefined, env: NodeJS.ProcessEnv, shardCount?: number): ShardSpec | null {
  if (shardCount !== undefined && !(Number.isSafeInteger(shardCount) && shardCount >= 1)) {
    throw new InputError(`--shard-count: expected a whole number ≥ 1, got ${shardCount}`, { key: "--shard-count" });
  }
  let spec: ShardSpec;
  let source: string;
  if (text !== undefined) {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
    const index = m === null ? NaN : Number(m[1]);
    const count = m === null ? NaN : Number(m[2]);
    if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index >= 1 && index <= count)) {
      throw new InputError(`--shard: expected i/n with whole numbers 1 ≤ i ≤ n (e.g. --shard 2/4), got '${text}'`, { key: "--shard" });
    }
    spec = { index, count };
    source = `--shard ${text.trim()}`;
  } else if (isSet(env.SLURM_ARRAY_TASK_ID)) {
    spec = slurmShard(env);
    source = `SLURM_ARRAY_TASK_COUNT=${spec.count}`;
  } else if (isSet(env.JOB_COMPLETION_INDEX)) {
    const completionIndex = envWholeNumber(env, "JOB_COMPLETION_INDEX");
    if (shardCount === undefined) {
      throw new InputError(
        "JOB_COMPLETION_INDEX is set (a Kubernetes indexed job) but --shard-count is not; pass --shard-count equal to the job's completions",
        { key: "--shard-count" },
      );
    }
    if (completionIndex >= shardCount) {
      throw new InputError(
        `JOB_COMPLETION_INDEX=${completionIndex} is out of range for --shard-count ${shardCount} (allowed 0 … ${shardCount - 1})`,
        { key: "JOB_COMPLETION_INDEX" },
      );
    }
    return { index: completionIndex + 1, count: shardCount };
  } else {
    if (shardCount !== undefined) {
      throw new InputError(
        "--shard-count: only used with JOB_COMPLETION_INDEX (Kubernetes indexed jobs), which is not set; use --shard i/n to run one shard by hand",
        { key: "--shard-count" },
      );
    }
    return null;
  }
  if (shardCount !== undefined && shardCount !== spec.count) {
    throw new InputError(`--shard-count ${shardCount} disagrees with ${source}`, { key: "--shard-count" });
  }
  return spec;
}

function slurmShard(env: NodeJS.ProcessEnv): ShardSpec {
  const id = envWholeNumber(env, "SLURM_ARRAY_TASK_ID");
  if (!isSet(env.SLURM_ARRAY_TASK_COUNT)) {
    throw new InputError("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; run as an sbatch --array job, or use --shard i/n", {
      key: "SLURM_ARRAY_TASK_COUNT",
    });
  }
  const count = envWholeNumber(env, "SLURM_ARRAY_TASK_COUNT");
  if (count < 1) throw new InputError(`SLURM_ARRAY_TASK_COUNT: expected a whole number ≥ 1, got ${count}`, { key: "SLURM_ARRAY_TASK_COUNT" });
  // SLURM sets MIN (and STEP) for every array job; the defaults only serve hand-set variables.
  const min = isSet(env.SLURM_ARRAY_TASK_MIN) ? envWholeNumber(env, "SLURM_ARRAY_TASK_MIN") : 0;
  const step = isSet(env.SLURM_ARRAY_TASK_STEP) ? envWholeNumber(env, "SLURM_ARRAY_TASK_STEP") : 1;
  if (step < 1) throw new InputError(`SLURM_ARRAY_TASK_STEP: expected a whole number ≥ 1, got ${step}`, { key: "SLURM_ARRAY_TASK_STEP" });
  const offset = id - min;
  if (offset < 0 || offset % step !== 0 || offset / step >= count) {
    throw new InputError(
      `SLURM_ARRAY_TASK_ID=${id} is not one of the ${count} tasks ${min}, ${min + step}, … ${min + (count - 1) * step} ` +
        `(SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step}); submit the array as a range such as --array=0-${count - 1}`,
      { key: "SLURM_ARRAY_TASK_ID" },
    );
  }
  return { index: offset / step + 1, count };
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

function envWholeNumber(env: NodeJS.ProcessEnv, name: string): number {
  const text = env[name] ?? "";
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new InputError(`${name}: expected a whole number ≥ 0, got '${text}'`, { key: name });
  return value;
}
