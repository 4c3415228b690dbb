// The spurious-XOR distribution of SPEC §2. Coordinates are 0-based:
//   y = x0·x1 (XOR),  x2 = s·spuriousScale with P(s = y) = (1 + λ)/2,  x3 … x_{d−1} uniform noise.
// Every sample is a pure function of (seed, stream, sample index), so any shard can write any row.
import { Stream, threefry2x32, threefryOut } from "./prng.js";
import { trainSetSize, type ModelParams } from "../config/modelKeys.js";

const TWO_POW_32 = 4294967296;

/** Threefry calls per sample: one per 64 coordinate bits, plus one for the spurious and noise coins. */
function callsPerSample(d: number): number {
  return Math.ceil(d / 64) + 1;
}

export interface SampleTarget {
  /** Row-major inputs, `d` floats per sample. */
  x: Float32Array;
  /** Labels ±1 (after label noise, for training rows). */
  y: Float32Array;
  /** Spurious sign s = ±1 of each row (x2 / spuriousScale). */
  s: Float32Array;
}

/**
 * Draws sample `index` of `stream` into row `row` of `target`.
 * `flipProb` is the label-noise probability (0 for the test set).
 */
export function drawSample(
  seed: number,
  stream: number,
  index: number,
  d: number,
  lambda: number,
  spuriousScale: number,
  flipProb: number,
  target: SampleTarget,
  row: number,
): void {
  const calls = callsPerSample(d);
  const base = index * calls;
  const x = target.x;
  const off = row * d;
  for (let c = 0; c < calls - 1; c++) {
    const counter = base + c;
    threefry2x32(seed, stream, counter >>> 0, Math.floor(counter / TWO_POW_32));
    const lo = threefryOut[0];
    const hi = threefryOut[1];
    const kEnd = Math.min(d, c * 64 + 64);
    for (let k = c * 64; k < kEnd; k++) {
      const bit = k - c * 64;
      const word = bit < 32 ? lo : hi;
      x[off + k] = (word >>> (bit & 31)) & 1 ? 1 : -1;
    }
  }
  const counter = base + calls - 1;
  threefry2x32(seed, stream, counter >>> 0, Math.floor(counter / TWO_POW_32));
  const y = x[off] * x[off + 1];
  const agree = threefryOut[0] / TWO_POW_32 < (1 + lambda) / 2;
  const s = agree ? y : -y;
  x[off + 2] = s * spuriousScale;
  const flipped = threefryOut[1] / TWO_POW_32 < flipProb;
  target.y[row] = flipped ? -y : y;
  target.s[row] = s;
}

/**
 * `drawSample` for the bit kernels: writes the row's bits (bit k ⇔ x_k > 0, `ceil(d/32)` words from
 * `bits[wordOff]`) straight from the generator words, with the same labels and spurious signs, so the
 * result equals `drawSample` followed by `packRows` without the ±1 floats in between.
 */
function drawSampleBits(
  seed: number,
  stream: number,
  index: number,
  d: number,
  lambda: number,
  flipProb: number,
  bits: Int32Array,
  wordOff: number,
  y: Float32Array,
  s: Float32Array,
  row: number,
): void {
  const calls = callsPerSample(d);
  const base = index * calls;
  const words = Math.ceil(d / 32);
  for (let c = 0; c < calls - 1; c++) {
    const counter = base + c;
    threefry2x32(seed, stream, counter >>> 0, Math.floor(counter / TWO_POW_32));
    bits[wordOff + 2 * c] = threefryOut[0];
    if (2 * c + 1 < words) bits[wordOff + 2 * c + 1] = threefryOut[1];
  }
  if ((d & 31) !== 0) bits[wordOff + words - 1] &= (1 << (d & 31)) - 1; // no bits past coordinate d − 1
  const counter = base + calls - 1;
  threefry2x32(seed, stream, counter >>> 0, Math.floor(counter / TWO_POW_32));
  const first = bits[wordOff];
  const label = (first & 1) === ((first >>> 1) & 1) ? 1 : -1; // y = x0·x1
  const agree = threefryOut[0] / TWO_POW_32 < (1 + lambda) / 2;
  const spurious = agree ? label : -label;
  bits[wordOff] = spurious > 0 ? first | 4 : first & ~4;
  const flipped = threefryOut[1] / TWO_POW_32 < flipProb;
  y[row] = flipped ? -label : label;
  s[row] = spurious;
}

