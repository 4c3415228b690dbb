// Study configs (SPEC §4): a JSON5 file of base model keys, a grid, seeds, events, charts and checks.
// Every error is an InputError "<file>: <key path>: <problem>"; nothing is run from a bad config.
// This file assembles the sections (each checked in its own file) and checks what needs them all.
import { basename, extname } from "node:path";
import type { EventSpec } from "../kernel/events.js";
import { suggestionFor } from "./inputError.js";
import { isComparePath, validateSummaryPath } from "../analysis/summaryPaths.js";
import type { EffectsConfig } from "../analysis/summary/effects.js";
import { AFT_DISTRIBUTIONS, type AftDistribution } from "../analysis/statistics/acceleratedFailureTime.js";
import { isStoredStep } from "../pool/layout.js";
import { checkViewOptions, parseViewOptions, type ViewOptions } from "./viewOptions.js";
import { MAX_SEED, VARIANT_KEY, resolveParams, type ModelParams } from "./modelKeys.js";
import { isExpressionText } from "./expression.js";
import { checkExpression, checkExpressionNames, evaluateExpressions } from "./keyExpressions.js";
import { readJson5File } from "./readJson5File.js";
import { checkKnownKeys } from "./fieldChecks.js";
import { validateGrid } from "./studyGrid.js";
import { validateCharts, validateEvents, validateGaps } from "./studyEvents.js";
import { validateCheckRules, type CheckRule } from "./checkRules.js";
import { checkParamConsistency, childOf, fail, isPlainObject, modelKeySpec, show, validateModelParams, type Where } from "./validateParams.js";

/** One grid condition: grid key → value. */
export type Condition = Record<string, unknown>;

export interface StudyConfig {
  file: string;
  name: string;
  description?: string;
  /** Model keys shared by every condition; a number key may be an expression text "=…" of the grid keys (config/keyExpressions.ts). */
  base: Partial<ModelParams>;
  /** Grid key → values, in the order written (the first key varies slowest in `conditionsOf`). */
  grid: Record<string, unknown[]>;
  seeds: number[];
  /** DEFAULT_EVENTS with the config's events merged over them. */
  events: Record<string, EventSpec>;
  /** Extra charts: each a list of scalar metric names drawn together. */
  charts: string[][];
  checks: CheckRule[];
  /** Ordered event pairs [first, second] summarized as the lead `gap.<first>.<second>` (default: spurious → signal). */
  gaps: [string, string][];
  /** How the report lays out the results: pivot rows and columns, figure colour, facet and step axis. */
  figures: ViewOptions;
  /** The effect models' settings when the config sets them (else the defaults, DEFAULT_EFFECTS). */
  effects?: EffectsConfig;
}

const TOP_LEVEL_KEYS = ["$schema", "name", "description", "base", "grid", "seeds", "events", "gaps", "charts", "checks", "figures", "effects"];
const EFFECTS_KEYS = ["dist", "interactions"];
export const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
/**
 * Longest study name: it names the default results directory reports/<name>/, and a file system
 * holds at most 255 bytes in one name; the rest is left for the paths the tool builds beside it.
 */
const MAX_NAME_LENGTH = 100;
/** More seeds than this is surely a typo, and would only exhaust memory. */
export const MAX_SEED_COUNT = 1_000_000;

/** Reads a study config; throws InputError for a missing file, bad JSON5 or an invalid config. */
export function loadStudyConfig(file: string): StudyConfig {
  return parseStudyConfig(readJson5File(file), file);
}

/** Validates an already-parsed config object; `file` names it in errors and gives the default name. */
export function parseStudyConfig(raw: unknown, file: string): StudyConfig {
  const top: Where = { file, path: "" };
  if (!isPlainObject(raw)) fail(top, `a study config must be an object, got ${show(raw)}`);
  checkKnownKeys(raw, TOP_LEVEL_KEYS, top);

  const at = (key: string) => childOf(top, key);
  const name = validateName(raw.name, file);
  if (raw.description !== undefined && typeof raw.description !== "string") {
    fail(at("description"), `must be a string, got ${show(raw.description)}`);
  }
  if (raw.$schema !== undefined && typeof raw.$schema !== "string") {
    fail(at("$schema"), `must be a string, got ${show(raw.$schema)}`);
  }

  const base = validateConfigModelKeys(raw.base === undefined ? {} : raw.base, at("base"));
  // A seed in base would be silently replaced by each run's seed, so it is refused.
  if ("seed" in base) fail(childOf(at("base"), "seed"), "the seed of each run comes from 'seeds'; remove it from base");
  const grid = validateGrid(raw.grid, at("grid"));
  checkExpressionNames(base, grid, { base: at("base"), grid: at("grid") });
  const events = validateEvents(raw.events, at("events"));
  const gaps = validateGaps(raw.gaps, at("gaps"), events);

  const config: StudyConfig = {
    file,
    name,
    ...(raw.description !== undefined ? { description: raw.description as string } : {}),
    base: { ...base },
    grid,
    seeds: validateSeeds(raw.seeds, at("seeds")),
    events,
    charts: validateCharts(raw.charts, at("charts")),
    checks: validateCheckRules(raw.checks === undefined ? [] : raw.checks, at("checks"), events, grid, gaps),
    gaps,
    figures: checkViewOptions(parseViewOptions(raw.figures, at("figures")), grid, (key) => childOf(at("figures"), key)),
    ...(raw.effects !== undefined ? { effects: validateEffects(raw.effects, at("effects"), grid) } : {}),
  };

  // Cross-key rules need the resolved params of every condition (a default may take part).
  for (const condition of conditionsOf(config)) {
    const where = Object.keys(grid).length === 0 ? "base" : `grid condition ${describeCondition(condition)}`;
    checkExpressionValues(config, condition, file);
    const params = paramsFor(config, condition, 0);
    checkParamConsistency(params, { file, path: where });
    checkStopAfter(params.stopAfter, events, { file, path: where === "base" ? "base.stopAfter" : `${where}: stopAfter` });
  }
  checkRulesAgainstConditions(config, at("checks"));
  return config;
}

