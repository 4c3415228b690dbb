// The statistics of study summaries (SPEC §4), one function per idea, each with its formula and an
// example (as simple-statistics, used wherever it has the function; @stdlib distributions where it
// has none). Censored event steps are time-to-event data (kaplanMeier.ts); a bound of +∞ means
// "not reached within the horizon". Randomness (permutation tests) comes from the counter-based
// generator, so every result is a pure function of its inputs and seed.
export { median, percentileBand, quantileSortedType7 } from "./quantiles.js";
export {
  medianInterpolatedInterval,
  medianOrderStatisticInterval,
  normalQuantileTwoSided,
  signTest,
  signTestGreater,
  wilsonInterval,
} from "./binomial.js";
export { boundMassInterval, meanInterval, pairedDifference, satterthwaiteInterval, welchDifference, type Difference } from "./studentT.js";
export { differenceRange, LEVEL_95, UNBOUNDED, withinRange, type Interval } from "./interval.js";
export { fisherExactTest } from "./fisherExact.js";
export { holmAdjust } from "./holm.js";
export {
  kaplanMeier,
  kaplanMeierMedian,
  restrictedMean,
  restrictedMeanDifference,
  survivalInterval,
  timesToEvent,
  type TimeToEvent,
  type UnitTime,
} from "./kaplanMeier.js";
export { logRankScore, logRankTest, poolTimes } from "./logRank.js";
export { binomialCoefficient, signFlipPermutationTest, subsetPermutationTest, type PermutationResult } from "./relabelings.js";
export { aftContrast, aftTerms, fitAft, type AftDistribution, type AftFit, type WaldEstimate } from "./acceleratedFailureTime.js";
