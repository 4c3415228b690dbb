/** A two-sided interval; a bound may be ±Infinity (an event not reached) or NaN where a function says so. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Two-sided 95%: the level of every interval the summary prints. */
export const LEVEL_95 = 0.95;

/** The range of an unbounded quantity: the whole real line. */
export const UNBOUNDED: Readonly<Interval> = { lo: -Infinity, hi: Infinity };

/**
 * An interval intersected with the range its quantity can take (an accuracy's mean lies in [0, 1]):
 * a symmetric t interval near a bound reaches past it, and that part holds no possible value. The
 * true value lies in the range, so the intersection covers it exactly when the interval does: the
 * coverage is unchanged (bench/calibration.mjs measures it). NaN bounds stay NaN.
 *
 * @example withinRange({ lo: 0.93, hi: 1.04 }, { lo: 0, hi: 1 }) // { lo: 0.93, hi: 1 }
 */
export function withinRange<T extends Interval>(interval: T, range: Readonly<Interval>): T {
  const clamp = (x: number) => (Number.isNaN(x) ? x : Math.min(range.hi, Math.max(range.lo, x)));
  return { ...interval, lo: clamp(interval.lo), hi: clamp(interval.hi) };
}

/**
 * The range of a difference b − a of two quantities with range r: [−(r.hi − r.lo), r.hi − r.lo]
 * (e.g. [−1, 1] for two accuracies); unbounded when r is.
 *
 * @example differenceRange({ lo: -1, hi: 1 }) // { lo: -2, hi: 2 }
 */
export function differenceRange(range: Readonly<Interval>): Interval {
  const width = range.hi - range.lo;
  return { lo: -width, hi: width };
}
