// A results directory as a study sees it: one it owns (config.resolved.json), locked for the whole
// of a study, a merge or a report; refused when it holds another study's results or files that are
// not a study's at all. Nothing is written until every refusal has had its chance.
import { existsSync, mkdirSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../config/inputError.js";
import { conditionsOf } from "../config/studyConfig.js";
import { DirectoryLock } from "../store/lock.js";
import { inspectResultsDir, isExportFileName, removeLeftoverTempFiles, removeOwnedFiles, RESOLVED_CONFIG_FILE, runsFileNames, shortHash } from "../store/resultsDir.js";
import type { RunRecord } from "../store/runRecord.js";
import { removeRunWeights } from "../store/runWeights.js";
import { collectRuns, type RunSet } from "../store/runSet.js";
import { runKey, RunsAppender, scanRunLines, truncateTornTail } from "../store/runsFile.js";
import { isPlainObject } from "../config/validateParams.js";
import { readResolvedConfigIfAny, studyHash, writeResolvedConfig, type ResolvedStudyConfig } from "./resolvedConfig.js";

/** The weights folders (--save-weights) the runs files of `dir` list, deleted by exact name before --fresh deletes the runs files. */
function removeListedWeights(dir: string): void {
  for (const name of runsFileNames(readdirSync(dir))) {
    let values: unknown[];
    try {
      values = scanRunLines(join(dir, name)).values;
    } catch {
      continue; // a damaged runs file: its weights stay (never guess which files are the tool's)
    }
    // removeRunWeights touches only the folder named for the record's own condition and seed.
    for (const v of values) if (isPlainObject(v) && isPlainObject(v.condition) && Number.isSafeInteger(v.seed)) removeRunWeights(dir, v as unknown as RunRecord);
  }
}

/** runKey of every (condition, seed) pair the config asks for. */
export function wantedKeys(config: Pick<ResolvedStudyConfig, "grid" | "seeds">): Set<string> {
  const keys = new Set<string>();
  for (const condition of conditionsOf(config)) for (const seed of config.seeds) keys.add(runKey(condition, seed));
  return keys;
}

/** Why `had` and `wants` are different studies, in words: the first differing part of their identity. */
function differenceOf(had: ResolvedStudyConfig, wants: ResolvedStudyConfig): string {
  if (had.name !== wants.name) return `it holds study '${had.name}', not '${wants.name}'`;
  if ((had.kernel ?? wants.kernel) !== wants.kernel) return `its runs were made with kernel '${had.kernel}', not '${wants.kernel}'`;
  for (const key of new Set([...Object.keys(had.base), ...Object.keys(wants.base)])) {
    if (JSON.stringify(had.base[key]) !== JSON.stringify(wants.base[key])) {
      return `base.${key} was ${JSON.stringify(had.base[key])}, now ${JSON.stringify(wants.base[key])}`;
    }
  }
  if (JSON.stringify(had.events) !== JSON.stringify(wants.events)) return "the event definitions changed";
  return `its study hash is ${shortHash(studyHash(had))}, not ${shortHash(studyHash(wants))}`;
}

/**
 * The refusals, checked before the lock is taken (so a refused directory gets no lock file either)
 * and again under it. Returns the study config `dir` holds (null: empty or absent directory).
 */
function checkOwnership(dir: string, wants: ResolvedStudyConfig | null, opts: { fresh: boolean; flag: string }): ResolvedStudyConfig | null {
  const contents = inspectResultsDir(dir, opts.flag);
  if (!contents.exists || contents.names.length === 0) return null;
  let existing: { config: ResolvedStudyConfig } | null;
  try {
    existing = readResolvedConfigIfAny(dir, { upgrade: true });
  } catch (err) {
    // An edited or damaged config.resolved.json still marks the directory as the tool's: --fresh,
    // which the refusal itself recommends, discards it with the rest.
    if (opts.fresh && err instanceof InputError && wants !== null) return null;
    throw err;
  }
  if (existing === null) {
    const shown = contents.names.slice(0, 4).join(", ") + (contents.names.length > 4 ? ", …" : "");
    throw new InputError(
      `${opts.flag} ${dir}: not empty (${shown}) and not a results directory of shortcut-bench (no ${RESOLVED_CONFIG_FILE}); nothing was written — choose a new or empty directory`,
      { file: dir, key: opts.flag },
    );
  }
  // A directory written before the study hash existed (no kernel recorded) holds runs computed by
  // an earlier engine (events on the evaluation grid, not exact): read, merged and reported as it
  // is, but never resumed into, which would mix the two.
  if (existing.config.kernel === undefined && wants !== null && !opts.fresh) {
    throw new InputError(
      `${opts.flag} ${dir}: results written by an earlier version of shortcut-bench, whose runs are computed differently (event steps on the evaluation grid); nothing was written — use --fresh to start over, or another directory`,
      { file: join(dir, RESOLVED_CONFIG_FILE), key: opts.flag },
    );
  }
  const had = { ...existing.config, kernel: existing.config.kernel ?? wants?.kernel };
  if (wants !== null && !opts.fresh && studyHash(had) !== studyHash(wants)) {
    throw new InputError(
      `${opts.flag} ${dir}: results of a different study (${differenceOf(had, wants)}); nothing was written — use --fresh to start over, or another directory`,
      { file: join(dir, RESOLVED_CONFIG_FILE), key: opts.flag },
    );
  }
  return had;
}

export interface OwnedResultsDir {
  dir: string;
  /** The study config the directory held before (null: new or empty). */
  previous: ResolvedStudyConfig | null;
  /** Releases the lock (and removes the directory if this call created it and it is still empty). */
  close(): void;
}

/**
 * Takes `dir` for writing results of `wants` (null: whichever study it holds, for report and merge):
 * creates it if absent, takes the lock, and with `fresh` deletes this tool's files in it by their
 * exact names. Throws InputError (nothing written, no lock left) when the directory is not ours.
 */
export function takeResultsDir(dir: string, wants: ResolvedStudyConfig | null, opts: { fresh: boolean; flag: string; command: string }): OwnedResultsDir {
  if (dir.trim() === "") throw new InputError(`${opts.flag}: an empty path; name a directory`, { key: opts.flag });
  checkOwnership(dir, wants, opts);
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  const removeIfCreated = () => {
    if (!created) return;
    try {
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // Someone else's now, or gone: leave it.
    }
  };
  let lock: DirectoryLock;
  try {
    lock = DirectoryLock.acquire(dir, opts.command);
  } catch (err) {
    removeIfCreated();
    throw err;
  }
  const close = () => {
    lock.release();
    removeIfCreated();
  };
  try {
    const previous = checkOwnership(dir, wants, opts); // again, now that no one else can write
    removeLeftoverTempFiles(dir);
    if (opts.fresh) {
      removeListedWeights(dir);
      removeOwnedFiles(dir);
    }
    return { dir, previous: opts.fresh ? null : previous, close };
  } catch (err) {
    close();
    throw err;
  }
}

/**
 * Takes `out` for the tables `export` writes from a study of `config`, under its lock: the results
 * directory itself, a new or empty one, or one that holds nothing but such tables (an earlier
 * export). Another study's directory, or a user's, is refused as takeResultsDir refuses it.
 */
export function takeExportDir(out: string, config: ResolvedStudyConfig, command: string): OwnedResultsDir {
  const isExportFolder = () => {
    const names = inspectResultsDir(out, "--out").names;
    return names.length > 0 && names.every(isExportFileName);
  };
  if (!isExportFolder()) return takeResultsDir(out, config, { fresh: false, flag: "--out", command });
  const lock = DirectoryLock.acquire(out, command);
  if (!isExportFolder()) {
    lock.release();
    throw new InputError(`--out ${out}: changed while being taken; run export again`, { file: out, key: "--out" });
  }
  return { dir: out, previous: null, close: () => lock.release() };
}

export interface StudyResults extends OwnedResultsDir {
  /** The runs of the runs file: counted (in the config) and set aside. */
  runs: RunSet;
  /** Open on the runs file; the caller appends each finished run. */
  appender: RunsAppender;
}

/**
 * A results directory ready for a study of `resolved`: taken (see takeResultsDir), its runs file
 * `runsFileName` read (a shard resumes from its own file), config.resolved.json written with the
 * config as it is now (more or fewer seeds and grid values are the same study), the torn tail of
 * the runs file cut off so appends continue on a line of their own.
 */
export function openStudyResults(
  dir: string,
  resolved: ResolvedStudyConfig,
  opts: { fresh: boolean; runsFileName: string; command: string; narrow?: boolean },
): StudyResults {
  const owned = takeResultsDir(dir, resolved, { fresh: opts.fresh, flag: "--out", command: opts.command });
  try {
    const runsFile = join(dir, opts.runsFileName);
    const runs = collectRuns([runsFile], { wanted: wantedKeys(resolved), kernel: resolved.kernel, study: resolved });
    // A config that asks for fewer runs than the directory holds would rewrite its report over fewer
    // (a config reusing an earlier study's name did so, with one warning): only when asked to.
    if (runs.setAside.length > 0 && opts.narrow !== true) {
      throw new InputError(
        `${dir} holds ${runs.setAside.length + runs.records.length} runs of study '${resolved.name}'; this config asks for ${runs.records.length} of them, ` +
          `so ${runs.setAside.length} would be set aside (left in ${opts.runsFileName}, counted in neither summary.json nor report.md). ` +
          "Pass --narrow to do that, or write this config's study elsewhere with --out DIR",
        { key: "narrow" },
      );
    }
    writeResolvedConfig(dir, resolved);
    truncateTornTail(runsFile);
    return { ...owned, runs, appender: RunsAppender.open(runsFile) };
  } catch (err) {
    owned.close();
    throw err;
  }
}
