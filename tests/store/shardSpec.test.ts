// Sharding a study: which shard a process runs (--shard i/n, SLURM arrays, Kubernetes indexed jobs)
// and which (condition, seed) pairs each shard holds.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectInputError } from "../support/expectInputError.js";
import { checkShardCountAgrees, parseShardSpec, selectShard, shardFileName } from "../../src/store/shardSpec.js";
import { runKey } from "../../src/store/runsFile.js";

describe("parseShardSpec", () => {
  const none: NodeJS.ProcessEnv = {};
  const shardOf = (text: string | undefined, env: NodeJS.ProcessEnv, shardCount?: number) => parseShardSpec(text, env, shardCount).shard;
  const slurm = (id: number, count: number, min?: number, step?: number): NodeJS.ProcessEnv => ({
    SLURM_ARRAY_TASK_ID: String(id),
    SLURM_ARRAY_TASK_COUNT: String(count),
    ...(min === undefined ? {} : { SLURM_ARRAY_TASK_MIN: String(min) }),
    ...(step === undefined ? {} : { SLURM_ARRAY_TASK_STEP: String(step) }),
  });

  it("reads --shard i/n, which ignores the environment", () => {
    expect(parseShardSpec("2/4", none)).toEqual({ shard: { index: 2, count: 4 }, note: null });
    expect(shardOf(" 1 / 1 ", none)).toEqual({ index: 1, count: 1 });
    expect(shardOf("3/3", { ...slurm(0, 5), JOB_COMPLETION_INDEX: "1" })).toEqual({ index: 3, count: 3 });
    // The resubmission recipe: `sbatch --array=3` sets COUNT=1, `--shard $SLURM_ARRAY_TASK_ID/4` keeps 3/4.
    expect(shardOf("3/4", slurm(3, 1, 3))).toEqual({ index: 3, count: 4 });
  });

  it("rejects a bad --shard, naming the flag and the allowed forms", () => {
    for (const bad of ["0/4", "5/4", "2", "a/b", "2/0", "1.5/4", "-1/4", "", "2/4/6", "SLURM"]) {
      const err = expectInputError(() => parseShardSpec(bad, none), /^--shard: expected i\/n with whole numbers 1 ≤ i ≤ n \(e\.g\. --shard 2\/4\), slurm or k8s, got '/);
      expect(err.key).toBe("--shard");
    }
    expectInputError(() => parseShardSpec("2/4", none, 4), /^--shard-count: only used with --shard k8s/);
  });

  it("never shards silently from the environment: without --shard the whole study runs, with a note", () => {
    expect(parseShardSpec(undefined, none)).toEqual({ shard: null, note: null });
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "", JOB_COMPLETION_INDEX: " ", SLURM_JOB_ID: "123" })).toEqual({ shard: null, note: null });
    const inArray = parseShardSpec(undefined, slurm(1, 4, 0));
    expect(inArray.shard).toBeNull();
    expect(inArray.note).toBe("SLURM_ARRAY_TASK_ID is set but --shard is not: running the whole study (to run one shard, pass --shard $SLURM_ARRAY_TASK_ID/N)");
    expect(parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "2" }).note).toMatch(/^JOB_COMPLETION_INDEX is set but --shard is not: running the whole study .*--shard k8s --shard-count N/);
  });

  it("--shard slurm reads arrays that start at 0 or 1, or step, and says where the shard came from", () => {
    expect(parseShardSpec("slurm", slurm(1, 4, 0))).toEqual({
      shard: { index: 2, count: 4 },
      note: "shard 2/4 from SLURM_ARRAY_TASK_ID=1 (SLURM_ARRAY_TASK_MIN=0, SLURM_ARRAY_TASK_COUNT=4)",
    });
    expect(shardOf("slurm", slurm(0, 4, 0))).toEqual({ index: 1, count: 4 });
    expect(shardOf("slurm", slurm(3, 4, 0))).toEqual({ index: 4, count: 4 });
    expect(shardOf("slurm", slurm(1, 4, 1))).toEqual({ index: 1, count: 4 });
    expect(shardOf("slurm", slurm(4, 4, 1))).toEqual({ index: 4, count: 4 });
    expect(shardOf("slurm", slurm(2, 3))).toEqual({ index: 3, count: 3 });
    expect(shardOf("slurm", slurm(6, 4, 0, 2))).toEqual({ index: 4, count: 4 });
  });

  it("--shard slurm refuses a task resubmitted alone (SLURM_ARRAY_TASK_COUNT=1)", () => {
    const err = expectInputError(() => parseShardSpec("slurm", slurm(3, 1, 3)), /^--shard slurm: SLURM_ARRAY_TASK_COUNT=1 \(SLURM_ARRAY_TASK_ID=3\).*use --shard \$SLURM_ARRAY_TASK_ID\/N/);
    expect(err.key).toBe("SLURM_ARRAY_TASK_COUNT");
  });

  it("--shard slurm rejects bad or missing SLURM variables, naming the variable", () => {
    const cases: Array<[NodeJS.ProcessEnv, string, RegExp]> = [
      [{}, "SLURM_ARRAY_TASK_ID", /^--shard slurm: SLURM_ARRAY_TASK_ID is not set/],
      [{ SLURM_ARRAY_TASK_ID: "x", SLURM_ARRAY_TASK_COUNT: "4" }, "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID: expected a whole number ≥ 0, got 'x'$/],
      [{ SLURM_ARRAY_TASK_ID: "1" }, "SLURM_ARRAY_TASK_COUNT", /^SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not/],
      [slurm(1, 0), "SLURM_ARRAY_TASK_COUNT", /^SLURM_ARRAY_TASK_COUNT: expected a whole number ≥ 1, got 0$/],
      [slurm(4, 4, 0), "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID=4 is not one of the 4 tasks 0, 1, … 3 /],
      [slurm(0, 4, 1), "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID=0 is not one of the 4 tasks 1, 2, … 4 /],
      [slurm(3, 4, undefined, 2), "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID=3 is not one of the 4 tasks 0, 2, … 6 /],
      [{ ...slurm(1, 4), SLURM_ARRAY_TASK_MIN: "-1" }, "SLURM_ARRAY_TASK_MIN", /^SLURM_ARRAY_TASK_MIN: expected a whole number ≥ 0, got '-1'$/],
    ];
    for (const [env, key, pattern] of cases) expect(expectInputError(() => parseShardSpec("slurm", env), pattern).key).toBe(key);
    expectInputError(() => parseShardSpec("slurm", slurm(0, 4), 3), /^--shard-count: only used with --shard k8s/);
  });

  it("--shard k8s reads JOB_COMPLETION_INDEX (0-based) with --shard-count", () => {
    expect(shardOf("k8s", { JOB_COMPLETION_INDEX: "0" }, 3)).toEqual({ index: 1, count: 3 });
    expect(shardOf("k8s", { JOB_COMPLETION_INDEX: "2" }, 3)).toEqual({ index: 3, count: 3 });
  });

  it("--shard k8s rejects a missing variable or --shard-count, an index beyond it, and a bad --shard-count", () => {
    expect(expectInputError(() => parseShardSpec("k8s", none, 3), /^--shard k8s: JOB_COMPLETION_INDEX is not set/).key).toBe("JOB_COMPLETION_INDEX");
    expect(expectInputError(() => parseShardSpec("k8s", { JOB_COMPLETION_INDEX: "0" }), /^--shard k8s needs --shard-count/).key).toBe("--shard-count");
    expect(expectInputError(() => parseShardSpec("k8s", { JOB_COMPLETION_INDEX: "3" }, 3), /^JOB_COMPLETION_INDEX=3 is out of range for --shard-count 3 \(allowed 0 … 2\)$/).key).toBe(
      "JOB_COMPLETION_INDEX",
    );
    expect(expectInputError(() => parseShardSpec("k8s", { JOB_COMPLETION_INDEX: "one" }, 3), /^JOB_COMPLETION_INDEX: expected a whole number ≥ 0, got 'one'$/).key).toBe(
      "JOB_COMPLETION_INDEX",
    );
    for (const bad of [0, -2, 1.5, NaN]) {
      expect(expectInputError(() => parseShardSpec("k8s", { JOB_COMPLETION_INDEX: "0" }, bad), /^--shard-count: expected a whole number ≥ 1, got /).key).toBe("--shard-count");
    }
    expectInputError(() => parseShardSpec(undefined, none, 3), /^--shard-count: only used with --shard k8s/);
  });
});

describe("checkShardCountAgrees", () => {
  it("refuses a shard of another n in a directory that holds shards, and accepts the same n or a new directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "shortcut-bench-shard-"));
    try {
      checkShardCountAgrees(join(dir, "missing"), { index: 1, count: 1 });
      writeFileSync(join(dir, shardFileName(3, 4)), "");
      checkShardCountAgrees(dir, { index: 3, count: 4 });
      checkShardCountAgrees(dir, { index: 1, count: 4 });
      const err = expectInputError(() => checkShardCountAgrees(dir, { index: 1, count: 1 }), /holds runs\.shard-3-of-4\.jsonl, a shard of a study split 4 ways, but this is shard 1\/1; use --shard i\/4/);
      expect(err.key).toBe("--shard");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("selectShard", () => {
  const pairs = [0, 0.5, 1].flatMap((lambda) => [0, 1, 2, 3, 10].map((seed) => ({ condition: { lambda }, seed })));
  const keyOf = (p: { condition: Record<string, unknown>; seed: number }) => runKey(p.condition, p.seed);

  it("splits the pairs into n disjoint shards that cover them all, for n = 1 … 4", () => {
    for (let n = 1; n <= 4; n++) {
      const shards = Array.from({ length: n }, (_, i) => selectShard(pairs, keyOf, i + 1, n));
      const all = shards.flat().map(keyOf);
      expect(new Set(all).size).toBe(all.length); // disjoint
      expect([...all].sort()).toEqual(pairs.map(keyOf).sort()); // union is everything
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (const shard of shards) {
        // In study order: a subsequence of the given list.
        const positions = shard.map((p) => pairs.indexOf(p));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
    }
    expect(selectShard(pairs, keyOf, 1, 1)).toEqual(pairs);
  });

  it("does not depend on the order the pairs are listed in", () => {
    const reversed = [...pairs].reverse();
    for (let i = 1; i <= 3; i++) {
      expect(selectShard(reversed, keyOf, i, 3).map(keyOf).sort()).toEqual(selectShard(pairs, keyOf, i, 3).map(keyOf).sort());
    }
  });

  it("rejects a shard that does not exist and duplicate keys", () => {
    expect(() => selectShard(pairs, keyOf, 0, 3)).toThrow(RangeError);
    expect(() => selectShard(pairs, keyOf, 4, 3)).toThrow(RangeError);
    expect(() => selectShard([pairs[0], pairs[0]], keyOf, 1, 2)).toThrow('two items have the key {"lambda":0}#0');
  });
});
