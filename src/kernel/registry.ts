// The step kernels by name: what `--kernel` chooses and the shard loop builds.
import { BitsShardKernel } from "./bits/bitsShardKernel.js";
import { F32ShardKernel } from "./f32/f32ShardKernel.js";
import type { ShardKernel, ShardSetup } from "./shardKernel.js";
import { simdMemoryLayout } from "./simd/simdLayout.js";
import { SimdShardKernel } from "./simd/simdShardKernel.js";

/**
 * "simd" (default): the WebAssembly SIMD kernel of kernel/simd, the ±1 tables vectorised across neurons,
 * z in f32; "bits": the same tables in plain TypeScript, f64; "f32": the plain reference kernel of kernel/f32.
 * Each is deterministic across shard counts; results of different kernels agree to rounding only.
 */
export type KernelName = "simd" | "bits" | "f32";
export const KERNELS: readonly KernelName[] = ["simd", "bits", "f32"];
export const DEFAULT_KERNEL: KernelName = "simd";

/** Memory a shard of a kernel allocates for itself, beside the run's shared buffers, and its limit. */
export interface ShardOwnMemory {
  /** What it is, for messages: "WebAssembly memory". */
  what: string;
  /** Bytes for a shard of `neurons` neurons; `testRows` = 4 · testPerGroup. */
  bytes(d: number, neurons: number, batch: number, testRows: number, certified: boolean): number;
  /** The most it can be. */
  limit: number;
}

interface KernelEntry {
  create(setup: ShardSetup): ShardKernel;
  /** Whether it reads the inputs as ±1 float rows (else only their bit-packed form). */
  floatRows: boolean;
  ownMemory?: ShardOwnMemory;
}

/** A WebAssembly memory has at most 65536 pages of 64 KiB. */
export const WASM_MAX_BYTES = 65536 * 65536;

const REGISTRY: Readonly<Record<KernelName, KernelEntry>> = {
  simd: {
    create: (setup) => new SimdShardKernel(setup),
    floatRows: false,
    ownMemory: { what: "WebAssembly memory", bytes: (d, neurons, batch, testRows, certified) => simdMemoryLayout(d, neurons, batch, testRows, certified).bytes, limit: WASM_MAX_BYTES },
  },
  bits: { create: (setup) => new BitsShardKernel(setup), floatRows: false },
  f32: { create: (setup) => new F32ShardKernel(setup), floatRows: true },
};

export function createShardKernel(name: KernelName, setup: ShardSetup): ShardKernel {
  return REGISTRY[name].create(setup);
}

export function kernelReadsFloatRows(name: KernelName): boolean {
  return REGISTRY[name].floatRows;
}

/** The memory a shard of kernel `name` allocates for itself (null: none beyond the shared buffers). */
export function kernelOwnMemory(name: KernelName): ShardOwnMemory | null {
  return REGISTRY[name].ownMemory ?? null;
}
