// event-steps.json: every run's event steps, one line per run, next to summary.json. What the
// baseline gate (baselineGate.ts) needs of a study — the per-seed times to each event and the
// config's conditions × seeds, to tell a complete study from one with runs missing — in a file
// small enough to commit (reports/ci-baseline keeps it; runs.jsonl is recomputed).
import { InputError } from "../config/inputError.js";
import { conditionsOf, describeCondition } from "../config/studyConfig.js";
import { isPlainObject } from "../config/validateParams.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import type { DerivedSource } from "../store/derivedSource.js";
import { MAX_RUNS } from "../config/feasibility.js";

export const EVENT_STEPS_FILE = "event-steps.json";

/** One run: its condition, seed, horizon (last step), divergence step and event steps (null = not reached). */
export interface EventStepsRun {
  condition: Record<string, unknown>;
  seed: number;
  horizon: number;
  diverged: number | null;
  events: Record<string, number | null>;
}

export interface EventSteps {
  name: string;
  configHash: string;
  /** The runs and config the file was built from (store/derivedSource.ts). */
  source: DerivedSource;
  /** The config's grid and seeds: its conditions × seeds are the runs a complete study has. */
  grid: Record<string, unknown[]>;
  seeds: number[];
  events: string[];
  runs: EventStepsRun[];
}

/** The event steps of a study's records, in canonical order (condition, then seed). */
export function eventStepsOf(
  records: readonly RunRecord[],
  config: { name: string; grid: Record<string, unknown[]>; seeds: number[]; events: Record<string, unknown> },
  source: DerivedSource,
): EventSteps {
  const runs = records
    .map((r) => ({ key: canonicalJson(r.condition), run: { condition: r.condition, seed: r.seed, horizon: r.params.steps, diverged: r.diverged, events: r.events } }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.run.seed - b.run.seed))
    .map((x) => x.run);
  return { name: config.name, configHash: source.studyHash, source, grid: config.grid, seeds: config.seeds, events: Object.keys(config.events), runs };
}

/** The file's text: JSON with one run per line, so a diff of a baseline shows which runs changed. */
export function renderEventSteps(steps: EventSteps): string {
  const { runs, ...head } = steps;
  const headText = JSON.stringify(head).slice(0, -1);
  return `${headText},"runs":[\n${runs.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`;
}

/**
 * The parsed `event-steps.json` as EventSteps, every field checked — a run's steps in [0, horizon],
 * each (condition, seed) once, at most MAX_RUNS runs — or an InputError naming the file and the
 * field. Whether it belongs to its directory's study is for store/derivedSource.ts to say.
 */
export function checkEventSteps(parsed: unknown, file: string): EventSteps {
  const bad = (field: string, problem: string): never => {
    throw new InputError(`${file}: ${field}: ${problem}; not an ${EVENT_STEPS_FILE} written by shortcut-bench`, { file, key: field });
  };
  if (!isPlainObject(parsed)) bad("(top)", "must be an object");
  const steps = parsed as Record<string, unknown>;
  if (typeof steps.name !== "string") bad("name", "must be a string");
  if (!isPlainObject(steps.grid) || !Object.values(steps.grid).every((v) => Array.isArray(v) && v.length > 0)) bad("grid", "must be an object of non-empty arrays");
  if (!Array.isArray(steps.seeds) || !steps.seeds.every((s) => Number.isSafeInteger(s) && s >= 0)) bad("seeds", "must be an array of seeds");
  if (!Array.isArray(steps.events) || !steps.events.every((e) => typeof e === "string")) bad("events", "must be an array of event names");
  const names = steps.events as string[];
  if (!Array.isArray(steps.runs)) bad("runs", "must be an array");
  const runs = steps.runs as unknown[];
  if (runs.length > MAX_RUNS) bad("runs", `more than ${MAX_RUNS} runs`);
  const seen = new Set<string>();
  runs.forEach((run, i) => {
    const at = `runs[${i}]`;
    if (!isPlainObject(run) || !isPlainObject(run.condition)) bad(`${at}.condition`, "must be an object");
    const r = run as Record<string, unknown>;
    if (!Number.isSafeInteger(r.seed) || (r.seed as number) < 0) bad(`${at}.seed`, "must be an integer ≥ 0");
    if (!Number.isSafeInteger(r.horizon) || (r.horizon as number) < 1) bad(`${at}.horizon`, "must be a step count ≥ 1");
    const horizon = r.horizon as number;
    const isStep = (v: unknown) => v === null || (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= horizon);
    if (!isStep(r.diverged)) bad(`${at}.diverged`, `must be a step in [0, ${horizon}] or null`);
    if (!isPlainObject(r.events)) bad(`${at}.events`, "must be an object");
    const events = r.events as Record<string, unknown>;
    for (const name of names) if (!isStep(events[name])) bad(`${at}.events.${name}`, `must be a step in [0, ${horizon}] or null, got ${JSON.stringify(events[name])}`);
    if (Object.keys(events).length !== names.length) bad(`${at}.events`, `must hold exactly the events ${names.join(", ")}`);
    const key = `${canonicalJson(r.condition)}#${r.seed}`;
    if (seen.has(key)) bad(at, `lists run ${key} a second time`);
    seen.add(key);
  });
  return steps as unknown as EventSteps;
}

/** The (condition, seed) pairs of the config that have no run, as "{lambda: 0} seed 3". */
export function missingRuns(steps: EventSteps): string[] {
  const have = new Set(steps.runs.map((r) => `${canonicalJson(r.condition)}#${r.seed}`));
  const missing: string[] = [];
  for (const condition of conditionsOf({ grid: steps.grid })) {
    for (const seed of steps.seeds) {
      if (!have.has(`${canonicalJson(condition)}#${seed}`)) missing.push(`${describeCondition(condition)} seed ${seed}`);
    }
  }
  return missing;
}