/** Group (y, s) of test group g in the order (+1,+1), (−1,−1), (+1,−1), (−1,+1). */
const TEST_GROUP_Y = [1, -1, 1, -1] as const;
const TEST_GROUP_S = [1, -1, -1, 1] as const;

/**
 * Writes test sample `index` (group g = ⌊index / testPerGroup⌋, k = index mod testPerGroup) into
 * `row`: the group fixes y and s; x0 and the noise coordinates 3 … d−1 are those of sample k of the
 * test stream, x1 = y·x0. The four groups' sample k share x0 and the noise and differ only in x1 and
 * x2 (common random numbers): each group is still iid uniform, and the simd kernel sums a row's
 * noise once for the four (shardKernel.wat sumNoise and forwardSiblings).
 */
export function drawTestSample(p: ModelParams, index: number, target: SampleTarget, row: number): void {
  const group = Math.floor(index / p.testPerGroup);
  drawSample(p.seed, Stream.testSet, index % p.testPerGroup, p.d, 0, p.spuriousScale, 0, target, row);
  const y = TEST_GROUP_Y[group];
  const s = TEST_GROUP_S[group];
  const off = row * p.d;
  target.x[off + 1] = y * target.x[off];
  target.x[off + 2] = s * p.spuriousScale;
  target.y[row] = y;
  target.s[row] = s;
}

/** `drawTestSample` for the bit kernels: the row as bits from `bits[row · ⌈d/32⌉]`. */
export function drawTestSampleBits(p: ModelParams, index: number, bits: Int32Array, y: Float32Array, s: Float32Array, row: number): void {
  const group = Math.floor(index / p.testPerGroup);
  const off = row * Math.ceil(p.d / 32);
  drawSampleBits(p.seed, Stream.testSet, index % p.testPerGroup, p.d, 0, 0, bits, off, y, s, row);
  const label = TEST_GROUP_Y[group];
  const spurious = TEST_GROUP_S[group];
  let first = bits[off];
  // x1 = y·x0: bit 1 equals bit 0 when y = +1, its complement when y = −1
  const bit1 = label > 0 ? first & 1 : (first & 1) ^ 1;
  first = (first & ~2) | (bit1 << 1);
  bits[off] = spurious > 0 ? first | 4 : first & ~4;
  y[row] = label;
  s[row] = spurious;
}

/**
 * Writes into `perm` the seeded permutation of 0 … n−1 for `epoch` of a finite training set: the
 * training sequence is the concatenation of these permutations, one per epoch (see `drawTrainRow`).
 */
