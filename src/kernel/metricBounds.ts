// Bounds on every test-set metric at a step t from the exact margins of a reference step t0 and the
// bounds [lo_g, hi_g] on how far y·f moved in each test group since (kernel/marginBounds.ts). Every
// test-set metric is a function of the groups' correct counts and margin sums, monotone in each:
// a point is surely correct at t when m⁰ + lo_g > 0, surely wrong when m⁰ + hi_g ≤ 0, so both
// counts are counts of the margins of t0 above a threshold (MarginTable); a margin sum moves by at most
// perGroup·[lo_g, hi_g]. Evaluating the metrics' own formulas at the corners gives their bounds.
import type { Comparison } from "./events.js";
import { holds } from "./events.js";
import { GROUPS } from "./marginBounds.js";
import type { Metrics } from "./metricNames.js";
import { accuracyMetrics } from "./metrics.js";

/**
 * Counting a group's margins above a threshold from scratch costs perGroup comparisons (about
 * 1.3 µs for 1024, their branches unpredictable); bucketing the four groups costs about as much as
 * a dozen such counts, and a count then reads one bucket. A reference that a refresh replaces at the
 * next step is never bucketed; one that lasts is, after this many counts.
 */
const COUNTS_BEFORE_BUCKETS = 16;
/** Buckets per group: about 4 margins each for 1024 margins spread evenly. */
const BUCKETS = 256;

/**
 * The margins y·f(x) of the test set at the reference step, per group, put in buckets by value once
 * they are asked often: bucket b of group g holds the margins m with bucketOf(m) = b, where
 *   bucketOf(m) = min(BUCKETS − 1, ⌊(m − min_g) / width_g⌋),   width_g = (max_g − min_g) / BUCKETS,
 * which never decreases as m grows (each rounded step is monotone), so every margin in a bucket
 * above bucketOf(x) exceeds x and none below does: a count is the margins above x's bucket plus a
 * scan of that one bucket. (A full sort of 4 × 1024 float64 takes about 200 µs here, the
 * comparisons unpredictable; bucketing is two passes.)
 */
export class MarginTable {
  readonly perGroup: number;
  private readonly margins: Float64Array;
  /** The margins bucket by bucket (per group, its non-NaN margins from g·perGroup on). */
  private readonly bucketed: Float64Array;
  /** Per group, BUCKETS + 1 offsets into `bucketed`: bucket b is [start[b], start[b + 1]). */
  private readonly bucketStart: Int32Array;
  private readonly low = new Float64Array(GROUPS);
  private readonly width = new Float64Array(GROUPS);
  /** Per group: whether its margins are bucketed (all finite, or NaN, and not all equal), else counted. */
  private readonly inBuckets = new Uint8Array(GROUPS);
  private bucketsBuilt = false;
  private counts = 0;
  private readonly sums = new Float64Array(GROUPS);
  private readonly absSums = new Float64Array(GROUPS);

  constructor(perGroup: number) {
    this.perGroup = perGroup;
    this.margins = new Float64Array(GROUPS * perGroup);
    this.bucketed = new Float64Array(GROUPS * perGroup);
    this.bucketStart = new Int32Array(GROUPS * (BUCKETS + 1));
  }

  /** Takes the test outputs F and labels Y of the reference step (groups of perGroup rows). */
  set(F: Float64Array, Y: Float32Array): void {
    const P = this.perGroup;
    for (let g = 0; g < GROUPS; g++) {
      let sum = 0;
      let absSum = 0;
      for (let i = g * P; i < (g + 1) * P; i++) {
        const m = Y[i] * F[i];
        this.margins[i] = m;
        sum += m;
        absSum += Math.abs(m);
      }
      this.sums[g] = sum;
      this.absSums[g] = absSum;
    }
    this.bucketsBuilt = false;
    this.counts = 0;
  }

  /** How many margins of group g exceed x (a NaN margin, of a diverging run, exceeds nothing). */
  countAbove(g: number, x: number): number {
    if (!this.bucketsBuilt && ++this.counts > COUNTS_BEFORE_BUCKETS) this.buildBuckets();
    const P = this.perGroup;
    if (!this.bucketsBuilt || this.inBuckets[g] === 0) {
      const margins = this.margins;
      let count = 0;
      for (let i = g * P; i < (g + 1) * P; i++) if (margins[i] > x) count++;
      return count;
    }
    const starts = g * (BUCKETS + 1);
    const end = this.bucketStart[starts + BUCKETS];
    if (!(x >= this.low[g])) return x < this.low[g] ? end - g * P : 0; // below every margin, or NaN
    const b = this.bucketOf(g, x);
    let count = end - this.bucketStart[starts + b + 1];
    for (let i = this.bucketStart[starts + b]; i < this.bucketStart[starts + b + 1]; i++) if (this.bucketed[i] > x) count++;
    return count;
  }

