// What `check` reads of a results directory: its summary.json and event-steps.json, never trusted
// alone. Each is verified against config.resolved.json and the runs (store/derivedSource.ts); one
// that is out of date, from another study, built from other runs or edited is rebuilt in memory from
// runs.jsonl when the directory has it (with a warning), and refused (exit 2) when it has not.
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { checkEventSteps, EVENT_STEPS_FILE, eventStepsOf, type EventSteps } from "../analysis/eventSteps.js";
import { InputError } from "../config/inputError.js";
import { isPlainObject } from "../config/validateParams.js";
import { configHash } from "../store/configHash.js";
import { cacheProblem, type DerivedSource } from "../store/derivedSource.js";
import { MiB, readOwnFile } from "../store/ownFiles.js";
import { DEFAULT_RUNS_FILE, inspectResultsDir, SUMMARY_FILE } from "../store/resultsDir.js";
import { derivedSourceOf, summarizeResults, type ResultsSummary } from "./outputs.js";
import { readResults } from "./readResults.js";
import { readResolvedConfig, type ResolvedStudyConfig } from "./resolvedConfig.js";

/** Longest summary.json or event-steps.json read: far beyond a million runs' event steps. */
const MAX_CACHE_BYTES = 1024 * MiB;

export interface VerifiedResults {
  config: ResolvedStudyConfig;
  /** Read when asked for. */
  summary?: ResultsSummary;
  eventSteps?: EventSteps;
  /** Caches rebuilt from runs.jsonl, and what reading the runs found: to tell the user. */
  warnings: string[];
}

/** What `summary.json` must hold for the checks to read it (its content is covered by its integrity hash). */
function checkSummary(parsed: unknown, file: string): ResultsSummary {
  const ok =
    isPlainObject(parsed) &&
    Array.isArray(parsed.conditions) &&
    parsed.conditions.every((c) => isPlainObject(c) && isPlainObject(c.condition) && isPlainObject(c.events)) &&
    isPlainObject(parsed.events) &&
    isPlainObject(parsed.grid) &&
    isPlainObject(parsed.completeness);
  if (!ok) throw new InputError(`${file}: not a summary.json written by shortcut-bench (needs 'conditions', 'events', 'grid' and 'completeness')`, { file });
  return parsed as unknown as ResultsSummary;
}

type Expected = Omit<DerivedSource, "runs" | "runsHash"> & Partial<DerivedSource>;

/** The cache in `file` when it is current (see cacheProblem), else what is wrong with it. */
function readCache<T>(file: string, expected: Expected, check: (parsed: unknown, file: string) => T): { value: T } | { problem: string } {
  const bytes = readOwnFile(file, MAX_CACHE_BYTES, "summary or event-steps file");
  if (bytes === null) return { problem: "no such file" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})` };
  }
  const problem = cacheProblem(parsed, expected);
  return problem === null ? { value: check(parsed, file) } : { problem };
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The verified (or rebuilt) summary and event steps of results directory `dir`, those of them in
 * `need`; `flag` names the directory in errors. When both are read without runs.jsonl, they must
 * come from the same runs.
 */
export function readVerifiedResults(dir: string, flag: string, need: { summary: boolean; eventSteps: boolean }): VerifiedResults {
  if (!inspectResultsDir(dir, flag).exists) throw new InputError(`${dir}: no such directory (${flag})`, { file: dir, key: flag });
  const { hash, config } = readResolvedConfig(dir);
  const summaryFile = join(dir, SUMMARY_FILE);
  const stepsFile = join(dir, EVENT_STEPS_FILE);

  if (exists(join(dir, DEFAULT_RUNS_FILE))) {
    const runs = readResults(dir);
    const source = derivedSourceOf(runs.records, hash, config);
    const warnings = [...runs.warnings];
    const current = <T>(file: string, check: (parsed: unknown, file: string) => T, rebuild: () => T): T => {
      const cache = readCache(file, source, check);
      if ("value" in cache) return cache.value;
      warnings.push(`${file}: ${cache.problem}; rebuilt from runs.jsonl for this command ('shortcut-bench report ${dir}' rewrites it)`);
      return rebuild();
    };
    const summary = need.summary ? current(summaryFile, checkSummary, () => summarizeResults(runs.records, hash, config, runs.setAside.length)) : undefined;
    const eventSteps = need.eventSteps ? current(stepsFile, checkEventSteps, () => eventStepsOf(runs.records, config, source)) : undefined;
    return { config, summary, eventSteps, warnings };
  }

  // No runs to rebuild from (a committed baseline keeps only these files): current, or refused.
  const expected: Expected = { name: config.name, studyHash: hash, contentHash: configHash(config) };
  const current = <T>(file: string, check: (parsed: unknown, file: string) => T): T => {
    const cache = readCache(file, expected, check);
    if ("value" in cache) return cache.value;
    throw new InputError(`${file}: ${cache.problem}; there is no runs.jsonl in ${dir} to rebuild it from — run the study again (or 'shortcut-bench report' where its runs.jsonl is)`, { file });
  };
  const summary = need.summary ? current(summaryFile, checkSummary) : undefined;
  const eventSteps = need.eventSteps ? current(stepsFile, checkEventSteps) : undefined;
  if (eventSteps !== undefined && (eventSteps.runs.length !== eventSteps.source.runs || (summary !== undefined && summary.source.runsHash !== eventSteps.source.runsHash))) {
    throw new InputError(`${stepsFile}: not built from the runs its source names (nor those ${SUMMARY_FILE} was built from)`, { file: stepsFile });
  }
  return { config, summary, eventSteps, warnings: [] };
}
