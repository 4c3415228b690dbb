// Counter-based random numbers: Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random
// numbers: as easy as 1, 2, 3", SC 2011). A draw is a pure function of (seed, stream, index), so any
// thread can produce any sample without sharing generator state — the basis of shard determinism.

/** Named streams: each consumer of randomness gets its own, so adding draws to one never shifts another. */
export const Stream = {
  initW: 1,
  initA: 2,
  trainBatch: 3,
  labelNoise: 4,
  testSet: 5,
  trainSet: 6,
  shuffle: 7,
  bootstrap: 8,
  permutation: 9,
} as const;

const KS_PARITY = 0x1bd11bda;

/** Output of the last `threefry2x32` call; reused so the hot path allocates nothing. */
export const threefryOut = new Uint32Array(2);

/**
 * Threefry-2x32-20 of counter (c0, c1) under key (k0, k1); writes two u32 to `threefryOut`.
 * Each round: x0 += x1; x1 = rotl(x1, R[round mod 8]) ^ x0, with R = 13 15 26 6 17 29 16 24; after
 * rounds 4s − 1 (s = 1 … 5) the key schedule adds (k[s mod 3], k[(s+1) mod 3] + s), k2 = parity ^ k0 ^ k1.
 * Written out in full: the rotation table and the schedule's branches made the loop slower (commit
 * eb548b3 has the measurement).
 */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): void {
  const k2 = KS_PARITY ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 1) | 0; // s = 1
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 2) | 0; // s = 2
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k0) | 0; x1 = (x1 + k1 + 3) | 0; // s = 3
  x0 = (x0 + x1) | 0; x1 = ((x1 << 17) | (x1 >>> 15)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 29) | (x1 >>> 3)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 16) | (x1 >>> 16)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 24) | (x1 >>> 8)) ^ x0;
  x0 = (x0 + k1) | 0; x1 = (x1 + k2 + 4) | 0; // s = 4
  x0 = (x0 + x1) | 0; x1 = ((x1 << 13) | (x1 >>> 19)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 15) | (x1 >>> 17)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 26) | (x1 >>> 6)) ^ x0;
  x0 = (x0 + x1) | 0; x1 = ((x1 << 6) | (x1 >>> 26)) ^ x0;
  x0 = (x0 + k2) | 0; x1 = (x1 + k0 + 5) | 0; // s = 5
  threefryOut[0] = x0;
  threefryOut[1] = x1;
}

const TWO_POW_32 = 4294967296;

/** Two u32 words for draw `index` of `stream` under `seed`; `index` may be any integer below 2^53. */
function randomWords(seed: number, stream: number, index: number): Uint32Array {
  threefry2x32(seed >>> 0, stream >>> 0, index >>> 0, Math.floor(index / TWO_POW_32) >>> 0);
  return threefryOut;
}

/** Uniform in [0, 1) with 53 random bits, for draw `index` of `stream`. */
export function uniform(seed: number, stream: number, index: number): number {
  const w = randomWords(seed, stream, index);
  return ((w[0] >>> 5) * 67108864 + (w[1] >>> 6)) / 9007199254740992;
}

/** Standard normal via Box–Muller on one draw: z = √(−2 ln u1) · cos(2π u2). */
export function normal(seed: number, stream: number, index: number): number {
  const w = randomWords(seed, stream, index);
  const u1 = ((w[0] >>> 0) + 1) / 4294967297; // in (0, 1): ln is finite
  const u2 = (w[1] >>> 0) / TWO_POW_32;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A sequential view of one stream, for code outside the step loop (bootstrap, shuffles):
 * `next()` is draw 0, 1, 2, … of (seed, stream), so it is still a pure function of its key.
 */
export class StreamRandom {
  private index = 0;
  constructor(
    private readonly seed: number,
    private readonly stream: number,
  ) {}
  /** Uniform in [0, 1). */
  next(): number {
    return uniform(this.seed, this.stream, this.index++);
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
