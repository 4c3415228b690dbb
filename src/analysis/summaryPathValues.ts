// Reading a summary path's value (SPEC §5) in a study summary: one condition's number, a comparison
// of two conditions along a grid key, or an effect of the whole study.
import { canonicalJson } from "../store/configHash.js";
import { differenceRange, LEVEL_95, welchDifference } from "./statistics/index.js";
import type { Comparison, ConditionSummary, GapComparison, InfiniteSigns, StudySummary, ValueSummary } from "./summaryTypes.js";
import { divergedOf } from "./summary/diverged.js";
import { valueQuantityRange } from "./summaryPaths.js";
import {
  INFINITE_GAP_FIELDS,
  INFINITE_STEP_FIELDS,
  type ComparePath,
  type ConditionPath,
  type EffectPath,
  type EventComparisonField,
  type ValueQuantity,
} from "./summaryPathTypes.js";

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
 * Whether v's interval is the distribution-free one of a mean whose runs all sit on a bound of the
 * metric's range (statistics' boundMassInterval: no spread to build a t interval from): sd 0 over
 * at least 2 runs with an interval wider than the point.
 */
export function hasBoundMassInterval(v: ValueSummary): v is ValueSummary & { mean: number; lo: number; hi: number } {
  return v.mean !== null && v.n >= 2 && v.sd === 0 && v.lo !== null && v.hi !== null && v.lo !== v.hi;
}

/**
 * When the CI bound a per-condition path names is a bound-mass interval (hasBoundMassInterval), the
 * run count and the value they all sit at; undefined for any other path or value.
 */
export function boundMassOf(summary: ConditionSummary, path: ConditionPath): { n: number; value: number } | undefined {
  if (path.section === "events" || path.section === "order" || path.section === "gap" || path.section === "diverged") return undefined;
  if (path.field !== "lo" && path.field !== "hi") return undefined;
  const v = valueSummaryOf(summary, path);
  return v !== undefined && hasBoundMassInterval(v) ? { n: v.n, value: v.mean } : undefined;
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

/** Whether a comparison of the summary is the one from condition `from` to `to` along grid key `key`. */
function comparesAlong(key: string, from: ConditionSummary, to: ConditionSummary) {
  const fromKey = canonicalJson(from.condition);
  const toKey = canonicalJson(to.condition);
  return (c: { key: string; from: Record<string, unknown>; to: Record<string, unknown> }): boolean =>
    c.key === key && canonicalJson(c.from) === fromKey && canonicalJson(c.to) === toKey;
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
  const paired = summary.valueComparisons?.find(comparesAlong(key, from, to));
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
  const between = comparesAlong(path.key, from, to);
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
