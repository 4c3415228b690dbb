// Checks over a study summary (SPEC §5): threshold rules on summary paths, and the baseline rule
// that flags a learning-time regression. Each check gives one PASS/FAIL line with both numbers.
import { conditionParams, describeCondition, validateSummaryPath, type CheckRule, type SummaryPath } from "../config/studyConfig.js";
import { holds } from "../kernel/events.js";
import { canonicalJson } from "../store/configHash.js";
import {
  eventComparisonValue,
  summaryValue,
  valueComparisonValue,
  valueSummaryOf,
  type ConditionSummary,
  type EventSummary,
  type StudySummary,
} from "./summary.js";

export interface CheckResult {
  pass: boolean;
  line: string;
  /** Not a check but a remark (a condition or event one side lacks); `pass` is true. Not counted. */
  note?: boolean;
}

/** Event fields that hold a step and are stored as null when infinite (censored runs count as +∞). */
const EVENT_STEP_FIELDS = ["medianStep", "medianLo", "medianHi"];

/** A number in a check line: enough digits to see why it passed or failed, no float noise. */
function formatNumber(x: number): string {
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  return String(Number(x.toPrecision(6)));
}

/**
 * The value a rule compares, or null when there is none. A null event median or median CI bound is
 * +∞ when the event has runs: summarizeEvent stores an infinite value as null, and with n > 0 that
 * is the only way such a field is null. Any other null (a mean over no runs, a rate never measured,
 * an order fraction with no run that reached both events) has no value, and the rule fails.
 */
function ruleActual(condition: ConditionSummary, path: SummaryPath): number | null {
  const value = summaryValue(condition, path);
  if (value === undefined) return null;
  if (value !== null) return value;
  if (path.section === "events" && EVENT_STEP_FIELDS.includes(path.field) && (condition.events[path.event]?.n ?? 0) > 0) return Infinity;
  return null;
}

/**
 * The value of a compare path from `from` to `to` (the condition with the next value of the key):
 * an event comparison from the summary's comparisons (±∞ restored), or the Welch difference of two
 * value summaries. Null when there is none.
 */
function comparisonActual(summary: StudySummary, from: ConditionSummary, to: ConditionSummary, path: Extract<SummaryPath, { section: "compare" }>): number | null {
  if (path.of.section === "events") {
    const event = path.of.event;
    const fromKey = canonicalJson(from.condition);
    const comparison = summary.comparisons.find((c) => c.key === path.key && c.event === event && canonicalJson(c.from) === fromKey);
    return comparison === undefined ? null : eventComparisonValue(comparison, path.field as Parameters<typeof eventComparisonValue>[1]);
  }
  const of = path.of;
  return valueComparisonValue(valueSummaryOf(from, of), valueSummaryOf(to, of), path.field as "diff" | "lo" | "hi" | "pValue");
}

/** Whether `condition` has every value of `where`; keys outside the grid are looked up in its params. */
function matchesWhere(
  condition: Record<string, unknown>,
  where: Record<string, unknown>,
  paramsOf?: (condition: Record<string, unknown>) => Record<string, unknown>,
): boolean {
  let params: Record<string, unknown> | undefined;
  const own = conditionParams(condition); // grid values, with a variant's keys spread in
  return Object.entries(where).every(([key, value]) => {
    if (Object.hasOwn(own, key)) return own[key] === value;
    params ??= paramsOf?.(condition);
    return params !== undefined && Object.hasOwn(params, key) && params[key] === value;
  });
}

/**
 * Applies each rule to every condition whose grid values match all keys of its `where` (a key that
 * is not a grid key is matched against `paramsOf(condition)`, the condition's full params, when
 * given). One result per (rule, matching condition); a rule that matches no condition fails.
 */
