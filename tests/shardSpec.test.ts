// Sharding a study: which shard a process runs (--shard i/n, SLURM arrays, Kubernetes indexed jobs)
// and which (condition, seed) pairs each shard holds.
import { describe, expect, it } from "vitest";
import { expectInputError } from "./support/expectInputError.js";
import { parseShardSpec, selectShard } from "../src/store/shardSpec.js";
import { runKey } from "../src/store/runsFile.js";

describe("parseShardSpec", () => {
  const none: NodeJS.ProcessEnv = {};

  it("reads --shard i/n, which wins over the environment", () => {
    expect(parseShardSpec("2/4", none)).toEqual({ index: 2, count: 4 });
    expect(parseShardSpec(" 1 / 1 ", none)).toEqual({ index: 1, count: 1 });
    expect(parseShardSpec("3/3", { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "5", JOB_COMPLETION_INDEX: "1" })).toEqual({ index: 3, count: 3 });
    expect(parseShardSpec("2/4", none, 4)).toEqual({ index: 2, count: 4 });
  });

  it("rejects a bad --shard, naming the flag and the allowed form", () => {
    for (const bad of ["0/4", "5/4", "2", "a/b", "2/0", "1.5/4", "-1/4", "", "2/4/6"]) {
      const err = expectInputError(() => parseShardSpec(bad, none), /^--shard: expected i\/n with whole numbers 1 ≤ i ≤ n \(e\.g\. --shard 2\/4\), got '/);
      expect(err.key).toBe("--shard");
    }
    expectInputError(() => parseShardSpec("2/4", none, 3), /^--shard-count 3 disagrees with --shard 2\/4$/);
  });

  it("reads SLURM arrays that start at 0 or 1, or step", () => {
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" })).toEqual({ index: 1, count: 4 });
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" })).toEqual({ index: 4, count: 4 });
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 1, count: 4 });
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 4, count: 4 });
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" })).toEqual({ index: 3, count: 3 });
    const stepped = { SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "2" };
    expect(parseShardSpec(undefined, { ...stepped, SLURM_ARRAY_TASK_ID: "6" })).toEqual({ index: 4, count: 4 });
  });

  it("rejects bad SLURM variables, naming the variable", () => {
    const cases: Array<[NodeJS.ProcessEnv, string, RegExp]> = [
      [{ SLURM_ARRAY_TASK_ID: "x", SLURM_ARRAY_TASK_COUNT: "4" }, "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID: expected a whole number ≥ 0, got 'x'$/],
      [{ SLURM_ARRAY_TASK_ID: "1" }, "SLURM_ARRAY_TASK_COUNT", /^SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not/],
      [{ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "0" }, "SLURM_ARRAY_TASK_COUNT", /^SLURM_ARRAY_TASK_COUNT: expected a whole number ≥ 1, got 0$/],
      [{ SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" }, "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID=4 is not one of the 4 tasks 0, 1, … 3 /],
      [{ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1" }, "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID=0 is not one of the 4 tasks 1, 2, … 4 /],
      [{ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_STEP: "2" }, "SLURM_ARRAY_TASK_ID", /^SLURM_ARRAY_TASK_ID=3 is not one of the 4 tasks 0, 2, … 6 /],
      [{ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "-1" }, "SLURM_ARRAY_TASK_MIN", /^SLURM_ARRAY_TASK_MIN: expected a whole number ≥ 0, got '-1'$/],
    ];
    for (const [env, key, pattern] of cases) expect(expectInputError(() => parseShardSpec(undefined, env), pattern).key).toBe(key);
    expectInputError(() => parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "4" }, 3), /^--shard-count 3 disagrees with SLURM_ARRAY_TASK_COUNT=4$/);
  });

  it("reads a Kubernetes JOB_COMPLETION_INDEX (0-based) with --shard-count", () => {
    expect(parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "0" }, 3)).toEqual({ index: 1, count: 3 });
    expect(parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "2" }, 3)).toEqual({ index: 3, count: 3 });
  });

  it("rejects JOB_COMPLETION_INDEX without or beyond --shard-count, and a bad --shard-count", () => {
    expect(expectInputError(() => parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "0" }), /^JOB_COMPLETION_INDEX is set .* but --shard-count is not/).key).toBe("--shard-count");
    expect(expectInputError(() => parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "3" }, 3), /^JOB_COMPLETION_INDEX=3 is out of range for --shard-count 3 \(allowed 0 … 2\)$/).key).toBe(
      "JOB_COMPLETION_INDEX",
    );
    expect(expectInputError(() => parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "one" }, 3), /^JOB_COMPLETION_INDEX: expected a whole number ≥ 0, got 'one'$/).key).toBe(
      "JOB_COMPLETION_INDEX",
    );
    for (const bad of [0, -2, 1.5, NaN]) {
      expect(expectInputError(() => parseShardSpec(undefined, { JOB_COMPLETION_INDEX: "0" }, bad), /^--shard-count: expected a whole number ≥ 1, got /).key).toBe("--shard-count");
    }
    expectInputError(() => parseShardSpec(undefined, none, 3), /^--shard-count: only used with JOB_COMPLETION_INDEX/);
  });

  it("is null with no flag and no scheduler variables (empty ones count as unset)", () => {
    expect(parseShardSpec(undefined, none)).toBeNull();
    expect(parseShardSpec(undefined, { SLURM_ARRAY_TASK_ID: "", JOB_COMPLETION_INDEX: " ", SLURM_JOB_ID: "123" })).toBeNull();
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
