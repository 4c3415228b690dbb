// event-steps.json: every run's event steps, one line per run, next to summary.json. What the
// baseline gate (baselineGate.ts) needs of a study — the per-seed times to each event and the
// config's conditions × seeds, to tell a complete study from one with runs missing — in a file
// small enough to commit (reports/ci-baseline keeps it; runs.jsonl is recomputed).
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { conditionsOf, describeCondition } from "../config/studyConfig.js";
import { isPlainObject } from "../config/validateParams.js";
import type { RunRecord } from "../store/runRecord.js";
import { canonicalJson } from "../store/configHash.js";
import { readJsonFile } from "../store/jsonFile.js";

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
  configHash: string,
): EventSteps {
  const runs = records
    .map((r) => ({ key: canonicalJson(r.condition), run: { condition: r.condition, seed: r.seed, horizon: r.params.steps, diverged: r.diverged, events: r.events } }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.run.seed - b.run.seed))
    .map((x) => x.run);
  return { name: config.name, configHash, grid: config.grid, seeds: config.seeds, events: Object.keys(config.events), runs };
}

/** The file's text: JSON with one run per line, so a diff of a baseline shows which runs changed. */
export function renderEventSteps(steps: EventSteps): string {
  const { runs, ...head } = steps;
  const headText = JSON.stringify(head).slice(0, -1);
  return `${headText},"runs":[\n${runs.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`;
}

function isStepOrNull(x: unknown): x is number | null {
  return x === null || (typeof x === "number" && Number.isFinite(x));
}

function isRun(x: unknown): x is EventStepsRun {
  return (
    isPlainObject(x) &&
    isPlainObject(x.condition) &&
    typeof x.seed === "number" &&
    typeof x.horizon === "number" &&
    isStepOrNull(x.diverged) &&
    isPlainObject(x.events) &&
    Object.values(x.events).every(isStepOrNull)
  );
}

/** Reads `<dir>/event-steps.json`; an InputError names the file and says how to make it. */
export function readEventSteps(dir: string): EventSteps {
  const file = join(dir, EVENT_STEPS_FILE);
  const parsed = readJsonFile(file, `no such file; the baseline test needs each run's event steps: regenerate it with 'shortcut-bench report ${dir}' (from runs.jsonl)`);
  const ok =
    isPlainObject(parsed) &&
    typeof parsed.name === "string" &&
    isPlainObject(parsed.grid) &&
    Object.values(parsed.grid).every(Array.isArray) &&
    Array.isArray(parsed.seeds) &&
    parsed.seeds.every((s) => typeof s === "number") &&
    Array.isArray(parsed.events) &&
    parsed.events.every((e) => typeof e === "string") &&
    Array.isArray(parsed.runs) &&
    parsed.runs.every(isRun);
  if (!ok) throw new InputError(`${file}: not an ${EVENT_STEPS_FILE} written by shortcut-bench (needs name, grid, seeds, events and runs)`, { file });
  return parsed as unknown as EventSteps;
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
