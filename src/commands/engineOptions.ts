// Flags shared by every command that trains (run, study, bench): threads, shards and kernel.
import { availableParallelism } from "node:os";
import type { Argv } from "yargs";
import { InputError } from "../config/inputError.js";
import { DEFAULT_KERNEL, KERNELS, type KernelName } from "../kernel/registry.js";

export interface EngineFlags {
  threads: number;
  shards: number | "auto";
  kernel: KernelName;
}

export function withEngineFlags<T>(yargs: Argv<T>) {
  return yargs
    .option("threads", { type: "string", describe: "worker threads in the pool", defaultDescription: `${availableParallelism()}, this machine's parallelism` })
    .option("shards", { type: "string", default: "auto", describe: "shards (threads) per run: a positive integer, or auto (seeds in parallel; a large model's runs split across the threads left over when runs < threads)" })
    .option("kernel", { type: "string", default: DEFAULT_KERNEL, describe: `step kernel: ${KERNELS.join(" | ")} (simd: WebAssembly SIMD on bit-packed ±1 inputs; bits: the same tables in TypeScript; f32: the plain reference)` });
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < 1 || n > 1024) {
    throw new InputError(`--${flag} must be an integer in [1, 1024], got '${text}'`, { key: flag });
  }
  return n;
}

export function parseEngineFlags(argv: { threads?: string; shards?: string; kernel?: string }): EngineFlags {
  const threads = argv.threads === undefined ? availableParallelism() : positiveInteger("threads", argv.threads);
  const shards = argv.shards === undefined || argv.shards === "auto" ? "auto" : positiveInteger("shards", argv.shards);
  const kernel = argv.kernel ?? DEFAULT_KERNEL;
  if (!(KERNELS as readonly string[]).includes(kernel)) {
    throw new InputError(`--kernel must be one of ${KERNELS.join(", ")}, got '${kernel}'`, { key: "kernel" });
  }
  return { threads, shards, kernel: kernel as KernelName };
}

/** Parses `--seeds`: a count N (seeds first … first+N−1). */
export function parseSeedCount(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < 1 || n > 100_000) {
    throw new InputError(`--seeds must be an integer in [1, 100000], got '${text}'`, { key: "seeds" });
  }
  return n;
}