  private bucketOf(g: number, m: number): number {
    return Math.min(BUCKETS - 1, Math.floor((m - this.low[g]) / this.width[g]));
  }

  /** Puts each group's margins in buckets (a counting sort by bucketOf), where they are all finite or NaN and not all equal. */
  private buildBuckets(): void {
    const P = this.perGroup;
    const { margins, bucketed, bucketStart } = this;
    for (let g = 0; g < GROUPS; g++) {
      let low = Infinity;
      let high = -Infinity;
      for (let i = g * P; i < (g + 1) * P; i++) {
        const m = margins[i];
        if (m < low) low = m;
        if (m > high) high = m;
      }
      const width = (high - low) / BUCKETS;
      this.inBuckets[g] = Number.isFinite(low) && Number.isFinite(high) && width > 0 && Number.isFinite(width) ? 1 : 0;
      if (this.inBuckets[g] === 0) continue;
      this.low[g] = low;
      this.width[g] = width;
      const starts = g * (BUCKETS + 1);
      bucketStart.fill(0, starts, starts + BUCKETS + 1);
      for (let i = g * P; i < (g + 1) * P; i++) if (!Number.isNaN(margins[i])) bucketStart[starts + this.bucketOf(g, margins[i]) + 1]++;
      bucketStart[starts] = g * P;
      for (let b = 0; b < BUCKETS; b++) bucketStart[starts + b + 1] += bucketStart[starts + b];
      // scatter, each bucket filled from its start (bucketStart[b] moves to the end of bucket b and back)
      for (let i = g * P; i < (g + 1) * P; i++) {
        const m = margins[i];
        if (Number.isNaN(m)) continue;
        bucketed[bucketStart[starts + this.bucketOf(g, m)]++] = m;
      }
      for (let b = BUCKETS; b > 0; b--) bucketStart[starts + b] = bucketStart[starts + b - 1];
      bucketStart[starts] = g * P;
    }
    this.bucketsBuilt = true;
  }

  sum(g: number): number {
    return this.sums[g];
  }

  absSum(g: number): number {
    return this.absSums[g];
  }
}

/** Scratch for testMetricBounds (allocated once per run). */
export interface BoundScratch {
  accLow: Float64Array;
  accHigh: Float64Array;
  accMixed: Float64Array;
  sumLow: Float64Array;
  sumHigh: Float64Array;
  mixed: Metrics;
  /** groupsFromOutputs: the points surely correct per group, and the rows it could not decide. */
  sure: Int32Array;
  open: Int32Array;
  openCount: number;
}

export function boundScratch(testRows: number): BoundScratch {
  return {
    sure: new Int32Array(GROUPS),
    open: new Int32Array(testRows),
    openCount: 0,
    accLow: new Float64Array(GROUPS),
    accHigh: new Float64Array(GROUPS),
    accMixed: new Float64Array(GROUPS),
    sumLow: new Float64Array(GROUPS),
    sumHigh: new Float64Array(GROUPS),
    mixed: { acc: [0, 0, 0, 0] } as unknown as Metrics,
  };
}

/** Widens x by a few ulps away from the other end of its interval (the formulas' own roundings). */
function down(x: number): number {
  return x - 4 * 2 ** -52 * Math.abs(x) - Number.MIN_VALUE;
}
function up(x: number): number {
  return x + 4 * 2 ** -52 * Math.abs(x) + Number.MIN_VALUE;
}

/**
 * Group intervals at a step whose margins moved by shift[2g] … shift[2g + 1] in group g since
 * `table`'s step: the counts are MarginTable.countAbove's.
 */
export function groupsFromTable(table: MarginTable, shift: Float64Array, s: BoundScratch): void {
  const P = table.perGroup;
  for (let g = 0; g < GROUPS; g++) {
    const lo = shift[2 * g];
    const hi = shift[2 * g + 1];
    s.accLow[g] = table.countAbove(g, -lo) / P;
    s.accHigh[g] = table.countAbove(g, -hi) / P;
    setSumBounds(s, g, P, table.sum(g) + P * lo, table.sum(g) + P * hi, table.absSum(g) + P * Math.max(Math.abs(lo), Math.abs(hi)));
  }
}

/**
 * Group intervals from outputs F̂ known up to ±radius[g] in group g (`radiusAt` onwards): a point is
 * surely correct when y·F̂ − radius > 0, surely wrong when y·F̂ + radius ≤ 0.
 */
