// The WebAssembly SIMD kernel of one shard: the signed subset-sum ("four Russians") tables of
// bitKernel.ts, vectorised ACROSS NEURONS (16 per block = 4 × f32x4) so that every table lookup is a
// plain vector load. The shard's weights live in this kernel's own (non-shared) WebAssembly memory,
// transposed per block (coordinate-major, 16 neurons side by side), between `loadWeights` and
// `storeWeights`; the shard loop is their only reader and writer, so it loads them once after
// initialisation and stores them back when the run ends (and `blockStats` reads them in place).
//
// Numerics (all lanes independent, so a neuron's results never depend on its shard or neighbours):
// - z_ij = b_j + Σ_k w_jk x_ik in f32: one table lookup per 4 coordinates, summed in ascending order;
// - P[blk·nRows + i] = Σ_{j ∈ blk, ascending} a_j σ(z_ij) in f64, exactly the order of f32/f32Step.ts;
// - ∂L/∂w_jk = Σ_i c_ij x_ik with c_ij = (G_i a_j) σ'(z_ij) in f32, one lookup per 4 samples;
//   ∂L/∂a_j = Σ_i G_i σ(z_ij) and ∂L/∂b_j = Σ_i c_ij in f32 (rows ascending);
// - θ ← θ − lr·(∂L/∂θ + weightDecay·θ) evaluated in f64 and rounded to f32, as in step.ts (applySgd).
import { readFileSync } from "node:fs";
import { BLOCK_SIZE, type StepModel } from "../step.js";
import { BLOCK_STATS, BlockStat } from "../metrics.js";
import type { WeightRows } from "../shardKernel.js";
import { neuronPair, writeDrift, Z_RANGE_FIELDS } from "../marginBounds.js";

/** Where the build (`node scripts/build-wasm.mjs`) writes the module, from src/ or dist/ alike. */
const WASM_URL = new URL("../../../dist/kernel/simd/shardKernel.wasm", import.meta.url);
/** The certified event search's lane-wise passes (marginBounds.wat), on the same memory. */
const BOUNDS_WASM_URL = new URL("../../../dist/kernel/simd/marginBounds.wasm", import.meta.url);

interface KernelExports {
  buildTables4(src: number, tab: number, groups: number, bias: number, scale: number): void;
  buildTables8(src: number, tab: number, groups: number, bias: number, scale: number): void;
  forwardBlock4(rows: number, nRows: number, rowWords: number, words: number, tab: number, a64: number, slope: number, zOut: number, pOut: number, resume: number): void;
  forwardBlock8(rows: number, nRows: number, words: number, tab: number, a64: number, slope: number, zOut: number, pOut: number): void;
  statsQuad(wt: number, d: number, out: number): void;
  coefBlock(z: number, g: number, nRows: number, nRowsPad: number, a32: number, slope: number, c: number, gradOut: number): void;
  gradUpdateBlock(cols: number, d: number, sampleWords: number, tab: number, wt: number, lr: number, wd: number, scale: number): void;
  transpose(rows: number, nRowsPad: number, words: number, d: number, cols: number, scratch: number): void;
}

