// Check rules (SPEC §5): a config's `checks` or a thresholds file, each a summary path compared
// with a number in the conditions its `where` selects.
import type { Comparison, EventSpec } from "../kernel/events.js";
import { isStudyPath, SUMMARY_PATH_FORMS, validateSummaryPath } from "../analysis/summaryPaths.js";
import { readJson5File } from "./readJson5File.js";
import { checkKnownKeys, validateFiniteNumber, validateOp } from "./fieldChecks.js";
import { CONFIG_KEY_NAMES } from "./studyGrid.js";
import { checkKeyValue, childOf, fail, isPlainObject, modelKeySpec, show, type Where } from "./validateParams.js";

/** A threshold rule over a condition's summary (SPEC §5). */
export interface CheckRule {
  /** Model key → value; the rule applies to the conditions that have these values. */
  where: Record<string, unknown>;
  /** A summary path, e.g. `events.signal.reachedFraction` (see analysis/summaryPaths.ts). */
  metric: string;
  op: Comparison;
  value: number;
  description?: string;
}

const CHECK_RULE_KEYS = ["where", "metric", "op", "value", "description"];

/**
 * Reads a thresholds file for `check --thresholds F`: a JSON5 array of rules or `{ checks: [...] }`.
 * `events` are the study's events (to check `events.<name>` paths); `grid`, when known, lets a
 * rule's `where` be checked against the values actually run.
 */
export function loadThresholdsFile(
  file: string,
  events: Readonly<Record<string, EventSpec>>,
  grid?: Readonly<Record<string, readonly unknown[]>>,
  gaps?: readonly (readonly [string, string])[],
): CheckRule[] {
  const raw = readJson5File(file);
  const top: Where = { file, path: "" };
  if (Array.isArray(raw)) return validateCheckRules(raw, top, events, grid, gaps);
  if (!isPlainObject(raw)) fail(top, `must be an array of check rules or { checks: [...] }, got ${show(raw)}`);
  checkKnownKeys(raw, ["$schema", "checks"], top);
  if (raw.checks === undefined) fail(top, "missing 'checks' (an array of check rules)");
  return validateCheckRules(raw.checks, childOf(top, "checks"), events, grid, gaps);
}

/** Check rules (a config's `checks` or a thresholds file); see CheckRule. `gaps` default: defaultGaps. */
export function validateCheckRules(
  raw: unknown,
  where: Where,
  events: Readonly<Record<string, EventSpec>>,
  grid?: Readonly<Record<string, readonly unknown[]>>,
  gaps?: readonly (readonly [string, string])[],
): CheckRule[] {
  if (!Array.isArray(raw)) fail(where, `must be an array of check rules, got ${show(raw)}`);
  return raw.map((rawRule, i) => {
    const at = childOf(where, i);
    if (!isPlainObject(rawRule)) fail(at, `a check rule must be an object {where?, metric, op, value}, got ${show(rawRule)}`);
    checkKnownKeys(rawRule, CHECK_RULE_KEYS, at);
    if (typeof rawRule.metric !== "string") fail(childOf(at, "metric"), `must be a summary path such as ${SUMMARY_PATH_FORMS}, got ${show(rawRule.metric)}`);
    const path = validateSummaryPath(rawRule.metric, childOf(at, "metric"), events, grid, gaps);
    if (isStudyPath(path) && rawRule.where !== undefined && !(isPlainObject(rawRule.where) && Object.keys(rawRule.where).length === 0)) {
      fail(childOf(at, "where"), `'${rawRule.metric}' is one number for the whole study (a regression over every condition), so a where has nothing to choose; remove the where`);
    }
    const rule: CheckRule = {
      where: validateRuleWhere(rawRule.where, childOf(at, "where"), grid),
      metric: rawRule.metric,
      op: validateOp(rawRule.op, childOf(at, "op")),
      value: validateFiniteNumber(rawRule.value, childOf(at, "value")),
    };
    if (rawRule.description !== undefined) {
      if (typeof rawRule.description !== "string") fail(childOf(at, "description"), `must be a string, got ${show(rawRule.description)}`);
      rule.description = rawRule.description;
    }
    return rule;
  });
}

/** A rule's `where`: model keys (not seed) with valid values, and values that were actually run. */
function validateRuleWhere(
  raw: unknown,
  where: Where,
  grid: Readonly<Record<string, readonly unknown[]>> | undefined,
): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) fail(where, `must be an object of model key → value, got ${show(raw)}`);
  for (const [key, value] of Object.entries(raw)) {
    const spec = modelKeySpec(key, where, CONFIG_KEY_NAMES); // no seed: a summary is over seeds
    checkKeyValue(spec, value, childOf(where, key));
    const values = grid?.[key];
    if (values !== undefined && !values.includes(value)) {
      fail(childOf(where, key), `${show(value)} matches no condition; grid.${key} has ${values.map(show).join(", ")}`);
    }
  }
  return { ...raw };
}