export function runThresholdChecks(
  summary: StudySummary,
  rules: readonly CheckRule[],
  paramsOf?: (condition: Record<string, unknown>) => Record<string, unknown>,
): CheckResult[] {
  const results: CheckResult[] = [];
  const byKey = new Map(summary.conditions.map((c) => [canonicalJson(c.condition), c]));
  for (const rule of rules) {
    const test = `${rule.metric} ${rule.op} ${formatNumber(rule.value)}`;
    const why = rule.description === undefined ? "" : ` (${rule.description})`;
    const path = validateSummaryPath(rule.metric, "check rule metric", summary.events);
    const matching = summary.conditions.filter((c) => matchesWhere(c.condition, rule.where, paramsOf));
    if (matching.length === 0) {
      results.push({ pass: false, line: `FAIL where ${describeCondition(rule.where)} ${test}: no condition matches${why}` });
      continue;
    }
    const verdict = (label: string, actual: number | null): CheckResult => {
      const pass = actual !== null && holds(actual, rule.op, rule.value);
      const got = actual === null ? "no value" : formatNumber(actual);
      return { pass, line: `${pass ? "PASS" : "FAIL"} ${label} ${test}: got ${got}${why}` };
    };
    if (path.section !== "compare") {
      for (const condition of matching) results.push(verdict(describeCondition(condition.condition), ruleActual(condition, path)));
      continue;
    }
    // A compare rule: each matching condition against the one with the next value of the key.
    const values = summary.grid[path.key] ?? [];
    let compared = 0;
    for (const condition of matching) {
      const own = canonicalJson(condition.condition[path.key] ?? null);
      const index = values.findIndex((v) => canonicalJson(v) === own);
      const label = describeCondition(condition.condition);
      if (index < 0 || index + 1 >= values.length) {
        results.push({ pass: true, note: true, line: `NOTE ${label} ${rule.metric}: no next value of ${path.key} to compare with` });
        continue;
      }
      const next = byKey.get(canonicalJson({ ...condition.condition, [path.key]: values[index + 1] }));
      const nextLabel = describeCondition({ [path.key]: values[index + 1] });
      if (next === undefined) {
        results.push({ pass: true, note: true, line: `NOTE ${label} ${rule.metric}: the condition with ${nextLabel.slice(1, -1)} has no runs` });
        continue;
      }
      compared++;
      results.push(verdict(`${label} → ${nextLabel}`, comparisonActual(summary, condition, next, path)));
    }
    if (compared === 0) {
      results.push({ pass: false, line: `FAIL where ${describeCondition(rule.where)} ${test}: no matching condition has a next value of ${path.key} to compare with${why}` });
    }
  }
  return results;
}

/** An event's median or a bound of its CI as a number: a stored null is +∞ when the event has runs. */
function eventStep(event: EventSummary, x: number | null): number | null {
  if (x !== null) return x;
  return event.n > 0 ? Infinity : null;
}

/**
 * The baseline rule: per condition present in both summaries (matched by its grid values) and per
 * event, FAIL when the current median event step is more than `tolerance` above the baseline's AND
 * the lower bound of the current median's 95% CI is above the baseline median — slower by more than
 * noise. Censored medians and bounds are +∞ (see eventStep): a current median of ∞ against a finite
 * baseline is slower; against a baseline of ∞ nothing can be slower. Conditions or events that
 * only one side has give a note, not a failure.
 */
export function runBaselineChecks(current: StudySummary, baseline: StudySummary, tolerance: number): CheckResult[] {
  const results: CheckResult[] = [];
  const percent = `${formatNumber(tolerance * 100)}%`;
  const baselineByKey = new Map(baseline.conditions.map((c) => [canonicalJson(c.condition), c]));
  const currentKeys = new Set(current.conditions.map((c) => canonicalJson(c.condition)));
  for (const condition of current.conditions) {
    const label = describeCondition(condition.condition);
    const base = baselineByKey.get(canonicalJson(condition.condition));
    if (base === undefined) {
      results.push({ pass: true, note: true, line: `NOTE ${label}: not in the baseline, not compared` });
      continue;
    }
    for (const [name, event] of Object.entries(condition.events)) {
      const baseEvent = base.events[name];
      if (baseEvent === undefined) {
        results.push({ pass: true, note: true, line: `NOTE ${label} events.${name}: not in the baseline, not compared` });
        continue;
      }
      const median = eventStep(event, event.medianStep);
      const lo = eventStep(event, event.medianLo);
      const baseMedian = eventStep(baseEvent, baseEvent.medianStep);
      if (median === null || lo === null || baseMedian === null) {
        results.push({ pass: true, note: true, line: `NOTE ${label} events.${name}: no runs on one side, not compared` });
        continue;
      }
      // ∞ > ∞·(1+tol) is false, so a baseline that never reached the event cannot be regressed on.
      const slower = median > baseMedian * (1 + tolerance) && lo > baseMedian;
      const line =
        `${slower ? "FAIL" : "PASS"} ${label} events.${name}.medianStep: ${formatNumber(median)} [lo ${formatNumber(lo)}]` +
        ` vs baseline ${formatNumber(baseMedian)} (tolerance ${percent})`;
      results.push({ pass: !slower, line });
    }
  }
  for (const base of baseline.conditions) {
    if (!currentKeys.has(canonicalJson(base.condition))) {
      results.push({ pass: true, note: true, line: `NOTE ${describeCondition(base.condition)}: only in the baseline, not compared` });
    }
  }
  return results;
}

/** "3 passed, 1 failed" (notes are not counted). */
export function checkTally(results: readonly CheckResult[]): { passed: number; failed: number; line: string } {
  const counted = results.filter((r) => !r.note);
  const failed = counted.filter((r) => !r.pass).length;
  const passed = counted.length - failed;
  return { passed, failed, line: `${passed} passed, ${failed} failed` };
}
