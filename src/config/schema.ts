// The JSON Schema of study configs, built from MODEL_KEYS so it cannot disagree with the validator's
// key table. It ships as schema/study.schema.json, with the `$id` URL where the published package serves
// it (configs point at it with `$schema`: a relative path, or that URL; `shortcut-bench init` picks);
// a test keeps that file equal to `renderStudyConfigSchema()`; regenerate it with
// `npx vitest run tests/config/config.test.ts -u`. The loader still validates what a schema cannot say
// (finite numbers, known event names in check paths, cross-key rules).
import { COMPARISONS } from "../kernel/events.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import { summaryPathPattern } from "../analysis/summaryPaths.js";
import { AFT_DISTRIBUTIONS } from "../analysis/statistics/acceleratedFailureTime.js";
import { MAX_SEED, MODEL_KEYS, VARIANT_KEY, type KeySpec } from "./modelKeys.js";
import { SCHEMA_ID } from "../packageFiles.js";
import { EXPRESSION_PREFIX } from "./expression.js";
import { STEP_AXES } from "./viewOptions.js";
import { MAX_SEED_COUNT, NAME_PATTERN } from "./studyConfig.js";
import { EVENT_NAME_PATTERN } from "./studyEvents.js";

type JsonSchema = Record<string, unknown>;

function keySchema(spec: KeySpec): JsonSchema {
  const schema: JsonSchema = { description: spec.defaultText === undefined ? spec.description : `${spec.description} (default ${spec.defaultText})` };
  switch (spec.type) {
    case "boolean":
      schema.type = "boolean";
      break;
    case "enum":
      schema.type = "string";
      schema.enum = [...(spec.values ?? [])];
      break;
    case "eventList":
      schema.type = "array";
      schema.items = { type: "string", pattern: EVENT_NAME_PATTERN.source };
      schema.uniqueItems = true;
      break;
    case "integer":
    case "number":
      schema.type = spec.nullable ? [spec.type, "null"] : spec.type;
      if (spec.min !== undefined) schema[spec.exclusiveMin ? "exclusiveMinimum" : "minimum"] = spec.min;
      if (spec.max !== undefined) schema.maximum = spec.max;
      break;
  }
  if (spec.default !== null || spec.nullable) schema.default = spec.default;
  return schema;
}

/** A number key in base or a variant: its value, or an expression "=…" of the grid keys (config/expression.ts). */
function valueOrExpression(spec: KeySpec): JsonSchema {
  const { description, ...value } = keySchema(spec);
  if (spec.type !== "integer" && spec.type !== "number") return { description, ...value };
  const expression = { type: "string", pattern: `^${EXPRESSION_PREFIX}`, description: 'an expression of the grid keys, e.g. "=0.5 * 128 / d": numbers, grid keys, + - * / ^, parentheses, log, sqrt, round, min, max' };
  return { description, anyOf: [value, expression] };
}

/** Model keys a config may set: every key but `seed`, which each run gets from `seeds`. */
const CONFIG_KEYS = MODEL_KEYS.filter((spec) => spec.key !== "seed");

function objectOf(properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: "object", ...extra, properties, additionalProperties: false };
}

