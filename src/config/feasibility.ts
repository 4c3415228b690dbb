// Every config validation accepts must be able to run: before anything is written, a study is
// checked against what the machine can hold — the shared buffers of the runs at once, the memory a
// kernel's shard allocates for itself (simd: a WebAssembly memory, at most 4 GiB), the run records
// kept for the summary, the number of runs — and refused with exit 2 naming the key and the limit.
// Also the nesting depth of a config file, which the validators walk recursively.
import { totalmem } from "node:os";
import { InputError } from "./inputError.js";
import type { ModelParams } from "./modelKeys.js";
import { conditionsOf, paramsFor, type StudyConfig } from "./studyConfig.js";
import { kernelOwnMemory, kernelReadsFloatRows, type KernelName } from "../kernel/registry.js";
import { BLOCK_SIZE } from "../kernel/step.js";
import { companionSteps, maxEvaluations, MAX_STORED_POINTS, runBufferBytes, storedTrajectoryStride, TRAJECTORY_STRIDE } from "../pool/layout.js";

/** (condition, seed) runs in one study: beyond this the plan alone would not fit in memory. */
export const MAX_RUNS = 1_000_000;
/** Share of the machine's memory the runs in flight and the records kept may take. */
const MEMORY_SHARE = 0.5;
/** Bytes of one stored trajectory point of a record in memory: its numbers and the object around them. */
const BYTES_PER_STORED_POINT = 24 * TRAJECTORY_STRIDE;
/** Deepest nesting of arrays and objects in a config or thresholds file. */
const MAX_CONFIG_DEPTH = 32;

const GiB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(bytes < 10 * GiB ? 2 : 0)} GiB`;

/** Refuses `value` (a parsed file) when arrays and objects nest deeper than MAX_CONFIG_DEPTH. Iterative: no recursion to overflow. */
export function checkNestingDepth(value: unknown, file: string): void {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: "" }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop() as { v: unknown; depth: number; path: string };
    if (typeof v !== "object" || v === null) continue;
    if (depth >= MAX_CONFIG_DEPTH) {
      throw new InputError(`${file}: ${path || "(top)"}: nested deeper than ${MAX_CONFIG_DEPTH} levels of arrays and objects; no config needs that many`, { file, key: path });
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x] as const) : Object.entries(v).map(([k, x]) => [path === "" ? k : `.${k}`, x] as const);
    for (const [step, child] of entries) stack.push({ v: child, depth: depth + 1, path: `${path}${step}` });
  }
}

/** What one run of `p` needs, in bytes, and which key drives the largest part. */
function runNeeds(p: ModelParams, kernel: KernelName, eventCount: number): { shared: number; largestKey: string } {
  const shared = runBufferBytes(p, kernelReadsFloatRows(kernel), eventCount, companionSteps(p).length);
  const parts: [string, number][] = [
    ["d × width", 4 * p.width * p.d],
    ["steps", 16 * (p.steps + 1)],
    ["steps / evalEvery", 8 * maxEvaluations(p) * TRAJECTORY_STRIDE],
    ["testPerGroup", 4 * p.testPerGroup * (kernelReadsFloatRows(kernel) ? 4 * p.d : Math.ceil(p.d / 8))],
  ];
  parts.sort((a, b) => b[1] - a[1]);
  return { shared, largestKey: parts[0][0] };
}

/**
 * Throws InputError, naming the key and the limit, when the study cannot run on this machine:
 * too many runs, a shard's own memory over its kernel's limit (simd: 4 GiB), the shared buffers of
 * the runs in flight or the records kept for the summary over half the machine's memory.
 */
export function checkFeasible(config: StudyConfig, engine: { threads: number; shards: number | "auto"; kernel: KernelName }, memoryBytes = totalmem()): void {
  const conditions = conditionsOf(config);
  const runs = conditions.length * config.seeds.length;
  const where = config.file;
  if (runs > MAX_RUNS) {
    throw new InputError(`${where}: seeds × grid conditions = ${config.seeds.length} × ${conditions.length} = ${runs} runs; at most ${MAX_RUNS} in one study (split it into several)`, { file: where, key: "seeds" });
  }
  const budget = MEMORY_SHARE * memoryBytes;
  const eventCount = Object.keys(config.events).length;
  let recordBytes = 0;
  for (const condition of conditions) {
    const p = paramsFor(config, condition, config.seeds[0]);
    const label = Object.keys(condition).length === 0 ? "base" : `condition ${JSON.stringify(condition)}`;
    const own = kernelOwnMemory(engine.kernel);
    if (own !== null) {
      // The largest shard: "auto" may give a run a single shard.
      const shards = engine.shards === "auto" ? 1 : engine.shards;
      const neurons = Math.ceil(Math.ceil(p.width / BLOCK_SIZE) / shards) * BLOCK_SIZE;
      const bytes = own.bytes(p.d, Math.min(neurons, p.width), p.batch, 4 * p.testPerGroup, p.eventSearch === "exact");
      if (bytes > own.limit) {
        throw new InputError(
          `${where}: ${label}: d × width = ${p.d} × ${p.width} needs ${gib(bytes)} of ${own.what} per shard with the ${engine.kernel} kernel; at most ${gib(own.limit)} (make d × width smaller, or split each run over more --shards)`,
          { file: where, key: "width" },
        );
      }
    }
    const need = runNeeds(p, engine.kernel, eventCount);
    const atOnce = Math.max(1, Math.min(engine.threads, runs));
    if (need.shared * atOnce > budget) {
      const which = need.shared > budget ? `${need.largestKey} makes one run need ${gib(need.shared)}` : `${atOnce} runs at once (--threads ${engine.threads}) need ${gib(need.shared * atOnce)}`;
      throw new InputError(`${where}: ${label}: ${which} of shared memory; at most ${gib(budget)} on this machine (half of its ${gib(memoryBytes)})`, {
        file: where,
        key: need.shared > budget ? need.largestKey : "threads",
      });
    }
    const points = Math.min(MAX_STORED_POINTS, Math.ceil(maxEvaluations(p) / storedTrajectoryStride(p)) + 1);
    recordBytes += config.seeds.length * points * BYTES_PER_STORED_POINT;
  }
  if (recordBytes > budget) {
    throw new InputError(
      `${where}: the ${runs} run records of this study (trajectories of steps / evalEvery points each) would need about ${gib(recordBytes)} of memory for the summary; at most ${gib(budget)} on this machine — fewer seeds or conditions, or a larger evalEvery`,
      { file: where, key: "seeds" },
    );
  }
}
