// Threshold checks over a study summary (SPEC §5): rules on summary paths, one PASS/FAIL line per
// (rule, matching condition) with both numbers. The baseline rule is in baselineGate.ts.
import { conditionParams, describeCondition } from "../config/studyConfig.js";
import type { CheckRule } from "../config/checkRules.js";
import { holds } from "../kernel/events.js";
import { canonicalJson } from "../store/configHash.js";
import { isComparePath, isStudyPath, validateSummaryPath } from "./summaryPaths.js";
import { boundMassOf, comparisonValue, conditionValue, effectValue } from "./summaryPathValues.js";
import type { StudySummary } from "./summaryTypes.js";
import { EXPONENT_FROM, scientific } from "../render/format.js";

export interface CheckResult {
  pass: boolean;
  line: string;
  /** Not a check but a remark (a condition or event one side lacks, an effect size); `pass` is true. Not counted. */
  note?: boolean;
}

/**
 * A number in a check line: enough digits (6) to see why it passed or failed, no float noise; from
 * EXPONENT_FROM up with an exponent, as reports write it (1.23457e+6, not 1234570).
 */
export function formatCheckNumber(x: number): string {
  if (x === Infinity) return "∞";
  if (x === -Infinity) return "-∞";
  if (Math.abs(x) >= EXPONENT_FROM) return scientific(x, 6);
  return String(Number(x.toPrecision(6)));
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
    const test = `${rule.metric} ${rule.op} ${formatCheckNumber(rule.value)}`;
    const why = rule.description === undefined ? "" : ` (${rule.description})`;
    const path = validateSummaryPath(rule.metric, "check rule metric", summary.events, undefined, summary.gaps);
    if (isStudyPath(path)) {
      // one number for the whole study (the rule's where is refused when the rules are read)
      const pass = (value: number | null) => value !== null && holds(value, rule.op, rule.value);
      const value = effectValue(summary, path);
      const reason = summary.effects?.models.find((m) => m.response === path.response)?.reason;
      const got = value === null ? `no value${reason ? ` (${reason})` : ""}` : formatCheckNumber(value);
      results.push({ pass: pass(value), line: `${pass(value) ? "PASS" : "FAIL"} study ${test}: got ${got}${why}` });
      continue;
    }
    const matching = summary.conditions.filter((c) => matchesWhere(c.condition, rule.where, paramsOf));
    if (matching.length === 0) {
      results.push({ pass: false, line: `FAIL where ${describeCondition(rule.where)} ${test}: no condition matches${why}` });
      continue;
    }
    const verdict = (label: string, actual: number | null, missing = "no value", note = ""): CheckResult => {
      const pass = actual !== null && holds(actual, rule.op, rule.value);
      const got = actual === null ? missing : formatCheckNumber(actual);
      return { pass, line: `${pass ? "PASS" : "FAIL"} ${label} ${test}: got ${got}${note}${why}` };
    };
    if (!isComparePath(path)) {
      for (const condition of matching) {
        // an order of two events no run reached both of: say why there is no value, not just that there is none
        const order = path.section === "order" ? { ...path, summary: condition.order?.[path.first]?.[path.second] } : undefined;
        const missing = order?.summary?.both === 0 ? `no value: no run reached both ${order.first} and ${order.second}, so which came first never occurred` : undefined;
        // an interval with no spread behind it says so, or a FAIL of a perfect sample reads as a poor one
        const bound = boundMassOf(condition, path);
        const note = bound === undefined ? "" : ` (all ${bound.n} runs at ${formatCheckNumber(bound.value)}: with no spread, the distribution-free interval of a mean on a bound of its range)`;
        results.push(verdict(describeCondition(condition.condition), conditionValue(condition, path), missing, note));
      }
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
      results.push(verdict(`${label} → ${nextLabel}`, comparisonValue(summary, condition, next, path)));
    }
    if (compared === 0) {
      results.push({ pass: false, line: `FAIL where ${describeCondition(rule.where)} ${test}: no matching condition has a next value of ${path.key} to compare with${why}` });
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
