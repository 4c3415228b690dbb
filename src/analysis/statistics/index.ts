// The statistics of study summaries (SPEC §4), one function per idea, each with its formula and an
// example (as simple-statistics, used wherever it has the function; @stdlib distributions where it
// has none). Censored event steps are time-to-event data (kaplanMeier.ts); a bound of +∞ means
// "not reached within the horizon". Randomness (permutation tests) comes from the counter-based
// generator, so every result is a pure function of its inputs and seed.
export { ascending, median, percentileBand, quantileSortedType7, type PercentileBand } from "./quantiles.js";
export { LEVEL_95, type Interval } from "./interval.js";
export { medianInterpolatedInterval, medianOrderStatisticInterval, normalQuantileTwoSided, signTest, signTestGreater, wilsonInterval } from "./binomial.js";
export { meanInterval, pairedDifference, satterthwaiteInterval, welchDifference, type Difference, type MeanInterval } from "./studentT.js";
export { fisherExactTest } from "./fisherExact.js";
export { holmAdjust } from "./holm.js";
export {
  kaplanMeier,
  kaplanMeierMedian,
  restrictedMean,
  survivalInterval,
  timesToEvent,
  type MedianInterval,
  type RestrictedMean,
  type SurvivalPoint,
  type SurvivalTransform,
  type TimeToEvent,
} from "./kaplanMeier.js";
export { logRankScore, logRankTest, poolTimes, type LogRankScore, type LogRankTest, type PooledTimes } from "./logRank.js";
export {
  binomialCoefficient,
  signFlipPermutationTest,
  subsetPermutationTest,
  MAX_EXACT_RELABELINGS,
  RANDOM_RELABELINGS,
  type PermutationResult,
} from "./relabelings.js";
