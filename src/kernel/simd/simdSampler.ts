// The simd kernel's rows: those of the bit kernels (sampler.ts BitRowSampler), with online training
// batches drawn in WebAssembly (sampler.wat drawRows), bitwise the same rows, because a small step
// is short enough for the JavaScript draw to show (the commit that added this file has the timings).
import type { ModelParams } from "../../config/modelKeys.js";
import { Stream } from "../prng.js";
import { BitRowSampler, type SampleRows } from "../sampler.js";
import { wordsPerRow } from "../bits/bitKernel.js";
import { instantiateSampler, type SamplerExports } from "./simdModules.js";

export class SimdRowSampler extends BitRowSampler {
  private readonly words: number;
  private readonly wasm: SamplerExports | null;
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  /** Byte offsets of a batch's bit rows, labels and spurious signs in the sampler's memory. */
  private readonly at: { bits: number; y: number; s: number };

  constructor(p: ModelParams) {
    super(p);
    this.words = wordsPerRow(p.d);
    const bits = 0;
    const y = bits + 4 * p.batch * this.words;
    const s = y + 4 * p.batch;
    this.at = { bits, y, s };
    // a finite training set draws its batches from a permutation: BitRowSampler's way
    const online = p.trainSize === null;
    const memory = online ? instantiateSampler(s + 4 * p.batch) : null;
    this.wasm = memory?.sampler ?? null;
    this.i32 = new Int32Array(memory?.buffer ?? new ArrayBuffer(0));
    this.f32 = new Float32Array(memory?.buffer ?? new ArrayBuffer(0));
  }

  override drawTrainRows(batchIndex: number, r0: number, r1: number, into: SampleRows): void {
    const wasm = this.wasm;
    if (wasm === null) return super.drawTrainRows(batchIndex, r0, r1, into);
    const p = this.p;
    const { words, at, i32, f32 } = this;
    const count = r1 - r0;
    if (count <= 0) return;
    // seed < 2^32: its low 32 bits are the key word prng.ts uses
    wasm.drawRows(p.seed | 0, Stream.trainBatch, batchIndex * p.batch + r0, count, p.d, (1 + p.lambda) / 2, p.labelNoise, at.bits, at.y, at.s);
    into.bits.set(i32.subarray(at.bits / 4, at.bits / 4 + count * words), r0 * words);
    into.y.set(f32.subarray(at.y / 4, at.y / 4 + count), r0);
    into.s.set(f32.subarray(at.s / 4, at.s / 4 + count), r0);
  }
}
