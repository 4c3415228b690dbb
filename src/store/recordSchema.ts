// The schema of one run record (a line of runs.jsonl, SPEC §4), checked against the study it
// belongs to: every field the statistics, the report, resume and merge read has its type and its
// range — an event step lies in [0, params.steps], a trajectory is ascending and no longer than a
// run stores — and the params are exactly those the study's config gives the record's condition
// and seed, so a record copied from another study (d = 48 among d = 32) is refused, not merged.
// Every loop here is bounded by the length of the line, which the reader bounds first.
import { conditionParams, paramsFor } from "../config/studyConfig.js";
import { defaultParams, MAX_SEED } from "../config/modelKeys.js";
import { isPlainObject, show, validateModelParams } from "../config/validateParams.js";
import { SCALAR_METRICS } from "../kernel/metricNames.js";
import { MAX_STORED_POINTS } from "../pool/layout.js";
import { canonicalJson } from "./configHash.js";
import type { RunRecord } from "./runRecord.js";

/** What a record is checked against: the resolved config of its results directory. */
export interface RecordStudy {
  base: Record<string, unknown>;
  events: Record<string, unknown>;
}

/** A field of a record and what is wrong with it; `field` is a path such as `events.signal`. */
export interface RecordProblem {
  field: string;
  problem: string;
}

/** Longest string field of a record (kernel and version names, a weights folder). */
const MAX_TEXT = 1000;

class Refusal extends Error {
  constructor(readonly at: RecordProblem) {
    super(at.problem);
  }
}

function refuse(field: string, problem: string): never {
  throw new Refusal({ field, problem });
}

const isStep = (v: unknown, steps: number) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= steps;
const isFiniteOrNull = (v: unknown) => v === null || (typeof v === "number" && Number.isFinite(v));

function object(value: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(value)) refuse(field, `must be an object, got ${show(value)}`);
  return value;
}

function stepOrNull(value: unknown, field: string, steps: number): void {
  if (value !== null && !isStep(value, steps)) refuse(field, `must be a step in [0, ${steps}] (params.steps) or null, got ${show(value)}`);
}

function text(value: unknown, field: string): void {
  if (typeof value !== "string" || value.length > MAX_TEXT) refuse(field, `must be a string of at most ${MAX_TEXT} characters, got ${show(value)}`);
}

/** One evaluation's metrics: every scalar metric a finite number (or null: a diverged run), acc four of them. */
function metrics(value: unknown, field: string): void {
  const m = object(value, field);
  for (const name of SCALAR_METRICS) {
    if (!(name in m)) refuse(`${field}.${name}`, "missing");
    if (!isFiniteOrNull(m[name])) refuse(`${field}.${name}`, `must be a finite number or null, got ${show(m[name])}`);
  }
  if (!Array.isArray(m.acc) || m.acc.length !== 4 || !m.acc.every(isFiniteOrNull)) refuse(`${field}.acc`, `must be 4 group accuracies, got ${show(m.acc)}`);
}

/** The params are the config's for this condition and seed (see the file comment). */
function params(record: Record<string, unknown>, study: RecordStudy, seed: number): { steps: number } {
  const condition = object(record.condition, "condition");
  try {
    validateModelParams(conditionParams(condition), "condition");
  } catch (err) {
    refuse("condition", (err as Error).message.replace(/^condition: /, ""));
  }
  const given = object(record.params, "params");
  const expected = paramsFor({ base: study.base }, condition, seed) as unknown as Record<string, unknown>;
  // The resolved base holds initA = 1/√(base width); a width-grid condition that left initA at its
  // default ran with 1/√(its own width), which paramsFor cannot tell from the resolved base.
  if (typeof given.width === "number" && given.initA === 1 / Math.sqrt(given.width)) expected.initA = given.initA;
  const defaults = defaultParams() as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(expected), ...Object.keys(given)])) {
    if (canonicalJson(given[key] ?? null) === canonicalJson(expected[key] ?? null) && key in given === key in expected) continue;
    // A model key added after the record was written, at its default: the run computed the same.
    if (!(key in given) && canonicalJson(expected[key] ?? null) === canonicalJson(defaults[key] ?? null)) continue;
    refuse(
      `params.${key}`,
      key in given
        ? `is ${show(given[key])}, but config.resolved.json gives ${key in expected ? show(expected[key]) : "no such key"} for this condition and seed: the run is of another study`
        : `missing (config.resolved.json gives ${show(expected[key])})`,
    );
  }
  return { steps: expected.steps as number };
}

