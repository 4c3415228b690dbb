// The summary-path language (SPEC §5): the paths check rules name, e.g. `events.signal.medianStep`
// or `compare.lambda.events.signal.pValue` — their grammar and their validation (config files,
// thresholds files, check). Their shapes are in summaryPathTypes.ts, their lookup in a summary in
// summaryPathValues.ts.
import { suggestionFor } from "../config/inputError.js";
import { MODEL_KEY_NAMES, VARIANT_KEY } from "../config/modelKeys.js";
import { fail, type Where } from "../config/validateParams.js";
import type { EventSpec } from "../kernel/events.js";
import { ALL_METRICS, metricRange, type CompanionMetric, type ScalarMetric } from "../kernel/metricNames.js";
import { differenceRange, UNBOUNDED, type Interval } from "./statistics/index.js";
import { defaultGaps, type GapPair } from "./summary/gaps.js";
import { EFFECT_TERM_FIELDS, type EffectTermField } from "./summary/effects.js";
import {
  DIVERGED_SUMMARY_FIELDS,
  EVENT_COMPARISON_FIELDS,
  EVENT_SUMMARY_FIELDS,
  GAP_SUMMARY_FIELDS,
  ORDER_SUMMARY_FIELDS,
  SUMMARY_RATE_NAMES,
  VALUE_COMPARISON_FIELDS,
  VALUE_SUMMARY_FIELDS,
  type ComparePath,
  type EffectPath,
  type SummaryPath,
  type ValueQuantity,
  type ValueSection,
} from "./summaryPathTypes.js";

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
