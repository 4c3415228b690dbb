// A config's events (merged over the defaults), its gaps (ordered event pairs) and its extra charts.
import { DEFAULT_EVENTS, type EventSpec } from "../kernel/events.js";
import { defaultGaps } from "../analysis/summary/gaps.js";
import { suggestionFor } from "./inputError.js";
import { checkKnownKeys, validateFiniteNumber, validateMetricName, validateOp } from "./fieldChecks.js";
import { childOf, fail, isPlainObject, show, type Where } from "./validateParams.js";

const EVENT_KEYS = ["metric", "op", "value"];
export const EVENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Events merged over DEFAULT_EVENTS; a default event may be overridden field by field. */
export function validateEvents(raw: unknown, where: Where): Record<string, EventSpec> {
  const events: Record<string, EventSpec> = {};
  for (const [name, spec] of Object.entries(DEFAULT_EVENTS)) events[name] = { ...spec };
  if (raw === undefined) return events;
  if (!isPlainObject(raw)) fail(where, `must be an object of event name → {metric, op, value}, got ${show(raw)}`);
  for (const [name, rawEvent] of Object.entries(raw)) {
    const at = childOf(where, name);
    if (!EVENT_NAME_PATTERN.test(name)) fail(at, "an event name must start with a letter and hold only letters, digits and '_'");
    if (!isPlainObject(rawEvent)) fail(at, `must be an object {metric, op, value}, got ${show(rawEvent)}`);
    checkKnownKeys(rawEvent, EVENT_KEYS, at);
    const defaults: Partial<EventSpec> = Object.hasOwn(DEFAULT_EVENTS, name) ? DEFAULT_EVENTS[name] : {};
    const merged: Record<string, unknown> = { ...defaults, ...rawEvent };
    for (const key of EVENT_KEYS) {
      if (merged[key] === undefined) fail(childOf(at, key), "missing (a new event needs metric, op and value)");
    }
    events[name] = {
      metric: validateMetricName(merged.metric, childOf(at, "metric")),
      op: validateOp(merged.op, childOf(at, "op")),
      value: validateFiniteNumber(merged.value, childOf(at, "value")),
    };
  }
  return events;
}

/**
 * `gaps`: ordered pairs [first, second] of distinct events, each summarized as the lead of `second`
 * over `first` (`gap.<first>.<second>`); absent → defaultGaps (spurious → signal); [] → none.
 */
export function validateGaps(raw: unknown, where: Where, events: Readonly<Record<string, EventSpec>>): [string, string][] {
  const names = Object.keys(events);
  if (raw === undefined) return defaultGaps(names);
  if (!Array.isArray(raw)) fail(where, `must be an array of event pairs [first, second], e.g. [["spurious", "signal"]], got ${show(raw)}`);
  const seen = new Set<string>();
  return raw.map((pair, i): [string, string] => {
    const at = childOf(where, i);
    if (!Array.isArray(pair) || pair.length !== 2) fail(at, `must be a pair of event names [first, second], got ${show(pair)}`);
    pair.forEach((name, j) => {
      if (typeof name !== "string" || !names.includes(name)) fail(childOf(at, j), `unknown event ${show(name)}${typeof name === "string" ? suggestionFor(name, names) : ""}; events: ${names.join(", ")}`);
    });
    const [first, second] = pair as [string, string];
    if (first === second) fail(at, `'${first}' twice: a gap is between two different events`);
    if (seen.has(`${first}.${second}`)) fail(at, `repeats the gap ${first} → ${second}`);
    seen.add(`${first}.${second}`);
    return [first, second];
  });
}

/** `charts`: extra figures, each a non-empty list of scalar metric names drawn together. */
export function validateCharts(raw: unknown, where: Where): string[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(where, `must be an array of charts, each an array of metric names, got ${show(raw)}`);
  return raw.map((chart, i) => {
    const at = childOf(where, i);
    if (!Array.isArray(chart) || chart.length === 0) fail(at, `a chart must be a non-empty array of metric names, got ${show(chart)}`);
    return chart.map((metric, j) => validateMetricName(metric, childOf(at, j)));
  });
}