/**
 * What a rule's path needs of the conditions it applies to: an at<step> or change<step> path needs
 * the step evaluated there (else the rule could only fail for want of a value), and a compare path
 * needs a next value along its key (a where that pins the key to its last value compares nothing).
 */
function checkRulesAgainstConditions(config: StudyConfig, where: Where): void {
  const conditions = conditionsOf(config);
  config.checks.forEach((rule, i) => {
    const at = childOf(childOf(where, i), "metric");
    const path = validateSummaryPath(rule.metric, at, config.events, config.grid, config.gaps);
    const of = path.section === "compareValue" ? path.of : path;
    if (isComparePath(path)) {
      const values = config.grid[path.key];
      if (Object.hasOwn(rule.where, path.key) && rule.where[path.key] === values[values.length - 1]) {
        fail(childOf(childOf(where, i), "where"), `${path.key}: ${show(rule.where[path.key])} is the last value of grid.${path.key}; '${rule.metric}' compares a condition with the next value`);
      }
    }
    if (!("step" in of) || of.step === null) return;
    const step = of.step;
    for (const condition of conditions) {
      const params = paramsFor(config, condition, 0);
      const matches = Object.entries(rule.where).every(([key, value]) =>
        Object.hasOwn(condition, key) ? condition[key] === value : (params as unknown as Record<string, unknown>)[key] === value,
      );
      if (matches && !(step <= params.steps && isStoredStep(params, step))) {
        fail(at, `step ${step} of '${rule.metric}' is not evaluated in ${Object.keys(condition).length === 0 ? "the base condition" : describeCondition(condition)} (evalEvery ${params.evalEvery}, steps ${params.steps})`);
      }
    }
  });
}

/** The conditions of a study: the cartesian product of the grid, the first key varying slowest. */
export function conditionsOf(config: Pick<StudyConfig, "grid">): Condition[] {
  let conditions: Condition[] = [{}];
  for (const [key, values] of Object.entries(config.grid)) {
    conditions = conditions.flatMap((partial) => values.map((value) => ({ ...partial, [key]: value })));
  }
  return conditions;
}

/** The resolved params of one run: defaults, then base, then the condition, then the seed; expressions evaluated in the condition. */
export function paramsFor(config: Pick<StudyConfig, "base">, condition: Condition, seed: number): ModelParams {
  return resolveParams({ ...evaluateExpressions({ ...config.base, ...conditionParams(condition) }, condition), seed } as Partial<ModelParams>);
}

/** stopAfter names events of the study (a typo would otherwise never stop a run). */
function checkStopAfter(names: readonly string[], events: Readonly<Record<string, EventSpec>>, where: Where): void {
  const known = Object.keys(events);
  for (const name of names) {
    if (!known.includes(name)) fail(where, `'${name}' is not an event of this study; its events: ${known.join(", ")}${suggestionFor(name, known)}`);
  }
}

/** Each expression's value in `condition`, checked like any value of its key; a bad one names the key, the expression and the condition. */
function checkExpressionValues(config: StudyConfig, condition: Condition, file: string): void {
  const variant = condition[VARIANT_KEY];
  const variantIndex = isPlainObject(variant) ? (config.grid[VARIANT_KEY] ?? []).indexOf(variant) : -1;
  const inCondition = Object.keys(condition).length === 0 ? "" : ` in grid condition ${describeCondition(condition)}`;
  evaluateExpressions({ ...config.base, ...conditionParams(condition) }, condition, (key, text) => ({
    file,
    path: `${variantIndex >= 0 && Object.hasOwn(variant as object, key) ? `grid.${VARIANT_KEY}[${variantIndex}].${key}` : `base.${key}`} = ${show(text)}${inCondition}`,
  }));
}

/** Model keys of a config (base, a variant): valid values, or for number keys an expression "=…" (checked for syntax here, for names and values once the grid is known). */
function validateConfigModelKeys(raw: unknown, where: Where): Partial<ModelParams> {
  if (!isPlainObject(raw)) return validateModelParams(raw, where); // which says what is wrong
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (isExpressionText(value)) checkExpression(modelKeySpec(key, where), value, childOf(where, key));
    else plain[key] = value;
  }
  validateModelParams(plain, where);
  return raw as Partial<ModelParams>;
}

