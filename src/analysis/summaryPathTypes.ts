// The shapes of summary paths (SPEC §5): the fields each section of a summary has, and a parsed path.
// The grammar and its checks are in summaryPaths.ts; reading a path's value in summaryPathValues.ts.
import type { EffectTermField } from "./summary/effects.js";

export const EVENT_SUMMARY_FIELDS = [
  "n",
  "reached",
  "reachedFraction",
  "reachedLo",
  "reachedHi",
  "medianStep",
  "medianLo",
  "medianHi",
  "horizon",
  "rmst",
  "rmstLo",
  "rmstHi",
  "meanStep",
  "sdStep",
] as const;
export type EventSummaryField = (typeof EVENT_SUMMARY_FIELDS)[number];

/** Event fields that hold a step stored as null when +∞ (the event not reached by half the runs). */
export const INFINITE_STEP_FIELDS: readonly EventSummaryField[] = ["medianStep", "medianLo", "medianHi"];

/** Fields of `gap.<first>.<second>`: an event's fields over the gaps, the runs with none, the ratio form. */
export const GAP_SUMMARY_FIELDS = [
  ...EVENT_SUMMARY_FIELDS,
  "noGap",
  "ratioN",
  "ratioMedian",
  "ratioLo",
  "ratioHi",
  "ratioGeoMean",
  "ratioGeoLo",
  "ratioGeoHi",
] as const;
export type GapSummaryField = (typeof GAP_SUMMARY_FIELDS)[number];

/** Gap fields stored as null when +∞ (half the gaps, or ratios, never closed), with the count that says there were runs. */
export const INFINITE_GAP_FIELDS: Readonly<Partial<Record<GapSummaryField, "n" | "ratioN">>> = {
  medianStep: "n",
  medianLo: "n",
  medianHi: "n",
  ratioMedian: "ratioN",
  ratioLo: "ratioN",
  ratioHi: "ratioN",
};

/** Fields of the summary of a number across seeds (final metrics, rates, checkpoints). */
export const VALUE_SUMMARY_FIELDS = ["n", "mean", "sd", "lo", "hi"] as const;
type ValueSummaryField = (typeof VALUE_SUMMARY_FIELDS)[number];

const RATE_NAMES = ["spuriousRate", "signalRate"] as const;
/** Rates in a summary: the two of each run and their paired difference `rateGap` = spuriousRate − signalRate. */
export const SUMMARY_RATE_NAMES = [...RATE_NAMES, "rateGap"] as const;
export type SummaryRateName = (typeof SUMMARY_RATE_NAMES)[number];

export const DIVERGED_SUMMARY_FIELDS = ["n", "fraction", "lo", "hi"] as const;
type DivergedSummaryField = (typeof DIVERGED_SUMMARY_FIELDS)[number];

export const ORDER_SUMMARY_FIELDS = ["n", "both", "before", "fraction", "lo", "hi", "onlyFirst", "onlySecond", "neither"] as const;
type OrderSummaryField = (typeof ORDER_SUMMARY_FIELDS)[number];

/**
 * Fields of `compare.<key>.events.<event>`: the KM median difference (diff), the restricted-mean
 * difference with its CI and p (rmst*), the log-rank test (logRankZ, pValue, pHolm), Fisher's test
 * of the reached fractions (fisherP, fisherHolm), and the seed-paired comparison (pairs … pairedHolm).
 */
export const EVENT_COMPARISON_FIELDS = [
  "diff",
  "rmstDiff",
  "rmstLo",
  "rmstHi",
  "rmstP",
  "logRankZ",
  "pValue",
  "pHolm",
  "fisherP",
  "fisherHolm",
  "pairs",
  "later",
  "earlier",
  "tied",
  "pairedDiff",
  "pairedLo",
  "pairedHi",
  "pairedP",
  "pairedHolm",
] as const;
export type EventComparisonField = (typeof EVENT_COMPARISON_FIELDS)[number];

/** Fields of `compare.<key>.<final|rates|at<step>|change<step>>.<name>`: Welch–Satterthwaite difference of means. */
export const VALUE_COMPARISON_FIELDS = ["diff", "lo", "hi", "pValue"] as const;
type ValueComparisonField = (typeof VALUE_COMPARISON_FIELDS)[number];

/** Sections whose entries are ValueSummaries. */
export type ValueSection = "final" | "rates" | "at" | "change";

/** An entry of a value section: `final.<metric>`, `rates.<rate>`, `at<step>.<metric>`, `change<step>.<metric>`. */
export interface ValueQuantity {
  section: ValueSection;
  /** The checkpoint step of at<step> and change<step>; null otherwise. */
  step: number | null;
  name: string;
}

/** A compare path: `compare.<key>.events.<event>.<field>` or `compare.<key>.<value quantity>.<field>`. */
export type ComparePath =
  | { section: "compareEvent"; key: string; event: string; field: EventComparisonField }
  | { section: "compareGap"; key: string; first: string; second: string; field: EventComparisonField }
  | { section: "compareValue"; key: string; of: ValueQuantity; field: ValueComparisonField };

/**
 * An effect path: `effect.<event>.<term>.<field>` or `effect.gap.<first>.<second>.<term>.<field>`, a
 * term of the study's regression of that event's steps (or that gap) on the grid keys (effects.ts):
 * one number for the whole study, not per condition.
 */
export interface EffectPath {
  section: "effect";
  /** The model's response: the event, or "gap.<first>.<second>". */
  response: string;
  term: string;
  field: EffectTermField;
}

/** A parsed summary path. */
export type SummaryPath =
  | { section: "events"; event: string; field: EventSummaryField }
  | (ValueQuantity & { field: ValueSummaryField })
  | { section: "order"; first: string; second: string; field: OrderSummaryField }
  | { section: "gap"; first: string; second: string; field: GapSummaryField }
  | { section: "diverged"; field: DivergedSummaryField }
  | ComparePath
  | EffectPath;

/** A path read from one condition (everything but compare and effect paths). */
export type ConditionPath = Exclude<SummaryPath, ComparePath | EffectPath>;
