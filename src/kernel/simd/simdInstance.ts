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
// - θ ← θ − lr·(∂L/∂θ + weightDecay·θ) evaluated in f64 and rounded to f32, as in step.ts (applySgd);
//   the first layer's in f32 where that is provably the same value (lr a power of two, no weight
//   decay, no gradient below 2^−126/lr: shardKernel.wat gradUpdateBlock).
import type { StepModel } from "../step.js";
import type { WeightRows } from "../shardKernel.js";
import { neuronPair, writeDrift, Z_RANGE_FIELDS } from "../marginBounds.js";
import { simdBlockStats } from "./simdStats.js";
import { instantiateSimd, type BoundsExports, type KernelExports } from "./simdModules.js";
import { BACKWARD_CHUNK_WORDS, FORWARD_CHUNK_WORDS, ITEM, LANES, simdMemoryLayout, usesWideBackward, usesWideTables, type SimdLayout } from "./simdLayout.js";

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
  /** Byte offsets of the regions of the instance's memory (simdLayout.ts). */
  private readonly at: SimdLayout;
  private readonly bounds: BoundsExports;
  private j0 = 0;
  private j1 = 0;
  private blocks = 0;
  private readonly pair = neuronPair();
  /** No weight decay and lr = 2^e, −60 ≤ e ≤ 0: gradUpdateBlock may update in f32 (see there). */
  private readonly f32Update: boolean;
  private trainRows = -1; // rows of the last training forward (the batch `update` differentiates)
  /** The rows of setTestRows; siblingKeys: the keys of its sibling tables, −1 when it has none (mapSiblings). */
  private testSet = { rows: -1, siblings: 1, siblingKeys: -1 };
  /** The first-layer weights are those of the last `update`, whose finite checks are at WCHECK. */
  private updated = false;

  constructor(m: StepModel, neuronCount: number, batch: number, testRows: number, certified = false) {
    const d = m.d;
    if (!(d >= 3 && neuronCount >= 0 && batch >= 1 && testRows >= 0)) {
      throw new RangeError(`SimdInstance: bad sizes d=${d}, neurons=${neuronCount}, batch=${batch}, testRows=${testRows}`);
    }
    this.model = m;
    const e = Math.round(Math.log2(m.lr));
    this.f32Update = m.weightDecay === 0 && m.lr === 2 ** e && e >= -60 && e <= 0;
    this.d = d;
    this.neuronCount = neuronCount;
    this.batch = batch;
    this.testRows = testRows;
    const nb = Math.ceil(neuronCount / LANES);
    this.maxBlocks = nb;
    this.words = Math.ceil(d / 32);
    this.dPad = this.words * 32;
    this.batchPad = Math.ceil(batch / 32) * 32;
    this.at = simdMemoryLayout(d, neuronCount, batch, testRows, certified);
    const { kernel, bounds, buffer } = instantiateSimd(this.at.bytes);
    this.x = kernel;
    this.bounds = bounds;
    // the memory never grows, so these views stay valid
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /** Copies neurons [j0, j1) of the row-major `source` (W: (j − first)·d + k) in; j0 must be block-aligned. */
  loadWeights(source: WeightRows, j0: number, j1: number): void {
    const n = j1 - j0;
    if (j0 % LANES !== 0 || n < 0 || n > this.neuronCount) {
      throw new RangeError(`SimdInstance.loadWeights: neurons [${j0}, ${j1}) (block-aligned start, at most ${this.neuronCount})`);
    }
    const { W, A, B, first } = source;
    this.updated = false;
    this.j0 = j0;
    this.j1 = j1;
    this.blocks = Math.ceil(n / LANES);
    const { f32, f64, d, dPad } = this;
    f32.fill(0, this.at.WT / 4, this.at.WT / 4 + this.maxBlocks * dPad * LANES);
    f32.fill(0, this.at.BIAS / 4, this.at.BIAS / 4 + this.maxBlocks * LANES);
    f32.fill(0, this.at.A32 / 4, this.at.A32 / 4 + this.maxBlocks * LANES);
    f64.fill(0, this.at.A64 / 8, this.at.A64 / 8 + this.maxBlocks * LANES);
    for (let j = j0; j < j1; j++) {
      const b = (j - j0) >> 4;
      const lane = (j - j0) & 15;
      const wOff = this.at.WT / 4 + b * dPad * LANES + lane;
      const r = j - first;
      for (let k = 0; k < d; k++) f32[wOff + k * LANES] = W[r * d + k];
      f32[this.at.A32 / 4 + b * LANES + lane] = A[r];
      f64[this.at.A64 / 8 + b * LANES + lane] = A[r];
      f32[this.at.BIAS / 4 + b * LANES + lane] = B[r];
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
      const wOff = this.at.WT / 4 + b * dPad * LANES + lane;
      const r = j - first;
      for (let k = 0; k < d; k++) W[r * d + k] = f32[wOff + k * LANES];
      A[r] = f32[this.at.A32 / 4 + b * LANES + lane];
      B[r] = f32[this.at.BIAS / 4 + b * LANES + lane];
    }
  }

  /**
   * Forward pass of the loaded neurons on `nRows` ≤ batch packed rows (bitKernel.ts `packRows`
   * layout): P[(firstBlock + b)·nRows + i] = Σ_{j ∈ block b, ascending} a_j σ(z_ij),
   * σ(z) = z > 0 ? z : slope·z, z kept per block. 4-bit tables: the rows' table offsets are taken
   * once (nibbleOffsets), then each block goes over the rows one chunk of words at a time
   * (forwardBlock4). `train`: this is the training batch, which `update` then differentiates.
   * (The test set takes `forwardTest`.)
   */
  forward(rowBits: Int32Array, nRows: number, P: Float64Array, firstBlock: number, train: boolean): void {
    const { x, words } = this;
    const { spuriousScale, slope } = this.model;
    if (nRows > this.batch) throw new RangeError(`SimdInstance.forward: ${nRows} rows > capacity ${this.batch}`);
    const rows = this.at.TRAIN_ROWS;
    this.i32.set(rowBits.subarray(0, nRows * words), rows / 4);
    // rows past the batch are zero bits, so the transpose gives zero columns there
    this.i32.fill(0, rows / 4 + nRows * words, rows / 4 + this.batchPad * words);
    this.trainRows = train ? nRows : -1;
    const wtStride = this.dPad * ITEM;
    const wide = usesWideTables(nRows, this.d);
    if (!wide) x.nibbleOffsets(rows, nRows, words, FORWARD_CHUNK_WORDS, this.at.TAB, this.at.NIB);
    for (let b = 0; b < this.blocks; b++) {
      const zOut = this.at.Z + b * this.batch * ITEM;
      if (wide) {
        x.buildTables8(this.at.WT + b * wtStride, this.at.TAB, this.dPad / 8, this.at.BIAS + b * ITEM, spuriousScale);
        x.forwardBlock8(rows, nRows, words, this.at.TAB, zOut);
      } else {
        // group 0 alone has the bias and the spurious scale, so later chunks' tables get neither
        for (let w0 = 0; w0 < words; w0 += FORWARD_CHUNK_WORDS) {
          const w1 = Math.min(words, w0 + FORWARD_CHUNK_WORDS);
          const first = w0 === 0;
          x.buildTables4(this.at.WT + b * wtStride + w0 * 32 * ITEM, this.at.TAB, (w1 - w0) * 8, first ? this.at.BIAS + b * ITEM : 0, first ? spuriousScale : 1);
          x.forwardBlock4(this.at.NIB + w0 * nRows * 16, nRows, w1 - w0, w1 - w0, zOut, first ? 0 : 1);
        }
      }
      x.partialOutputs(zOut, nRows, this.at.A64 + b * LANES * 8, slope, this.at.POUT + b * nRows * 8);
    }
    const out = this.at.POUT / 8;
    P.set(this.f64.subarray(out, out + this.blocks * nRows), firstBlock * nRows);
  }

  /**
   * Keeps `nRows` packed test rows (bitKernel.ts `packRows` layout) for `forwardTest`: `siblings` runs
   * of nRows / siblings rows whose row k shares everything but coordinates 1 and 2 (the test set's
   * groups, kernel/sampler.ts), so that each row's noise is summed once per k (shardKernel.wat
   * forwardSiblings). The test set is the same at every evaluation, so it is laid out once.
   */
  setTestRows(rowBits: Int32Array, nRows: number, siblings: number): void {
    if (nRows > this.testRows || nRows % siblings !== 0 || (siblings !== 1 && siblings % 4 !== 0)) {
      throw new RangeError(`SimdInstance.setTestRows: ${nRows} rows in ${siblings} runs (at most ${this.testRows} rows; 1 run or a multiple of 4)`);
    }
    this.layOutRows(rowBits, nRows, nRows / siblings, this.at.TEST_ROWS);
    this.testSet = { rows: nRows, siblings, siblingKeys: siblings === 4 ? this.mapSiblings(rowBits, nRows / 4) : -1 };
  }

  /**
   * The map of shardKernel.wat siblingTables: for each byte 0 (coordinates 0 … 7) of a first
   * sibling k < nK, the table-entry offsets (byte·64) of its four siblings' bytes 0, and the list of
   * those keys. Returns how many keys there are, or −1 when some key has two different sets of
   * siblings (rows that are not the test set's four groups), and the test pass then goes row by row.
   */
  private mapSiblings(rowBits: Int32Array, nK: number): number {
    const { i32, words } = this;
    const map = this.at.SIB_MAP / 4;
    const used = this.at.SIB_USED / 4;
    i32.fill(-1, map, map + 256 * 4);
    let keys = 0;
    for (let k = 0; k < nK; k++) {
      const key = rowBits[k * words] & 255;
      if (i32[map + 4 * key] === -1) i32[used + keys++] = key;
      for (let g = 0; g < 4; g++) {
        const entry = (rowBits[(g * nK + k) * words] & 255) << 6;
        const known = i32[map + 4 * key + g];
        if (known !== -1 && known !== entry) return -1;
        i32[map + 4 * key + g] = entry;
      }
    }
    return keys;
  }

  /**
   * Forward pass of the loaded neurons on the rows of `setTestRows`: P as `forward`.
   * `zRange`: keep the rows' z and their ranges per group.
   */
  forwardTest(P: Float64Array, firstBlock: number, zRange: Float64Array | null = null): void {
    const { rows, siblings, siblingKeys } = this.testSet;
    if (rows < 0) throw new Error("SimdInstance.forwardTest before setTestRows");
    this.forwardLaidOut(this.at.TEST_ROWS, rows, siblings, P, firstBlock, zRange, siblingKeys);
  }

  /**
   * Forward pass of the loaded neurons on `nRows` packed rows of the test set (any of them, each
   * with its own noise sum): P[(firstBlock + b)·nRows + i], bitwise the outputs the rows have in
   * `forwardTest`. Its rows have their own region, so the test set stays laid out.
   */
  forwardRows(rowBits: Int32Array, nRows: number, P: Float64Array, firstBlock: number): void {
    if (nRows > this.testRows || this.at.SUBSET_ROWS === 0) {
      throw new RangeError(`SimdInstance.forwardRows: ${nRows} rows (at most ${this.testRows}, on an instance built for the certified search)`);
    }
    this.layOutRows(rowBits, nRows, nRows, this.at.SUBSET_ROWS);
    this.forwardLaidOut(this.at.SUBSET_ROWS, nRows, 1, P, firstBlock, null, -1);
  }

  /**
   * Copies nRows packed rows to `at` for forwardLaidOut, which reads word 0 of every row and the
   * other words of the first nK rows only. They are laid out word-major — word 0 of rows
   * 0 … nRows−1, then word w of rows 0 … nK−1 for w = 1, 2, … — so that a pass of sumNoise over
   * one word reads consecutive i32s, not one cache line per row.
   */
  private layOutRows(rowBits: Int32Array, nRows: number, nK: number, at: number): void {
    const { i32, words } = this;
    for (let r = 0; r < nRows; r++) i32[at / 4 + r] = rowBits[r * words];
    for (let w = 1; w < words; w++) {
      const to = at / 4 + nRows + (w - 1) * nK;
      for (let k = 0; k < nK; k++) i32[to + k] = rowBits[k * words + w];
    }
  }

  /**
   * The forward pass of nRows rows laid out at `firstWords` in `siblings` runs (layOutRows); with
   * siblingKeys ≥ 0 (4 runs whose sibling map is at SIB_MAP) unit by unit (forwardSiblingsByUnit),
   * bitwise the same outputs with fewer lane shuffles, and the z it keeps laid out by unit.
   */
  private forwardLaidOut(
    firstWords: number,
    nRows: number,
    siblings: number,
    P: Float64Array,
    firstBlock: number,
    zRange: Float64Array | null,
    siblingKeys: number,
  ): void {
    const { x, words } = this;
    const { spuriousScale, slope } = this.model;
    const nK = nRows / siblings;
    const wtStride = this.dPad * ITEM;
    for (let b = 0; b < this.blocks; b++) {
      // the noise sums of rows k < nK, and word 0's tables at TAB for siblingTables or forwardSiblings
      x.noiseSums(this.at.WT + b * wtStride, this.at.TAB, this.at.BIAS + b * ITEM, spuriousScale, firstWords, nRows, nK, words, this.at.SUMS);
      const a64 = this.at.A64 + b * LANES * 8;
      const pOut = this.at.POUT + b * nRows * 8;
      const zOut = zRange !== null ? this.at.ZTEST + b * nRows * ITEM : 0;
      if (siblingKeys >= 0) {
        x.siblingTables(this.at.TAB, this.at.SIB_MAP, this.at.SIB_USED, siblingKeys, this.at.SIB_TAB);
        x.forwardSiblingsByUnit(firstWords, nK, this.at.SIB_TAB, this.at.SUMS, a64, slope, zOut, this.at.ZSCRATCH, pOut);
      } else {
        x.forwardSiblings(firstWords, nK, siblings, 1, this.at.TAB, this.at.SUMS, a64, slope, zOut, pOut);
      }
      if (zRange !== null) this.keepZRanges(b, nRows / 4, zRange, siblingKeys >= 0);
    }
    const out = this.at.POUT / 8;
    P.set(this.f64.subarray(out, out + this.blocks * nRows), firstBlock * nRows);
  }

  /** The z ranges of block b's lanes over the 4 groups of `perGroup` rows just forwarded into ZTEST (by row or by unit). */
  private keepZRanges(b: number, perGroup: number, zRange: Float64Array, byUnit: boolean): void {
    const z = this.at.ZTEST + b * 4 * perGroup * ITEM;
    if (byUnit) this.bounds.zRangeByUnit(z, perGroup, this.at.RANGES);
    else this.bounds.zRangeBlock(z, perGroup, this.at.RANGES);
    const lanes = Math.min(LANES, this.j1 - this.j0 - b * LANES);
    const r = this.at.RANGES / 4;
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
    // the z at ZTEST are the test set's, kept by forwardTest: by unit wherever it has sibling tables
    const byUnit = this.testSet.siblingKeys >= 0;
    for (let b = 0; b < this.blocks; b++) {
      const z = this.at.ZTEST + b * n * ITEM;
      const pOut = this.at.POUT + b * n * 8;
      if (byUnit) this.bounds.secondLayerByUnit(z, n / 4, this.at.A32 + b * ITEM, this.model.slope, pOut);
      else this.bounds.secondLayerBlock(z, n, this.at.A32 + b * ITEM, this.model.slope, pOut);
    }
    const out = this.at.POUT / 8;
    P.set(this.f64.subarray(out, out + this.blocks * n), firstBlock * n);
  }

  /** Keeps the loaded weights (WT, BIAS, A32) as the reference step of `drift`. */
  keepReference(): void {
    this.f32.copyWithin(this.at.REF / 4, this.at.WT / 4, this.at.A64 / 4);
  }

  /** The drift records (kernel/marginBounds.ts) of the loaded neurons since `keepReference`. */
  drift(out: Float64Array): void {
    const { f32, d, dPad } = this;
    const scale = this.model.spuriousScale;
    const pair = this.pair;
    const wtStride = dPad * ITEM;
    const refShift = (this.at.REF - this.at.WT) / 4;
    const dr = this.at.DRIFT / 4;
    for (let b = 0; b < this.blocks; b++) {
      this.bounds.driftBlock(this.at.WT + b * wtStride, this.at.REF + b * wtStride, d, this.at.DRIFT);
      const lanes = Math.min(LANES, this.j1 - this.j0 - b * LANES);
      for (let l = 0; l < lanes; l++) {
        const w = (this.at.WT + b * wtStride) / 4 + l;
        const a = this.at.A32 / 4 + b * LANES + l;
        const bias = this.at.BIAS / 4 + b * LANES + l;
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
   * SGD update of the loaded neurons from the last training `forward` (same nRows) and the output
   * gradients G (G[i] = ∂ mean loss / ∂f(x_i)), as `updateNeurons` in f32/f32Step.ts. `columns`:
   * the batch in bitKernel.ts `packColumns` layout, or null to transpose the forward's rows here.
   */
  update(columns: Int32Array | null, nRows: number, G: Float64Array): void {
    if (nRows !== this.trainRows) throw new Error(`SimdInstance.update: ${nRows} rows, but the last training forward had ${this.trainRows}`);
    const { x, f64, d } = this;
    const { lr, weightDecay, trainBias, spuriousScale, slope } = this.model;
    const sampleWords = Math.ceil(nRows / 32);
    const nRowsPad = sampleWords * 32;
    if (columns !== null) this.i32.set(columns.subarray(0, sampleWords * d), this.at.COLS / 4);
    else x.transpose(this.at.TRAIN_ROWS, nRowsPad, this.words, d, this.at.COLS, this.at.TSCRATCH);
    f64.set(G.subarray(0, nRows), this.at.G / 8);
    const wtStride = this.dPad * ITEM;
    const n = this.j1 - this.j0;
    const wide = usesWideBackward(d, this.batch);
    for (let b = 0; b < this.blocks; b++) {
      const a32 = this.at.A32 + b * ITEM;
      x.coefBlock(this.at.Z + b * this.batch * ITEM, this.at.G, nRows, nRowsPad, a32, slope, this.at.C, this.at.GRAD);
      if (wide) {
        x.buildTables8(this.at.C, this.at.TAB, nRowsPad / 8, 0, 1);
        x.gradSums8(this.at.COLS, d, sampleWords, this.at.TAB, this.at.GRAD_SUMS);
      } else {
        x.buildTables4(this.at.C, this.at.TAB, nRowsPad / 4, 0, 1);
        x.gradSums4(this.at.COLS, d, sampleWords, BACKWARD_CHUNK_WORDS, this.at.TAB, this.at.GRAD_SUMS);
      }
      x.gradUpdateBlock(this.at.GRAD_SUMS, d, this.at.WT + b * wtStride, lr, weightDecay, spuriousScale, this.f32Update ? 1 : 0, this.at.WCHECK + 4 * b);
      const lanes = Math.min(LANES, n - b * LANES);
      x.outputUpdateBlock(a32, this.at.A64 + b * LANES * 8, this.at.BIAS + b * ITEM, this.at.GRAD, lanes, lr, weightDecay, trainBias ? 1 : 0);
    }
    this.updated = true;
  }

  /**
   * The block statistics of metrics.ts `blockStats` for the loaded neurons, read in place and
   * bitwise identical to it: stats[(firstBlock + b)·BLOCK_STATS + field]; massNoise only `withNoise`.
   */
  blockStats(stats: Float64Array, firstBlock: number, withNoise = true): void {
    simdBlockStats(this.x, this.f64, this.at, this.d, this.j1 - this.j0, stats, firstBlock, withNoise, this.updated ? this.at.WCHECK : 0);
  }
}