export { VARIANT_KEY };

/** A condition's model keys: its grid values with the keys of its variant (if any) spread in. */
export function conditionParams(condition: Condition): Record<string, unknown> {
  const { [VARIANT_KEY]: variant, ...rest } = condition;
  return isPlainObject(variant) ? { ...rest, ...variant } : rest;
}

/** "{lambda: 0.5, width: 64}": a condition in messages and reports. */
export function describeCondition(condition: Condition): string {
  return `{${Object.entries(condition).map(([key, value]) => `${key}: ${show(value)}`).join(", ")}}`;
}

/** `seeds`: a count n (seeds 0..n-1) or a non-empty list of distinct integers in [0, 2^32-1]. */
export function validateSeeds(raw: unknown, where: Where): number[] {
  const allowed = `a seed count (a positive integer) or a non-empty list of distinct integers in [0, ${MAX_SEED}]`;
  if (raw === undefined) fail(where, `missing; give ${allowed}`);
  if (typeof raw === "number") {
    if (!Number.isInteger(raw) || raw < 1 || raw > MAX_SEED_COUNT) {
      fail(where, `a seed count must be an integer in [1, ${MAX_SEED_COUNT}], got ${show(raw)}`);
    }
    return Array.from({ length: raw }, (_, i) => i);
  }
  if (!Array.isArray(raw) || raw.length === 0) fail(where, `must be ${allowed}, got ${show(raw)}`);
  const seen = new Set<number>();
  raw.forEach((seed, i) => {
    if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
      fail(childOf(where, i), `a seed must be an integer in [0, ${MAX_SEED}], got ${show(seed)}`);
    }
    if (seen.has(seed)) fail(childOf(where, i), `repeats the seed ${seed}`);
    seen.add(seed);
  });
  return [...raw] as number[];
}

function validateName(raw: unknown, file: string): string {
  const where: Where = { file, path: "name" };
  if (raw === undefined) {
    const fromFile = basename(file, extname(file));
    if (!NAME_PATTERN.test(fromFile) || /^\.+$/.test(fromFile) || fromFile.length > MAX_NAME_LENGTH) {
      fail(where, `the file name '${fromFile}' is not a valid study name; set 'name' (at most ${MAX_NAME_LENGTH} letters, digits, '.', '_', '-', not only dots)`);
    }
    return fromFile;
  }
  if (typeof raw !== "string" || !NAME_PATTERN.test(raw)) {
    fail(where, `must be a non-empty string of letters, digits, '.', '_' and '-', got ${show(raw)}`);
  }
  if (raw.length > MAX_NAME_LENGTH) fail(where, `${raw.length} characters, more than the ${MAX_NAME_LENGTH} a study name may have (it names the directory reports/<name>/)`);
  if (/^\.+$/.test(raw)) fail(where, `'${raw}' would make the default results directory reports/${raw}, outside reports/; use letters or digits`);
  return raw;
}

/**
 * `effects: { dist?: "weibull" | "lognormal", interactions?: [[key, key], …] }`: the effect models'
 * distribution (default weibull) and interactions (default none), each a pair of different grid keys
 * with two or more values, named once.
 */
function validateEffects(raw: unknown, where: Where, grid: Readonly<Record<string, readonly unknown[]>>): EffectsConfig {
  if (!isPlainObject(raw)) fail(where, `must be an object { dist?, interactions? }, got ${show(raw)}`);
  checkKnownKeys(raw, EFFECTS_KEYS, where);
  const dist = raw.dist ?? "weibull";
  if (!(AFT_DISTRIBUTIONS as readonly unknown[]).includes(dist)) fail(childOf(where, "dist"), `must be one of ${AFT_DISTRIBUTIONS.map((d) => `'${d}'`).join(", ")}, got ${show(dist)}`);
  const rawInteractions = raw.interactions ?? [];
  if (!Array.isArray(rawInteractions)) fail(childOf(where, "interactions"), `must be an array of key pairs such as [["width", "lambda"]], got ${show(rawInteractions)}`);
  const varying = Object.keys(grid).filter((key) => grid[key].length >= 2);
  const seen = new Set<string>();
  const interactions = rawInteractions.map((pair, i): [string, string] => {
    const at = childOf(childOf(where, "interactions"), i);
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((k) => typeof k === "string")) fail(at, `an interaction is a pair of grid keys such as ["width", "lambda"], got ${show(pair)}`);
    const [a, b] = pair as [string, string];
    for (const key of [a, b]) {
      if (!varying.includes(key)) fail(at, `'${key}' is not a grid key with two or more values${suggestionFor(key, varying)}; grid keys that vary: ${varying.join(", ") || "none"}`);
    }
    if (a === b) fail(at, `pairs '${a}' with itself; an interaction needs two different keys`);
    const id = [a, b].sort().join(":");
    if (seen.has(id)) fail(at, `repeats the interaction of ${a} and ${b}`);
    seen.add(id);
    return [a, b];
  });
  return { dist: dist as AftDistribution, interactions };
}
