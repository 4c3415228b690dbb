// Reads a finished results directory: its resolved config and its runs (SPEC §4). Used by `report`
// and `export`; a directory that only holds shard files is refused with the merge command to run.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { isPlainObject } from "../config/validateParams.js";
import type { RunRecord } from "../store/runRecord.js";
import { readRunsFile } from "../store/runsFile.js";
import { readResolvedConfig, type ResolvedStudyConfig } from "./resolvedConfig.js";

export interface ResultsDir {
  hash: string;
  config: ResolvedStudyConfig;
  records: RunRecord[];
  /** What reading runs.jsonl found wrong but survivable (a torn last line). */
  warnings: string[];
}

export function readResults(dir: string): ResultsDir {
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`, { file: dir });
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: not a directory`, { file: dir });

  const { hash, config } = readResolvedConfig(dir);
  const resolvedFile = join(dir, "config.resolved.json");
  // The summary needs the grid and the events; a hand-edited file could lack them.
  if (!isPlainObject(config.grid) || !isPlainObject(config.events)) {
    throw new InputError(`${resolvedFile}: config needs 'grid' and 'events' objects`, { file: resolvedFile });
  }

  const runsFile = join(dir, "runs.jsonl");
  if (!existsSync(runsFile)) {
    const shards = readdirSync(dir).filter((name) => /^runs\.shard-.*\.jsonl$/.test(name));
    const hint = shards.length > 0 ? `; found ${shards.length} shard file(s): join them with 'shortcut-bench merge ${dir} --out DIR' first` : "";
    throw new InputError(`${runsFile}: no such file${hint}`, { file: runsFile });
  }
  const { records, warnings } = readRunsFile(runsFile);
  return { hash, config, records, warnings };
}