function check(value: unknown, study: RecordStudy): void {
  const record = object(value, "record");
  const seed = record.seed;
  if (!(Number.isSafeInteger(seed) && (seed as number) >= 0 && (seed as number) <= MAX_SEED)) refuse("seed", `must be an integer in [0, ${MAX_SEED}], got ${show(seed)}`);
  const { steps } = params(record, study, seed as number);

  const events = object(record.events, "events");
  const names = Object.keys(study.events);
  for (const name of names) {
    if (!(name in events)) refuse(`events.${name}`, "missing (an event of the study's config)");
    stepOrNull(events[name], `events.${name}`, steps);
  }
  for (const name of Object.keys(events)) if (!names.includes(name)) refuse(`events.${name}`, `not an event of the study's config (${names.join(", ")})`);
  if (record.eventsBracket !== undefined) {
    const brackets = object(record.eventsBracket, "eventsBracket");
    for (const [name, b] of Object.entries(brackets)) {
      if (!names.includes(name)) refuse(`eventsBracket.${name}`, `not an event of the study's config (${names.join(", ")})`);
      if (b === null) continue;
      const bracket = object(b, `eventsBracket.${name}`);
      stepOrNull(bracket.previous, `eventsBracket.${name}.previous`, steps);
      if (!isStep(bracket.grid, steps)) refuse(`eventsBracket.${name}.grid`, `must be a step in [0, ${steps}], got ${show(bracket.grid)}`);
    }
  }

  const rates = object(record.rates, "rates");
  for (const name of ["spuriousRate", "signalRate"]) {
    if (!(name in rates) || !isFiniteOrNull(rates[name])) refuse(`rates.${name}`, `must be a finite number or null, got ${show(rates[name])}`);
  }
  metrics(record.final, "final");
  const trajectory = record.trajectory;
  if (!Array.isArray(trajectory) || trajectory.length === 0 || trajectory.length > MAX_STORED_POINTS + 2) {
    refuse("trajectory", `must be an array of 1 to ${MAX_STORED_POINTS + 2} evaluations, got ${Array.isArray(trajectory) ? `${trajectory.length}` : show(trajectory)}`);
  }
  let previous = -1;
  trajectory.forEach((point, i) => {
    const at = `trajectory[${i}]`;
    const step = object(point, at).step;
    if (!isStep(step, steps) || (step as number) <= previous) refuse(`${at}.step`, `must be a step in [0, ${steps}] after ${previous}, got ${show(step)}`);
    previous = step as number;
    metrics(point, at);
  });
  stepOrNull(record.diverged, "diverged", steps);
  if (record.stopped !== undefined) stepOrNull(record.stopped, "stopped", steps); // only runs with stopAfter have it
  if (typeof record.wallMs !== "number" || !Number.isFinite(record.wallMs) || record.wallMs < 0) refuse("wallMs", `must be a number ≥ 0, got ${show(record.wallMs)}`);

  const engine = object(record.engine, "engine");
  for (const name of ["threads", "shards"]) {
    const n = engine[name];
    if (!(Number.isSafeInteger(n) && (n as number) >= 1 && (n as number) <= 65536)) refuse(`engine.${name}`, `must be an integer in [1, 65536], got ${show(n)}`);
  }
  text(engine.kernel, "engine.kernel");
  text(engine.version, "engine.version");
  if (engine.barrierWaitShare !== undefined && !(typeof engine.barrierWaitShare === "number" && engine.barrierWaitShare >= 0 && engine.barrierWaitShare <= 1)) {
    refuse("engine.barrierWaitShare", `must be a number in [0, 1], got ${show(engine.barrierWaitShare)}`);
  }
  if (engine.stepsMs !== undefined && !(typeof engine.stepsMs === "number" && Number.isFinite(engine.stepsMs) && engine.stepsMs >= 0)) {
    refuse("engine.stepsMs", `must be a number ≥ 0, got ${show(engine.stepsMs)}`);
  }

  if (record.weights !== undefined) text(record.weights, "weights");
  if (record.weightsSteps !== undefined) {
    const list = record.weightsSteps;
    if (!Array.isArray(list) || record.weights === undefined) refuse("weightsSteps", `must be an array of steps beside 'weights', got ${show(list)}`);
    let last = -1;
    list.forEach((s, i) => {
      if (!isStep(s, steps) || (s as number) <= last) refuse(`weightsSteps[${i}]`, `must be a step in [0, ${steps}] after ${last}, got ${show(s)}`);
      last = s as number;
    });
  }
}

/** The record `value` is, checked against `study`; or the first field that is wrong. */
export function checkRunRecord(value: unknown, study: RecordStudy): { record: RunRecord } | { refused: RecordProblem } {
  try {
    check(value, study);
    return { record: value as RunRecord };
  } catch (err) {
    if (err instanceof Refusal) return { refused: err.at };
    throw err;
  }
}