export function groupsFromOutputs(F: Float64Array, Y: Float32Array, perGroup: number, radius: Float64Array, radiusAt: number, s: BoundScratch): void {
  const P = perGroup;
  s.openCount = 0;
  for (let g = 0; g < GROUPS; g++) {
    const r = radius[radiusAt + g];
    let sure = 0;
    let maybe = 0;
    let sum = 0;
    let absSum = 0;
    for (let i = g * P; i < (g + 1) * P; i++) {
      const m = Y[i] * F[i];
      if (m - r > 0) sure++;
      if (m + r > 0) {
        maybe++;
        if (!(m - r > 0)) s.open[s.openCount++] = i;
      } else if (!(m + r <= 0)) s.open[s.openCount++] = i; // NaN
      sum += m;
      absSum += Math.abs(m);
    }
    s.sure[g] = sure;
    s.accLow[g] = sure / P;
    s.accHigh[g] = maybe / P;
    setSumBounds(s, g, P, sum - P * r, sum + P * r, absSum + P * r);
  }
}

/**
 * After groupsFromOutputs: the exact group accuracies from the exact outputs F of its open rows
 * (F[r] for row s.open[r]); the margin sums keep their bounds.
 */
export function groupsWithOpenRows(F: Float64Array, Y: Float32Array, perGroup: number, s: BoundScratch): void {
  for (let g = 0; g < GROUPS; g++) s.accLow[g] = s.sure[g];
  for (let r = 0; r < s.openCount; r++) {
    const i = s.open[r];
    if (Y[i] * F[r] > 0) s.accLow[Math.floor(i / perGroup)]++;
  }
  for (let g = 0; g < GROUPS; g++) {
    s.accLow[g] /= perGroup;
    s.accHigh[g] = s.accLow[g];
  }
}

/** Bounds on group g's margin sum around [lo, hi], allowing for rounding of sums of magnitude `abs`. */
function setSumBounds(s: BoundScratch, g: number, perGroup: number, lo: number, hi: number, abs: number): void {
  // the exact sums are over the rows in another order: allow for both sums' rounding
  const slack = (GROUPS * perGroup + 8) * 2 ** -52 * abs;
  s.sumLow[g] = lo - slack;
  s.sumHigh[g] = hi + slack;
}

/**
 * Writes into `low` and `high` bounds on every test-set metric from the group intervals in `s`
 * (groupsFromTable or groupsFromOutputs); the weight metrics and trainLoss are left alone.
 */
export function testMetricBounds(perGroup: number, low: Metrics, high: Metrics, s: BoundScratch): void {
  const P = perGroup;
  const n = GROUPS * P;
  accuracyMetrics(s.accLow, low);
  accuracyMetrics(s.accHigh, high);
  // spuriousGap grows with the majority groups' accuracies and falls with the minority groups'
  s.accMixed.set(s.accLow.subarray(0, 2), 0);
  s.accMixed.set(s.accHigh.subarray(2, 4), 2);
  accuracyMetrics(s.accMixed, s.mixed);
  low.spuriousGap = s.mixed.spuriousGap;
  s.accMixed.set(s.accHigh.subarray(0, 2), 0);
  s.accMixed.set(s.accLow.subarray(2, 4), 2);
  accuracyMetrics(s.accMixed, s.mixed);
  high.spuriousGap = s.mixed.spuriousGap;
  const [l, h] = [s.sumLow, s.sumHigh];
  low.marginMajority = down((l[0] + l[1]) / (2 * P));
  high.marginMajority = up((h[0] + h[1]) / (2 * P));
  low.marginMinority = down((l[2] + l[3]) / (2 * P));
  high.marginMinority = up((h[2] + h[3]) / (2 * P));
  // Σ f·y over the test set is the margin sum; Σ f·s is + the margins on the majority groups
  // (s = y) and − those on the minority groups
  low.coefSignal = down((l[0] + l[1] + l[2] + l[3]) / n);
  high.coefSignal = up((h[0] + h[1] + h[2] + h[3]) / n);
  low.coefSpurious = down((l[0] + l[1] - h[2] - h[3]) / n);
  high.coefSpurious = up((h[0] + h[1] - l[2] - l[3]) / n);
}

/** Whether `x op value` holds for every x in [lo, hi] (1), for none (0), or is not decided (−1). */
export function decideOn(lo: number, hi: number, op: Comparison, value: number): 1 | 0 | -1 {
  if (!(lo <= hi)) return -1; // NaN bounds decide nothing
  const atLow = holds(lo, op, value);
  const atHigh = holds(hi, op, value);
  if (atLow && atHigh) return 1;
  if (!atLow && !atHigh) return 0;
  return -1;
}
