// Reads a finished results directory: its verified resolved config and its runs (SPEC §4), through
// the one runs reader (duplicates once, records the config did not ask for set aside). Used by
// `report` and `export`; a directory that only holds shard files is refused with the merge command.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { DEFAULT_RUNS_FILE, inspectResultsDir, isShardFileName } from "../store/resultsDir.js";
import { compareRunRecords } from "../store/runOrder.js";
import type { RunRecord } from "../store/runRecord.js";
import { collectRuns } from "../store/runSet.js";
import { readResolvedConfig, type ReadOptions, type ResolvedStudyConfig } from "./resolvedConfig.js";
import { wantedKeys } from "./resultsDir.js";

export interface ResultsDir {
  hash: string;
  config: ResolvedStudyConfig;
  /**
   * One record per (condition, seed) the config asks for, in the canonical order
   * (compareRunRecords), not the order the runs finished in.
   */
  records: RunRecord[];
  /** Records in runs.jsonl the config does not ask for: kept, not counted. */
  setAside: RunRecord[];
  /** What reading runs.jsonl found wrong but survivable (a torn last line, exact duplicates). */
  warnings: string[];
}

/** Throws InputError when `dir` is not a results directory with a runs.jsonl. */
export function checkResultsDir(dir: string, opts: ReadOptions = {}): void {
  if (!inspectResultsDir(dir, "results directory").exists) throw new InputError(`${dir}: no such directory`, { file: dir });
  readResolvedConfig(dir, opts);
  const runsFile = join(dir, DEFAULT_RUNS_FILE);
  if (!existsSync(runsFile)) {
    const shards = readdirSync(dir).filter(isShardFileName);
    const hint = shards.length > 0 ? `; found ${shards.length} shard file(s): join them with 'shortcut-bench merge ${dir} --out DIR' first` : "";
    throw new InputError(`${runsFile}: no such file${hint}`, { file: runsFile });
  }
}

export function readResults(dir: string, opts: ReadOptions = {}): ResultsDir {
  checkResultsDir(dir, opts);
  const { hash, config } = readResolvedConfig(dir, opts);
  const runs = collectRuns([join(dir, DEFAULT_RUNS_FILE)], { wanted: wantedKeys(config), kernel: config.kernel, study: config });
  return { hash, config, records: [...runs.records].sort(compareRunRecords), setAside: runs.setAside, warnings: runs.warnings };
}
