// The shape of summary.json (SPEC §4), shared by the code that writes it (summary.ts), the path
// language that reads it (summaryPaths.ts), checks and the report.
import type { EventSpec } from "../kernel/events.js";
import type { StudyEffects } from "./summary/effects.js";
import type { TrajectoryBand } from "./trajectoryBands.js";

/**
 * One event in one condition. Event steps are right-censored at the horizon (the runs' `steps`): a
 * run that never reached the event, or diverged before it, is censored there (a diverged run can no
 * longer reach it). Step fields that are +∞ (not reached by half the runs) are null in JSON.
 */
export interface EventSummary {
  n: number;
  reached: number;
  reachedFraction: number;
  /** Wilson 95% CI of reachedFraction. */
  reachedLo: number;
  reachedHi: number;
  /** Kaplan–Meier median step; null = ∞ (fewer than half the runs reached the event). */
  medianStep: number | null;
  /** Brookmeyer–Crowley 95% CI of the median (log bands); null = ∞. */
  medianLo: number | null;
  medianHi: number | null;
  /** The horizon τ: the last step of the runs (the smallest, should they differ). */
  horizon: number;
  /** Restricted mean time to event ∫₀^τ Ŝ(t) dt, with a 95% t CI (null with fewer than 2 runs). */
  rmst: number | null;
  rmstLo: number | null;
  rmstHi: number | null;
  /** Mean and sd of the steps of the runs that reached the event (conditional on reaching it). */
  meanStep: number | null;
  sdStep: number | null;
}

/**
 * The lead of event `second` over event `first` in one condition (`gap.<first>.<second>`; see
 * summary/gaps.ts): the EventSummary fields over the runs that reached `first` (n), each run's gap
 * step(second) − step(first) observed when it reached both and censored at horizon − step(first)
 * when not; `horizon` is the restriction τ of rmst, the longest follow-up of a gap (horizon minus
 * the earliest step of `first`; 0 when no run has the gap). meanStep/sdStep: over the gaps observed.
 */
export interface GapSummary extends EventSummary {
  /** Runs that never reached `first`: they have no gap and are not in n. */
  noGap: number;
  /** Runs with a ratio step(second)/step(first) (a gap, and neither step 0). */
  ratioN: number;
  /** Kaplan–Meier median of the ratio with its CI, censored at horizon/step(first); null = ∞ (or no runs). */
  ratioMedian: number | null;
  ratioLo: number | null;
  ratioHi: number | null;
  /** Geometric mean of the ratio over the runs that reached both, with the t 95% CI of the mean log ratio. */
  ratioGeoMean: number | null;
  ratioGeoLo: number | null;
  ratioGeoHi: number | null;
}

/** A number across seeds: mean, sd and the Student t 95% CI of the mean (null when n < 2). */
export interface ValueSummary {
  n: number;
  mean: number | null;
  sd: number | null;
  lo: number | null;
  hi: number | null;
}

/**
 * How often event `first` came strictly before event `second` in a run (`order.<first>.<second>`).
 * Only runs that reached both are compared: `fraction` = before / both with a Wilson 95% CI
 * (fraction null and CI [0, 1] when no run reached both); the other runs are counted apart.
 */
export interface OrderSummary {
  n: number;
  both: number;
  before: number;
  fraction: number | null;
  lo: number;
  hi: number;
  onlyFirst: number;
  onlySecond: number;
  neither: number;
}

/**
 * How many runs of a condition diverged (kernel/divergence.ts): `n` of the condition's `runs`, the
 * `fraction` n / runs and its Wilson 95% CI [lo, hi] (`diverged.<n|fraction|lo|hi>` in check rules).
 */
export interface DivergedSummary {
  n: number;
  fraction: number | null;
  lo: number;
  hi: number;
}

export interface ConditionSummary {
  condition: Record<string, unknown>;
  runs: number;
  diverged: DivergedSummary;
  events: Record<string, EventSummary>;
  final: Record<string, ValueSummary>;
  /** spuriousRate, signalRate, and rateGap = spuriousRate − signalRate per run (runs with both). */
  rates: Record<string, ValueSummary>;
  /** Checkpoint step (see isCheckpointStep) → metric → its value at that step across seeds. */
  at: Record<string, Record<string, ValueSummary>>;
  /** Checkpoint step > 0 → metric → per run, its value at that step minus its value at step 0. */
  change: Record<string, Record<string, ValueSummary>>;
  /** First event → second event → how often the first came before the second. */
  order: Record<string, Record<string, OrderSummary>>;
  /** First event → second event → the lead of the second over the first (the study's gaps; absent in summaries written before them). */
  gap?: Record<string, Record<string, GapSummary>>;
  trajectories: Record<string, TrajectoryBand>;
}

