// The summary-path language (SPEC §5): the paths check rules name, e.g. `events.signal.medianStep`
// or `compare.lambda.events.signal.pValue` — their grammar, their validation (config files,
// thresholds files, check) and their lookup in a summary. The one home of that language.
import { suggestionFor } from "../config/inputError.js";
import { MODEL_KEY_NAMES, VARIANT_KEY } from "../config/modelKeys.js";
import { fail, type Where } from "../config/validateParams.js";
import type { EventSpec } from "../kernel/events.js";
import { ALL_METRICS, metricRange, type CompanionMetric, type ScalarMetric } from "../kernel/metricNames.js";
import { canonicalJson } from "../store/configHash.js";
import { differenceRange, LEVEL_95, UNBOUNDED, welchDifference, type Interval } from "./statistics/index.js";
import { defaultGaps, type GapPair } from "./summary/gaps.js";
import { EFFECT_TERM_FIELDS, type EffectTermField } from "./summary/effects.js";
import type { Comparison, ConditionSummary, GapComparison, InfiniteSigns, StudySummary, ValueSummary } from "./summaryTypes.js";
import { divergedOf } from "./summary/diverged.js";

const EVENT_SUMMARY_FIELDS = [
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
type EventSummaryField = (typeof EVENT_SUMMARY_FIELDS)[number];

/** Event fields that hold a step stored as null when +∞ (the event not reached by half the runs). */
const INFINITE_STEP_FIELDS: readonly EventSummaryField[] = ["medianStep", "medianLo", "medianHi"];

/** Fields of `gap.<first>.<second>`: an event's fields over the gaps, the runs with none, the ratio form. */
const GAP_SUMMARY_FIELDS = [
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
type GapSummaryField = (typeof GAP_SUMMARY_FIELDS)[number];

/** Gap fields stored as null when +∞ (half the gaps, or ratios, never closed), with the count that says there were runs. */
const INFINITE_GAP_FIELDS: Readonly<Partial<Record<GapSummaryField, "n" | "ratioN">>> = {
  medianStep: "n",
  medianLo: "n",
  medianHi: "n",
  ratioMedian: "ratioN",
  ratioLo: "ratioN",
  ratioHi: "ratioN",
};

/** Fields of the summary of a number across seeds (final metrics, rates, checkpoints). */
const VALUE_SUMMARY_FIELDS = ["n", "mean", "sd", "lo", "hi"] as const;
type ValueSummaryField = (typeof VALUE_SUMMARY_FIELDS)[number];

const RATE_NAMES = ["spuriousRate", "signalRate"] as const;
/** Rates in a summary: the two of each run and their paired difference `rateGap` = spuriousRate − signalRate. */
export const SUMMARY_RATE_NAMES = [...RATE_NAMES, "rateGap"] as const;
export type SummaryRateName = (typeof SUMMARY_RATE_NAMES)[number];

const DIVERGED_SUMMARY_FIELDS = ["n", "fraction", "lo", "hi"] as const;
type DivergedSummaryField = (typeof DIVERGED_SUMMARY_FIELDS)[number];

const ORDER_SUMMARY_FIELDS = ["n", "both", "before", "fraction", "lo", "hi", "onlyFirst", "onlySecond", "neither"] as const;
type OrderSummaryField = (typeof ORDER_SUMMARY_FIELDS)[number];

/**
 * Fields of `compare.<key>.events.<event>`: the KM median difference (diff), the restricted-mean
 * difference with its CI and p (rmst*), the log-rank test (logRankZ, pValue, pHolm), Fisher's test
 * of the reached fractions (fisherP, fisherHolm), and the seed-paired comparison (pairs … pairedHolm).
 */
const EVENT_COMPARISON_FIELDS = [
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
type EventComparisonField = (typeof EVENT_COMPARISON_FIELDS)[number];

/** Fields of `compare.<key>.<final|rates|at<step>|change<step>>.<name>`: Welch–Satterthwaite difference of means. */
const VALUE_COMPARISON_FIELDS = ["diff", "lo", "hi", "pValue"] as const;
type ValueComparisonField = (typeof VALUE_COMPARISON_FIELDS)[number];

/** Sections whose entries are ValueSummaries. */
export type ValueSection = "final" | "rates" | "at" | "change";

/** An entry of a value section: `final.<metric>`, `rates.<rate>`, `at<step>.<metric>`, `change<step>.<metric>`. */
interface ValueQuantity {
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

/** Whether a parsed path compares two conditions. */
export function isComparePath(path: SummaryPath): path is ComparePath {
  return path.section === "compareEvent" || path.section === "compareGap" || path.section === "compareValue";
}

/** Whether a parsed path names one number of the whole study (an effect), so a rule's `where` has nothing to choose. */
export function isStudyPath(path: SummaryPath): path is EffectPath {
  return path.section === "effect";
}

export const SUMMARY_PATH_FORMS =
  "'events.<event>.<field>', 'final.<metric>.<field>', 'rates.<spuriousRate|signalRate|rateGap>.<field>', " +
  "'at<step>.<metric>.<field>', 'change<step>.<metric>.<field>', 'order.<event>.<event>.<field>', " +
  "'gap.<first event>.<second event>.<field>', 'diverged.<n|fraction|lo|hi>', " +
  "'compare.<grid key>.<one of those sections>.<name>.<comparison field>', " +
  "'effect.<event>.<term>.<field>' or 'effect.gap.<first event>.<second event>.<term>.<field>'";

const SECTION_NAMES = ["events", "final", "rates", "at<step>", "change<step>", "order", "gap", "diverged", "compare", "effect"];
/** Model keys a grid may vary (all but seed). */
const GRID_KEY_NAMES = MODEL_KEY_NAMES.filter((key) => key !== "seed");

/**
 * Checkpoint steps, where the summary keeps every metric's mean and CI across seeds (`at<step>`) and
 * its change since step 0 (`change<step>`): 0 and the 1-2-5 series 1, 2, 5, 10, 20, 50, 100, … —
 * of those, the ones a run evaluated.
 */
export function isCheckpointStep(step: number): boolean {
  if (!Number.isSafeInteger(step) || step < 0) return false;
  if (step === 0) return true;
  let mantissa = step;
  while (mantissa % 10 === 0) mantissa /= 10;
  return mantissa === 1 || mantissa === 2 || mantissa === 5;
}

/** The JSON Schema pattern of a summary path (the schema checks the shape; validateSummaryPath the names). */
export function summaryPathPattern(eventNamePattern: RegExp): string {
  const alternatives = (names: readonly string[]) => `(${names.join("|")})`;
  const eventName = eventNamePattern.source.replace(/^\^|\$$/g, "");
  const eventQuantity = `events\\.${eventName}`;
  const valueQuantity = `(final|at\\d+|change\\d+)\\.${alternatives(ALL_METRICS)}|rates\\.${alternatives(SUMMARY_RATE_NAMES)}`;
  const gridKey = alternatives(GRID_KEY_NAMES);
  return (
    `^(${eventQuantity}\\.${alternatives(EVENT_SUMMARY_FIELDS)}` +
    `|(${valueQuantity})\\.${alternatives(VALUE_SUMMARY_FIELDS)}` +
    `|order\\.${eventName}\\.${eventName}\\.${alternatives(ORDER_SUMMARY_FIELDS)}` +
    `|gap\\.${eventName}\\.${eventName}\\.${alternatives(GAP_SUMMARY_FIELDS)}` +
    `|diverged\\.${alternatives(DIVERGED_SUMMARY_FIELDS)}` +
    `|compare\\.${gridKey}\\.(${eventQuantity}|gap\\.${eventName}\\.${eventName})\\.${alternatives(EVENT_COMPARISON_FIELDS)}` +
    `|compare\\.${gridKey}\\.(${valueQuantity})\\.${alternatives(VALUE_COMPARISON_FIELDS)}` +
    `|effect\\.(gap\\.${eventName}\\.${eventName}|${eventName})\\.[^.]+\\.${alternatives(EFFECT_TERM_FIELDS)})$`
  );
}

/** Event comparison fields that were renamed when the median comparison became a survival analysis. */
const RENAMED_COMPARISON_FIELDS: Readonly<Record<string, string>> = {
  lo: "'lo'/'hi' of an event comparison were a bootstrap CI of the median difference; use rmstLo/rmstHi (restricted mean difference, 95% CI) or pValue (log-rank)",
  hi: "'lo'/'hi' of an event comparison were a bootstrap CI of the median difference; use rmstLo/rmstHi (restricted mean difference, 95% CI) or pValue (log-rank)",
};

/**
 * Parses and checks a summary path (SUMMARY_PATH_FORMS) against the study's events, its gaps (by
 * default defaultGaps) and, when known, its grid (a compare path names a grid key with two or more
 * values); throws an InputError at `where` naming what is wrong, with the nearest valid name.
 */
export function validateSummaryPath(
  path: string,
  where: Where,
  events: Readonly<Record<string, EventSpec>>,
  grid?: Readonly<Record<string, readonly unknown[]>>,
  gaps: readonly GapPair[] = defaultGaps(Object.keys(events)),
): SummaryPath {
  const parts = path.split(".");
  const choose = <T extends string>(kind: string, value: string, allowed: readonly T[]): T => {
    if (!(allowed as readonly string[]).includes(value)) fail(where, `unknown ${kind} '${value}' in '${path}'${suggestionFor(value, allowed)}`);
    return value as T;
  };
  const eventNames = Object.keys(events);
  const eventName = (name: string) => choose("event", name, eventNames);
  /** `<first>.<second>` of a gap path: two events the study summarizes as a gap. */
  const gapPair = (first: string, second: string): { first: string; second: string } => {
    eventName(first);
    eventName(second);
    if (!gaps.some(([f, s]) => f === first && s === second)) {
      const named = gaps.map(([f, s]) => `${f}.${s}`);
      fail(where, `'${path}': the gap ${first} → ${second} is not summarized; ${named.length > 0 ? `the study's gaps are ${named.join(", ")}` : "the study has no gaps"} (add it to the config's 'gaps')`);
    }
    return { first, second };
  };

  /** `<section>.<name>` of a value section (final, rates, at<step>, change<step>). */
  const valueQuantity = (sectionToken: string, name: string): ValueQuantity => {
    const stepSection = /^(at|change)(\d+)$/.exec(sectionToken);
    if (stepSection !== null) {
      const section = stepSection[1] === "at" ? "at" : "change";
      const step = Number(stepSection[2]);
      if (!isCheckpointStep(step) || (section === "change" && step === 0)) {
        fail(
          where,
          `'${sectionToken}' in '${path}' is not a checkpoint: ${section}<step> is summarized at step ${section === "at" ? "0 and " : ""}` +
            "1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, … (those a run evaluates)",
        );
      }
      return { section, step, name: choose("metric", name, ALL_METRICS) };
    }
    if (sectionToken === "final") return { section: "final", step: null, name: choose("metric", name, ALL_METRICS) };
    if (sectionToken === "rates") return { section: "rates", step: null, name: choose("rate", name, SUMMARY_RATE_NAMES) };
    choose("summary section", sectionToken, SECTION_NAMES);
    return fail(where, `'${sectionToken}' in '${path}' has no entries to name here; use ${SUMMARY_PATH_FORMS}`);
  };

  if (parts[0] === "compare") {
    if (parts.length !== (parts[2] === "gap" ? 6 : 5)) {
      fail(
        where,
        `a comparison path is 'compare.<grid key>.<section>.<name>.<field>' (e.g. 'compare.lambda.events.signal.pValue') ` +
          `or 'compare.<grid key>.gap.<first>.<second>.<field>', got '${path}'`,
      );
    }
    const key = parts[1];
    if (key === VARIANT_KEY) fail(where, `'${path}': variants are compared with the first variant in the report, not along the grid; compare a model key`);
    if (!(GRID_KEY_NAMES as readonly string[]).includes(key)) fail(where, `unknown key '${key}' in '${path}'${suggestionFor(key, GRID_KEY_NAMES)}`);
    if (grid !== undefined) {
      const values = grid[key];
      const gridKeys = Object.keys(grid);
      if (values === undefined) {
        fail(where, `'${key}' in '${path}' is not a grid key, so nothing is compared along it${gridKeys.length > 0 ? `; grid keys: ${gridKeys.join(", ")}` : ""}`);
      }
      if (values.length < 2) fail(where, `grid.${key} has one value, so '${path}' has nothing to compare`);
    }
    if (parts[2] === "order" || parts[2] === "compare" || parts[2] === "diverged") {
      fail(where, `'${parts[2]}' cannot be compared in '${path}'; compare events, gap, final, rates, at<step> or change<step>`);
    }
    if (parts[2] === "events") {
      const event = eventName(parts[3]);
      const renamed = RENAMED_COMPARISON_FIELDS[parts[4]];
      if (renamed !== undefined) fail(where, `'${path}': ${renamed}`);
      return { section: "compareEvent", key, event, field: choose("comparison field", parts[4], EVENT_COMPARISON_FIELDS) };
    }
    if (parts[2] === "gap") {
      return { section: "compareGap", key, ...gapPair(parts[3], parts[4]), field: choose("comparison field", parts[5], EVENT_COMPARISON_FIELDS) };
    }
    const of = valueQuantity(parts[2], parts[3]);
    return { section: "compareValue", key, of, field: choose("comparison field", parts[4], VALUE_COMPARISON_FIELDS) };
  }
  if (parts[0] === "effect") return validateEffectPath(path, where, { eventName, gapPair }, grid);
  if (parts[0] === "order") {
    if (parts.length !== 4) fail(where, `an order path is 'order.<first event>.<second event>.<field>', got '${path}'`);
    const first = choose("event", parts[1], eventNames);
    const second = choose("event", parts[2], eventNames);
    if (first === second) fail(where, `'${path}' orders an event against itself; name two different events`);
    return { section: "order", first, second, field: choose("order field", parts[3], ORDER_SUMMARY_FIELDS) };
  }
  if (parts[0] === "gap") {
    if (parts.length !== 4) fail(where, `a gap path is 'gap.<first event>.<second event>.<field>' (e.g. 'gap.spurious.signal.medianStep'), got '${path}'`);
    return { section: "gap", ...gapPair(parts[1], parts[2]), field: choose("gap field", parts[3], GAP_SUMMARY_FIELDS) };
  }
  if (parts[0] === "diverged") {
    if (parts.length !== 2) fail(where, `a divergence path is 'diverged.<n|fraction|lo|hi>' (e.g. 'diverged.n'), got '${path}'`);
    return { section: "diverged", field: choose("divergence field", parts[1], DIVERGED_SUMMARY_FIELDS) };
  }
  if (parts.length !== 3) fail(where, `must be a summary path ${SUMMARY_PATH_FORMS}, got '${path}'`);
  if (parts[0] === "events") return { section: "events", event: eventName(parts[1]), field: choose("event field", parts[2], EVENT_SUMMARY_FIELDS) };
  return { ...valueQuantity(parts[0], parts[1]), field: choose("field", parts[2], VALUE_SUMMARY_FIELDS) };
}

/**
 * The values a value quantity can take, which its intervals stay within: its metric's range
 * (metricRange) at a checkpoint or at the end, the range of a difference of it for a change since
 * step 0; rates are unbounded.
 */
export function valueQuantityRange(section: ValueSection, name: string): Interval {
  if (section === "rates" || !(ALL_METRICS as readonly string[]).includes(name)) return UNBOUNDED;
  const range = metricRange(name as ScalarMetric | CompanionMetric);
  return section === "change" ? differenceRange(range) : range;
}

/**
 * Parses `effect.<event>.<term>.<field>` or `effect.gap.<first>.<second>.<term>.<field>`. A term is a
 * grid key ("width"), a level ("activation=leaky", "variant=2") or an interaction of two ("width:lambda");
 * when the grid is known, each key in it must be a grid key with two or more values.
 */
function validateEffectPath(
  path: string,
  where: Where,
  names: { eventName: (name: string) => string; gapPair: (first: string, second: string) => { first: string; second: string } },
  grid?: Readonly<Record<string, readonly unknown[]>>,
): EffectPath {
  const parts = path.split(".");
  const isGap = parts[1] === "gap" && parts.length === 6;
  if (!isGap && parts.length !== 4) {
    fail(where, `an effect path is 'effect.<event>.<term>.<field>' or 'effect.gap.<first event>.<second event>.<term>.<field>' (e.g. 'effect.signal.width.timeRatio'), got '${path}'`);
  }
  const response = isGap ? `gap.${names.gapPair(parts[2], parts[3]).first}.${parts[3]}` : names.eventName(parts[1]);
  const term = parts[parts.length - 2];
  for (const factor of term.split(":")) {
    const key = factor.split("=")[0];
    if (!(GRID_KEY_NAMES as readonly string[]).includes(key) && key !== VARIANT_KEY) fail(where, `unknown key '${key}' in the term '${term}' of '${path}'${suggestionFor(key, GRID_KEY_NAMES)}`);
    if (grid === undefined) continue;
    const values = grid[key];
    if (values === undefined) fail(where, `'${key}' in '${path}' is not a grid key, so the study has no effect of it; grid keys: ${Object.keys(grid).join(", ") || "none"}`);
    if (values.length < 2) fail(where, `grid.${key} has one value, so '${path}' has no effect to estimate`);
  }
  const field = parts[parts.length - 1];
  if (!(EFFECT_TERM_FIELDS as readonly string[]).includes(field)) fail(where, `unknown effect field '${field}' in '${path}'${suggestionFor(field, EFFECT_TERM_FIELDS)}`);
  return { section: "effect", response, term, field: field as EffectTermField };
}

/**
 * The value of an effect path in a study: the term's field in the model of that response, or null
 * when the study has no such model or term, or the model could not be fitted.
 */
export function effectValue(summary: StudySummary, path: EffectPath): number | null {
  const model = summary.effects?.models.find((m) => m.response === path.response);
  const value = model?.terms.find((t) => t.term === path.term)?.[path.field];
  return value === undefined ? null : value;
}

/** The ValueSummary a value section names in one condition, or undefined when the summary lacks it. */
function valueSummaryOf(summary: ConditionSummary, of: ValueQuantity): ValueSummary | undefined {
  if (of.section === "final") return summary.final[of.name];
  if (of.section === "rates") return summary.rates?.[of.name];
  return summary[of.section]?.[String(of.step)]?.[of.name];
}

/**
 * The value of a per-condition path (not compare; see comparisonValue) in one condition, or null
 * when there is none (a mean over no runs, a rate never measured, a section the summary lacks). An
 * event median or median CI bound stored as null is +∞ when the event has runs — except a lower
 * bound below a finite median, which is null when not estimable (see kaplanMeierMedian).
 */
export function conditionValue(summary: ConditionSummary, path: ConditionPath): number | null {
  switch (path.section) {
    case "events": {
      const event = summary.events[path.event];
      if (event === undefined) return null;
      const value = event[path.field];
      if (value !== null) return value;
      if (path.field === "medianLo" && event.medianStep !== null) return null;
      return INFINITE_STEP_FIELDS.includes(path.field) && event.n > 0 ? Infinity : null;
    }
    case "order":
      return summary.order?.[path.first]?.[path.second]?.[path.field] ?? null;
    case "gap": {
      const gap = summary.gap?.[path.first]?.[path.second];
      if (gap === undefined) return null;
      const value = gap[path.field];
      if (value !== null) return value;
      const count = INFINITE_GAP_FIELDS[path.field];
      return count !== undefined && gap[count] > 0 ? Infinity : null;
    }
    case "diverged":
      return divergedOf(summary)[path.field];
    default:
      return valueSummaryOf(summary, path)?.[path.field] ?? null;
  }
}

function restoreInfinite(x: number | null, signs: InfiniteSigns | undefined, name: keyof InfiniteSigns): number | null {
  if (x !== null) return x;
  const sign = signs?.[name];
  return sign === undefined ? null : sign * Infinity;
}

/** A field of an event (or gap) comparison, ±∞ restored from its `infinite` signs; null when there is none. */
function eventComparisonValue(comparison: Omit<Comparison, "event">, field: EventComparisonField): number | null {
  const p = comparison.paired;
  switch (field) {
    case "diff":
      return restoreInfinite(comparison.diff, comparison.infinite, "diff");
    case "pairs":
    case "later":
    case "earlier":
    case "tied":
      return p[field];
    case "pairedDiff":
      return restoreInfinite(p.diff, p.infinite, "diff");
    case "pairedLo":
      return restoreInfinite(p.lo, p.infinite, "lo");
    case "pairedHi":
      return restoreInfinite(p.hi, p.infinite, "hi");
    case "pairedP":
      return p.pValue;
    case "pairedHolm":
      return p.pHolm;
    default:
      return comparison[field];
  }
}

/** The id of a value quantity in ValueComparison.values: "final.wga", "at100.coefSignal". */
export function valueQuantityId(of: ValueQuantity): string {
  return `${of.section}${of.step ?? ""}.${of.name}`;
}

/** A difference of a value quantity from one condition to another, and how it was computed. */
export interface ValueDifference {
  diff: number;
  lo: number | null;
  hi: number | null;
  pValue: number;
  /** "paired t" when the two conditions ran the same seeds, else "Welch". */
  method: "paired t" | "Welch";
}

/**
 * mean(to) − mean(from) of a value quantity ("at100.coefSignal", "final.wga"): the paired t over the
 * seeds when the two ran the same seeds (summary.valueComparisons), else the Welch–Satterthwaite
 * difference of the two value summaries. Null when there is none.
 */
export function valueDifference(
  summary: StudySummary,
  from: ConditionSummary,
  to: ConditionSummary,
  key: string,
  of: ValueQuantity,
): ValueDifference | null {
  const fromKey = canonicalJson(from.condition);
  const toKey = canonicalJson(to.condition);
  const paired = summary.valueComparisons?.find((c) => c.key === key && canonicalJson(c.from) === fromKey && canonicalJson(c.to) === toKey);
  if (paired !== undefined) {
    const value = paired.values[valueQuantityId(of)];
    return value === undefined ? null : { diff: value.diff, lo: value.lo, hi: value.hi, pValue: value.pValue, method: "paired t" };
  }
  const a = valueSummaryOf(from, of);
  const b = valueSummaryOf(to, of);
  const range = differenceRange(valueQuantityRange(of.section, of.name));
  const welch = a === undefined || b === undefined ? null : welchDifference(a, b, LEVEL_95, range);
  return welch === null ? null : { ...welch, method: "Welch" };
}

/**
 * The value of a compare path from condition `from` to `to` (the next value of the key): an event
 * comparison as the summary holds it; for a value, its valueDifference. Null when there is none.
 */
export function comparisonValue(
  summary: StudySummary,
  from: ConditionSummary,
  to: ConditionSummary,
  path: ComparePath,
): number | null {
  const fromKey = canonicalJson(from.condition);
  const toKey = canonicalJson(to.condition);
  const between = (c: { key: string; from: Record<string, unknown>; to: Record<string, unknown> }) =>
    c.key === path.key && canonicalJson(c.from) === fromKey && canonicalJson(c.to) === toKey;
  if (path.section === "compareEvent") {
    const comparison = summary.comparisons.find((c) => c.event === path.event && between(c));
    return comparison === undefined ? null : eventComparisonValue(comparison, path.field);
  }
  if (path.section === "compareGap") {
    const comparison = summary.gapComparisons?.find((c: GapComparison) => c.first === path.first && c.second === path.second && between(c));
    return comparison === undefined ? null : eventComparisonValue(comparison, path.field);
  }
  return valueDifference(summary, from, to, path.key, path.of)?.[path.field] ?? null;
}