interface BoundsExports {
  driftBlock(wt: number, ref: number, d: number, out: number): void;
  zRangeBlock(z: number, perGroup: number, out: number): void;
  secondLayerBlock(z: number, nRows: number, a32: number, slope: number, pOut: number): void;
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

const LANES = BLOCK_SIZE; // 16 neurons per block, 4 quads of f32x4
const ITEM = 4 * LANES; // bytes of one 16-lane f32 item
const TABLE4_BYTES_PER_WORD = 8 * 16 * ITEM; // 8 groups of 4 bits, 16 entries each
const TABLE8_BYTES_PER_WORD = 4 * 256 * ITEM; // 4 groups of 8 bits, 256 entries each

/**
 * Whether a forward pass of `nRows` rows of dimension d uses 8-bit tables (half the lookups of the
 * 4-bit ones, for 16× the table and 8× its build): long passes (the test set, not a training
 * batch) while the block's table, dPad·2 KiB, fits in L2. Short passes lose (the table's build
 * outweighs the saved lookups), and so does a table beyond L2; the thresholds come from timing both
 * on one core at several d and row counts (commit 2b048af has the timings).
 */
export function usesWideTables(nRows: number, d: number): boolean {
  const dPad = Math.ceil(d / 32) * 32;
  return nRows >= 1024 && dPad <= 512 && nRows * dPad >= 131072;
}

/**
 * Words of a row whose 4-bit tables (8 KiB a word) `forward` builds and reads at a time when it
 * keeps z: 32 KiB, so they stay in the L1 cache while every row of the pass reads them (the whole
 * row's tables at once spill to L2 from d = 256 on, and to L3 at d = 8192).
 */
export const FORWARD_CHUNK_WORDS = 4;

function align64(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/**
 * Byte offsets of a shard kernel's regions in its WebAssembly memory, and the memory's size: what
 * the constructor allocates, and what config feasibility checks against the 4 GiB a WebAssembly
 * memory can have.
 */
export function simdMemoryLayout(d: number, neuronCount: number, batch: number, testRows: number, certified: boolean) {
  const nb = Math.ceil(neuronCount / LANES);
  const words = Math.ceil(d / 32);
  const dPad = words * 32;
  const batchPad = Math.ceil(batch / 32) * 32;
  const forwardRows = Math.max(batch, testRows);
  let at = 1024;
  const take = (bytes: number): number => {
    const off = at;
    at = align64(at + bytes);
    return off;
  };
  const WT = take(nb * dPad * ITEM);
  const BIAS = take(nb * ITEM);
  const A32 = take(nb * ITEM);
  const A64 = take(nb * LANES * 8);
  const tableWords = Math.max(words, batchPad / 32);
  const TAB = take(Math.max(tableWords * TABLE4_BYTES_PER_WORD, usesWideTables(forwardRows, d) ? words * TABLE8_BYTES_PER_WORD : 0));
  const TRAIN_ROWS = take(batchPad * words * 4 + 64); // +64: the transpose reads 4 words at a time
  const TEST_ROWS = take(forwardRows * words * 4 + 64);
  const COLS = take((batchPad / 32) * d * 4);
  const Z = take(nb * batch * ITEM);
  const C = take(batchPad * ITEM);
  const G = take(batchPad * 8);
  const POUT = take(nb * forwardRows * 8);
  // the certified event search (eventSearch "exact" only): a copy of WT, BIAS and A32 (contiguous)
  // at the reference step, the test rows' z at that step (per block: testRows items), and the
  // outputs of marginBounds.wat
  const REF = take(certified ? A64 - WT : 0);
  const ZTEST = take(certified ? nb * testRows * ITEM : 0);
  const RANGES = take(certified ? 8 * ITEM : 0);
  const DRIFT = take(certified ? 3 * ITEM : 0);
  return { WT, BIAS, A32, A64, TAB, TRAIN_ROWS, TEST_ROWS, COLS, Z, C, G, POUT, REF, ZTEST, RANGES, DRIFT, bytes: at };
}

/**
 * One shard's WebAssembly instance: neurons [j0, j1) with j0 block-aligned and at most `neuronCount`
 * of them, the model `m` (d, activation, spurious scale, SGD constants), training batches of at most
 * `batch` rows, forward-only passes (the test set) of at most `testRows` rows. Create one per shard
 * (it is not thread-safe and not shared).
 */
export class SimdInstance {
  readonly model: StepModel;
  readonly d: number;
  readonly neuronCount: number;
  readonly batch: number;
  readonly testRows: number;
  private readonly x: KernelExports;
  private readonly f32: Float32Array;
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private readonly maxBlocks: number;
  private readonly words: number;
  private readonly dPad: number;
  private readonly batchPad: number;
  // byte offsets in the instance's memory (0 … 63 stay zero: the "no bias" item)
  private readonly GRAD = 64; // ∂L/∂a (16 f32) then ∂L/∂b (16 f32)
  private readonly TSCRATCH = 256; // 32 × v128 for the bit transpose
  private readonly WT: number; // per block: dPad items (coordinate-major weights)
  private readonly BIAS: number; // per block: 1 item
  private readonly A32: number; // per block: 1 item
  private readonly A64: number; // per block: 16 f64
  private readonly TAB: number;
  private readonly TRAIN_ROWS: number;
  private readonly TEST_ROWS: number;
  private readonly COLS: number;
  private readonly Z: number; // per block: batch items
  private readonly C: number; // batchPad items
  private readonly G: number; // batchPad f64
  private readonly POUT: number; // per block: nRows f64
  private readonly REF: number; // WT, BIAS and A32 at the reference step of `drift`
  private readonly ZTEST: number; // per block: the test rows' z at the reference step
  private readonly RANGES: number; // per group: min item, max item
  private readonly DRIFT: number; // 3 items: noise move, noise norm now, at the reference
  private readonly bounds: BoundsExports;
  private j0 = 0;
  private j1 = 0;
  private blocks = 0;
  private readonly pair = neuronPair();
  private trainRows = -1; // rows of the last forward with storeZ (the batch `update` differentiates)

  constructor(m: StepModel, neuronCount: number, batch: number, testRows: number, certified = false) {
    const d = m.d;
    if (!(d >= 3 && neuronCount >= 0 && batch >= 1 && testRows >= 0)) {
      throw new RangeError(`SimdInstance: bad sizes d=${d}, neurons=${neuronCount}, batch=${batch}, testRows=${testRows}`);
    }
    this.model = m;
    this.d = d;
    this.neuronCount = neuronCount;
    this.batch = batch;
    this.testRows = testRows;
    const nb = Math.ceil(neuronCount / LANES);
    this.maxBlocks = nb;
    this.words = Math.ceil(d / 32);
    this.dPad = this.words * 32;
    this.batchPad = Math.ceil(batch / 32) * 32;
    const layout = simdMemoryLayout(d, neuronCount, batch, testRows, certified);
    this.WT = layout.WT;
    this.BIAS = layout.BIAS;
    this.A32 = layout.A32;
    this.A64 = layout.A64;
    this.TAB = layout.TAB;
    this.TRAIN_ROWS = layout.TRAIN_ROWS;
    this.TEST_ROWS = layout.TEST_ROWS;
    this.COLS = layout.COLS;
    this.Z = layout.Z;
    this.C = layout.C;
    this.G = layout.G;
    this.POUT = layout.POUT;
    this.REF = layout.REF;
    this.ZTEST = layout.ZTEST;
    this.RANGES = layout.RANGES;
    this.DRIFT = layout.DRIFT;
    const memory = new Wasm.Memory({ initial: Math.ceil(layout.bytes / 65536) });
    const instance = new Wasm.Instance(simdModule(WASM_URL), { env: { memory } });
    this.x = instance.exports as unknown as KernelExports;
    this.bounds = new Wasm.Instance(simdModule(BOUNDS_WASM_URL), { env: { memory } }).exports as unknown as BoundsExports;
    // the memory never grows, so these views stay valid
    this.f32 = new Float32Array(memory.buffer);
    this.f64 = new Float64Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Copies neurons [j0, j1) of the row-major `source` (W: (j − first)·d + k) in; j0 must be block-aligned. */
  loadWeights(source: WeightRows, j0: number, j1: number): void {
    const n = j1 - j0;
    if (j0 % LANES !== 0 || n < 0 || n > this.neuronCount) {
      throw new RangeError(`SimdInstance.loadWeights: neurons [${j0}, ${j1}) (block-aligned start, at most ${this.neuronCount})`);
    }
    const { W, A, B, first } = source;
    this.j0 = j0;
    this.j1 = j1;
    this.blocks = Math.ceil(n / LANES);
    const { f32, f64, d, dPad } = this;
    f32.fill(0, this.WT / 4, this.WT / 4 + this.maxBlocks * dPad * LANES);
    f32.fill(0, this.BIAS / 4, this.BIAS / 4 + this.maxBlocks * LANES);
    f32.fill(0, this.A32 / 4, this.A32 / 4 + this.maxBlocks * LANES);
    f64.fill(0, this.A64 / 8, this.A64 / 8 + this.maxBlocks * LANES);
    for (let j = j0; j < j1; j++) {
      const b = (j - j0) >> 4;
      const lane = (j - j0) & 15;
      const wOff = this.WT / 4 + b * dPad * LANES + lane;
      const r = j - first;
      for (let k = 0; k < d; k++) f32[wOff + k * LANES] = W[r * d + k];
      f32[this.A32 / 4 + b * LANES + lane] = A[r];
      f64[this.A64 / 8 + b * LANES + lane] = A[r];
      f32[this.BIAS / 4 + b * LANES + lane] = B[r];
    }
  }

  /** Copies the kernel's neurons back into the row-major `target` (default: the loaded range). */
  storeWeights(target: WeightRows, j0 = this.j0, j1 = this.j1): void {
    if (j0 < this.j0 || j1 > this.j1) throw new RangeError(`SimdInstance.storeWeights: [${j0}, ${j1}) is not loaded`);
    const { f32, d, dPad } = this;
    const { W, A, B, first } = target;
    for (let j = j0; j < j1; j++) {
      const b = (j - this.j0) >> 4;
      const lane = (j - this.j0) & 15;
      const wOff = this.WT / 4 + b * dPad * LANES + lane;
      const r = j - first;
      for (let k = 0; k < d; k++) W[r * d + k] = f32[wOff + k * LANES];
      A[r] = f32[this.A32 / 4 + b * LANES + lane];
      B[r] = f32[this.BIAS / 4 + b * LANES + lane];
    }
  }

  /**
   * Forward pass of the loaded neurons on `nRows` packed rows (bitKernel.ts `packRows` layout):
   * P[(firstBlock + b)·nRows + i] = Σ_{j ∈ block b, ascending} a_j σ(z_ij), σ(z) = z > 0 ? z : slope·z.
   * `storeZ`: this is the training batch (nRows ≤ batch): keep z and the rows for `update`.
   * `zRange`: keep the test rows' z and their ranges per group (marginBounds.ts); `tablesFor`: the
   * row count whose table width to use.
   */
  forward(
    rowBits: Int32Array,
    nRows: number,
    P: Float64Array,
    firstBlock: number,
    storeZ: boolean,
    zRange: Float64Array | null = null,
    tablesFor = nRows,
  ): void {
    const { x, words } = this;
    const { spuriousScale, slope } = this.model;
    const capacity = storeZ ? this.batch : Math.max(this.batch, this.testRows);
    if (nRows > capacity) throw new RangeError(`SimdInstance.forward: ${nRows} rows > capacity ${capacity}`);
    const rows = storeZ ? this.TRAIN_ROWS : this.TEST_ROWS;
    this.i32.set(rowBits.subarray(0, nRows * words), rows / 4);
    if (storeZ) {
      // rows past the batch are zero bits, so the transpose gives zero columns there
      this.i32.fill(0, rows / 4 + nRows * words, rows / 4 + this.batchPad * words);
      this.trainRows = nRows;
    }
    const wtStride = this.dPad * ITEM;
    // a subset of the test set takes the set's tables (tablesFor), so its outputs are the set's
    const wide = usesWideTables(tablesFor, this.d);
    const ranges = zRange !== null && !storeZ;
    for (let b = 0; b < this.blocks; b++) {
      const zOut = storeZ ? this.Z + b * this.batch * ITEM : ranges ? this.ZTEST + b * nRows * ITEM : 0;
      const a64 = this.A64 + b * LANES * 8;
      const pOut = this.POUT + b * nRows * 8;
      if (wide) {
        x.buildTables8(this.WT + b * wtStride, this.TAB, this.dPad / 8, this.BIAS + b * ITEM, spuriousScale);
        x.forwardBlock8(rows, nRows, words, this.TAB, a64, slope, zOut, pOut);
      } else {
        // with a z buffer, a chunk of words at a time (see forwardBlock4); group 0 alone has the
        // bias and the spurious scale, so later chunks' tables get neither
        const chunk = zOut !== 0 ? FORWARD_CHUNK_WORDS : words;
        for (let w0 = 0; w0 < words; w0 += chunk) {
          const w1 = Math.min(words, w0 + chunk);
          const first = w0 === 0;
          x.buildTables4(this.WT + b * wtStride + w0 * 32 * ITEM, this.TAB, (w1 - w0) * 8, first ? this.BIAS + b * ITEM : 0, first ? spuriousScale : 1);
          x.forwardBlock4(rows + w0 * 4, nRows, words, w1 - w0, this.TAB, a64, slope, zOut, w1 === words ? pOut : 0, first ? 0 : 1);
        }
      }
      if (ranges) this.keepZRanges(b, nRows / 4, zRange);
    }
    const out = this.POUT / 8;
    P.set(this.f64.subarray(out, out + this.blocks * nRows), firstBlock * nRows);
  }

  /** The z ranges of block b's lanes over the 4 groups of `perGroup` rows just forwarded into ZTEST. */
  private keepZRanges(b: number, perGroup: number, zRange: Float64Array): void {
    this.bounds.zRangeBlock(this.ZTEST + b * 4 * perGroup * ITEM, perGroup, this.RANGES);
    const lanes = Math.min(LANES, this.j1 - this.j0 - b * LANES);
    const r = this.RANGES / 4;
    for (let l = 0; l < lanes; l++) {
      const o = (b * LANES + l) * Z_RANGE_FIELDS;
      for (let g = 0; g < 4; g++) {
        zRange[o + 2 * g] = this.f32[r + g * 2 * LANES + l];
        zRange[o + 2 * g + 1] = this.f32[r + g * 2 * LANES + LANES + l];
      }
    }
  }

  /**
   * P[(firstBlock + b)·testRows + i] = Σ_(j ∈ block b) a_j σ(z⁰_ij): today's output weights on the
   * test pre-activations of the last forward with z ranges (f32 sums; see marginBounds.ts).
   */
  secondLayer(P: Float64Array, firstBlock: number): void {
    const n = this.testRows;
    for (let b = 0; b < this.blocks; b++) {
      this.bounds.secondLayerBlock(this.ZTEST + b * n * ITEM, n, this.A32 + b * ITEM, this.model.slope, this.POUT + b * n * 8);
    }
    const out = this.POUT / 8;
    P.set(this.f64.subarray(out, out + this.blocks * n), firstBlock * n);
  }

  /** Keeps the loaded weights (WT, BIAS, A32) as the reference step of `drift`. */
  keepReference(): void {
    this.f32.copyWithin(this.REF / 4, this.WT / 4, this.A64 / 4);
  }

  /** The drift records (kernel/marginBounds.ts) of the loaded neurons since `keepReference`. */
  drift(out: Float64Array): void {
    const { f32, d, dPad } = this;
    const scale = this.model.spuriousScale;
    const pair = this.pair;
    const wtStride = dPad * ITEM;
    const refShift = (this.REF - this.WT) / 4;
    const dr = this.DRIFT / 4;
    for (let b = 0; b < this.blocks; b++) {
      this.bounds.driftBlock(this.WT + b * wtStride, this.REF + b * wtStride, d, this.DRIFT);
      const lanes = Math.min(LANES, this.j1 - this.j0 - b * LANES);
      for (let l = 0; l < lanes; l++) {
        const w = (this.WT + b * wtStride) / 4 + l;
        const a = this.A32 / 4 + b * LANES + l;
        const bias = this.BIAS / 4 + b * LANES + l;
        pair.a = f32[a];
        pair.a0 = f32[a + refShift];
        pair.b = f32[bias];
        pair.b0 = f32[bias + refShift];
        pair.w0 = f32[w];
        pair.w1 = f32[w + LANES];
        pair.w2 = f32[w + 2 * LANES];
        pair.r0 = f32[w + refShift];
        pair.r1 = f32[w + LANES + refShift];
        pair.r2 = f32[w + 2 * LANES + refShift];
        writeDrift(out, b * LANES + l, d, scale, pair, f32[dr + l], f32[dr + LANES + l], f32[dr + 2 * LANES + l]);
      }
    }
  }

  /**
   * SGD update of the loaded neurons from the last `forward` with storeZ (same nRows) and the output
   * gradients G (G[i] = ∂ mean loss / ∂f(x_i)), as `updateNeurons` in f32/f32Step.ts. `columns`:
   * the batch in bitKernel.ts `packColumns` layout, or null to transpose the forward's rows here.
   */
  update(columns: Int32Array | null, nRows: number, G: Float64Array): void {
    if (nRows !== this.trainRows) throw new Error(`SimdInstance.update: ${nRows} rows, but the last training forward had ${this.trainRows}`);
    const { x, f32, f64, d } = this;
    const { lr, weightDecay, trainBias, spuriousScale, slope } = this.model;
    const sampleWords = Math.ceil(nRows / 32);
    const nRowsPad = sampleWords * 32;
    if (columns !== null) this.i32.set(columns.subarray(0, sampleWords * d), this.COLS / 4);
    else x.transpose(this.TRAIN_ROWS, nRowsPad, this.words, d, this.COLS, this.TSCRATCH);
    f64.set(G.subarray(0, nRows), this.G / 8);
    const wtStride = this.dPad * ITEM;
    const n = this.j1 - this.j0;
    const gradA = this.GRAD / 4;
    const gradB = gradA + LANES;
    for (let b = 0; b < this.blocks; b++) {
      const a32 = this.A32 + b * ITEM;
      x.coefBlock(this.Z + b * this.batch * ITEM, this.G, nRows, nRowsPad, a32, slope, this.C, this.GRAD);
      x.buildTables4(this.C, this.TAB, nRowsPad / 4, 0, 1);
      x.gradUpdateBlock(this.COLS, d, sampleWords, this.TAB, this.WT + b * wtStride, lr, weightDecay, spuriousScale);
      const lanes = Math.min(LANES, n - b * LANES);
      for (let l = 0; l < lanes; l++) {
        const ai = a32 / 4 + l;
        const a = f32[ai];
        f32[ai] = a - lr * (f32[gradA + l] + weightDecay * a);
        f64[this.A64 / 8 + b * LANES + l] = f32[ai];
        if (trainBias) {
          const bi = this.BIAS / 4 + b * LANES + l;
          const bias = f32[bi];
          f32[bi] = bias - lr * (f32[gradB + l] + weightDecay * bias);
        }
      }
    }
  }

  /**
   * The block statistics of metrics.ts `blockStats` for the loaded neurons, read in place and
   * bitwise identical to it: stats[(firstBlock + b)·BLOCK_STATS + field].
   */
  blockStats(stats: Float64Array, firstBlock: number): void {
    const { x, f32, f64, d, dPad } = this;
    const noiseCount = d - 3;
    const n = this.j1 - this.j0;
    const sums = this.C / 8; // per lane Σ_(k≥3) w_k² (16 f64), then Σ_k w_k (16 f64), by quad
    for (let b = 0; b < this.blocks; b++) {
      const wt = this.WT + b * dPad * ITEM;
      for (let q = 0; q < 4; q++) x.statsQuad(wt + 16 * q, d, this.C + 64 * q);
      let spurious = 0;
      let signal = 0;
      let noise = 0;
      let align = 0;
      let finite = 0;
      const lanes = Math.min(LANES, n - b * LANES);
      for (let l = 0; l < lanes; l++) {
        const a = f32[this.A32 / 4 + b * LANES + l];
        const absA = Math.abs(a);
        const wOff = wt / 4 + l;
        const w0 = f32[wOff];
        const w1 = f32[wOff + LANES];
        const w2 = f32[wOff + 2 * LANES];
        const sumSq = f64[sums + 8 * (l >> 2) + (l & 3)];
        const sum = f64[sums + 8 * (l >> 2) + 4 + (l & 3)];
        spurious += absA * Math.abs(w2);
        signal += absA * Math.sqrt(w0 * w0 + w1 * w1);
        if (noiseCount > 0) noise += absA * Math.sqrt(sumSq / noiseCount);
        if (a * w2 > 0) align++;
        finite += a + f32[this.BIAS / 4 + b * LANES + l] + sum;
      }
      const off = (firstBlock + b) * BLOCK_STATS;
      stats[off + BlockStat.massSpurious] = spurious;
      stats[off + BlockStat.massSignal] = signal;
      stats[off + BlockStat.massNoise] = noise;
      stats[off + BlockStat.alignCount] = align;
      stats[off + BlockStat.finiteCheck] = finite;
    }
  }
}