function fillEpochPermutation(seed: number, n: number, epoch: number, perm: Int32Array): void {
  for (let i = 0; i < n; i++) perm[i] = i;
  // Fisher–Yates with counter-based draws keyed by (epoch, position): the same on every shard.
  const base = epoch * n;
  for (let i = n - 1; i > 0; i--) {
    const counter = base + i;
    threefry2x32(seed, Stream.shuffle, counter >>> 0, Math.floor(counter / TWO_POW_32));
    const j = Math.floor((threefryOut[0] / TWO_POW_32) * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

/**
 * Draws row `row` of training batch `batchIndex` (0-based: update `batchIndex + 1`).
 * `perm`/`permEpoch` cache the epoch permutation for finite training sets (pass a length-0 array
 * for online training); returns the epoch now cached.
 */
export function drawTrainRow(
  p: ModelParams,
  batchIndex: number,
  row: number,
  target: SampleTarget,
  perm: Int32Array,
  permEpoch: number,
): number {
  const pos = batchIndex * p.batch + row;
  if (p.trainSize === null) {
    drawSample(p.seed, Stream.trainBatch, pos, p.d, p.lambda, p.spuriousScale, p.labelNoise, target, row);
    return permEpoch;
  }
  const epoch = trainEpochAt(p, pos, perm, permEpoch);
  drawTrainPoint(p, perm[pos - epoch * (trainSetSize(p) as number)], target, row);
  return epoch;
}

/**
 * Point `point` of the finite training set into `row`: sample `point` of the training stream, or,
 * with symmetrizeTrain, for point ≥ trainSize the mirror (−x, −y) of sample point − trainSize.
 */
export function drawTrainPoint(p: ModelParams, point: number, target: SampleTarget, row: number): void {
  const n = p.trainSize as number;
  const mirrored = point >= n;
  drawSample(p.seed, Stream.trainSet, mirrored ? point - n : point, p.d, p.lambda, p.spuriousScale, p.labelNoise, target, row);
  if (!mirrored) return;
  const off = row * p.d;
  for (let k = 0; k < p.d; k++) target.x[off + k] = -target.x[off + k];
  target.y[row] = -target.y[row];
  target.s[row] = -target.s[row];
}

/** `drawTrainRow` for the bit kernels: the row as bits from `bits[row · ⌈d/32⌉]`; labels into y, s. */
export function drawTrainRowBits(
  p: ModelParams,
  batchIndex: number,
  row: number,
  bits: Int32Array,
  y: Float32Array,
  s: Float32Array,
  perm: Int32Array,
  permEpoch: number,
): number {
  const pos = batchIndex * p.batch + row;
  const off = row * Math.ceil(p.d / 32);
  if (p.trainSize === null) {
    drawSampleBits(p.seed, Stream.trainBatch, pos, p.d, p.lambda, p.labelNoise, bits, off, y, s, row);
    return permEpoch;
  }
  const epoch = trainEpochAt(p, pos, perm, permEpoch);
  const point = perm[pos - epoch * (trainSetSize(p) as number)];
  const n = p.trainSize;
  const mirrored = point >= n;
  drawSampleBits(p.seed, Stream.trainSet, mirrored ? point - n : point, p.d, p.lambda, p.labelNoise, bits, off, y, s, row);
  if (mirrored) {
    // −x flips every coordinate's sign: complement the bits, none past coordinate d − 1
    const words = Math.ceil(p.d / 32);
    for (let w = 0; w < words; w++) bits[off + w] = ~bits[off + w];
    if ((p.d & 31) !== 0) bits[off + words - 1] &= (1 << (p.d & 31)) - 1;
    y[row] = -y[row];
    s[row] = -s[row];
  }
  return epoch;
}

/** The epoch of training position `pos`, refreshing `perm` when it is not the cached `permEpoch`. */
function trainEpochAt(p: ModelParams, pos: number, perm: Int32Array, permEpoch: number): number {
  const n = trainSetSize(p) as number;
  const epoch = Math.floor(pos / n);
  if (epoch !== permEpoch) fillEpochPermutation(p.seed, n, epoch, perm);
  return epoch;
}

/**
 * Rows of samples in both input formats a kernel may read: ±1 floats (`x`, d per row; empty when the
 * kernel reads bits) and bit-packed (`bits`, ⌈d/32⌉ words per row, bit k ⇔ x_k > 0), with labels.
 */
export interface SampleRows extends SampleTarget {
  bits: Int32Array;
}

/** Draws rows in one kernel's input format (float rows or bit-packed rows). */
export interface RowSampler {
  /** Rows [r0, r1) of training batch `batchIndex` (0-based: update `batchIndex + 1`). */
  drawTrainRows(batchIndex: number, r0: number, r1: number, into: SampleRows): void;
  /** Test samples [i0, i1) into the same rows. */
  drawTestRows(i0: number, i1: number, into: SampleRows): void;
}

/** Samples as ±1 float rows, for the f32 kernel. */
export class FloatRowSampler implements RowSampler {
  private readonly perm: Int32Array;
  private permEpoch = -1;
  constructor(private readonly p: ModelParams) {
    this.perm = new Int32Array(trainSetSize(p) ?? 0);
  }
  drawTrainRows(batchIndex: number, r0: number, r1: number, into: SampleRows): void {
    for (let row = r0; row < r1; row++) this.permEpoch = drawTrainRow(this.p, batchIndex, row, into, this.perm, this.permEpoch);
  }
  drawTestRows(i0: number, i1: number, into: SampleRows): void {
    for (let i = i0; i < i1; i++) drawTestSample(this.p, i, into, i);
  }
}

/** Samples as bit-packed rows, for the ±1 kernels (bits, simd). */
export class BitRowSampler implements RowSampler {
  private readonly perm: Int32Array;
  private permEpoch = -1;
  constructor(protected readonly p: ModelParams) {
    this.perm = new Int32Array(trainSetSize(p) ?? 0);
  }
  drawTrainRows(batchIndex: number, r0: number, r1: number, into: SampleRows): void {
    for (let row = r0; row < r1; row++) {
      this.permEpoch = drawTrainRowBits(this.p, batchIndex, row, into.bits, into.y, into.s, this.perm, this.permEpoch);
    }
  }
  drawTestRows(i0: number, i1: number, into: SampleRows): void {
    for (let i = i0; i < i1; i++) drawTestSampleBits(this.p, i, into.bits, into.y, into.s, i);
  }
}