/** Which fields of a comparison are infinite (stored as null, since JSON has no ∞), with their sign. */
export type InfiniteSigns = Partial<Record<"diff" | "lo" | "hi", 1 | -1>>;

/**
 * The seed-paired comparison of an event between two conditions that ran the same seeds: per seed,
 * d = step(to) − step(from), a never-reached event counted as +∞ (∞ − ∞ = 0). A seed shares its
 * initialisation, data stream and test set across conditions, so d is free of most seed noise.
 */
export interface PairedComparison {
  pairs: number;
  /** Seeds with d > 0 (the event came later in `to`), d < 0, d = 0. */
  later: number;
  earlier: number;
  tied: number;
  /** Median of d with the interpolated order-statistic 95% CI (Hettmansperger–Sheather); null = infinite or no pairs. */
  diff: number | null;
  lo: number | null;
  hi: number | null;
  /** Two-sided exact sign test (ties dropped); 1 when every pair ties, null with no pairs. */
  pValue: number | null;
  /** pValue Holm-adjusted over the study's comparisons. */
  pHolm: number | null;
  infinite?: InfiniteSigns;
}

/** One event compared between neighbouring values of a grid key (or a variant and the first). */
export interface Comparison {
  key: string;
  from: Record<string, unknown>;
  to: Record<string, unknown>;
  event: string;
  /** KM median(to) − KM median(from) in steps (∞ − ∞ = 0); null when infinite, sign in `infinite`. */
  diff: number | null;
  infinite?: InfiniteSigns;
  /**
   * Restricted means (to − from) to the smaller horizon, with a 95% t CI and p: paired Student t over
   * the seeds when both conditions ran the same seeds (rmstPaired), else Welch–Satterthwaite.
   */
  rmstDiff: number | null;
  rmstLo: number | null;
  rmstHi: number | null;
  rmstP: number | null;
  rmstPaired: boolean;
  /** Log-rank Z of `to` (> 0: its events come earlier) and the two-sided permutation p. */
  logRankZ: number | null;
  pValue: number | null;
  /** Whether pValue enumerated every relabelling (else 9 999 seeded random ones). */
  exact: boolean;
  /**
   * true when no random relabelling was as extreme as the data: pValue (and pHolm) is then the floor
   * 1/(1 + 9 999) = 1e-4 of the Monte Carlo test, a bound rather than an estimate (printed "<1e-4").
   * Absent in summaries written before it (read as false).
   */
  pValueBound?: boolean;
  /** pValue Holm-adjusted over the study's comparisons. */
  pHolm: number | null;
  /** Two-sided Fisher exact test of the reached fractions, and Holm-adjusted. */
  fisherP: number;
  fisherHolm: number | null;
  paired: PairedComparison;
}

/**
 * One gap (`first` → `second`) compared between neighbouring conditions, with the fields of an event
 * Comparison computed on the gaps (summary/gapComparisons.ts). The seed-paired comparison counts a
 * gap that never closed as +∞, as an event comparison counts a never-reached event; seeds with no
 * gap on either side are left out of it.
 */
export interface GapComparison extends Omit<Comparison, "event"> {
  first: string;
  second: string;
}

/**
 * The value quantities of two neighbouring conditions that ran the same seeds, each compared by a
 * paired Student t over the seeds ("final.wga", "rates.rateGap", "at100.coefSignal", "change10.signAlign").
 */
export interface ValueComparison {
  key: string;
  from: Record<string, unknown>;
  to: Record<string, unknown>;
  values: Record<string, { diff: number; lo: number | null; hi: number | null; pValue: number; n: number }>;
}

export interface StudySummary {
  name: string;
  configHash: string;
  events: Record<string, EventSpec>;
  grid: Record<string, unknown[]>;
  conditions: ConditionSummary[];
  comparisons: Comparison[];
  /** Paired value comparisons (absent in summaries written before them: Welch is used there). */
  valueComparisons?: ValueComparison[];
  /** The ordered event pairs summarized as gaps, [first, second] (absent in summaries written before them). */
  gaps?: [string, string][];
  /** Each gap between each neighbour pair, Holm-adjusted over the study's gap comparisons. */
  gapComparisons?: GapComparison[];
  /** Each event's steps regressed on the grid keys (effects.ts); absent in summaries written before them. */
  effects?: StudyEffects;
}
