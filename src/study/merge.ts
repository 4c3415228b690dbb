// `merge`: joins the runs of the shards of one study (SPEC §4) — one directory per machine, or
// several shard files copied into one directory — into one results directory whose summary equals
// that of an unsharded run. The output directory may already hold results of the same study: its
// runs join the union. Nothing finished is dropped: runs the config does not ask for are written
// to runs.jsonl too, set aside (not counted).
import { commandLine } from "../commands/commandLine.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { canonicalJson } from "../store/configHash.js";
import { DEFAULT_RUNS_FILE, inspectResultsDir, runsFileNames, writeFileAtomic } from "../store/resultsDir.js";
import { compareRunRecords } from "../store/runOrder.js";
import type { RunRecord } from "../store/runRecord.js";
import { runKey } from "../store/runsFile.js";
import { copyRunWeights, hasRunWeights } from "../store/runWeights.js";
import { collectRuns } from "../store/runSet.js";
import { summarizeResults, writeStudyOutputs, type ResultsSummary } from "./outputs.js";
import { readResolvedConfig, studyHash, writeResolvedConfig, type ResolvedStudyConfig } from "./resolvedConfig.js";
import { takeResultsDir, wantedKeys } from "./resultsDir.js";
import { resolve } from "node:path";

export interface MergeOutcome {
  config: ResolvedStudyConfig;
  summary: ResultsSummary;
  /** Runs written to runs.jsonl: counted and set aside. */
  written: number;
  warnings: string[];
}

/**
 * `record` as the merged directory `out` lists it: a run's weights folder is relative to the
 * directory it was made in, so its files are copied into `out` (from the first of `dirs` holding
 * all of them) before the merged runs file lists them; when none does, the record loses the listing
 * (with a warning) rather than point at files that are not there.
 */
function withWeightsIn(out: string, dirs: readonly string[], record: RunRecord, warnings: string[]): RunRecord {
  if (record.weights === undefined || hasRunWeights(out, record)) return record;
  const from = dirs.find((dir) => hasRunWeights(dir, record));
  if (from !== undefined) {
    copyRunWeights(from, out, record);
    return record;
  }
  warnings.push(`run ${runKey(record.condition, record.seed)}: its weights (${record.weights}) are in none of the merged directories; merged without them`);
  const { weights: _weights, weightsSteps: _weightsSteps, ...rest } = record;
  return rest;
}

/** The first part in which two resolved configs of one study differ, in words (null: none). */
function configDifference(a: ResolvedStudyConfig, b: ResolvedStudyConfig): string | null {
  for (const key of ["name", "kernel", "base", "events", "grid", "seeds", "charts", "checks"] as const) {
    if (canonicalJson(a[key] ?? null) !== canonicalJson(b[key] ?? null)) return key;
  }
  return null;
}

export async function mergeStudies(dirs: readonly string[], out: string, opts: { command: string }): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new InputError("merge: no results directories given");
  // All checks first, so a refused merge writes nothing.
  let reference: { dir: string; config: ResolvedStudyConfig } | undefined;
  for (const dir of dirs) {
    if (!inspectResultsDir(dir, "merge").exists) throw new InputError(`${dir}: no such directory`, { file: dir });
    const { config } = readResolvedConfig(dir, { upgrade: true });
    if (reference === undefined) {
      reference = { dir, config };
      continue;
    }
    const differs = configDifference(reference.config, config);
    if (differs !== null) {
      throw new InputError(
        `${reference.dir} and ${dir} were made with different configs (their '${differs}' differ); only shards of one study, run from one config, can be merged`,
        { file: join(dir, "config.resolved.json") },
      );
    }
  }
  if (reference === undefined) throw new Error("unreachable: dirs is not empty");
  const config = reference.config;
  const hash = studyHash(config);

  const owned = takeResultsDir(out, config, { fresh: false, flag: "--out", command: opts.command });
  try {
    // The output's own runs join the union when it already held results of this study.
    const sources = owned.previous !== null && !dirs.some((d) => resolve(d) === resolve(out)) ? [...dirs, out] : [...dirs];
    const files = sources.flatMap((dir) => runsFileNames(readdirSync(dir)).map((name) => join(dir, name)));
    const runs = collectRuns(files, { wanted: wantedKeys(config), kernel: config.kernel, study: config });
    const warnings = [...runs.warnings];
    for (const dir of dirs) if (runsFileNames(readdirSync(dir)).length === 0) warnings.push(`${dir}: no runs files`);
    const counted = [...runs.records].sort(compareRunRecords);
    const everything = [...runs.records, ...runs.setAside].sort(compareRunRecords).map((record) => withWeightsIn(out, dirs, record, warnings));
    // config.resolved.json first: a merge killed between the two leaves a directory that says whose
    // runs it holds (the next merge resumes into it), never a runs.jsonl that no config claims.
    writeResolvedConfig(out, config);
    writeFileAtomic(join(out, DEFAULT_RUNS_FILE), everything.map((r) => JSON.stringify(r) + "\n"));
    const summary = summarizeResults(counted, hash, config, runs.setAside.length);
    // what reproduces the merged results is a study from their config, not the merge
    await writeStudyOutputs(out, summary, counted, config, { command: commandLine(["study", "--from", out, "--out", `${out}-reproduced`]), timing: null });
    return { config, summary, written: everything.length, warnings };
  } finally {
    owned.close();
  }
}
