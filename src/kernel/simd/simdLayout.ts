// Where a SIMD shard kernel keeps what in its WebAssembly memory: the regions and their sizes, and
// the choices of table width and chunk size that the sizes depend on.
import { BLOCK_SIZE } from "../step.js";

export const LANES = BLOCK_SIZE; // 16 neurons per block, 4 quads of f32x4
export const ITEM = 4 * LANES; // bytes of one 16-lane f32 item
const TABLE4_BYTES_PER_WORD = 8 * 16 * ITEM; // 8 groups of 4 bits, 16 entries each
const TABLE8_BYTES_PER_WORD = 4 * 256 * ITEM; // 4 groups of 8 bits, 256 entries each (shardKernel.wat noiseSums has it as 65536)

/**
 * Whether a forward pass (`SimdInstance.forward`) of `nRows` rows of dimension d uses 8-bit tables
 * (half the lookups of the 4-bit ones, for 16× the table and 8× its build): long passes (a training
 * batch of 1024 rows or more; the test set takes forwardTest) while the block's table, dPad·2 KiB,
 * fits in L2. Short passes lose (the table's build
 * outweighs the saved lookups), and so does a table beyond L2; the thresholds come from timing both
 * on one core at several d and row counts (commit 2b048af has the timings).
 */
export function usesWideTables(nRows: number, d: number): boolean {
  const dPad = Math.ceil(d / 32) * 32;
  return nRows >= 1024 && dPad <= 512 && nRows * dPad >= 131072;
}

/**
 * Whether the SGD update of a batch at dimension d reads 8-bit tables of the coefficients (one
 * lookup per 8 samples of a coordinate) instead of 4-bit ones: per block d·batch/8 lookups and
 * 32·batch table entries against d·batch/4 and 4·batch. The threshold is part of the results (the
 * two widths add the same numbers in different groupings). When it was set the 8-bit tables paid
 * only from d = 2048 on (bench/kernel-ab.mjs at d = 512 … 8192, batch 64 and 256; commit
 * message); since gradSums8 reads them one sample word at a time they pay from d = 512 on
 * (the threshold at 512, bench/kernel-ab.mjs against 25d3d8b: 1024,1024,256 1.13×, 1024,128,64
 * 1.07×, 512,512,256 1.02× the steps/s), but moving it would change every run at
 * 512 ≤ d < 2048, so it waits for a RESULTS_VERSION bump.
 */
export function usesWideBackward(d: number, batch: number): boolean {
  return d >= 2048 && batch >= 8;
}

/**
 * Words of a row whose 4-bit tables (8 KiB a word) `forward` builds and reads at a time: 24 KiB, so
 * that they, the rows' z and the chunk's table offsets stay in the L1 cache while every row of the
 * pass reads them (the whole row's tables at once spill to L2 from d = 256 on, and to L3 at
 * d = 8192). 3 measured 2–3% faster than 2 or 4 and more than 5 … 8 at d = 256 … 8192 (commit
 * message). At most 8 (nibbleOffsets' u16 offsets).
 */
export const FORWARD_CHUNK_WORDS = 3;

/**
 * Sample words (32 samples each) of a batch whose 4-bit coefficient tables (8 KiB a word) the SGD
 * update reads at a time over every coordinate (shardKernel.wat gradSums4): larger batches go chunk
 * by chunk, their partial sums in memory, so the tables read for a coordinate stay in L1. 2, 3, 4
 * and 6 timed alike at batch 256 … 1024, 1 slower (commit 3be6e5f).
 */
export const BACKWARD_CHUNK_WORDS = 4;

