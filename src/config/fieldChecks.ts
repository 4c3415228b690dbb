// Checks of one config field that several sections share: known keys, a comparison, a number, a metric name.
import { COMPARISONS, type Comparison, type EventSpec } from "../kernel/events.js";
import { SCALAR_METRICS, isScalarMetric } from "../kernel/metricNames.js";
import { suggestionFor } from "./inputError.js";
import { fail, show, type Where } from "./validateParams.js";

export function checkKnownKeys(object: Record<string, unknown>, allowed: readonly string[], where: Where): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail(where, `unknown key '${key}'${suggestionFor(key, allowed)}`);
  }
}

export function validateMetricName(raw: unknown, where: Where): EventSpec["metric"] {
  if (typeof raw !== "string") fail(where, `must be a metric name (one of ${SCALAR_METRICS.join(", ")}), got ${show(raw)}`);
  if (!isScalarMetric(raw)) fail(where, `unknown metric '${raw}'${suggestionFor(raw, SCALAR_METRICS)}`);
  return raw;
}

export function validateOp(raw: unknown, where: Where): Comparison {
  if (!(COMPARISONS as readonly unknown[]).includes(raw)) {
    fail(where, `must be one of ${COMPARISONS.map((op) => `'${op}'`).join(", ")}, got ${show(raw)}`);
  }
  return raw as Comparison;
}

export function validateFiniteNumber(raw: unknown, where: Where): number {
  if (typeof raw !== "number" || !Number.isFinite(raw)) fail(where, `must be a finite number, got ${show(raw)}`);
  return raw;
}
