// The step kernels by name: what `--kernel` chooses and the shard loop builds.
import { BitsShardKernel } from "./bits/bitsShardKernel.js";
import { F32ShardKernel } from "./f32/f32ShardKernel.js";
import type { ShardKernel, ShardSetup } from "./shardKernel.js";
import { SimdShardKernel } from "./simd/simdShardKernel.js";

/**
 * "simd" (default): the WebAssembly SIMD kernel of kernel/simd, the ±1 tables vectorised across neurons,
 * z in f32; "bits": the same tables in plain TypeScript, f64; "f32": the plain reference kernel of kernel/f32.
 * Each is deterministic across shard counts; results of different kernels agree to rounding only.
 */
export type KernelName = "simd" | "bits" | "f32";
export const KERNELS: readonly KernelName[] = ["simd", "bits", "f32"];
export const DEFAULT_KERNEL: KernelName = "simd";

interface KernelEntry {
  create(setup: ShardSetup): ShardKernel;
  /** Whether it reads the inputs as ±1 float rows (else only their bit-packed form). */
  floatRows: boolean;
}

const REGISTRY: Readonly<Record<KernelName, KernelEntry>> = {
  simd: { create: (setup) => new SimdShardKernel(setup), floatRows: false },
  bits: { create: (setup) => new BitsShardKernel(setup), floatRows: false },
  f32: { create: (setup) => new F32ShardKernel(setup), floatRows: true },
};

export function createShardKernel(name: KernelName, setup: ShardSetup): ShardKernel {
  return REGISTRY[name].create(setup);
}

export function kernelReadsFloatRows(name: KernelName): boolean {
  return REGISTRY[name].floatRows;
}