/** JSON Schema (draft-07) of a study config. */
export function studyConfigJsonSchema(): JsonSchema {
  const metricName = { type: "string", enum: [...SCALAR_METRICS] };
  const op = { type: "string", enum: [...COMPARISONS] };
  const modelKeys = Object.fromEntries(CONFIG_KEYS.map((spec) => [spec.key, keySchema(spec)]));
  const modelKeysOrExpressions = Object.fromEntries(CONFIG_KEYS.map((spec) => [spec.key, valueOrExpression(spec)]));
  const gridKeys = Object.fromEntries(
    CONFIG_KEYS.map((spec) => [
      spec.key,
      {
        description: `values of ${spec.key}: ${spec.description}`,
        type: "array",
        minItems: 1,
        uniqueItems: true,
        items: keySchema(spec),
      },
    ]),
  );

  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: SCHEMA_ID,
    title: "shortcut-bench study config",
    description: "A study: base model keys, a grid whose cartesian product gives the conditions, seeds, events, charts and checks.",
    type: "object",
    required: ["seeds"],
    additionalProperties: false,
    properties: {
      $schema: { type: "string", description: "path or URL of this schema, for editors" },
      name: {
        type: "string",
        pattern: NAME_PATTERN.source,
        description: "study name (default: the file name without extension); the default output is reports/<name>/",
      },
      description: { type: "string", description: "free text shown in the report" },
      base: objectOf(modelKeysOrExpressions, { description: "model keys shared by every condition (unset keys take their defaults)" }),
      grid: objectOf(
        {
          ...gridKeys,
          [VARIANT_KEY]: {
            description:
              "variants of the model: each an object of model keys applied together (not keys of the grid), e.g. [{}, { activation: \"leaky\" }, { trainSize: 256, batch: 256 }]; the report compares each with the first",
            type: "array",
            minItems: 1,
            items: objectOf(modelKeysOrExpressions),
          },
        },
        { description: "model key → values; the conditions are the cartesian product, the first key varying slowest" },
      ),
      seeds: {
        description: "a seed count n (seeds 0..n-1) or a list of distinct seeds",
        oneOf: [
          { type: "integer", minimum: 1, maximum: MAX_SEED_COUNT },
          { type: "array", minItems: 1, uniqueItems: true, items: { type: "integer", minimum: 0, maximum: MAX_SEED } },
        ],
      },
      events: {
        description: "phase transitions: the first step where metric op value holds (exact to one step, located inside the evaluation interval where it is first seen); merged over the defaults 'spurious' and 'signal' (which may be overridden field by field)",
        type: "object",
        propertyNames: { pattern: EVENT_NAME_PATTERN.source },
        additionalProperties: objectOf({ metric: metricName, op, value: { type: "number" } }),
      },
      gaps: {
        description:
          "ordered event pairs [first, second], each summarized as the lead of second over first (gap.<first>.<second>: step(second) − step(first) per run, censored when only first was reached); default [[\"spurious\", \"signal\"]], [] for none",
        type: "array",
        items: { type: "array", minItems: 2, maxItems: 2, items: { type: "string", pattern: EVENT_NAME_PATTERN.source } },
      },
      charts: {
        description: "extra report charts, each a list of metrics drawn together",
        type: "array",
        items: { type: "array", minItems: 1, items: metricName },
      },
      figures: objectOf(
        {
          rows: { type: "string", description: "grid key whose values are the pivot tables' rows (default: the key with the most values)" },
          cols: { type: "string", description: "grid key whose values are the pivot tables' columns (default: the key with the next most values)" },
          colour: { type: "string", description: "grid key that colours the figures' lines (default: the key with the most values)" },
          facet: { type: "string", description: "grid key with one panel per value, or \"none\" (default: the next key, when there would be more than 6 lines)" },
          x: { type: "string", enum: [...STEP_AXES], description: "the step axis (default: symlog from 100 steps, else linear)" },
        },
        { description: "how the report lays out the results (report's --rows, --cols, --colour, --facet, --x win over these); not part of the study's hash" },
      ),
      effects: objectOf(
        {
          dist: { description: "the distribution of the event step (default weibull)", type: "string", enum: [...AFT_DISTRIBUTIONS], default: "weibull" },
          interactions: {
            description: "pairs of grid keys whose interaction enters the model (default none)",
            type: "array",
            items: { type: "array", minItems: 2, maxItems: 2, items: { type: "string" } },
          },
        },
        {
          description:
            "the study's effect models (summary.json effects, effect.* paths, the report's Answers): each event's step regressed on the grid keys by a censored accelerated-failure-time model",
        },
      ),
      checks: {
        description: "rules checked by `study --check` and `check`: the summary value at metric must satisfy op value",
        type: "array",
        items: objectOf(
          {
            where: objectOf(modelKeys, { description: "the conditions the rule applies to (all when absent)" }),
            metric: {
              type: "string",
              pattern: summaryPathPattern(EVENT_NAME_PATTERN),
              description:
                "summary path: events.<event>.<n|reached|reachedFraction|reachedLo|reachedHi|medianStep|medianLo|medianHi|meanStep|sdStep>; " +
                "final.<metric>.<n|mean|sd|lo|hi>; rates.<spuriousRate|signalRate|rateGap>.<…> (rateGap = spuriousRate − signalRate per run); " +
                "at<step>.<metric>.<…> (the metric at a checkpoint step: 0, 1, 2, 5, 10, 20, 50, 100, … where evaluated); " +
                "change<step>.<metric>.<…> (its per-run change since step 0); " +
                "order.<first event>.<second event>.<n|both|before|fraction|lo|hi|onlyFirst|onlySecond|neither> (runs that reached both, and how many reached the first strictly earlier); " +
                "gap.<first event>.<second event>.<the events fields|noGap|ratioN|ratioMedian|ratioLo|ratioHi|ratioGeoMean|ratioGeoLo|ratioGeoHi> (the lead of second over first, one of the config's gaps); " +
                "compare.<grid key>.events.<event>.<diff|rmstDiff|rmstLo|rmstHi|rmstP|logRankZ|pValue|pHolm|fisherP|fisherHolm|pairs|later|earlier|tied|pairedDiff|pairedLo|pairedHi|pairedP|pairedHolm>, " +
                "compare.<grid key>.gap.<first event>.<second event>.<the same fields> or " +
                "compare.<grid key>.<final|rates|at<step>|change<step>>.<name>.<diff|lo|hi|pValue>: each condition the rule's where matches against the one with the next value of the grid key; " +
                "effect.<event>.<term>.<coef|se|lo|hi|p|timeRatio|timeRatioLo|timeRatioHi> and effect.gap.<first event>.<second event>.<term>.<…>: a term (grid key, key=level, or key:key) of the study's effect model, one number for the whole study (no where)",
            },
            op,
            value: { type: "number" },
            description: { type: "string" },
          },
          { required: ["metric", "op", "value"] },
        ),
      },
    },
  };
}

/** The text of schema/study.schema.json. */
export function renderStudyConfigSchema(): string {
  return `${JSON.stringify(studyConfigJsonSchema(), null, 2)}\n`;
}
