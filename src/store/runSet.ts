// The one reader of runs files, for every command that reads them (study's resume, report, merge):
// the same de-duplication, the same refusals and the same setting aside everywhere, so a
// (condition, seed) pair is counted once, and only when the config asked for it.
import { InputError } from "../config/inputError.js";
import { canonicalJson } from "./configHash.js";
import type { RunRecord } from "./runRecord.js";
import type { RecordStudy } from "./recordSchema.js";
import { readRunsFile, runKey } from "./runsFile.js";

export interface RunSet {
  /** One record per (condition, seed) that `wanted` holds, in the order first met. */
  records: RunRecord[];
  /** Records kept in the files but not counted: their (condition, seed) is not in the config. */
  setAside: RunRecord[];
  /** runKey of every record kept (counted or set aside). */
  keys: Set<string>;
  /** Torn last lines dropped, exact duplicates folded: things to tell the user. */
  warnings: string[];
}

/**
 * What a run computed, leaving out how long it took and on what threads: results are bitwise
 * identical across threads and shards (SPEC §3), so the same pair run twice is a harmless duplicate
 * even though its wallMs, engine timings and weights folder differ. The kernel stays in: kernels differ in rounding.
 */
export function resultOf(record: RunRecord): string {
  // Where the weights were saved (--save-weights) is not what the run computed either.
  const { wallMs: _wallMs, engine, weights: _weights, weightsSteps: _weightsSteps, ...result } = record;
  return canonicalJson({ ...result, kernel: engine.kernel });
}

/**
 * Reads `files` in order (a missing file is empty; a torn last line is dropped with a warning; a
 * record that is not one of `study`'s is an InputError naming file:line and the field, see
 * recordSchema.ts). A pair met twice with the same result is kept once (with a warning); with a
 * different result it is an InputError naming both
 * places, since which one is right cannot be told. Records whose pair is not in `wanted` are set
 * aside (kept, not counted). With `kernel`, a record made with another kernel is an InputError.
 */
export function collectRuns(files: readonly string[], opts: { wanted: ReadonlySet<string>; kernel?: string; study: RecordStudy }): RunSet {
  const warnings: string[] = [];
  const first = new Map<string, { result: string; where: string }>();
  const records: RunRecord[] = [];
  const setAside: RunRecord[] = [];
  let duplicates = 0;
  for (const file of files) {
    const read = readRunsFile(file, opts.study);
    warnings.push(...read.warnings);
    read.records.forEach((record, i) => {
      const where = `${file}:${read.lines[i]}`;
      if (opts.kernel !== undefined && record.engine.kernel !== opts.kernel) {
        throw new InputError(
          `${where}: run made with kernel '${record.engine.kernel}', but these results are of kernel '${opts.kernel}'; kernels differ in rounding, so their runs are not mixed (use --kernel ${record.engine.kernel}, or --fresh)`,
          { file },
        );
      }
      const key = runKey(record.condition, record.seed);
      const result = resultOf(record);
      const seen = first.get(key);
      if (seen !== undefined) {
        if (seen.result !== result) {
          throw new InputError(`${where}: run ${key} is also at ${seen.where} with a different result; delete the wrong line (its run will be re-run if needed)`, { file });
        }
        duplicates++;
        return;
      }
      first.set(key, { result, where });
      (opts.wanted.has(key) ? records : setAside).push(record);
    });
  }
  if (duplicates > 0) warnings.push(`${duplicates} run${duplicates === 1 ? "" : "s"} found more than once with identical results; each counted once`);
  return { records, setAside, keys: new Set(first.keys()), warnings };
}
