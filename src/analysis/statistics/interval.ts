/** A two-sided interval; a bound may be ±Infinity (an event not reached) or NaN where a function says so. */
export interface Interval {
  lo: number;
  hi: number;
}

/** Two-sided 95%: the level of every interval the summary prints. */
export const LEVEL_95 = 0.95;