function align64(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/**
 * Byte offsets of a shard kernel's regions in its WebAssembly memory, and the memory's size: what
 * the constructor allocates, and what config feasibility checks against the 4 GiB a WebAssembly
 * memory can have. Bytes 0 … 63 stay zero (the "no bias" item the kernel reads at address 0).
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
  const GRAD = 64; // ∂L/∂a (16 f32) then ∂L/∂b (16 f32)
  const TSCRATCH = 256; // 32 × v128 for the bit transpose
  // 768 … 1023: four rows' z for shardKernel.wat siblingQuad when the test pass keeps none (the
  // address is written there)
  const tableWords = Math.max(words, batchPad / 32);
  // the tables come first, at 1024: the training forward's table offsets (nibbleOffsets) are the
  // entries' addresses in a u16. The test-set pass (SimdInstance.forwardTest) keeps word 0's 8-bit
  // tables and one other word's.
  const TAB = take(
    Math.max(
      tableWords * TABLE4_BYTES_PER_WORD,
      usesWideTables(forwardRows, d) ? words * TABLE8_BYTES_PER_WORD : 0,
      usesWideBackward(d, batch) ? (batchPad / 32) * TABLE8_BYTES_PER_WORD : 0,
      testRows > 0 ? Math.min(words, 2) * TABLE8_BYTES_PER_WORD : 0,
    ),
  );
  if (TAB + FORWARD_CHUNK_WORDS * TABLE4_BYTES_PER_WORD > 65536) throw new Error("simdMemoryLayout: a forward chunk's tables must end below 64 KiB");
  const WT = take(nb * dPad * ITEM); // per block: dPad items (coordinate-major weights)
  const BIAS = take(nb * ITEM); // per block: 1 item
  const A32 = take(nb * ITEM); // per block: 1 item
  const A64 = take(nb * LANES * 8); // per block: 16 f64
  const WCHECK = take(nb * 4); // per block: the finite check of its first-layer weights after an update (f32)
  const TRAIN_ROWS = take(batchPad * words * 4 + 64); // +64: the transpose reads 4 words at a time
  const NIB = take(batchPad * words * 16); // per row word: its 8 table offsets (shardKernel.wat nibbleOffsets)
  const TEST_ROWS = take(forwardRows * words * 4 + 64);
  // the certified search's subsets of the test rows (SimdInstance.forwardRows), apart from the test set
  const SUBSET_ROWS = certified ? take(testRows * words * 4 + 64) : 0;
  const COLS = take((batchPad / 32) * d * 4);
  // a block's first-layer gradients (shardKernel.wat gradSums4, gradSums8): per coordinate 1 item
  const GRAD_SUMS = take(dPad * ITEM);
  const Z = take(nb * batch * ITEM); // per block: batch items
  const C = take(batchPad * ITEM); // batchPad items
  const G = take(batchPad * 8); // batchPad f64
  const POUT = take(nb * forwardRows * 8); // per block: nRows f64
  const SUMS = take(testRows * ITEM); // per test row: its noise sum (sumNoise)
  // the test set's sibling tables (shardKernel.wat siblingTables): per key (byte 0 of a sample's
  // first sibling) its siblings' 4 group-0 entry offsets (i32), the keys in use, and the transposed
  // entries, 256 bytes a key
  const SIB_MAP = take(testRows > 0 ? 256 * 16 : 0);
  const SIB_USED = take(testRows > 0 ? 256 * 4 : 0);
  const SIB_TAB = take(testRows > 0 ? 256 * 256 : 0);
  const ZSCRATCH = take(testRows > 0 ? 512 : 0); // where forwardSiblingsByUnit writes z it does not keep
  // the certified event search (eventSearch "exact" only): a copy of WT, BIAS and A32 (contiguous)
  // at the reference step of `drift`, the test rows' z at that step (per block: testRows items),
  // and the outputs of marginBounds.wat: per test group a min and a max item, and 3 drift items
  // (noise move, noise norm now, at the reference)
  const REF = take(certified ? A64 - WT : 0);
  const ZTEST = take(certified ? nb * testRows * ITEM : 0);
  const RANGES = take(certified ? 8 * ITEM : 0);
  const DRIFT = take(certified ? 3 * ITEM : 0);
  return { GRAD, TSCRATCH, WT, BIAS, A32, A64, WCHECK, TAB, TRAIN_ROWS, NIB, TEST_ROWS, SUBSET_ROWS, COLS, GRAD_SUMS, Z, C, G, POUT, SUMS, SIB_MAP, SIB_USED, SIB_TAB, ZSCRATCH, REF, ZTEST, RANGES, DRIFT, bytes: at };
}

export type SimdLayout = ReturnType<typeof simdMemoryLayout>;
