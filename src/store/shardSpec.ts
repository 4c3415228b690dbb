// Sharding a study across machines (SPEC §4: --shard i/n, SLURM arrays, Kubernetes indexed jobs):
// which shard this process runs, which pairs that shard holds, and the file its runs go to.
import { readdirSync } from "node:fs";
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

export interface ShardChoice {
  /** The shard this process runs; null for the whole study. */
  shard: ShardSpec | null;
  /** Where the shard came from, or why scheduler variables were not used: always told to the user. */
  note: string | null;
}

/**
 * Which shard this process runs. Never silently from the environment:
 * - `--shard i/n` (1 ≤ i ≤ n). For SLURM arrays the recipe is `--array=1-N` with
 *   `--shard $SLURM_ARRAY_TASK_ID/N`: the script names N, so a resubmitted task keeps its number.
 * - `--shard slurm`: from SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN and
 *   SLURM_ARRAY_TASK_STEP, so `--array=0-3` and `--array=1-4` both give shards 1…4. Refused when the
 *   array has one task: a resubmitted `sbatch --array=3` has SLURM_ARRAY_TASK_COUNT=1 and cannot
 *   tell which shard of how many it was.
 * - `--shard k8s --shard-count n`: a Kubernetes indexed job's JOB_COMPLETION_INDEX (0-based).
 * Without --shard the whole study runs, with a note when an array task's variables are set.
 * Empty variables count as unset.
 */
export function parseShardSpec(text: string | undefined, env: NodeJS.ProcessEnv, shardCount?: number): ShardChoice {
  if (shardCount !== undefined && !(Number.isSafeInteger(shardCount) && shardCount >= 1)) {
    throw new InputError(`--shard-count: expected a whole number ≥ 1, got ${shardCount}`, { key: "--shard-count" });
  }
  const mode = text?.trim();
  if (mode === "k8s") return { shard: kubernetesShard(env, shardCount), note: null };
  if (shardCount !== undefined) {
    throw new InputError("--shard-count: only used with --shard k8s (Kubernetes indexed jobs); --shard i/n names the count itself", { key: "--shard-count" });
  }
  if (mode === "slurm") return slurmShard(env);
  if (mode === undefined) {
    const variable = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"].find((name) => isSet(env[name]));
    const note = variable === undefined
      ? null
      : `${variable} is set but --shard is not: running the whole study (to run one shard, pass --shard ${variable === "JOB_COMPLETION_INDEX" ? "k8s --shard-count N" : "$SLURM_ARRAY_TASK_ID/N"})`;
    return { shard: null, note };
  }
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(mode);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index >= 1 && index <= count)) {
    throw new InputError(`--shard: expected i/n with whole numbers 1 ≤ i ≤ n (e.g. --shard 2/4), slurm or k8s, got '${text}'`, { key: "--shard" });
  }
  return { shard: { index, count }, note: null };
}

function kubernetesShard(env: NodeJS.ProcessEnv, shardCount: number | undefined): ShardSpec {
  if (!isSet(env.JOB_COMPLETION_INDEX)) {
    throw new InputError("--shard k8s: JOB_COMPLETION_INDEX is not set (run as a Kubernetes indexed job), or use --shard i/n", { key: "JOB_COMPLETION_INDEX" });
  }
  const completionIndex = envWholeNumber(env, "JOB_COMPLETION_INDEX");
  if (shardCount === undefined) {
    throw new InputError("--shard k8s needs --shard-count equal to the job's completions", { key: "--shard-count" });
  }
  if (completionIndex >= shardCount) {
    throw new InputError(
      `JOB_COMPLETION_INDEX=${completionIndex} is out of range for --shard-count ${shardCount} (allowed 0 … ${shardCount - 1})`,
      { key: "JOB_COMPLETION_INDEX" },
    );
  }
  return { index: completionIndex + 1, count: shardCount };
}

function slurmShard(env: NodeJS.ProcessEnv): ShardChoice {
  if (!isSet(env.SLURM_ARRAY_TASK_ID)) {
    throw new InputError("--shard slurm: SLURM_ARRAY_TASK_ID is not set (submit with sbatch --array), or use --shard i/n", { key: "SLURM_ARRAY_TASK_ID" });
  }
  const id = envWholeNumber(env, "SLURM_ARRAY_TASK_ID");
  if (!isSet(env.SLURM_ARRAY_TASK_COUNT)) {
    throw new InputError("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; run as an sbatch --array job, or use --shard i/n", {
      key: "SLURM_ARRAY_TASK_COUNT",
    });
  }
  const count = envWholeNumber(env, "SLURM_ARRAY_TASK_COUNT");
  if (count < 1) throw new InputError(`SLURM_ARRAY_TASK_COUNT: expected a whole number ≥ 1, got ${count}`, { key: "SLURM_ARRAY_TASK_COUNT" });
  if (count === 1) {
    throw new InputError(
      `--shard slurm: SLURM_ARRAY_TASK_COUNT=1 (SLURM_ARRAY_TASK_ID=${id}), as in a task resubmitted alone with sbatch --array=${id}: ` +
        "which shard of how many it is is unknown; use --shard $SLURM_ARRAY_TASK_ID/N, which a resubmitted task keeps",
      { key: "SLURM_ARRAY_TASK_COUNT" },
    );
  }
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
  const shard = { index: offset / step + 1, count };
  return { shard, note: `shard ${shard.index}/${count} from SLURM_ARRAY_TASK_ID=${id} (SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_COUNT=${count})` };
}

/**
 * Refuses to add shard i/n to a results directory that already holds shards of a study split
 * another number of ways (merging them would count some pairs twice and miss others).
 */
export function checkShardCountAgrees(dir: string, shard: ShardSpec): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // a new directory
  }
  for (const name of names) {
    const m = /^runs\.shard-(\d+)-of-(\d+)\.jsonl$/.exec(name);
    if (m !== null && Number(m[2]) !== shard.count) {
      throw new InputError(
        `${dir}: holds ${name}, a shard of a study split ${m[2]} ways, but this is shard ${shard.index}/${shard.count}; ` +
          `use --shard i/${m[2]} (a resubmitted array task: --shard $SLURM_ARRAY_TASK_ID/${m[2]}), or --out another directory`,
        { key: "--shard" },
      );
    }
  }
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
