// Loading the SIMD kernel's WebAssembly modules (assembled by scripts/build-wasm.mjs from the .wat
// files beside this one) and the shapes of their exports, as simdInstance.ts calls them.
import { readFileSync } from "node:fs";

/** Where the build (`node scripts/build-wasm.mjs`) writes the module, from src/ or dist/ alike. */
const WASM_URL = new URL("../../../dist/kernel/simd/shardKernel.wasm", import.meta.url);
/** The certified event search's lane-wise passes (marginBounds.wat), on the same memory. */
const BOUNDS_WASM_URL = new URL("../../../dist/kernel/simd/marginBounds.wasm", import.meta.url);
/** The draw of online training rows (sampler.wat), on a memory of its own. */
const SAMPLER_WASM_URL = new URL("../../../dist/kernel/simd/sampler.wasm", import.meta.url);

export interface KernelExports {
  buildTables4(src: number, tab: number, groups: number, bias: number, scale: number): void;
  buildTables8(src: number, tab: number, groups: number, bias: number, scale: number): void;
  nibbleOffsets(rows: number, nRows: number, words: number, chunk: number, tab: number, out: number): void;
  forwardBlock4(nib: number, nRows: number, rowWords: number, words: number, zOut: number, resume: number): void;
  forwardBlock8(rows: number, nRows: number, words: number, tab: number, zOut: number): void;
  partialOutputs(z: number, nRows: number, a64: number, slope: number, pOut: number): void;
  noiseSums(wt: number, tab: number, bias: number, scale: number, rows: number, nRows: number, nK: number, words: number, sums: number): void;
  forwardSiblings(rows: number, nK: number, siblings: number, rowWords: number, tab0: number, sums: number, a64: number, slope: number, zOut: number, pOut: number): void;
  siblingTables(tab0: number, map: number, used: number, nUsed: number, out: number): void;
  forwardSiblingsByUnit(rows: number, nK: number, sibTab: number, sums: number, a64: number, slope: number, zOut: number, zScratch: number, pOut: number): void;
  noiseMassBlock(wt: number, d: number, out: number): void;
  blockStatsBlock(wt: number, d: number, a32: number, bias: number, sums: number, lanes: number, withNoise: number, check: number, out: number): void;
  outputUpdateBlock(a32: number, a64: number, bias: number, grad: number, lanes: number, lr: number, wd: number, trainBias: number): void;
  coefBlock(z: number, g: number, nRows: number, nRowsPad: number, a32: number, slope: number, c: number, gradOut: number): void;
  gradSums8(cols: number, d: number, sampleWords: number, tab: number, sums: number): void;
  gradSums4(cols: number, d: number, sampleWords: number, chunk: number, tab: number, sums: number): void;
  gradUpdateBlock(sums: number, d: number, wt: number, lr: number, wd: number, scale: number, fast: number, check: number): void;
  transpose(rows: number, nRowsPad: number, words: number, d: number, cols: number, scratch: number): void;
}

export interface SamplerExports {
  drawRows(seed: number, stream: number, first: number, count: number, d: number, agree: number, flip: number, bits: number, y: number, s: number): void;
}

export interface BoundsExports {
  driftBlock(wt: number, ref: number, d: number, out: number): void;
  zRangeBlock(z: number, perGroup: number, out: number): void;
  secondLayerBlock(z: number, nRows: number, a32: number, slope: number, pOut: number): void;
  zRangeByUnit(z: number, nK: number, out: number): void;
  secondLayerByUnit(z: number, nK: number, a32: number, slope: number, pOut: number): void;
}

/** The part of the WebAssembly JS API used here (tsconfig's lib has no WebAssembly types). */
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const compiled = new Map<string, WasmModule>();

/** A compiled module of this folder (compiled once per thread, synchronously). */
function simdModule(url: URL): WasmModule {
  const known = compiled.get(url.href);
  if (known !== undefined) return known;
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch (err) {
    throw new Error(
      `the SIMD kernel ${url.pathname} is missing: run \`node scripts/build-wasm.mjs\` (part of \`npm run build\`) ` +
        `(${(err as Error).message})`,
    );
  }
  const module = new Wasm.Module(bytes);
  compiled.set(url.href, module);
  return module;
}

/**
 * A new instance of each module (shardKernel.wat and marginBounds.wat) on one memory of `bytes`
 * bytes (rounded up to whole 64 KiB pages), which never grows.
 */
export function instantiateSimd(bytes: number): { kernel: KernelExports; bounds: BoundsExports; buffer: ArrayBuffer } {
  const memory = new Wasm.Memory({ initial: Math.ceil(bytes / 65536) });
  const kernel = new Wasm.Instance(simdModule(WASM_URL), { env: { memory } }).exports as unknown as KernelExports;
  const bounds = new Wasm.Instance(simdModule(BOUNDS_WASM_URL), { env: { memory } }).exports as unknown as BoundsExports;
  return { kernel, bounds, buffer: memory.buffer };
}

/** A new instance of sampler.wat on a memory of its own of `bytes` bytes (whole 64 KiB pages). */
export function instantiateSampler(bytes: number): { sampler: SamplerExports; buffer: ArrayBuffer } {
  const memory = new Wasm.Memory({ initial: Math.ceil(bytes / 65536) });
  const sampler = new Wasm.Instance(simdModule(SAMPLER_WASM_URL), { env: { memory } }).exports as unknown as SamplerExports;
  return { sampler, buffer: memory.buffer };
}
